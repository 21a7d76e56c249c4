"""A Bot API server on 127.0.0.1 for the tests: what the Telegram servers do, as far as the bot uses them.

It speaks the real protocol (POST /bot<token>/<method>, form or JSON
parameters, {"ok": ..., "result": ...} replies), queues updates for
getUpdates, records every call, and rejects what Telegram rejects: a wrong
token, messages over 4,096 characters, HTML it cannot parse, callback data
over 64 bytes.
"""

from __future__ import annotations

import json
import threading
import time
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT = {"id": 999, "is_bot": True, "first_name": "Trợ lý QCDC", "username": "qcdc_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler", "span"}


class TelegramHTML(HTMLParser):
    """Telegram's HTML rules: known tags only, properly nested, entities well formed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = f"unsupported start tag \"{tag}\""
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = f"unexpected end tag \"{tag}\""

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.error = f"unsupported entity &{name};"


def multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields of a multipart upload; files as {"filename", "bytes"}."""
    from email.parser import BytesParser
    from email.policy import default

    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if part.get_filename():
            fields[name] = {"filename": part.get_filename(), "bytes": payload}
        else:
            fields[name] = payload.decode()
    # PTB sends the file as an attach:// reference in the field and the bytes in another part
    for key, value in list(fields.items()):
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in fields:
            fields[key] = fields[value[9:]]
    return fields


def html_error(text: str) -> str | None:
    if "&" in text:
        import re

        for m in re.finditer(r"&[^;\s]*;?", text):
            if not re.fullmatch(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);", m.group()):
                return f"bad entity {m.group()!r}"
    parser = TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.error:
        return parser.error
    if parser.stack:
        return f"unclosed tag \"{parser.stack[-1]}\""
    return None


