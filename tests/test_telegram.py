"""The Telegram bot end to end: the real Application and HTTP stack against a local Bot API server."""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram_fake import FakeBotAPI, html_error

from bot.channels.telegram.app import build_application, check_token, quiet_logs
from bot.channels.telegram.formatting import split_message
from ingest.errors import SettingsError

pytestmark = pytest.mark.integration

TOKEN = "123456789:AAHfake-token-for-tests_0123456789abcdef"


def run_bot(service, settings, scenario, **overrides):
    """Start the bot against a fresh fake server, run `scenario(fake)`, stop the bot.
    Its journal and chat state are new, in a temporary folder, unless `overrides` name them."""
    fresh = Path(tempfile.mkdtemp(prefix="qcdc-bot-"))
    overrides = {"feedback_db": fresh / "feedback.sqlite3", "telegram_state_file": fresh / "state.pickle"} | overrides
    settings = settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN), **overrides})

    async def main():
        with FakeBotAPI(TOKEN) as fake:
            settings_here = settings.model_copy(update={"telegram_api_base_url": fake.base_url})
            application = build_application(settings_here, service)
            async with application:
                await application.post_init(application)  # as run_polling does
                await application.start()
                await application.updater.start_polling(poll_interval=0.0, timeout=1)
                try:
                    await scenario(fake)
                finally:
                    await application.updater.stop()
                    await application.stop()
            return fake

    return asyncio.run(main())


async def until(fake, predicate, timeout=30.0):
    await asyncio.to_thread(fake.wait, predicate, timeout)


def replies(fake, chat_id=None):
    return [m for m in fake.sent() if chat_id is None or int(m["chat_id"]) == chat_id]


def test_question_gets_answer_sources_and_buttons(service, corpus_settings):
    async def scenario(fake):
        fake.message("Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?")
        await until(fake, lambda: replies(fake))
        (reply,) = replies(fake)
        assert reply["parse_mode"] == "HTML" and "8.331 tỷ đồng" in reply["text"] and "[1]" in reply["text"]
        assert fake.sent("sendChatAction")[0]["action"] == "typing"
        keyboard = json.loads(reply["reply_markup"])["inline_keyboard"]
        data = [b["callback_data"] for row in keyboard for b in row]
        assert data and all(len(d.encode()) <= 64 for d in data)

        fake.press(data[0])  # the source button opens the passage
        await until(fake, lambda: len(replies(fake)) == 2)
        passage = replies(fake)[1]["text"]
        assert "<blockquote>" in passage and "Vương Quang Hưng" in passage and "danvanhungyen.vn" in passage
        assert fake.sent("answerCallbackQuery")

        fake.message("/nguon 1")
        await until(fake, lambda: len(replies(fake)) == 3)
        assert replies(fake)[2]["text"] == passage

    run_bot(service, corpus_settings, scenario)


def test_directive_card_and_ambiguous_candidates(service, corpus_settings):
    async def scenario(fake):
        fake.message("/vb kl 120")
        await until(fake, lambda: replies(fake))
        assert replies(fake)[0]["text"].startswith("<b>Kết luận số 120-KL/TW</b>")
        fake.message("/vb 01")
        await until(fake, lambda: len(replies(fake)) == 2)
        ambiguous = replies(fake)[1]
        buttons = [b for row in json.loads(ambiguous["reply_markup"])["inline_keyboard"] for b in row]
        assert len(buttons) == 3 and all(len(b["callback_data"].encode()) <= 64 for b in buttons)
        choice = next(b for b in buttons if "ĐA/TU" in b["text"])
        fake.press(choice["callback_data"])
        await until(fake, lambda: len(replies(fake)) == 3)
        assert "01-ĐA/TU" in replies(fake)[2]["text"] and "05/05/2011" in replies(fake)[2]["text"]
        fake.message("/vb 999-KL/TW")
        await until(fake, lambda: len(replies(fake)) == 4)
        assert "không có văn bản" in replies(fake)[3]["text"]

    run_bot(service, corpus_settings, scenario)


