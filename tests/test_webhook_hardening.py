"""Issue 32, finding 1: slow or hostile clients cannot exhaust the webhook server.

Every test runs a real tornado server (bot.channels.webhook_server) on 127.0.0.1 in a
thread, with small timeouts and caps passed as parameters; each client socket
has a 10 s timeout, so a regression fails instead of hanging. No test asserts
how fast anything is.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from tornado.log import gen_log

from bot.channels import bounded_server, webhook_server
from bot.channels.webhook_server import MalformedUpdate, WebhookEndpoint, WebhookLimits, connection_cap, serving
from bot.operations.log_rate import RateLimitedLog, RateLimitFilter
from bot.settings import BotSettings

SECRET = "right-secret_123"
HEADER = "X-Bot-Api-Secret-Token"  # Zalo's name: the server is channel-neutral
WAIT_S = 10.0  # every socket operation and every wait gives up after this


@dataclass
class Running:
    port: int
    server: webhook_server.BoundedHTTPServer
    updates: list[dict[str, Any]] = field(default_factory=list)


@contextlib.contextmanager
def running(
    limits: WebhookLimits | None = None, healthy: bool = True, health: webhook_server.Health | None = None
) -> Iterator[Running]:
    """A hardened server in its own thread and event loop, stopped when the block ends."""
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def on_update(data: dict[str, Any]) -> None:
        if "update_id" not in data:
            raise MalformedUpdate("no update_id")
        box["running"].updates.append(data)

    async def main() -> None:
        stop = asyncio.Event()
        box["loop"], box["stop"] = asyncio.get_running_loop(), stop
        endpoint = WebhookEndpoint("hook", HEADER, SECRET, on_update)
        check = health or (lambda: {"ok": healthy})
        async with serving(endpoint, check, "127.0.0.1", 0, limits or WebhookLimits()) as server:
            box["running"] = Running(server.port, server)
            ready.set()
            await stop.wait()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(WAIT_S), "the server did not start"
    try:
        yield box["running"]
    finally:
        box["loop"].call_soon_threadsafe(box["stop"].set)
        thread.join(WAIT_S)


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT_S)
    sock.settimeout(WAIT_S)
    return sock


def post_head(secret: str | None, length: int = 1000, close: bool = False) -> bytes:
    lines = ["POST /hook HTTP/1.1", "Host: bot", "Content-Type: application/json", f"Content-Length: {length}"]
    if close:
        lines.append("Connection: close")
    if secret is not None:
        lines.append(f"{HEADER}: {secret}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (b'' if it closes at once)."""
    data = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(4096):
            data += chunk
    return data


def status(response: bytes) -> int:
    match = re.match(rb"HTTP/1\.1 (\d{3})", response)
    return int(match.group(1)) if match else 0


def call(port: int, path: str, body: bytes = b"", secret: str | None = SECRET) -> tuple[int, bytes]:
    with connect(port) as sock:
        if path == "healthz":
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n")
        else:
            sock.sendall(post_head(secret, len(body), close=True) + body)
        response = read_all(sock)
    return status(response), response.partition(b"\r\n\r\n")[2]


def until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


# --- the secret is checked before the body ------------------------------------------------

header_text = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=0, max_size=40)


@settings(max_examples=25, deadline=None)
@given(
    secret=st.one_of(
        st.none(),
        header_text.filter(lambda s: s != SECRET),
        st.just(SECRET.upper()),
        st.just(SECRET[:-1]),
        st.just(SECRET + "x"),
    )
)
def test_webhook_slow_client_refused_before_body(server, secret):
    """A call without the right secret gets 403 from its headers alone, and the connection is closed."""
    with connect(server.port) as sock:
        sock.sendall(post_head(secret, length=1000))  # announces a body it never sends
        response = read_all(sock)  # returns only because the server closes the connection
    assert status(response) == 403
    assert server.updates == []


@pytest.fixture(scope="module")
def server():
    with running() as here:
        yield here


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"update_id": 7, "message": {"text": "Ch\xe1\xbb\x89 th\xe1\xbb\x8b 05"}}', 200),
        (b"{not json", 400),
        (b"[1, 2, 3]", 400),  # JSON, but not an object
        (b'"text"', 400),
        (b'{"message": {}}', 400),  # the channel's own check (MalformedUpdate)
        (b"[" * 100_000, 400),  # nested beyond Python's recursion limit
        (b"\xff\xfe\x00", 400),
    ],
)
def test_webhook_right_secret_reads_the_body(server, body, expected):
    before = len(server.updates)
    code, _ = call(server.port, "hook", body)
    assert code == expected
    assert len(server.updates) == before + (expected == 200)
    if expected == 200:
        assert server.updates[-1]["message"]["text"] == "Chỉ thị 05"


