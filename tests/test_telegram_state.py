"""Issue 32, finding 6: the Telegram bot's state file is read through an allow-list, validated,
and set aside when it does not fit; the bot starts and every chat is served."""

from __future__ import annotations

import collections
import dataclasses
import logging
import os
import pathlib
import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_telegram import replies, run_bot, until

from bot.answering.conversation import Conversation
from bot.channels.telegram.state import clean_chat, read_state

PTB_KEYS = {"user_data": {}, "bot_data": {}, "callback_data": None, "conversations": {}}


def state(chats: object) -> dict:
    return {**PTB_KEYS, "chat_data": chats}


def write(path: pathlib.Path, obj: object) -> pathlib.Path:
    path.write_bytes(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    return path


@pytest.mark.parametrize(
    "content",
    [[1, 2, 3], {"a": 1}, state([1, 2]), None, "chat", state("x")],
    ids=["list", "dict without PTB's keys", "chat_data a list", "None", "str", "chat_data a str"],
)
def test_state_file_of_another_shape_set_aside_with_a_warning(tmp_path, caplog, content):
    path = write(tmp_path / "state.pickle", content)
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.state"):
        assert read_state(path) == {}
    assert not path.exists() and list(tmp_path.glob("state.pickle.corrupt-*"))
    assert "cannot be used" in caplog.text


def test_state_file_of_another_shape_the_bot_starts_and_answers(service, corpus_settings, tmp_path):
    path = write(tmp_path / "state.pickle", [1, 2, 3])  # once: the unit failed at every start

    async def scenario(fake):
        fake.message("Kết luận 120-KL/TW yêu cầu gì?")
        await until(fake, lambda: replies(fake))
        assert "120-KL/TW" in replies(fake)[0]["text"]

    run_bot(service, corpus_settings, scenario, telegram_state_file=path)
    assert list(tmp_path.glob("state.pickle.corrupt-*"))


class _Gadget:
    def __init__(self, call, *args):
        self.call, self.args = call, args

    def __reduce__(self):
        return self.call, self.args


def test_state_file_crafted_pickle_runs_no_code(tmp_path, caplog):
    ran = tmp_path / "ran"
    gadgets = [
        _Gadget(pathlib.Path.touch, ran),
        _Gadget(os.system, f"touch {ran}"),
        _Gadget(eval, f"open({str(ran)!r}, 'w')"),
        state({1: {"answers": {"a": _Gadget(pathlib.Path.touch, ran)}}}),  # deep inside a chat
    ]
    for gadget in gadgets:
        path = write(tmp_path / "state.pickle", gadget)
        assert read_state(path) == {} and not ran.exists()
    # A name that is allowed, reached through its attributes (protocol 4 resolves dotted names)
    path = tmp_path / "state.pickle"
    path.write_bytes(b"\x80\x04cbot.answer\nAnswer.__init__.__globals__\n.")
    assert read_state(path) == {}
    assert len(list(tmp_path.glob("state.pickle.corrupt-*"))) >= 1 and "not a type the state file holds" in caplog.text


def test_state_file_real_chats_read_back_whole(service, law_service, tmp_path, caplog):
    memory = Conversation()
    answers = {}
    for i, (svc, q) in enumerate(
        [
            (service, "Kết luận 120-KL/TW yêu cầu gì?"),
            (service, "Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?"),
            (service, "KL 120"),
            (law_service, "Điều 12 Luật Thực hiện dân chủ ở cơ sở quy định gì?"),
            (law_service, "Ban thanh tra nhân dân có mấy người?"),
        ]
    ):
        answer = svc.ask(q, conversation=memory)
        answers[f"{i:012x}"] = dataclasses.replace(answer, retrieved=[])
    assert any(s.legal for a in answers.values() for s in a.sources)  # legal places pickled too
    chat = {"answers": answers, "last": "000000000000", "conversation": memory, "comment_prompts": {7: "0" * 12}}
    path = write(tmp_path / "state.pickle", state({-1001: chat, 5: {}}))
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.state"):
        chats = read_state(path)
    assert not caplog.records and path.exists()
    assert chats[-1001]["answers"].keys() == answers.keys() and chats[5] == {}
    assert [s.text for s in chats[-1001]["answers"]["000000000003"].sources] == [
        s.text for s in answers["000000000003"].sources
    ]
    assert len(chats[-1001]["conversation"].turns) == len(memory.turns) and chats[-1001]["comment_prompts"] == {
        7: "0" * 12
    }


def test_state_file_wrong_type_per_chat_value_dropped_and_the_chat_served(service, corpus_settings, tmp_path, caplog):
    bad = {"answers": [1, 2], "last": 5, "conversation": "x", "comment_prompts": [3], "other": 1}
    path = write(tmp_path / "state.pickle", state({1: bad, 2: "x", "3": {}}))

    async def scenario(fake):
        for chat in (1, 2):
            fake.message("Kết luận 120-KL/TW yêu cầu gì?", user_id=chat)
            await until(fake, lambda c=chat: replies(fake, c))
            fake.message("/nguon 1", user_id=chat)
            await until(fake, lambda c=chat: len(replies(fake, c)) == 2)
            assert "<blockquote>" in replies(fake, chat)[1]["text"]

    with caplog.at_level(logging.WARNING):
        fake = run_bot(service, corpus_settings, scenario, telegram_state_file=path)
    assert not [m for m in fake.sent() if "Xin lỗi, đã có lỗi" in m["text"]]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "dropped answers, last, conversation, comment_prompts" in caplog.text


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=3),
    max_leaves=8,
)
CHAT = st.fixed_dictionaries(
    {},
    optional={"answers": VALUES, "last": VALUES, "conversation": VALUES, "comment_prompts": VALUES, "x": VALUES},
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        VALUES, st.builds(state, VALUES), st.builds(state, st.dictionaries(st.integers() | st.text(), CHAT | VALUES))
    )
)
def test_state_file_property_any_content_read_as_valid_chats_or_nothing(tmp_path, content):
    path = write(tmp_path / "state.pickle", content)
    chats = read_state(path)
    assert all(type(k) is int and isinstance(v, dict) and clean_chat(v) == [] for k, v in chats.items())
    path.unlink(missing_ok=True)


