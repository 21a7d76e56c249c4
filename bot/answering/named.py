"""The documents an answer names: a card for each the question names (first in the answer, with
what is missing), and those its quoted passages cite."""

from __future__ import annotations

from bot import wording
from bot.answering.answer import Answer, Card, NamedDocument
from bot.answering.card import directive_card
from bot.answering.lookup import Resolution
from ingest.registry import Registry


def mentioned_directives(answer: Answer, registry: Registry) -> list[NamedDocument]:
    """The documents the quoted passages cite, other than those the question asked about."""
    listed = {(d.ref, d.date) for d in answer.directives}
    out: list[NamedDocument] = []
    for key in dict.fromkeys(k for s in answer.sources for k in s.ref_keys):
        for d in registry.find(key)[:1]:
            if (d.ref, d.date) not in listed:
                listed.add((d.ref, d.date))
                out.append(NamedDocument.of(d, "mentioned"))
    return out


def cards(resolutions: list[Resolution]) -> tuple[list[Card], list[str], list[NamedDocument]]:
    """The documents the question names (first in the answer), what is missing, and those named."""
    cards: list[Card] = []
    missing: list[str] = []
    listed: list[NamedDocument] = []
    for r in resolutions:
        cards += [Card(document=directive_card(d)) for d in r.directives]
        if r.candidates:
            cards.append(Card(query=r.query, candidates=tuple(directive_card(d) for d in r.candidates)))
        listed += [NamedDocument.of(d, "asked") for d in r.directives + r.candidates]
        if r.unknown:
            missing.append(wording.missing_document(r.ref, r.type))
            listed.append(NamedDocument.unknown(r.ref, r.type))
    return cards, missing, listed
