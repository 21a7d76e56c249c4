"""A small typed client of the Zalo Bot Platform API over httpx.

Every call is `POST {base}/bot{token}/{method}` with a JSON body, answered
`{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …}`.
`getUpdates` returns at most one message per call, and an empty long poll as
error 408. Ids are strings.

Hand-written rather than python-zalo-bot (PyPI, 0.1.9): that package is a
trimmed copy of python-telegram-bot whose metadata still names a placeholder
author and homepage, whose docstrings describe Telegram's offsets and batches
(which the Zalo API does not have), which ships no type information, and whose
polling loop retries every error once a second forever, a refused token
included. What the bot needs is five methods, retries with backoff and a clear
"token refused": this module, tested against a fake server (tests/zalo_fake.py).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT = 2000  # characters of one text message
POLL_TIMEOUT = 25  # seconds a getUpdates waits for a message (and stopping may take)
EMPTY_POLL = 408  # getUpdates' error code for "no message came in time"
# Errors raised before a request went out: the only ones a call that must not run twice
# (sendMessage) may retry. A read timeout or a dropped connection may follow a message sent.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class TokenRefused(Exception):
    """The API does not accept the bot token (401/403, or 404 on getMe): retrying cannot help."""


class ZaloUnavailable(Exception):
    """The API could not be reached, or answered 5xx / 429, on every try."""


class MaybeDone(ZaloUnavailable):
    """A call that must not run twice failed after it was sent (a read timeout): it may have been done."""


class ZaloApiError(Exception):
    """A request the API refused (a 4xx other than the token's): not retried."""

    def __init__(self, method: str, code: int | None, description: str):
        super().__init__(f"{method}: {code} {description}")
        self.code = code
        self.description = description


@dataclass(frozen=True)
class Message:
    """A message to the bot, as getUpdates or the webhook carry it."""

    message_id: str
    chat_id: str
    chat_type: str  # "PRIVATE" or "GROUP"
    user_id: str | None
    text: str | None
    date: int | None = None
    event_name: str | None = None


def _id(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def parse_update(payload: object) -> Message | None:
    """The message of an update (`{"event_name"?, "message": {...}}`, possibly inside `result`),
    or None when there is none or it lacks the ids a reply needs."""
    if isinstance(payload, dict) and isinstance(payload.get("result"), dict):
        payload = payload["result"]
    if not isinstance(payload, dict) or not isinstance(payload.get("message"), dict):
        return None
    raw = payload["message"]
    chat = raw.get("chat") if isinstance(raw.get("chat"), dict) else {}
    sender = raw.get("from") if isinstance(raw.get("from"), dict) else {}
    message_id, chat_id = _id(raw.get("message_id")), _id(chat.get("id"))
    if message_id is None or chat_id is None:
        return None
    text = raw.get("text")
    date = raw.get("date")
    return Message(
        message_id=message_id,
        chat_id=chat_id,
        chat_type=str(chat.get("chat_type") or "PRIVATE"),
        user_id=_id(sender.get("id")),
        text=text if isinstance(text, str) else None,
        date=date if isinstance(date, int) else None,
        event_name=payload.get("event_name") if isinstance(payload.get("event_name"), str) else None,
    )


@dataclass
class Backoff:
    """Tries of one call: `attempts` in all, waiting `first` seconds, then twice as long each time."""

    attempts: int = 5
    first: float = 1.0
    most: float = 30.0


class ZaloClient:
    """The Bot API methods the bot uses. Network errors, 5xx and 429 are retried with backoff."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        backoff: Backoff | None = None,
        http: httpx.AsyncClient | None = None,
    ):
        self._url = f"{base_url.rstrip('/')}/bot{token}"
        self.backoff = backoff or Backoff()
        self._http = http or httpx.AsyncClient(timeout=httpx.Timeout(20.0, read=POLL_TIMEOUT + 15.0))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(
        self, method: str, body: dict[str, Any] | None = None, *, attempts: int | None = None, idempotent: bool = True
    ) -> Any:
        """The call's `result`; raises TokenRefused, ZaloApiError, or ZaloUnavailable after the last try.
        A call that is not `idempotent` is retried only when it surely did not reach the API: an
        error before sending, or a 429 / 5xx answer; after a read timeout it may have been done."""
        tries = attempts or self.backoff.attempts
        delay = self.backoff.first
        for attempt in range(1, tries + 1):
            try:
                response = await self._http.post(f"{self._url}/{method}", json=body or {})
            except httpx.TransportError as exc:  # the URL holds the token: log the method only
                problem = f"{type(exc).__name__}"
                if not idempotent and not isinstance(exc, NOT_SENT):
                    raise MaybeDone(f"{method}: {problem}, not retried (it may have been done)") from None
            else:
                outcome = self._outcome(method, response)
                if not isinstance(outcome, _Retry):
                    return outcome.result
                problem = outcome.problem
            if attempt == tries:
                raise ZaloUnavailable(f"{method}: {problem} after {tries} tries")
            log.warning("Zalo API %s failed (%s); try %d of %d in %.1f s", method, problem, attempt + 1, tries, delay)
            await asyncio.sleep(delay)
            delay = min(self.backoff.most, delay * 2)
        raise AssertionError("unreachable")

    @staticmethod
    def _outcome(method: str, response: httpx.Response) -> _Result | _Retry:
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if not isinstance(payload, dict):
            payload = {}
        code = payload.get("error_code", response.status_code if response.status_code >= 400 else None)
        code = code if isinstance(code, int) else None
        description = str(payload.get("description") or response.reason_phrase)
        if payload.get("ok") is True:
            return _Result(payload.get("result"))
        if code in (401, 403) or (code == 404 and method == "getMe"):
            raise TokenRefused(f"{method}: {code} {description}")
        if code == EMPTY_POLL and method == "getUpdates":
            return _Result(None)
        if response.status_code >= 500 or response.status_code == 429 or code == 429 or (code or 0) >= 500:
            return _Retry(f"{code} {description}")
        raise ZaloApiError(method, code, description)

    # --- the methods ----------------------------------------------------------------

    async def get_me(self) -> dict[str, Any]:
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_update(self, timeout: int = POLL_TIMEOUT) -> Message | None:
        """The next message, or None after `timeout` seconds without one (or an update without a message)."""
        result = await self.call("getUpdates", {"timeout": timeout}, attempts=1)  # the polling loop backs off
        return parse_update(result) if result is not None else None

    async def send_message(self, chat_id: str, text: str) -> Any:
        if len(text) > MAX_TEXT:  # a programming error upstream: formatting splits every reply
            raise ValueError(f"a Zalo message holds {MAX_TEXT} characters, not {len(text)}")
        return await self.call("sendMessage", {"chat_id": chat_id, "text": text}, idempotent=False)

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Best effort: a typing indicator that failed is not worth a retry."""
        try:
            await self.call("sendChatAction", {"chat_id": chat_id, "action": action}, attempts=1)
        except (ZaloUnavailable, ZaloApiError) as exc:
            log.info("chat action not shown: %s", exc)

    async def set_webhook(self, url: str, secret: str) -> Any:
        return await self.call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")


@dataclass(frozen=True)
class _Result:
    result: Any


@dataclass(frozen=True)
class _Retry:
    problem: str
