"""The channel-neutral conversation core: what a messaging channel needs from the assistant,
behind one object, so that a channel is only its client, its formatting and its handlers.

`Core` answers a question in a chat's conversation, looks up a directive, lists the library,
gives a source's full passage, records feedback, builds an outline, produces the
administrators' reports and re-ingests; `AccessRules` and `RateLimit` are the access and rate
rules as data. Every method that reads the index or the journal blocks: a channel calls it off
its event loop (`asyncio.to_thread`). Nothing here knows a channel's wire format or markup.

Chats and users are a channel's own ids, as strings. The journal keys Telegram's integer ids
with an HMAC; another channel's ids go through `journal_id`, which maps them into integers
Telegram never uses, so a Zalo user and a Telegram user never share a pseudonym and neither
id is ever stored.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict, defaultdict, deque
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TypeVar

from bot.answering.answer import Answer, Source
from bot.answering.conversation import MAX_MEMORY_BYTES, Conversation, SizedLRU
from bot.answering.lookup import Resolution
from bot.answering.service import QAService
from bot.core.recording import lookup_exchange, record_answer
from bot.operations.gaps import gap_report
from bot.operations.journal import Journal
from bot.operations.reports import Report, feedback_report, gaps_report, stats_report
from bot.outlines.brief import BriefBuilder
from bot.outlines.outline import Outline
from bot.settings import BotSettings, feedback_path
from ingest import QcdcError, ingest

log = logging.getLogger(__name__)

KEPT_ANSWERS = 20  # per chat: the answers /nguon and feedback may still name
KEPT_CHATS = 1000  # chats whose memory is kept (least recently active forgotten first)...
KEPT_BYTES = MAX_MEMORY_BYTES  # ...and all their answers and turns together within this, as pickled
KEPT_REFUSED = 10_000  # strangers already told they are not served (the oldest may be told again)
NEGATIVE_SHOWN = 5  # the latest 👎 in the feedback report
MAX_COMMENT = 1000  # characters kept of a comment
OUTLINE_QUIZ = 5  # review questions in an outline built from a chat


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


_TELEGRAM_IDS = 1 << 53  # Telegram's ids are below 2**52 in magnitude; channel ids go above


def journal_id(channel: str, raw: str | None) -> int | None:
    """A channel's string id as the integer the journal keys (with its HMAC), namespaced by channel."""
    if raw is None:
        return None
    digest = hashlib.sha256(f"{channel}:{raw}".encode()).digest()
    return _TELEGRAM_IDS + int.from_bytes(digest[:7], "big")


