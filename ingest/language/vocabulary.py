"""People's words for the texts' terms: a domain vocabulary as data (`vocabulary.tsv`).

A villager asks about "lệ làng", the Law says "hương ước, quy ước"; a cadre types "BTT" for
"Ban Thanh tra nhân dân". Neither BM25 nor the embedding model (which never met the
abbreviations) bridges that, so the question gets the texts' terms ADDED, after its own
words ("lệ làng có được …" → "lệ làng có được … (hương ước, quy ước)"): the user's words
stay, as passages may use them too.

The file beside this module is the project's vocabulary, built from the article titles and
defined terms ("Giải thích từ ngữ") of the Law on grassroots democracy, its decrees and the
Front's texts, plus everyday and regional synonyms. An administrator adds the unit's own
words in a file of the same format (`VOCABULARY_FILE`, by default `tu-vung.tsv` in
`DOCUMENTS_DIR`); bad lines are logged and skipped, never fatal.

Format, one entry a line, columns separated by a tab, `#` starts a comment line:

    people's words | other words     the text's term | another term     [flags]   [note]

- An alternative written in capitals ("BTTND", "NĐ") is an abbreviation: it counts as typed
  in capitals, or in lower case when three letters or more (not a syllable), and never
  inside a document number ("59/2023/NĐ-CP").
- A word counts as typed with its accents or, syllable by syllable, without any: folded,
  "quy định" is "quỹ đình". A one-syllable word counts only with its accents: folded,
  "bản" (a hamlet) is "ban" (a board) and "ấp" is the "áp" of "áp dụng".
- An alternative starting with "!" is a trap: where it matches, the shorter words inside it
  do not ("!quỹ đất" keeps "quỹ" from meaning "kinh phí" there).
- flag `held`: a passage saying the term says the words too ("cộng đồng dân cư" is the texts'
  name for a "thôn" or "tổ dân phố"), but the term is not added to the search: a word this
  common would rank every passage on the term first.
- flag `token`: the abbreviation is one lexical token at ingestion (`lexical.CURATED_ABBREVIATIONS`,
  read from here); the lexical index and the embedder's write-out already handle it, so it
  is not added again. Changing those changes the index: re-ingest.

Matching is on whole syllables, longest first, so "xã hội" never matches a "xã" and "quy
ước" never a "ước"; a question typed without accents matches as folded (`normalize.fold`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ingest.language.normalize import WORD, fold, normalize_text, same_iy

log = logging.getLogger(__name__)

DATA_FILE = Path(__file__).with_name("vocabulary.tsv")
UNIT_FILE_NAME = "tu-vung.tsv"  # the unit's own words, beside its documents
MAX_TERMS = 12  # added to one question at most: the embedder's cost grows with its tokens
_BREAK = re.compile(r"[,.;:!?()\[\]\"“”…\n]")
_ASKS = re.compile(r"\b(?:bao nhieu|bao lau|may|khi nao|ai|gi|nao|it nhat|toi da|toi thieu|cham nhat)\b")
_ABBREVIATION = re.compile(r"[A-ZĐ][A-ZĐa-z]*[A-ZĐ]")  # "BTTND", "NĐ", "TTg"


@dataclass(frozen=True)
class Entry:
    """One line: the words people use, the texts' terms they stand for."""

    words: tuple[str, ...]
    terms: tuple[str, ...]
    token: bool = False  # an abbreviation the lexical index keeps as one token
    note: str = ""
    held: bool = False  # the term holds the words where a text says it, but is not searched for


@dataclass(frozen=True)
class _Key:
    syllables: tuple[str, ...]
    entry: Entry | None  # None: a trap
    abbreviation: bool
    written: tuple[str, ...] = ()  # the syllables with their accents, lower case


_FLAGS = {"token", "held"}


def _syllables(text: str) -> tuple[str, ...]:
    return tuple(same_iy(w) for w in WORD.findall(fold(text)))


def parse(text: str, origin: str = "") -> tuple[list[Entry], list[str]]:
    """The entries of a vocabulary file's text, and a problem line for each line skipped."""
    entries: list[Entry] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = normalize_text(raw).strip()  # tabs become spaces here: split on the raw line's
        if not line or line.startswith("#"):
            continue
        columns = [normalize_text(c).strip() for c in raw.split("\t")]
        words = tuple(w.strip() for w in columns[0].split("|") if w.strip())
        terms = tuple(t.strip() for t in columns[1].split("|") if t.strip()) if len(columns) > 1 else ()
        flags = columns[2].split() if len(columns) > 2 else []
        if not words or not terms or any(not _syllables(w.lstrip("!")) for w in words):
            problems.append(f"{origin}:{number}: expected 'words<TAB>terms', got {line[:80]!r}")
            continue
        if any(f not in _FLAGS for f in flags):
            problems.append(f"{origin}:{number}: unknown flag in {columns[2]!r}")
            continue
        note = columns[3] if len(columns) > 3 else ""
        entries.append(Entry(words, terms, "token" in flags, note, "held" in flags))
    return entries, problems


