"""Telegram's part of `python -m bot health`: with a token, the Bot API accepts it (getMe)."""

from __future__ import annotations

import asyncio

from telegram import Bot
from telegram.error import TelegramError

from bot.channels.telegram.app import check_token
from bot.operations.health import Check
from bot.settings import BotSettings
from ingest import QcdcError

BOT_API_TIMEOUT = 15.0  # seconds for getMe


def check_bot_api(settings: BotSettings) -> Check:
    name = "Telegram Bot API"
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        return Check(name, None, "chưa đặt TELEGRAM_BOT_TOKEN, không kiểm tra")
    try:
        token = check_token(settings)
    except QcdcError as exc:
        return Check(name, False, exc.for_user())

    async def get_me() -> str:
        async with Bot(token, base_url=settings.telegram_api_base_url) as bot:  # `async with` calls getMe
            return f"@{bot.username}"

    try:
        return Check(name, True, asyncio.run(asyncio.wait_for(get_me(), BOT_API_TIMEOUT)))
    except TelegramError as exc:
        return Check(name, False, f"Telegram trả lời: {str(exc).replace(token, '<token>')}")
    except Exception as exc:  # noqa: BLE001 - unreachable, timed out
        return Check(name, False, f"không kết nối được ({type(exc).__name__}: {str(exc).replace(token, '<token>')})")
