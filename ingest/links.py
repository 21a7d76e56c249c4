"""What the registry records of a directive beyond how it is cited: its links to other
directives, and the document of the corpus that is its own text. Data only; the card that
shows them (with their words) is `bot.answering.card`."""

from __future__ import annotations

from dataclasses import dataclass

# Each kind `citations.find_relations` finds, and the kind the other entry then has.
INVERSE = {"implements": "implemented_by", "continues": "continued_by", "reviews": "reviewed_by"}


@dataclass(frozen=True)
class DirectiveLink:
    """What one entry does with another: "implements" 18-NQ/TW, or the inverse ("implemented_by"
    88-KH/TU). Between registry entries, by reference; a `citations.Relation` is the same fact
    between two citations of one text, before they are resolved to entries."""

    kind: str  # one of INVERSE's keys or values
    ref: str


@dataclass(frozen=True)
class PrimaryText:
    """The document of the corpus that is an entry's own text."""

    doc_id: str
    title: str
