"""Regression tests for what an adversarial review broke in answering and in the Telegram bot (issue 14)."""

from __future__ import annotations

import asyncio
import json
import logging
import random

import docx
import pytest
from pydantic import SecretStr
from telegram_fake import FakeBotAPI
from test_cli import run
from test_telegram import TOKEN, replies, run_bot, until

from bot.answering.verification import MAX_ANSWER_CHARS, verify
from bot.channels.telegram.access import parse_callback
from bot.channels.telegram.app import build_application, wait_for_bot_api, webhook_options
from bot.channels.telegram.formatting import COMMENT_PROMPT
from bot.cli.main import build_parser
from bot.core.access import RateLimit
from bot.outlines.outline import Outline, Point, Quote, Reference, Section
from bot.render.outline_docx import render_docx
from bot.render.text import answer_text
from bot.wording import ASK_PROMPT
from ingest.errors import SettingsError
from ingest.facts import DocumentFacts
from ingest.index.lexical import LexicalIndex
from ingest.language.normalize import normalize_text

SOURCE = "Thu ngân sách đạt 8.331 tỷ đồng. Ngày 15/9/2018, Kết luận 120-KL/TW của Bộ Chính trị (khóa XII), giai đoạn 2016-2020."
QUESTION_WORDS = ["Ai?", "Cho hỏi", "là gì", "nhé", "khi nào?", "a*", "(a)", "Bao nhiêu?", "Như thế nào ạ?"]


# --- High 1: question words alone -------------------------------------------------------


@pytest.mark.parametrize("question", QUESTION_WORDS)
def test_question_words_alone_get_a_prompt_not_a_crash(service, question):
    answer = service.ask(question)
    assert not answer.found and answer_text(answer) == ASK_PROMPT and not answer.sources


def test_empty_query_scores_zero_instead_of_raising():
    index = LexicalIndex.build(["Quy chế dân chủ ở cơ sở", "Công tác dân vận"])
    assert index.scores("Cho hỏi").tolist() == [0.0, 0.0]


def test_stdin_session_survives_question_words(tmp_path, corpus_settings):
    code, out, err = run(["bot", "ask", "--json"], tmp_path, corpus_settings, stdin="Ai?\nKết luận 120 yêu cầu gì?\n".encode())
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0 and first["answer"] == ASK_PROMPT and second["found"] and "120-KL/TW" in second["answer"]


# --- High 2: what a generated sentence states must be in what it cites --------------------


@pytest.mark.parametrize(
    "invented",
    [
        "Từ tháng 7/2019, giai đoạn 2021-2025, Kết luận 999 [1].",
        "Chỉ thị số 77 yêu cầu công khai [1].",
        "Có hiệu lực từ 2099-01-01 [1].",
        "Hội nghị họp ngày 15/9 [1].",  # a day the source does not give alone… nor here
        "Thu đạt 120tỷ đồng [1].",
        "Bộ Chính trị khóa XV kết luận [1].",
        "Thu đạt chín nghìn tỷ đồng [1].",
        "Giai đoạn 2016-2025 [1].",
        "Xem chi tiết tại https://evil.example/kl120 [1].",
        "Xem tại qcdc-gov.vn/kl120 [1].",
        "Liên hệ hotro@evil.vn để được hướng dẫn [1].",
        "Nhắn @qcdc_ho_tro_bot để nhận tài liệu [1].",
        "Tháng 12/2018 đạt 8.331 tỷ đồng [1].",
    ],
)
def test_invented_facts_are_dropped(invented):
    source = SOURCE.replace("15/9/2018", "15/10/2018") if "15/9" in invented else SOURCE
    kept, report = verify(invented, [source])
    assert kept == "" and report.dropped == 1, report.reasons


@pytest.mark.parametrize(
    "grounded",
    [
        "Thu ngân sách đạt 8.331 tỷ đồng [1].",
        "Kết luận 120 của Bộ Chính trị khóa XII ban hành ngày 15/9/2018 [1].",
        "Tháng 9/2018, giai đoạn 2016 – 2020 [1].",
        "Thu đạt tám nghìn ba trăm ba mươi mốt tỷ đồng [1].",
        "1. Thu ngân sách đạt 8.331 tỷ đồng [1].",
    ],
)
def test_grounded_sentences_are_kept(grounded):
    kept, report = verify(grounded, [SOURCE])
    assert kept and report.dropped == 0, report.reasons


