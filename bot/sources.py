"""A cited source's typed parts: the key that groups sources cited together, the document's
name, and the details a source line lists.

Computed once here from what a passage carries (its document's facts, its place in a legal
text, its section), below the answer record (`bot.answering.answer.Source`) and the wording
that writes them (`bot.wording`), so no renderer branches on the kind of document or parses
a line another one wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from ingest.facts import DocumentFacts
from ingest.language.legal import LegalPlace


class Placed(Protocol):
    """What a source is named from: `ingest.models.Passage` and the answer's `Source` are ones."""

    @property
    def doc_id(self) -> str: ...

    @property
    def facts(self) -> DocumentFacts: ...

    @property
    def legal(self) -> LegalPlace | None: ...

    @property
    def section(self) -> str | None: ...


def is_legal(placed: Placed) -> bool:
    """Whether it is an article of a legal text (read from the Pháp điển): the one place that asks."""
    return placed.legal is not None


@dataclass(frozen=True)
class SourceKey:
    """What the sources cited under one line share: one document (one of its sections), or one
    article (one clause) of a legal text. Sources with equal keys are listed once, together."""

    doc_id: str
    section: str | None = None  # "mục 2": a document's parts are cited apart
    ref: str | None = None  # a legal text's number ("10/2022/QH15")
    article: int | None = None
    clause: str | None = None

    @classmethod
    def of(cls, placed: Placed) -> SourceKey:
        if placed.legal is not None:
            place = placed.legal
            return cls(placed.doc_id, ref=place.source.ref, article=place.article, clause=place.clause)
        return cls(placed.doc_id, section=placed.section or None)


def source_name(placed: Placed) -> str:
    """The name of the document a source is from, the one way: a legal text by its title and
    number ("Luật Thực hiện dân chủ ở cơ sở (10/2022/QH15)"), any other by its title."""
    return placed.legal.source.full_title if placed.legal is not None else placed.facts.title


@dataclass(frozen=True)
class SourceDetails:
    """What a source line says besides the document's name, as the corpus states it (None, or
    False, where it says nothing). `place` is set for an article of a legal text; `heading` is
    then the Pháp điển's đề mục it is filed under."""

    place: LegalPlace | None = None
    heading: str | None = None
    section: str | None = None
    editorial: bool = False  # the title was written by the curator
    directive: bool = False  # a directive's own text
    author: str | None = None
    author_role: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None
    site: str | None = None

    @classmethod
    def of(cls, placed: Placed) -> SourceDetails:
        facts = placed.facts
        if placed.legal is not None:
            return cls(place=placed.legal, heading=facts.title, url=facts.url, site=facts.site)
        return cls(
            section=placed.section or None,
            editorial=facts.title_source == "editorial",
            directive=facts.kind == "directive",
            author=facts.author,
            author_role=facts.author_role,
            publisher=facts.publisher,
            published=facts.published,
            url=facts.url,
            site=facts.site,
        )


class Cited(Protocol):
    """A source as the wording names it (the answer's `Source`)."""

    @property
    def name(self) -> str: ...

    @property
    def details(self) -> SourceDetails: ...
