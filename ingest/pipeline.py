"""Incremental ingestion: corpus files → chunks → embeddings → the active index."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from ingest.chunking import chunk_document
from ingest.corpus import discover
from ingest.loaders import load_file
from ingest.embeddings import SentenceTransformerEmbeddings
from ingest.errors import CorpusError
from ingest.index import ChunkIndex, index_is_current, ingestion_lock
from ingest.lexical import LexicalIndex, passage_text
from ingest.models import Chunk, Document
from ingest.registry import Mention, build_registry, load_overrides
from ingest.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    repaired: int = 0
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    directives: int = 0
    cards_embedded: int = 0
    unresolved: list[Mention] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"documents: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.removed} removed; chunks: {self.chunks_embedded} embedded, "
            f"{self.chunks_total} in index; {self.seconds:.1f} s"
        )
        text += f"; directives: {self.directives} ({len(self.unresolved)} unresolved mentions)"
        if self.repaired:
            text += f"; {self.repaired} half-written repaired"
        if self.failures:
            text += f"; {len(self.failures)} file(s) failed"
        return text


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees for a chunk: its normalized text."""
    return chunk.text_norm


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path.resolve())


def load_documents(paths: Iterable[Path], report: IngestReport, max_bytes: int) -> list[Document]:
    """Read every corpus file; a bad file is reported and skipped, not fatal."""
    docs: dict[str, Document] = {}
    for path in discover(paths):
        shown = _display_path(path)
        try:
            doc = load_file(path, max_bytes)
        except CorpusError as exc:
            report.failures.append((shown, str(exc)))
            continue
        if doc.id in docs:
            report.failures.append(
                (shown, f"id {doc.id!r} is already used by {docs[doc.id].path}")
            )
            continue
        docs[doc.id] = replace(doc, path=shown)
    return list(docs.values())


def _update_derived(
    index: ChunkIndex, settings: Settings, embedder: SentenceTransformerEmbeddings, report: IngestReport
) -> None:
    """Rebuild the BM25 index and the directive registry from what the index now holds."""
    try:
        overrides = load_overrides(settings.corpus_dir)
    except CorpusError as exc:
        report.failures.append((str(settings.corpus_dir / "directives.yaml"), str(exc)))
        overrides = []
    passages = index.all_passages()
    LexicalIndex.build([passage_text(p) for p in passages]).save(index.lexical_path, [p.chunk_id for p in passages])
    registry = build_registry(passages, overrides)
    report.cards_embedded = index.save_registry(registry, embedder.embed_documents)
    report.directives = len(registry.directives)
    report.unresolved = registry.unresolved


def _under(path: str, roots: list[Path]) -> bool:
    p = (PROJECT_ROOT / path).resolve()
    return any(p == r or r in p.parents for r in roots)


def ingest(
    settings: Settings,
    paths: Iterable[Path] = (),
    *,
    db: Path | None = None,
    rebuild: bool = False,
    embedder: SentenceTransformerEmbeddings | None = None,
    progress: bool = False,
) -> IngestReport:
    """Bring the index at `db` in step with the corpus folder and `paths`.

    Unchanged documents are skipped, changed ones replaced, and documents whose
    file is gone from a scanned folder (or from disk) deleted.
    """
    started = time.perf_counter()
    db = db or settings.chroma_path
    roots = [settings.corpus_dir, *paths]
    report = IngestReport()
    docs = load_documents(roots, report, int(settings.max_file_mb * 1_000_000))
    embedder = embedder or SentenceTransformerEmbeddings(settings)
    bar = tqdm(total=len(docs), unit="doc", desc="ingest", disable=not progress, leave=False)

    def embed(doc: Document) -> tuple[list[Chunk], list[list[float]]]:
        chunks = chunk_document(doc)
        vectors = embedder.embed_documents([embedding_text(c) for c in chunks])
        report.chunks_embedded += len(chunks)
        bar.set_postfix(chunks=report.chunks_embedded)
        return chunks, vectors

    with ingestion_lock(db), bar:
        if rebuild or not index_is_current(db):
            index = ChunkIndex.create(db, settings.embedding_model, embedder.dimension)
            for doc in docs:
                index.add(doc, *embed(doc))
                report.new += 1
                bar.update()
            _update_derived(index, settings, embedder, report)
            index.activate()
            report.rebuilt = True
        else:
            index = ChunkIndex.open(db)
            index.check_model(settings.embedding_model)
            manifest = index.manifest()
            for doc in docs:
                bar.update()
                state = manifest.pop(doc.id, None)
                current = doc.content_hash
                if state is not None and state.is_complete(current):
                    if len(state.hashes) > 1:  # killed after writing, before cleaning up
                        index.delete_document(doc.id, keep_hash=current)
                        report.repaired += 1
                    else:
                        report.unchanged += 1
                    continue
                if state is None:
                    what = "new"
                elif current in state.hashes:
                    what = "repaired"  # a run was killed while writing this version
                    index.delete_document(doc.id)
                else:
                    what = "changed"
                # New chunks first, old ones after: a reader always finds a version.
                index.add(doc, *embed(doc))
                if state is not None:
                    index.delete_document(doc.id, keep_hash=current)
                setattr(report, what, getattr(report, what) + 1)
            resolved_roots = [r.resolve() for r in roots]
            unreadable = {path for path, _ in report.failures}
            for doc_id in manifest:
                stored = index.chunks_of(doc_id)
                path = str(stored[0].source.get("path", "")) if stored else ""
                if path in unreadable:  # a broken edit keeps the last good version serving
                    continue
                if not path or _under(path, resolved_roots) or not (PROJECT_ROOT / path).exists():
                    index.delete_document(doc_id)
                    report.removed += 1
            _update_derived(index, settings, embedder, report)
        report.chunks_total = index.count()
    report.seconds = time.perf_counter() - started
    log.info("ingestion: %s", report.summary())
    return report
