"""What the Zalo bot does with a message: the access gate, the rate limit, then a command or a
question, each through the channel-neutral core (`bot.core.assistant.Core`), off the event loop.

Zalo's Bot API documents no buttons, so feedback is typed: "👍" or "👎" alone, or
"/gopy <ý kiến>", rates the chat's last answer; sources are read with /nguon N.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.channels.zalo import formatting as fmt
from bot.channels.zalo.client import Message, ZaloClient
from bot.core.access import Admission
from bot.core.assistant import Core
from ingest import QcdcError

log = logging.getLogger(__name__)

T = TypeVar("T")
_COMMAND = re.compile(r"^/([A-Za-z]+)(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)
THUMBS = {"👍": 1, "👎": -1}
FREE = {"start", "help"}  # commands that cost nothing and are not counted against the rate limit
ADMIN_REPORTS = {"thongke": "stats", "phanhoi": "feedback", "thieu": "gaps"}


def parse_command(text: str) -> tuple[str | None, str]:
    """("vb", "120-KL/TW") for "/vb 120-KL/TW"; (None, text) for anything else."""
    m = _COMMAND.match(text.strip())
    if not m:
        return None, text.strip()
    return m.group(1).lower(), (m.group(2) or "").strip()


def thumb(text: str) -> int | None:
    """1 or -1 when the message is only 👍 or 👎 (skin tones and the variation selector allowed)."""
    bare = re.sub(r"[\U0001F3FB-\U0001F3FF\uFE0F\s]", "", text)
    return THUMBS.get(bare)


class ZaloHandlers:
    """Answers one message at a time; `handle` never raises for a user's input."""

    def __init__(self, core: Core, client: ZaloClient):
        self.core = core
        self.client = client
        self.per_minute = core.limit.per_minute

    async def send(self, chat: str, text: str) -> None:
        """The whole reply, in as many messages of at most 2,000 characters as it takes."""
        for part in fmt.split_message(text):
            await self.client.send_message(chat, part)

    async def handle(self, message: Message) -> None:
        text = (message.text or "").strip()
        if not text:
            return  # a sticker, an image: nothing to answer
        chat, user = message.chat_id, message.user_id
        admission = self.core.admit(user, chat)
        if admission is Admission.REFUSE:
            await self.send(chat, fmt.REFUSAL)
        if admission is not Admission.SERVE:
            return
        command, argument = parse_command(text)
        if command not in FREE and not await self._within_limit(chat, user):
            return
        try:
            await self._dispatch(message, command, argument)
        except QcdcError as exc:
            await self.send(chat, exc.for_user())

    async def _within_limit(self, chat: str, user: str | None) -> bool:
        key = user or chat
        if not (wait := self.core.limit.wait_seconds(key)):
            return True
        log.info("rate limit: a Zalo sender waits %s s", wait)
        if self.core.limit.should_notify(key):
            await self.send(chat, fmt.rate_limited(self.per_minute, wait))
        return False

    async def _off_loop(self, chat: str, work: Callable[..., T], *args: object) -> T:
        await self.client.send_chat_action(chat, "typing")
        return await asyncio.to_thread(work, *args)

    async def _dispatch(self, message: Message, command: str | None, argument: str) -> None:
        chat, user = message.chat_id, message.user_id
        if command is None:
            rating = thumb(argument)
            await (self._rate(chat, user, rating) if rating is not None else self._ask(chat, user, argument))
            return
        handlers: dict[str, Callable[[str, str | None, str], Awaitable[None]]] = {
            "start": self._start,
            "help": self._help,
            "hoi": self._ask_command,
            "vb": self._lookup,
            "nguon": self._source,
            "tailieu": self._library,
            "baigiang": self._outline,
            "gopy": self._comment,
        }
        if command in handlers:
            await handlers[command](chat, user, argument)
        elif command in ADMIN_REPORTS or command == "capnhat":
            await self._admin(chat, user, command)
        else:
            await self.send(chat, fmt.UNKNOWN_COMMAND)

    async def _start(self, chat: str, user: str | None, argument: str) -> None:
        await self.send(chat, fmt.GREETING)

    async def _help(self, chat: str, user: str | None, argument: str) -> None:
        await self.send(chat, fmt.HELP + (f"\n\n{fmt.ADMIN_HELP}" if self.core.is_admin(user) else ""))

    async def _ask_command(self, chat: str, user: str | None, argument: str) -> None:
        if not argument:
            await self.send(chat, fmt.ASK_USAGE)
            return
        await self._ask(chat, user, argument)

    async def _ask(self, chat: str, user: str | None, question: str) -> None:
        asked = await self._off_loop(chat, self.core.ask, chat, user, question)
        if asked.answer.found is None:  # small talk, the library listing: a reply, not an answer
            await self.send(chat, asked.answer.message or "")
            return
        await self.send(chat, fmt.answer_message(asked.answer, asked.gap_notice))

    async def _lookup(self, chat: str, user: str | None, argument: str) -> None:
        if not argument:
            await self.send(chat, fmt.LOOKUP_USAGE)
            return
        result = await self._off_loop(chat, self.core.lookup, chat, user, argument)
        await self.send(chat, fmt.lookup_message(result))

    async def _source(self, chat: str, user: str | None, argument: str) -> None:
        answer = self.core.answer(chat)
        if answer is None:
            await self.send(chat, fmt.NO_ANSWER_YET)
            return
        source = self.core.source(chat, int(argument)) if re.fullmatch(r"[0-9]{1,3}", argument) else None
        if source is None:
            await self.send(chat, fmt.source_usage(len(answer.sources)))
            return
        await self.send(chat, fmt.source_message(source))

    async def _library(self, chat: str, user: str | None, argument: str) -> None:
        await self.send(chat, await self._off_loop(chat, self.core.library))

    async def _outline(self, chat: str, user: str | None, argument: str) -> None:
        if not argument:
            await self.send(chat, fmt.BRIEF_USAGE)
            return
        await self.send(chat, fmt.outline_progress(argument))
        outline = await self._off_loop(chat, self.core.outline, argument)
        await self.send(chat, fmt.outline_message(outline))

    async def _rate(self, chat: str, user: str | None, rating: int) -> None:
        kept = await asyncio.to_thread(self.core.rate, chat, user, rating)
        await self.send(chat, fmt.NO_ANSWER_YET if kept is None else fmt.RATED[rating] if kept else fmt.NO_JOURNAL)

    async def _comment(self, chat: str, user: str | None, argument: str) -> None:
        if not argument:
            await self.send(chat, fmt.COMMENT_USAGE)
            return
        kept = await asyncio.to_thread(self.core.comment, chat, user, argument)
        await self.send(chat, fmt.NO_ANSWER_YET if kept is None else fmt.COMMENT_THANKS if kept else fmt.NO_JOURNAL)

    async def _admin(self, chat: str, user: str | None, command: str) -> None:
        if not self.core.is_admin(user):
            await self.send(chat, fmt.NOT_ADMIN)
            return
        if command == "capnhat":
            await self.send(chat, fmt.UPDATE_STARTED)
            try:
                counts = await asyncio.to_thread(self.core.update)
            except QcdcError as exc:
                await self.send(chat, fmt.update_failed(exc.for_user()))
                return
            await self.send(chat, fmt.UPDATING if counts is None else fmt.update_message(*counts.counts))
            return
        report = await asyncio.to_thread(self.core.report, ADMIN_REPORTS[command])
        await self.send(chat, fmt.JOURNAL_CLOSED if report is None else fmt.report_message(report))
