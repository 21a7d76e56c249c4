"""Incremental ingestion: corpus files → chunks → embeddings → a new index generation."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ingest.chunk_store import ChunkIndex, in_document_order
from ingest.chunking import chunk_document
from ingest.corpus import discover
from ingest.embeddings import SentenceTransformerEmbeddings
from ingest.errors import CorpusError, IndexStateError
from ingest.generations import FORMAT_VERSION, open_store
from ingest.lexical import LexicalIndex, passage_text
from ingest.loaders import load_file
from ingest.models import Chunk, Document, Passage
from ingest.normalize import printable
from ingest.registry import Mention, build_registry, load_overrides
from ingest.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    directives: int = 0
    unresolved: list[Mention] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"documents: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.removed} removed; chunks: {self.chunks_embedded} embedded, "
            f"{self.chunks_total} in index; {self.seconds:.1f} s"
        )
        text += f"; directives: {self.directives} ({len(self.unresolved)} unresolved mentions)"
        if self.failures:
            text += f"; {len(self.failures)} file(s) failed"
        return text


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees for a chunk: its normalized text."""
    return chunk.text_norm


def _display_path(path: Path) -> str:
    """Where a document came from, relative to the project when inside it; printable,
    so that a file name with a newline in it cannot forge a line of the report."""
    try:
        shown = str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        shown = str(path.resolve())
    return printable(shown)


def load_documents(paths: Iterable[Path], report: IngestReport, max_bytes: int) -> list[Document]:
    """Read every corpus file; a bad file is reported and skipped, never fatal.

    Whatever reading one file raises (a loader's CorpusError, or an error
    no one foresaw in a third-party reader) fails that file alone.
    """
    docs: dict[str, Document] = {}
    problems: list[tuple[Path, CorpusError]] = []
    for path in discover(paths, problems):
        shown = _display_path(path)
        try:
            doc = load_file(path, max_bytes)
        except CorpusError as exc:
            report.failures.append((shown, str(exc)))
            continue
        except Exception as exc:
            log.debug("reading %s failed", shown, exc_info=True)
            report.failures.append((shown, f"cannot be read ({type(exc).__name__}: {printable(str(exc))[:200]})"))
            continue
        if doc.id in docs:
            report.failures.append((shown, f"id {doc.id!r} is already used by {docs[doc.id].path}"))
            continue
        docs[doc.id] = replace(doc, path=shown)
    report.failures += [(_display_path(path), str(exc)) for path, exc in problems]
    return list(docs.values())


def _update_derived(
    index: ChunkIndex, passages: list[Passage], overrides: list[dict[str, Any]], report: IngestReport
) -> None:
    """Build the BM25 index and the directive registry from what the new generation holds."""
    passages = in_document_order(passages)  # the order readers load them in (ChunkIndex.all_passages)
    lexical = LexicalIndex.build([passage_text(p) for p in passages])
    if index.lexical_dir is not None:
        lexical.save(index.lexical_dir, [p.chunk_id for p in passages])
    registry = build_registry(passages, overrides)
    index.save_registry(registry)
    report.directives = len(registry.directives)
    report.unresolved = registry.unresolved


def _under(path: str, roots: list[Path]) -> bool:
    p = (PROJECT_ROOT / path).resolve()
    return any(p == r or r in p.parents for r in roots)


def _signature(
    model: str, docs: list[Document], failures: list[tuple[str, str]], overrides: list[dict[str, Any]]
) -> str:
    """Everything a generation is made from: equal signatures, nothing to redo."""
    state = {
        "format": FORMAT_VERSION,
        "model": model,
        "docs": sorted((d.id, d.content_hash, d.path) for d in docs),
        "failed": sorted(path for path, _ in failures),
        "overrides": overrides,
    }
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def ingest(
    settings: Settings,
    paths: Iterable[Path] = (),
    *,
    db: Path | None = None,
    rebuild: bool = False,
    embedder: SentenceTransformerEmbeddings | None = None,
    progress: bool = False,
) -> IngestReport:
    """Bring the index in step with the corpus folder and `paths`.

    Writes a new generation (see ingest.generations): unchanged documents are copied
    with their vectors, changed and new ones embedded, and documents whose file
    is gone from a scanned folder (or from disk) left out. The previous
    generation serves until the new one is complete.
    """
    started = time.perf_counter()
    store = open_store(settings, db)
    roots = [settings.corpus_dir, *paths]
    report = IngestReport()
    docs = load_documents(roots, report, int(settings.max_file_mb * 1_000_000))
    try:
        overrides = load_overrides(settings.corpus_dir)
    except CorpusError as exc:
        report.failures.append((str(settings.corpus_dir / "directives.yaml"), str(exc)))
        overrides = []
    embedder = embedder or SentenceTransformerEmbeddings(settings)
    signature = _signature(settings.embedding_model, docs, report.failures, overrides)

    with store.lock():
        store.prune()  # what killed or failed runs left, whether or not anything changed now
        old = None
        if store.is_current() and not rebuild:
            old = ChunkIndex.open(store)
        try:
            if old is not None:
                old.check_model(settings.embedding_model)
                if old.pointer.signature == signature:  # nothing changed since the last run
                    report.unchanged = len(docs)
                    report.chunks_total = old.count()
                    registry = old.load_registry()
                    report.directives, report.unresolved = len(registry.directives), registry.unresolved
                    report.seconds = time.perf_counter() - started
                    return report
            new = ChunkIndex.create(store, settings.embedding_model, embedder.dimension, signature)
            try:
                passages = _fill(new, old, docs, roots, embedder, report, progress)
                _update_derived(new, passages, overrides, report)
                report.chunks_total = len(passages)
                new.close()
                store.activate(new.pointer)
            except BaseException as exc:
                new.close()
                store.discard(new.generation)
                if _storage_error(exc):
                    raise _write_failed(store.location, exc) from exc
                raise
        finally:
            if old is not None:
                old.close()
    report.rebuilt = old is None
    report.seconds = time.perf_counter() - started
    log.info("ingestion: %s", report.summary())
    return report


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


def _fill(
    new: ChunkIndex,
    old: ChunkIndex | None,
    docs: list[Document],
    roots: list[Path],
    embedder: SentenceTransformerEmbeddings,
    report: IngestReport,
    progress: bool,
) -> list[Passage]:
    """Put every document in the new generation: copied if unchanged, else embedded.
    Returns every passage written."""
    stored = old.manifest() if old is not None else {}
    keep: set[str] = set()
    passages: list[Passage] = []
    with tqdm(total=len(docs), unit="doc", desc="ingest", disable=not progress, leave=False) as bar:
        for doc in docs:
            bar.update()
            before = stored.pop(doc.id, None)
            if before is not None and before.doc_hash == doc.content_hash:
                keep.add(doc.id)
                report.unchanged += 1
                continue
            chunks = chunk_document(doc)
            passages += new.add(doc, chunks, embedder.embed_documents([embedding_text(c) for c in chunks]))
            report.chunks_embedded += len(chunks)
            bar.set_postfix(chunks=report.chunks_embedded)
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
    if old is not None:
        passages += new.copy_documents(old, keep)
    return passages