def test_webhook_body_over_the_limit_is_refused():
    with running(WebhookLimits(max_body_bytes=1000)) as here:
        code, _ = call(here.port, "hook", b'{"update_id": 1, "pad": "' + b"x" * 2000 + b'"}')
        assert code == 400 and here.updates == []
        assert call(here.port, "hook", b'{"update_id": 2}')[0] == 200


# --- timeouts -----------------------------------------------------------------------------


def test_webhook_stalled_body_closed_by_timeout():
    with running(WebhookLimits(body_timeout_s=0.3)) as here, connect(here.port) as sock:
        sock.sendall(post_head(SECRET, length=100) + b'{"update_id": ')  # the right secret, then silence
        assert read_all(sock) == b""  # closed by the server, without an answer
        assert here.updates == []
        until(lambda: here.server.open_connections == 0, "the stalled connection is still counted")


@pytest.mark.parametrize("sent", [b"", b"POST /hook HTTP/1.1\r\nHost: bot\r\n", b"GET /healthz HTTP/1.1\r\n"])
def test_webhook_idle_or_slow_headers_closed_by_timeout(sent):
    with running(WebhookLimits(idle_timeout_s=0.3)) as here, connect(here.port) as sock:
        sock.sendall(sent)
        assert read_all(sock) == b""
        until(lambda: here.server.open_connections == 0, "the idle connection is still counted")


# --- a bound on open connections; /healthz answers throughout ---------------------------


def test_webhook_connections_beyond_cap_refused():
    """At the bound, with every connection in the middle of a request, a new one gets 503 (or is closed)."""
    with running(WebhookLimits(max_connections=5)) as here:
        busy = [connect(here.port) for _ in range(5)]
        try:
            for sock in busy:  # headers in (the right secret), body still coming: not to be cut
                sock.sendall(post_head(SECRET, length=100, close=True) + b'{"update_id": ')
            until(lambda: here.server.open_connections == 5, "the five connections were not counted")
            until(lambda: here.server.waiting_for_headers == 0, "the five requests' headers were not read")
            for _ in range(3):
                with connect(here.port) as extra:
                    try:
                        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n")
                        response = read_all(extra)
                    except (BrokenPipeError, ConnectionResetError):
                        response = b""
                    assert status(response) in (0, 503)  # refused: a 503, or closed before it could be read
            assert here.server.evicted == 0
            for sock in busy:  # the requests under way still complete
                sock.sendall(b"1}" + b" " * 84)
                assert status(read_all(sock)) == 200
        finally:
            for sock in busy:
                sock.close()
        until(lambda: here.server.open_connections == 0, "closed connections are still counted")
        assert call(here.port, "healthz")[0] == 200  # slots come back
        assert len(here.updates) == 5


@pytest.mark.parametrize(
    "head",
    [
        "GET /healthz HTTP/1.1\r\nContent-Length: 1000",  # the reviewer's request
        "POST /healthz HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 1000",
        "GET /healthz HTTP/1.1\r\nTransfer-Encoding: chunked",
        "DELETE /healthz HTTP/1.1\r\nContent-Length: 5",
        "GET /nowhere HTTP/1.1\r\nContent-Length: 1000",
        "POST / HTTP/1.1\r\nContent-Length: 1000",
        "PUT /hook/more HTTP/1.1\r\nTransfer-Encoding: chunked",
        f"POST /HOOK HTTP/1.1\r\n{HEADER}: {SECRET}\r\nContent-Length: 1000",  # the secret, on no update path
        "POST /hook HTTP/1.1\r\nContent-Length: 1000",  # the update path without the secret (403 already)
    ],
)
def test_webhook_bodies_outside_the_update_path_cannot_hold_the_cap(head):
    """Review finding 1: a request announcing a body it never sends, anywhere but a signed update,
    is answered from its headers and closed; it cannot hold one of the connections (before: it held
    one for the body timeout, not evictable, and a signed update got 503 at max_connections=2)."""
    with running(WebhookLimits(max_connections=2)) as here, contextlib.ExitStack() as stack:
        held = [stack.enter_context(connect(here.port)) for _ in range(2)]
        for sock in held:
            sock.sendall(f"{head}\r\nHost: bot\r\n\r\n".encode())
        for sock in held:
            assert status(read_all(sock)) in (403, 404, 413)  # returns only because the server closes it
        until(lambda: here.server.open_connections == 0, "a refused connection is still counted")
        assert call(here.port, "hook", b'{"update_id": 9}')[0] == 200  # the sockets above are still open here
        assert here.updates == [{"update_id": 9}] and here.server.evicted == 0


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (b"GET /healthz HTTP/1.1\r\nHost: bot\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 200),
        (b"GET /nowhere HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n", 404),
        (b"POST /healthz HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n", 405),
    ],
)
def test_webhook_requests_without_a_body_off_the_update_path_are_answered(server, request_, expected):
    with connect(server.port) as sock:
        sock.sendall(request_)
        assert status(read_all(sock)) == expected


