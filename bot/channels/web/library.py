"""`/tai-lieu`: every directive the library knows and every file it holds; a directive's page
(its card, its articles or sections and their text) and a file's page."""

from __future__ import annotations

from typing import Any

import tornado.web

from bot.answering.card import directive_card
from bot.channels.web import catalog
from bot.channels.web.context import Page, WebContext
from bot.core.assistant import directive_key


class LibraryPage(Page):
    async def get(self) -> None:
        service = self.core.service
        directives = await self.blocking(catalog.directive_rows, service)
        files = await self.blocking(catalog.file_rows, service)
        self.render_page("library.html", directives=directives, files=files)


class DirectivePage(Page):
    async def get(self, key: str) -> None:
        service = self.core.service
        d = catalog.directive_by_key(service, key)
        if d is None:
            raise tornado.web.HTTPError(404)
        parts = await self.blocking(catalog.directive_parts, service, d)
        self.render_page("document.html", card=directive_card(d), card_key=key, parts=parts, file=None, legal=[])


class FilePage(Page):
    async def get(self, doc_id: str) -> None:
        service = self.core.service
        first = await self.blocking(catalog.file_passage, service, doc_id)
        if first is None:
            raise tornado.web.HTTPError(404)
        legal = catalog.holds_legal(service, doc_id)
        parts = [] if legal else await self.blocking(catalog.file_parts, service, doc_id)
        held = [(directive_card(d), directive_key(d), len(d.articles)) for d in legal]
        self.render_page("document.html", card=None, card_key=None, parts=parts, file=first.facts, legal=held)


def routes(ctx: WebContext) -> list[Any]:
    args = {"ctx": ctx}
    return [
        (r"/tai-lieu", LibraryPage, args),
        (r"/tai-lieu/van-ban/([0-9a-f]{12})", DirectivePage, args),
        (r"/tai-lieu/tep/([^/]{1,200})", FilePage, args),
    ]
