"""What is known for certain about a document: one typed record, and its one
conversion to and from Chroma metadata.

Front matter, sidecars and the loaders fill it (through `corpus.FrontMatter`);
`Document`, `Passage` and the answer's sources carry it; renderers read it.
Adding a fact means adding a field here (and, when people write it in front
matter, to `corpus.FrontMatter`): storage, hashing and display pick it up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_type_hints

DocKind = Literal["article", "directive", "note"]
TitleSource = Literal["article", "editorial"]


@dataclass(frozen=True)
class DocumentFacts:
    """A document's facts as its source states them; None when unknown, never guessed."""

    title: str
    title_source: TitleSource = "article"  # "editorial": the title was written by the curator
    author: str | None = None
    author_role: str | None = None
    publisher: str | None = None
    site: str | None = None
    url: str | None = None
    published: dt.date | None = None
    locality: str | None = None
    kind: DocKind = "article"
    source_file: str | None = None
    ref: str | None = None  # a directive's own number and symbol ("120-KL/TW")

    def to_metadata(self) -> dict[str, str]:
        """The known facts as Chroma metadata (it stores no nulls), dates in ISO form."""
        meta: dict[str, str] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None:
                meta[f.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return meta

    @classmethod
    def from_metadata(cls, meta: dict[str, Any], default_title: str = "") -> DocumentFacts:
        """The facts back from what `to_metadata` stored; other keys are ignored."""
        values: dict[str, Any] = {f.name: meta.get(f.name) for f in dataclasses.fields(cls)}
        values["title"] = str(values["title"] or default_title)
        values["kind"] = values["kind"] if values["kind"] in get_args(DocKind) else "article"
        values["title_source"] = (
            values["title_source"] if values["title_source"] in get_args(TitleSource) else "article"
        )
        for name in _date_fields():
            value = values[name]
            try:
                values[name] = dt.date.fromisoformat(str(value)) if value else None
            except ValueError:
                values[name] = None
        return cls(**{k: (str(v) if isinstance(v, int | float) else v) for k, v in values.items()})  # type: ignore[arg-type]  # checked above

    def items(self) -> list[tuple[str, object]]:
        """Every fact by name, in declaration order (what a document's content hash covers)."""
        return [(f.name, getattr(self, f.name)) for f in dataclasses.fields(self)]


@functools.cache
def _date_fields() -> tuple[str, ...]:
    """The facts that are dates (stored in ISO form), read off the record's annotations."""
    return tuple(name for name, kind in get_type_hints(DocumentFacts).items() if dt.date in get_args(kind))


def document_name(doc_type: str | None, ref: str, fallback: str = "") -> str:
    """How Vietnamese names a document by its number: "Kết luận số 120-KL/TW"
    ("số 120-KL/TW" when its type is unknown, or "`fallback` số …")."""
    head = doc_type or fallback
    return f"{head} số {ref}" if head else f"số {ref}"


def vn_date(value: dt.date | str | None, unknown: str = "không rõ") -> str:
    """2018-07-31 → 31/07/2018, the way Vietnamese documents write dates."""
    if not value:
        return unknown
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value
