"""The channel-neutral conversation core: what a messaging channel needs from the assistant,
behind one object, so that a channel is only its client, its formatting and its handlers.

`Core` answers a question in a chat's conversation, looks up a directive, lists the library,
gives a source's full passage, records feedback, builds an outline, produces the
administrators' reports and re-ingests. The access and rate rules are data
(`bot.core.access`); a chat's memory is kept where the channel says (`bot.core.memory`:
in the process by default, Telegram's persisted chat data for Telegram). Every method that
reads the index or the journal blocks: a channel calls it off its event loop
(`asyncio.to_thread`). Nothing here knows a channel's wire format or markup.

Chats and users are a channel's own ids, as strings. The journal keys integers with an HMAC:
`journal_ids` says how a channel's ids become them (`journal_id` by default, which namespaces
them by channel, so that no two channels' users share a pseudonym and no id is ever stored).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from bot.answering.answer import Answer, Source
from bot.answering.lookup import Resolution
from bot.answering.lru import SizedLRU
from bot.answering.service import QAService
from bot.core.access import AccessRules, Admission, JournalIds, RateLimit, journal_id
from bot.core.memory import KEPT_BYTES, KEPT_CHATS, KeptChats, Memory, MemoryStore, new_id
from bot.core.recording import lookup_exchange, record_answer
from bot.operations.gaps import gap_report
from bot.operations.journal import Journal
from bot.operations.reports import Report, feedback_report, gaps_report, stats_report
from bot.outlines.brief import BriefBuilder
from bot.outlines.outline import Outline
from bot.settings import BotSettings
from ingest import ingest
from ingest.registry import Directive

log = logging.getLogger(__name__)

KEPT_REFUSED = 10_000  # strangers already told they are not served (the oldest may be told again)
NEGATIVE_SHOWN = 5  # the latest 👎 in the feedback report
MAX_COMMENT = 1000  # characters kept of a comment
OUTLINE_QUIZ = 5  # review questions in an outline built from a chat


@dataclass(frozen=True)
class Asked:
    """What a question got: the answer (`found` None for small talk), its id when it was
    recorded, and whether to tell the user once that unanswered questions are recorded."""

    answer: Answer
    answer_id: str | None = None
    gap_notice: bool = False


class Updated(NamedTuple):
    """What a re-ingestion did (a tuple: a renderer may take it as its arguments)."""

    new: int
    changed: int
    removed: int
    chunks: int
    directives: int
    failures: int
    failed: tuple[tuple[str, str], ...] = ()  # (file, the reason in Vietnamese): the web page lists them

    @property
    def counts(self) -> tuple[int, int, int, int, int, int]:
        """The six numbers Telegram's and Zalo's replies give (`wording.updated`'s arguments)."""
        return self.new, self.changed, self.removed, self.chunks, self.directives, self.failures


def directive_key(d: Directive) -> str:
    """A short stable key for a directive, for a channel's buttons or links (`Core.directive`)."""
    return hashlib.sha1(d.id.encode()).hexdigest()[:12]


class Core:
    """The assistant as a channel sees it. `channel` names the channel in the log and, by
    default, in the journal's ids; `memories` keeps the chats' memories (in the process when
    not given); `journal_ids` turns the channel's ids into the journal's (`journal_id` by default)."""

    def __init__(
        self,
        service: QAService,
        settings: BotSettings,
        journal: Journal | None,
        rules: AccessRules,
        per_minute: int,
        channel: str,
        memories: MemoryStore | None = None,
        journal_ids: JournalIds | None = None,
    ):
        self.service = service
        self.settings = settings
        self.journal = journal
        self.rules = rules
        self.limit = RateLimit(per_minute)
        self.channel = channel
        self.memories: MemoryStore = memories or KeptChats(settings, KEPT_CHATS, KEPT_BYTES)
        self.journal_ids: JournalIds = journal_ids or (lambda raw: journal_id(channel, raw))
        self.refused: SizedLRU[str, bool] = SizedLRU(KEPT_REFUSED)  # counted: a key is a channel's id
        self.updating = threading.Lock()

    # --- access and rate --------------------------------------------------------------

    def admit(self, user: str | None, chat: str | None) -> Admission:
        """Serve, refuse (a stranger's first message: tell them once) or ignore (told already)."""
        if self.rules.allowed(user, chat):
            return Admission.SERVE
        key = user or chat or "-"
        if key in self.refused:
            return Admission.IGNORE
        self.refused.get(key, lambda: True)
        # The ids, once per sender: how an administrator finds the id to add to the access list.
        log.info("refused %s user %s in chat %s", self.channel, user, chat)
        return Admission.REFUSE

    def is_admin(self, user: str | None) -> bool:
        return self.rules.is_admin(user)

    def _ids(self, chat: str | None, user: str | None) -> tuple[int | None, int | None]:
        return self.journal_ids(chat), self.journal_ids(user)

    def memory(self, chat: str) -> Memory:
        """The chat's memory, from the channel's store."""
        return self.memories.memory(chat)

    # --- what cadres ask --------------------------------------------------------------

    def ask(self, chat: str, user: str | None, text: str) -> Asked:
        """Answer in the chat's conversation; a found or unfound answer is journaled and remembered."""
        memory = self.memory(chat)
        answer = self.service.ask(text, None, None, memory.conversation)
        if answer.found is None:
            return Asked(answer)
        answer_id = memory.remember(answer)
        chat_id, user_id = self._ids(chat, user)
        record_answer(self.journal, answer, answer_id, chat_id, user_id)
        notice = answer.found is False and self.journal is not None and self.journal.first_notice(user_id)
        return Asked(answer, answer_id, notice)

    def lookup(self, chat: str, user: str | None, query: str) -> Resolution:
        """A directive (or an article) by its number; journaled."""
        result = self.service.lookup(query)
        if self.journal is not None:
            chat_id, user_id = self._ids(chat, user)
            self.journal.record(lookup_exchange(result, new_id(query), chat_id, user_id))
        return result

    def directive(self, key: str) -> Directive | None:
        """The directive a channel named by `directive_key` (a candidate of a lookup), or None."""
        return next((d for d in self.service.registry.directives if directive_key(d) == key), None)

    def library(self) -> str:
        return self.service.library_text()

    def answer(self, chat: str, answer_id: str | None = None) -> Answer | None:
        """The chat's answer of that id (still kept), or its last answer; None when there is none."""
        memory = self.memory(chat)
        if answer_id is not None:
            return memory.answer(answer_id)
        last = memory.last()
        return last[1] if last else None

    def source(self, chat: str, n: int, answer_id: str | None = None) -> Source | None:
        """Source `n` of the chat's answer of that id, or of its last answer; None when there is no such source."""
        answer = self.answer(chat, answer_id)
        if answer is None or not 1 <= n <= len(answer.sources):
            return None
        return answer.sources[n - 1]

    def outline(self, topic: str) -> Outline:
        return BriefBuilder(self.service).build(topic, OUTLINE_QUIZ)

    # --- feedback ---------------------------------------------------------------------

    @property
    def records_feedback(self) -> bool:
        """Whether feedback can be kept at all (the journal could be opened)."""
        return self.journal is not None

    def rate(self, chat: str, user: str | None, rating: int, answer_id: str | None = None) -> bool | None:
        """👍 (1) or 👎 (-1) on the answer of that id, or on the chat's last answer: None when
        there is no last answer, else whether it was kept."""
        return self._on_answer(chat, user, answer_id, lambda j, c, a, u: j.rate(c, a, u, rating))

    def comment(self, chat: str, user: str | None, text: str, answer_id: str | None = None) -> bool | None:
        """A comment on an answer (counted as a 👎 if none was given); as `rate`."""
        return self._on_answer(chat, user, answer_id, lambda j, c, a, u: j.comment(c, a, u, text[:MAX_COMMENT]))

    def _on_answer(
        self,
        chat: str,
        user: str | None,
        answer_id: str | None,
        write: Callable[[Journal, int | None, str, int | None], bool],
    ) -> bool | None:
        # An id a channel gave out (a button, a prompt) names an answer the journal has, even
        # one the chat's memory has forgotten since; without one, the last answer is meant.
        if answer_id is None:
            last = self.memory(chat).last()
            if last is None:
                return None
            answer_id = last[0]
        if self.journal is None:
            return False
        chat_id, user_id = self._ids(chat, user)
        return write(self.journal, chat_id, answer_id, user_id)

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

    @property
    def update_running(self) -> bool:
        return self.updating.locked()

    def update(self) -> Updated | None:
        """Re-ingest the library (questions keep being answered meanwhile, the new generation
        served once complete); None when an update is already running."""
        if not self.updating.acquire(blocking=False):
            return None
        try:
            report = ingest(self.settings, db=self.service.db, embedder=self.service.embedder)
            self.service.refresh()
        finally:
            self.updating.release()
        return Updated(
            report.new,
            report.changed,
            report.removed,
            report.chunks_total,
            report.directives,
            len(report.failures),
            tuple(report.failures),
        )
