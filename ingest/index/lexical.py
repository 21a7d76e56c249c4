"""Lexical (BM25) matching for Vietnamese, diacritic-insensitive, with abbreviations.

BM25 comes from `ingest.index.bm25`, the tokens from `tokens.lexical_tokens`
(common tokenizers drop one-letter Vietnamese syllables such as "ở").
Abbreviations are a short curated list plus those the corpus defines
("Quy chế dân chủ (QCDC)"), learned at ingestion. The index is saved beside
Chroma by ingestion and loaded by the bot when it matches the index's chunks.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingest.index.bm25 import Bm25, Rows
from ingest.language.citations import find_refs, ref_key
from ingest.language.normalize import WORD, fold, normalize_text, same_iy
from ingest.language.tokens import Abbreviations, lexical_tokens, written_out
from ingest.language.vocabulary import token_abbreviations
from ingest.models import Passage

log = logging.getLogger(__name__)

# Abbreviations every cadre knows, one token each: the `token` lines of the domain vocabulary
# (ingest/language/vocabulary.tsv), their one home; the corpus may define more.
CURATED_ABBREVIATIONS = token_abbreviations()
_RUNS = re.compile(r"[.,;:!?()\[\]\"“”…]+")  # punctuation: a word never spans it
_DEFINITION = re.compile(r"((?:[^\W\d_]+\s+){1,8})\(([A-ZĐ]{2,8})\)")


def segment(text: str) -> list[str]:
    """Vietnamese words (pyvi), syllables joined by "_"; document numbers are
    removed first, since pyvi would cut "15/2020/NĐ-CP" into pieces."""
    from pyvi import ViTokenizer  # imported on first use: 0.8 s

    # A split, not a regex: `\S*\d\S*` backtracks quadratically on a long run without spaces.
    kept = "\n".join(
        " ".join(w for w in line.split() if not any(ch.isdigit() for ch in w))
        for line in normalize_text(text).split("\n")
    )
    return ViTokenizer.tokenize(kept).split()


def _as_folded(abbreviations: dict[str, str]) -> Abbreviations:
    return {tuple(same_iy(w) for w in fold(expansion).split()): fold(abbr) for abbr, expansion in abbreviations.items()}


def learn_abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """Definitions the texts make: "Ban Thường vụ (BTV)" gives BTV → "ban thường vụ".

    The words before the parenthesis count when their initials spell the abbreviation.
    """
    found: dict[str, str] = {}
    for text in texts:
        for m in _DEFINITION.finditer(normalize_text(text)):
            abbr, words = m[2], m[1].split()
            n = len(abbr)
            if len(words) >= n and "".join(fold(w)[0] for w in words[-n:]).upper() == fold(abbr).upper():
                found.setdefault(abbr, " ".join(words[-n:]).lower())
    return found


class LexicalIndex:
    """BM25 scores and IDF-weighted coverage of a question over passages.

    Tokens are strings (`tokens`); the index stores term ids (`ingest.index.bm25`)
    with a vocabulary that only grows, so the rows of an unchanged passage
    can be carried from one generation to the next as they are.
    """

    def __init__(
        self,
        vocab: dict[str, int],
        rows: Rows,
        abbreviations: dict[str, str] | None = None,
        bm25: Bm25 | None = None,
    ):
        self.vocab = vocab
        self.rows = rows
        self.abbreviations = {**CURATED_ABBREVIATIONS, **(abbreviations or {})}
        self._folded_abbr = _as_folded(self.abbreviations)
        self._expansions = {fold(abbr): expansion for abbr, expansion in self.abbreviations.items()}
        self.bm25 = bm25 or Bm25.from_rows(rows, len(vocab))
        self._terms_cache: dict[str, tuple[dict[str, float], dict[str, float]]] = {}

    @classmethod
    def build(cls, texts: Sequence[str], abbreviations: dict[str, str] | None = None) -> LexicalIndex:
        """An index of these texts; its abbreviations include those the texts define unless given."""
        index = cls.empty(learn_abbreviations(texts) if abbreviations is None else abbreviations)
        rows = index.tokenize(texts)
        return cls(index.vocab, rows, index.abbreviations)

    @classmethod
    def empty(cls, abbreviations: dict[str, str] | None = None) -> LexicalIndex:
        """No passages yet: a vocabulary to tokenize into (`tokenize`), then `cls(vocab, rows, …)`."""
        return cls({}, Rows.empty(), abbreviations)

    def tokenize(self, texts: Sequence[str]) -> Rows:
        """The rows of these texts; new tokens join the vocabulary."""
        vocab = self.vocab
        lists = [[vocab.setdefault(tok, len(vocab)) for tok in self.tokens(t)] for t in texts]
        return Rows.from_term_lists(lists)

    def tokens(self, text: str, question: bool = False) -> list[str]:
        """Syllables, accents, pairs and abbreviations (`lexical_tokens`), plus
        whole words from pyvi's segmenter ("w:quy_che") and document numbers
        ("@120-KL/TW"), which pyvi and the syllable split would cut apart."""
        tokens = lexical_tokens(text, question=question, abbreviations=self._folded_abbr)
        tokens += ["@" + ref_key(r) for r in find_refs(text)]
        if question:
            tokens += self._known_words(text)
        else:
            tokens += ["w:" + "_".join(same_iy(x) for x in fold(w).split("_")) for w in segment(text) if "_" in w]
        return tokens

    def _known_words(self, question: str) -> list[str]:
        """The question's runs of 2 to 4 syllables that the corpus has as words.

        A question is not segmented with pyvi: its import alone (scikit-learn)
        takes 1.3 s, more than the rest of a cold start. Any run of syllables
        that pyvi made a word somewhere in the corpus counts instead.
        """
        found: list[str] = []
        for line in normalize_text(question).split("\n"):
            for run in _RUNS.split(line):
                syllables = [same_iy(fold(w)) for w in WORD.findall(run) if not any(ch.isdigit() for ch in w)]
                for n in (2, 3, 4):
                    for i in range(len(syllables) - n + 1):
                        token = "w:" + "_".join(syllables[i : i + n])
                        if token in self.vocab:
                            found.append(token)
        return found

    def __len__(self) -> int:
        return self.bm25.n

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every passage; all zero for a question with no word to match."""
        ids = [self.vocab[t] for t in self.tokens(question, question=True) if t in self.vocab]
        return self.bm25.scores(ids)

    def idf(self, token: str) -> float:
        term = self.vocab.get(token)
        return self.bm25.idf(0 if term is None else self.bm25.df(term))

    def coverage_all(self, question: str, alternatives: Sequence[tuple[str, Sequence[str]]] = ()) -> np.ndarray:
        """`coverage` of every passage at once, from the postings of the question's terms.

        `alternatives`: phrases of the question, each with the texts' terms that may stand for
        it (`Vocabulary.alternatives`: "lệ làng" → "hương ước", "quy ước"). A passage holding one
        of those terms whole holds the phrase's words: a villager's "lệ làng" is covered by the
        Decree's "hương ước", as a reader would count it."""
        words, pairs = self._question_terms(question)
        cover = self._share_all(words, alternatives)
        return cover if not pairs else (cover + self._share_all(pairs, alternatives)) / 2

    def expand(self, question: str) -> str:
        """The question with the abbreviations it uses written out beside them ("MTTQ các cấp"
        → "mặt trận tổ quốc (MTTQ) các cấp"), for the embedding model, which has not met
        them; the abbreviation stays, as passages use it too (measured: the expansion
        alone lost on the seed articles, which write "QCDC")."""

        def full(m: re.Match[str]) -> str:
            word = m[0]
            expansion = self._expansions.get(fold(word))
            abbreviation = len(word) >= 2 and (word.isupper() or len(word) >= 3)
            return f"{expansion} ({word})" if expansion and abbreviation else word

        return WORD.sub(full, written_out(normalize_text(question), question=True))

    def coverage(self, question: str, i: int) -> float:
        """How much of the question passage i contains (see `text_coverage`)."""
        return float(self.coverage_all(question)[i])

    def text_coverage(
        self, question: str, text: str, pairs: bool = True, alternatives: Sequence[tuple[str, Sequence[str]]] = ()
    ) -> float:
        """Share of the question's IDF weight found in a text (a sentence), over words and over word pairs.

        Words alone let folded collisions through ("tỷ giá đô la Mỹ" shares
        "tỷ", "giá", "đô", "Mỹ" with this corpus); word pairs must match too,
        when the question has any, unless `pairs` is False (a short title, whose
        word order is not the question's: "Nghĩa vụ của công dân" for "công dân có
        những nghĩa vụ gì").
        """
        said = self._text_tokens(text)
        words, word_pairs = self._question_terms(question)
        present = set(said)
        for phrase, standing in alternatives:  # as in `coverage_all`: a term the text holds stands for the phrase
            if any(self._phrase_tokens(term) <= said for term in standing):
                present |= self._phrase_tokens(phrase)
        word_share = _share(words, present)
        return word_share if not (pairs and word_pairs) else (word_share + _share(word_pairs, present)) / 2

    def _question_terms(self, question: str) -> tuple[dict[str, float], dict[str, float]]:
        """The question's words and word pairs, each with its IDF (unknown ones too: they
        count against coverage). Cached: answers and briefs ask again for every sentence."""
        if question not in self._terms_cache:
            if len(self._terms_cache) > 256:
                self._terms_cache.clear()
            tokens = lexical_tokens(question, question=True, abbreviations=self._folded_abbr)
            # A syllable typed with its accents must be found with them: folded, "phạt" (fine)
            # would be found in every "phát" (issue), "sổ đỏ" in "sơ đồ". Without accents, folded.
            accented = {t[1:] for t in tokens if t[0] == "~"}
            typed = {fold(a) for a in accented}
            words = {t: self.idf(t) for t in tokens if "_" not in t and t[0] != "~" and t not in typed}
            words |= {"~" + a: self.idf("~" + a) for a in accented}
            pairs = {t: self.idf(t) for t in tokens if "_" in t}
            self._terms_cache[question] = (words, pairs)
        return self._terms_cache[question]

    def _share_all(self, terms: dict[str, float], alternatives: Sequence[tuple[str, Sequence[str]]] = ()) -> np.ndarray:
        found = np.zeros(len(self), dtype=np.float32)
        total = sum(terms.values())
        if not total:
            return found
        if not alternatives:  # the common case, without a mask per word
            for token, weight in terms.items():
                if token in self.vocab:
                    found[self.bm25.rows_with(self.vocab[token])] += weight
            return found / total
        rows: dict[str, np.ndarray] = {}
        for token in terms:
            if token in self.vocab:
                rows[token] = self.bm25.rows_with(self.vocab[token])
        stood: dict[str, np.ndarray] = {}  # token → the passages holding a term its phrase stands for
        for phrase, standing in alternatives:
            own = self._phrase_tokens(phrase) & terms.keys()
            if own:
                holds = np.zeros(len(self), dtype=bool)
                for term in standing:
                    holds |= self.coverage_all(term) >= 0.999
                for token in own:
                    stood[token] = stood[token] | holds if token in stood else holds
        for token, weight in terms.items():
            present = np.zeros(len(self), dtype=bool)
            if token in rows:
                present[rows[token]] = True
            found[present | stood.get(token, present)] += weight
        return found / total

    def holds_term(self, term: str, text: str) -> bool:
        """Whether the text holds every word and word pair of a term ("hương ước" in a heading)."""
        return self._phrase_tokens(term) <= self._text_tokens(text)

    def _text_tokens(self, text: str) -> set[str]:
        return set(lexical_tokens(text, abbreviations=self._folded_abbr))

    def _phrase_tokens(self, phrase: str) -> set[str]:
        words, pairs = self._question_terms(phrase)
        return set(words) | set(pairs)

    # --- persistence -------------------------------------------------------------

    def save(self, folder: Path, ids: Sequence[str]) -> None:
        """Write the index for the chunks `ids` (in order); replaces any previous copy."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        self.rows.save(tmp)
        self.bm25.save(tmp)
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        (tmp / "vocab.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        meta = {"format": LEXICAL_FORMAT, "ids": list(ids), "abbreviations": self.abbreviations}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path, ids: Sequence[str] | None = None) -> LexicalIndex | None:
        """The saved index (memory-mapped), or None when it is missing, of an older
        format, or was saved for other chunks than `ids` (when given)."""
        saved = cls.load_with_ids(folder)
        if saved is None or (ids is not None and saved[1] != list(ids)):
            return None
        return saved[0]

    @classmethod
    def load_with_ids(cls, folder: Path) -> tuple[LexicalIndex, list[str]] | None:
        """The saved index and the chunk ids of its rows, in order; None as for `load`."""
        meta = _read_meta(folder)
        if meta is None:
            return None
        try:
            terms = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            rows, bm25 = Rows.load(folder), Bm25.load(folder)
        except (OSError, ValueError):
            return None
        if bm25.n != len(meta["ids"]):
            return None
        return cls({t: i for i, t in enumerate(terms)}, rows, meta["abbreviations"], bm25), list(meta["ids"])


# 7: passages keep the words of the abbreviations they write or spell out (`lexical_tokens`).
# 8: "hoặc", "ngoặc" keep their tone on "ă" (canonical tones wrote "~họăc").
LEXICAL_FORMAT = 8


def _share(terms: dict[str, float], present: set[str]) -> float:
    total = sum(terms.values())
    return sum(weight for token, weight in terms.items() if token in present) / total if total else 0.0


def _read_meta(folder: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == LEXICAL_FORMAT else None


def passage_text(p: Passage) -> str:
    """What a passage is matched on: its text plus its document's title, author and
    locality, which name its topic, answer "who wrote…" questions and tie every
    passage of a local report to its place (a figure of Hưng Yên's report says
    "tỉnh", not "Hưng Yên", and lost to the law's "nông thôn mới"). An article's title
    counts twice more (its heading opens the text): it says what the article
    is about, where the body's words are shared by its neighbours ("quyền",
    "nghĩa vụ", "công dân" in Điều 1, 5 and 6 alike)."""
    byline = " ".join(value or "" for value in (p.facts.author, p.facts.author_role, p.facts.locality))
    title = f"\n{p.legal.article_title}" * TITLE_REPEATS if p.legal and p.legal.article_title else ""
    return f"{p.title}\n{byline}{title}\n{p.text}"


TITLE_REPEATS = 2
