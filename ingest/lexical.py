"""Lexical (BM25) matching for Vietnamese, diacritic-insensitive, with abbreviations.

BM25 comes from bm25s, the tokens from `tokens.lexical_tokens` (bm25s's
default tokenizer drops one-letter Vietnamese syllables such as "ở").
Abbreviations are a short curated list plus those the corpus defines
("Quy chế dân chủ (QCDC)"), learned at ingestion. The index is saved beside
Chroma by ingestion and loaded by the bot when it matches the index's chunks.
"""

from __future__ import annotations

import json
import logging
import math
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

from ingest.citations import find_refs, ref_key
from ingest.models import Passage
from ingest.normalize import fold, normalize_text
from ingest.tokens import Abbreviations, lexical_tokens

log = logging.getLogger(__name__)

# Abbreviations every cadre knows; the corpus may define more.
CURATED_ABBREVIATIONS = {
    "QCDC": "quy chế dân chủ",
    "BCĐ": "ban chỉ đạo",
    "MTTQ": "mặt trận tổ quốc",
    "UBND": "ủy ban nhân dân",
    "HĐND": "hội đồng nhân dân",
    "BDV": "ban dân vận",
    "BTV": "ban thường vụ",
    "UVBTV": "ủy viên ban thường vụ",
    "BCH": "ban chấp hành",
    "BCT": "bộ chính trị",
    "BCS": "ban cán sự",
    "TW": "trung ương",
    "TU": "tỉnh ủy",
    "HU": "huyện ủy",
    "ĐU": "đảng ủy",
    "THPT": "trung học phổ thông",
    "THCS": "trung học cơ sở",
}
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
    return {tuple(fold(expansion).split()): fold(abbr) for abbr, expansion in abbreviations.items()}


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
    """BM25 scores and IDF-weighted coverage of a question over passages."""

    def __init__(self, texts: Sequence[str], abbreviations: dict[str, str] | None = None):
        self.abbreviations = {**CURATED_ABBREVIATIONS, **(abbreviations or {})}
        self._folded_abbr = _as_folded(self.abbreviations)
        tokenized = [self.tokens(t) for t in texts]
        self._tokens = [set(toks) for toks in tokenized]
        self._bm25 = bm25s.BM25()
        if texts:
            self._bm25.index(tokenized, show_progress=False)
        self._set_idf()

    def _set_idf(self) -> None:
        # Lucene-style IDF; a token found nowhere gets the highest weight, so a
        # question about something absent scores a low coverage.
        n = len(self._tokens)
        df = Counter(tok for toks in self._tokens for tok in toks)
        self._idf = {tok: math.log(1 + (n - c + 0.5) / (c + 0.5)) for tok, c in df.items()}
        self._idf_unseen = math.log(1 + (n + 0.5) / 0.5)

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        """An index whose abbreviations include those the texts define."""
        return cls(texts, learn_abbreviations(texts))

    def tokens(self, text: str, question: bool = False) -> list[str]:
        """Syllables, accents, pairs and abbreviations (`lexical_tokens`), plus
        whole words from pyvi's segmenter ("w:quy_che") and document numbers
        ("@120-KL/TW"), which pyvi and the syllable split would cut apart."""
        tokens = lexical_tokens(text, question=question, abbreviations=self._folded_abbr)
        tokens += ["@" + ref_key(r) for r in find_refs(text)]
        tokens += ["w:" + fold(w).lower() for w in segment(text) if "_" in w]
        return tokens

    def __len__(self) -> int:
        return len(self._tokens)

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every passage; all zero for a question with no word to match
        ("Cho hỏi", "Ai?": bm25s raises on an empty query)."""
        tokens = self.tokens(question, question=True)
        if not self._tokens or not tokens:
            return np.zeros(len(self._tokens), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._idf_unseen)

    def coverage(self, question: str, i: int) -> float:
        """How much of the question passage i contains (see `_coverage`)."""
        return self._coverage(question, self._tokens[i])

    def text_coverage(self, question: str, text: str) -> float:
        """The same coverage for any text (a sentence), with this corpus's IDF."""
        return self._coverage(question, set(lexical_tokens(text, abbreviations=self._folded_abbr)))

    def _coverage(self, question: str, present: set[str]) -> float:
        """Share of the question's IDF weight found, over words and over word pairs.

        Words alone let folded collisions through ("tỷ giá đô la Mỹ" shares
        "tỷ", "giá", "đô", "Mỹ" with this corpus); word pairs must match too,
        when the question has any.
        """
        words, pairs = self._question_terms(question)
        word_share = self._share(words, present)
        return word_share if not pairs else (word_share + self._share(pairs, present)) / 2

    def _question_terms(self, question: str) -> tuple[frozenset[str], frozenset[str]]:
        """The question's words and word pairs (cached: coverage asks for them per passage and sentence)."""
        cache = self.__dict__.setdefault("_terms_cache", {})
        if question not in cache:
            if len(cache) > 256:
                cache.clear()
            tokens = lexical_tokens(question, question=True, abbreviations=self._folded_abbr)
            cache[question] = (
                frozenset(t for t in tokens if "_" not in t and t[0] != "~"),
                frozenset(t for t in tokens if "_" in t),
            )
        return cache[question]

    def _share(self, tokens: frozenset[str], present: set[str]) -> float:
        total = sum(self.idf(t) for t in tokens)
        return sum(self.idf(t) for t in tokens if t in present) / total if total else 0.0

    # --- persistence -------------------------------------------------------------

    def save(self, folder: Path, ids: Sequence[str]) -> None:
        """Write the index for the chunks `ids` (in order); replaces any previous copy."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        self._bm25.save(str(tmp / "bm25")) if self._tokens else (tmp / "bm25").mkdir(parents=True)
        meta = {"ids": list(ids), "abbreviations": self.abbreviations, "tokens": [sorted(t) for t in self._tokens]}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path, ids: Sequence[str]) -> LexicalIndex | None:
        """The saved index, or None when it is missing or was saved for other chunks."""
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("ids") != list(ids):
            return None
        index = cls.__new__(cls)
        index.abbreviations = meta["abbreviations"]
        index._folded_abbr = _as_folded(index.abbreviations)
        index._tokens = [set(t) for t in meta["tokens"]]
        index._bm25 = bm25s.BM25.load(str(folder / "bm25")) if index._tokens else bm25s.BM25()
        index._set_idf()
        return index


def passage_text(p: Passage) -> str:
    """What a passage is matched on: its text plus its document's title and author,
    which name its topic and answer "who wrote…" questions."""
    byline = " ".join(value or "" for value in (p.facts.author, p.facts.author_role))
    return f"{p.title}\n{byline}\n{p.text}"
