"""What every short-answer cut is made of: the cut itself, the words a question holds its
frame with, the bounds written before a figure, and finding a question's words in a sentence.
Shared by `short_answer` (dates, verdicts), `bodies` (who acts, which body) and `counts` (numbers)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.language.normalize import fold

BOUND = re.compile(
    r"(?:không\s+(?:ít|nhiều)\s+hơn|không\s+quá|không\s+dưới|không\s+vượt\s+quá|tối\s+đa|tối\s+thiểu|"
    r"ít\s+nhất(?:\s+là)?|nhiều\s+nhất(?:\s+là)?|(?:chậm|sớm)\s+nhất(?:\s+là)?(?:\s+(?:sau|trước|trong))?|trên|dưới|hơn|gần|khoảng)\s+$",
    re.IGNORECASE,
)
STOP = {"cua", "va", "la", "o", "cac", "nhung", "duoc", "co", "khong", "thi", "nao", "gi", "ai", "voi", "cho", "ve"}


@dataclass(frozen=True)
class Cut:
    text: str
    verdict: str | None = None
    fit: int = 0  # how many words of the unit the question names the cut has ("05 thành viên")


def context_score(sentence: str, start: int, end: int, q_words: set[str], reach: int = 8) -> float:
    """The question's words near a figure, the nearest weighing most; those before it count
    double ("thu ngân sách đạt 8.331 tỷ đồng"), as official prose names a figure before stating it."""
    before = re.findall(r"\w+", fold(sentence[:start]))[-reach:][::-1]
    after = re.findall(r"\w+", fold(sentence[end:]))[:reach]
    score = sum(2 / d for d, w in enumerate(before, 1) if w in q_words)
    return score + sum(1 / d for d, w in enumerate(after, 1) if w in q_words)


def word_spans(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"[^\s,.;:()“”\"?!]+", text))


def fold_keep_case(text: str) -> str:
    """Diacritics removed, case kept, same length (for matching a folded noun before a Name)."""
    return "".join("d" if c == "đ" else "D" if c == "Đ" else unicodedata.normalize("NFD", c)[0] for c in text)


def find_run(words: list[str], seq: list[str], start: int) -> int | None:
    if not seq:
        return None
    for i in range(start, len(words) - len(seq) + 1):
        if words[i : i + len(seq)] == seq:
            return i
    return None


def aside_not_asked(sentence: str, m: re.Match[str], q_words: set[str]) -> bool:
    """A figure in brackets after the rule's own, with a case of its own ("07 ngày làm việc (15
    ngày làm việc đối với những việc có nội dung phức tạp)"), is a special case: no answer unless
    the question says two words of that case."""
    aside = next((a for a in re.finditer(r"\([^()]*\)", sentence) if a.start() <= m.start() < a.end()), None)
    if aside is None or not re.search(r"\d", sentence[: aside.start()]):
        return False
    case = fold(sentence[m.end() : aside.end()])
    if not _CASE.search(case):
        return False  # "95 xã (đạt 65,5%)": the same thing said another way, no case of its own
    said = re.findall(r"\w+", case)
    return not any(a in q_words and b in q_words for a, b in zip(said, said[1:]))


# Words a bracketed figure's own case opens with (folded): "(15 ngày đối với việc phức tạp)"
_CASE = re.compile(r"\b(?:doi voi|truong hop|neu|khi|rieng|voi)\b")


def digits(text: str) -> str:
    """The figures of a text alone: two cuts give the same figure when these are equal."""
    return re.sub(r"\D", "", text)
