"""An HTTP server with a bound on open connections that a flood of slow clients cannot exhaust.

Split out of `bot.channels.webhook_server` (which builds the application and serves it): at the
bound, the connection that has waited longest for its headers makes room, else the newcomer gets
503 and is drained briefly before it is closed. tornado offers no such bound itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import tornado.http1connection
import tornado.httpserver
import tornado.httputil
import tornado.iostream

from bot.operations.log_rate import RateLimitedLog

EVICT_AFTER_S = 1.0  # a client's headers come in one packet; waiting longer is trickling or idling
DRAIN_S = 1.0  # a connection refused at the bound is read this long at most before it is closed
DRAIN_BYTES = 64 * 1024  # and this much
MAX_DRAINING = 16  # refused connections drained at once (within the files connection_cap keeps); beyond, closed at once
_REFUSED = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 5\r\n\r\n"


class _HeadersSeen(tornado.httputil.HTTPMessageDelegate):
    """tornado's delegate for one request, telling the server when the request's headers are in."""

    def __init__(self, inner: tornado.httputil.HTTPMessageDelegate, seen: Callable[[], object]):
        self.inner = inner
        self.seen = seen

    def headers_received(
        self,
        start_line: tornado.httputil.RequestStartLine | tornado.httputil.ResponseStartLine,
        headers: tornado.httputil.HTTPHeaders,
    ) -> Awaitable[None] | None:
        self.seen()
        return self.inner.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Awaitable[None] | None:
        return self.inner.data_received(chunk)

    def finish(self) -> None:
        self.inner.finish()

    def on_connection_close(self) -> None:
        self.inner.on_connection_close()


class BoundedHTTPServer(tornado.httpserver.HTTPServer):
    """An HTTPServer with at most `max_connections` open.

    At the bound, a new connection takes the place of the one that has waited
    longest for its headers (a client trickling them, or a kept-alive
    connection with nothing to send), if it has waited `EVICT_AFTER_S`;
    otherwise it gets 503 and is closed once drained (`_refuse`). So a flood
    of slow clients cannot keep /healthz or a real update out for the whole
    idle timeout, and a request whose headers are in is never cut. tornado has neither bound: the counting
    sits in handle_stream / on_close, the pair every connection goes through."""

    port = 0  # where it listens, once started (port 0 asks the system for one)

    def initialize(  # type: ignore[override]  # tornado's Configurable passes the constructor's arguments
        self, *args: Any, max_connections: int, refusals: RateLimitedLog, **kwargs: Any
    ) -> None:
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        self.refusals = refusals
        self.open_connections = 0
        self.evicted = 0
        self.draining = 0  # connections refused at the bound, being read before they are closed
        self._drains: set[asyncio.Task[None]] = set()
        # connections waiting for a request's headers, oldest first (a dict keeps insertion order)
        self._waiting: dict[tornado.http1connection.HTTP1ServerConnection, float] = {}

    @property
    def waiting_for_headers(self) -> int:
        return len(self._waiting)

    def handle_stream(self, stream: tornado.iostream.IOStream, address: tuple[Any, ...]) -> None:
        if self.open_connections >= self.max_connections and not self._evict_one():
            self.refusals.warning(
                "connections",
                "webhook server has its %d connections open, all busy; refusing more (%s)",
                self.max_connections,
                address[0],
            )
            if self.draining >= MAX_DRAINING:  # a flood: closed at once (the 503 may be lost to a reset)
                with contextlib.suppress(tornado.iostream.StreamClosedError):
                    stream.write(_REFUSED)  # written at once into an empty socket buffer
                stream.close()
                return
            self.draining += 1
            task = asyncio.ensure_future(self._refuse(stream))
            self._drains.add(task)
            task.add_done_callback(self._drains.discard)
            return
        self.open_connections += 1
        super().handle_stream(stream, address)

    async def _refuse(self, stream: tornado.iostream.IOStream) -> None:
        """503, then no more writing (FIN), then read and drop what the client sends until it closes,
        `DRAIN_BYTES` or `DRAIN_S`, whichever first; then close. Closing at once with the client's
        request unread would send RST, and the client would likely see "connection reset", not the 503."""
        try:
            await stream.write(_REFUSED)
            if stream.socket is None:  # closed by the client meanwhile
                return
            stream.socket.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + DRAIN_S
            drained = 0
            while drained < DRAIN_BYTES and (left := deadline - time.monotonic()) > 0:
                drained += len(await asyncio.wait_for(stream.read_bytes(DRAIN_BYTES, partial=True), left))
        except (tornado.iostream.StreamClosedError, OSError, TimeoutError):
            pass  # the client closed (what it should do), or the time is up
        finally:
            stream.close()
            self.draining -= 1

    def _evict_one(self) -> bool:
        """Close the connection that has waited longest for its headers, if it has waited long enough."""
        oldest = next(iter(self._waiting.items()), None)
        if oldest is None or time.monotonic() - oldest[1] < EVICT_AFTER_S:
            return False
        conn = oldest[0]
        del self._waiting[conn]
        self.evicted += 1
        self.refusals.warning(
            "evicted",
            "webhook server at its %d connections: closing the one waiting longest for its headers",
            self.max_connections,
        )
        conn.stream.close()  # its request loop ends and on_close counts it out
        return True

    def start_request(
        self, server_conn: object, request_conn: tornado.httputil.HTTPConnection
    ) -> tornado.httputil.HTTPMessageDelegate:
        conn = cast(tornado.http1connection.HTTP1ServerConnection, server_conn)
        self._waiting.pop(conn, None)
        self._waiting[conn] = time.monotonic()  # before each request's headers, on a kept-alive one too
        return _HeadersSeen(super().start_request(server_conn, request_conn), lambda: self._waiting.pop(conn, None))

    def on_close(self, server_conn: object) -> None:
        self.open_connections -= 1
        self._waiting.pop(cast(tornado.http1connection.HTTP1ServerConnection, server_conn), None)
        super().on_close(server_conn)
