"""`/`: a question box, the answer as the other channels give it with its citation panel,
follow-ups in the browser session's conversation, and 👍/👎 with an optional comment.

Works without JavaScript: the form posts, the answer is rendered on the server with every cited
passage below it (a mark is a link to its passage); `static/site.js` posts the same form with
`X-Fragment: 1` and puts the answer part (`_answer.html`) in place.
"""

from __future__ import annotations

import logging
from typing import Any

import tornado.web

from bot import wording
from bot.channels.web.context import Page, WebContext
from bot.channels.web.views import answer_view
from bot.core.assistant import Asked
from ingest import QcdcError

log = logging.getLogger(__name__)

RATINGS = {"tot": 1, "chua-tot": -1}  # the form's values: 👍, 👎
THANKS = {"tot": wording.RATED_UP_THANKS, "chua-tot": wording.RATED_DOWN_THANKS}  # else a comment's


def thanks_for(what: str | None) -> str | None:
    """The thanks for what was just sent (a form value of `danh-gia`, or "y-kien": a comment)."""
    return None if what is None else THANKS.get(what, wording.COMMENT_THANKS)


class AskPage(Page):
    async def get(self) -> None:
        """The question box; with `?id=` the session's answer of that id (after a rating, a reload)."""
        sid = self.session_id()
        answer_id = self.get_query_argument("id", None)
        view = None
        if answer_id:
            answer = self.core.answer(sid, answer_id)
            if answer is not None:
                view = answer_view(answer, answer_id, self.core.service.registry)
        thanks = thanks_for(self.get_query_argument("da-gop-y", None))
        self._show(view=view, thanks=thanks)

    async def post(self) -> None:
        sid = self.session_id()
        question = self.get_body_argument("cau-hoi", "")
        if wait := self.core.limit.wait_seconds(sid):
            log.info("rate limit: a web session waits %s s", wait)
            self.set_status(429)
            self._show(question=question, problem=wording.rate_limited(self.core.limit.per_minute, wait))
            return
        try:
            asked: Asked = await self.blocking(self.core.ask, sid, sid, question)
        except QcdcError as exc:  # empty, too long, no words, not UTF-8: the reason, in Vietnamese
            self.set_status(400)
            self._show(question=question, problem=exc.for_user())
            return
        answer = asked.answer
        if answer.found is None:  # small talk, the library listing: a reply, not an answer
            self._show(question=question, reply=answer.message or "")
            return
        view = answer_view(answer, asked.answer_id, self.core.service.registry, asked.gap_notice)
        self._show(view=view, question="")

    def _show(self, **values: Any) -> None:
        values.setdefault("view", None)
        values.setdefault("question", "")
        values.setdefault("records_feedback", self.core.records_feedback)
        values.setdefault("gap_notice", wording.GAP_NOTICE)
        self.render_page("_answer.html" if self.fragment else "ask.html", **values)


class RatePage(Page):
    """👍/👎 (and a comment) on one of the session's answers, recorded in the journal as Telegram's."""

    async def post(self) -> None:
        sid = self.session_id()
        answer_id = self.get_body_argument("id", "")[:64] or None
        rated = self.get_body_argument("danh-gia", "")
        rating = RATINGS.get(rated)
        comment = self.get_body_argument("gop-y", "").strip()
        if rating is None and not comment:
            raise tornado.web.HTTPError(400)
        kept: bool | None = None
        if rating is not None:
            kept = await self.blocking(self.core.rate, sid, sid, rating, answer_id)
        if comment:
            kept = await self.blocking(self.core.comment, sid, sid, comment, answer_id)
        sent = "y-kien" if comment else rated
        if kept is None:
            message = wording.NO_ANSWER_YET
        elif not kept:
            message = wording.NO_JOURNAL
        else:
            message = thanks_for(sent) or wording.COMMENT_THANKS
        if self.fragment:
            # after 👎 alone the comment box stays, so that the user can still say what was wrong
            comment_box = bool(kept) and rating == -1 and not comment
            self.render_page(
                "_thanks.html", message=message, ok=bool(kept), comment_box=comment_box, answer_id=answer_id
            )
            return
        self.redirect(f"/?id={answer_id or ''}&da-gop-y={sent}#gop-y" if kept else "/")


def routes(ctx: WebContext) -> list[Any]:
    return [
        (r"/", AskPage, {"ctx": ctx}),
        (r"/gop-y", RatePage, {"ctx": ctx}),
    ]