def test_generated_answer_is_capped_and_only_its_head_is_verified():
    sentence = "Thu ngân sách đạt 8.331 tỷ đồng [1]. "
    kept, report = verify(sentence * 30_000, [SOURCE])  # a 1 MB reply
    assert 0 < len(kept) <= MAX_ANSWER_CHARS and any("cap" in reason for reason in report.reasons)
    assert report.checked <= 2 * MAX_ANSWER_CHARS // len(sentence) + 1  # the rest is never read
    # 100,000 separators (a reply that once took 88 s to verify): only the head is read.
    kept, report = verify("Kết luận 120-KL/TW" + "\x1f" * 100_000 + " của Bộ Chính trị [1].", [SOURCE])
    assert report.checked == 1 and report.reasons[0].startswith("no citation")
    kept, report = verify("Kết luận 120-KL/TW" + "\x1f" * 1_000 + " của Bộ Chính trị [1].", [SOURCE])
    assert report.checked == 1 and " ".join(kept.split()) == "Kết luận 120-KL/TW của Bộ Chính trị [1]."  # a run is one break


# --- High 4: a question full of separators is answered at once -----------------------------


def test_control_character_runs_in_a_question_are_collapsed(service):
    assert normalize_text("Kết luận 120-KL/TW\x1f\x1f\x1e\x1c\x85  yêu cầu gì?") == "Kết luận 120-KL/TW\n\nyêu cầu gì?"
    answer = service.ask("Kết luận 120-KL/TW" + "\x1f" * 975 + " yêu cầu gì?")  # once 45 s
    assert answer.found and "120-KL/TW" in answer_text(answer)


# --- Medium 7: Word files with control characters -------------------------------------------


def test_word_file_with_control_characters_is_written(tmp_path):
    outline = Outline("QCDC", "QCDC\x1b[1m", "topic")
    outline.known["a"] = Reference("a", "a", None, "Bài\x02", DocumentFacts(title="Bài\x02"))
    outline.sections = [Section("Nội dung", [Point("Bài\x02", [Quote("Trích dẫn\x02 có ký tự\x1b lạ\x1f.", "a")])])]
    outline.number()
    render_docx(outline, tmp_path / "de-cuong.docx")
    text = "\n".join(p.text for p in docx.Document(tmp_path / "de-cuong.docx").paragraphs)
    assert "Trích dẫn có ký tự" in text and "\x02" not in text


# --- Medium 9: every sender and every request is limited; one notice a minute ---------------


def test_rate_limit_notices_once_a_minute():
    now = [0.0]
    limit = RateLimit(2, clock=lambda: now[0])
    waits = [limit.wait_seconds(-100) for _ in range(5)]
    assert waits[:2] == [0, 0] and all(w > 0 for w in waits[2:])
    assert [limit.should_notify(-100) for _ in range(3)] == [True, False, False]
    now[0] = 61.0
    assert limit.wait_seconds(-100) == 0 and limit.should_notify(-100)


def test_flood_gets_one_notice_and_channels_and_lookups_are_limited(service, corpus_settings):
    async def scenario(fake):
        for _ in range(30):
            fake.message("Kết luận 120-KL/TW yêu cầu gì?", user_id=9)
        await until(fake, lambda: len(replies(fake, 9)) >= 3)
        await asyncio.sleep(1.5)
        texts = [m["text"] for m in replies(fake, 9)]
        assert len(texts) == 3 and sum("thử lại sau" in t for t in texts) == 1
        for i in range(4):  # a channel post has no sender: the channel is the sender
            fake.raw({"channel_post": {"message_id": 900 + i, "date": 0, "text": "@qcdc_test_bot Kết luận 120-KL/TW?",
                                       "chat": {"id": -1007, "type": "channel", "title": "Kênh"}}})
        for _ in range(4):
            fake.message("/vb 120", user_id=11)
        await until(fake, lambda: len(replies(fake, -1007)) >= 3 and len(replies(fake, 11)) >= 3)
        await asyncio.sleep(1.5)
        assert len(replies(fake, -1007)) == 3 and len(replies(fake, 11)) == 3

    run_bot(service, corpus_settings, scenario, telegram_rate_limit_per_minute=2)


# --- Medium 10: webhooks need a secret and listen locally by default ------------------------


def test_webhook_without_secret_is_refused(corpus_settings):
    settings = corpus_settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN)})
    for secret in (None, "", "has spaces", "x" * 300):
        here = settings.model_copy(update={"telegram_webhook_secret": SecretStr(secret) if secret is not None else None})
        with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
            webhook_options(here, "https://bot.example.org/qcdc", "127.0.0.1", 8443)
    assert build_parser().parse_args(["telegram"]).listen == "127.0.0.1"


# --- Medium 13: the Bot API unreachable at start -----------------------------------------------


def test_unreachable_bot_api_at_start_is_retried_with_one_line_each(service, corpus_settings, caplog):
    async def main():
        with FakeBotAPI(TOKEN) as fake:
            fake.unreachable_calls = 3
            settings = corpus_settings.model_copy(
                update={"telegram_bot_token": SecretStr(TOKEN), "telegram_api_base_url": fake.base_url})
            application = build_application(settings, service)
            with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.app"):
                await wait_for_bot_api(application, first_delay=0.01, max_delay=0.05)
            assert application.bot.username == "qcdc_test_bot"
            await application.bot.shutdown()

    asyncio.run(main())
    lines = [r.getMessage() for r in caplog.records]
    assert sum("cannot reach the Telegram Bot API" in line for line in lines) == 3
    assert all(TOKEN not in line for line in lines) and "after 4 tries" in lines[-1]


