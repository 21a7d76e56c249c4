"""`/bai-giang`: a lecture outline for trainers: a topic or a document (number or name), one
chapter of a legal text, review questions; previewed in the page and downloaded as Word (the
CLI's `render_docx`, the unit's BRIEF_TEMPLATE included) or as the CLI's standalone HTML.

Requests are GETs (a preview is a link a trainer can keep); the last outlines built are kept
for their downloads, as long as the index generation they came from is the one served.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import tornado.web

from bot.channels.web.context import Page, WebContext
from bot.outlines.brief import BriefBuilder
from bot.outlines.outline import Outline
from bot.render.outline import outline_blocks, render_html
from bot.render.outline_docx import render_docx
from ingest.errors import QcdcError
from ingest.language.patterns import slug

log = logging.getLogger(__name__)

MAX_QUIZ = 20
KEPT = 8  # outlines kept for their downloads
_CHAPTER = re.compile(r"[IVXLC]{1,7}|[0-9]{1,3}", re.I)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Request:
    """What the form asks; `problem` names what is wrong with it (worded in the template)."""

    topic: str
    chapter: str | None
    quiz: int
    problem: str = ""

    @classmethod
    def read(cls, handler: tornado.web.RequestHandler) -> Request:
        topic = " ".join(handler.get_argument("chu-de", "").split())
        chapter = handler.get_argument("chuong", "").strip().upper() or None
        raw_quiz = handler.get_argument("cau-hoi", "0").strip() or "0"
        quiz = int(raw_quiz) if raw_quiz.isdecimal() and len(raw_quiz) <= 3 else -1
        problem = ""
        if not topic:
            problem = "topic"
        elif not 0 <= quiz <= MAX_QUIZ:
            problem = "quiz"
        elif chapter is not None and not _CHAPTER.fullmatch(chapter):
            problem = "chapter"
        return cls(topic, chapter, max(0, min(quiz, MAX_QUIZ)), problem)

    def query(self, **extra: str) -> str:
        values = {"chu-de": self.topic, "chuong": self.chapter or "", "cau-hoi": str(self.quiz), **extra}
        return urlencode(values)


class Outlines:
    """The last outlines built, by request and index generation (a download builds nothing again)."""

    def __init__(self, ctx: WebContext):
        self.ctx = ctx
        self.kept: OrderedDict[tuple[object, ...], Outline] = OrderedDict()
        self.lock = threading.Lock()

    def build(self, request: Request) -> Outline:
        service = self.ctx.core.service
        key = (request.topic, request.chapter, request.quiz, service.index.generation)
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return self.kept[key]
        outline = BriefBuilder(service).build(request.topic, request.quiz, request.chapter)
        with self.lock:
            self.kept[key] = outline
            while len(self.kept) > KEPT:
                self.kept.popitem(last=False)
        return outline


def docx_bytes(outline: Outline, template: Any) -> bytes:
    buffer = io.BytesIO()
    render_docx(outline, buffer, template)
    return buffer.getvalue()


class LecturePage(Page):
    outlines: Outlines

    def initialize(self, ctx: WebContext, outlines: Outlines) -> None:  # type: ignore[override]
        super().initialize(ctx)
        self.outlines = outlines

    async def outline(self, request: Request) -> tuple[Outline | None, str]:
        """The outline, or None and the Vietnamese reason (a topic the library cannot outline)."""
        wait = self.core.limit.wait_seconds(("outline", self.session_id()))
        if wait:
            raise tornado.web.HTTPError(429)
        try:
            return await self.blocking(self.outlines.build, request), ""
        except QcdcError as exc:
            log.info("outline refused: %s", exc)
            return None, exc.for_user()


class Lecture(LecturePage):
    async def get(self) -> None:
        asked = bool(self.request.arguments)
        request = Request.read(self)
        outline, error = None, ""
        if asked and not request.problem:
            outline, error = await self.outline(request)
        self.render_page(
            "lecture.html",
            asked=asked, request=request, outline=outline, error=error, max_quiz=MAX_QUIZ,
            blocks=outline_blocks(outline) if outline else [],
            docx_link=f"/bai-giang/tai?{request.query(**{'dinh-dang': 'docx'})}",
            html_link=f"/bai-giang/tai?{request.query(**{'dinh-dang': 'html'})}",
        )  # fmt: skip


class Download(LecturePage):
    async def get(self) -> None:
        request = Request.read(self)
        form = self.get_argument("dinh-dang", "docx")
        if request.problem or form not in ("docx", "html"):
            self.redirect(f"/bai-giang?{request.query()}", status=303)
            return
        outline, error = await self.outline(request)
        if outline is None:
            self.redirect(f"/bai-giang?{request.query()}", status=303)
            return
        if form == "docx":
            try:
                body = await self.blocking(docx_bytes, outline, self.ctx.settings.brief_template)
            except QcdcError as exc:  # the unit's BRIEF_TEMPLATE cannot be opened
                self.set_status(500)
                self.render_page("lecture.html", asked=True, request=request, outline=None, error=exc.for_user(),
                                 max_quiz=MAX_QUIZ, blocks=[])  # fmt: skip
                return
            self.set_header("Content-Type", DOCX)
        else:
            body = render_html(outline).encode("utf-8")
            self.set_header("Content-Type", "text/html; charset=UTF-8")
        name = f"{slug(outline.title) or 'de-cuong'}.{form}"
        ascii_name = name.encode("ascii", "replace").decode().replace("?", "-").replace('"', "")
        self.set_header("Content-Disposition", f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
        self.finish(body)


def routes(ctx: WebContext) -> list[Any]:
    args = {"ctx": ctx, "outlines": Outlines(ctx)}
    return [(r"/bai-giang/?", Lecture, args), (r"/bai-giang/tai", Download, args)]
