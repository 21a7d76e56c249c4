"""The Telegram bot's state file (`TELEGRAM_STATE_FILE`): each chat's recent answers, memory and
comment prompts, kept by PTB's PicklePersistence across restarts; and the core's chat memory
over that chat data (`ChatDataStore`).

Reading it is where a bad file could do harm, so it is read here, not by PTB's own unpickler:
- only the types the bot stores can be built (`ALLOWED`); a crafted file naming any other
  (os.system, say) is refused before anything of it runs;
- what was read must have the shape the handlers use (`clean_chat`); a value of another type is
  dropped with a warning, so that no chat's updates fail on it;
- a file that cannot be read, or is not a chat state at all, is set aside (`bot.operations.journal.set_aside`)
  with a warning, and the bot starts afresh: the chats lose their source buttons, not their bot.
Pickle stays the format (PTB's persistence writes it); the folder holding the file must be
writable by the service's user alone (HUONG_DAN.md), as anyone who can write it can make the
bot forget, though no longer run code.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import pickle
import time
from pathlib import Path
from typing import Any

from telegram.ext import Application, PersistenceInput, PicklePersistence

from bot.answering.answer import Answer, Card, NamedDocument, Quotation, QuoteGroup, ShortAnswer, Source
from bot.answering.card import CardFact, CardRelation, DirectiveCard
from bot.answering.conversation import Conversation, Turn
from bot.answering.verification import Verification
from bot.core.memory import KEPT_ANSWERS, kept, new_conversation, new_id
from bot.operations.journal import set_aside
from bot.settings import BotSettings
from ingest.facts import DocumentFacts
from ingest.language.legal import LegalPlace, LegalSource
from ingest.links import DirectiveLink, PrimaryText
from ingest.registry import Directive, Mention

log = logging.getLogger(__name__)

# Every global a chat's state pickles to (checked against real chats in the tests): found by
# name, never imported or looked up by attribute.
_TYPES: tuple[Any, ...] = (
    Answer, Card, Quotation, QuoteGroup, ShortAnswer, Source, Verification, Conversation, Turn,
    NamedDocument, DirectiveCard, CardFact, CardRelation, DirectiveLink, PrimaryText,
    DocumentFacts, LegalPlace, LegalSource, Directive, Mention, collections.deque, collections.OrderedDict, dt.date,
    time.time,  # a Conversation's clock
)  # fmt: skip
ALLOWED: dict[tuple[str, str], Any] = {(t.__module__, t.__qualname__): t for t in _TYPES}
# Where these types lived before bot/ and ingest/ were split into subpackages (issue 33): a state file
# written before the move still reads, and `clean_chat` drops what no longer has today's shape.
_MOVED = {"bot.answer": "bot.answering.answer", "bot.verification": "bot.answering.verification",
          "bot.conversation": "bot.answering.conversation", "ingest.legal": "ingest.language.legal"}  # fmt: skip
ALLOWED |= {(old, name): t for (new, name), t in list(ALLOWED.items()) for old, n in _MOVED.items() if n == new}
# PTB's placeholders for its Bot object (never in chat data, but PTB's writer may emit them).
_BOT_IDS = ("a known bot replaced by PTB's PicklePersistence", "an unknown bot replaced by PTB's PicklePersistence")


class _StateUnpickler(pickle.Unpickler):
    """An unpickler that builds only the types in ALLOWED."""

    def find_class(self, module: str, name: str) -> Any:
        try:
            return ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not a type the state file holds") from None

    def persistent_load(self, pid: Any) -> None:
        if pid in _BOT_IDS:
            return None
        raise pickle.UnpicklingError("unknown persistent id")


def _answer_ok(answer: object) -> bool:
    return (
        isinstance(answer, Answer)
        and isinstance(answer.sources, list)
        and all(isinstance(s, Source) for s in answer.sources)
        and isinstance(answer.directives, list)  # typed since issue 33: an older answer's were dicts
        and all(isinstance(d, NamedDocument) for d in answer.directives)
        and isinstance(answer.cards, list)
        and all(_card_ok(c) for c in answer.cards)
    )


def _card_ok(card: object) -> bool:
    # An older card held a Directive and relation strings; a class default would hide the missing field.
    fields = getattr(card, "__dict__", {})
    return (
        isinstance(card, Card)
        and isinstance(fields.get("document"), DirectiveCard | None)
        and "document" in fields
        and all(isinstance(c, DirectiveCard) for c in fields.get("candidates", ()))
    )


def _conversation_ok(memory: object) -> bool:
    # Snapshots (list(...)): a question of this chat may be adding a turn in a worker thread meanwhile.
    if not isinstance(memory, Conversation):
        return False
    turns, sizes = getattr(memory, "turns", None), getattr(memory, "sizes", None)
    return (
        isinstance(turns, collections.deque)
        and all(isinstance(t, Turn) and isinstance(t.question, str) and _answer_ok(t.answer) for t in list(turns))
        and isinstance(sizes, collections.deque)
        and all(type(n) is int for n in list(sizes))
        and isinstance(getattr(memory, "ttl", None), int | float)
        and callable(getattr(memory, "clock", None))
    )


def clean_chat(chat: dict[Any, Any]) -> list[str]:
    """Drop, in place, what of one chat's data is not of the shape the handlers read
    ("answers": id → Answer, "last": id, "conversation", "comment_prompts": message id → answer id);
    the names of what was dropped. Other keys are left as they are."""
    dropped = []
    answers = chat.get("answers", {})
    if not isinstance(answers, dict):
        dropped.append("answers")
        del chat["answers"]
    else:
        for key in [k for k, a in list(answers.items()) if not (isinstance(k, str) and _answer_ok(a))]:
            dropped.append(f"answers[{key!r:.20}]")
            del answers[key]
    if "last" in chat and not isinstance(chat["last"], str):
        dropped.append("last")
        del chat["last"]
    if "conversation" in chat and not _conversation_ok(chat["conversation"]):
        dropped.append("conversation")
        del chat["conversation"]
    prompts = chat.get("comment_prompts", {})
    if not isinstance(prompts, dict):
        dropped.append("comment_prompts")
        del chat["comment_prompts"]
    else:
        for key in [k for k, v in list(prompts.items()) if type(k) is not int or not isinstance(v, str)]:
            dropped.append(f"comment_prompts[{key!r:.20}]")
            del prompts[key]
    return dropped


def read_state(path: Path) -> dict[int, dict[Any, Any]]:
    """The chats' data from the state file: validated, cleaned; empty (the file set aside) when
    it cannot be read or is not a chat state."""
    try:
        with path.open("rb") as stream:
            data = _StateUnpickler(stream).load()
    except FileNotFoundError:
        return {}
    except OSError as exc:  # unreadable (permissions): nothing to set aside, saving will say more
        log.error("the Telegram state file %s cannot be read (%s); starting afresh", path, exc)
        return {}
    except Exception as exc:  # noqa: BLE001 - pickle raises anything on a damaged file
        return _aside(path, str(exc))
    chats = data.get("chat_data") if isinstance(data, dict) else None
    if not isinstance(chats, dict):
        return _aside(path, f"not a chat state: a {type(data).__name__} without a chat_data dict")
    clean: dict[int, dict[Any, Any]] = {}
    for chat_id, chat in chats.items():
        if type(chat_id) is not int or not isinstance(chat, dict):
            log.warning("state file %s: chat %r dropped (a %s, not a chat's data)", path, chat_id, type(chat).__name__)
            continue
        if dropped := clean_chat(chat):
            log.warning(
                "state file %s: chat %s: dropped %s (not of the expected type)", path, chat_id, ", ".join(dropped)
            )
        clean[chat_id] = chat
    return clean


def _aside(path: Path, why: str) -> dict[int, dict[Any, Any]]:
    try:
        aside: Path | str = set_aside(path)
    except OSError as exc:  # a read-only folder: the file stays, unused
        aside = f"not moved: {exc}"
    log.warning("the Telegram state file %s cannot be used (%s); kept as %s, starting afresh", path, why, aside)
    return {}


class StatePersistence(PicklePersistence):
    """PTB's PicklePersistence of chat data, read through `read_state` instead of PTB's own
    unpickler (which builds any type and fails the start on a file of another shape)."""

    def _load_singlefile(self) -> None:
        self.chat_data = read_state(self.filepath)
        self.user_data, self.conversations, self.callback_data = {}, {}, None  # not stored (store_data)
        self.bot_data = self.context_types.bot_data()


def open_state(path: Path, update_interval: float) -> StatePersistence:
    """The persistence of chat data in `path` (its folder made if need be)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return StatePersistence(
        path,
        store_data=PersistenceInput(bot_data=False, user_data=False, callback_data=False),
        update_interval=update_interval,
    )


