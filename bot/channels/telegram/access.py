"""Who the Telegram bot serves, and how often, as the core's rules (`bot.core.access`) read from
Telegram's settings and updates; and reading callback data that anyone can forge.

Every update is counted against a sender: the user, else the chat or channel
that sent it, so that channel posts and anonymous group admins are limited
too. Over the limit, the sender is told once a minute when to try again; the
other messages of a flood are dropped in silence.
"""

from __future__ import annotations

import re

from telegram import Update

from bot.core.access import AccessRules
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


def access_rules(settings: BotSettings) -> AccessRules:
    """TELEGRAM_ALLOWED_USERS, TELEGRAM_ALLOWED_CHATS and TELEGRAM_ADMINS as the core's rules."""
    return AccessRules.of(settings.telegram_allowed_users, settings.telegram_allowed_chats, settings.telegram_admins)


def sender_key(update: Update) -> int:
    """Whom an update counts against: the user, else the sending chat or channel."""
    if update.effective_user is not None:
        return update.effective_user.id
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    return update.effective_chat.id if update.effective_chat is not None else 0


def ids(update: Update) -> tuple[str | None, str | None]:
    """(chat, user) of an update as the core names them: Telegram's integer ids, as strings."""
    chat, user = update.effective_chat, update.effective_user
    return (str(chat.id) if chat else None, str(user.id) if user else None)
