"""Clean a scraped article page (saved as text) down to the article itself.

The two seed articles were saved as plain text with the site around them: the
title repeated, a "published / views" header, the author's signature, "related
articles" link lists, footers and visitor counters. HTML main-content
extractors (trafilatura and the like) need the markup, which is gone, so this
is a small rule set for the text form. It never rewrites a kept line: the body
stays verbatim, one paragraph per non-blank line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_BLANK = re.compile(r"^[\s\u00a0\u200b]*$")
# "2018-07-31 10:52:26 Số lượt xem 3220"
_HEADER = re.compile(
    r"^\s*(?P<ts>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)\s*(?:Số lượt xem\s*(?P<views>[\d.,]+))?\s*$"
)
# Where the page around the article starts: link lists, widgets, footers.
_TAIL_MARKERS = re.compile(
    r"^\s*(Bài viết khác|Các bài mới nhất|Tin liên quan|Tin cùng chuyên mục|Video|"
    r"Thống kê truy cập|Website Ban Dân [Vv]ận.*|©.*|Hôm nay\s*\d.*|Đang online\s*\d.*)\s*$"
)
# "Đ/c Vương Quang Hưng - Phó Trưởng Ban Dân vận"
_SIGNATURE_DC = re.compile(r"^\s*Đ/c\s+(?P<name>[^-–]+?)\s*[-–]\s*(?P<role>.+?)\s*$")
_UPPER_NAME = re.compile(r"^[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ ]+$")


@dataclass(frozen=True)
class ScrapedArticle:
    title: str | None
    body: str  # paragraphs separated by one blank line, each line verbatim
    author: str | None
    author_role: str | None
    published_at: dt.datetime | None
    views: int | None


def _name_case(upper: str) -> str:
    return " ".join(part.capitalize() for part in upper.split())


def clean_scrape(raw: str) -> ScrapedArticle:
    """Split a scraped page into title, body, signature and header facts."""
    lines = [line.rstrip("\n\r") for line in raw.splitlines()]
    published_at: dt.datetime | None = None
    views: int | None = None

    content = [line for line in lines if not _BLANK.match(line)]
    if content and (m := _HEADER.match(content[0])):
        published_at = dt.datetime.fromisoformat(m["ts"].replace("T", " "))
        views = int(re.sub(r"\D", "", m["views"])) if m["views"] else None
        content = content[1:]

    # The title is the opening line when the page repeats it; a page without
    # a repeated first line has no title line (the Bắc Ninh scrape).
    title = None
    if content and sum(1 for line in content if line.strip() == content[0].strip()) > 1:
        title = content[0].strip()
        content = [line for line in content if line.strip() != title]

    for i, line in enumerate(content):
        if _TAIL_MARKERS.match(line):
            content = content[:i]
            break

    author = author_role = None
    if content and (m := _SIGNATURE_DC.match(content[-1])):
        author, author_role = m["name"].strip(), m["role"].strip()
        content = content[:-1]
    elif len(content) >= 2 and _UPPER_NAME.match(content[-2].strip()):
        author, author_role = _name_case(content[-2].strip()), content[-1].strip()
        content = content[:-2]

    paragraphs = [line.strip(" \u00a0\t") for line in content]
    return ScrapedArticle(
        title=title,
        body="\n\n".join(p for p in paragraphs if p),
        author=author,
        author_role=author_role,
        published_at=published_at,
        views=views,
    )