@pytest.mark.parametrize("trickled", [b"", b"POST /hook HTTP/1.1\r\nHo", b"GET /heal"])
def test_webhook_slow_headers_give_way_at_the_cap(monkeypatch, trickled):
    """At the bound, the connection waiting longest for its headers is closed to let a new one in."""
    monkeypatch.setattr(bounded_server, "EVICT_AFTER_S", 0.0)  # no need to wait a second in a test
    with running(WebhookLimits(max_connections=3)) as here, contextlib.ExitStack() as stack:
        slow = []
        for n in range(1, 4):  # one after the other, so that their age is known
            slow.append(stack.enter_context(connect(here.port)))
            slow[-1].sendall(trickled)
            until(lambda n=n: here.server.open_connections == n, "a slow connection was not accepted")
        code, body = call(here.port, "healthz")
        assert code == 200 and json.loads(body) == {"ok": True}
        assert here.server.evicted == 1
        assert read_all(slow[0]) == b""  # the oldest was closed, without an answer
        until(lambda: here.server.open_connections == 2, "the closed connections are still counted")
        slow.append(stack.enter_context(connect(here.port)))  # the bound again: three waiting for headers
        until(lambda: here.server.open_connections == 3, "a slow connection was not accepted")
        assert call(here.port, "hook", b'{"update_id": 4}')[0] == 200
        assert here.server.evicted == 2 and here.updates == [{"update_id": 4}]
        assert read_all(slow[1]) == b""  # the next oldest


def test_webhook_slow_clients_leave_healthz_answering():
    """200 clients trickling their headers hold connections; /healthz (and a real update) still get through."""
    with running(WebhookLimits(max_connections=400)) as here, contextlib.ExitStack() as stack:
        slow = [stack.enter_context(connect(here.port)) for _ in range(200)]
        for sock in slow:
            sock.sendall(b"POST /hook HTTP/1.1\r\nHo")
        until(lambda: here.server.open_connections == 200, "the slow connections were not all accepted")
        code, body = call(here.port, "healthz")
        assert code == 200 and json.loads(body) == {"ok": True}
        assert call(here.port, "hook", b'{"update_id": 3}')[0] == 200
        for sock in slow[:100]:  # half of them finish with a wrong secret: refused at once
            sock.sendall(f"st: bot\r\nContent-Length: 500\r\n{HEADER}: wrong\r\n\r\n".encode())
        assert {status(read_all(sock)) for sock in slow[:100]} == {403}
        assert here.updates == [{"update_id": 3}]


def test_webhook_refused_at_the_cap_reads_its_503_not_a_reset(monkeypatch):
    """Review finding 10: a client refused at the bound that goes on sending its request (as HTTP
    clients do before they read) reads the 503 and its Retry-After. Before, the socket was closed at
    once with the request unread: the kernel answered the body with RST, and the client's next send
    failed with "connection reset by peer" (or "broken pipe") before it read anything."""
    monkeypatch.setattr(bounded_server, "DRAIN_S", WAIT_S)  # no timing in the test: the client closes first
    with running(WebhookLimits(max_connections=1)) as here, connect(here.port) as busy:
        busy.sendall(post_head(SECRET, length=100, close=True) + b'{"update_id": ')
        until(lambda: here.server.waiting_for_headers == 0 and here.server.open_connections == 1, "not busy")
        for _ in range(5):
            with connect(here.port) as extra:
                extra.sendall(post_head(SECRET, length=3000, close=True))
                assert extra.recv(64, socket.MSG_PEEK)  # the 503 is here: the server has refused
                for _ in range(3):  # the body, sent after the refusal
                    extra.sendall(b" " * 1000)
                    time.sleep(0.01)  # lets a reset, if any, come back before the next send
                response = read_all(extra)
            assert status(response) == 503 and b"Retry-After: 5" in response
        until(lambda: here.server.draining == 0, "a refused connection is still being drained")
        busy.sendall(b"1}" + b" " * 84)
        assert status(read_all(busy)) == 200


