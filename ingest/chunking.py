"""Split documents into passages along paragraphs and sentences.

Chunks are spans of the original body, so what users see is exactly what the
corpus says; the normalized form is derived from the span. A paragraph that
fits stays whole (numbered items such as "(1) …" are paragraphs); a longer one
is cut between sentences, and a sentence longer than the limit between
clauses. Short paragraphs (a lead-in such as "… giải pháp sau:") join the
paragraph after them. Written here rather than taken from LangChain's
splitters because those measure in characters but do not know Vietnamese
abbreviations, dates and decimal numbers, and lose the spans.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ingest.language.citations import Citation, parse_citations
from ingest.language.legal import LegalPlace, passage_text
from ingest.language.normalize import normalize_text
from ingest.language.patterns import CLAUSE_START
from ingest.language.sentences import Span, comma_clause_spans, paragraph_spans, sentence_spans
from ingest.language.structure import SECTION_LEVEL, heading, section_at, sections
from ingest.models import Chunk, Document
from ingest.readers import phapdien

MAX_CHARS = 1000
MIN_CHARS = 200
# An article of a legal text up to this long is one passage; a longer one is cut
# between its khoản, packed up to it. Chosen with `make eval` (sweep in BENCHMARKS.md).
ARTICLE_MAX_CHARS = 1500


def _hard_split(text: str, span: Span, max_chars: int) -> Iterator[Span]:
    """Last resort for one overlong clause: cut at the last space before the limit."""
    start = span.start
    while span.end - start > max_chars:
        cut = text.rfind(" ", start, start + max_chars)
        cut = cut if cut > start else start + max_chars
        yield Span(start, cut)
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    yield Span(start, span.end)


def _pieces(text: str, para: Span, max_chars: int) -> list[Span]:
    """A paragraph as spans no longer than max_chars, cut at the weakest break needed."""
    if para.end - para.start <= max_chars:
        return [para]
    out: list[Span] = []
    for sent in sentence_spans(text, para):
        if sent.end - sent.start <= max_chars:
            out.append(sent)
            continue
        for clause in comma_clause_spans(text, sent):
            out.extend(_hard_split(text, clause, max_chars))
    return _pack(out, max_chars, target=max_chars * 4 // 5)


def _pack(spans: list[Span], max_chars: int, target: int) -> list[Span]:
    """Join consecutive spans while they stay under `target` characters."""
    packed: list[Span] = []
    for span in spans:
        if packed and span.end - packed[-1].start <= target:
            packed[-1] = Span(packed[-1].start, span.end)
        else:
            packed.append(span)
    # A short tail reads better with what precedes it.
    if (
        len(packed) > 1
        and packed[-1].end - packed[-1].start < MIN_CHARS
        and packed[-1].end - packed[-2].start <= max_chars
    ):
        packed[-2:] = [Span(packed[-2].start, packed[-1].end)]
    return packed


def chunk_spans(text: str, max_chars: int = MAX_CHARS, min_chars: int = MIN_CHARS) -> list[Span]:
    """Chunk spans of a document body.

    In an official text a short unit joins the next only when that one goes
    deeper in the outline ("II." with its point "1.", a lead-in with its first
    point), so that points, khoản and Điều stay apart and a chunk can be cited
    by where it starts.
    """
    units = [piece for para in paragraph_spans(text) for piece in _pieces(text, para, max_chars)]
    chunks: list[Span] = []
    pending: Span | None = None  # a short unit waiting to join the next one
    pending_level: int | None = None  # the outline level in force in it
    level: int | None = None  # the latest heading's level
    for unit in units:
        found = heading(text[unit.start : unit.start + 80])
        opens = found[0] if found else None
        if pending is not None:
            if unit.end - pending.start <= max_chars and _may_join(pending_level, opens):
                unit = Span(pending.start, unit.end)
            else:
                chunks.append(pending)
                pending_level = None
            pending = None
        if opens is not None:
            level = opens
        if unit.end - unit.start < min_chars:
            pending = unit
            pending_level = level if pending_level is None else max(pending_level, level or 0)
        else:
            chunks.append(unit)
            pending_level = None
    if pending is not None:
        if (
            chunks
            and pending.end - chunks[-1].start <= max_chars
            and not heading(text[pending.start : pending.start + 80])
        ):
            chunks[-1] = Span(chunks[-1].start, pending.end)
        else:
            chunks.append(pending)
    return chunks


def _may_join(pending_level: int | None, opens: int | None) -> bool:
    """Whether a short unit at outline level `pending_level` may take in a unit opening a heading of level `opens`."""
    if opens is None:
        return True
    if pending_level is None:
        return opens > SECTION_LEVEL  # a lead-in takes its first point, not a new Điều
    return opens > pending_level


def chunk_document(doc: Document, max_chars: int = MAX_CHARS, min_chars: int = MIN_CHARS) -> list[Chunk]:
    if phapdien.is_phapdien(doc.body):
        return _article_chunks(doc, ARTICLE_MAX_CHARS)
    spans = chunk_spans(doc.body, max_chars, min_chars)
    marks = sections([(p.start, doc.body[p.start : p.end]) for p in paragraph_spans(doc.body)])
    doc_hash = doc.content_hash
    return [
        Chunk(
            doc_id=doc.id,
            doc_hash=doc_hash,
            position=i,
            n_chunks=len(spans),
            text=doc.body[s.start : s.end],
            text_norm=normalize_text(doc.body[s.start : s.end]),
            char_start=s.start,
            char_end=s.end,
            section=section_at(marks, s.start),
            citations=tuple(parse_citations(doc.body[s.start : s.end])),
        )
        for i, s in enumerate(spans)
    ]


def _clause_groups(text: str, start: int, end: int, max_chars: int) -> list[tuple[Span, str | None]]:
    """An article's text as spans of whole khoản, each with its clause label ("2", "3-4");
    the whole article (label None) when it fits."""
    if end - start <= max_chars:
        return [(Span(start, end), None)]
    units: list[tuple[Span, str | None]] = []  # the lead-in, then one unit per khoản
    for para in paragraph_spans(text[:end]):
        if para.end <= start:
            continue
        para = Span(max(para.start, start), para.end)
        if m := CLAUSE_START.match(text, para.start):
            units.append((para, m[1]))
        elif units:
            units[-1] = (Span(units[-1][0].start, para.end), units[-1][1])
        else:
            units.append((para, None))
    groups: list[tuple[Span, list[str]]] = []
    for span, number in units:
        if groups and span.end - groups[-1][0].start <= max_chars * 4 // 5:
            groups[-1] = (Span(groups[-1][0].start, span.end), groups[-1][1] + ([number] if number else []))
            continue
        for piece in _pieces(text, span, max_chars) if span.end - span.start > max_chars else [span]:
            groups.append((piece, [number] if number else []))
    out = []
    for span, numbers in groups:
        label = None if not numbers else numbers[0] if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"
        out.append((span, label))
    return out


def _article_chunks(doc: Document, max_chars: int) -> list[Chunk]:
    """One passage per article of a Pháp điển page (per group of khoản for a long one), each
    carrying the article's heading and document, so that what is matched and shown says what
    it is; never two articles in one passage."""
    doc_hash = doc.content_hash
    pieces: list[tuple[Span, LegalPlace, str]] = []
    for article in phapdien.articles(doc.body):
        for span, clause in _clause_groups(doc.body, article.start, article.end, max_chars):
            pieces.append((span, replace(article.place, clause=clause), article.note))
    chunks = []
    for i, (span, place, note) in enumerate(pieces):
        body = doc.body[span.start : span.end]
        # the note that names the document in full ("Thông tư số 67/2019/TT-BCA Quy định về …
        # ngày 28/11/2019 của Bộ Công an") is the source's own words: shown and found as written
        text = passage_text(place, body, note)
        own = _own_citation(place)
        section = f"Điều {place.article}" + (f", khoản {place.clause}" if place.clause else "")
        chunks.append(
            Chunk(
                doc_id=doc.id,
                doc_hash=doc_hash,
                position=i,
                n_chunks=len(pieces),
                text=text,
                text_norm=normalize_text(text),
                char_start=span.start,
                char_end=span.end,
                section=section,
                citations=(*own, *parse_citations(body)),
                legal=place,
            )
        )
    return chunks


def _own_citation(place: LegalPlace) -> tuple[Citation, ...]:
    """The article's own document as a citation: a question naming it finds its articles."""
    return tuple(c for c in parse_citations(f"{place.source.type} số {place.source.ref}")[:1] if c.symbol)