class Vocabulary:
    """Entries indexed by their words' folded syllables, to find them in a question."""

    def __init__(self, entries: list[Entry]):
        self.entries = tuple(entries)
        self._keys: dict[str, list[_Key]] = {}  # by first syllable
        for entry in self.entries:
            for word in entry.words:
                trap = word.startswith("!")
                word = word.lstrip("!").strip()
                abbreviation = bool(_ABBREVIATION.fullmatch(word))
                written = tuple(same_iy(w) for w in WORD.findall(word.lower()))
                key = _Key(_syllables(word), None if trap else entry, abbreviation, written)
                self._keys.setdefault(key.syllables[0], []).append(key)
        for keys in self._keys.values():
            keys.sort(key=lambda k: (-len(k.syllables), k.entry is None))  # longest first; a word over a trap

    def matches(self, question: str, overlapping: bool = False) -> list[tuple[str, Entry]]:
        """The entries the question uses, each with the words as typed, in order (traps left out).
        `overlapping`: also a phrase that starts inside one found and runs past its end ("góp tiền
        làm đường bê tông": "đường bê tông" too)."""
        text = normalize_text(question)
        spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
        folded = [same_iy(fold(text[a:b])) for a, b in spans]
        lower = [same_iy(text[a:b].lower()) for a, b in spans]
        # a phrase never spans a comma or a sentence's end: "cán bộ, công an" is no "cán bộ công an"
        part = [0]
        for (_, end), (start, _) in zip(spans, spans[1:]):
            part.append(part[-1] + bool(_BREAK.search(text, end, start)))

        def at(i: int) -> tuple[int, Entry | None] | None:
            """The longest phrase starting at word i: its length and entry (None: a trap)."""
            for key in self._keys.get(folded[i], ()):
                n = len(key.syllables)
                if tuple(folded[i : i + n]) != key.syllables or part[i] != part[i + n - 1]:
                    continue
                typed = text[spans[i][0] : spans[i + n - 1][1]]
                if key.abbreviation and not _typed_as_abbreviation(text, spans[i], typed):
                    continue
                if not key.abbreviation and not _same_accents(lower[i : i + n], folded[i : i + n], key.written):
                    continue
                return n, key.entry
            return None

        found: list[tuple[str, Entry]] = []
        i = 0
        while i < len(folded):
            if (match := at(i)) is None:
                i += 1
                continue
            n, entry = match
            if entry is not None:
                found.append((text[spans[i][0] : spans[i + n - 1][1]], entry))
            for j in range(i + 1, i + n) if overlapping and entry is not None else ():
                if (tail := at(j)) is not None and j + tail[0] > i + n and tail[1] is not None:
                    found.append((text[spans[j][0] : spans[j + tail[0] - 1][1]], tail[1]))
                    break
            i += n
        return found

    def terms(self, question: str) -> list[str]:
        """The texts' terms to add: those the question does not already say, each once, `token`
        abbreviations left to the lexical index."""
        said = " " + " ".join(_syllables(question)) + " "
        added: list[str] = []
        seen: set[tuple[str, ...]] = set()
        for _, entry in self.matches(question):
            if entry.token or entry.held:
                continue
            for term in entry.terms:
                key = _syllables(term)
                if key in seen or f" {' '.join(key)} " in said:
                    continue
                seen.add(key)
                added.append(term)
        return added[:MAX_TERMS]

    def written_out(self, question: str, tokens: bool = False) -> str:
        """The question with the abbreviations it types written out ("DCCS" → "dân chủ ở cơ sở"),
        for relevance: an abbreviation says its term exactly, so the term counts as the question's
        own words; people's words only add terms (`expand`). `token` ones are the lexical index's
        and stay, unless `tokens` and typed in capitals ("ủy viên MTTQ" → "ủy viên mặt trận tổ
        quốc"): for reading a question's words against a sentence."""
        text = normalize_text(question)
        for typed, entry in self.matches(text):
            if entry.token and not (tokens and typed.isupper() and len(typed) > 1):
                continue
            if not any(_ABBREVIATION.fullmatch(w) and fold(w) == fold(typed) for w in entry.words):
                continue
            text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", entry.terms[0], text, count=1)
        return text

    def abbreviated(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """The abbreviations the question types, each with the term it writes out: a subject
        typed "trường CAND" is said by a text's "trường Công an nhân dân"."""
        return [
            (typed, entry.terms[:1])
            for typed, entry in self.matches(normalize_text(question))
            if not entry.token and any(_ABBREVIATION.fullmatch(w) and fold(w) == fold(typed) for w in entry.words)
        ]

    def alternatives(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """The people's words the question types, each with the texts' terms that stand for it,
        for relevance (`LexicalIndex.coverage_all`); abbreviations are `written_out` first."""
        # words that ask ("bao nhiêu ngày" → "thời hạn") say the question's form, not what it is about
        return [
            (typed, entry.terms)
            for typed, entry in self.matches(question, overlapping=True)
            if not entry.token and not _ASKS.search(fold(typed))
        ]

    @cached_property
    def _as_terms(self) -> Vocabulary:
        """The texts' terms as words of their own, to find a term the question says as written."""
        return Vocabulary([Entry(entry.terms, entry.terms) for entry in self.entries])

    def says_domain(self, question: str) -> bool:
        """Whether the question says a word of the domain: a people's word or a text's term."""
        return bool(self.matches(question) or self._as_terms.matches(question))

    def expand(self, question: str) -> str:
        """The question with the texts' terms it stands for added after it, or as it was."""
        added = self.terms(question)
        return f"{question} ({'; '.join(added)})" if added else question

    def abbreviations(self, token_only: bool = True) -> dict[str, str]:
        """Abbreviation → its written-out form (the first term), for the lexical index."""
        return {
            word: entry.terms[0]
            for entry in self.entries
            if entry.token or not token_only
            for word in entry.words
            if _ABBREVIATION.fullmatch(word)
        }


def _same_accents(typed: list[str], folded: list[str], written: tuple[str, ...]) -> bool:
    """Each syllable typed with the word's accents, or typed without any (a question typed
    without accents matches every word of two syllables or more): "quy định" is not
    "quỹ đình", though both fold to "quy dinh"; a lone unaccented syllable is too ambiguous."""
    if len(written) == 1:
        return typed[0] == written[0]
    return all(t in (w, f) for t, f, w in zip(typed, folded, written))


def _typed_as_abbreviation(text: str, span: tuple[int, int], typed: str) -> bool:
    """Capitals, or lower case of three letters or more; never part of a document number."""
    a, b = span
    if (a > 0 and text[a - 1] in "-/") or (b < len(text) and text[b : b + 1] in ("-", "/")):
        return False
    return typed.upper() == typed or len(typed) >= 3


@lru_cache(maxsize=1)
def builtin_entries() -> tuple[Entry, ...]:
    """The project's vocabulary (`vocabulary.tsv`); its problems are bugs, so they raise."""
    entries, problems = parse(DATA_FILE.read_text(encoding="utf-8"), DATA_FILE.name)
    if problems:
        raise ValueError("; ".join(problems))
    return tuple(entries)


def token_abbreviations() -> dict[str, str]:
    """The abbreviations the lexical index keeps as one token (`token` lines), abbreviation →
    its words in lower case, in the file's order: `lexical.CURATED_ABBREVIATIONS`."""
    return {
        word: entry.terms[0].lower()
        for entry in builtin_entries()
        if entry.token
        for word in entry.words
        if _ABBREVIATION.fullmatch(word)
    }


def unit_file(vocabulary_file: Path | None, documents_dir: Path | None) -> Path | None:
    """The unit's own words: `VOCABULARY_FILE`, else `tu-vung.tsv` in `DOCUMENTS_DIR` when there."""
    if vocabulary_file is not None:
        return vocabulary_file
    if documents_dir is not None and (documents_dir / UNIT_FILE_NAME).is_file():
        return documents_dir / UNIT_FILE_NAME
    return None


def load(extra: Path | None = None) -> Vocabulary:
    """The project's vocabulary plus the unit's file, read again when that file changes."""
    stamp = None
    if extra is not None:
        try:
            stat = extra.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError as exc:
            log.warning("vocabulary file %s unreadable (%s): the built-in vocabulary alone is used", extra, exc)
            extra = None
    return _load(extra, stamp)


@lru_cache(maxsize=4)
def _load(extra: Path | None, stamp: tuple[int, int] | None) -> Vocabulary:
    entries = list(builtin_entries())
    if extra is not None:
        try:
            text = extra.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("vocabulary file %s unreadable (%s): the built-in vocabulary alone is used", extra, exc)
            return Vocabulary(entries)
        own, problems = parse(text, str(extra))
        for problem in problems:
            log.warning("vocabulary line skipped: %s", problem)
        # The unit's abbreviations never become index tokens: that would need a re-ingestion.
        entries += [Entry(e.words, e.terms, False, e.note) for e in own]
        log.info("vocabulary: %d entries of the unit's own from %s", len(own), extra)
    return Vocabulary(entries)


def unit_vocabulary(vocabulary_file: Path | None, documents_dir: Path | None) -> Vocabulary:
    """The vocabulary for these settings (`VOCABULARY_FILE`, `DOCUMENTS_DIR`); cached, so a
    question costs a stat of the unit's file."""
    return load(unit_file(vocabulary_file, documents_dir))
