"""What the core remembers of a chat: its recent answers (that sources and feedback name by id)
and its conversation, behind two small interfaces, so that each channel keeps them where it
must (Zalo and a web page in the process, bounded; Telegram in its persisted chat data).

A memory is read and written from a worker thread (the core's methods block), one request
of a chat at a time as far as the channel orders them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from bot.answering.answer import Answer
from bot.answering.conversation import Conversation
from bot.answering.lru import MAX_MEMORY_BYTES, SizedLRU
from bot.settings import BotSettings

KEPT_ANSWERS = 20  # per chat: the answers sources and feedback may still name
KEPT_CHATS = 1000  # chats whose memory is kept (least recently active forgotten first)...
KEPT_BYTES = MAX_MEMORY_BYTES  # ...and all their answers and turns together within this, as pickled


def new_id(text: str) -> str:
    """An id for an answer or a lookup: a channel's buttons or links name it, the journal keys it (with the chat)."""
    return hashlib.sha1(f"{time.time_ns()}{text}".encode()).hexdigest()[:12]


def new_conversation(settings: BotSettings) -> Conversation | None:
    """A chat's new short memory, or None when CONVERSATION_TURNS is 0 (every store makes it so)."""
    turns = settings.conversation_turns
    return Conversation(turns, settings.conversation_ttl_s) if turns else None


def kept(answer: Answer) -> Answer:
    """An answer as a memory keeps it: without the passages retrieved but not cited (only answering needs them)."""
    return dataclasses.replace(answer, retrieved=[])


class Memory(Protocol):
    """One chat's memory as the core uses it."""

    @property
    def conversation(self) -> Conversation | None: ...

    def remember(self, answer: Answer) -> str:
        """Keep an answer (the last KEPT_ANSWERS at most); its id."""
        ...

    def answer(self, answer_id: str) -> Answer | None: ...

    def last(self) -> tuple[str, Answer] | None: ...


class MemoryStore(Protocol):
    """Where a channel keeps its chats' memories."""

    def memory(self, chat: str) -> Memory: ...


@dataclass
class ChatMemory:
    """One chat's recent answers and its conversation, in the process."""

    conversation: Conversation | None
    answers: OrderedDict[str, Answer] = field(default_factory=OrderedDict)
    sizes: dict[str, int] = field(default_factory=dict)  # each answer's bytes, as pickled

    @property
    def size(self) -> int:
        """Bytes the answers and the conversation's turns take, as pickled (`Turn.size`)."""
        return sum(self.sizes.values()) + (self.conversation.size if self.conversation else 0)

    def remember(self, answer: Answer) -> str:
        answer_id = new_id(answer.question)
        self.answers[answer_id] = kept(answer)
        self.sizes[answer_id] = len(pickle.dumps(self.answers[answer_id], protocol=pickle.HIGHEST_PROTOCOL))
        while len(self.answers) > KEPT_ANSWERS:
            self.sizes.pop(self.answers.popitem(last=False)[0], None)
        return answer_id

    def answer(self, answer_id: str) -> Answer | None:
        return self.answers.get(answer_id)

    def last(self) -> tuple[str, Answer] | None:
        return next(reversed(self.answers.items()), None)


class KeptChats:
    """The chats' memories in the process: the least recently active forgotten beyond `limit`
    chats or `max_bytes` together (answers and turns, as pickled)."""

    def __init__(self, settings: BotSettings, limit: int = KEPT_CHATS, max_bytes: int = KEPT_BYTES):
        self.settings = settings
        self.chats: SizedLRU[str, ChatMemory] = SizedLRU(limit, max_bytes, lambda m: m.size)

    def memory(self, chat: str) -> ChatMemory:
        return self.chats.get(chat, self._new)

    def _new(self) -> ChatMemory:
        return ChatMemory(new_conversation(self.settings))
