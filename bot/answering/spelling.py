"""One-letter typos against the library's own vocabulary: "bao nhiu" → "bao nhiêu",
"nông thông mới" → "nông thôn mới".

A word is corrected when the library never writes it, or when neither of the
word pairs it makes with its neighbours occurs in the library while a word one
edit away makes them. The corrected question is only ever offered ("Có phải
đồng chí muốn hỏi …?") when the question as typed found nothing. Hand-written
(Norvig's edit-distance-1 candidates) because the vocabulary is the index's,
not a dictionary's: document numbers and abbreviations are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.language.normalize import fold, same_iy

MAX_CORRECTIONS = 2
# Questions are typed with words the documents seldom write: their pairs count as known.
_QUESTION_PAIRS = {
    "bao_nhieu", "bao_lau", "bao_gio", "khi_nao", "the_nao", "ra_sao", "la_gi", "nhu_the", "ngay_nao",
    "nam_nao", "co_quan", "o_dau", "vi_sao", "tai_sao", "lam_gi",
}  # fmt: skip
# Words a question is phrased with, which a small library may never write: never typos
# ("Có phải … không?" became "Có phát … phòng?" on the two seed articles).
_QUESTION_WORDS = {"khong", "phai", "chua", "hay", "nhung", "cac", "nao", "gi", "dau", "sao", "ai", "the", "nhe", "vay"}
_QUESTION_ACCENTS = {"nhieu": "nhiêu", "lau": "lâu", "gio": "giờ", "nao": "nào", "gi": "gì", "dau": "đâu"}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"\w+")


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return deletes | transposes | replaces | inserts


class Speller:
    """Corrections from an index vocabulary (its folded syllables and syllable pairs).
    `rarity`: a token's IDF, so that the commoner of two candidates wins."""

    def __init__(self, vocab: dict[str, int], rarity: Callable[[str], float]):
        self.syllables = {t for t in vocab if t.isascii() and t.isalpha()}
        self.pairs = {t for t in vocab if "_" in t and t.replace("_", "").isalpha() and t.isascii()} | _QUESTION_PAIRS
        self.syllables |= {w for pair in _QUESTION_PAIRS for w in pair.split("_")} | _QUESTION_WORDS
        self.accented: dict[str, str] = {}
        for t in sorted((t[1:] for t in vocab if t.startswith("~")), key=lambda a: rarity("~" + a)):
            self.accented.setdefault(fold(t), t)  # the commonest accented spelling of a folded syllable
        self.rarity = rarity

    def correct(self, question: str) -> str | None:
        """The question with its typos corrected, or None when there is none to correct."""
        matches = list(_WORD.finditer(question))
        folded = [same_iy(fold(m[0])) for m in matches]
        changed = 0
        out = question
        for i in reversed(range(len(matches))):  # from the end, so earlier offsets hold
            word = matches[i][0]
            if len(word) < 3 or not word.isalpha() or word.isupper() or any(c.isdigit() for c in word):
                continue
            fixed = self._fix(folded, i)
            if fixed is None:
                continue
            accented = _QUESTION_ACCENTS.get(fixed) if i and f"{folded[i - 1]}_{fixed}" in _QUESTION_PAIRS else None
            accented = accented or self.accented.get(fixed, fixed)
            if word[0].isupper():
                accented = accented[0].upper() + accented[1:]
            out = out[: matches[i].start()] + accented + out[matches[i].end() :]
            folded[i] = fixed
            changed += 1
        return out if 0 < changed <= MAX_CORRECTIONS else None  # more is another question, not a typo

    def _fix(self, folded: list[str], i: int) -> str | None:
        word = folded[i]
        before = folded[i - 1] if i > 0 else None
        after = folded[i + 1] if i + 1 < len(folded) else None

        def pairs_made(w: str) -> int:
            return sum(
                1 for p in (f"{before}_{w}" if before else "", f"{w}_{after}" if after else "") if p in self.pairs
            )

        if word in self.syllables and (pairs_made(word) or (before is None and after is None)):
            return None
        candidates = [c for c in _edits(word) if c in self.syllables and c != word]
        if word in self.syllables:
            # a real word, out of place: only a letter added or dropped ("thông" for "thôn"), not one
            # replaced ("cấp" is no slip for "các"), and only a candidate that fits both its neighbours
            candidates = [
                c for c in candidates if abs(len(c) - len(word)) == 1 and before and after and pairs_made(c) == 2
            ]
        if not candidates:
            return None
        return max(candidates, key=lambda c: (pairs_made(c), -self.rarity(c)))
