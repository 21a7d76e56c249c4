"""Incremental ingestion: corpus files → chunks → embeddings → a new index generation."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ingest.chunking import chunk_document
from ingest.errors import CorpusError, IndexStateError
from ingest.index.chunk_store import ChunkIndex, StoredDocument
from ingest.index.derived import Derived, Fresh, RowTable, derive
from ingest.index.embeddings import IndexEmbeddings, make_embedder
from ingest.index.generations import FORMAT_VERSION, Store, open_store
from ingest.index.lexical import LEXICAL_FORMAT
from ingest.language.normalize import printable
from ingest.logs import event
from ingest.models import Chunk, Document
from ingest.overrides import load_overrides
from ingest.readers.corpus import inside
from ingest.readers.reading import failure_reason, load_documents
from ingest.registry_build import build_registry
from ingest.report import IngestReport
from ingest.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees for a chunk: its normalized text."""
    return chunk.text_norm


def _under(path: str, roots: list[Path]) -> bool:
    return any(inside(PROJECT_ROOT / path, r) for r in roots)


def _signature(
    model: str,
    docs: list[Document],
    failures: list[tuple[str, str]],
    overrides: list[dict[str, Any]],
    gone: list[str],
) -> str:
    """Everything a generation is made from: equal signatures, nothing to redo. `gone`: stored
    documents whose file is no longer there (one ingested from a path given once, above all)."""
    state = {
        "format": FORMAT_VERSION,
        "lexical": LEXICAL_FORMAT,  # a new tokenization re-derives the lexical index (no re-embedding)
        "model": model,
        "docs": sorted((d.id, d.content_hash, d.path) for d in docs),
        "failed": sorted(path for path, _ in failures),
        "overrides": overrides,
    }
    if gone:  # only then, so that the signatures of indexes written before stay the same
        state["gone"] = sorted(gone)
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def ingest(
    settings: Settings,
    paths: Iterable[Path] = (),
    *,
    db: Path | None = None,
    rebuild: bool = False,
    embedder: IndexEmbeddings | None = None,
    progress: bool = False,
) -> IngestReport:
    """Bring the index in step with the corpus folder and `paths`.

    Writes a new generation (see ingest.index.generations): unchanged documents are copied
    with their vectors, changed and new ones embedded, and documents whose file
    is gone from a scanned folder (or from disk) left out. The previous
    generation serves until the new one is complete. Logs one `ingestion` event
    (see ingest.logs) whether it succeeds or fails.
    """
    started = time.perf_counter()
    try:
        report = _ingest(settings, paths, db, rebuild, embedder, progress, started)
    except BaseException as exc:
        event("ingestion", ok=False, error=type(exc).__name__, seconds=round(time.perf_counter() - started, 2))
        raise
    event(
        "ingestion",
        ok=not report.failures,
        new=report.new,
        changed=report.changed,
        unchanged=report.unchanged,
        removed=report.removed,
        failed=len(report.failures),
        chunks=report.chunks_total,
        seconds=round(report.seconds, 2),
    )
    return report


def _ingest(
    settings: Settings,
    paths: Iterable[Path],
    db: Path | None,
    rebuild: bool,
    embedder: IndexEmbeddings | None,
    progress: bool,
    started: float,
) -> IngestReport:
    store = open_store(settings, db)
    roots = [settings.corpus_dir, *([settings.documents_dir] if settings.documents_dir else []), *paths]
    report = IngestReport()
    embedder = embedder or make_embedder(settings)

    with store.lock():
        store.prune()  # what killed or failed runs left, whether or not anything changed now
        old = ChunkIndex.open(store) if store.is_current() and not rebuild else None
        try:
            if old is not None:
                old.check_model(embedder.identity)
            table = RowTable.load(old.lexical_dir) if old is not None else None
            stats: dict[str, list[int]] = {}
            docs = load_documents(
                roots,
                report,
                int(settings.max_file_mb * 1_000_000),
                table.docs if table else None,
                stats,
                strict_root=settings.corpus_dir,
            )
            try:
                overrides = load_overrides(settings.corpus_dir)
            except CorpusError as exc:
                where = settings.corpus_dir / "directives.yaml"
                report.failures.append((str(where), f"không dùng được: {failure_reason(exc, where, str(where))}"))
                overrides = []
            gone = [r.path for r in (table.docs.values() if table else ()) if not (PROJECT_ROOT / r.path).exists()]
            signature = _signature(embedder.identity, docs, report.failures, overrides, gone)
            if old is not None and old.pointer.signature == signature:  # nothing changed since the last run
                report.unchanged = len(docs)
                report.chunks_total = old.count()
                registry = old.load_registry()
                report.directives, report.unresolved = len(registry.directives), registry.unresolved
                report.seconds = time.perf_counter() - started
                return report
            previous = Derived.load(old.lexical_dir, table) if old is not None else None
            _build(store, old, previous, docs, stats, roots, overrides, embedder, signature, report, progress)
        finally:
            if old is not None:
                old.close()
    report.rebuilt = old is None
    report.seconds = time.perf_counter() - started
    return report


