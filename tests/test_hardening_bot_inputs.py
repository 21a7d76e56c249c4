"""Regression tests for issue 32's findings on what users send: long questions (7), the memory of
stdin sessions (8) and numbers typed by users (9)."""

from __future__ import annotations

import copy
import gc
import logging
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_telegram import replies, run_bot, until

from bot import wording
from bot.answering.conversation import Conversation, Conversations
from bot.answering.question import user_number
from bot.answering.retrieval import embedded_question
from bot.outlines.brief import BriefError
from bot.outlines.law import _chapter_label
from ingest.errors import InvalidQuestionError
from ingest.index.embeddings import MAX_QUERY_TOKENS, fit_tokens

# --- Finding 7: long questions embed a bounded text -------------------------------------------

LONG_QUESTIONS = [
    "120-KL/TW;" * 99,
    ("Kết luận 120-KL/TW " * 52)[:990],
    "Quy chế dân chủ ở cơ sở là gì a" + "\u0300\u0301\u0303\u0309\u0323" * 190,
    ("dân\u0301\u0300 " * 200)[:990],
]


@pytest.fixture
def embedded(service, monkeypatch):
    """The texts the model is given while the test runs."""
    model = service.embedder.model
    seen: list[str] = []
    real = model.query

    def query(text):
        seen.append(text)
        return real(text)

    monkeypatch.setattr(model, "query", query)
    return seen


@pytest.mark.parametrize("question", LONG_QUESTIONS, ids=["99 citations", "52 citations", "mark flood", "marks"])
def test_long_question_repeated_citations_and_marks_collapsed_before_embedding(service, embedded, question):
    answer = service.ask(question)
    (text,) = embedded
    assert service.embedder.model.token_count(text, True) <= 24, text  # 629 to 995 tokens before
    assert text.count("120-KL/TW") <= 1 and not any(0x300 <= ord(ch) <= 0x36F for ch in text)
    assert answer.found is not None or answer.message == wording.OUT_OF_DOMAIN  # never small talk


LONG_TEXT = st.lists(
    st.sampled_from(
        [
            "120-KL/TW",
            "; ",
            " ",
            "Kết luận ",
            "MTTQ ",
            "dân chủ ",
            "Điều 12 ",
            "\u0301",
            "\u0323",
            "ạ",
            "x",
            "9",
            "2.000.000.000 ",
            "?",
            "\n",
            "Ban thanh tra nhân dân ",
            "🙂",
            "đ",
        ]  # fmt: skip
    )
    | st.text(max_size=3),
    min_size=50,
    max_size=400,
).map("".join)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=LONG_TEXT)
def test_long_question_property_embedded_text_within_the_cap_and_never_raises(service, embedded, question):
    embedded.clear()
    question = question[:990]
    try:
        service.ask(question)
    except InvalidQuestionError:  # empty once normalized, or only punctuation: refused with a message
        return
    assert all(service.embedder.model.token_count(text, True) <= MAX_QUERY_TOKENS for text in embedded)


def test_long_question_prose_is_cut_to_its_head_within_the_cap(service, embedded):
    prose = "Thời gian tới, để việc thực hiện quy chế dân chủ ở cơ sở có hiệu quả, cần tập trung thực hiện. " * 11
    service.ask(prose[:990])
    (text,) = embedded
    assert 0.8 * MAX_QUERY_TOKENS < service.embedder.model.token_count(text, True) <= MAX_QUERY_TOKENS
    assert text.startswith("Thời gian tới") and prose.startswith(text)  # the head, cut after a word


@given(st.lists(st.sampled_from(["dân", "chủ", "ở", "cơ", "sở", "120-KL/TW"]), max_size=300), st.integers(3, 60))
def test_fit_tokens_keeps_whole_words_within_the_limit(words, limit):
    text = " ".join(words)
    count = lambda t: len(t.split()) + 2  # noqa: E731 - two special tokens, as the models count
    head = fit_tokens(text, count, limit)
    assert text.startswith(head) and count(head) <= limit
    assert head == text or count(head) == limit and text[len(head)] == " "


def test_embedded_question_keeps_numbers_and_single_phrases():
    question = "Thu ngân sách đạt 8.331 tỷ đồng, 2.000.000.000 người, chỉ tiêu 10 10 10 như Kết luận 120 và Chỉ thị 30?"
    assert embedded_question(question) == question
    assert embedded_question("MTTQ, MTTQ, MTTQ, MTTQ làm gì?") == "MTTQ làm gì?"


# --- Finding 8: stdin sessions' memory ---------------------------------------------------------


def test_session_keys_of_a_megabyte_are_not_kept():
    gc.collect()
    tracemalloc.start()
    conversations = Conversations()
    for i in range(100):
        conversations.get(f"{i:03d}" + "k" * 1_000_000)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert kept < 1_000_000  # was 100 MB: every key kept whole


