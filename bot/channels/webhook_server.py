"""A webhook server that slow or hostile clients cannot exhaust, for any channel (Telegram, Zalo).

One tornado app serves a channel's update path and `GET /healthz` (issue 32):

- the secret header is checked as soon as the headers arrive, before any byte
  of the body is read (`stream_request_body`): a wrong or missing secret gets
  403 at once and the connection is closed;
- only the update path reads a body: a request elsewhere (/healthz, an unknown
  path) that announces one (Content-Length over 0, Transfer-Encoding) gets 413
  or 404 from its headers alone and the connection is closed, so no one
  without the secret holds a connection past its headers;
- /healthz's answer is kept `HEALTH_TTL_S` seconds, and callers meanwhile
  share one computation: a burst of /healthz runs the health check once, not
  once per request on the threads that answer questions;
- a body must arrive within `body_timeout_s`, the headers (and the next
  request on a kept-alive connection) within `idle_timeout_s`; tornado's
  defaults were an hour;
- at most `max_connections` are open at once (fewer when the process's file
  limit would not allow them, so `accept` never fails with "Too many open
  files"); at the bound the connection waiting longest for its headers makes
  room, and when none is waiting a new connection gets 503 (`bot.channels.bounded_server`): the server stops
  sending, then reads what the client sent for a moment (`DRAIN_S`, at most
  `MAX_DRAINING` such connections at once) before closing, so the client reads
  the 503 instead of a reset (closing a socket with unread bytes sends RST);
- every refusal is logged at most once per kind per minute (`bot.operations.log_rate`).

A channel gives a `WebhookEndpoint` (path, secret header, secret, and a
coroutine taking the parsed JSON object) and a health callback, and runs
`serving(...)`; `bot.channels.telegram.webhook` does it for Telegram.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import resource
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import tornado.http1connection
import tornado.httpserver
import tornado.httputil
import tornado.iostream
import tornado.netutil
import tornado.web
from tornado.log import access_log, gen_log

from bot.channels.bounded_server import BoundedHTTPServer
from bot.operations.log_rate import RateLimitedLog, RateLimitFilter
from ingest.errors import SettingsError

if TYPE_CHECKING:
    from bot.settings import BotSettings

log = logging.getLogger(__name__)

Health = Callable[[], dict[str, Any]]
OnUpdate = Callable[[dict[str, Any]], Awaitable[None]]

MAX_HEADER_BYTES = 16 * 1024  # a channel's headers are a few hundred bytes; tornado's default is 64 KiB
HEALTH_TTL_S = 5.0  # /healthz's answer is this old at most


class MalformedUpdate(ValueError):
    """Raised by an endpoint's `on_update` for an update it cannot read: the caller gets 400."""


@dataclass(frozen=True)
class WebhookLimits:
    max_body_bytes: int = 1_000_000  # updates are a few kilobytes
    body_timeout_s: float = 10.0
    idle_timeout_s: float = 60.0
    max_connections: int = 500

    @classmethod
    def from_settings(cls, settings: BotSettings) -> WebhookLimits:
        return cls(
            body_timeout_s=settings.webhook_body_timeout_s,
            idle_timeout_s=settings.webhook_idle_timeout_s,
            max_connections=settings.webhook_max_connections,
        )


@dataclass(frozen=True)
class WebhookOptions:
    """Where a channel's webhook server listens and the address its platform is told to post to."""

    listen: str
    port: int
    url_path: str  # derived from the token, without revealing it
    webhook_url: str
    secret: str
    limits: WebhookLimits = field(default_factory=WebhookLimits)

    @classmethod
    def at(
        cls, settings: BotSettings, webhook_url: str, listen: str, port: int, path: str, secret: str
    ) -> WebhookOptions:
        """The options for `path` under the public `webhook_url` (the secret already checked by the channel)."""
        if listen in ("0.0.0.0", "::"):
            log.warning(
                "webhook server listening on all interfaces (%s); put it behind a reverse proxy with TLS", listen
            )
        url = f"{webhook_url.rstrip('/')}/{path}"
        return cls(listen, port, path, url, secret, WebhookLimits.from_settings(settings))


