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

from bot.answering import short_answer
from bot.answering.items import MARK
from ingest.language.legal import body_start
from ingest.language.normalize import fold
from ingest.language.sentences import paragraph_spans
from ingest.models import Passage

# What people ask a list of (folded). "quyền" but not "chính quyền" / "thẩm quyền".
_LIST_WORD = re.compile(
    r"\b(?:nhiem vu|giai phap|han che|ton tai|yeu kem|hinh thuc|(?<!chinh )(?<!tham )quyen|nghia vu|"
    r"hanh vi|nghiem cam|buoc|(?<!ve )noi dung|muc tieu|bien phap|yeu cau|trach nhiem|nguyen tac|kho khan|"
    r"tieu chi|ket qua|uu diem|nguyen nhan)\b"
)
_WHAT_ITEMS = re.compile(r"\bnhung (?:(viec|van de) )?(?:gi|nao)\b")
# The form of a list question whatever its noun: a plural and a few words before "nào" / "gì"
# ("những trường hợp nào", "các điều kiện gì", "gồm những thành phần nào"); "j" is how "gì" is texted.
# "nào" closes a noun phrase, however long ("những mảng công tác dân vận nào"); "gì" may close a
# verb's ("các cấp ủy phải làm gì"), so only a short one.
_PLURAL_WHICH = re.compile(
    r"\b(?:nhung|cac) ((?:(?!(?:do|cua|o|tai|voi|cho|boi|tu|ve|thuoc) )\w+ ){0,4}\w+) nao\b"  # no "do cơ quan nào"
    r"|\b(?:nhung|cac) ((?:\w+ ){0,2}\w+) (?:gi|j)\b"
)
# A question that names a list with a plural or a number asks for all of it.
_ITEM = re.compile(rf"^{MARK}\s*")
_ITEM_KIND = re.compile(r"([a-zđ]\)\s)|(\(?\d{1,2}[.)]\s)|([-–+•]\s)")
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
        # "phải công khai những gì / những việc gì?": a list of contents, named by no list word
        if _WHAT_ITEMS.search(text):
            return "nội dung"
        if plural := _PLURAL_WHICH.search(text):  # its noun names the list, as a title or lead-in says it
            group = 1 if plural[1] else 2
            start = text[: plural.start(group)].count(" ")
            return " ".join(words[start : start + plural[group].count(" ") + 1]).strip(",.?!:;")
        return None
    if found[0][0] == "nghiem cam" and len(found) > 1:  # a verb: "nghiêm cấm những hành vi" lists "hành vi"
        found = found[1:]
    start = text[: found[0].start()].count(" ")
    end = text[: found[-1].end()].count(" ") + 1
    if end - start > 6:  # list words far apart: the last names the list ("nội dung … có hạn chế gì")
        start = text[: found[-1].start()].count(" ")
    return " ".join(words[start:end]).strip(",.?!:;")


def plural(question: str) -> bool:
    """Whether the question asks "những / các … nào / gì": many of something, not one."""
    return _PLURAL_WHICH.search(" ".join(fold(w).strip(",.?!:;") for w in question.split())) is not None


def asks_one(question: str) -> bool:
    """ "Cơ quan nào có trách nhiệm …" asks for one body or person, not a list of "trách nhiệm"."""
    return short_answer.kind(question) in ("which", "who") and not plural(question)


def item_kind(paragraph: str) -> str | None:
    """How a paragraph opens an item: "a)" a point, "1." a clause, "-" a dash; None for prose."""
    m = _ITEM_KIND.match(paragraph)
    return None if m is None else "point" if m[1] else "clause" if m[2] else "dash"


def _words_of(label: str) -> set[str]:
    return {m[0] for m in _LIST_WORD.finditer(fold(label))}


def title_names(label: str, title: str) -> bool:
    """Whether an article's title names the list asked for: the label itself ("nội dung" in
    "Những nội dung … phải công khai"), or each of its list words in any order ("nghiêm cấm
    những hành vi" and "Các hành vi bị nghiêm cấm …")."""
    words = _words_of(label)
    named = re.search(rf"\b{re.escape(fold(label))}\b", fold(title)) is not None  # whole words: not "thi hành việc"
    return named or bool(words) and words <= _words_of(title)


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


_NUMBER = re.compile(r"^\(?(\d{1,2})[.)]\s")  # "1.", "(1)", "1)": an article's clauses
_LETTER = re.compile(r"^([a-zđ])\)\s")  # "a)", "đ)": points, a list of their own when no clause is numbered
_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the order of points in Vietnamese legal texts


@dataclass(frozen=True)
class Count:
    """How many items of an article's list an answer quotes, and how many the article has."""

    quoted: int
    total: int | None  # the article's items; None when its passages are not all known
    from_first: bool  # the quoted items are the list's first ones, in order, none skipped

    @property
    def whole(self) -> bool:
        """Every item of the article's list is quoted: only then may an answer say "đủ"."""
        return self.from_first and self.total == self.quoted


def _positions(paragraphs: list[str], numbered: bool) -> list[int]:
    """The list position (1-based) of each paragraph that opens a top-level item."""
    out = []
    for p in paragraphs:
        m = (_NUMBER if numbered else _LETTER).match(p.strip())
        if m:
            out.append(int(m[1]) if numbered else _LETTERS.find(m[1]) + 1)
    return out