def test_webhook_refused_connection_that_never_closes_is_closed_after_its_drain(monkeypatch):
    monkeypatch.setattr(bounded_server, "DRAIN_S", 0.2)
    with running(WebhookLimits(max_connections=1)) as here, connect(here.port) as busy:
        busy.sendall(post_head(SECRET, length=100, close=True) + b'{"update_id": ')
        until(lambda: here.server.waiting_for_headers == 0 and here.server.open_connections == 1, "not busy")
        with connect(here.port) as extra:  # reads its 503, then neither sends nor closes
            assert extra.recv(4096).startswith(b"HTTP/1.1 503")
            until(lambda: here.server.draining == 0, "the refused connection was never closed")


def test_webhook_healthz_burst_runs_the_check_once(monkeypatch):
    """Review finding 5: /healthz within the TTL answers what the one check found; the check
    (in a thread of the pool that answers questions) is not run per request."""
    monkeypatch.setattr(webhook_server, "HEALTH_TTL_S", 3600.0)
    calls: list[int] = []

    def check() -> dict[str, Any]:
        calls.append(1)
        return {"ok": True, "n": len(calls)}

    with running(health=check) as here:
        answers = [call(here.port, "healthz") for _ in range(30)]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers += list(pool.map(lambda _: call(here.port, "healthz"), range(40)))
    assert {(code, body) for code, body in answers} == {(200, b'{"ok": true, "n": 1}')}
    assert len(calls) == 1


def test_health_cache_shares_one_computation_and_expires():
    clock = Clock()
    release = threading.Event()
    calls: list[int] = []

    def check() -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the check failed")
        assert release.wait(WAIT_S)
        return {"ok": True, "n": len(calls)}

    async def main() -> None:
        cache = webhook_server.HealthCache(check, ttl_s=5.0, clock=clock)
        waiting = [asyncio.ensure_future(cache.get()) for _ in range(50)]  # all while the check runs
        await asyncio.sleep(0)
        release.set()
        assert {r["n"] for r in await asyncio.gather(*waiting)} == {1}
        clock.now = 4.9
        assert (await cache.get())["n"] == 1  # within the TTL
        clock.now = 5.0
        assert (await cache.get())["n"] == 2  # expired: computed again
        clock.now = 10.0
        with pytest.raises(RuntimeError):
            await cache.get()  # a failure is not kept: the next caller computes again
        assert (await cache.get())["n"] == 4
        assert cache.computed == 4

    asyncio.run(main())
    assert len(calls) == 4


def test_healthz_journal_check_is_cheap(tmp_path, monkeypatch):
    """Review finding 5: /healthz's journal is its state and a probe (the file is there and its write
    lock can be taken), never Journal.check's integrity check over the whole file."""
    from bot.operations.health import live, live_journal
    from bot.operations.journal import Journal

    path = tmp_path / "f.sqlite3"
    journal = Journal(path)

    def full_check(self: Journal) -> str:
        raise AssertionError("/healthz ran the full integrity check")

    monkeypatch.setattr(Journal, "check", full_check)

    class Index:
        def count(self) -> int:
            return 12

    class Service:
        index = Index()

    assert live(Service(), journal) == {"ok": True, "index": {"ok": True, "passages": 12}, "journal": {"ok": True}}
    path.unlink()  # deleted under the running bot, a folder in its place
    path.mkdir()
    report = live_journal(journal)
    assert report["ok"] is False and "not a file" in report["error"]
    assert not list(path.iterdir())  # the probe created nothing
    path.rmdir()
    assert live_journal(journal)["ok"] is False and not path.exists()  # missing: reported, not created


def test_webhook_unhealthy_is_503_not_an_error():
    with running(healthy=False) as here:
        code, body = call(here.port, "healthz")
        assert code == 503 and json.loads(body) == {"ok": False}


def test_connection_cap_follows_the_file_limit(monkeypatch):
    for soft, expected in [
        (256, 192),
        (1024, 768),
        (20_000, 1000),
        (webhook_server.resource.RLIM_INFINITY, 1000),
        (65, 1),
    ]:
        monkeypatch.setattr(webhook_server.resource, "getrlimit", lambda _kind, soft=soft: (soft, soft))
        assert connection_cap(1000) == expected