@dataclass(frozen=True)
class WebhookEndpoint:
    path: str  # the update path, without its leading '/'
    secret_header: str  # "X-Telegram-Bot-Api-Secret-Token", "X-Bot-Api-Secret-Token"
    secret: str
    on_update: OnUpdate  # the parsed JSON object; raises MalformedUpdate for one it cannot read


@tornado.web.stream_request_body
class _Updates(tornado.web.RequestHandler):
    refusal = ""  # why this request was refused, for the access log

    def initialize(self, endpoint: WebhookEndpoint) -> None:
        self.endpoint = endpoint
        self._chunks: list[bytes] = []

    def prepare(self) -> None:
        """Runs once the headers are in, before the body: a caller without the secret never gets to send it."""
        given = self.request.headers.get(self.endpoint.secret_header, "")
        if not hmac.compare_digest(given.encode(), self.endpoint.secret.encode()):
            self.refusal = "without the right secret"
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)

    def data_received(self, chunk: bytes) -> None:
        self._chunks.append(chunk)  # tornado caps the total at max_body_size

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self._chunks))
        except (ValueError, RecursionError):  # RecursionError: '[[[[…' nested beyond Python's limit
            self.refusal = "whose body is not JSON"
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if not isinstance(data, dict):
            self.refusal = "whose body is not a JSON object"
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        try:
            await self.endpoint.on_update(data)
        except MalformedUpdate as exc:
            self.refusal = f"with a malformed update ({type(exc.__cause__ or exc).__name__})"
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from exc


class _NoBody(tornado.web.RequestHandler):
    """A handler off the update path (decorated `stream_request_body`, so `prepare` runs once the
    headers are in): it reads no body; one announced is refused, and the connection closed, before
    any byte of it is read."""

    refusal = ""

    def prepare(self) -> None:
        headers = self.request.headers
        if "Transfer-Encoding" in headers or headers.get("Content-Length", "0").strip() not in ("", "0"):
            self.refusal = "with a body where none is read"
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:  # never called: prepare refuses any body
        raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)


@tornado.web.stream_request_body
class _NotFound(_NoBody):
    """Every path but the update path and /healthz: 404 from the headers, whatever follows them."""

    def prepare(self) -> None:
        self.refusal = "on an unknown path"
        raise tornado.web.HTTPError(HTTPStatus.NOT_FOUND)


class HealthCache:
    """The health callback's answer, computed in a thread, kept `ttl_s` seconds; callers while it is
    computed await the same computation. A failed computation is not kept."""

    def __init__(self, health: Health, ttl_s: float, clock: Callable[[], float] = time.monotonic):
        self.health = health
        self.ttl_s = ttl_s
        self.clock = clock
        self.computed = 0  # how many times `health` was run
        self._report: dict[str, Any] | None = None
        self._at = 0.0
        self._pending: asyncio.Future[dict[str, Any]] | None = None

    async def get(self) -> dict[str, Any]:
        if self._report is not None and self.clock() - self._at < self.ttl_s:
            return self._report
        if self._pending is None:
            self.computed += 1
            self._pending = asyncio.ensure_future(asyncio.to_thread(self.health))
            self._pending.add_done_callback(self._done)
        return await asyncio.shield(self._pending)  # a caller that goes away does not cancel the others'

    def _done(self, future: asyncio.Future[dict[str, Any]]) -> None:
        self._pending = None
        if not future.cancelled() and future.exception() is None:
            self._report, self._at = future.result(), self.clock()


@tornado.web.stream_request_body
class _Health(_NoBody):
    def initialize(self, health: HealthCache) -> None:
        self.health = health

    async def get(self) -> None:
        report = await self.health.get()
        self.set_status(HTTPStatus.OK if report.get("ok") else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(report, ensure_ascii=False))


