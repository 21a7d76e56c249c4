"""`python -m bot zalo`: the Zalo bot by long polling, or behind a webhook, until SIGINT / SIGTERM.
Above both ways of serving (bot.channels.zalo.app, bot.channels.zalo.webhook), so that neither imports the other's caller."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from bot.answering.service import QAService
from bot.channels.zalo.app import build_bot, check_token, make_client, probe, refused, serve_polling
from bot.channels.zalo.client import TokenRefused
from bot.channels.zalo.webhook import serve_webhook, webhook_options
from bot.core.runtime import quiet_logs
from bot.settings import BotSettings

__all__ = ["check_token", "probe", "run"]  # what the command line takes from here


def run(settings: BotSettings, db: Path | None, webhook_url: str | None, listen: str, port: int) -> None:
    """Run until SIGINT / SIGTERM: long polling, or a webhook (with GET /healthz) when `webhook_url` is given."""
    token = check_token(settings)
    options = webhook_options(settings, webhook_url, listen, port) if webhook_url else None  # refuse before loading
    quiet_logs(token)
    service = QAService(settings, db)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        client = make_client(settings)
        try:
            bot = build_bot(settings, service, client, db)
            if options is None:
                await serve_polling(bot, client, stop)
            else:
                await serve_webhook(bot, client, options, stop)
        finally:
            await client.aclose()

    try:
        asyncio.run(main())
    except TokenRefused as exc:
        raise refused(exc) from exc