@given(st.lists(st.text(st.characters(codec=None), max_size=40), min_size=1, max_size=20))
def test_session_keys_any_text_one_memory_each(keys):
    conversations = Conversations()
    memories = {key: conversations.get(key) for key in keys}  # lone surrogates (JSON "\ud800") included
    assert all(conversations.get(key) is memories[key] for key in keys)
    assert len({id(m) for m in memories.values()}) == len(set(keys))


def test_conversation_memory_bounded_in_bytes(service):
    answers = [
        service.ask(q) for q in ("Kết luận 120-KL/TW yêu cầu gì?", "Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?")
    ]
    one = Conversation()
    for answer in answers:
        one.record("q", copy.deepcopy(answer))
    budget = 10 * one.size
    conversations = Conversations(max_bytes=budget)
    for i in range(40):
        memory = conversations.get(str(i))
        for answer in answers:
            memory.record("q", copy.deepcopy(answer))
        assert conversations.size <= budget + one.size  # the one just used may top it until the next question
    assert 9 <= len(conversations._by_key) <= 11
    assert conversations.get("39").size == one.size and conversations.get("0").size == 0  # the oldest went first


def test_remembered_turn_keeps_no_retrieved_passages(service):
    answer = service.ask("Những hạn chế trong tham mưu thực hiện QCDC ở cơ sở?")
    assert answer.retrieved
    memory = Conversation()
    memory.record("q", answer)
    assert memory.turns[-1].answer.retrieved == [] and answer.retrieved  # the caller's answer is untouched
    assert memory.understand("nói rõ hơn ý (2)")


# --- Finding 9: numbers typed by users ---------------------------------------------------------


@given(st.text(max_size=12))
def test_user_number_ascii_digits_only(text):
    n = user_number(text)
    assert n is None or (text.isascii() and text.isdigit() and n == int(text))


@pytest.mark.parametrize("typed", ["²", "1²", "٣", "１"])
def test_user_number_refuses_other_digits(typed):
    assert typed.isdigit() and user_number(typed) is None


def test_nguon_superscript_digit_gets_the_usage_line(service, corpus_settings, caplog):
    typed = ["²", "1²", "١", "٣", "99999999999999999999", "1"]

    async def scenario(fake):
        fake.message("Kết luận 120-KL/TW yêu cầu gì?", user_id=7)
        await until(fake, lambda: replies(fake, 7))
        for i, arg in enumerate(typed, start=2):
            fake.message(f"/nguon {arg}", user_id=7)
            await until(fake, lambda n=i: len(replies(fake, 7)) >= n)

    with caplog.at_level(logging.ERROR):
        fake = run_bot(service, corpus_settings, scenario)
    texts = [m["text"] for m in replies(fake, 7)[1:]]
    assert all(t.startswith("Hãy gõ /nguon và một số từ 1 đến") for t in texts[:-1]), texts
    assert "<blockquote>" in texts[-1] and not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_follow_up_item_with_a_superscript_digit_is_not_a_follow_up(service):
    memory = Conversation()
    memory.record("q", service.ask("Những hạn chế trong tham mưu thực hiện QCDC ở cơ sở?"))
    assert memory.understand("nói rõ hơn ý ²") is None and memory.understand("nói rõ hơn ý (٢)") is None
    assert memory.understand("nói rõ hơn ý (2)")


def test_chapter_superscript_digit_is_a_clear_error():
    with pytest.raises(BriefError) as raised:  # was ValueError: "²".isdigit() but int("²") fails
        _chapter_label("²", {"Chương II. Thực hiện dân chủ": []})
    assert "không có chương" in raised.value.for_user()


def test_long_question_sentence_transformers_engine_bounded_too():
    from bot.settings import BotSettings
    from ingest import make_embedder

    settings = BotSettings(_env_file=None, embedding_model="all-MiniLM-L6-v2", embedding_engine="sentence-transformers")
    embedder = make_embedder(settings)
    text = "quy chế dân chủ ở cơ sở " * 100  # 802 tokens for MiniLM
    head = embedder.bounded_query(text)
    assert embedder.query_tokens(head) <= MAX_QUERY_TOKENS < embedder.query_tokens(text) and text.startswith(head)
    assert len(embedder.embed_query(text)) == embedder.dimension


@pytest.mark.parametrize("typed", ["Điều ١٢ Luật THDCCS", "khoản ٢ Điều 5", "Điều １２"])
def test_article_numbers_are_ascii_digits_only(typed):
    from bot.answering.lookup import article_ref

    found = article_ref(typed)
    assert found is None or found.article == 5 and found.clause is None  # never read as Điều 12 or khoản 2
    assert article_ref("Điều 12 Luật THDCCS") is not None
