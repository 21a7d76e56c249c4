"""The channel-neutral core (bot.core) as a channel sees it: a chat's memory kept where the
channel says (Telegram's persisted chat_data here), feedback on the answer a button names, the
journal's ids, and directives named by key. Fakes stand in for the index: nothing is loaded."""

import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from types import MappingProxyType, SimpleNamespace

from bot.answering.answer import Answer
from bot.channels.telegram.state import ChatDataStore, clean_chat
from bot.core.access import AccessRules, journal_id, native_id
from bot.core.assistant import Core, directive_key
from bot.core.memory import KEPT_ANSWERS, KeptChats
from bot.operations.journal import Journal

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = SimpleNamespace(conversation_turns=3, conversation_ttl_s=900.0)


class FakeService:
    """Answers every question (found unless it says "?"), and holds two directives."""

    def __init__(self):
        self.conversations = []
        self.registry = SimpleNamespace(directives=[SimpleNamespace(id="kl-120"), SimpleNamespace(id="ct-05")])

    def ask(self, text, mode, top_k, conversation):
        self.conversations.append(conversation)
        return Answer(text, None if text == "?" else True, message="hi" if text == "?" else None)


def telegram_core(journal=None):
    application = SimpleNamespace(chat_data=MappingProxyType(defaultdict(dict)))  # as PTB's Application has it
    core = Core(
        FakeService(),
        SETTINGS,
        journal,
        AccessRules(),
        30,
        "telegram",
        memories=ChatDataStore(application, SETTINGS),
        journal_ids=native_id,
    )
    return core, application


def test_the_core_keeps_a_chat_where_the_channel_says():
    core, application = telegram_core()
    asked = core.ask("42", "7", "Kết luận 120 yêu cầu gì?")
    store = application.chat_data[42]
    assert asked.answer_id and store["last"] == asked.answer_id and list(store["answers"]) == [asked.answer_id]
    assert core.answer("42") is core.answer("42", asked.answer_id) is store["answers"][asked.answer_id]
    assert core.service.conversations[-1] is store["conversation"]  # the chat's conversation, persisted with it
    assert clean_chat(store) == []  # of the shape the state file is read back into
    assert core.ask("42", "7", "?").answer_id is None and store["last"] == asked.answer_id  # small talk: not kept
    assert core.answer("43") is None and core.source("42", 1) is None


def test_telegram_memory_keeps_the_last_answers_in_a_new_dict_each_time():
    core, application = telegram_core()
    ids = [core.ask("42", None, f"câu {n}").answer_id for n in range(KEPT_ANSWERS + 5)]
    answers = application.chat_data[42]["answers"]
    assert list(answers) == ids[5:] and core.memory("42").last()[0] == ids[-1]
    core.ask("42", None, "thêm")
    assert application.chat_data[42]["answers"] is not answers and list(answers) == ids[5:]  # copied, not grown


def test_feedback_lands_on_the_answer_a_button_names(tmp_path):
    journal = Journal(tmp_path / "feedback.sqlite3")
    core, _ = telegram_core(journal)
    first = core.ask("42", "7", "câu một").answer_id
    core.ask("42", "7", "câu hai")
    assert core.rate("42", "7", -1, first) is True and core.comment("42", "7", "thiếu Điều 5", first) is True
    assert core.rate("99", "7", 1) is None  # no answer in that chat, none named
    without, _ = telegram_core()
    assert without.rate("42", "7", 1, first) is False and not without.records_feedback


def test_journal_ids_are_the_channel_s_choice():
    core, _ = telegram_core()
    assert core._ids("42", "7") == (42, 7)  # Telegram's pseudonyms stay what they were
    zalo = Core(FakeService(), SETTINGS, None, AccessRules(), 30, "zalo")
    assert zalo._ids("42", None) == (journal_id("zalo", "42"), None)
    assert isinstance(zalo.memories, KeptChats) and zalo.memory("1") is zalo.memory("1")


def test_a_directive_is_named_by_its_key():
    core, _ = telegram_core()
    kl = core.service.registry.directives[0]
    assert core.directive(directive_key(kl)) is kl and core.directive("0" * 12) is None


def test_the_core_imports_no_channel():
    code = "import sys, bot.core.assistant; print(sorted(m for m in sys.modules if m.startswith(('telegram', 'bot.channels'))))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
