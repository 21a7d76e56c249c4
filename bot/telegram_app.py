"""Building and running the Telegram bot (python-telegram-bot 22): the token,
logs that never show it, the handlers and their filters, long polling or a
webhook, and waiting for the Bot API when it cannot be reached."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.service import QAService
from bot.settings import BotSettings
from bot.telegram_access import BotState
from bot.telegram_format import APOLOGY
from bot.telegram_handlers import (
    addressed_to_bot,
    ask_command,
    brief_command,
    directive_button,
    directive_command,
    help_command,
    library_command,
    not_admin,
    served,
    source_button,
    source_command,
    start,
    stats_command,
    text_message,
    update_command,
)
from ingest.errors import SettingsError

log = logging.getLogger(__name__)

TOKEN_FORMAT = re.compile(r"^\d{5,12}:[A-Za-z0-9_-]{30,}$")
# What Telegram accepts as a webhook's secret token.
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def check_token(settings: BotSettings) -> str:
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


def webhook_options(settings: BotSettings, webhook_url: str, listen: str, port: int) -> dict[str, Any]:
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


class _AddressedToBot(filters.UpdateFilter):
    """Text for the bot: private chats, and in groups a mention of it or a reply to it."""

    def filter(self, update: Update) -> bool:
        bot = update.get_bot()
        return addressed_to_bot(update, bot.username, bot.id)


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (without the token) and apologise to the user."""
    log.error("update failed: %s", context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(APOLOGY)
        except Exception:  # noqa: BLE001 - the apology itself failed (network); the log has it
            log.warning("could not apologise for a failed update")


async def post_init(application: Application) -> None:
    """Register the command menu shown in Telegram clients."""
    await application.bot.set_my_commands(
        [
            BotCommand("hoi", "Đặt câu hỏi"),
            BotCommand("vb", "Tra cứu văn bản theo số hiệu"),
            BotCommand("nguon", "Xem nguồn của câu trả lời gần nhất"),
            BotCommand("tailieu", "Kho có những tài liệu nào"),
            BotCommand("baigiang", "Đề cương bài giảng (tệp Word) theo chủ đề hoặc số hiệu"),
            BotCommand("help", "Hướng dẫn"),
        ]
    )


def build_application(settings: BotSettings, service: QAService, db: Path | None = None) -> Application:
    """The Application with every handler; `service` answers the questions."""
    token = check_token(settings)
    application = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .build()
    )
    application.bot_data["state"] = BotState(service=service, settings=settings, db=db)
    admins = filters.User(user_id=settings.telegram_admins)
    # Every handler passes the one access gate (`served`). Questions run
    # concurrently (block=False): one slow answer does not hold the others.
    handlers = [
        CommandHandler("start", served(start)),
        CommandHandler("help", served(help_command)),
        CommandHandler("hoi", served(ask_command), block=False),
        CommandHandler("vb", served(directive_command), block=False),
        CommandHandler("nguon", served(source_command)),
        CommandHandler("tailieu", served(library_command), block=False),
        CommandHandler("baigiang", served(brief_command), block=False),
        CommandHandler("thongke", served(stats_command), filters=admins),
        CommandHandler("capnhat", served(update_command), filters=admins, block=False),
        CommandHandler(["thongke", "capnhat"], served(not_admin)),  # the same commands from anyone else
        CallbackQueryHandler(served(source_button), pattern=r"^src:", block=False),
        CallbackQueryHandler(served(directive_button), pattern=r"^vb:", block=False),
        MessageHandler(filters.TEXT & ~filters.COMMAND & _AddressedToBot(), served(text_message), block=False),
    ]
    application.add_handlers(handlers)
    application.add_error_handler(error_handler)
    return application


def run(settings: BotSettings, db: Path | None, webhook_url: str | None, listen: str, port: int) -> None:
    """Run until interrupted: long polling, or a webhook when `webhook_url` is given."""
    token = check_token(settings)
    options = webhook_options(settings, webhook_url, listen, port) if webhook_url else None  # refuse before loading
    quiet_logs(token)
    service = QAService(settings, db)
    application = build_application(settings, service, db)
    # PTB runs on the event loop that is current, so the wait shares it.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(wait_for_bot_api(application))
        if options:
            application.run_webhook(**options, bootstrap_retries=-1)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    except KeyboardInterrupt:
        return
    except InvalidToken as exc:
        raise SettingsError(
            f"Telegram rejected the token: {exc}",
            user_message="Telegram không chấp nhận TELEGRAM_BOT_TOKEN; hãy kiểm tra lại với @BotFather.",
        ) from exc
