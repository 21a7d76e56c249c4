"""The one module that talks to Chroma.

Layout of the index folder: Chroma's own files, plus `qcdc-index.json`, which
names the active collection and the embedding model it was built with. A
rebuild fills a new collection and then replaces that file atomically, so a
process killed mid-rebuild leaves the previous index serving. Incremental
updates add a changed document's new chunks before deleting its old ones, for
the same reason; `manifest()` sees any half-written state and the next run
repairs it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import IndexStateError, ModelMismatchError
from ingest.citations import parse_citations
from ingest.models import Chunk, Document, Passage
from ingest.registry import Directive, Registry

log = logging.getLogger(__name__)

POINTER_FILE = "qcdc-index.json"
LOCK_FILE = "qcdc-ingest.lock"
REGISTRY_PREFIX = "qcdc-registry-"
LEXICAL_PREFIX = "qcdc-lexical-"
# 2: chunks carry the references they cite; directive cards; the registry.
FORMAT_VERSION = 2
_BATCH = 256


@dataclass
class DocState:
    """What the index holds of one document: chunk counts per content hash."""

    hashes: dict[str, int] = field(default_factory=dict)  # doc_hash -> chunks present
    expected: dict[str, int] = field(default_factory=dict)  # doc_hash -> n_chunks

    def is_complete(self, doc_hash: str) -> bool:
        """Whether every chunk of that version was written."""
        return doc_hash in self.hashes and self.hashes[doc_hash] == self.expected[doc_hash]


def _client(path: Path) -> Any:
    import chromadb

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(path), settings=chromadb.Settings(anonymized_telemetry=False)
    )


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def index_exists(path: Path) -> bool:
    return (path / POINTER_FILE).is_file()


def index_is_current(path: Path) -> bool:
    """An index exists and has this version's layout (else it needs a rebuild)."""
    try:
        return json.loads((path / POINTER_FILE).read_text(encoding="utf-8")).get("format") == FORMAT_VERSION
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def ingestion_lock(path: Path) -> Iterator[None]:
    """One writer at a time; readers never wait."""
    path.mkdir(parents=True, exist_ok=True)
    with open(path / LOCK_FILE, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexStateError(
                f"another ingestion is writing to {path}",
                user_message="Một tiến trình nạp dữ liệu khác đang ghi vào chỉ mục này; hãy chờ nó xong.",
                hint="Wait for it to finish.",
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class ChunkIndex:
    """A Chroma collection of chunks, with the model that embedded them."""

    def __init__(self, path: Path, client: Any, collection: Any, info: dict[str, Any]):
        self.path = path
        self._client = client
        self._collection = collection
        self.info = info

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> ChunkIndex:
        """Open the active index for reading and incremental writes."""
        pointer = path / POINTER_FILE
        if not pointer.is_file():
            raise IndexStateError(
                f"no index at {path}",
                user_message=f"Chưa có chỉ mục tại {path}; hãy chạy `python -m ingest` để xây dựng.",
                hint="Run `python -m ingest` to build it.",
            )
        try:
            info = json.loads(pointer.read_text(encoding="utf-8"))
            name = info["collection"]
        except (ValueError, KeyError) as exc:
            raise IndexStateError(
                f"{pointer} is unreadable",
                user_message="Tệp mô tả chỉ mục bị hỏng; hãy chạy `python -m ingest --rebuild`.",
                hint="Run `python -m ingest --rebuild`.",
            ) from exc
        client = _client(path)
        try:
            collection = client.get_collection(name, embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError/ValueError across versions
            raise IndexStateError(
                f"collection {name} named by {pointer} is missing",
                user_message="Chỉ mục không đầy đủ; hãy chạy `python -m ingest --rebuild`.",
                hint="Run `python -m ingest --rebuild`.",
            ) from exc
        return cls(path, client, collection, info)

    @classmethod
    def create(cls, path: Path, model_name: str, dimension: int) -> ChunkIndex:
        """A new, empty, not yet active generation (see `activate`)."""
        client = _client(path)
        name = f"chunks-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
        info = {
            "format": FORMAT_VERSION,
            "collection": name,
            "embedding_model": model_name,
            "dimension": dimension,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        collection = client.create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": model_name, "dimension": dimension},
            embedding_function=None,
        )
        return cls(path, client, collection, info)

    def activate(self) -> None:
        """Make this generation the one readers open; drop the others."""
        _write_json_atomic(self.path / POINTER_FILE, self.info)
        for other in self._client.list_collections():
            other_name = str(getattr(other, "name", other))
            if other_name.startswith("chunks-") and not other_name.startswith(self.name):
                log.info("dropping old index generation %s", other_name)
                self._client.delete_collection(other_name)
        for stale in self.path.glob(f"{REGISTRY_PREFIX}*.json"):
            if stale != self.registry_path:
                stale.unlink(missing_ok=True)
        for stale in self.path.glob(f"{LEXICAL_PREFIX}*"):
            if stale != self.lexical_path:
                shutil.rmtree(stale, ignore_errors=True)

    def check_model(self, model_name: str) -> None:
        built_with = self.info.get("embedding_model")
        if built_with != model_name:
            raise ModelMismatchError(
                f"the index at {self.path} was built with {built_with!r}, "
                f"but EMBEDDING_MODEL is {model_name!r}",
                user_message=(
                    f"Chỉ mục được xây dựng bằng mô hình {built_with!r}, khác mô hình đang cấu hình "
                    f"{model_name!r}; hãy chạy `python -m ingest --rebuild` để nhúng lại."
                ),
                hint="Run `python -m ingest --rebuild` to re-embed with the configured model.",
            )

    # --- reading -------------------------------------------------------------

    @property
    def name(self) -> str:
        return str(self.info["collection"])

    def count(self) -> int:
        return int(self._collection.count())

    def manifest(self) -> dict[str, DocState]:
        """Per document, which versions are present and how completely."""
        states: dict[str, DocState] = defaultdict(DocState)
        got = self._collection.get(include=["metadatas"])
        for meta in got["metadatas"] or []:
            state = states[meta["doc_id"]]
            h = meta["doc_hash"]
            state.hashes[h] = state.hashes.get(h, 0) + 1
            state.expected[h] = int(meta["n_chunks"])
        return dict(states)

    def query(self, embedding: Sequence[float], k: int) -> list[Passage]:
        n = min(k, self.count())
        if n <= 0:
            return []
        res = self._collection.query(
            query_embeddings=[list(embedding)],
            n_results=n,
            include=["documents", "metadatas", "distances"],
        )
        return [
            _to_passage(cid, text, meta, dist)
            for cid, text, meta, dist in zip(
                res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0]
            )
        ]

    def all_passages(self) -> list[Passage]:
        """Every chunk, in document order."""
        return self._get()

    def chunks_of(self, doc_id: str) -> list[Passage]:
        return self._get(where={"doc_id": doc_id})

    def _get(self, **kwargs: Any) -> list[Passage]:
        got = self._collection.get(include=["documents", "metadatas"], **kwargs)
        passages = [
            _to_passage(cid, text, meta, 1.0)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"])
        ]
        return sorted(passages, key=lambda p: (p.doc_id, p.position))

    # --- writing -------------------------------------------------------------

    def citing(self, key: str) -> list[Passage]:
        """The passages that cite a reference (by `ref_key`): a filter, not a search."""
        return self._get(where={"ref_keys": {"$contains": key}})

    # --- the directive registry and its cards ---------------------------------

    @property
    def lexical_path(self) -> Path:
        """Where ingestion saves the BM25 index of this generation's chunks."""
        return self.path / f"{LEXICAL_PREFIX}{self.name}"

    @property
    def registry_path(self) -> Path:
        return self.path / f"{REGISTRY_PREFIX}{self.name}.json"

    def load_registry(self) -> Registry:
        return Registry.load(self.registry_path)

    def save_registry(self, registry: Registry, embed: Callable[[list[str]], list[list[float]]]) -> int:
        """Store the registry and bring its cards in step; returns how many cards were embedded."""
        registry.save(self.registry_path)
        cards = self._client.get_or_create_collection(
            f"{self.name}-cards", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        texts = {d.id: _card_text(d) for d in registry.directives}
        stored = cards.get(include=["documents"])
        have = dict(zip(stored["ids"], stored["documents"]))
        stale = [i for i in have if texts.get(i) != have[i]]
        if stale:
            cards.delete(ids=stale)
        todo = [i for i in texts if have.get(i) != texts[i]]
        if todo:
            cards.add(ids=todo, documents=[texts[i] for i in todo], embeddings=embed([texts[i] for i in todo]))
        return len(todo)

    def search_cards(self, embedding: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Directive ids ranked by meaning, with cosine similarity."""
        try:
            cards = self._client.get_collection(f"{self.name}-cards", embedding_function=None)
        except Exception:  # no registry yet
            return []
        n = min(k, cards.count())
        if n <= 0:
            return []
        res = cards.query(query_embeddings=[list(embedding)], n_results=n, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def add(self, doc: Document, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        source = doc.source_metadata()
        for start in range(0, len(chunks), _BATCH):
            batch = chunks[start : start + _BATCH]
            self._collection.add(
                ids=[c.id for c in batch],
                embeddings=[list(e) for e in embeddings[start : start + _BATCH]],
                documents=[c.text for c in batch],
                metadatas=[
                    {
                        **source,
                        **_ref_metadata(c.text),
                        "path": doc.path,
                        "doc_id": c.doc_id,
                        "doc_hash": c.doc_hash,
                        "position": c.position,
                        "n_chunks": c.n_chunks,
                        "char_start": c.char_start,
                        "char_end": c.char_end,
                    }
                    for c in batch
                ],
            )

    def delete_document(self, doc_id: str, keep_hash: str | None = None) -> None:
        """Delete a document's chunks, or only its versions other than `keep_hash`."""
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_hash is not None:
            where = {"$and": [{"doc_id": doc_id}, {"doc_hash": {"$ne": keep_hash}}]}
        self._collection.delete(where=where)


def _ref_metadata(text: str) -> dict[str, list[str]]:
    """The references a chunk cites (Chroma stores no empty lists)."""
    cites = [c for c in parse_citations(text) if c.symbol]
    if not cites:
        return {}
    return {
        "refs": list(dict.fromkeys(c.ref for c in cites)),
        "ref_keys": list(dict.fromkeys(c.key for c in cites)),
    }


def _card_text(directive: Directive) -> str:
    """The card, then what the corpus says of it: what is embedded and shown."""
    said = " ".join(dict.fromkeys(m.sentence for m in directive.mentions))
    return f"{directive.card()}\n{said}"[:1500]


def _to_passage(chunk_id: str, text: str, meta: dict[str, Any], distance: float) -> Passage:
    meta = dict(meta)
    doc_id = str(meta.pop("doc_id"))
    position = int(meta.pop("position"))
    ref_keys = tuple(meta.pop("ref_keys", ()) or ())
    for internal in ("doc_hash", "n_chunks", "char_start", "char_end", "refs"):
        meta.pop(internal, None)
    return Passage(
        chunk_id=chunk_id,
        doc_id=doc_id,
        position=position,
        text=text,
        score=1.0 - float(distance),
        source=meta,
        ref_keys=ref_keys,
    )
