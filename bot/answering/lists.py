"""Whole lists: a question about tasks, solutions, limitations, forms, rights, prohibited
acts, steps or contents gets every item the source states, in order, and their number.

Official prose states a list in one of two ways: a lead-in ending with ":" and
items as the paragraphs that follow, each with its marker ("(1)", "1.", "a)",
"-"); or a lead-in and its items in the same paragraph, separated by ";" and
".". A list may run over several chunks of its document, so the document is
read whole. Hand-written: these are the layouts of Vietnamese official texts,
which no library parses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.language.normalize import fold
from ingest.language.sentences import paragraph_spans
from ingest.models import Passage

# What people ask a list of (folded). "quyền" but not "chính quyền" / "thẩm quyền".
_LIST_WORD = re.compile(
    r"\b(?:nhiem vu|giai phap|han che|ton tai|yeu kem|hinh thuc|(?<!chinh )(?<!tham )quyen|nghia vu|"
    r"hanh vi|nghiem cam|buoc|(?<!ve )noi dung|muc tieu|bien phap|yeu cau|trach nhiem|nguyen tac|kho khan|"
    r"tieu chi|ket qua|uu diem|nguyen nhan)\b"
)
# A question that names a list with a plural or a number asks for all of it.
_ITEM = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}[.)]|[a-zđ]\)|[-–+•])\s*")
MAX_ITEM = 900
MAX_ITEMS = 30


@dataclass(frozen=True)
class Item:
    text: str
    passage: Passage


@dataclass(frozen=True)
class FoundList:
    lead: Item
    items: tuple[Item, ...]
    label: str  # the list's name as the question types it ("nhiệm vụ, giải pháp")


def asked_label(question: str) -> str | None:
    """The list a question asks for, as typed ("nhiệm vụ, giải pháp", "hạn chế"), or None."""
    words = question.split()
    folded = [fold(w).strip(",.?!:;") for w in words]
    text = " ".join(folded)
    found = list(_LIST_WORD.finditer(text))
    if not found:
        return None
    start = text[: found[0].start()].count(" ")
    end = text[: found[-1].end()].count(" ") + 1
    if end - start > 6:  # list words far apart: the last names the list ("nội dung … có hạn chế gì")
        start = text[: found[-1].start()].count(" ")
    return " ".join(words[start:end]).strip(",.?!:;")


def _words_of(label: str) -> set[str]:
    return {m[0] for m in _LIST_WORD.finditer(fold(label))}


def find_list(
    question: str,
    documents: list[str],
    chunks_of: Callable[[str], list[Passage]],
    coverage: Callable[[str], float],
) -> FoundList | None:
    """The list in these documents (best first) whose lead-in names what the question asks
    for and covers most of its words; None when none does."""
    label = asked_label(question)
    if label is None:
        return None
    wanted = _words_of(question)
    best: tuple[float, int, FoundList] | None = None
    for rank, doc_id in enumerate(documents):
        paragraphs = [
            (" ".join(chunk.text[s.start : s.end].split()), chunk)
            for chunk in chunks_of(doc_id)
            for s in paragraph_spans(chunk.text)
        ]
        for i, (text, chunk) in enumerate(paragraphs):
            head, colon, rest = text.partition(":")
            if not colon or not wanted & _words_of(head):
                continue
            if rest.strip():
                items = [Item(x, chunk) for x in _inline_items(rest)]
            else:
                items = _following_items(paragraphs[i + 1 :])
            if len(items) < 2:
                continue
            lead = Item(text if not rest.strip() else head + ":", chunk)
            score = coverage(head)
            if best is None or (score, -rank) > (best[0], best[1]):
                best = (score, -rank, FoundList(lead, tuple(items[:MAX_ITEMS]), label))
    return best[2] if best else None


def _inline_items(rest: str) -> list[str]:
    """Items in the lead-in's own paragraph: its sentences and ";"-clauses."""
    parts = [p.strip() for p in re.split(r"(?<=[.;])\s+", rest.strip())]
    return [_trimmed(p) for p in parts if len(p) > 3]


def _following_items(paragraphs: list[tuple[str, Passage]]) -> list[Item]:
    """The paragraphs after a lead-in that carry an item marker, up to the first that does not."""
    items: list[Item] = []
    for text, chunk in paragraphs:
        if not _ITEM.match(text):
            break
        items.append(Item(_trimmed(text), chunk))
    return items


def numbered_count(paragraphs: list[str]) -> int:
    """How many numbered items ("1.", "(1)") a legal article's paragraphs hold."""
    return sum(1 for p in paragraphs if re.match(r"^\(?\d{1,2}[.)]", p.strip()))


def _trimmed(text: str) -> str:
    """An item whole, or its first sentences up to MAX_ITEM characters and "…"."""
    if len(text) <= MAX_ITEM:
        return text
    cut = text[:MAX_ITEM]
    end = max(cut.rfind(". "), cut.rfind("; "))
    return (cut[: end + 1] if end > MAX_ITEM // 3 else cut.rsplit(" ", 1)[0]) + " …"