@dataclass
class ChatMemory:
    """One chat's recent answers (for /nguon and feedback) and its conversation."""

    conversation: Conversation | None
    answers: OrderedDict[str, Answer] = field(default_factory=OrderedDict)
    sizes: dict[str, int] = field(default_factory=dict)  # each answer's bytes, as pickled

    @property
    def size(self) -> int:
        """Bytes the answers and the conversation's turns take, as pickled (`Turn.size`)."""
        return sum(self.sizes.values()) + (self.conversation.size if self.conversation else 0)

    def remember(self, answer: Answer) -> str:
        answer_id = new_id(answer.question)
        kept = dataclasses.replace(answer, retrieved=[])  # only answering needs them
        self.answers[answer_id] = kept
        self.sizes[answer_id] = len(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        while len(self.answers) > KEPT_ANSWERS:
            self.sizes.pop(self.answers.popitem(last=False)[0], None)
        return answer_id

    def last(self) -> tuple[str, Answer] | None:
        return next(reversed(self.answers.items()), None)


def new_id(text: str) -> str:
    """An id for an answer or a lookup: the journal keys it (with the chat)."""
    return hashlib.sha1(f"{time.time_ns()}{text}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Asked:
    """What a question got: the answer (`found` None for small talk), its id when it was
    recorded, and whether to tell the user once that unanswered questions are recorded."""

    answer: Answer
    answer_id: str | None = None
    gap_notice: bool = False


class Core:
    """The assistant as a channel sees it. `channel` names the channel in the journal's ids."""

    def __init__(
        self,
        service: QAService,
        settings: BotSettings,
        journal: Journal | None,
        rules: AccessRules,
        per_minute: int,
        channel: str,
    ):
        self.service = service
        self.settings = settings
        self.journal = journal
        self.rules = rules
        self.limit = RateLimit(per_minute)
        self.channel = channel
        self.refused: SizedLRU[str, bool] = SizedLRU(KEPT_REFUSED)  # counted: a key is a channel's id
        self.updating = threading.Lock()
        self._chats: SizedLRU[str, ChatMemory] = SizedLRU(KEPT_CHATS, KEPT_BYTES, lambda m: m.size)

    # --- access and rate --------------------------------------------------------------

    def admit(self, user: str | None, chat: str | None) -> Admission:
        if self.rules.allowed(user, chat):
            return Admission.SERVE
        key = user or chat or "-"
        if key in self.refused:
            return Admission.IGNORE
        self.refused.get(key, lambda: True)
        log.info("refused a %s sender", self.channel)
        return Admission.REFUSE

    def is_admin(self, user: str | None) -> bool:
        return self.rules.is_admin(user)

    def _ids(self, chat: str | None, user: str | None) -> tuple[int | None, int | None]:
        return journal_id(self.channel, chat), journal_id(self.channel, user)

    def memory(self, chat: str) -> ChatMemory:
        """The chat's memory; the least recently active chats' are forgotten beyond KEPT_CHATS or KEPT_BYTES."""

        def new() -> ChatMemory:
            turns = self.settings.conversation_turns
            return ChatMemory(Conversation(turns, self.settings.conversation_ttl_s) if turns else None)

        return self._chats.get(chat, new)

    # --- what cadres ask --------------------------------------------------------------

    def ask(self, chat: str, user: str | None, text: str) -> Asked:
        """Answer in the chat's conversation; a found or unfound answer is journaled and remembered."""
        memory = self.memory(chat)
        answer = self.service.ask(text, None, None, memory.conversation)
        if answer.found is None:
            return Asked(answer)
        answer_id = memory.remember(answer)
        chat_id, user_id = self._ids(chat, user)
        record_answer(self.journal, answer, answer_id, chat_id, user_id, self.service.registry)
        notice = answer.found is False and self.journal is not None and self.journal.first_notice(user_id)
        return Asked(answer, answer_id, notice)

    def lookup(self, chat: str, user: str | None, query: str) -> Resolution:
        result = self.service.lookup(query)
        if self.journal is not None:
            chat_id, user_id = self._ids(chat, user)
            self.journal.record(lookup_exchange(result, new_id(query), chat_id, user_id))
        return result

    def library(self) -> str:
        return self.service.library_text()

    def source(self, chat: str, n: int) -> Source | None:
        """Source `n` of the chat's last answer, or None."""
        last = self.memory(chat).last()
        if last is None or not 1 <= n <= len(last[1].sources):
            return None
        return last[1].sources[n - 1]

    def last_answer(self, chat: str) -> Answer | None:
        last = self.memory(chat).last()
        return last[1] if last else None

    def outline(self, topic: str) -> Outline:
        return BriefBuilder(self.service).build(topic, OUTLINE_QUIZ)

    # --- feedback ---------------------------------------------------------------------

    def rate(self, chat: str, user: str | None, rating: int) -> bool | None:
        """👍 (1) or 👎 (-1) on the chat's last answer: None when there is none, else whether it was kept."""
        return self._on_last_answer(chat, user, lambda j, c, a, u: j.rate(c, a, u, rating))

    def comment(self, chat: str, user: str | None, text: str) -> bool | None:
        """A comment on the chat's last answer (counted as a 👎 if none was given); as `rate`."""
        return self._on_last_answer(chat, user, lambda j, c, a, u: j.comment(c, a, u, text[:MAX_COMMENT]))

    def _on_last_answer(
        self, chat: str, user: str | None, write: Callable[[Journal, int | None, str, int | None], bool]
    ) -> bool | None:
        last = self.memory(chat).last()
        if last is None:
            return None
        if self.journal is None:
            return False
        chat_id, user_id = self._ids(chat, user)
        return write(self.journal, chat_id, last[0], user_id)

    # --- administrators ---------------------------------------------------------------

    def report(self, kind: str) -> Report | None:
        """ "stats", "feedback" (the latest 👎) or "gaps"; None without a journal."""
        journal = self.journal
        if journal is None:
            return None
        if kind == "stats":
            return stats_report(journal.stats(), self.service.index.count(), len(self.service.registry.directives))
        if kind == "feedback":
            return feedback_report(journal.feedback(negative=True, limit=NEGATIVE_SHOWN))
        return gaps_report(gap_report(journal))

    def update(self) -> tuple[int, int, int, int, int, int] | None:
        """Re-ingest the library (questions keep being answered meanwhile); None when an update
        is already running, else (new, changed, removed, chunks, directives, failures)."""
        if not self.updating.acquire(blocking=False):
            return None
        try:
            report = ingest(self.settings, db=self.service.db, embedder=self.service.embedder)
            self.service.refresh()
        finally:
            self.updating.release()
        return (
            report.new,
            report.changed,
            report.removed,
            report.chunks_total,
            report.directives,
            len(report.failures),
        )


def open_journal(settings: BotSettings, db: Path | None) -> Journal | None:
    """The journal, or None (with an error in the log) when its file cannot be opened: a bot
    must answer even on a full or read-only disk."""
    try:
        return Journal(feedback_path(settings, db))
    except QcdcError as exc:
        log.error("feedback, gaps and statistics are off: %s", exc)
        return None


class RedactToken(logging.Filter):
    """Remove the token from every log record (httpx and exception texts carry URLs)."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = ()
        if record.exc_info and record.exc_info[1] is not None and self.token in str(record.exc_info[1]):
            record.exc_text = logging.Formatter().formatException(record.exc_info).replace(self.token, "<token>")
        return True


def quiet_logs(token: str) -> None:
    """httpx logs every request URL (a bot's token included) at INFO: keep it at WARNING, redact the rest.
    Idempotent: a logger or handler that already redacts this token gets no second filter."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact = RedactToken(token)
    root = logging.getLogger()
    for target in (*root.handlers, root):
        if not any(isinstance(f, RedactToken) and f.token == token for f in target.filters):
            target.addFilter(redact)


T = TypeVar("T")


async def retry_until(
    call: Callable[[], Awaitable[T]],
    retry_on: type[BaseException] | tuple[type[BaseException], ...],
    first_delay: float = 1.0,
    max_delay: float = 60.0,
    what: str = "reach the API",
    logger: logging.Logger = log,
) -> T:
    """`call()`'s result, retried with doubling delays (up to `max_delay`) while it raises
    `retry_on`, one warning per try ("cannot {what} …"); any other error ends it. A bot started
    while the network is down waits for it instead of exiting with a traceback."""
    delay, attempt = first_delay, 1
    while True:
        try:
            result = await call()
        except retry_on as exc:
            logger.warning("cannot %s (%s); trying again in %.0f s", what, exc, delay)
        else:
            if attempt > 1:
                logger.warning("could %s after %d tries", what, attempt)
            return result
        await asyncio.sleep(delay)
        delay, attempt = min(max_delay, delay * 2), attempt + 1
