"""The web application: every page module's routes, the static files, cookies and XSRF.

Each page module (`ask`, `lookup`, `library`, `api`, `lecture`, `admin`) gives
`routes(ctx) -> list[tuple]` of tornado URL specs; this module only assembles them.
"""

from __future__ import annotations

from typing import Any

import tornado.web

from bot.channels.web import admin, api, ask, lecture, library, lookup
from bot.channels.web.context import STATIC, Page, WebContext

MAX_BODY = 25 * 1024 * 1024  # an uploaded document (the ingestion's own limits apply after)


def make_app(ctx: WebContext, **options: Any) -> tornado.web.Application:
    routes: list[Any] = []
    for module in (ask, lookup, library, lecture, admin, api):
        routes.extend(module.routes(ctx))
    return tornado.web.Application(
        routes,
        static_path=str(STATIC),
        static_url_prefix="/tinh/",
        cookie_secret=ctx.cookie_secret,
        xsrf_cookies=True,
        default_handler_class=NotFound,
        default_handler_args={"ctx": ctx},
        **options,
    )


class NotFound(Page):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)
