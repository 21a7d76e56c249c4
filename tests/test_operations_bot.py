"""Operations end to end: feedback buttons and comments in Telegram, the admin views, what
survives a restart, the health command, and the JSON logs."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from telegram_fake import FakeBotAPI
from test_telegram import TOKEN, replies, run_bot, until

from bot.channels.telegram.app import quiet_logs
from bot.channels.telegram.formatting import COMMENT_PROMPT, GAP_NOTICE
from bot.operations.journal import Journal
from ingest.logs import EVENTS, JsonFormatter

pytestmark = pytest.mark.integration

CADRE = 424242


def keyboard(message):
    return json.loads(message["reply_markup"])["inline_keyboard"]


def test_feedback_buttons_comment_gaps_and_admin_views(service, corpus_settings, tmp_path):
    db = tmp_path / "feedback.sqlite3"

    async def scenario(fake):
        fake.message("Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?", user_id=CADRE)
        await until(fake, lambda: replies(fake, CADRE))
        answer = replies(fake, CADRE)[0]
        rows = keyboard(answer)
        assert rows[0][0]["text"] == "📄 Nguồn 1" and [b["text"] for b in rows[-1]] == ["👍", "👎"]
        fake.press(rows[-1][1]["callback_data"], user_id=CADRE, markup={"inline_keyboard": rows})
        await until(fake, lambda: fake.sent("editMessageReplyMarkup"))
        rated = json.loads(fake.sent("editMessageReplyMarkup")[-1]["reply_markup"])["inline_keyboard"]
        assert rated[:-1] == rows[:-1]  # the source buttons stay
        assert [b["text"] for b in rated[-1]] == ["👍", "👎 ✓", "✍️ Góp ý thêm"]

        fake.press(rated[-1][2]["callback_data"], user_id=CADRE, markup={"inline_keyboard": rated})
        await until(fake, lambda: len(replies(fake, CADRE)) == 2)
        prompt = replies(fake, CADRE)[1]
        assert prompt["text"] == COMMENT_PROMPT and json.loads(prompt["reply_markup"])["force_reply"]
        fake.message("Thiếu số liệu của năm 2019", user_id=CADRE, reply_to={"message_id": prompt["_message_id"], "text": prompt["text"]})
        await until(fake, lambda: len(replies(fake, CADRE)) == 3)
        assert "góp ý đã được ghi lại" in replies(fake, CADRE)[2]["text"]

        # unanswered questions of the domain: recorded, and the cadre told so once
        fake.message("Trưởng thôn được phụ cấp bao nhiêu tiền một tháng?", user_id=CADRE)
        await until(fake, lambda: len(replies(fake, CADRE)) == 4)
        fake.message("truong thon duoc phu cap bao nhieu tien mot thang?", user_id=CADRE)
        await until(fake, lambda: len(replies(fake, CADRE)) == 5)
        fake.message("/vb 999-KL/TW", user_id=CADRE)
        await until(fake, lambda: len(replies(fake, CADRE)) == 6)
        texts = [m["text"] for m in replies(fake, CADRE)]
        assert GAP_NOTICE in texts[3] and GAP_NOTICE not in texts[4]
        assert [b["text"] for b in keyboard(replies(fake, CADRE)[3])[-1]] == ["👍", "👎"]  # "nothing found" can be rated

        fake.message("/phanhoi", user_id=1)
        await until(fake, lambda: replies(fake, 1))
        negative = replies(fake, 1)[0]["text"]
        assert "Thu ngân sách 9 tháng" in negative and "8.331" in negative and "Thiếu số liệu của năm 2019" in negative
        fake.message("/thieu", user_id=1)
        await until(fake, lambda: len(replies(fake, 1)) == 2)
        gaps = replies(fake, 1)[1]["text"]
        assert "999-KL/TW" in gaps and "Trưởng thôn được phụ cấp bao nhiêu tiền một tháng?" in gaps and "2 lần, 1 người" in gaps
        fake.message("/phanhoi", user_id=CADRE)
        await until(fake, lambda: len(replies(fake, CADRE)) == 7)
        assert "quản trị" in replies(fake, CADRE)[6]["text"]

    fake = run_bot(service, corpus_settings, scenario, telegram_admins=[1], feedback_db=db)
    menus = fake.sent("setMyCommands")
    admin_menu = [m for m in menus if "scope" in m and json.loads(m["scope"]) == {"type": "chat", "chat_id": 1}]
    assert admin_menu and "phanhoi" in admin_menu[0]["commands"] and "phanhoi" not in menus[0]["commands"]
    (entry,) = Journal(db).feedback()
    assert entry.rating == -1 and entry.comment == "Thiếu số liệu của năm 2019"
    assert entry.question.startswith("Thu ngân sách") and "8.331" in entry.answer and entry.sources
    assert not any(str(CADRE).encode() in p.read_bytes() for p in tmp_path.iterdir() if p.is_file())


def test_statistics_source_buttons_and_memory_survive_a_restart(service, corpus_settings, tmp_path):
    paths = {
        "feedback_db": tmp_path / "feedback.sqlite3",
        "telegram_state_file": tmp_path / "state.pickle",
        "telegram_admins": [1],
    }
    before: dict = {}

    async def first_run(fake):
        fake.message("Những hạn chế trong tham mưu thực hiện QCDC ở cơ sở?")
        await until(fake, lambda: replies(fake))
        before["rows"] = keyboard(replies(fake)[0])
        fake.press(before["rows"][-1][0]["callback_data"], markup={"inline_keyboard": before["rows"]})  # 👍
        await until(fake, lambda: fake.sent("editMessageReplyMarkup"))

    async def second_run(fake):  # a new Application on the same files
        fake.message("/thongke")
        await until(fake, lambda: replies(fake))
        stats = replies(fake)[0]["text"]
        assert "Đã trả lời: 1" in stats and "👍 1, 👎 0" in stats and "Người hỏi: 1" in stats
        fake.press(before["rows"][0][0]["callback_data"])  # a source button of an answer given before the restart
        await until(fake, lambda: len(replies(fake)) == 2)
        assert "<blockquote>" in replies(fake)[1]["text"]
        fake.message("nói rõ hơn ý (2)")  # the chat's memory came back too
        await until(fake, lambda: len(replies(fake)) == 3)
        assert "Hiểu câu hỏi là" in replies(fake)[2]["text"] and "chưa kịp thời" in replies(fake)[2]["text"]

    run_bot(service, corpus_settings, first_run, **paths)
    assert paths["telegram_state_file"].exists()
    run_bot(service, corpus_settings, second_run, **paths)


def test_a_damaged_state_file_is_set_aside_and_the_bot_serves(service, corpus_settings, tmp_path):
    state = tmp_path / "state.pickle"
    state.write_bytes(b"\x80\x04garbage")

    async def scenario(fake):
        fake.message("Kết luận 120-KL/TW yêu cầu gì?")
        await until(fake, lambda: replies(fake))
        assert "120-KL/TW" in replies(fake)[0]["text"]

    run_bot(service, corpus_settings, scenario, telegram_state_file=state)
    assert list(tmp_path.glob("state.pickle.corrupt-*"))


def test_json_logs_one_line_per_answer_and_never_the_token(service, corpus_settings, tmp_path, corpus_copy):
    from ingest import ingest

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root, events = logging.getLogger(), logging.getLogger(EVENTS)
    root.addHandler(handler)
    events.setLevel(logging.INFO)

    async def scenario(fake):
        fake.message("Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?", user_id=CADRE)
        fake.message("Trưởng thôn được phụ cấp bao nhiêu?", user_id=CADRE)
        await until(fake, lambda: len(replies(fake)) == 2)

    try:
        quiet_logs(TOKEN)
        run_bot(service, corpus_settings, scenario)
        logging.getLogger("bot.channels.telegram.app").error("failed calling https://api.telegram.org/bot%s/getMe", TOKEN)
        ingest(corpus_settings.model_copy(update={"chroma_path": tmp_path / "index", "corpus_dir": corpus_copy}), embedder=service.embedder)
    finally:
        root.removeHandler(handler)
        events.setLevel(logging.NOTSET)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert TOKEN not in stream.getvalue()
    answers = [e for e in lines if e.get("event") == "answer"]
    # The bot answers updates concurrently, so the two events may come in either order.
    assert sorted(a["found"] for a in answers) == [False, True]
    (first,) = [a for a in answers if a["found"]]
    assert first["user"] != str(CADRE) and len(first["user"]) == 12 and first["question_chars"] == len("Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?")
    assert first["generator"] == "extractive" and first["latency_ms"] > 0 and first["cited"]
    assert "Thu ngân sách" not in json.dumps(answers, ensure_ascii=False)  # lengths, never the question
    (ingestion,) = [e for e in lines if e.get("event") == "ingestion"]
    assert (ingestion["new"], ingestion["changed"], ingestion["removed"], ingestion["failed"]) == (2, 0, 0, 0)
    assert ingestion["seconds"] > 0 and ingestion["time"].endswith("+00:00")


def _health(tmp_path, **env):
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    for name in ("TELEGRAM_BOT_TOKEN", "CHROMA_HOST"):
        if name not in env:
            environ.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "bot", "health"], capture_output=True, text=True, cwd=tmp_path,
                          env=environ, timeout=300)  # fmt: skip
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc.returncode, proc.stdout.splitlines()


def test_health_exit_codes(corpus_settings, tmp_path):
    index = {"CHROMA_PATH": str(corpus_settings.chroma_path), "FEEDBACK_DB": str(tmp_path / "f.sqlite3")}
    code, lines = _health(tmp_path, **index)
    assert code == 0 and len(lines) == 4, lines
    assert lines[0].startswith("OK   Chỉ mục") and "31 đoạn" in lines[0] and lines[1].startswith("OK   Mô hình nhúng")
    assert lines[2].startswith("OK   Cơ sở dữ liệu phản hồi") and lines[3].startswith("--   Telegram Bot API")

    code, lines = _health(tmp_path, CHROMA_PATH=str(tmp_path / "nothing-here"), FEEDBACK_DB=str(tmp_path / "f.sqlite3"))
    assert code == 1 and lines[0].startswith("LỖI  Chỉ mục") and "python -m ingest" in lines[0]

    (tmp_path / "bad.sqlite3").write_bytes(b"not a database" * 200)
    code, lines = _health(tmp_path, **(index | {"FEEDBACK_DB": str(tmp_path / "bad.sqlite3")}))
    assert code == 1 and lines[2].startswith("LỖI  Cơ sở dữ liệu phản hồi")
    assert (tmp_path / "bad.sqlite3").exists()  # reported, not repaired: that is the bot's to do

    with FakeBotAPI(TOKEN) as fake:
        code, lines = _health(tmp_path, **index, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url)
        assert code == 0 and lines[3] == "OK   Telegram Bot API: @qcdc_test_bot"
        wrong = TOKEN[:-1] + "X"
        code, lines = _health(tmp_path, **index, TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_BASE_URL=fake.base_url)
        assert code == 1 and lines[3].startswith("LỖI  Telegram Bot API") and wrong not in "\n".join(lines)


def test_cli_exports_feedback_and_lists_gaps(tmp_path):
    journal = Journal(tmp_path / "f.sqlite3")
    from test_operations import exchange

    journal.record(exchange("a" * 12, "Thu ngân sách đạt bao nhiêu?", sources=("Bài A",)))
    journal.rate(-100777, "a" * 12, 1, -1)
    journal.record(exchange("b" * 12, "Giá vàng?", found=False))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FEEDBACK_DB": str(tmp_path / "f.sqlite3")}

    def run(*args):
        proc = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    csv_out = run("feedback").stdout.splitlines()
    assert csv_out[0].startswith("\ufeff\"Thời điểm\",") and "Thu ngân sách" in csv_out[1]  # BOM: Excel reads UTF-8
    (row,) = [json.loads(line) for line in run("feedback", "--format", "json").stdout.splitlines()]
    assert row["rating"] == -1 and row["sources"] == ["Bài A"]
    assert run("feedback", "--since", "2999-01-01").stdout.count("\n") == 1  # the header only
    bad = run("feedback", "--since", "hôm qua")
    assert bad.returncode == 2 and "NĂM-THÁNG-NGÀY" in bad.stderr
    gaps = run("gaps")
    assert gaps.returncode == 0 and "“Giá vàng?”: 1 lần" in gaps.stdout
    assert json.loads(run("gaps", "--json").stdout)["topics"][0]["question"] == "Giá vàng?"
    assert "Đã trả lời: 1" in run("stats").stdout
    env["FEEDBACK_DB"] = str(tmp_path / "none.sqlite3")
    missing = run("gaps")
    assert missing.returncode == 2 and "chưa có cơ sở dữ liệu phản hồi" in missing.stderr



def test_documents_dir_is_scanned_by_every_ingestion(corpus_settings, embedder, tmp_path):
    from ingest import ingest

    folder = tmp_path / "tai-lieu"
    folder.mkdir()
    (folder / "bao-cao.txt").write_text(
        "Báo cáo kết quả thực hiện dân chủ ở cơ sở năm 2025\n\nToàn huyện có 12 xã đạt chuẩn dân vận khéo.\n",
        encoding="utf-8",
    )
    settings = corpus_settings.model_copy(update={"chroma_path": tmp_path / "index", "documents_dir": folder})
    first = ingest(settings, embedder=embedder)  # no path given: CORPUS_DIR and DOCUMENTS_DIR
    assert (first.new, first.failures) == (3, [])
    (folder / "bao-cao.txt").unlink()
    assert ingest(settings, embedder=embedder).removed == 1  # what leaves the folder leaves the library
