"""Paragraphs, sentences and clauses of Vietnamese official prose, as spans.

Spans rather than strings, so that what users see is cut out of the text as
written. Written here rather than taken from a sentence splitter (NLTK,
pyvi) because those do not know Vietnamese abbreviations ("TP.", "Đ/c"),
dates ("06/7/2016"), decimal numbers ("8.331") and numbered items ("(2)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_UPPER = "A-ZÀ-ỸĐ"
# A sentence ends at . ! ? … (with closing quotes or brackets after it) when
# the next word starts a new sentence: upper case, an opening quote or a
# numbered item "(2)". "8.331", "06/7/2016" and "./." never match.
_SENTENCE_END = re.compile(rf"(?<=[.!?…])[\"”’)\]]*[ \t\u00a0]+(?=[\"“‘(]?[{_UPPER}0-9(])")
# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = re.compile(r"(?:\b(?:TP|Tp|ThS|TS|PGS|GS|BS|KS|Th|St|Đ/c|đ/c|v\.v)\.|\b[A-ZĐ]\.)$")
_CLAUSE_END = re.compile(r"(?<=[;:])[ \t\u00a0]+|(?<=,)[ \t\u00a0]+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def paragraph_spans(text: str) -> list[Span]:
    spans, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append(Span(start, m.start()))
        start = m.end()
    spans.append(Span(start, len(text)))
    return [s for s in (_trim(text, s) for s in spans) if s.end > s.start]


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _cut(text: str, span: Span, pattern: re.Pattern[str], check_abbrev: bool) -> list[Span]:
    pieces, start = [], span.start
    for m in pattern.finditer(text, span.start, span.end):
        if check_abbrev and _ABBREVIATIONS.search(text[max(start, m.start() - 8) : m.start()]):
            continue
        pieces.append(Span(start, m.start()))
        start = m.end()
    pieces.append(Span(start, span.end))
    return [p for p in (_trim(text, p) for p in pieces) if p.end > p.start]


def sentence_spans(text: str, span: Span | None = None) -> list[Span]:
    """Sentences of `text` (or of one span of it), as spans."""
    return _cut(text, span or Span(0, len(text)), _SENTENCE_END, check_abbrev=True)


_SEMICOLON = re.compile(r"(?<=;)[ \t\u00a0]+")


def clause_spans(text: str, span: Span) -> list[Span]:
    """A long sentence's clauses, cut after each semicolon (enumerations in official prose)."""
    return _cut(text, span, _SEMICOLON, check_abbrev=False)


def split_sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


def comma_clause_spans(text: str, span: Span) -> list[Span]:
    """A sentence cut after every semicolon, colon and comma: the last resort before cutting words."""
    return _cut(text, span, _CLAUSE_END, check_abbrev=False)
