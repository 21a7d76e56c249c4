"""Building and running the Telegram bot (python-telegram-bot 22): the token,
logs that never show it, the handlers and their filters, long polling or a
webhook, and waiting for the Bot API when it cannot be reached."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from pathlib import Path

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.answering.service import QAService
from bot.channels.telegram.access import access_rules
from bot.channels.telegram.admin import feedback_command, gaps_command, not_admin, stats_command, update_command
from bot.channels.telegram.feedback import REPLY_TO_PROMPT, comment_reply, feedback_button
from bot.channels.telegram.formatting import APOLOGY
from bot.channels.telegram.handlers import (
    addressed_to_bot,
    ask_command,
    brief_command,
    directive_button,
    directive_command,
    help_command,
    library_command,
    served,
    source_button,
    source_command,
    start,
    text_message,
)
from bot.channels.telegram.state import ChatDataStore, StatePersistence, open_state
from bot.channels.telegram.webhook import serve
from bot.channels.webhook_server import WebhookOptions
from bot.core.access import native_id
from bot.core.assistant import Core
from bot.core.runtime import open_journal, quiet_logs, retry_until
from bot.operations.health import live
from bot.settings import BotSettings, state_path
from ingest.errors import SettingsError

log = logging.getLogger(__name__)

TOKEN_FORMAT = re.compile(r"^\d{5,12}:[A-Za-z0-9_-]{30,}$")
# What Telegram accepts as a webhook's secret token.
SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
STATE_SAVE_S = 10  # seconds between saves of the chats' state: what a killed process can lose


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


def webhook_options(settings: BotSettings, webhook_url: str, listen: str, port: int) -> WebhookOptions:
    """Where the webhook server listens and what Telegram is told; the URL path is derived from the token without revealing it.

    A webhook needs TELEGRAM_WEBHOOK_SECRET: without it anyone who finds the
    address can post a forged update (an admin's /capnhat, say) and have it
    executed. Telegram sends the secret with every call; the server (bot.channels.telegram.webhook)
    refuses calls without it.
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
    return WebhookOptions.at(settings, webhook_url, listen, port, path, secret)


async def wait_for_bot_api(application: Application, first_delay: float = 1.0, max_delay: float = 60.0) -> None:
    """Reach the Bot API before serving, retrying with backoff while it cannot be reached.

    A bot started while the network is down (after a power cut, say) waits
    for it, with one log line per try, instead of exiting with a traceback.
    A token Telegram rejects is not retried.
    """
    # InvalidToken is not a NetworkError: it ends the wait
    await retry_until(
        application.bot.initialize, (NetworkError, TimedOut), first_delay, max_delay, "reach the Telegram Bot API", log
    )


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


USER_COMMANDS = [
    BotCommand("hoi", "Đặt câu hỏi"),
    BotCommand("vb", "Tra cứu văn bản theo số hiệu"),
    BotCommand("nguon", "Xem nguồn của câu trả lời gần nhất"),
    BotCommand("tailieu", "Kho có những tài liệu nào"),
    BotCommand("baigiang", "Đề cương bài giảng (tệp Word) theo chủ đề hoặc số hiệu"),
    BotCommand("help", "Hướng dẫn"),
]
ADMIN_COMMANDS = [
    BotCommand("thongke", "Thống kê (quản trị)"),
    BotCommand("phanhoi", "Phản hồi 👎 gần nhất (quản trị)"),
    BotCommand("thieu", "Kho còn thiếu gì (quản trị)"),
    BotCommand("capnhat", "Cập nhật chỉ mục (quản trị)"),
]


async def post_init(application: Application) -> None:
    """Register the command menu shown in Telegram clients; admins' private chats also list theirs."""
    await application.bot.set_my_commands(USER_COMMANDS)
    core: Core = application.bot_data["core"]
    for admin in core.settings.telegram_admins:
        try:
            await application.bot.set_my_commands(USER_COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:  # an admin who never opened a chat with the bot
            log.info("admin menu not set for %s: %s", admin, exc)


def open_persistence(settings: BotSettings, db: Path | None) -> StatePersistence:
    """PTB's persistence of chat_data (each chat's recent answers and memory) across restarts,
    read through bot.channels.telegram.state: only the types it holds, validated; a file that does not
    fit (cut short by a full disk, of an older version, of another shape, crafted) is set aside
    with a warning rather than stopping the bot: the chats lose their source buttons, not their bot.
    """
    return open_state(state_path(settings, db), STATE_SAVE_S)


def build_application(
    settings: BotSettings, service: QAService, db: Path | None = None, *, polling: bool = True
) -> Application:
    """The Application with every handler; `service` answers the questions. Without `polling`
    it has no Updater: bot.channels.telegram.webhook feeds it. Everything that is not Telegram's
    is the core's (`application.bot_data["core"]`), whose chat memory is PTB's persisted chat_data."""
    token = check_token(settings)
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .persistence(open_persistence(settings, db))
        .post_init(post_init)
    )
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data["core"] = Core(
        service,
        settings,
        open_journal(settings, db),
        access_rules(settings),
        settings.telegram_rate_limit_per_minute,
        "telegram",
        memories=ChatDataStore(application, settings),
        journal_ids=native_id,  # the journal's pseudonyms of Telegram users stay what they were
    )
    admins = filters.User(user_id=settings.telegram_admins)
    admin_only = [c.command for c in ADMIN_COMMANDS]
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
        CommandHandler("thongke", served(stats_command), filters=admins, block=False),
        CommandHandler("phanhoi", served(feedback_command), filters=admins, block=False),
        CommandHandler("thieu", served(gaps_command), filters=admins, block=False),
        CommandHandler("capnhat", served(update_command), filters=admins, block=False),
        CommandHandler(admin_only, served(not_admin)),  # the same commands from anyone else
        CallbackQueryHandler(served(source_button), pattern=r"^src:", block=False),
        CallbackQueryHandler(served(directive_button), pattern=r"^vb:", block=False),
        CallbackQueryHandler(served(feedback_button), pattern=r"^fb:", block=False),
        MessageHandler(filters.TEXT & ~filters.COMMAND & REPLY_TO_PROMPT, served(comment_reply), block=False),
        MessageHandler(filters.TEXT & ~filters.COMMAND & _AddressedToBot(), served(text_message), block=False),
    ]
    application.add_handlers(handlers)
    application.add_error_handler(error_handler)
    return application


def run(settings: BotSettings, db: Path | None, webhook_url: str | None, listen: str, port: int) -> None:
    """Run until interrupted: long polling, or a webhook (with GET /healthz) when `webhook_url` is given."""
    token = check_token(settings)
    options = webhook_options(settings, webhook_url, listen, port) if webhook_url else None  # refuse before loading
    quiet_logs(token)
    service = QAService(settings, db)
    application = build_application(settings, service, db, polling=options is None)
    # PTB runs on the event loop that is current, so the wait shares it.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(wait_for_bot_api(application))
        if options:
            core: Core = application.bot_data["core"]
            loop.run_until_complete(serve(application, options, lambda: live(service, core.journal)))
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    except KeyboardInterrupt:
        return
    except InvalidToken as exc:
        raise SettingsError(
            f"Telegram rejected the token: {exc}",
            user_message="Telegram không chấp nhận TELEGRAM_BOT_TOKEN; hãy kiểm tra lại với @BotFather.",
        ) from exc
