"""`POST /api/ask`, `GET /api/lookup?q=…` and `GET /healthz`, for other tools.

The JSON is the CLI's (`bot ask --json`, `bot lookup --json`): one documented shape for every
tool. A tool is not a browser: no XSRF cookie is asked for (nothing here acts for a signed-in
user; the rate limit and the body cap are what protect it). An API session is the tool's own
`session` string, kept apart from browsers' by a prefix so that it cannot read their answers.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import tornado.web

from bot import wording
from bot.answering.lookup import lookup_json
from bot.channels.web.context import Page, WebContext
from bot.operations.health import live
from bot.render.json import answer_json
from ingest import QcdcError

log = logging.getLogger(__name__)

MAX_API_BODY = 64 * 1024  # a question is a few hundred characters; the server's own cap is for uploads
MAX_SESSION = 100


class Api(Page):
    """JSON in and out; errors as `{"error": "…"}` in Vietnamese, never a page."""

    def check_xsrf_cookie(self) -> None:
        """Tools post JSON without a browser's cookie (see the module's docstring)."""

    def send_json(self, status: int, data: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data, ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.send_json(status_code, {"error": wording.WEB_API_ERROR})

    def limited(self, key: str) -> bool:
        """Whether the caller must wait (then answered 429 with how long)."""
        if not (wait := self.core.limit.wait_seconds(key)):
            return False
        self.set_header("Retry-After", str(wait))
        self.send_json(429, {"error": wording.rate_limited(self.core.limit.per_minute, wait)})
        return True


@tornado.web.stream_request_body
class AskApi(Api):
    """The body is read in pieces under its own cap, so a tool's oversized body is refused from
    its headers (413) before tornado buffers it up to the uploads' limit."""

    def prepare(self) -> None:
        self.body = bytearray()
        length = self.request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_API_BODY:
            self.send_json(413, {"error": wording.WEB_API_TOO_LARGE})
            return
        self.request.connection.set_max_body_size(MAX_API_BODY)  # type: ignore[union-attr]  # an HTTP1Connection

    def data_received(self, chunk: bytes) -> None:
        self.body += chunk

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A GET (a person trying the address in a browser) is told how to ask, not "try later"."""
        if status_code != 405:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Allow", "POST")
        self.send_json(405, {"error": wording.WEB_API_POST_ONLY})

    async def post(self) -> None:
        try:
            data = json.loads(bytes(self.body) or b"")
        except (UnicodeDecodeError, ValueError):
            self.send_json(400, {"error": wording.WEB_API_NOT_JSON})
            return
        question, session = (data.get("question"), data.get("session")) if isinstance(data, dict) else (None, None)
        if not isinstance(question, str) or not isinstance(session, str | None):
            self.send_json(400, {"error": wording.WEB_API_FIELDS})
            return
        session = (session or "")[:MAX_SESSION]
        chat = f"api:{session}" if session else f"api-ip:{self.request.remote_ip}"
        if self.limited(chat):
            return
        try:
            asked = await self.blocking(self.core.ask, chat, chat, question)
        except QcdcError as exc:
            self.send_json(400, {"question": question, "error": exc.for_user(), "found": False})
            return
        self.send_json(200, answer_json(asked.answer) | ({"session": session} if session else {}))


class LookupApi(Api):
    async def get(self) -> None:
        query = self.get_query_argument("q", "")
        chat = f"api-ip:{self.request.remote_ip}"
        if self.limited(chat):
            return
        try:
            result = await self.blocking(self.core.lookup, chat, None, query)
        except QcdcError as exc:
            self.send_json(400, {"query": query, "error": exc.for_user(), "found": False})
            return
        self.send_json(200, lookup_json(result))


class Health(Api):
    """200 when the index answers (its passages can be counted), 503 otherwise; the journal's
    state is reported beside it but does not fail the page: questions are answered without it."""

    async def get(self) -> None:
        report = await self.blocking(live, self.core.service, self.core.journal)
        self.send_json(200 if report["index"]["ok"] else 503, report)


def routes(ctx: WebContext) -> list[Any]:
    args = {"ctx": ctx}
    return [
        (r"/api/ask", AskApi, args),
        (r"/api/lookup", LookupApi, args),
        (r"/healthz", Health, args),
    ]
