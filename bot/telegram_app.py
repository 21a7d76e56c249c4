"""Starting the Telegram bot safely: the token, logs that never show it, the
webhook's options, and waiting for the Bot API when it cannot be reached."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from typing import Any

from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application

from ingest import Settings
from ingest.errors import SettingsError

log = logging.getLogger(__name__)

TOKEN_FORMAT = re.compile(r"^\d{5,12}:[A-Za-z0-9_-]{30,}$")
# What Telegram accepts as a webhook's secret token.
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def check_token(settings: Settings) -> str:
    """The bot token, or a clear error when it is missing or malformed."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is not set",
            user_message="Chưa đặt TELEGRAM_BOT_TOKEN (lấy từ @BotFather); xem README.",
        )
    token = settings.telegram_bot_token.get_secret_value().strip()
    if not TOKEN_FORMAT.match(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is malformed (expected digits, a colon and at least 30 characters)",
            user_message="TELEGRAM_BOT_TOKEN không đúng dạng (số, dấu hai chấm, rồi chuỗi ký tự); xem README.",
        )
    return token


class RedactToken(logging.Filter):
    """Remove the token from every log record (httpx and exception texts carry URLs)."""

    def __init__(self, token: str):
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "<token>")
            record.args = ()
        if record.exc_info and record.exc_info[1] is not None and self._token in str(record.exc_info[1]):
            record.exc_text = logging.Formatter().formatException(record.exc_info).replace(self._token, "<token>")
        return True


def quiet_logs(token: str) -> None:
    """httpx logs every request URL (token included) at INFO: keep it at WARNING, redact the rest."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    logging.getLogger().addFilter(redact)


def webhook_options(settings: Settings, webhook_url: str, listen: str, port: int) -> dict[str, Any]:
    """Arguments for PTB's webhook server; the URL path is derived from the token without revealing it.

    A webhook needs TELEGRAM_WEBHOOK_SECRET: without it anyone who finds the
    address can post a forged update (an admin's /capnhat, say) and have it
    executed. Telegram sends the secret with every call; PTB refuses calls
    without it.
    """
    token = check_token(settings)
    path = hashlib.sha1(token.encode()).hexdigest()[:16]
    secret = settings.telegram_webhook_secret.get_secret_value().strip() if settings.telegram_webhook_secret else ""
    if not SECRET_FORMAT.match(secret):
        raise SettingsError(
            "webhook mode needs TELEGRAM_WEBHOOK_SECRET (1-256 characters: letters, digits, '_' or '-')",
            user_message=(
                "Chế độ webhook cần TELEGRAM_WEBHOOK_SECRET (1–256 ký tự: chữ, số, '_' hoặc '-'), để không ai giả mạo "
                "được tin nhắn gửi tới bot; xem README, mục Bảo mật."
            ),
        )
    if listen in ("0.0.0.0", "::"):
        log.warning("webhook server listening on all interfaces (%s); put it behind a reverse proxy with TLS", listen)
    return {
        "listen": listen,
        "port": port,
        "url_path": path,
        "webhook_url": f"{webhook_url.rstrip('/')}/{path}",
        "secret_token": secret,
        "allowed_updates": Update.ALL_TYPES,
    }


async def wait_for_bot_api(application: Application, first_delay: float = 1.0, max_delay: float = 60.0) -> None:
    """Reach the Bot API before serving, retrying with backoff while it cannot be reached.

    A bot started while the network is down (after a power cut, say) waits
    for it, with one log line per try, instead of exiting with a traceback.
    A token Telegram rejects is not retried.
    """
    delay = first_delay
    attempt = 1
    while True:
        try:
            await application.bot.initialize()
            if attempt > 1:
                log.warning("Telegram Bot API reached after %d tries", attempt)
            return
        except (NetworkError, TimedOut) as exc:  # InvalidToken is not a NetworkError: it ends the wait
            log.warning("cannot reach the Telegram Bot API (%s); trying again in %.0f s", exc, delay)
        await asyncio.sleep(delay)
        delay = min(max_delay, delay * 2)
        attempt += 1
