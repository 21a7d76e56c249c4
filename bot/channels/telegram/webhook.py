"""Webhook mode: Telegram's updates and `GET /healthz` on one port.

PTB's own webhook server serves only the update path, so this is PTB's
documented "custom webhook" setup (an Application without an Updater, updates
put on its queue) on tornado, which PTB's webhook extra already installs,
through the channel-neutral hardened server of `bot.channels.webhook_server`: Telegram's
calls must carry TELEGRAM_WEBHOOK_SECRET in their header (checked before the
body is read); /healthz needs none and says only whether the bot can answer.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application

from bot.channels.webhook_server import MalformedUpdate, OnUpdate, WebhookEndpoint, WebhookOptions, serving
from bot.core.runtime import retry_until

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def telegram_updates(application: Application) -> OnUpdate:
    """The endpoint's coroutine: a parsed update onto PTB's queue."""

    async def put(data: dict[str, Any]) -> None:
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # anything malformed is the caller's fault, not a crash
            raise MalformedUpdate(str(exc)) from exc
        await application.update_queue.put(update)

    return put


def endpoint(application: Application, options: WebhookOptions) -> WebhookEndpoint:
    return WebhookEndpoint(options.url_path, SECRET_HEADER, options.secret, telegram_updates(application))


async def set_webhook(application: Application, options: WebhookOptions, first_delay: float = 1.0) -> None:
    """Tell Telegram where to post, retrying while it cannot be reached (as PTB's bootstrap does)."""

    async def call() -> bool:
        return await application.bot.set_webhook(
            options.webhook_url, secret_token=options.secret, allowed_updates=Update.ALL_TYPES
        )

    await retry_until(call, (NetworkError, TimedOut), first_delay, 60.0, "set the webhook", log)


async def serve(
    application: Application,
    options: WebhookOptions,
    health: Callable[[], dict[str, Any]],
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until `stop` is set, or SIGINT / SIGTERM (systemd's stop) when none is given."""
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    server = serving(endpoint(application, options), health, options.listen, options.port, options.limits)
    async with server, application:
        if application.post_init is not None:  # run_polling/run_webhook call it; a custom server must
            await application.post_init(application)
        await set_webhook(application, options)
        await application.start()
        log.info("webhook server on %s:%s (health: GET /healthz)", options.listen, options.port)
        await stop.wait()
        await application.stop()
