"""The Bộ Pháp điển's format: recognise it, repair it, split it into articles.

A Pháp điển đề mục interleaves the articles of several legal texts by subject.
Each article is headed `Điều 44.13.LQ.12. <title>`; the note under the heading
states its original number and source document:
`(Điều 12 Luật số 10/2022/QH15 Luật thực hiện dân chủ ở cơ sở ngày 10/11/2022
của Quốc hội, có hiệu lực thi hành kể từ ngày 01/07/2023)`; later notes of the
same document are shorter. `(Điều này có nội dung liên quan đến …)` lists
related articles; `Chương I` / `Mục 1` lines, each with its title on the next
line, open chapters and sections; `## Danh sách điều khoản` starts an index of
codes and titles, not text. Written here: no library reads this format.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ingest.language.citations import parse_citations
from ingest.language.legal import LegalPlace, LegalSource
from ingest.language.patterns import SLASH_DATE

INDEX_HEADING = "## Danh sách điều khoản"
_CODE = r"\d+\.\d+\.[A-ZĐ]{1,3}(?:\.\d+)+"
_HEADING = re.compile(rf"^[ \t]*Điều (?P<code>{_CODE})\.[ \t]*(?P<title>[^\n]*)$", re.M)
# A heading glued to the end of the previous paragraph, as some pages publish it.
# Right after any character ("…CHỦĐiều 44.13…"), or after a sentence's end and a space; never after
# "; " or "đến ", which separate the entries of a "liên quan đến" note.
_GLUED = re.compile(rf"(?:(?<=[.!?)”\"…])[ \t]?|(?<=\S))(?=Điều {_CODE}\.[ \t])")
_RELATED_CODE = re.compile(rf"Điều ({_CODE})\.")
_CHAPTER = re.compile(r"^(Chương|Mục) ([IVXLC]+|\d+)[ \t]*$", re.M)
# A chapter mark glued to the end of an article's last sentence ("… toàn dân tộc.Chương II", as
# the Pháp điển's page writes five of them): its own line, or the chapter goes unseen.
_GLUED_CHAPTER = re.compile(r"(?<=[.!?)”\"…;:])[ \t]?(?=(?:Chương|Mục) (?:[IVXLC]+|\d+)[ \t]*$)", re.M)
_RELATED = re.compile(r"^\(Điều này có nội dung liên quan đến [^\n]*\)[ \t]*$", re.M)
_NOTE_HEAD = re.compile(r"^\(Điều (?P<n>\d+)\w* ")
_IN_FORCE = re.compile(rf"có hiệu lực thi hành kể từ ngày ({SLASH_DATE})")
_DOC = re.compile(r"^(?P<type>.+?) số (?P<joint>liên tịch )?(?P<ref>\S+?),?(?: (?P<rest>.*))?$", re.S)
_DATED = re.compile(rf"^(?P<name>.*) ?ngày (?P<date>{SLASH_DATE}) của (?P<issuer>.+)$", re.S)
# Symbols that name their issuer. A note's "của …" may name the ministry that keeps the
# đề mục instead (NĐ 61/2023/NĐ-CP "của Bộ Văn hóa, Thể thao và Du lịch"); the symbol is certain.
_SYMBOL_ISSUER = (
    (re.compile(r"/NĐ-CP$"), "Chính phủ"),
    (re.compile(r"/(?:QĐ|CT)-TTg$"), "Thủ tướng Chính phủ"),
    (re.compile(r"/QH\d*$"), "Quốc hội"),
)


def is_phapdien(text: str) -> bool:
    """Whether a text is a Pháp điển page: several coded article headings, each with its note."""
    heads = list(_HEADING.finditer(text[:200_000]))
    return len(heads) >= 2 and sum(text[h.end() : h.end() + 12].lstrip().startswith("(Điều ") for h in heads) >= 2


def prepare(text: str) -> str:
    """The page as text to index: the index section cut off, glued headings put on their own line."""
    cut = text.find(INDEX_HEADING)
    if cut != -1:
        text = text[:cut]
    return _GLUED_CHAPTER.sub("\n\n", _GLUED.sub("\n\n", text)).rstrip()


@dataclass(frozen=True)
class Article:
    """One article of a Pháp điển page: its place and where its text is in the page."""

    place: LegalPlace
    start: int  # the text after the note (the heading and the note are not repeated)
    end: int
    note: str = ""  # the note as written, where it names the document in full (see `_Heading.note`)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    d, m, y = (int(x) for x in value.split("/"))
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_note(note: str) -> tuple[int, LegalSource] | None:
    """(original article number, source document) from a note, or None when it is not one."""
    head = _NOTE_HEAD.match(note)
    if not head or not note.endswith(")"):
        return None
    inner = " ".join(note[head.end() : -1].split())
    force = _IN_FORCE.search(inner)
    doc_part = inner[: force.start()].rstrip(" ,") if force else inner
    amendment = inner[force.end() :].strip(" ,") if force else ""
    m = _DOC.match(doc_part)
    cites = parse_citations(doc_part)
    if not m or not cites:
        return None
    doc_type = m["type"].strip() + (" liên tịch" if m["joint"] else "")
    name = issuer = None
    date = None
    rest = (m["rest"] or "").strip()
    if dated := _DATED.match(rest):
        rest, date, issuer = dated["name"].strip(), _date(dated["date"]), dated["issuer"].strip()
    issuer = next((by for symbol, by in _SYMBOL_ISSUER if symbol.search(cites[0].ref)), issuer)
    if rest:
        if rest.casefold().startswith(doc_type.casefold()):  # "Luật thực hiện dân chủ ở cơ sở"
            name = doc_type + " " + rest[len(doc_type) :].strip()[:1].upper() + rest[len(doc_type) :].strip()[1:]
        else:  # "Quy định về …", "về xây dựng …": the subject
            name = f"{doc_type} {rest[:1].lower()}{rest[1:]}"
    source = LegalSource(
        type=doc_type,
        ref=cites[0].ref,
        name=name,
        date=date,
        issuer=issuer,
        in_force=_date(force[1]) if force else None,
        amendment=amendment or None,
    )
    return int(head["n"]), source


def _note_end(text: str, start: int) -> int:
    """The end of the parenthesised note opening at `start` (it may span lines, or have text glued after it)."""
    depth = 0
    for i in range(start, min(len(text), start + 2000)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return start


@dataclass(frozen=True)
class _Heading:
    """An article heading as found, before its document is known for certain."""

    code: str
    title: str
    number: int | None  # from its note
    source: LegalSource | None  # from its note
    start: int
    end: int
    related: tuple[str, ...]
    chapter: str | None
    section: str | None
    # the note as written where it gives the document's title or date (its first article's):
    # "(Điều 1 Thông tư số 67/2019/TT-BCA Quy định về … ngày 28/11/2019 của Bộ Công an, …)"
    note: str = ""


def _headings(text: str) -> list[_Heading]:
    heads = list(_HEADING.finditer(text))
    marks = list(_CHAPTER.finditer(text))
    found: list[_Heading] = []
    chapter = section = None
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        # a chapter or section line before the next heading ends this article …
        end = next((m.start() for m in marks if h.end() < m.start() < end), end)
        # … and the ones just before this heading open where it sits
        for m in marks:
            if (heads[i - 1].start() if i else -1) < m.start() < h.start():
                title = text[m.end() :].lstrip().split("\n", 1)[0].strip()
                label = f"{m[1]} {m[2]}" + (f". {title}" if title else "")
                chapter, section = (label, None) if m[1] == "Chương" else (chapter, label)
        start = h.end()
        while start < end and text[start] in " \t\n":
            start += 1
        number = source = None
        note = ""
        if text.startswith("(Điều ", start) and not text.startswith("(Điều này", start):
            note_end = _note_end(text, start)
            if note_end > start and (parsed := parse_note(text[start:note_end])):
                if parsed[1].name or parsed[1].date:
                    note = " ".join(text[start:note_end].split())
                (number, source), start = parsed, note_end
        related: list[str] = []
        body_end = end
        for rel in _RELATED.finditer(text, start, end):
            related += _RELATED_CODE.findall(rel.group())
            body_end = min(body_end, rel.start())
        found.append(
            _Heading(
                h["code"], h["title"].strip(), number, source, start, body_end, tuple(related), chapter, section, note
            )
        )
    return found


def articles(text: str) -> list[Article]:
    """Every article of a prepared page, in page order, with its source and place.

    An article whose note is missing takes its source from the other articles
    of the same document (the code's family: `35.4.NL.2` for `35.4.NL.2.1`)
    and its number from its position there. Headings of a document no note
    names are left out (they cannot be cited).
    """
    found = _headings(text)
    families: dict[str, LegalSource] = {}
    for h in found:
        if h.source is not None:
            family = h.code.rsplit(".", 1)[0]
            families[family] = families[family].merged(h.source) if family in families else h.source
    out: list[Article] = []
    for h in found:
        family, position = h.code.rsplit(".", 1)
        source = families.get(family)
        if source is None:
            continue
        start, end = h.start, h.end
        while start < end and text[start] in " \t\n":
            start += 1
        while end > start and text[end - 1] in " \t\n":
            end -= 1
        is_law = h.code.split(".")[2] == "LQ"  # the chapters are the law's; decrees sit inside them by subject
        place = LegalPlace(
            source=source,
            article=h.number if h.number is not None else int(position),
            article_title=h.title,
            chapter=h.chapter if is_law else None,
            section=h.section if is_law else None,
            code=h.code,
            related=h.related,
        )
        out.append(Article(place, start, end, h.note))
    return out


def sources(text: str) -> list[LegalSource]:
    """The distinct source documents of a page's articles, in order of first appearance."""
    seen: dict[str, LegalSource] = {}
    for a in articles(text):
        seen.setdefault(a.place.source.ref, a.place.source)
    return list(seen.values())
