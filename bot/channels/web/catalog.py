"""The library as the web page lists it: every directive the registry knows (its type, number,
date, issuer, whether the library holds its text, its passages) and every file of the corpus;
a directive's articles and a file's sections with their text.

Read from the loaded generation (`QAService`: its registry, its lexical rows, its passages);
nothing is written. Facts are the registry's and the documents' own: a date or an issuer the
documents do not state is left empty, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.service import QAService
from bot.core.assistant import directive_key
from ingest.facts import vn_date
from ingest.language.legal import body_start
from ingest.language.normalize import fold
from ingest.models import Passage
from ingest.registry import Directive


@dataclass(frozen=True)
class DirectiveRow:
    """One directive of the library's table."""

    key: str  # its page (`directive_key`)
    type: str
    ref: str
    title: str
    date: str
    issuer: str
    held: bool  # the library holds its text (else it is known only from the sentences citing it)
    passages: int  # passages of its own text
    mentions: int


@dataclass(frozen=True)
class FileRow:
    """One file of the corpus: a document as ingested."""

    doc_id: str
    title: str
    publisher: str
    published: str
    passages: int
    legal: bool  # a Pháp điển page: its articles belong to the legal texts listed with the directives


@dataclass(frozen=True)
class Part:
    """An article (`anchor` "dieu-12") or a section of a document, with its text."""

    anchor: str
    title: str
    text: str


def _passage_counts(service: QAService) -> dict[str, int]:
    return {doc_id: r.end - r.start for doc_id, r in service.retriever.derived.docs.items()}


def directive_rows(service: QAService) -> list[DirectiveRow]:
    counts = _passage_counts(service)
    rows = []
    for d in service.registry.directives:
        if d.articles:
            passages = sum(len(chunks) for chunks in d.articles.values())
        else:
            passages = counts.get(d.primary.doc_id, 0) if d.primary else 0
        rows.append(
            DirectiveRow(
                key=directive_key(d),
                type=d.type or "",
                ref=d.ref,
                title=d.name or (d.primary.title if d.primary else "") or d.subject or "",
                date=vn_date(d.date) if d.date else "",
                issuer=d.issuer or "",
                held=bool(d.primary or d.articles),
                passages=passages,
                mentions=len(d.mentions),
            )
        )
    return rows


def file_rows(service: QAService) -> list[FileRow]:
    """Each file, from its first passage's facts, by title."""
    derived = service.retriever.derived
    firsts = {doc_id: derived.ids[r.start] for doc_id, r in derived.docs.items() if r.end > r.start}
    found = service.index.passages(list(firsts.values()))
    rows = []
    for doc_id, chunk in firsts.items():
        p = found.get(chunk)
        if p is None:
            continue
        f = p.facts
        rows.append(
            FileRow(
                doc_id=doc_id,
                title=f.title,
                publisher=f.publisher or f.site or "",
                published=vn_date(f.published) if f.published else "",
                passages=derived.docs[doc_id].end - derived.docs[doc_id].start,
                legal=p.legal is not None,
            )
        )
    return sorted(rows, key=lambda r: fold(r.title))


def directive_by_key(service: QAService, key: str) -> Directive | None:
    return next((d for d in service.registry.directives if directive_key(d) == key), None)


def directive_parts(service: QAService, d: Directive) -> list[Part]:
    """A directive's text: its articles in order, each heading once; else its own document's sections."""
    if d.articles:
        order = sorted(d.articles, key=lambda a: int(a) if a.isdigit() else 0)
        found = service.index.passages([c for a in order for c in d.articles[a]])
        parts = []
        for a in order:
            passages = [found[c] for c in d.articles[a] if c in found]
            if passages:
                parts.append(Part(f"dieu-{a}", _heading(passages[0], a, d), _bodies(passages)))
        return parts
    return file_parts(service, d.primary.doc_id) if d.primary else []


def file_parts(service: QAService, doc_id: str) -> list[Part]:
    """A file's text in order, cut where its section changes ("mục 2"); one part when it has none."""
    parts: list[Part] = []
    current: list[Passage] = []
    for p in service.index.chunks_of(doc_id):
        if current and (p.section or "") != (current[0].section or ""):
            parts.append(_section(len(parts) + 1, current))
            current = []
        current.append(p)
    if current:
        parts.append(_section(len(parts) + 1, current))
    return parts


def holds_legal(service: QAService, doc_id: str) -> list[Directive]:
    """The legal texts whose articles a file (a Pháp điển page) holds."""
    return [d for d in service.registry.directives if d.articles and d.primary and d.primary.doc_id == doc_id]


def file_passage(service: QAService, doc_id: str) -> Passage | None:
    """A file's first passage (its facts), or None when the library has no such file."""
    record = service.retriever.derived.docs.get(doc_id)
    if record is None or record.end <= record.start:
        return None
    chunk = service.retriever.derived.ids[record.start]
    return service.index.passages([chunk]).get(chunk)


def _heading(p: Passage, article: str, d: Directive) -> str:
    """ "Điều 12. Hình thức …": on its document's page, without the document's name each time."""
    title = d.article_titles.get(article) or (p.legal.article_title if p.legal else "")
    return f"Điều {article}. {title}" if title else f"Điều {article}"


def _bodies(passages: list[Passage]) -> str:
    return "\n\n".join(p.text[body_start(p.text) :].strip() if p.legal else p.text.strip() for p in passages)


def _section(number: int, passages: list[Passage]) -> Part:
    title = passages[0].section or ""
    return Part(f"phan-{number}", title, "\n\n".join(p.text.strip() for p in passages))