def test_state_chat_store_drops_wrong_types_at_run_time():
    memory = Conversation()
    chat = {"answers": {"a": 1}, "last": None, "conversation": memory, "comment_prompts": {1: "x", "2": "y"}}
    assert clean_chat(chat) == ["answers['a']", "last", "comment_prompts['2']"]
    assert chat == {"answers": {}, "conversation": memory, "comment_prompts": {1: "x"}}
    memory.turns = collections.deque([1])  # a memory of another shape is forgotten, not read
    assert clean_chat(chat) == ["conversation"] and "conversation" not in chat


def test_state_file_memory_of_another_shape_dropped_not_failed_on(tmp_path, caplog):
    old, odd = Conversation(), Conversation()
    del old.sizes  # a memory saved before sizes were kept gets them
    odd.turns = [1, 2]  # type: ignore[assignment]
    del odd.sizes
    path = write(tmp_path / "state.pickle", state({1: {"conversation": old}, 2: {"conversation": odd, "last": "a"}}))
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.state"):
        chats = read_state(path)
    assert (
        chats[1]["conversation"].size == 0
        and chats[2] == {"last": "a"}
        and "chat 2: dropped conversation" in caplog.text
    )


def test_state_chat_store_reads_a_memory_another_thread_is_writing():
    """Handlers validate a chat's memory on the event loop while that chat's question may be
    recording a turn in a worker thread: 'deque mutated during iteration' became the apology."""
    import sys
    import threading

    memory = Conversation(turns=50)
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 10_000_000:  # bounded, whatever happens to the reader
            memory.sizes.append(n)
            n += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(3000):
            assert clean_chat({"conversation": memory}) == []
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)


def test_state_file_written_before_the_subpackages_reads_and_keeps_the_chat(tmp_path, caplog):
    """A state file pickled when the types lived in bot.answer, bot.conversation, ingest.legal
    (before issue 33's move) is read, not set aside: the chat's other data stays, and an answer
    of the old shape (a card holding a Directive) is dropped by `clean_chat`, not rendered."""
    import sys

    from bot.answering import answer as answer_module
    from bot.answering.answer import Answer, Card

    old = Answer("Hỏi gì?", True, cards=[Card()])
    object.__setattr__(old.cards[0], "document", None)
    object.__delattr__(old.cards[0], "document")
    object.__setattr__(old.cards[0], "relations", ("thay thế Chỉ thị 30",))  # the old card's strings
    classes = (Answer, Card)
    saved = {c: c.__module__ for c in classes}
    sys.modules["bot.answer"] = answer_module
    try:
        for c in classes:
            c.__module__ = "bot.answer"
        blob = pickle.dumps(state({7: {"answers": {"a1": old}, "last": "a1", "comment_prompts": {5: "a1"}}}))
    finally:
        for c, module in saved.items():
            c.__module__ = module
        del sys.modules["bot.answer"]
    assert b"bot.answer" in blob and b"bot.answering" not in blob
    path = tmp_path / "state.pickle"
    path.write_bytes(blob)
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.state"):
        chats = read_state(path)
    assert path.exists() and 7 in chats  # read, not set aside
    assert chats[7].get("comment_prompts") == {5: "a1"} and "a1" not in chats[7].get("answers", {})


def test_chat_memory_written_off_the_loop_never_changes_the_chat_dict_size(corpus_settings):
    """PTB copies chat_data for persistence on the event loop while a question's worker thread
    writes the chat's memory: once `prepare_chat` ran on the loop, the thread only replaces values."""
    from bot.answering.answer import Answer
    from bot.channels.telegram.state import ChatData, prepare_chat

    store: dict = {"comment_prompts": {}}
    prepare_chat(store, corpus_settings)
    keys = set(store)
    memory = ChatData(store, corpus_settings)
    answer_id = memory.remember(Answer("Hỏi gì?", True))
    _ = memory.conversation
    assert set(store) == keys and memory.last() is not None and memory.last()[0] == answer_id
