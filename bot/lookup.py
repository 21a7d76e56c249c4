"""Look directives up by number: exact, partial ("kl 120", "Nghị quyết 25", "120") or unaccented.

An exact number hits exactly; a number shared by several documents (reused
numbers, local symbols of different provinces, or a bare number that fits
several types) lists the candidates with what tells them apart; a number the
corpus never cites is said to be absent. Never a semantic neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingest.citations import Citation, parse_citations, ref_key, same_number
from ingest.facts import document_name, vn_date
from ingest.registry import Directive, Registry


@dataclass
class Resolution:
    """What one mention (or a whole lookup query) refers to."""

    query: str
    directives: list[Directive] = field(default_factory=list)  # exactly one when resolved
    candidates: list[Directive] = field(default_factory=list)  # several when ambiguous
    ref: str = ""  # the reference as parsed, canonical ("120-KL/TW", or "120" alone)
    type: str | None = None

    @property
    def found(self) -> bool:
        return len(self.directives) == 1

    @property
    def unknown(self) -> bool:
        return not self.directives and not self.candidates


def resolve_citation(c: Citation, registry: Registry) -> Resolution:
    """The registry entries one parsed mention can mean."""
    if c.symbol:
        matches = registry.find(c.key)
        if len(matches) > 1 and c.date:
            matches = [d for d in matches if d.date == c.date] or matches
    else:
        matches = [
            d for d in registry.directives if same_number(d.number, c.number) and (c.type is None or d.type == c.type)
        ]
    return _result(c.text, matches, ref=c.ref, type=c.type)


def _result(query: str, matches: list[Directive], **parsed: Any) -> Resolution:
    if len(matches) == 1:
        return Resolution(query, directives=matches, **parsed)
    return Resolution(query, candidates=matches, **parsed)


def lookup(query: str, registry: Registry) -> Resolution:
    """Resolve what a user typed to look a directive up."""
    cites = parse_citations(query)
    if cites:
        return resolve_citation(cites[0], registry)
    text = query.strip()
    if re.fullmatch(r"\d{1,5}", text):  # just a number: any type
        return _result(query, [d for d in registry.directives if same_number(d.number, text)], ref=text)
    # A symbol without its number ("KL/TW") or a partial reference ("120-KL")
    key = ref_key(text)
    if key:
        partial = [d for d in registry.directives if any(k.startswith(key) or key in k for k in d.keys)]
        if partial:
            return _result(query, partial, ref=text)
    return Resolution(query, ref=text)


def directive_json(d: Directive) -> dict[str, Any]:
    """The documented lookup JSON shape of one directive."""
    return {
        "ref": d.ref,
        "type": d.type,
        "date": d.date,
        "issuer": d.issuer,
        "term": d.term,
        "subject": d.subject,
        "locality": d.locality,
        "aliases": d.aliases,
        "relations": d.relations,
        "mentions": [{"doc_id": m.doc_id, "title": m.title, "sentence": m.sentence} for m in d.mentions],
        "primary": d.primary,
    }


def lookup_json(result: Resolution) -> dict[str, Any]:
    return {
        "query": result.query,
        "found": result.found,
        "directives": [directive_json(d) for d in result.directives],
        "candidates": [directive_json(d) for d in result.candidates],
    }


RELATION_WORDS = {
    "implements": "thực hiện",
    "continues": "tiếp tục thực hiện",
    "reviews": "sơ kết, tổng kết",
    "implemented_by": "được thực hiện bằng",
    "continued_by": "được tiếp tục thực hiện bằng",
    "reviewed_by": "được sơ kết, tổng kết bằng",
}


def relation_lines(d: Directive) -> list[str]:
    return [f"{RELATION_WORDS.get(r['kind'], r['kind'])} {r['ref']}" for r in d.relations]


def card_facts(d: Directive) -> list[tuple[str, str]]:
    """A directive's facts as labelled lines, for every place that shows its card."""
    facts = [
        ("Ngày ban hành", vn_date(d.date)),
        ("Cơ quan ban hành", d.issuer or "không rõ"),
        ("Khóa", d.term),
        ("Địa phương", d.locality),
        ("Trích yếu", d.subject or "kho tài liệu không nêu"),
        ("Còn được ghi là", ", ".join(d.aliases) or None),
        ("Toàn văn trong kho", d.primary["title"] if d.primary else None),
    ]
    return [(label, value) for label, value in facts if value]


def telling_apart(d: Directive) -> str:
    """What distinguishes one candidate from others with the same number."""
    parts = [document_name(d.type, d.ref)]
    if d.date:
        parts.append(f"ngày {vn_date(d.date)}")
    if d.issuer:
        parts.append(f"của {d.issuer}")
    if d.locality:
        parts.append(f"({d.locality})")
    return " ".join(parts)