def test_hostile_text_stays_valid_html(service, corpus_settings):
    async def scenario(fake):
        fake.message("/vb <script>alert(1)</script> & <b>")
        fake.message("Phòng Giáo dục & đào tạo phối hợp với Ban Dân vận làm gì? <i>")
        await until(fake, lambda: len(replies(fake)) == 2)
        texts = [m["text"] for m in replies(fake)]
        assert all(html_error(t) is None for t in texts)  # the fake server rejects invalid HTML anyway
        assert "&lt;script&gt;" in texts[0]
        assert "Giáo dục &amp; đào tạo" in texts[1]

    run_bot(service, corpus_settings, scenario)


def test_long_answer_is_split(service, corpus_settings, monkeypatch):
    # every passage relevant and forty sentences quoted: an answer longer than one Telegram message
    monkeypatch.setattr(service.retriever, "settings", corpus_settings.model_copy(update={"top_k": 50, "min_coverage": 0.0}))
    monkeypatch.setattr("bot.answering.compose.MAX_SENTENCES", 40)
    monkeypatch.setattr("bot.answering.compose.RELATIVE_CUTOFF", 0.0)

    async def scenario(fake):
        fake.message("công tác dân vận của Ban Dân vận Thành ủy và Tỉnh ủy")
        await until(fake, lambda: fake.sent("sendMessage"))
        await asyncio.sleep(1)
        parts = replies(fake)
        assert len(parts) >= 2 and all(len(p["text"]) <= 4096 for p in parts)
        assert "reply_markup" not in parts[0] and "reply_markup" in parts[-1]

    run_bot(service, corpus_settings, scenario)


def test_split_message_keeps_paragraphs_and_limit():
    text = "\n\n".join(f"<b>Đoạn {i}</b> " + "chữ " * 300 for i in range(10))
    parts = split_message(text)
    assert len(parts) > 1 and all(len(p) <= 4096 and html_error(p) is None for p in parts)
    assert "\n\n".join(parts) == text


def test_strangers_are_refused_once_and_get_nothing(service, corpus_settings):
    async def scenario(fake):
        fake.message("Kết luận 120-KL/TW yêu cầu gì?", user_id=7)
        fake.message("Thu ngân sách đạt bao nhiêu?", user_id=7)
        fake.message("/vb 120", user_id=7)
        fake.message("Kết luận 120-KL/TW yêu cầu gì?", user_id=42)
        await until(fake, lambda: replies(fake, 42))
        await asyncio.sleep(0.5)
        refused = replies(fake, 7)
        assert len(refused) == 1 and "chỉ phục vụ" in refused[0]["text"] and "120" not in refused[0]["text"]
        assert "120-KL/TW" in replies(fake, 42)[0]["text"]

    run_bot(service, corpus_settings, scenario, telegram_allowed_users=[42])


def test_allowed_chat_serves_its_members(service, corpus_settings):
    async def scenario(fake):
        fake.message("/hoi Kết luận 120-KL/TW yêu cầu gì?", user_id=5, chat_id=-100, chat_type="supergroup")
        await until(fake, lambda: replies(fake, -100))
        assert "120-KL/TW" in replies(fake, -100)[0]["text"]

    run_bot(service, corpus_settings, scenario, telegram_allowed_chats=[-100])


def test_group_answers_only_mentions_replies_and_commands(service, corpus_settings):
    async def scenario(fake):
        group = dict(chat_id=-200, chat_type="group")
        fake.message("Họp chi bộ lúc mấy giờ nhỉ?", **group)
        fake.message("Thu ngân sách đạt bao nhiêu tỷ đồng?", **group)
        await asyncio.sleep(1.5)
        assert replies(fake) == []
        fake.message("@qcdc_test_bot Thu ngân sách đạt bao nhiêu tỷ đồng?", **group)
        await until(fake, lambda: len(replies(fake)) == 1)
        fake.message("Còn xuất khẩu đạt bao nhiêu USD?", reply_to_bot=True, **group)
        await until(fake, lambda: len(replies(fake)) == 2)
        fake.message("/hoi Chỉ thị 05 của Bộ Chính trị", **group)
        await until(fake, lambda: len(replies(fake)) == 3)
        texts = [m["text"] for m in replies(fake)]
        assert "8.331" in texts[0] and "3,1 tỷ USD" in texts[1] and "05-CT/TW" in texts[2]

    run_bot(service, corpus_settings, scenario)


