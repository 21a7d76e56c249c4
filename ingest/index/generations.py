"""Index generations: the versions of one index, the pointer to the active one,
the writers' lock and the cleanup of what killed runs leave. Knows nothing of
chunks (`ingest.index.chunk_store` builds on it).

An index is a series of generations. Every ingestion writes a complete new
generation beside the active one and then flips the pointer to it. Nothing
ever writes to a generation that a reader may have open, so:

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
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ingest.errors import IndexStateError
from ingest.settings import Settings

log = logging.getLogger(__name__)

POINTER_FILE = "qcdc-index.json"
LOCK_FILE = "qcdc-ingest.lock"
POINTER_COLLECTION = "qcdc-pointer"
LOCK_COLLECTION = "qcdc-ingest-lock"
# A server-side lock older than this was left by a writer that died.
LOCK_STALE_S = 6 * 3600
# 3: one Chroma directory (or set of server collections) per generation.
# 4: legal articles carry their place (legal_* metadata); more curated abbreviations.
# 5: a Pháp điển chapter mark glued to an article's last sentence opens its chapter (five in the
#    Fatherland Front đề mục: its articles after them carried the chapter before).
# 6: a Pháp điển article whose note names its document in full keeps that note under its heading.
FORMAT_VERSION = 6
_GENERATION = re.compile(r"qcdc-\d{8}-\d{6}-\d+-[0-9a-f]{4}")
_PARTS = (
    "chunks",
    "cards",
    "files",
)  # "cards": directive card vectors, written by earlier builds; dropped with their generation
# What formats 1 and 2 kept in the index folder itself, removed when a generation replaces them.
_LEGACY = re.compile(
    r"chroma\.sqlite3.*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|qcdc-(registry|lexical)-.*"
)


@dataclass(frozen=True)
class IndexPointer:
    """The active generation's description, as the pointer stores it."""

    generation: str
    embedding_model: str
    dimension: int
    signature: str = ""  # of everything the generation was made from (ingest.pipeline)
    created: str = ""
    previous: str | None = None  # the generation it replaced, kept for readers still on it
    format: int = FORMAT_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}  # Chroma metadata holds no nulls

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndexPointer | None:
        """The pointer, or None when it is of another format or unreadable (a rebuild is needed)."""
        if data.get("format") != FORMAT_VERSION or "generation" not in data:
            return None
        try:
            return cls(
                generation=str(data["generation"]),
                embedding_model=str(data.get("embedding_model", "")),
                dimension=int(data.get("dimension", 0)),
                signature=str(data.get("signature", "")),
                created=str(data.get("created", "")),
                previous=str(data["previous"]) if data.get("previous") else None,
            )
        except (TypeError, ValueError):
            return None

    @classmethod
    def new(cls, model_name: str, dimension: int, signature: str = "") -> IndexPointer:
        """A fresh generation's pointer (its name sorts by time and never collides)."""
        generation = f"qcdc-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(2)}"
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return cls(generation, model_name, dimension, signature, created)


def _chroma_settings() -> Any:
    import chromadb

    return chromadb.Settings(anonymized_telemetry=False)


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """`data` as `path`, whole or not at all: written beside it, fsynced, then renamed over it."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def rebuild_needed(store: Store) -> IndexStateError:
    return IndexStateError(
        f"the index at {store.location} is incomplete or of an older version",
        user_message="Chỉ mục không đầy đủ hoặc thuộc phiên bản cũ; hãy chạy `python -m ingest --rebuild`.",
        hint="Run `python -m ingest --rebuild`.",
    )


class Store:
    """Where the generations of one index live: a local folder or a Chroma server."""

    location: str

    # --- what each kind of store provides ------------------------------------

    def _read_pointer(self) -> dict[str, Any] | None:
        """The pointer as stored; None when there is none, {} when it is unreadable."""
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

    def copy_generation(self, source: str, target: str) -> bool:
        """Make `target` a copy of generation `source`'s chunks; False where the store cannot
        (a server), and the caller copies the records instead."""
        return False

    # --- shared ----------------------------------------------------------------

    def exists(self) -> bool:
        """Whether there is an index at all (current or of an older version)."""
        return self._read_pointer() is not None

    def pointer(self) -> IndexPointer | None:
        """The active generation, or None when there is no index of this version."""
        raw = self._read_pointer()
        return IndexPointer.from_dict(raw) if raw is not None else None

    def is_current(self) -> bool:
        """An index exists and has this version's layout (else it needs a rebuild)."""
        return self.pointer() is not None

    def active(self) -> IndexPointer:
        """The active generation, or IndexStateError saying how to build one."""
        pointer = self.pointer()
        if pointer is not None:
            return pointer
        if not self.exists():
            raise IndexStateError(
                f"no index at {self.location}",
                user_message=f"Chưa có chỉ mục tại {self.location}; hãy chạy `python -m ingest` để xây dựng.",
                hint="Run `python -m ingest` to build it.",
            )
        raise rebuild_needed(self)

    def activate(self, pointer: IndexPointer) -> IndexPointer:
        """Point readers at a complete generation; drop every other generation but
        the one it replaces, which a reader may still be querying (so also those
        left by killed runs). Returns the pointer as stored."""
        replaced = self.pointer()
        if replaced is not None and replaced.generation != pointer.generation:
            pointer = replace(pointer, previous=replaced.generation)  # so that `prune` keeps it too
        self._set_pointer(pointer.to_dict())
        self.prune()
        return pointer

    def prune(self) -> None:
        """Drop every generation but the active one and the one it replaced:
        those left by killed or failed runs. Call only while holding `lock`."""
        pointer = self.pointer()
        keep = {pointer.generation, pointer.previous} if pointer else set()
        for generation in self.generations() - keep:
            log.info("dropping index generation %s", generation)
            self.drop(generation)

    def discard(self, generation: str) -> None:
        """Drop a generation that was never activated (best effort)."""
        try:
            self.drop(generation)
        except Exception as exc:  # noqa: BLE001 - the next activation drops it anyway
            log.warning("could not drop unfinished generation %s: %s", generation, exc)


class LocalStore(Store):
    """A folder: the pointer file, the writers' lock and one Chroma folder per generation."""

    def __init__(self, root: Path):
        self.root = root
        self.location = str(root)

    def _read_pointer(self) -> dict[str, Any] | None:
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
        write_json_atomic(self.root / POINTER_FILE, info)

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
            raise rebuild_needed(self)
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

    def activate(self, pointer: IndexPointer) -> IndexPointer:
        raw = self._read_pointer()
        older = raw is not None and IndexPointer.from_dict(raw) is None  # an index of an older format
        stored = super().activate(pointer)
        if older:
            self._remove_legacy()
        return stored

    def _remove_legacy(self) -> None:
        for legacy in self.root.iterdir():
            if _LEGACY.fullmatch(legacy.name):
                log.info("removing %s, left by an older index format", legacy.name)
                if legacy.is_dir():
                    shutil.rmtree(legacy, ignore_errors=True)
                else:
                    legacy.unlink(missing_ok=True)

    def lexical_dir(self, generation: str) -> Path | None:
        return self.root / generation / "lexical"

    def copy_generation(self, source: str, target: str) -> bool:
        # The source is an activated generation: no writer touches it again, so
        # a file copy is consistent while readers have it open. The copy goes
        # through the kernel (copy_file_range), not through Python lists of
        # vectors, and the target stays invisible until activated.
        shutil.copytree(self.root / source, self.root / target, ignore=shutil.ignore_patterns("lexical", "lexical.tmp"))
        return True


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

    def _read_pointer(self) -> dict[str, Any] | None:
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
