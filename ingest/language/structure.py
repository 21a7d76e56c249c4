"""Where a passage sits in a document: Phần, Chương, Mục, Điều, khoản, điểm.

People cite official texts by their structure ("Điều 5, khoản 2", "mục 2"),
so each chunk records the headings in force where it starts, and answers
name it beside the source. Headings are recognized at the start of a
paragraph only:

- "Phần thứ hai", "Chương II", "Mục 3", "Điều 5." as written;
- "I.", "II-" (Party documents' parts) → "mục I";
- "1.", "2-" → "khoản 1" inside an Điều, else "mục 1" (or "mục II.1" under "II.");
- "a)" → "điểm a".
"""

from __future__ import annotations

import re

# (level, kind, pattern); a heading clears every deeper level.
_HEADINGS: list[tuple[int, str, re.Pattern[str]]] = [
    (0, "Phần", re.compile(r"(?:Phần|PHẦN)\s+(?P<n>(?:thứ|THỨ)\s+\w+|[IVXLC]+\b|\d+\b)")),
    (1, "Chương", re.compile(r"(?:Chương|CHƯƠNG)\s+(?P<n>[IVXLC]+|\d+)\b")),
    (2, "Mục", re.compile(r"(?:Mục|MỤC)\s+(?P<n>[IVXLC]+|\d+)\b")),
    (2, "roman", re.compile(r"(?P<n>[IVX]{1,5})\s*[.\-–]\s+\S")),
    (3, "Điều", re.compile(r"(?:Điều|ĐIỀU)\s+(?P<n>\d+)\s*[.:]")),
    (4, "number", re.compile(r"(?P<n>\d{1,2})\s*[.\-–]\s+[^\d\s]")),
    (5, "điểm", re.compile(r"(?P<n>[a-zđ])\)\s+\S")),
]
# Levels a short passage must not be merged across (chunking keeps them apart).
SECTION_LEVEL = 3


def heading(paragraph: str) -> tuple[int, str, str] | None:
    """(level, kind, number) when the paragraph opens with a structural heading."""
    for level, kind, pattern in _HEADINGS:
        if m := pattern.match(paragraph):
            return level, kind, m["n"]
    return None


def label(open_headings: dict[int, tuple[str, str]]) -> str:
    """'Chương II, Điều 5, khoản 2, điểm a' or 'mục II.1' from the headings in force."""
    parts: list[str] = []
    roman = None
    for level in sorted(open_headings):
        kind, n = open_headings[level]
        if kind == "roman":
            roman = n
            parts.append(f"mục {n}")
        elif kind == "number":
            if 3 in open_headings:
                parts.append(f"khoản {n}")
            elif roman is not None:
                parts[-1] = f"mục {roman}.{n}"
            else:
                parts.append(f"mục {n}")
        elif kind == "điểm":
            parts.append(f"điểm {n}")
        else:
            parts.append(f"{kind} {n}")
    return ", ".join(parts)


def sections(paragraphs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """For paragraphs given as (offset, text) in order, (offset, label) wherever the label changes."""
    open_headings: dict[int, tuple[str, str]] = {}
    out: list[tuple[int, str]] = []
    for offset, text in paragraphs:
        found = heading(text)
        if found is None:
            continue
        level, kind, n = found
        open_headings = {k: v for k, v in open_headings.items() if k < level}
        open_headings[level] = (kind, n)
        out.append((offset, label(open_headings)))
    return out


def section_at(marks: list[tuple[int, str]], offset: int) -> str:
    """The label in force at `offset` ('' before the first heading)."""
    current = ""
    for start, text in marks:
        if start > offset:
            break
        current = text
    return current