def test_rate_limit_says_when_to_try_again(service, corpus_settings):
    async def scenario(fake):
        for _ in range(3):
            fake.message("Kết luận 120-KL/TW yêu cầu gì?", user_id=9)
        await until(fake, lambda: len(replies(fake, 9)) == 3)
        texts = [m["text"] for m in replies(fake, 9)]
        limited = [t for t in texts if "thử lại sau" in t]
        assert len(limited) == 1 and "giây" in limited[0]

    run_bot(service, corpus_settings, scenario, telegram_rate_limit_per_minute=2)


def test_overlong_question_is_refused_politely(service, corpus_settings):
    async def scenario(fake):
        fake.message("QCDC " * 400)
        await until(fake, lambda: replies(fake))
        assert "quá dài" in replies(fake)[0]["text"]

    run_bot(service, corpus_settings, scenario)


def test_a_failing_update_does_not_stop_the_bot(service, corpus_settings, monkeypatch, caplog):
    real_ask = service.ask

    def flaky(question, *args, **kwargs):
        if "boom" in question:
            raise RuntimeError("simulated bug")
        return real_ask(question, *args, **kwargs)

    monkeypatch.setattr(service, "ask", flaky)

    async def scenario(fake):
        fake.message("boom")
        await until(fake, lambda: replies(fake))
        assert "Xin lỗi" in replies(fake)[0]["text"]
        fake.message("Kết luận 120-KL/TW yêu cầu gì?")
        await until(fake, lambda: len(replies(fake)) == 2)
        assert "120-KL/TW" in replies(fake)[1]["text"]

    with caplog.at_level(logging.DEBUG):
        quiet_logs(TOKEN)  # as `python -m bot telegram` does before starting
        run_bot(service, corpus_settings, scenario)
    leaked = [r.getMessage() for r in caplog.records if TOKEN in r.getMessage() or TOKEN in (r.exc_text or "")]
    assert not leaked, leaked[:3]
    assert any("simulated bug" in r.getMessage() or (r.exc_text or "").find("simulated bug") >= 0 for r in caplog.records)
    assert all(TOKEN not in r.getMessage() and TOKEN not in (r.exc_text or "") for r in caplog.records)


def test_admin_commands(service, corpus_settings):
    async def scenario(fake):
        fake.message("/thongke", user_id=3)
        await until(fake, lambda: replies(fake, 3))
        assert "quản trị" in replies(fake, 3)[0]["text"]
        fake.message("Kết luận 120-KL/TW yêu cầu gì?", user_id=1)
        fake.message("Trưởng thôn được phụ cấp bao nhiêu?", user_id=1)
        await until(fake, lambda: len(replies(fake, 1)) == 2)
        fake.message("/thongke", user_id=1)
        await until(fake, lambda: len(replies(fake, 1)) == 3)
        stats = replies(fake, 1)[2]["text"]
        assert "Đã trả lời: 1" in stats and "Không có thông tin: 1" in stats and "120-KL/TW (1)" in stats
        fake.message("/capnhat", user_id=1)
        await until(fake, lambda: any("Đã cập nhật" in m["text"] for m in replies(fake, 1)), timeout=120)

    run_bot(service, corpus_settings, scenario, telegram_admins=[1])


@pytest.mark.parametrize("token", [None, "", "abc", "123:short"])
def test_missing_or_malformed_token_is_a_clear_error(corpus_settings, token):
    settings = corpus_settings.model_copy(update={"telegram_bot_token": None if token is None else SecretStr(token)})
    with pytest.raises(SettingsError) as info:
        check_token(settings)
    assert "TELEGRAM_BOT_TOKEN" in info.value.for_user()


def test_flood_control_is_respected(service, corpus_settings):
    async def scenario(fake):
        fake.flood_next_message = True
        fake.message("Kết luận 120-KL/TW yêu cầu gì?")
        await until(fake, lambda: len(replies(fake)) == 2)  # refused once with retry_after, then sent again
        assert replies(fake)[0]["text"] == replies(fake)[1]["text"]

    run_bot(service, corpus_settings, scenario)


