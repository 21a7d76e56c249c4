"""The Zalo bot's webhook mode, on the hardened channel-neutral server of `bot.channels.webhook_server`:
Zalo posts each message to `{--webhook-url}/{path}` with ZALO_WEBHOOK_SECRET in the
X-Bot-Api-Secret-Token header, checked before the body is read; `GET /healthz` as Telegram's.
Messages go through the same `ZaloBot.submit` as polling: taken once, answered in order per chat.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from typing import Any

from bot.channels.webhook_server import MalformedUpdate, OnUpdate, WebhookEndpoint, WebhookOptions, serving
from bot.channels.zalo.app import ZaloBot, check_token, wait_for_api
from bot.channels.zalo.client import ZaloApiError, ZaloClient, ZaloUnavailable, parse_update
from bot.core.runtime import retry_until
from bot.operations.health import live
from bot.settings import BotSettings
from ingest.errors import SettingsError

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
SECRET_FORMAT = re.compile(r"^[\x21-\x7e]{8,256}$")  # Zalo: 8-256 characters; a header holds visible ASCII


def webhook_options(settings: BotSettings, webhook_url: str, listen: str, port: int) -> WebhookOptions:
    """Where the server listens and what Zalo is told. A webhook needs ZALO_WEBHOOK_SECRET:
    without it anyone who finds the address could post a forged message (an admin's /capnhat)."""
    token = check_token(settings)
    secret = settings.zalo_webhook_secret.get_secret_value().strip() if settings.zalo_webhook_secret else ""
    if not SECRET_FORMAT.match(secret):
        raise SettingsError(
            "webhook mode needs ZALO_WEBHOOK_SECRET (8-256 visible ASCII characters)",
            user_message=(
                "Chế độ webhook cần ZALO_WEBHOOK_SECRET (8–256 ký tự chữ, số, dấu, không dấu cách), để không ai giả "
                "mạo được tin nhắn gửi tới bot; xem HUONG_DAN.md."
            ),
        )
    path = "zalo-" + hashlib.sha1(token.encode()).hexdigest()[:16]
    return WebhookOptions.at(settings, webhook_url, listen, port, path, secret)


def zalo_updates(bot: ZaloBot) -> OnUpdate:
    """The endpoint's coroutine: a posted update's message to the bot; an event without one is ignored."""

    async def take(data: dict[str, Any]) -> None:
        body = data.get("result", data)
        if isinstance(body, dict) and "message" in body and parse_update(body) is None:
            raise MalformedUpdate("a message without its ids")
        message = parse_update(body)
        if message is not None:
            bot.submit(message)

    return take


def endpoint(bot: ZaloBot, options: WebhookOptions) -> WebhookEndpoint:
    return WebhookEndpoint(options.url_path, SECRET_HEADER, options.secret, zalo_updates(bot))


async def set_webhook(client: ZaloClient, options: WebhookOptions, first_delay: float = 1.0) -> None:
    """Tell Zalo where to post, retrying while it cannot be reached; a refusal (a URL Zalo will not
    take, say) is the operator's to fix, so it stops the bot with one clear line."""
    try:
        await retry_until(
            lambda: client.set_webhook(options.webhook_url, options.secret),
            ZaloUnavailable,
            first_delay,
            60.0,
            "set the Zalo webhook",
            log,
        )
    except ZaloApiError as exc:
        raise SettingsError(
            f"Zalo refused the webhook {options.webhook_url.rsplit('/', 1)[0]}/…: {exc.code} {exc.description}",
            user_message=(
                f"Zalo không nhận địa chỉ webhook ({exc.code} {exc.description}); hãy kiểm tra --webhook-url "
                "(địa chỉ HTTPS công khai) hoặc chạy không có --webhook-url để dùng chế độ hỏi vòng."
            ),
        ) from exc


async def serve_webhook(bot: ZaloBot, client: ZaloClient, options: WebhookOptions, stop: asyncio.Event) -> None:
    """Serve until `stop`; the answers under way are finished before returning."""
    await wait_for_api(client)
    core = bot.handlers.core
    async with serving(
        endpoint(bot, options), lambda: live(core.service, core.journal), options.listen, options.port, options.limits
    ):
        await set_webhook(client, options)
        log.info("Zalo webhook server on %s:%s (health: GET /healthz)", options.listen, options.port)
        await stop.wait()
    await bot.drain()
