"""Webhook mode: one HTTP server for Telegram's updates and for `GET /healthz`.

PTB's own webhook server serves only the update path, so this is PTB's
documented "custom webhook" setup (an Application without an Updater, updates
put on its queue) on tornado, which PTB's webhook extra already installs.
Telegram's calls must carry TELEGRAM_WEBHOOK_SECRET; /healthz needs none and
says only whether the bot can answer (for a load balancer or a monitor).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application

log = logging.getLogger(__name__)

MAX_UPDATE_BYTES = 1_000_000  # Telegram's updates are a few kilobytes


@dataclass(frozen=True)
class WebhookOptions:
    listen: str
    port: int
    url_path: str  # derived from the token, without revealing it
    webhook_url: str
    secret_token: str


class _Updates(tornado.web.RequestHandler):
    def initialize(self, bot_application: Application, secret: str) -> None:
        self.bot_application = bot_application
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook call without the right secret from %s", self.request.remote_ip)
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot_application.bot)
        except Exception as exc:  # anything malformed is the caller's fault, not a crash
            log.warning("webhook call with a malformed update: %s", exc)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from exc
        await self.bot_application.update_queue.put(update)


class _Health(tornado.web.RequestHandler):
    def initialize(self, health: Callable[[], dict[str, Any]]) -> None:
        self.health = health

    async def get(self) -> None:
        report = await asyncio.to_thread(self.health)
        self.set_status(HTTPStatus.OK if report.get("ok") else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(report, ensure_ascii=False))


def web_app(
    application: Application, options: WebhookOptions, health: Callable[[], dict[str, Any]]
) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (rf"/{options.url_path}/?", _Updates, {"bot_application": application, "secret": options.secret_token}),
            (r"/healthz", _Health, {"health": health}),
        ]
    )


async def set_webhook(application: Application, options: WebhookOptions, first_delay: float = 1.0) -> None:
    """Tell Telegram where to post, retrying while it cannot be reached (as PTB's bootstrap does)."""
    delay = first_delay
    while True:
        try:
            await application.bot.set_webhook(
                options.webhook_url, secret_token=options.secret_token, allowed_updates=Update.ALL_TYPES
            )
            return
        except (NetworkError, TimedOut) as exc:
            log.warning("cannot set the webhook (%s); trying again in %.0f s", exc, delay)
        await asyncio.sleep(delay)
        delay = min(60.0, delay * 2)


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
    app = web_app(application, options, health)
    server = app.listen(options.port, address=options.listen, max_body_size=MAX_UPDATE_BYTES)
    try:
        async with application:
            if application.post_init is not None:  # run_polling/run_webhook call it; a custom server must
                await application.post_init(application)
            await set_webhook(application, options)
            await application.start()
            log.info("webhook server on %s:%s (health: GET /healthz)", options.listen, options.port)
            await stop.wait()
            await application.stop()
    finally:
        server.stop()
        await server.close_all_connections()