def test_webhook_mode_with_healthz_on_the_same_port(service, corpus_settings, tmp_path, monkeypatch):
    import socket
    import urllib.request

    from bot.channels import webhook_server
    from bot.channels.telegram.app import webhook_options
    from bot.channels.telegram.webhook import serve
    from bot.operations.health import live

    monkeypatch.setattr(webhook_server, "HEALTH_TTL_S", 0.0)  # the second /healthz sees the journal's loss at once

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = corpus_settings.model_copy(
        update={"telegram_bot_token": SecretStr(TOKEN), "telegram_webhook_secret": SecretStr("s3cret-s3cret")}
    )

    async def main():
        with FakeBotAPI(TOKEN) as fake:
            here = settings.model_copy(update={"telegram_api_base_url": fake.base_url,
                                               "feedback_db": tmp_path / "feedback.sqlite3",
                                               "telegram_state_file": tmp_path / "state.pickle"})
            options = webhook_options(here, "https://bot.example.org/qcdc", "127.0.0.1", port)
            assert TOKEN not in options.webhook_url
            application = build_application(here, service, polling=False)
            state = application.bot_data["core"]
            stop = asyncio.Event()
            server = asyncio.create_task(serve(application, options, lambda: live(service, state.journal), stop))
            try:
                await until(fake, lambda: fake.sent("setWebhook"))
                (set_webhook,) = fake.sent("setWebhook")
                assert set_webhook["url"] == options.webhook_url and set_webhook["secret_token"] == "s3cret-s3cret"
                update = {"update_id": 1, "message": {
                    "message_id": 1, "date": 0, "text": "Chỉ thị 05 của Bộ Chính trị",
                    "from": {"id": 1, "is_bot": False, "first_name": "A"}, "chat": {"id": 1, "type": "private"}}}

                def call(path, secret=None, body=None):
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/{path}", data=body,
                        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret or ""})
                    try:
                        with urllib.request.urlopen(request, timeout=10) as response:
                            return response.status, response.read()
                    except urllib.error.HTTPError as exc:
                        return exc.code, exc.read()

                await asyncio.sleep(0.2)  # the server listens before setWebhook; the app starts after it
                body = json.dumps(update).encode()
                assert (await asyncio.to_thread(call, options.url_path, "wrong", body))[0] == 403
                assert (await asyncio.to_thread(call, options.url_path, None, body))[0] == 403
                assert (await asyncio.to_thread(call, options.url_path, "s3cret-s3cret", b"{not json"))[0] == 400
                assert (await asyncio.to_thread(call, options.url_path, "s3cret-s3cret", body))[0] == 200
                await until(fake, lambda: replies(fake))
                assert "05-CT/TW" in replies(fake)[0]["text"]

                status, raw = await asyncio.to_thread(call, "healthz")  # the same port, no secret needed
                health = json.loads(raw)
                assert status == 200 and health["ok"] and health["index"]["passages"] > 0 and health["journal"]["ok"]
                state.journal.path.unlink()  # the journal's file deleted under the running bot
                state.journal.path.mkdir()
                status, raw = await asyncio.to_thread(call, "healthz")
                assert status == 503 and not json.loads(raw)["journal"]["ok"]
            finally:
                stop.set()
                await server

    asyncio.run(main())


def test_small_talk_library_and_follow_ups_in_a_chat(service, corpus_settings):
    async def scenario(fake):
        fake.message("Cảm ơn bạn nhé")
        await until(fake, lambda: len(replies(fake)) >= 1)
        thanks = replies(fake)[-1]
        assert "Không có gì" in thanks["text"] and "reply_markup" not in thanks  # no sources, no buttons
        fake.message("/tailieu")
        await until(fake, lambda: len(replies(fake)) >= 2)
        assert "Phối hợp công tác dân vận" in replies(fake)[-1]["text"]
        fake.message("Những hạn chế trong tham mưu thực hiện QCDC ở cơ sở?")
        await until(fake, lambda: len(replies(fake)) >= 3)
        fake.message("nói rõ hơn ý (2)")
        await until(fake, lambda: len(replies(fake)) >= 4)
        assert "Hiểu câu hỏi là" in replies(fake)[-1]["text"] and "chưa kịp thời" in replies(fake)[-1]["text"]

    run_bot(service, corpus_settings, scenario)
