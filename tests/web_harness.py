"""The web page served for real on 127.0.0.1 (its own thread and event loop), and a real
browser to drive it: Debian's chromium under Playwright (no browser download)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.channels.web.app import MAX_BODY, make_app
from bot.channels.web.context import WebContext

SHOTS = Path(os.environ.get("WEB_SCREENSHOTS", "/tmp/qcdc-web-shots"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(ctx: WebContext) -> Iterator[str]:
    """Serve the app for the block; yields its base URL ("http://127.0.0.1:PORT")."""
    port = free_port()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    stop: dict[str, asyncio.Event] = {}

    async def main() -> None:
        server = make_app(ctx).listen(port, address="127.0.0.1", max_body_size=MAX_BODY)
        stop["event"] = asyncio.Event()
        ready.set()
        await stop["event"].wait()
        server.stop()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(30), "the web app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(stop["event"].set)
        thread.join(10)


def chromium() -> str:
    """Debian's chromium; CI installs it (.ci/run), so there a missing browser fails the test."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it with apt")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@contextmanager
def browser() -> Iterator[object]:
    """A headless Playwright browser on Debian's chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()
