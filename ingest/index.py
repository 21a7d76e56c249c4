"""The one module that talks to Chroma.

An index is a series of generations. Every ingestion writes a complete new
generation beside the active one (copying the vectors of unchanged documents,
embedding only what changed) and then flips a pointer to it. Nothing ever
writes to a generation that a reader may have open, so:

- an ingestion that fails or is killed at any point leaves the previous
  generation serving; the next run drops what it left behind;
- a reader in another process (the Telegram bot) keeps answering during an
  ingestion and, reading the pointer before each question, moves to the
  new generation without a restart.

Chroma's embedded `PersistentClient` is not safe for two processes on one
directory (chroma-core/chroma#3769, #3792), so locally each generation is its
own Chroma directory, written by one process and read-only once active; the
pointer is a JSON file replaced atomically. In server mode (CHROMA_HOST) the
server serializes access: generations are collections, the pointer is a
collection's metadata and the writers' lock a collection that exists while
an ingestion runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import IndexStateError, ModelMismatchError
from ingest.citations import parse_citations
from ingest.models import Chunk, Document, Passage
from ingest.registry import Directive, Registry
from ingest.settings import Settings

log = logging.getLogger(__name__)

POINTER_FILE = "qcdc-index.json"
LOCK_FILE = "qcdc-ingest.lock"
POINTER_COLLECTION = "qcdc-pointer"
LOCK_COLLECTION = "qcdc-ingest-lock"
# A server-side lock older than this was left by a writer that died.
LOCK_STALE_S = 6 * 3600
# 3: one Chroma directory (or set of server collections) per generation.
FORMAT_VERSION = 3
_GENERATION = re.compile(r"qcdc-\d{8}-\d{6}-\d+-[0-9a-f]{4}")
_PARTS = ("chunks", "cards", "files")
# What formats 1 and 2 kept in the index folder itself, removed when a generation replaces them.
_LEGACY = re.compile(r"chroma\.sqlite3.*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|qcdc-(registry|lexical)-.*")
_BATCH = 256


@dataclass(frozen=True)
class StoredDocument:
    """What a generation holds of one document."""

    doc_hash: str
    path: str


def _chroma_settings() -> Any:
    import chromadb

    return chromadb.Settings(anonymized_telemetry=False)


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _current(info: dict[str, Any] | None) -> bool:
    return bool(info) and info.get("format") == FORMAT_VERSION and "generation" in info


def _rebuild_needed(store: Store) -> IndexStateError:
    return IndexStateError(
        f"the index at {store.location} is incomplete or of an older version",
        user_message="Chỉ mục không đầy đủ hoặc thuộc phiên bản cũ; hãy chạy `python -m ingest --rebuild`.",
        hint="Run `python -m ingest --rebuild`.",
    )


class Store:
    """Where the generations of one index live: a local folder or a Chroma server."""

    location: str

    # --- what each kind of store provides ------------------------------------

    def pointer(self) -> dict[str, Any] | None:
        """The active generation's description, or None when there is no index."""
        raise NotImplementedError

    def _set_pointer(self, info: dict[str, Any]) -> None:
        raise NotImplementedError

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """One writer at a time; readers never wait."""
        raise NotImplementedError

    def client(self, generation: str, create: bool = False) -> Any:
        raise NotImplementedError

    def release(self, client: Any) -> None:
        """Let go of a client from `client` (local stores close the generation's files)."""

    def generations(self) -> set[str]:
        raise NotImplementedError

    def drop(self, generation: str) -> None:
        raise NotImplementedError

    def lexical_dir(self, generation: str) -> Path | None:
        """Where the BM25 index is saved beside a generation; None: rebuilt on load."""
        return None

    # --- shared ----------------------------------------------------------------

    def is_current(self) -> bool:
        """An index exists and has this version's layout (else it needs a rebuild)."""
        return _current(self.pointer())

    def open_active(self) -> ChunkIndex:
        """The active generation, for reading."""
        info = self.pointer()
        if info is None:
            raise IndexStateError(
                f"no index at {self.location}",
                user_message=f"Chưa có chỉ mục tại {self.location}; hãy chạy `python -m ingest` để xây dựng.",
                hint="Run `python -m ingest` to build it.",
            )
        if not _current(info):
            raise _rebuild_needed(self)
        return ChunkIndex.open(self, info)

    def create(self, model_name: str, dimension: int, signature: str = "") -> ChunkIndex:
        """A new, empty generation that readers do not see until `activate`."""
        generation = f"qcdc-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(2)}"
        info = {
            "format": FORMAT_VERSION,
            "generation": generation,
            "embedding_model": model_name,
            "dimension": dimension,
            "signature": signature,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        return ChunkIndex.create(self, info)

    def activate(self, index: ChunkIndex) -> None:
        """Point readers at `index`; drop every other generation but the one it
        replaces, which a reader may still be querying (so also those left by killed runs)."""
        previous = (self.pointer() or {}).get("generation")
        if previous and previous != index.generation:
            index.info["previous"] = previous  # so that `prune` keeps it too
        self._set_pointer(index.info)
        self.prune()

    def prune(self) -> None:
        """Drop every generation but the active one and the one it replaced:
        those left by killed or failed runs. Call only while holding `lock`."""
        info = self.pointer() or {}
        for generation in self.generations() - {info.get("generation"), info.get("previous")}:
            log.info("dropping index generation %s", generation)
            self.drop(generation)

    def discard(self, index: ChunkIndex) -> None:
        """Drop a generation that was never activated (best effort)."""
        index.close()
        try:
            self.drop(index.generation)
        except Exception as exc:  # the next activation drops it anyway
            log.warning("could not drop unfinished generation %s: %s", index.generation, exc)


class LocalStore(Store):
    """A folder: the pointer file, the writers' lock and one Chroma folder per generation."""

    def __init__(self, root: Path):
        self.root = root
        self.location = str(root)

    def pointer(self) -> dict[str, Any] | None:
        try:
            text = (self.root / POINTER_FILE).read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            info = json.loads(text)
        except ValueError:
            return {}  # unreadable: exists, not current
        return info if isinstance(info, dict) else {}

    def _set_pointer(self, info: dict[str, Any]) -> None:
        _write_json_atomic(self.root / POINTER_FILE, info)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_FILE, "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise _busy(str(self.root)) from exc
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def client(self, generation: str, create: bool = False) -> Any:
        import chromadb

        folder = self.root / generation
        if not create and not folder.is_dir():
            raise _rebuild_needed(self)
        folder.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(folder), settings=_chroma_settings())

    def release(self, client: Any) -> None:
        client.close()

    def generations(self) -> set[str]:
        if not self.root.is_dir():
            return set()
        return {p.name for p in self.root.iterdir() if _GENERATION.fullmatch(p.name)}

    def drop(self, generation: str) -> None:
        shutil.rmtree(self.root / generation, ignore_errors=True)

    def activate(self, index: ChunkIndex) -> None:
        replaced = self.pointer() or {}
        super().activate(index)
        if replaced.get("format", FORMAT_VERSION) >= FORMAT_VERSION:
            return
        for legacy in self.root.iterdir():
            if _LEGACY.fullmatch(legacy.name):
                log.info("removing %s, left by an older index format", legacy.name)
                if legacy.is_dir():
                    shutil.rmtree(legacy, ignore_errors=True)
                else:
                    legacy.unlink(missing_ok=True)

    def lexical_dir(self, generation: str) -> Path | None:
        return self.root / generation / "lexical"


