"""Who the Telegram bot serves, and how often: access lists, the per-sender
rate limit, and reading callback data that anyone can forge.

Every update is counted against a sender: the user, else the chat or channel
that sent it, so that channel posts and anonymous group admins are limited
too. Over the limit, the sender is told once a minute when to try again; the
other messages of a flood are dropped in silence.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path

from telegram import Update

from bot.answering.service import QAService
from bot.core.assistant import RateLimit  # channel-neutral, shared with the Zalo bot
from bot.operations.journal import Journal
from bot.settings import BotSettings

# Callback data as the bot writes it: "src:<answer id>:<n>", "vb:<directive key>", "fb:<answer id>:<up|down|note>".
_CALLBACK = {
    "src": re.compile(r"src:([0-9a-f]{12}):([0-9]{1,2})"),  # ASCII digits: int() of \d's "٣" is 3
    "vb": re.compile(r"vb:([0-9a-f]{12})"),
    "fb": re.compile(r"fb:([0-9a-f]{12}):(up|down|note)"),
}


def parse_callback(data: str | None, kind: str) -> tuple[str, ...] | None:
    """The fields of a button's data, or None when it is not what the bot wrote (forged, or from an old version)."""
    m = _CALLBACK[kind].fullmatch(data or "")
    return m.groups() if m else None


def sender_key(update: Update) -> int:
    """Whom an update counts against: the user, else the sending chat or channel."""
    if update.effective_user is not None:
        return update.effective_user.id
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    return update.effective_chat.id if update.effective_chat is not None else 0


@dataclass
class BotState:
    """What the handlers share: the service, the journal, access lists and limits.
    (What belongs to a chat, its recent answers and memory, is in PTB's chat_data, persisted.)"""

    service: QAService
    settings: BotSettings
    db: Path | None = None
    journal: Journal | None = None  # None when its file cannot be opened: the bot answers all the same
    refused: set[int] = field(default_factory=set)
    limit: RateLimit = field(init=False)
    updating: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.limit = RateLimit(self.settings.telegram_rate_limit_per_minute)

    def allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        """Whether to serve a sender: anyone when no list is set, else the listed users and chats, and the admins."""
        users, chats = self.settings.telegram_allowed_users, self.settings.telegram_allowed_chats
        if not users and not chats or self.is_admin(user_id):
            return True
        return (user_id is not None and user_id in users) or (chat_id is not None and chat_id in chats)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.telegram_admins