def _build(
    store: Store,
    old: ChunkIndex | None,
    previous: Derived | None,
    docs: list[Document],
    stats: dict[str, list[int]],
    roots: list[Path],
    overrides: list[dict[str, Any]],
    embedder: IndexEmbeddings,
    signature: str,
    report: IngestReport,
    progress: bool,
) -> None:
    """Write the new generation and activate it; on any failure, remove it and keep the old one serving."""
    stored = (
        {d.doc_id: StoredDocument(d.doc_hash, d.path) for d in previous.docs.values()}
        if previous
        else (old.manifest() if old else {})
    )
    keep, todo = _plan(stored, docs, roots, report)
    try:  # copying the folder can fill the disk; `clone` removes what it copied
        new = ChunkIndex.clone(store, old, signature) if old is not None else None
    except Exception as exc:
        if _storage_error(exc):
            raise _write_failed(store.location, exc) from exc
        raise
    if new is None:
        new = ChunkIndex.create(store, embedder.identity, embedder.dimension, signature)
    try:
        if old is not None:
            if new.count():  # a copy of the old generation's folder: drop what is not kept
                new.delete_documents(set(stored) - keep)
            else:
                new.copy_documents(old, keep)
        fresh = _embed(new, todo, stats, embedder, report, progress)
        derived, registry_passages = derive(
            fresh,
            keep,
            previous,
            Derived.load_registry_passages(old.lexical_dir) if old is not None else None,
            lambda ids: [p for p in old.all_passages() if p.doc_id in ids] if old is not None else [],
            {doc_id: (d.doc_hash, d.path) for doc_id, d in stored.items()},
        )
        if new.lexical_dir is not None:
            derived.save(new.lexical_dir, registry_passages)
        registry = build_registry([p for ps in registry_passages.values() for p in ps], overrides)
        new.save_registry(registry)
        report.directives, report.unresolved = len(registry.directives), registry.unresolved
        report.chunks_total = len(derived.ids)
        new.close()
        store.activate(new.pointer)
    except BaseException as exc:
        new.close()
        store.discard(new.generation)
        if _storage_error(exc):
            raise _write_failed(store.location, exc) from exc
        raise


def _storage_error(exc: BaseException) -> bool:
    """A failure of the disk or the database under Chroma (full, read-only, gone), not of our code."""
    return isinstance(exc, (OSError, sqlite3.Error)) or type(exc).__module__.startswith("chromadb")


def _write_failed(location: str, exc: BaseException) -> IndexStateError:
    """A failure while writing a generation (a full disk, above all) as one clear error."""
    log.debug("writing a generation failed", exc_info=exc)
    detail = printable(f"{type(exc).__name__}: {exc}")[:300]
    full = (
        isinstance(exc, OSError)
        and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        or "full" in str(exc).lower()
    )
    return IndexStateError(
        f"writing the new index at {location} failed ({detail}); the previous index still serves, and what was written is removed",
        user_message=(
            ("Đĩa đã đầy: " if full else "Không ghi được chỉ mục mới: ")
            + "chỉ mục cũ vẫn phục vụ bình thường, phần ghi dở đã được xóa. Hãy giải phóng dung lượng rồi chạy lại."
        ),
        hint="Free disk space (or check permissions) and run `python -m ingest` again.",
    )


def _plan(
    stored: dict[str, StoredDocument], docs: list[Document], roots: list[Path], report: IngestReport
) -> tuple[set[str], list[Document]]:
    """Which stored documents the new generation keeps as they are, and which documents to embed."""
    stored = dict(stored)
    keep: set[str] = set()
    todo: list[Document] = []
    for doc in docs:
        before = stored.pop(doc.id, None)
        if before is not None and before.doc_hash == doc.content_hash:
            keep.add(doc.id)
            report.unchanged += 1
            continue
        todo.append(doc)
        if before is None:
            report.new += 1
        else:
            report.changed += 1
    resolved_roots = [r.resolve() for r in roots]
    unreadable = {path for path, _ in report.failures}
    for doc_id, before in stored.items():  # in the index, not read this time
        if before.path in unreadable:  # a broken edit keeps the last good version serving
            keep.add(doc_id)
        elif before.path and not _under(before.path, resolved_roots) and (PROJECT_ROOT / before.path).exists():
            keep.add(doc_id)  # ingested from a path given once, not rescanned now
        else:
            report.removed += 1
    return keep, todo


def _embed(
    new: ChunkIndex,
    todo: list[Document],
    stats: dict[str, list[int]],
    embedder: IndexEmbeddings,
    report: IngestReport,
    progress: bool,
) -> list[Fresh]:
    """Chunk, embed and store the new and changed documents, with a progress bar over passages
    (its estimate of the time left is what a first ingestion of a large library needs)."""
    chunked = [(doc, chunk_document(doc)) for doc in todo]
    fresh: list[Fresh] = []
    total = sum(len(chunks) for _, chunks in chunked)
    with tqdm(total=total, unit="passage", desc="embedding", disable=not progress or not total) as bar:
        for group in _groups(chunked, EMBED_GROUP):
            # Several small documents at once: the engines spread a batch over every core.
            vectors = embedder.embed_documents([embedding_text(c) for _, chunks in group for c in chunks])
            start = 0
            for doc, chunks in group:
                passages = new.add(doc, chunks, vectors[start : start + len(chunks)])
                start += len(chunks)
                cites = [bool(c.citations) for c in chunks]
                fresh.append(Fresh(doc.id, doc.content_hash, doc.path, stats.get(doc.id), passages, cites))
                report.chunks_embedded += len(chunks)
                bar.update(len(chunks))
    return fresh


EMBED_GROUP = 64  # passages embedded together, at least (a long document goes whole)


def _groups(chunked: list[tuple[Document, list[Chunk]]], size: int) -> Iterator[list[tuple[Document, list[Chunk]]]]:
    group: list[tuple[Document, list[Chunk]]] = []
    count = 0
    for item in chunked:
        group.append(item)
        count += len(item[1])
        if count >= size:
            yield group
            group, count = [], 0
    if group:
        yield group
