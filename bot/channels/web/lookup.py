"""`/tra-cuu`: a directive by number, partial number or name, an article or a clause
("Điều 12 Luật THDCCS", "khoản 2 Điều 5 NĐ 59"): its card, relations, every sentence citing it,
the article's full text, and its citation to copy."""

from __future__ import annotations

import logging
from typing import Any

from bot import wording
from bot.channels.web.context import Page, WebContext
from bot.channels.web.views import lookup_view
from ingest import QcdcError

log = logging.getLogger(__name__)


class LookupPage(Page):
    async def get(self) -> None:
        query = self.get_query_argument("q", "").strip()
        if not query:
            self.render_page("lookup.html", query="", view=None, problem=None)
            return
        sid = self.session_id()
        if wait := self.core.limit.wait_seconds(sid):
            self.set_status(429)
            problem = wording.rate_limited(self.core.limit.per_minute, wait)
            self.render_page("lookup.html", query=query, view=None, problem=problem)
            return
        try:
            result = await self.blocking(self.core.lookup, sid, sid, query)
        except QcdcError as exc:  # too long, no words: the reason, in Vietnamese
            self.set_status(400)
            self.render_page("lookup.html", query=query, view=None, problem=exc.for_user())
            return
        self.render_page("lookup.html", query=query, view=lookup_view(result), problem=None)


def routes(ctx: WebContext) -> list[Any]:
    return [(r"/tra-cuu", LookupPage, {"ctx": ctx})]