def article_count(quoted: list[str], article: list[str] | None) -> Count | None:
    """The count of the items quoted (paragraphs) out of the article's (all its paragraphs,
    None when unknown); numbered clauses when it has any, else its lettered points.
    None when the quote holds no item. An item numbered 14 quoted alone is 1 of 14, not 1 whole list."""
    every = article if article is not None else quoted
    numbered = any(_NUMBER.match(p.strip()) for p in every)
    found = _positions(quoted, numbered)
    if not found:
        return None
    total = len(_positions(article, numbered)) if article is not None else None
    return Count(len(found), total, found == list(range(1, len(found) + 1)))


def _trimmed(text: str) -> str:
    """An item whole, or its first sentences up to MAX_ITEM characters and "…"."""
    if len(text) <= MAX_ITEM:
        return text
    cut = text[:MAX_ITEM]
    end = max(cut.rfind(". "), cut.rfind("; "))
    return (cut[: end + 1] if end > MAX_ITEM // 3 else cut.rsplit(" ", 1)[0]) + " …"


# How close to the best a passage must rank to answer first when its article's title names the
# list asked and the best one's does not: the people-style dev set gives the same from 0.8 to 0.95;
# 0.8 lets a contents article at 0.82 of the best answer "… được tham gia ý kiến những việc gì?".
FACET_SCORE = 0.8
# … among this many passages after the best.
FACET_WINDOW = 3


def facet_first(question: str, passages: list[Passage]) -> list[Passage]:
    """The passages, with the first of the next FACET_WINDOW whose article's title names the list the
    question asks for ("những việc gì": "Những nội dung người lao động bàn và quyết định")
    moved first, when the best one's title does not ("Hình thức người lao động bàn và quyết
    định") and it ranks nearly as high in the same document: a law gives each subject its
    articles of contents, forms and responsibilities, which share the subject's words."""
    label = asked_label(question)
    top = passages[0] if passages else None
    if not label or top is None or top.legal is None or _opens_with(label, top.legal.article_title):
        return passages
    typed = _WHAT_ITEMS.search(fold(question))  # "những việc gì" read as "nội dung": "Những việc … không được làm"
    if typed and typed[1] and re.match(rf"(?:nhung|cac) {typed[1]}\b", fold(top.legal.article_title)):
        return passages
    if top.score <= 0:
        return passages  # a reranker's scores: no ratio to read
    for i, p in enumerate(passages[1 : 1 + FACET_WINDOW], start=1):
        if (
            p.doc_id == top.doc_id
            and p.legal is not None
            and (p.legal.chapter, p.legal.section) == (top.legal.chapter, top.legal.section)  # the same setting
            and p.score >= FACET_SCORE * top.score
            and _opens_with(label, p.legal.article_title)
        ):
            return [p, *passages[:i], *passages[i + 1 :]]
    return passages


def _opens_with(label: str, title: str) -> bool:
    """Whether a title is the list's own ("Những nội dung …", "Các hành vi …"), not one that names
    it in passing ("Đề xuất nội dung để …", "Trách nhiệm … các nội dung, công việc")."""
    head = re.sub(r"^(?:nhung|cac)\s+", "", fold(title))
    return re.match(rf"{re.escape(fold(label))}\b", head) is not None


@dataclass(frozen=True)
class Article:
    """The passages of one legal article, in order."""

    passages: list[Passage]
    complete: bool  # every passage of the article: its list's length is known


def article_of(retrieved: list[Passage], chunks_of: Callable[[str], list[Passage]] | None, whole: bool) -> Article:
    """The passages of the first retrieved passage's article, in order: from its document
    when `chunks_of` is given, else those retrieved, which are the whole article only when
    the article itself was asked for (`whole`). Passages of one article share its place."""
    top = retrieved[0] if retrieved else None
    if top is None or top.legal is None:
        return Article([], False)
    place = top.legal
    candidates = chunks_of(top.doc_id) if chunks_of is not None else sorted(retrieved, key=lambda p: p.position)
    same = [
        p
        for p in candidates
        if p.doc_id == top.doc_id
        and p.legal is not None
        and (p.legal.source.ref, p.legal.article, p.legal.code) == (place.source.ref, place.article, place.code)
    ]
    if not any(p.chunk_id == top.chunk_id for p in same):
        return Article([top], False)
    return Article(same, chunks_of is not None or whole)


def bodies(article: list[Passage]) -> list[str]:
    """An article's paragraphs after each passage's heading line, one line each."""
    return [
        " ".join(p.text[s.start : s.end].split())
        for p in article
        for s in paragraph_spans(p.text)
        if s.start >= body_start(p.text)
    ]


def lead_ins(article: list[Passage]) -> list[str]:
    """The paragraphs of an article that open a list ("1. Các hình thức lấy ý kiến Nhân dân bao
    gồm:"): where an article says what its items are when its title does not."""
    return [p for p in bodies(article) if p.endswith(":")]


def has_items(article: list[Passage]) -> bool:
    """Whether an article states a list: numbered clauses or lettered points."""
    return article_count(bodies(article), None) is not None


def quoted_count(quoted: list[str], article: Article) -> tuple[int | None, int | None]:
    """How many items of the article's list the quoted paragraphs hold, and of how many when
    not all: (n, None) for the whole list, (n, m) for part of a list of m, (None, None) when
    they hold no item or part of a list of unknown length, of which no count may be claimed."""
    every = bodies(article.passages) if article.complete else None
    if any(_NUMBER.match(p) and p.endswith(":") for p in every or quoted):
        # a clause opens a list of its own ("1. … bao gồm:" and its points): the clauses are
        # not the items asked for (Điều 12 of Nghị định 61: its cases, then what the UBND does)
        return None, None
    count = article_count(quoted, every)
    if count is None:
        return None, None
    if count.whole:
        return count.quoted, None
    return (count.quoted, count.total) if count.total else (None, None)
