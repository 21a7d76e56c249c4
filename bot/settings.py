"""Settings of the bot layer: the ingestion layer's, plus questions, the LLM
and Telegram. Read once from the environment and `.env`; every field is
documented in `.env.example`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from ingest.language.scope import scope_setting
from ingest.settings import PROJECT_ROOT, Settings, load_settings


class BotSettings(Settings):
    """What `bot` reads; a `Settings`, so the ingestion layer takes it as it is."""

    max_question_chars: int = Field(
        default=1000, ge=10, description="Longer questions are refused with a clear message."
    )
    conversation_turns: int = Field(
        default=3, ge=0, le=20, description="Exchanges a chat remembers for follow-up questions (0: none)."
    )
    conversation_ttl_s: float = Field(
        default=900.0, gt=0, le=86_400, description="Seconds of silence after which a chat's memory is forgotten."
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
    brief_template: Path | None = Field(
        default=None, description="A unit's Word template (.docx) for lecture outlines; unset: NĐ 30/2020 format."
    )
    feedback_db: Path | None = Field(
        default=None,
        description="SQLite file of feedback, unanswered questions and statistics; unset: feedback.sqlite3 beside the index.",
    )
    unit_scope: str = Field(
        default="",
        description="The unit's setting, the default when a question names none: xa, co_quan, dnnn, doanh_nghiep, quan_doi, cong_an; empty: none.",
    )

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
    telegram_state_file: Path | None = Field(
        default=None,
        description="Where chats' recent answers and memory persist across restarts; unset: telegram-state.pickle beside the index.",
    )
    webhook_max_connections: int = Field(
        default=500, ge=1, le=100_000, description="Connections a webhook server keeps open at once; beyond: 503."
    )
    webhook_body_timeout_s: float = Field(
        default=10.0, gt=0, le=600, description="Seconds a webhook call has to send its whole body."
    )
    webhook_idle_timeout_s: float = Field(
        default=60.0, gt=0, le=3600, description="Seconds a webhook connection may wait for its (next) headers."
    )

    zalo_bot_token: SecretStr | None = Field(default=None, description="Token of the bot made with Zalo Bot Creator.")
    zalo_api_base_url: str = Field(
        default="https://bot-api.zaloplatforms.com",
        description="Zalo Bot API base URL; every call is POST {base}/bot{token}/{method} (a proxy, a test server).",
    )
    zalo_allowed_users: Annotated[list[str], NoDecode] = Field(default_factory=list)
    zalo_allowed_chats: Annotated[list[str], NoDecode] = Field(default_factory=list)
    zalo_admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    zalo_rate_limit_per_minute: int = Field(default=10, ge=1, le=600)
    zalo_webhook_secret: SecretStr | None = Field(
        default=None, description="Secret Zalo sends in X-Bot-Api-Secret-Token with each webhook call (8-256)."
    )
    zalo_state_file: Path | None = Field(
        default=None,
        description="Ids of the Zalo messages already answered; unset: zalo-state.json beside the journal.",
    )

    web_cookie_secret: SecretStr | None = Field(
        default=None,
        description="Signs the web page's session cookies (32+ characters); unset: a new one each start, so sessions end at a restart.",
    )
    web_admin_password: SecretStr | None = Field(
        default=None, description="Password of the web page's administration (/quan-tri); unset: administration is off."
    )
    web_rate_limit_per_minute: int = Field(
        default=20, ge=1, le=600, description="Questions a browser session may ask a minute."
    )

    @field_validator(
        "telegram_allowed_users",
        "telegram_allowed_chats",
        "telegram_admins",
        "zalo_allowed_users",
        "zalo_allowed_chats",
        "zalo_admins",
        mode="before",
    )
    @classmethod
    def _id_list(cls, value: object) -> object:
        """Comma-separated ids ("123, -100456"), as people write them in .env."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("unit_scope", mode="before")
    @classmethod
    def _scope_key(cls, value: object) -> object:
        """A key of `ingest.language.scope.SCOPES` (any case) or empty; anything else is refused, naming the keys."""
        if value is None:
            return ""
        if isinstance(value, str):
            scope = scope_setting(value)
            return scope.key if scope else ""
        return value


def beside_index(settings: BotSettings, db: Path | None, name: str) -> Path:
    """A file kept next to the index folder (never inside it: the index's generations are replaced whole)."""
    index = (db or settings.chroma_path).resolve()
    return index.parent / name


def feedback_path(settings: BotSettings, db: Path | None = None) -> Path:
    return settings.feedback_db or beside_index(settings, db, "feedback.sqlite3")


def state_path(settings: BotSettings, db: Path | None = None) -> Path:
    return settings.telegram_state_file or beside_index(settings, db, "telegram-state.pickle")


@lru_cache(maxsize=1)
def get_settings() -> BotSettings:
    """The process-wide settings (tests build their own `BotSettings` instead)."""
    return load_settings(BotSettings)