class ChatData:
    """A chat's memory for the core (`bot.core.memory.Memory`), kept in its PTB chat_data so that
    it is persisted: "answers" (id → Answer, oldest first), "last" (an id) and "conversation"."""

    def __init__(self, store: dict[Any, Any], settings: BotSettings):
        clean_chat(store)
        self.store, self.settings = store, settings

    @property
    def conversation(self) -> Conversation | None:
        """The chat's short memory (None when CONVERSATION_TURNS is 0)."""
        if not self.settings.conversation_turns:
            return None
        memory = self.store.get("conversation")
        if not isinstance(memory, Conversation):
            memory = self.store["conversation"] = new_conversation(self.settings)
        return memory

    def remember(self, answer: Answer) -> str:
        answer_id = new_id(answer.question)
        # A new dict, never the old one grown: PTB may be copying the old one for persistence meanwhile.
        answers = {**self.store.get("answers", {}), answer_id: kept(answer)}
        while len(answers) > KEPT_ANSWERS:
            answers.pop(next(iter(answers)))
        self.store["answers"] = answers
        self.store["last"] = answer_id
        return answer_id

    def answer(self, answer_id: str) -> Answer | None:
        answer: Answer | None = self.store.get("answers", {}).get(answer_id)
        return answer

    def last(self) -> tuple[str, Answer] | None:
        answer_id = self.store.get("last", "")
        answer = self.answer(answer_id)
        return (answer_id, answer) if answer is not None else None


def prepare_chat(store: dict[Any, Any], settings: BotSettings) -> None:
    """On the event loop, before a worker thread reads or writes this chat's memory: drop what is of
    another shape and create the keys the memory writes, so that the thread only replaces values.
    PTB copies chat_data for persistence on the loop, and a dict changing size under that copy fails it."""
    clean_chat(store)
    store.setdefault("answers", {})
    store.setdefault("last", "")
    if settings.conversation_turns and not isinstance(store.get("conversation"), Conversation):
        store["conversation"] = new_conversation(settings)


class ChatDataStore:
    """The core's memory store (`bot.core.memory.MemoryStore`) over PTB's chat_data: the chat is
    Telegram's integer id, as a string; its data is PTB's, which saves it in the state file."""

    def __init__(self, application: Application, settings: BotSettings):
        self.application, self.settings = application, settings

    def memory(self, chat: str) -> ChatData:
        return ChatData(self.application.chat_data[int(chat)], self.settings)
