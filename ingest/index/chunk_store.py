"""The chunks of one index generation in Chroma: written once, then read.

Every chunk's metadata carries its document's facts (`DocumentFacts.to_metadata`)
and the references it cites, so a search result shows its source without
reading the corpus again. The directive registry is stored beside the chunks
as one JSON record.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import ModelMismatchError
from ingest.facts import DocumentFacts
from ingest.index.generations import IndexPointer, Store, open_store, rebuild_needed
from ingest.language.legal import LegalPlace
from ingest.models import Chunk, Document, Passage
from ingest.registry import Registry
from ingest.settings import Settings

log = logging.getLogger(__name__)

_BATCH = 256
PAGE = 5000  # records per bulk read; far below chromadb's 32,766 SQL-variable ceiling
# Documents whose passages are kept in memory after a read: an answer reads its top article's
# whole document (a list that runs on, the rest of the article), and a `where` on a large law
# costs ~100 ms on two cores, most of a warm answer. A handful covers the documents asked most.
DOCUMENTS_CACHED = 16
# Metadata keys that locate a chunk; everything else is a document fact.
_INTERNAL = (
    "path",
    "doc_id",
    "doc_hash",
    "position",
    "n_chunks",
    "char_start",
    "char_end",
    "section",
    "refs",
    "ref_keys",
)


@dataclass(frozen=True)
class StoredDocument:
    """What a generation holds of one document."""

    doc_hash: str
    path: str


def open_index(settings: Settings, db: Path | None = None) -> ChunkIndex:
    """The active generation of the configured index, for reading."""
    return ChunkIndex.open(open_store(settings, db))


class ChunkIndex:
    """One generation's chunks and registry."""

    def __init__(self, store: Store, pointer: IndexPointer, client: Any, collection: Any):
        self.store = store
        self.pointer = pointer
        self._client = client
        self._collection = collection
        self._closed = False
        # Per instance, so that a generation's cache goes with it; cleared by every write.
        self._document = functools.lru_cache(maxsize=DOCUMENTS_CACHED)(self._read_document)

    @property
    def generation(self) -> str:
        return self.pointer.generation

    def _part(self, part: str) -> str:
        return f"{self.generation}-{part}"

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, store: Store, pointer: IndexPointer | None = None) -> ChunkIndex:
        """A generation for reading: the active one unless another pointer is given."""
        pointer = pointer or store.active()
        client = store.client(pointer.generation)
        try:
            collection = client.get_collection(f"{pointer.generation}-chunks", embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError/ValueError across versions
            store.release(client)
            raise rebuild_needed(store) from exc
        return cls(store, pointer, client, collection)

    @classmethod
    def create(cls, store: Store, model_name: str, dimension: int, signature: str = "") -> ChunkIndex:
        """A new, empty generation that readers do not see until `store.activate(index.pointer)`."""
        pointer = IndexPointer.new(model_name, dimension, signature)
        client = store.client(pointer.generation, create=True)
        collection = client.create_collection(
            f"{pointer.generation}-chunks",
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": model_name, "dimension": dimension},
            embedding_function=None,
        )
        return cls(store, pointer, client, collection)

    @classmethod
    def clone(cls, store: Store, source: ChunkIndex, signature: str) -> ChunkIndex | None:
        """A new generation holding a copy of `source`'s chunks and vectors, for an update to
        delete from and add to; None where the store cannot copy a generation."""
        pointer = IndexPointer.new(source.pointer.embedding_model, source.pointer.dimension, signature)
        try:
            if not store.copy_generation(source.generation, pointer.generation):
                return None
            client = store.client(pointer.generation)
        except BaseException:
            store.discard(pointer.generation)
            raise
        try:
            collection = client.get_collection(f"{source.generation}-chunks", embedding_function=None)
            collection.modify(name=f"{pointer.generation}-chunks")
            with contextlib.suppress(Exception):  # the registry is written anew
                client.delete_collection(f"{source.generation}-files")
        except BaseException:
            store.release(client)
            store.discard(pointer.generation)
            raise
        return cls(store, pointer, client, collection)

    def close(self) -> None:
        self._document.cache_clear()
        if not self._closed:
            self._closed = True
            self.store.release(self._client)

    def check_model(self, model_name: str) -> None:
        built_with = self.pointer.embedding_model
        if built_with != model_name:
            raise ModelMismatchError(
                f"the index at {self.store.location} was built with {built_with!r}, "
                f"but the configured embedder (EMBEDDING_MODEL, EMBEDDING_ENGINE) is {model_name!r}",
                user_message=(
                    f"Chỉ mục được xây dựng bằng mô hình {built_with!r}, khác mô hình đang cấu hình "
                    f"{model_name!r}; hãy chạy `python -m ingest --rebuild` để nhúng lại."
                ),
                hint="Run `python -m ingest --rebuild` to re-embed with the configured model.",
            )

    # --- reading -------------------------------------------------------------

    @property
    def lexical_dir(self) -> Path | None:
        """Where ingestion saves the BM25 index of this generation's chunks."""
        return self.store.lexical_dir(self.generation)

    def count(self) -> int:
        return int(self._collection.count())

    def manifest(self) -> dict[str, StoredDocument]:
        """Per document, the version stored and the file it came from."""
        return {
            str(meta["doc_id"]): StoredDocument(str(meta["doc_hash"]), str(meta.get("path", "")))
            for got in self._pages(["metadatas"])
            for meta in got["metadatas"]
        }

    def nearest(self, embedding: Sequence[float], k: int) -> list[tuple[str, float]]:
        """The k chunks closest to the vector, with their cosine similarity (ids only: cheaper)."""
        n = min(k, self.count())
        if n <= 0:
            return []
        res = self._collection.query(query_embeddings=[list(embedding)], n_results=n, include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(res["ids"][0], res["distances"][0])]

    def passages(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        """These chunks, by id (those the generation does not hold are absent)."""
        found: dict[str, Passage] = {}
        for start in range(0, len(chunk_ids), PAGE):
            got = self._collection.get(ids=list(chunk_ids[start : start + PAGE]), include=["documents", "metadatas"])
            found.update((p.chunk_id, p) for p in _passages_of(got))
        return found

    def all_passages(self) -> list[Passage]:
        """Every chunk, in document order."""
        return in_document_order([p for got in self._pages(["documents", "metadatas"]) for p in _passages_of(got)])

    def chunks_of(self, doc_id: str) -> list[Passage]:
        """A document's passages in order (a new list: callers may sort or filter it)."""
        return list(self._document(doc_id))

    def _read_document(self, doc_id: str) -> tuple[Passage, ...]:
        got = self._collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        return tuple(in_document_order(_passages_of(got)))

    def _pages(self, include: list[str]) -> Iterator[dict[str, Any]]:
        """Every record, a page (one `get()` result) at a time: chromadb's `get()`
        without a limit fails above 32,766 records ("too many SQL variables",
        chroma-core/chroma#7687)."""
        offset = 0
        while True:
            got = self._collection.get(include=include, limit=PAGE, offset=offset)
            if not got["ids"]:
                return
            yield got
            if len(got["ids"]) < PAGE:
                return
            offset += len(got["ids"])

    # --- the directive registry ----------------------------------------------

    def load_registry(self) -> Registry:
        try:
            files = self._client.get_collection(self._part("files"), embedding_function=None)
        except Exception:  # noqa: BLE001 - a generation being written has none yet
            return Registry([], [])
        got = files.get(ids=["registry"], include=["documents"])
        return Registry.from_json(got["documents"][0] if got["documents"] else None)

    def save_registry(self, registry: Registry) -> None:
        files = self._client.get_or_create_collection(self._part("files"), embedding_function=None)
        # A record rather than a file, so that server mode shares it; the vector is a placeholder.
        files.upsert(ids=["registry"], documents=[registry.to_json()], embeddings=[[1.0]])

    # --- writing (only to a generation that is not active yet) -------------------

    def add(self, doc: Document, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> list[Passage]:
        """Store a document's chunks; returns them as passages, so that nothing is read back."""
        facts = doc.facts.to_metadata()
        metadatas = [
            {
                **facts,
                **_ref_metadata(c),
                "path": doc.path,
                "doc_id": c.doc_id,
                "doc_hash": c.doc_hash,
                "position": c.position,
                "n_chunks": c.n_chunks,
                "char_start": c.char_start,
                "char_end": c.char_end,
                **({"section": c.section} if c.section else {}),
                **(c.legal.to_metadata() if c.legal else {}),
            }
            for c in chunks
        ]
        self._add([c.id for c in chunks], [list(e) for e in embeddings], [c.text for c in chunks], metadatas)
        return [
            Passage(c.id, c.doc_id, c.position, c.text, 1.0, doc.facts, c.section, c.ref_keys, c.legal) for c in chunks
        ]

    def copy_documents(self, source: ChunkIndex, doc_ids: set[str]) -> int:
        """Copy these documents' chunks, vectors included, from another generation, a page at a time;
        returns how many (used where the generation's folder cannot be copied: a Chroma server)."""
        copied = 0
        if not doc_ids:
            return copied
        for got in source._pages(["embeddings", "documents", "metadatas"]):
            kept = [i for i, meta in enumerate(got["metadatas"]) if meta["doc_id"] in doc_ids]
            if kept:
                self._add(
                    [got["ids"][i] for i in kept],
                    np.asarray(got["embeddings"], dtype=np.float32)[kept],
                    [got["documents"][i] for i in kept],
                    [got["metadatas"][i] for i in kept],
                )
                copied += len(kept)
        return copied

    def delete_documents(self, doc_ids: set[str]) -> None:
        """Remove these documents' chunks (from a generation cloned from the active one)."""
        ordered = sorted(doc_ids)
        try:
            for start in range(0, len(ordered), 500):
                self._collection.delete(where={"doc_id": {"$in": ordered[start : start + 500]}})
        finally:  # after the write: a read during it could have kept a document half written
            self._document.cache_clear()

    def _add(self, ids: list[str], embeddings: Any, documents: list[str], metadatas: list[dict[str, Any]]) -> None:
        try:
            for start in range(0, len(ids), _BATCH):
                end = start + _BATCH
                self._collection.add(
                    ids=ids[start:end],
                    embeddings=embeddings[start:end],
                    documents=documents[start:end],
                    metadatas=metadatas[start:end],
                )
        finally:  # after the write (see delete_documents)
            self._document.cache_clear()


def in_document_order(passages: list[Passage]) -> list[Passage]:
    """Documents by id, chunks as written: the order the BM25 index is saved in."""
    return sorted(passages, key=lambda p: (p.doc_id, p.position))


def _ref_metadata(chunk: Chunk) -> dict[str, list[str]]:
    """The references a chunk cites (Chroma stores no empty lists)."""
    cites = [c for c in chunk.citations if c.symbol]
    if not cites:
        return {}
    return {"refs": list(dict.fromkeys(c.ref for c in cites)), "ref_keys": list(chunk.ref_keys)}


def _passages_of(got: dict[str, Any]) -> list[Passage]:
    """The passages of one `get()` result."""
    return [_to_passage(cid, text, meta) for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"])]


def _to_passage(chunk_id: str, text: str, meta: dict[str, Any]) -> Passage:
    doc_id = str(meta["doc_id"])
    return Passage(
        chunk_id=chunk_id,
        doc_id=doc_id,
        position=int(meta["position"]),
        text=text,
        score=1.0,
        facts=DocumentFacts.from_metadata({k: v for k, v in meta.items() if k not in _INTERNAL}, default_title=doc_id),
        section=str(meta.get("section") or ""),
        ref_keys=tuple(meta.get("ref_keys") or ()),
        legal=LegalPlace.from_metadata(meta),
    )
