"""Building the directive registry (`ingest.registry`) from the citations of every indexed chunk:
grouped by number and symbol, merged when they agree (compatible date, same locality for local
symbols), linked to the documents and legal texts that are their own text, then corrected by
`corpus/directives.yaml`'s overrides."""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from ingest.language.citations import Citation, canonical_ref, find_relations, parse_citations, ref_key, same_number
from ingest.language.legal import body_start
from ingest.language.sentences import sentence_spans
from ingest.links import INVERSE, DirectiveLink, PrimaryText
from ingest.models import Passage
from ingest.overrides import OVERRIDABLE
from ingest.registry import Directive, Mention, Registry, is_local

log = logging.getLogger(__name__)


def _sentence(text: str, start: int) -> str:
    for span in sentence_spans(text):
        if span.start <= start < span.end:
            return " ".join(text[span.start : span.end].split())
    return " ".join(text.split())


def _most_common(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def build_registry(passages: Iterable[Passage], overrides: list[dict[str, Any]] | None = None) -> Registry:
    """The registry of everything the passages cite."""
    groups: dict[tuple[str, str], list[tuple[Citation, Passage]]] = defaultdict(list)
    bare: list[tuple[Citation, Passage]] = []
    relations: list[tuple[Citation, str, Citation, Passage]] = []
    passages_seen: list[Passage] = []
    for p in passages:
        passages_seen.append(p)
        # a legal passage's heading names its own document: that is not a mention of it
        heading_end = body_start(p.text) if p.legal else 0
        cites = [c for c in parse_citations(p.text) if c.start >= heading_end]
        for c in cites:
            if c.symbol is None:
                bare.append((c, p))
                continue
            scope = (p.facts.locality or "") if is_local(c.symbol) else ""
            groups[(c.key, scope)].append((c, p))
        relations += [(r.source, r.kind, r.target, p) for r in find_relations(p.text, cites)]

    directives: list[Directive] = []
    for (_, scope), items in groups.items():
        # One entry per stated date; undated mentions join the dated entry (or the only one).
        dates = sorted({c.date for c, _ in items if c.date})
        first = dates[0] if dates else None
        undated: list[str | None] = [None]
        for date in [*dates] or undated:
            members = [(c, p) for c, p in items if c.date == date or (c.date is None and date == first)]
            directives.append(_entry(members, scope or None, date))

    unresolved: list[Mention] = []
    for c, p in bare:
        # "Nghị quyết 02" in a document that also writes "Nghị quyết số 02- NQ/TU": the same one
        same_doc = [
            d
            for d in directives
            if same_number(d.number, c.number) and d.type == c.type and any(m.doc_id == p.doc_id for m in d.mentions)
        ]
        if len(same_doc) == 1:
            same_doc[0].mentions.append(_mention(c, p))
        elif c.date:  # a document with no symbol but a date ("Quy chế số 01 ngày 22/4/2016")
            locality = p.facts.locality or None
            existing = [
                d
                for d in directives
                if d.symbol is None and same_number(d.number, c.number) and d.locality == locality and d.type == c.type
            ]
            if existing:
                existing[0].mentions.append(_mention(c, p))
            else:
                directives.append(_entry([(c, p)], locality, c.date))
        else:
            unresolved.append(_mention(c, p))

    registry = Registry(directives, unresolved)
    _link_primary_texts(registry, passages_seen)
    _link_headers(registry)
    _link_legal_texts(registry, passages_seen)
    for (
        d
    ) in registry.directives:  # a law is called by its name: the one a citing text writes, when its own text has none
        if d.type == "Luật" and d.name is None and (stated := d.stated_names()):
            d.name = stated[0]
    for override in overrides or []:
        _apply(registry, override)
    for source, kind, target, p in relations:
        src, dst = _resolve_in_doc(registry, source, p), _resolve_in_doc(registry, target, p)
        if src and dst and src is not dst:
            _relate(src, DirectiveLink(kind, dst.ref))
            _relate(dst, DirectiveLink(INVERSE[kind], src.ref))
    registry.directives.sort(key=lambda d: (d.symbol is None, d.type or "", ref_key(d.ref), d.date or ""))
    return registry


def _link_primary_texts(registry: Registry, passages: list[Passage]) -> None:
    """A document of kind "directive" is the primary text of the entry with its number."""
    for doc_id, facts in {p.doc_id: p.facts for p in passages if p.facts.kind == "directive"}.items():
        ref = facts.ref
        if not ref:
            continue
        published = facts.published.isoformat() if facts.published else None
        entries = registry.find(ref_key(ref))
        dated = [d for d in entries if d.date and d.date == published]
        if not entries:
            headers = parse_citations(facts.title)
            number = re.match(r"\d+", ref)
            entries = [
                Directive(
                    ref=canonical_ref(ref),
                    type=headers[0].type if headers else None,
                    number=number[0] if number else ref,
                    symbol=ref[len(number[0]) + 1 :] if number else None,
                    date=published,
                    issuer=facts.author,
                    term=None,
                    locality=None,
                    subject=None,
                )
            ]
            registry.directives.append(entries[0])
        for d in dated or entries[:1]:
            d.primary = PrimaryText(doc_id, facts.title)


# An official document's own number line, "Số: 2579/QĐ-UBND", at a line's (or a Markdown table cell's) start.
_NUMBER_LINE = r"(?:^|[|\n])\s*\**\s*Số\s*:\s*"


def _link_headers(registry: Registry) -> None:
    """A document whose header writes an entry's number on its number line ("Số: 2579/QĐ-UBND")
    is that entry's own text, though its reader did not recognise the header (a Markdown table)."""
    for d in registry.directives:
        if d.primary is not None:
            continue
        own = next((m for m in d.mentions if re.search(_NUMBER_LINE + re.escape(m.text), m.sentence)), None)
        if own is not None:
            d.primary = PrimaryText(own.doc_id, own.title)


def _clean_issuer(issuer: str | None) -> str | None:
    """An issuer as the citation gave it, less the Markdown and the closing bracket a citation
    inside brackets leaves on it ("… thành phố Cần Thơ)*")."""
    if issuer is None:
        return None
    cleaned = re.sub(r"[*_|]+", " ", issuer)
    if cleaned.count(")") > cleaned.count("("):
        cleaned = cleaned.rsplit(")", 1)[0]
    return " ".join(cleaned.split()).strip(" ,;") or None


def _link_legal_texts(registry: Registry, passages: list[Passage]) -> None:
    """Each source document of the legal articles is a primary text, with its name, its
    dates and its articles (merged into the entry the other documents' mentions made)."""
    for p in passages:
        if p.legal is None:
            continue
        src = p.legal.source
        entry = next((d for d in registry.find(ref_key(src.ref)) if d.symbol), None)
        if entry is None:
            number = re.match(r"\d+", src.ref)
            entry = Directive(
                ref=src.ref,
                type=src.type,
                number=number[0] if number else src.ref,
                symbol=src.ref[len(number[0]) + 1 :] if number else None,
                date=None,
                issuer=None,
                term=None,
                locality=None,
                subject=None,
            )
            registry.directives.append(entry)
        entry.type = src.type
        entry.name = entry.name or src.name
        entry.date = src.date.isoformat() if src.date else entry.date
        entry.issuer = src.issuer or entry.issuer
        entry.in_force = src.in_force.isoformat() if src.in_force else entry.in_force
        entry.primary = entry.primary or PrimaryText(p.doc_id, src.name or src.title)
        article = str(p.legal.article)
        if p.chunk_id not in entry.articles.setdefault(article, []):
            entry.articles[article].append(p.chunk_id)
        entry.article_titles.setdefault(article, p.legal.article_title)


def _relate(d: Directive, relation: DirectiveLink) -> None:
    if relation not in d.relations:
        d.relations.append(relation)


def _resolve_in_doc(registry: Registry, c: Citation, p: Passage) -> Directive | None:
    candidates = registry.find(c.key)
    cited_here = [d for d in candidates if any(m.chunk_id == p.chunk_id for m in d.mentions)]
    return (cited_here or candidates or [None])[0]  # type: ignore[list-item]


def _mention(c: Citation, p: Passage) -> Mention:
    return Mention(
        doc_id=p.doc_id, title=p.title, chunk_id=p.chunk_id, sentence=_sentence(p.text, c.start), text=c.text
    )


def _entry(items: list[tuple[Citation, Passage]], locality: str | None, date: str | None) -> Directive:
    cites = [c for c, _ in items]
    # The fullest mention (with a date, then with a subject) speaks for the entry.
    lead = max(cites, key=lambda c: (c.date is not None, c.subject is not None, c.issuer is not None))
    return Directive(
        ref=lead.ref,
        type=_most_common(c.type for c in cites),
        number=lead.number,
        symbol=lead.symbol,
        date=date,
        issuer=_clean_issuer(lead.issuer or _most_common(c.issuer for c in cites)),
        term=lead.term or _most_common(c.term for c in cites),
        locality=locality,
        subject=lead.subject or _most_common(c.subject for c in cites),
        mentions=[_mention(c, p) for c, p in items],
    )


def _apply(registry: Registry, override: dict[str, Any]) -> None:
    key = ref_key(str(override["ref"]))
    locality = override.get("locality")
    matches = [d for d in registry.directives if ref_key(d.ref) == key and (locality is None or d.locality == locality)]
    if not matches:
        log.info("directives.yaml: %s is not cited in the corpus; added as stated", override["ref"])
        ref = canonical_ref(str(override["ref"]))
        m = re.match(r"(\d+)[-/]?(.*)", ref)
        number, symbol = (m[1], m[2] or None) if m else (ref, None)
        matches = [Directive(ref, None, number, symbol, None, None, None, locality, None)]
        registry.directives.append(matches[0])
    target = matches[0]
    for name in OVERRIDABLE & set(override):
        value = override[name]
        if name == "aliases":
            value = [canonical_ref(str(a)) for a in value]
            # mentions filed under an alias belong to this entry
            for other in [
                d for d in registry.directives if d is not target and ref_key(d.ref) in {ref_key(a) for a in value}
            ]:
                target.mentions += other.mentions
                for fact in ("type", "date", "issuer", "term", "subject"):
                    if getattr(target, fact) is None:
                        setattr(target, fact, getattr(other, fact))
                registry.directives.remove(other)
        setattr(target, name, value)