class ServerStore(Store):
    """A Chroma server (`chroma run`), shared by processes on several machines."""

    def __init__(self, host: str, port: int):
        import chromadb

        self.location = f"http://{host}:{port}"
        try:
            self._client = chromadb.HttpClient(host=host, port=port, settings=_chroma_settings())
            self._client.heartbeat()
        except Exception as exc:  # connection refused, timeout, not a Chroma server
            raise IndexStateError(
                f"cannot reach the Chroma server at {self.location}: {exc}",
                user_message=f"Không kết nối được máy chủ Chroma tại {self.location}; hãy kiểm tra CHROMA_HOST/CHROMA_PORT.",
                hint="Start it with `chroma run --path DIR --host HOST --port PORT`, or unset CHROMA_HOST.",
            ) from exc

    def _names(self) -> set[str]:
        return {str(getattr(c, "name", c)) for c in self._client.list_collections()}

    def pointer(self) -> dict[str, Any] | None:
        if POINTER_COLLECTION not in self._names():
            return None
        info = self._client.get_collection(POINTER_COLLECTION, embedding_function=None).metadata or {}
        return dict(info) or None

    def _set_pointer(self, info: dict[str, Any]) -> None:
        pointer = self._client.get_or_create_collection(POINTER_COLLECTION, embedding_function=None)
        pointer.modify(metadata=info)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        holder = {"host": socket.gethostname(), "pid": os.getpid(), "started": time.time()}
        for attempt in range(2):
            try:
                self._client.create_collection(LOCK_COLLECTION, metadata=holder, embedding_function=None)
                break
            except Exception as exc:  # it exists: another writer, or a dead one's leftover
                other = self._client.get_collection(LOCK_COLLECTION, embedding_function=None).metadata or {}
                if attempt == 0 and _stale(other):
                    log.warning("removing a stale ingestion lock left by %s", other)
                    self._client.delete_collection(LOCK_COLLECTION)
                    continue
                raise _busy(self.location) from exc
        try:
            yield
        finally:
            self._client.delete_collection(LOCK_COLLECTION)

    def client(self, generation: str, create: bool = False) -> Any:
        return self._client

    def generations(self) -> set[str]:
        return {name.rsplit("-", 1)[0] for name in self._names() if _GENERATION.fullmatch(name.rsplit("-", 1)[0])}

    def drop(self, generation: str) -> None:
        names = self._names()
        for part in _PARTS:
            if f"{generation}-{part}" in names:
                self._client.delete_collection(f"{generation}-{part}")


