"""A directive's card: what every place that shows a directive shows, built once, here.

`directive_card` is the one builder: the answer's card line, the `/vb` and `lookup` card
(terminal, Markdown, Telegram, Zalo), an outline's "Thông tin văn bản", the LLM's card block
and the lookup JSON all render the `DirectiveCard` it returns. Its words come from
`bot.wording` ("Cards"); its facts from the registry entry (`ingest.registry.Directive`).
A new fact (a signer, say) is one line in `_facts` and its label in `bot.wording`; renderers
show `facts` as labelled lines and need no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import wording
from ingest.facts import vn_date
from ingest.registry import Directive, Mention


@dataclass(frozen=True)
class CardFact:
    """One labelled line of a card: "Ngày ban hành: 07/01/2016"."""

    label: str
    value: str


@dataclass(frozen=True)
class CardRelation:
    """What the directive does with another ("thực hiện 18-NQ/TW"): the link as data and its words."""

    kind: str
    ref: str
    text: str


@dataclass(frozen=True)
class DirectiveCard:
    """A directive as it is shown. `summary`: the card in one sentence (an answer's card line);
    `title` and `facts`: the full card; `identity`: its type and number as facts, for where
    the title is not shown (an outline); `distinction`: what tells it apart from documents
    with the same number. `directive` is the entry it shows, for the JSON's raw fields."""

    directive: Directive
    title: str
    summary: str
    distinction: str
    identity: tuple[CardFact, ...]
    facts: tuple[CardFact, ...]
    url: str | None
    relations: tuple[CardRelation, ...]
    mentions: tuple[Mention, ...]

    @property
    def ref(self) -> str:
        return self.directive.ref

    def to_json(self) -> dict[str, Any]:
        """The documented lookup JSON shape of one directive (`bot lookup --json`)."""
        d = self.directive
        return {
            "ref": d.ref,
            "type": d.type,
            "date": d.date,
            "issuer": d.issuer,
            "term": d.term,
            "subject": d.subject,
            "locality": d.locality,
            "aliases": d.aliases,
            "relations": [{"kind": r.kind, "ref": r.ref} for r in self.relations],
            "mentions": [{"doc_id": m.doc_id, "title": m.title, "sentence": m.sentence} for m in self.mentions],
            "primary": {"doc_id": d.primary.doc_id, "title": d.primary.title} if d.primary else None,
        }


def directive_card(d: Directive) -> DirectiveCard:
    """The card of a registry entry: the one place that decides what a card says."""
    identity = (CardFact(wording.CARD_TYPE, d.type or ""), CardFact(wording.CARD_NUMBER, d.ref))
    return DirectiveCard(
        directive=d,
        title=wording.card_title(d),
        summary=wording.card_summary(d),
        distinction=wording.telling_apart(d),
        identity=tuple(f for f in identity if f.value),
        facts=_facts(d),
        url=d.url,
        relations=tuple(CardRelation(r.kind, r.ref, wording.relation(r.kind, r.ref)) for r in d.relations),
        mentions=tuple(d.mentions),
    )


def _facts(d: Directive) -> tuple[CardFact, ...]:
    """The labelled lines, in the order they are read; a fact the corpus does not state is left out."""
    facts = [
        (wording.CARD_DATE, vn_date(d.date)),
        (wording.CARD_ISSUER, d.issuer or wording.CARD_ISSUER_UNKNOWN),
        (wording.CARD_TERM, d.term),
        (wording.CARD_LOCALITY, d.locality),
        (wording.CARD_SUBJECT, d.subject or (None if d.name else wording.CARD_NO_SUBJECT)),
        (wording.CARD_ALIASES, ", ".join(d.aliases) or None),
        (wording.CARD_IN_FORCE, vn_date(d.in_force) if d.in_force else None),
        (wording.CARD_FULL_TEXT, d.primary.title if d.primary else None),
        (wording.CARD_ARTICLES, str(len(d.articles)) if d.articles else None),
    ]
    return tuple(CardFact(label, value) for label, value in facts if value)
