"""The things that flow from the corpus to the index and back out."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

DocKind = Literal["article", "directive", "note"]
TitleSource = Literal["article", "editorial"]

# Document fields carried in every chunk's Chroma metadata, so a search result
# can show its source without reading the corpus again.
SOURCE_FIELDS = (
    "title",
    "title_source",
    "author",
    "author_role",
    "publisher",
    "site",
    "url",
    "published",
    "locality",
    "kind",
    "source_file",
    "ref",
)


@dataclass(frozen=True)
class Document:
    """One corpus document: front-matter facts plus its body as written."""

    id: str
    title: str
    body: str
    path: str
    kind: DocKind = "article"
    title_source: TitleSource = "article"
    author: str | None = None
    author_role: str | None = None
    publisher: str | None = None
    site: str | None = None
    url: str | None = None
    published: dt.date | None = None
    locality: str | None = None
    source_file: str | None = None
    ref: str | None = None  # a directive's own number and symbol ("120-KL/TW")

    @property
    def content_hash(self) -> str:
        """Changes when the body or any fact shown with it changes."""
        h = hashlib.sha256()
        for name in ("id", "path", "body", *SOURCE_FIELDS):
            h.update(name.encode())
            h.update(b"\0")
            h.update(str(getattr(self, name) or "").encode())
            h.update(b"\0")
        return h.hexdigest()[:16]

    def source_metadata(self) -> dict[str, str]:
        """The non-null source facts, as Chroma metadata (it stores no nulls)."""
        meta: dict[str, str] = {}
        for name in SOURCE_FIELDS:
            value = getattr(self, name)
            if value is not None:
                meta[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return meta


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: the unit that is embedded, retrieved and cited."""

    doc_id: str
    doc_hash: str
    position: int
    n_chunks: int
    text: str  # as written in the corpus, shown to users
    text_norm: str  # normalize_text(text): what is embedded and matched
    char_start: int
    char_end: int
    section: str = ""  # "Điều 5, khoản 2", "mục 2": where it starts (ingest.structure)

    @property
    def id(self) -> str:
        return f"{self.doc_id}:{self.doc_hash}:{self.position:04d}"


@dataclass(frozen=True)
class Passage:
    """A chunk as it comes back from the index, with its source facts and score."""

    chunk_id: str
    doc_id: str
    position: int
    text: str
    score: float  # cosine similarity, higher is closer
    source: dict[str, Any] = field(default_factory=dict)
    ref_keys: tuple[str, ...] = ()  # `citations.ref_key` of every reference it cites

    @property
    def title(self) -> str:
        return str(self.source.get("title", self.doc_id))
