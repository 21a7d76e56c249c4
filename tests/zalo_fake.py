"""A Zalo Bot API server on 127.0.0.1 for the tests: what the Zalo Bot Platform does, as far as the bot uses it.

It speaks the documented protocol (POST /bot<token>/<method> with a JSON body,
{"ok": ..., "result": ...} replies, string ids), hands out one message per
getUpdates and answers an empty long poll with error 408, records every call,
and rejects what Zalo rejects: a wrong token, text over 2,000 characters or
empty, a webhook secret outside 8-256 characters; `bad_requests` makes a method answer 400.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT = {"id": "bot-7391", "account_name": "bot.qcdc", "account_type": "BASIC", "can_join_groups": True}
MAX_TEXT = 2000


class FakeZaloAPI:
    def __init__(self, token: str):
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._next_message = 1000
        self._cond = threading.Condition()
        self.unreachable_calls = 0  # answer this many calls with 502, as while the platform is down
        self.bad_requests: dict[str, int] = {}  # method: answer this many of its calls with 400
        self.webhook: dict[str, Any] | None = None
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    params = json.loads(raw or b"{}")
                except ValueError:
                    params = {}
                status, payload = api.handle(self.path, params if isinstance(params, dict) else {})
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot stopped and closed its long poll

        class Server(ThreadingHTTPServer):
            request_queue_size = 128

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # connections the bot drops on shutdown

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeZaloAPI:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- the protocol ----------------------------------------------------------------

    def handle(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path[len(prefix) :]
        with self._cond:
            self.calls.append((method, params))
            self._cond.notify_all()
            if self.unreachable_calls > 0:
                self.unreachable_calls -= 1
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            if self.bad_requests.get(method, 0) > 0:
                self.bad_requests[method] -= 1
                return self._bad(f"{method} refused")
        if method == "getMe":
            return self._ok(BOT)
        if method == "getUpdates":
            update = self._next_update(float(params.get("timeout", 0) or 0))
            if update is None:
                return 200, {"ok": False, "error_code": 408, "description": "Request timeout"}
            return self._ok(update)
        if method == "sendChatAction":
            return self._ok(True)
        if method == "setWebhook":
            secret = params.get("secret_token", "")
            if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
                return self._bad("secret_token must be 8-256 characters")
            self.webhook = params
            return self._ok({"url": params.get("url"), "updated_at": int(time.time() * 1000)})
        if method == "deleteWebhook":
            self.webhook = None
            return self._ok({"url": "", "updated_at": int(time.time() * 1000)})
        if method == "sendMessage":
            text = params.get("text", "")
            if not isinstance(text, str) or not text.strip():
                return self._bad("text is empty")
            if len(text) > MAX_TEXT:
                return self._bad("text is too long")
            self._next_message += 1
            return self._ok({"message_id": f"bm{self._next_message}", "date": int(time.time() * 1000)})
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def _ok(self, result: Any) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": result}

    @staticmethod
    def _bad(description: str) -> tuple[int, dict[str, Any]]:
        return 400, {"ok": False, "error_code": 400, "description": description}

    def _next_update(self, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + min(timeout, 1.0)
        with self._cond:
            while not self._updates:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)
            return self._updates.pop(0)

    # --- what the tests use ------------------------------------------------------------

    def update(
        self,
        text: str,
        user_id: str = "u-1",
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        message_id: str | None = None,
    ) -> dict[str, Any]:
        """A user sends `text`; the update as getUpdates (or a webhook call) carries it."""
        with self._cond:
            self._next_message += 1
            message_id = message_id or f"um{self._next_message}"
        return {
            "event_name": "message.text.received",
            "message": {
                "from": {"id": user_id, "display_name": f"Cán bộ {user_id}", "is_bot": False},
                "chat": {"id": chat_id or user_id, "chat_type": chat_type},
                "text": text,
                "message_id": message_id,
                "date": int(time.time() * 1000),
            },
        }

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def message(self, text: str, **kw: Any) -> dict[str, Any]:
        return self.push(self.update(text, **kw))

    def pending(self) -> int:
        with self._cond:
            return len(self._updates)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        with self._cond:
            return [p for m, p in self.calls if m == method]

    def wait(self, predicate, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; calls so far: {[m for m, _ in self.calls][-20:]}")
                self._cond.wait(remaining)
