"""The things that flow from the corpus to the index and back out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ingest.facts import DocumentFacts
from ingest.language.citations import Citation
from ingest.language.legal import LegalPlace


@dataclass(frozen=True)
class Document:
    """One corpus document: its facts plus its body as written."""

    id: str
    body: str
    path: str
    facts: DocumentFacts
    known_hash: str | None = None  # set for a file not re-read (`unread`): the hash it had
    notes: tuple[str, ...] = ()  # what reading it left out (foreign front matter keys), for the report

    @classmethod
    def unread(cls, doc_id: str, path: str, doc_hash: str) -> Document:
        """A document whose file did not change (same size and time) since the index stored it:
        it is not read again, and the index keeps its stored version."""
        return cls(doc_id, "", path, DocumentFacts(title=doc_id), known_hash=doc_hash)

    @property
    def title(self) -> str:
        return self.facts.title

    @property
    def content_hash(self) -> str:
        """Changes when the body or any fact shown with it changes."""
        if self.known_hash is not None:
            return self.known_hash
        h = hashlib.sha256()
        for name, value in [("id", self.id), ("path", self.path), ("body", self.body), *self.facts.items()]:
            h.update(name.encode())
            h.update(b"\0")
            h.update(str(value or "").encode())
            h.update(b"\0")
        return h.hexdigest()[:16]


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
    section: str = ""  # "Điều 5, khoản 2", "mục 2": where it starts (ingest.language.structure)
    citations: tuple[Citation, ...] = ()  # the documents it cites, parsed once at chunking
    legal: LegalPlace | None = None  # the article (and clauses) of a legal text it holds

    @property
    def id(self) -> str:
        return f"{self.doc_id}:{self.doc_hash}:{self.position:04d}"

    @property
    def ref_keys(self) -> tuple[str, ...]:
        """`citations.ref_key` of every numbered document it cites."""
        return tuple(dict.fromkeys(c.key for c in self.citations if c.symbol))


@dataclass(frozen=True)
class Passage:
    """A chunk as it comes back from the index, with its document's facts and score."""

    chunk_id: str
    doc_id: str
    position: int
    text: str
    score: float  # cosine similarity, higher is closer
    facts: DocumentFacts
    section: str = ""
    ref_keys: tuple[str, ...] = ()  # `citations.ref_key` of every reference it cites
    legal: LegalPlace | None = None  # set for an article of a legal text

    @property
    def title(self) -> str:
        return self.facts.title