class FakeBotAPI:
    def __init__(self, token: str):
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1
        self._next_message = 100
        self._cond = threading.Condition()
        self.flood_next_message = False  # answer the next sendMessage with 429, as Telegram's flood control does
        self.unreachable_calls = 0  # answer this many calls with 502, as Telegram does while it is down
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                ctype = self.headers.get("Content-Type", "")
                if ctype.startswith("application/json"):
                    params = json.loads(raw or b"{}")
                elif ctype.startswith("multipart/form-data"):
                    params = multipart(ctype, raw)
                else:
                    params = dict(parse_qsl(raw.decode()))
                status, payload = api.handle(self.path, params)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot stopped and closed its long poll

            do_GET = do_POST

        class Server(ThreadingHTTPServer):
            # The bot may open dozens of connections at once (a burst of updates answered
            # concurrently); the default backlog of 5 let the kernel reset some of them.
            request_queue_size = 128

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # connections the bot drops on shutdown

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def __enter__(self) -> FakeBotAPI:
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
        method = path[len(prefix):]
        with self._cond:
            self.calls.append((method, params))
            self._cond.notify_all()
            if self.unreachable_calls > 0:
                self.unreachable_calls -= 1
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if method == "getMe":
            return self._ok(BOT)
        if method == "getUpdates":
            return self._ok(self._get_updates(int(params.get("offset", 0) or 0), float(params.get("timeout", 0) or 0)))
        if method in {"deleteWebhook", "setMyCommands", "sendChatAction", "answerCallbackQuery", "setWebhook"}:
            return self._ok(True)
        if method == "sendDocument":
            document = params.get("document")
            if not isinstance(document, dict) or not document.get("bytes"):
                return self._bad("there is no document in the request")
            self._next_message += 1
            return self._ok({"message_id": self._next_message, "date": int(time.time()), "from": BOT,
                             "chat": {"id": int(params["chat_id"]), "type": "private"},
                             "document": {"file_id": "f1", "file_unique_id": "u1", "file_name": document["filename"]}})
        if method == "editMessageReplyMarkup":
            return self._ok({"message_id": int(params.get("message_id", 0)), "date": int(time.time()), "from": BOT,
                             "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": "…",
                             **({"reply_markup": json.loads(params["reply_markup"])} if params.get("reply_markup") else {})})
        if method in {"sendMessage", "editMessageText"}:
            if self.flood_next_message:
                self.flood_next_message = False
                return 429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                             "parameters": {"retry_after": 1}}
            return self._message(params)
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def _ok(self, result: Any) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": result}

    @staticmethod
    def _bad(description: str) -> tuple[int, dict[str, Any]]:
        return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}

    def _message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        text = params.get("text", "")
        if not text.strip():
            return self._bad("message text is empty")
        if len(text) > 4096:
            return self._bad("message is too long")
        if params.get("parse_mode") == "HTML" and (error := html_error(text)):
            return self._bad(f"can't parse entities: {error}")
        markup = json.loads(params["reply_markup"]) if params.get("reply_markup") else None
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    return self._bad("BUTTON_DATA_INVALID")
        chat_id = int(params["chat_id"])
        self._next_message += 1
        params["_message_id"] = self._next_message  # recorded with the call: tests reply to it
        message = {"message_id": self._next_message, "date": int(time.time()), "from": BOT, "text": text,
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}}
        if markup and "inline_keyboard" in markup:  # Telegram returns inline keyboards only (not ForceReply)
            message["reply_markup"] = markup
        return self._ok(message)

    def _get_updates(self, offset: int, timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + min(timeout, 1.0)
        with self._cond:
            while True:
                ready = [u for u in self._updates if u["update_id"] >= offset]
                if ready or time.monotonic() >= deadline:
                    self._updates = ready
                    return ready
                self._cond.wait(deadline - time.monotonic())

    # --- what the tests use ------------------------------------------------------------

    def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            update["update_id"] = self._next_update
            self._next_update += 1
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def message(self, text: str, user_id: int = 1, chat_id: int | None = None, chat_type: str = "private",
                reply_to_bot: bool = False, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user sends `text` (commands get their entity, as Telegram clients send them)."""
        chat_id = user_id if chat_id is None else chat_id
        self._next_message += 1
        message: dict[str, Any] = {
            "message_id": self._next_message, "date": int(time.time()), "text": text,
            "from": {"id": user_id, "is_bot": False, "first_name": f"Cán bộ {user_id}"},
            "chat": {"id": chat_id, "type": chat_type, **({"title": "Chi bộ"} if chat_type != "private" else {})},
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to_bot:
            message["reply_to_message"] = {"message_id": 1, "date": int(time.time()), "from": BOT,
                                           "chat": message["chat"], "text": "câu trả lời trước"}
        if reply_to is not None:  # a reply to one of the bot's messages, as the API returned it
            message["reply_to_message"] = {"message_id": reply_to["message_id"], "date": int(time.time()),
                                           "from": BOT, "chat": message["chat"], "text": reply_to["text"]}
        return self._push({"message": message})

    def press(self, data: str, user_id: int = 1, chat_id: int | None = None,
              markup: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user presses an inline button carrying `data` under one of the bot's messages (whose keyboard is `markup`)."""
        chat_id = user_id if chat_id is None else chat_id
        message = {"message_id": 5, "date": int(time.time()), "from": BOT, "text": "…",
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}}
        if markup is not None:
            message["reply_markup"] = markup
        return self._push({"callback_query": {
            "id": f"cb{self._next_update}", "chat_instance": "ci", "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": f"Cán bộ {user_id}"},
            "message": message,
        }})

    def result(self, method: str, index: int = -1) -> dict[str, Any]:
        """What the server answered to a call (the message as sent, with its id), rebuilt from the call."""
        params = self.sent(method)[index]
        return {"message_id": params.get("_message_id"), "text": params.get("text", "")}

    def raw(self, update: dict[str, Any]) -> dict[str, Any]:
        """Any update as given (channel posts, edits, forged or malformed ones): what a fuzzer sends."""
        return self._push(update)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        with self._cond:
            return [p for m, p in self.calls if m == method]

    def wait(self, predicate, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; calls so far: {[m for m, _ in self.calls]}")
                self._cond.wait(remaining)
