"""`python -m bot web`: the web page on an address of this machine, until SIGINT / SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from bot.answering.service import QAService
from bot.channels.web.app import MAX_BODY, make_app
from bot.channels.web.context import WebContext
from bot.core.access import AccessRules
from bot.core.assistant import Core
from bot.core.runtime import open_journal
from bot.settings import BotSettings

log = logging.getLogger(__name__)


def build_context(settings: BotSettings, service: QAService, db: Path | None) -> WebContext:
    """The web channel's core: everyone who reaches the page may ask (put it on the unit's
    network or behind the reverse proxy's login); administration has its own password."""
    core = Core(
        service,
        settings,
        open_journal(settings, db),
        AccessRules(),
        settings.web_rate_limit_per_minute,
        "web",
    )
    secret = settings.web_cookie_secret
    if secret is None:
        return WebContext(core, settings)  # a fresh secret: sessions end when the process does
    return WebContext(core, settings, cookie_secret=secret.get_secret_value())


def run(settings: BotSettings, db: Path | None, listen: str, port: int) -> None:
    service = QAService(settings, db)
    ctx = build_context(settings, service, db)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        server = make_app(ctx).listen(port, address=listen, max_body_size=MAX_BODY, xheaders=True)
        log.info("web page on http://%s:%d/", listen, port)
        try:
            await stop.wait()
        finally:
            server.stop()

    asyncio.run(main())