# --- Low: forged callbacks, inline messages, and a fuzz of every handler -----------------------


def test_callback_data_is_parsed_strictly():
    assert parse_callback("src:0123456789ab:2", "src") == ("0123456789ab", "2")
    assert parse_callback("fb:0123456789ab:down", "fb") == ("0123456789ab", "down")
    for forged in ("src:garbage", "src:a:b:c:d", "src:", "", None, "src:0123456789ab:99999", "vb:../../x",
                   "fb:0123456789ab:delete", "fb:0123456789ab", "fb:../x:up"):
        assert all(parse_callback(forged, kind) is None for kind in ("src", "vb", "fb"))


def _random_update(rng: random.Random, i: int) -> dict:
    alphabet = "abcQCDĐđơưắẫ 0123456789/-:<>&;\"'\x00\x1b\x1f\u202e\u200b🙂\n\t"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
    user = {"id": rng.choice([1, 2, 3]), "is_bot": False, "first_name": "Fuzz"}
    chat = {"id": rng.choice([1, -100200]), "type": rng.choice(["private", "group", "supergroup"])}
    message = {"message_id": 5000 + i, "date": 0, "chat": chat}
    command = rng.choice(["/hoi", "/vb", "/nguon", "/baigiang", "/thongke", "/phanhoi", "/thieu", "/start", "/help",
                          "/khong_co", ""])
    kind = rng.randrange(7)
    if kind == 0:
        body = f"{command} {text}".strip()
        message |= {"from": user, "text": body or "x"}
        if command and body:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if rng.random() < 0.3:  # a reply to the bot's "Góp ý thêm" prompt, known to the chat or not
            message["reply_to_message"] = {"message_id": rng.choice([1, 101, 4999]), "date": 0, "chat": chat,
                                           "from": {"id": 999, "is_bot": True, "first_name": "bot"},
                                           "text": COMMENT_PROMPT}
        return {"message": message}
    if kind == 1:
        data = rng.choice(["src:", "vb:", "src:0123456789ab:1", "vb:0123456789ab", "fb:0123456789ab:down",
                           "fb:0123456789ab:note", "fb:", ""]) + text[:40]
        query = {"id": f"q{i}", "chat_instance": "c", "from": user, "data": data[:64]}
        if rng.random() < 0.5:
            query["message"] = message | {"from": {"id": 999, "is_bot": True, "first_name": "bot"}, "text": "…"}
        else:
            query["inline_message_id"] = f"inline{i}"
        return {"callback_query": query}
    if kind == 2:
        return {"channel_post": message | {"chat": {"id": -1009, "type": "channel", "title": "K"}, "text": text or "x"}}
    if kind == 3:
        return {"edited_message": message | {"from": user, "text": text or "x", "edit_date": 1}}
    if kind == 4:
        return {"message": message | {"text": text or "x"}}  # no sender at all
    if kind == 5:
        return {"message": message | {"from": user, "sender_chat": {"id": -1001, "type": "channel"}, "text": text or "x"}}
    return {"message": message | {"from": user, "sticker": {"file_id": "s", "file_unique_id": "u", "width": 1,
                                                             "height": 1, "is_animated": False, "is_video": False,
                                                             "type": "regular"}}}


def test_fuzzed_updates_never_raise_in_a_handler(service, corpus_settings, caplog):
    rng = random.Random(14)

    async def scenario(fake):
        for i in range(120):
            fake.raw(_random_update(rng, i))
        await asyncio.sleep(8)
        fake.message("Kết luận 120-KL/TW yêu cầu gì?", user_id=77)
        await until(fake, lambda: any("120-KL/TW" in m["text"] for m in replies(fake, 77)), timeout=60)

    with caplog.at_level(logging.ERROR):
        fake = run_bot(service, corpus_settings, scenario, telegram_rate_limit_per_minute=600)
    failures = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "telegram")) and r.levelno >= logging.ERROR]
    assert not failures, failures[:3]
    assert not [m for m in fake.sent() if "Xin lỗi, đã có lỗi" in m["text"]]


def test_non_utf8_question_on_the_command_line_is_one_clear_line(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    proc = subprocess.run(
        [sys.executable.encode(), b"-m", b"bot", b"ask", b"h\xf4i g\xec?"], capture_output=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err and "UTF-8" in err and err.count("\n") == 1


def test_terminal_output_carries_no_escape_sequences(capsys):
    from bot.cli.main import _print

    _print("Trích dẫn\x1b[2J\x1b]0;owned\x07 và \x9b31m hết.")
    assert capsys.readouterr().out == "Trích dẫn[2J]0;owned và 31m hết.\n"
