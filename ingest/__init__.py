"""Turning documents into the index: the lower layer, which `bot` builds on.

The public API is re-exported here; `ingest` never imports `bot`.
"""

from ingest.chunking import chunk_document, split_sentences
from ingest.citations import Citation, parse_citations, ref_key
from ingest.corpus import parse_document, read_document
from ingest.embeddings import SentenceTransformerEmbeddings
from ingest.errors import (
    CorpusError,
    EmbeddingModelError,
    IndexStateError,
    InvalidQuestionError,
    ModelMismatchError,
    QcdcError,
)
from ingest.index import ChunkIndex, Store, open_store
from ingest.models import Chunk, Document, Passage
from ingest.normalize import fold, normalize_text, words
from ingest.pipeline import IngestReport, ingest
from ingest.registry import Directive, Registry
from ingest.settings import Settings, get_settings

__all__ = [
    "Chunk",
    "Citation",
    "Directive",
    "Registry",
    "parse_citations",
    "ref_key",
    "ChunkIndex",
    "CorpusError",
    "Document",
    "EmbeddingModelError",
    "IndexStateError",
    "IngestReport",
    "InvalidQuestionError",
    "ModelMismatchError",
    "Passage",
    "QcdcError",
    "SentenceTransformerEmbeddings",
    "Store",
    "Settings",
    "chunk_document",
    "fold",
    "get_settings",
    "open_store",
    "ingest",
    "normalize_text",
    "parse_document",
    "read_document",
    "split_sentences",
    "words",
]
