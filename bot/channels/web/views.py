"""Records → what the web templates show: an answer in reading order, with every cited passage
and the sentences it quotes marked, so that a template only lays them out.

Pure functions of the records and the registry (no I/O): the text comes from `render.text.blocks`
and `bot.wording`, as every other channel's does; the only thing added is where, in a source's
passage, the sentences the answer quotes from it are (for `<mark>`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import wording
from bot.answering.answer import Answer, Source
from bot.answering.card import DirectiveCard, directive_card
from bot.answering.lookup import Resolution, article_citation, article_text
from bot.core.assistant import directive_key
from bot.render.text import Block, blocks, numbers, source_groups
from ingest.registry import Directive, Registry

_MARK = re.compile(r"\[(\d{1,3})\]")  # a citation mark inside a generated text


@dataclass(frozen=True)
class Piece:
    """A run of text; `n` set when it is a citation mark, `marked` when the answer quotes it."""

    text: str
    n: int | None = None
    marked: bool = False


@dataclass(frozen=True)
class QuoteView:
    text: str
    n: int


@dataclass(frozen=True)
class GroupView:
    """Quotations from one document, under whom they are from."""

    according: str
    lead: str | None
    quotes: tuple[QuoteView, ...]


@dataclass(frozen=True)
class SourceView:
    """A cited passage as the citation panel shows it."""

    n: int
    line: str  # the source line every channel writes
    citation: str | None  # "Điều 12, khoản 1, Luật … (10/2022/QH15), hiệu lực từ …" for a legal article
    heading: str  # a legal passage's heading line, shown apart from its body
    body: tuple[Piece, ...]  # the passage, the quoted sentences `marked`
    url: str | None  # only a link the metadata holds
    card: DirectiveCard | None  # the document's card, when the registry knows the document
    card_key: str | None  # its page in the library (`directive_key`)
    doc_id: str


@dataclass(frozen=True)
class AnswerView:
    question: str
    answer_id: str | None
    found: bool | None
    intro: tuple[Block, ...]  # suggestion, message, cards, notes: read before the answer's quotations
    shorts: tuple[Block, ...]  # one per clause a compound question asks
    generated: tuple[Piece, ...]
    groups: tuple[GroupView, ...]
    sources: tuple[SourceView, ...]
    source_lines: tuple[tuple[str, str, int], ...]  # ("[1]–[3]", line, first n) per document cited
    related: str | None
    gap_notice: bool


def answer_view(answer: Answer, answer_id: str | None, registry: Registry, gap_notice: bool = False) -> AnswerView:
    """The answer laid out: its blocks, grouped as the templates show them, and its sources."""
    intro: list[Block] = []
    shorts: list[Block] = []
    generated: tuple[Piece, ...] = ()
    groups: list[GroupView] = []
    for b in blocks(answer):
        if b.kind == "short":
            shorts.append(b)
        elif b.kind == "generated":
            generated = tuple(marks(b.text))
        elif b.kind == "according":
            groups.append(GroupView(b.text, None, ()))
        elif b.kind == "list" and groups:
            groups[-1] = GroupView(groups[-1].according, b.text, groups[-1].quotes)
        elif b.kind == "quote" and groups and b.n is not None:
            last = groups[-1]
            groups[-1] = GroupView(last.according, last.lead, (*last.quotes, QuoteView(b.text, b.n)))
        else:
            intro.append(b)
    quoted: dict[int, list[str]] = {}
    for group in answer.groups:
        for q in group.quotes:
            quoted.setdefault(q.source, []).append(q.text)
    sources = tuple(source_view(s, quoted.get(s.n, []), registry) for s in answer.sources)
    lines = tuple((numbers(g), wording.source_line(g[0]), g[0].n) for g in source_groups(answer.sources))
    return AnswerView(
        question=answer.question,
        answer_id=answer_id,
        found=answer.found,
        intro=tuple(intro),
        shorts=tuple(shorts),
        generated=generated,
        groups=tuple(groups),
        sources=sources,
        source_lines=lines,
        related=wording.related(answer.related) if answer.related and answer.sources else None,
        gap_notice=gap_notice,
    )


def marks(text: str) -> list[Piece]:
    """A generated text cut at its citation marks ("… [2] …" → text, mark 2, text)."""
    out: list[Piece] = []
    at = 0
    for m in _MARK.finditer(text):
        if m.start() > at:
            out.append(Piece(text[at : m.start()]))
        out.append(Piece(m.group(0), n=int(m.group(1))))
        at = m.end()
    if at < len(text):
        out.append(Piece(text[at:]))
    return out


def source_view(source: Source, quotes: list[str], registry: Registry) -> SourceView:
    start = source.body_start
    heading, body = source.text[:start].strip(), source.text[start:]
    document = document_of(source, registry)
    return SourceView(
        n=source.n,
        line=wording.source_line(source),
        citation=source.legal.citation() if source.legal else None,
        heading=heading,
        body=tuple(highlight(body, quotes)),
        url=source.facts.url,
        card=directive_card(document) if document else None,
        card_key=directive_key(document) if document else None,
        doc_id=source.doc_id,
    )


def document_of(source: Source, registry: Registry) -> Directive | None:
    """The registry's entry for the document a source is from: the legal text an article belongs
    to, or the directive whose own text the document is; None for an article or a news item."""
    if source.legal is not None:
        ref = source.legal.source.ref
        return next((d for d in registry.directives if d.ref == ref and d.primary), None)
    return next((d for d in registry.directives if d.primary and d.primary.doc_id == source.doc_id), None)


def highlight(text: str, quotes: list[str]) -> list[Piece]:
    """`text` cut into pieces, those the quotations repeat `marked`. A quotation is found with
    any run of spaces standing for its spaces (a passage keeps its line breaks, a quote does not);
    one not found verbatim is not marked rather than guessed at."""
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        words = quote.split()
        if not words:
            continue
        m = re.search(r"\s+".join(map(re.escape, words)), text)
        if m:
            spans.append(m.span())
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out: list[Piece] = []
    at = 0
    for start, end in merged:
        if start > at:
            out.append(Piece(text[at:start]))
        out.append(Piece(text[start:end], marked=True))
        at = end
    if at < len(text):
        out.append(Piece(text[at:]))
    return out


@dataclass(frozen=True)
class LookupView:
    """A lookup as the page shows it: one directive's card (and the article asked), the
    candidates of an ambiguous number, or what is missing."""

    query: str
    card: DirectiveCard | None
    card_key: str | None
    citation: str | None  # what the copy button copies: the article's citation, else the card's title
    article_heading: str
    article_body: str
    message: str | None  # an article the document lacks, a number the library never cites
    choices: str | None
    candidates: tuple[tuple[DirectiveCard, str], ...]


def lookup_view(result: Resolution) -> LookupView:
    document = result.directives[0] if len(result.directives) == 1 else None
    card = directive_card(document) if document else None
    heading, body = "", ""
    citation = card.summary if card else None
    message = None
    if result.missing_article:
        message, citation = result.article_message(), None
    elif result.article is not None and result.found:
        text = article_text(result)
        heading, _, body = text.partition("\n\n")
        citation = article_citation(result) or citation
    elif not result.found and not result.candidates:
        message = wording.lookup_absent(result.query)
    return LookupView(
        query=result.query,
        card=card,
        card_key=directive_key(document) if document else None,
        citation=citation,
        article_heading=heading,
        article_body=body,
        message=message,
        choices=wording.lookup_choices(result.query, len(result.candidates)) if result.candidates else None,
        candidates=tuple((directive_card(d), directive_key(d)) for d in result.candidates),
    )
