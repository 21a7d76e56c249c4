"""What every page of the web channel shares: the core, the templates, the browser session.

A browser session is a signed cookie holding a random id; the core keeps its conversation
under that id as a chat (same memory rules as Telegram's). Pages render server-side, so the
site works without JavaScript; a request sent by the page's script (header `X-Fragment: 1`)
gets the page's part only, for the script to put in place.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import tornado.web

from bot.core.assistant import Core
from bot.settings import BotSettings

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
SESSION_COOKIE = "qcdc_phien"
SESSION_DAYS = 30

T = TypeVar("T")


def templates() -> jinja2.Environment:
    """Autoescaped Jinja2 templates of this package (a passage's text is never read as markup)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class WebContext:
    """The web channel's shared state: the core (channel "web"), settings and templates."""

    core: Core
    settings: BotSettings
    env: jinja2.Environment = field(default_factory=templates)
    cookie_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))


class Page(tornado.web.RequestHandler):
    """A page of the site: renders templates with the shared context, knows its browser session."""

    ctx: WebContext

    def initialize(self, ctx: WebContext) -> None:
        self.ctx = ctx

    @property
    def core(self) -> Core:
        return self.ctx.core

    @property
    def fragment(self) -> bool:
        """Whether the page's script asked for the page's part only."""
        return self.request.headers.get("X-Fragment") == "1"

    def session_id(self) -> str:
        """The browser session's id (a signed cookie), made on first use."""
        raw = self.get_signed_cookie(SESSION_COOKIE, max_age_days=SESSION_DAYS)
        if raw:
            return raw.decode()
        sid = secrets.token_urlsafe(16)
        self.set_signed_cookie(SESSION_COOKIE, sid, expires_days=SESSION_DAYS, httponly=True, samesite="Lax")
        return sid

    def render_page(self, template: str, **values: Any) -> None:
        """Render a template (which extends base.html) with the request's common values."""
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        page = self.ctx.env.get_template(template).render(
            path=self.request.path,
            fragment=self.fragment,
            xsrf_form_html=self.xsrf_form_html(),
            **values,
        )
        self.finish(page)

    async def blocking(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a core call that reads the index or the journal off the event loop."""
        return await asyncio.to_thread(fn, *args)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # A clear Vietnamese page, never a traceback (the log keeps it, in English).
        messages = {
            403: "Yêu cầu bị từ chối (phiên làm việc hết hạn hoặc biểu mẫu không hợp lệ). Vui lòng tải lại trang.",
            404: "Không có trang này.",
            405: "Trang này không nhận kiểu yêu cầu đó.",
            413: "Nội dung gửi lên quá lớn.",
            429: "Đồng chí hỏi quá nhanh; vui lòng chờ một chút rồi hỏi lại.",
        }
        message = messages.get(status_code, "Có lỗi khi xử lý yêu cầu; vui lòng thử lại sau.")
        try:
            self.render_page("error.html", status=status_code, message=message)
        except Exception:  # the templates themselves failed: plain text still says it
            log.exception("error page failed")
            self.finish(message)