def _stale(holder: dict[str, Any]) -> bool:
    """A lock whose writer is dead: same machine and no such process, or very old."""
    if time.time() - float(holder.get("started", 0)) > LOCK_STALE_S:
        return True
    if holder.get("host") == socket.gethostname():
        try:
            os.kill(int(holder.get("pid", 0)), 0)
        except ProcessLookupError:
            return True
        except (PermissionError, ValueError):
            return False
    return False


def _busy(location: str) -> IndexStateError:
    return IndexStateError(
        f"another ingestion is writing to {location}",
        user_message="Một tiến trình nạp dữ liệu khác đang ghi vào chỉ mục này; hãy chờ nó xong.",
        hint="Wait for it to finish.",
    )


def open_store(settings: Settings, db: Path | None = None) -> Store:
    """The server named by CHROMA_HOST, else the folder `db` (default CHROMA_PATH)."""
    if settings.chroma_host:
        return ServerStore(settings.chroma_host, settings.chroma_port)
    return LocalStore(db or settings.chroma_path)


class ChunkIndex:
    """One generation: its chunks, its directive cards and its registry."""

    def __init__(self, store: Store, info: dict[str, Any], client: Any, collection: Any):
        self.store = store
        self.info = info
        self._client = client
        self._collection = collection
        self._closed = False

    def _part(self, part: str) -> str:
        return f"{self.generation}-{part}"

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, store: Store, info: dict[str, Any]) -> ChunkIndex:
        client = store.client(str(info["generation"]))
        try:
            collection = client.get_collection(f"{info['generation']}-chunks", embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError/ValueError across versions
            store.release(client)
            raise _rebuild_needed(store) from exc
        return cls(store, info, client, collection)

    @classmethod
    def create(cls, store: Store, info: dict[str, Any]) -> ChunkIndex:
        generation = str(info["generation"])
        client = store.client(generation, create=True)
        collection = client.create_collection(
            f"{generation}-chunks",
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": info["embedding_model"], "dimension": info["dimension"]},
            embedding_function=None,
        )
        return cls(store, info, client, collection)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.store.release(self._client)

    def check_model(self, model_name: str) -> None:
        built_with = self.info.get("embedding_model")
        if built_with != model_name:
            raise ModelMismatchError(
                f"the index at {self.store.location} was built with {built_with!r}, "
                f"but EMBEDDING_MODEL is {model_name!r}",
                user_message=(
                    f"Chỉ mục được xây dựng bằng mô hình {built_with!r}, khác mô hình đang cấu hình "
                    f"{model_name!r}; hãy chạy `python -m ingest --rebuild` để nhúng lại."
                ),
                hint="Run `python -m ingest --rebuild` to re-embed with the configured model.",
            )

    # --- reading -------------------------------------------------------------

    @property
    def generation(self) -> str:
        return str(self.info["generation"])

    @property
    def lexical_dir(self) -> Path | None:
        """Where ingestion saves the BM25 index of this generation's chunks."""
        return self.store.lexical_dir(self.generation)

    def count(self) -> int:
        return int(self._collection.count())

    def manifest(self) -> dict[str, StoredDocument]:
        """Per document, the version stored and the file it came from."""
        got = self._collection.get(include=["metadatas"])
        return {
            str(meta["doc_id"]): StoredDocument(str(meta["doc_hash"]), str(meta.get("path", "")))
            for meta in got["metadatas"] or []
        }

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

    def citing(self, key: str) -> list[Passage]:
        """The passages that cite a reference (by `ref_key`): a filter, not a search."""
        return self._get(where={"ref_keys": {"$contains": key}})

    def _get(self, **kwargs: Any) -> list[Passage]:
        got = self._collection.get(include=["documents", "metadatas"], **kwargs)
        passages = [
            _to_passage(cid, text, meta, 1.0)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"])
        ]
        return sorted(passages, key=lambda p: (p.doc_id, p.position))

    # --- the directive registry and its cards ---------------------------------

    def load_registry(self) -> Registry:
        try:
            files = self._client.get_collection(self._part("files"), embedding_function=None)
        except Exception:  # a generation being written has none yet
            return Registry([], [])
        got = files.get(ids=["registry"], include=["documents"])
        return Registry.from_json(got["documents"][0] if got["documents"] else None)

    def save_registry(
        self,
        registry: Registry,
        embed: Callable[[list[str]], list[list[float]]],
        previous: ChunkIndex | None = None,
    ) -> int:
        """Store the registry and its cards, reusing `previous`'s card vectors
        where the text is the same; returns how many cards were embedded."""
        files = self._client.get_or_create_collection(self._part("files"), embedding_function=None)
        # A record rather than a file, so that server mode shares it; the vector is a placeholder.
        files.upsert(ids=["registry"], documents=[registry.to_json()], embeddings=[[1.0]])
        cards = self._client.get_or_create_collection(
            self._part("cards"), configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        texts = {d.id: _card_text(d) for d in registry.directives}
        if not texts:
            return 0
        reuse = previous._cards(list(texts)) if previous is not None else {}
        ids = list(texts)
        todo = [i for i in ids if reuse.get(i, ("", None))[0] != texts[i]]
        fresh = dict(zip(todo, embed([texts[i] for i in todo]))) if todo else {}
        cards.add(
            ids=ids,
            documents=[texts[i] for i in ids],
            embeddings=[list(fresh[i]) if i in fresh else list(reuse[i][1]) for i in ids],
        )
        return len(todo)

    def _cards(self, ids: list[str]) -> dict[str, tuple[str, Any]]:
        try:
            cards = self._client.get_collection(self._part("cards"), embedding_function=None)
        except Exception:
            return {}
        got = cards.get(ids=ids, include=["documents", "embeddings"])
        return {i: (d, e) for i, d, e in zip(got["ids"], got["documents"], got["embeddings"])}

    def search_cards(self, embedding: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Directive ids ranked by meaning, with cosine similarity."""
        try:
            cards = self._client.get_collection(self._part("cards"), embedding_function=None)
        except Exception:  # no registry yet
            return []
        n = min(k, cards.count())
        if n <= 0:
            return []
        res = cards.query(query_embeddings=[list(embedding)], n_results=n, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    # --- writing (only to a generation that is not active yet) -------------------

    def add(self, doc: Document, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        source = doc.source_metadata()
        metadatas = [
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
                **({"section": c.section} if c.section else {}),
            }
            for c in chunks
        ]
        self._add([c.id for c in chunks], [list(e) for e in embeddings], [c.text for c in chunks], metadatas)

    def copy_documents(self, source: ChunkIndex, doc_ids: set[str]) -> None:
        """Copy these documents' chunks, vectors included, from another generation."""
        if not doc_ids:
            return
        got = source._collection.get(include=["embeddings", "documents", "metadatas"])
        rows = [
            (i, list(e), d, m)
            for i, e, d, m in zip(got["ids"], got["embeddings"], got["documents"], got["metadatas"])
            if m["doc_id"] in doc_ids
        ]
        if rows:
            ids, embeddings, documents, metadatas = (list(col) for col in zip(*rows))
            self._add(ids, embeddings, documents, metadatas)

    def _add(self, ids: list[str], embeddings: list[Any], documents: list[str], metadatas: list[dict[str, Any]]) -> None:
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            self._collection.add(
                ids=ids[start:end],
                embeddings=embeddings[start:end],
                documents=documents[start:end],
                metadatas=metadatas[start:end],
            )


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