def test_webhook_limits_come_from_settings():
    settings = BotSettings(
        _env_file=None, webhook_max_connections=7, webhook_body_timeout_s=2.5, webhook_idle_timeout_s=4
    )
    assert WebhookLimits.from_settings(settings) == WebhookLimits(1_000_000, 2.5, 4.0, 7)


# --- one log line per kind of refusal per minute -------------------------------------------


def test_webhook_refusals_logged_once_per_kind(caplog, monkeypatch):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(gen_log, "filters", [])  # another test's server shares tornado's logger: count only ours
    with running(WebhookLimits(body_timeout_s=0.2)) as here:
        for i in range(20):
            assert call(here.port, "hook", b"{}", secret=f"wrong-{i}")[0] == 403
            assert call(here.port, "hook", b"{not json")[0] == 400
        for _ in range(5):
            with connect(here.port) as sock:
                sock.sendall(post_head(SECRET, length=50))
                assert read_all(sock) == b""
    lines = [r.getMessage() for r in caplog.records if r.name in ("bot.channels.webhook_server", "tornado.general")]
    assert sum("without the right secret" in line for line in lines) == 1
    assert sum("not JSON" in line for line in lines) == 1
    assert sum("Timeout reading body" in line for line in lines) == 1


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@given(st.lists(st.tuples(st.sampled_from(["secret", "timeout", "cap"]), st.floats(0, 90)), max_size=60))
def test_rate_limited_log_one_line_per_kind_per_interval(events):
    """Against a model: a line is written when its kind was last written at least 60 s before, and it
    counts the ones left out in between; nothing is lost from the count."""
    clock, logger = Clock(), logging.getLogger("test.rate")
    limited = RateLimitedLog(logger, 60.0, clock)
    written: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: written.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    last: dict[str, float] = {}
    pending: dict[str, int] = {}
    expected: list[str] = []
    try:
        for kind, step in events:
            clock.now += step
            if kind not in last or clock.now - last[kind] >= 60.0:
                left = pending.pop(kind, 0)
                expected.append(f"{kind} event" + (f" ({left} more like it in the last 60 s)" if left else ""))
                last[kind] = clock.now
            else:
                pending[kind] = pending.get(kind, 0) + 1
            limited.warning(kind, "%s event", kind)
    finally:
        logger.removeHandler(handler)
    assert written == expected


def test_rate_limit_filter_keys_on_the_message_format():
    clock = Clock()
    quiet = RateLimitFilter(60.0, clock)

    def record(msg: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord("tornado.general", logging.INFO, __file__, 1, msg, args, None)

    assert quiet.filter(record("Timeout reading body from %s", "1.2.3.4"))
    assert not quiet.filter(record("Timeout reading body from %s", "5.6.7.8"))  # another address, same kind
    assert quiet.filter(record("Malformed HTTP message from %s: %s", "1.2.3.4", "bad"))
    clock.now = 61
    again = record("Timeout reading body from %s", "9.9.9.9")
    assert (
        quiet.filter(again)
        and again.getMessage() == "Timeout reading body from 9.9.9.9 (1 more like it in the last 60 s)"
    )


# --- the systemd unit --------------------------------------------------------------------


def test_bot_unit_raises_its_file_limit():
    unit = (ROOT / "deploy" / "tro-ly-qcdc.service").read_text()
    match = re.search(r"^LimitNOFILE=(\d+)$", unit, re.MULTILINE)
    assert match and int(match.group(1)) >= 8192
    nginx = (ROOT / "deploy" / "nginx-tro-ly-qcdc.conf").read_text()
    for directive in ("proxy_request_buffering on", "client_body_timeout", "client_max_body_size", "/healthz"):
        assert directive in nginx


def test_webhook_port_in_use_is_a_clear_message_not_a_traceback():
    from ingest.errors import SettingsError

    async def on_update(data: dict[str, Any]) -> None:
        return None

    endpoint = WebhookEndpoint("hook", "X-Secret", "s" * 16, on_update)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        async def main() -> None:
            async with serving(endpoint, lambda: {"ok": True}, "127.0.0.1", port):
                pass

        with pytest.raises(SettingsError) as caught:
            asyncio.run(main())
    assert f"cổng {port}" in caught.value.for_user() and "--port" in caught.value.for_user()