def _access_log(refusals: RateLimitedLog) -> Callable[[tornado.web.RequestHandler], None]:
    """tornado's access log, except that refusals (4xx, 5xx) are one line per kind per minute."""

    def log_request(handler: tornado.web.RequestHandler) -> None:
        status, request = handler.get_status(), handler.request
        if status < 400:
            access_log.info(
                "%d %s %s (%s) %.1f ms",
                status,
                request.method,
                request.path,
                request.remote_ip,
                1000 * request.request_time(),
            )
            return
        why = getattr(handler, "refusal", "")
        level = logging.WARNING if status < 500 else logging.ERROR
        refusals.log(
            level,
            f"{status} {why}",
            "webhook server answered %d to %s %.80r from %s %s",
            status,
            request.method,
            request.path,
            request.remote_ip,
            why or "",
        )

    return log_request


def build_app(endpoint: WebhookEndpoint, health: Health, refusals: RateLimitedLog) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (rf"/{endpoint.path}/?", _Updates, {"endpoint": endpoint}),
            (r"/healthz", _Health, {"health": HealthCache(health, HEALTH_TTL_S)}),
        ],
        default_handler_class=_NotFound,
        log_function=_access_log(refusals),
    )


def connection_cap(requested: int) -> int:
    """`requested`, or fewer when the file limit leaves less room: the index, the journal and the
    channel's own API connections keep a quarter of it (at least 64 files)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return requested
    return max(1, min(requested, soft - max(64, soft // 4)))


def start_server(
    endpoint: WebhookEndpoint, health: Health, address: str, port: int, limits: WebhookLimits = WebhookLimits()
) -> BoundedHTTPServer:
    """Listen on `address:port` on the running event loop; stop it with `stop_server`."""
    refusals = RateLimitedLog(log)
    cap = connection_cap(limits.max_connections)
    if cap < limits.max_connections:
        log.warning(
            "WEBHOOK_MAX_CONNECTIONS=%d exceeds what the file limit allows; serving %d at once "
            "(raise LimitNOFILE in the systemd unit)",
            limits.max_connections,
            cap,
        )
    server = BoundedHTTPServer(
        build_app(endpoint, health, refusals),
        max_connections=cap,
        refusals=refusals,
        idle_connection_timeout=limits.idle_timeout_s,  # tornado also times the headers with it
        body_timeout=limits.body_timeout_s,
        max_body_size=limits.max_body_bytes,
        max_header_size=MAX_HEADER_BYTES,
    )
    try:
        sockets = tornado.netutil.bind_sockets(port, address=address)
    except OSError as exc:  # a port in use or an address not on this machine: the operator's to fix
        raise SettingsError(
            f"cannot listen on {address}:{port}: {exc.strerror or exc}",
            user_message=(
                f"Không mở được cổng {port} trên địa chỉ {address} ({exc.strerror or exc}): cổng đang được chương "
                "trình khác dùng hoặc địa chỉ không thuộc máy này; hãy chọn --port hoặc --listen khác."
            ),
        ) from exc
    server.add_sockets(sockets)
    server.port = sockets[0].getsockname()[1]
    return server


async def stop_server(server: BoundedHTTPServer) -> None:
    server.stop()
    await server.close_all_connections()
    for task in list(server._drains):  # connections refused at the bound, still being drained
        task.cancel()
    await asyncio.gather(*server._drains, return_exceptions=True)


@asynccontextmanager
async def serving(
    endpoint: WebhookEndpoint, health: Health, address: str, port: int, limits: WebhookLimits = WebhookLimits()
) -> AsyncIterator[BoundedHTTPServer]:
    """`async with serving(...) as server:` serves until the block ends; tornado's per-connection
    messages (a body that timed out, a malformed request) are one line per kind per minute meanwhile."""
    server = start_server(endpoint, health, address, port, limits)
    quiet = RateLimitFilter()
    gen_log.addFilter(quiet)
    try:
        yield server
    finally:
        await stop_server(server)
        gen_log.removeFilter(quiet)
