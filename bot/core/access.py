"""Who a channel serves, how often, and under which ids the journal knows its senders: the
access and rate rules as data, shared by every channel."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from enum import Enum


@dataclass
class RateLimit:
    """At most `per_minute` requests per sender in any 60 seconds (any hashable sender key)."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    recent: dict[Hashable, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    notified: dict[Hashable, float] = field(default_factory=dict)

    def wait_seconds(self, key: Hashable) -> int:
        """0 when the sender may ask now (and counts the request), else seconds to wait."""
        now = self.clock()
        window = self.recent[key]
        while window and now - window[0] >= 60:
            window.popleft()
        if len(window) >= self.per_minute:
            return max(1, int(60 - (now - window[0])) + 1)
        window.append(now)
        return 0

    def should_notify(self, key: Hashable) -> bool:
        """Whether to tell an over-limit sender when to come back: once a minute at most."""
        now = self.clock()
        if now - self.notified.get(key, -60.0) < 60:
            return False
        self.notified[key] = now
        return True


@dataclass(frozen=True)
class AccessRules:
    """Who a channel serves: anyone when no list is set, else the listed users and chats, and the admins."""

    users: frozenset[str] = frozenset()
    chats: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()

    @classmethod
    def of(cls, users: Iterable[object], chats: Iterable[object], admins: Iterable[object]) -> AccessRules:
        return cls(frozenset(map(str, users)), frozenset(map(str, chats)), frozenset(map(str, admins)))

    def allowed(self, user: str | None, chat: str | None) -> bool:
        if not self.users and not self.chats or self.is_admin(user):
            return True
        return (user is not None and user in self.users) or (chat is not None and chat in self.chats)

    def is_admin(self, user: str | None) -> bool:
        return user is not None and user in self.admins


class Admission(Enum):
    SERVE = "serve"
    REFUSE = "refuse"  # a stranger's first message: tell them once
    IGNORE = "ignore"  # a stranger already told


# How a channel's string ids become the integers the journal keys (with its HMAC).
JournalIds = Callable[[str | None], int | None]

_NATIVE_IDS = 1 << 53  # the journal's first channel keyed its own integer ids, below 2**52 in magnitude


def journal_id(channel: str, raw: str | None) -> int | None:
    """A channel's string id as an integer above every native id, namespaced by channel: two
    channels' users never share a pseudonym, and the id itself is never stored."""
    if raw is None:
        return None
    digest = hashlib.sha256(f"{channel}:{raw}".encode()).digest()
    return _NATIVE_IDS + int.from_bytes(digest[:7], "big")


def native_id(raw: str | None) -> int | None:
    """The id itself, for a channel whose ids are integers the journal has always keyed
    (Telegram's): its pseudonyms, and so its statistics, stay what they were."""
    return None if raw is None else int(raw)
