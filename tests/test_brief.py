"""Lecture outlines: verbatim quotations, registry facts, Word export, quiz, Telegram."""

from __future__ import annotations

import io
import re

import docx
import pytest
from conftest import CORPUS

from bot.brief import BriefBuilder, BriefError, render_docx, render_markdown
from ingest.citations import ref_key
from ingest.corpus import discover, read_document

pytestmark = pytest.mark.integration

CORPUS_TEXT = " ".join(" ".join(read_document(p).body.split()) for p in discover([CORPUS]))
TOPICS = ["120-KL/TW", "Năm dân vận chính quyền", "hạn chế trong thực hiện QCDC", "Nghị quyết 25", "công tác tôn giáo", "02-ĐA/TU"]


@pytest.fixture(scope="module")
def builder(service):
    return BriefBuilder(service)


def test_directive_outline_has_card_and_citing_sentence(builder):
    brief = builder.build("120-KL/TW", quiz=3)
    text = render_markdown(brief)
    assert text.startswith("# Đề cương bài giảng: Kết luận số 120-KL/TW")
    assert "- Ngày ban hành: 07/01/2016" in text and "- Cơ quan ban hành: Bộ Chính trị" in text
    assert re.search(r"^> .*sơ kết 3 năm thực hiện Kết luận số 120-KL/TW ngày 07/01/2016.* \[1\]$", text, re.M)
    assert "## Nguồn" in text and "danvanhungyen.vn" in text


def test_relations_are_listed(builder):
    text = render_markdown(builder.build("88-KH/TU"))
    assert "Quan hệ với các văn bản khác" in text and "Thực hiện 18-NQ/TW" in text


def test_topic_outline_draws_on_both_articles(builder):
    brief = builder.build("Năm dân vận chính quyền")
    assert {s.doc_id for s in brief.sources} == {"hungyen-tham-muu-qcdc", "bacninh-phoi-hop-dan-van"}
    quoted = " ".join(q.text for _, quotes in brief.by_document for q in quotes)
    assert quoted.count("Năm dân vận chính quyền") + quoted.lower().count("năm dân vận chính quyền") >= 2


def test_limitations_and_numbered_tasks_are_whole_and_in_order(builder):
    brief = builder.build("hạn chế trong thực hiện QCDC")
    assert brief.limitations[0].text.startswith("Tuy nhiên") and "chậm đổi mới" in brief.limitations[-1].text
    tasks = builder.build("nhiệm vụ, giải pháp thực hiện QCDC thời gian tới").tasks
    assert [t.text[:3] for t in tasks] == [f"({i})" for i in range(1, 8)]


@pytest.mark.parametrize("topic", TOPICS)
def test_every_blockquote_is_verbatim_and_cited(builder, topic):
    text = render_markdown(builder.build(topic, quiz=5))
    quotes = [line for line in text.splitlines() if line.startswith("> ")]
    assert quotes
    sources = len(re.findall(r"^\d+\. ", text.split("## Nguồn")[1], re.M))
    for line in quotes:
        m = re.fullmatch(r"> (.+) \[(\d+)\]", line)
        assert m, line
        assert m[1] in CORPUS_TEXT, m[1][:80]
        assert 1 <= int(m[2]) <= sources


def test_quiz_answers_come_from_the_registry_and_the_sentences(builder, service):
    brief = builder.build("Năm dân vận chính quyền", quiz=10)
    assert brief.quiz
    for item in brief.quiz:
        if item.question.startswith("Điền số"):
            blank = item.question.split("“", 1)[1].rstrip("”")
            assert blank.replace("…", item.answer, 1) in CORPUS_TEXT
            continue
        ref = re.search(r"số (\S+) (?:được ban hành|\?)", item.question) or re.search(r"số (\S+)\?$", item.question)
        (directive,) = [d for d in service.registry.find(ref_key(ref[1]))]
        if "ngày nào" in item.question:
            y, m, d = directive.date.split("-")
            assert item.answer == f"{d}/{m}/{y}"
        else:
            assert item.answer == directive.issuer
        assert item.sources


@pytest.mark.parametrize(("topic", "message"), [("Giá vàng hôm nay", "không có nội dung"), ("999-KL/TW", "không có văn bản"),
                                                ("01", "nhiều văn bản")])
def test_nothing_to_say_is_said_plainly(builder, topic, message):
    with pytest.raises(BriefError) as info:
        builder.build(topic)
    assert message in info.value.for_user()


def test_docx_has_headings_quotes_and_sources(builder, tmp_path):
    brief = builder.build("120-KL/TW", quiz=2)
    render_docx(brief, tmp_path / "out.docx")
    document = docx.Document(str(tmp_path / "out.docx"))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", "Đề cương bài giảng: Kết luận số 120-KL/TW")
    assert ("Heading 1", "1. Thông tin văn bản") in styles and ("Heading 1", "Nguồn") in styles
    assert any(style == "Quote" and "120-KL/TW" in text for style, text in styles)
    assert any(style == "List Number" and "danvanhungyen.vn" in text for style, text in styles)


def test_cli_writes_markdown_and_docx(corpus_settings, tmp_path):
    from test_cli import run

    code, out, _ = run(["bot", "brief", "Chỉ thị 05", "--quiz", "2"], tmp_path, corpus_settings)
    assert code == 0 and out.startswith("# Đề cương bài giảng: Chỉ thị số 05-CT/TW") and "Câu hỏi ôn tập" in out
    code, out, _ = run(["bot", "brief", "120-KL/TW", "--format", "docx", "-o", str(tmp_path / "b.docx")], tmp_path, corpus_settings)
    assert code == 0 and docx.Document(str(tmp_path / "b.docx")).paragraphs
    code, _, err = run(["bot", "brief", "Kết luận 999"], tmp_path, corpus_settings)
    assert code == 1 and "không có văn bản" in err


def test_telegram_sends_the_outline_as_a_document(service, corpus_settings):
    from test_telegram import replies, run_bot, until

    async def scenario(fake):
        fake.message("/baigiang 120-KL/TW")
        await until(fake, lambda: fake.sent("sendDocument"))
        (summary,) = replies(fake)
        assert "Đề cương bài giảng: Kết luận số 120-KL/TW" in summary["text"]
        (sent,) = fake.sent("sendDocument")
        assert sent["document"]["filename"].endswith(".docx")
        opened = docx.Document(io.BytesIO(sent["document"]["bytes"]))
        assert opened.paragraphs[0].text == "Đề cương bài giảng: Kết luận số 120-KL/TW"
        fake.message("/baigiang Giá vàng hôm nay")
        await until(fake, lambda: len(replies(fake)) == 2)
        assert "không có nội dung" in replies(fake)[1]["text"] and len(fake.sent("sendDocument")) == 1

    run_bot(service, corpus_settings, scenario)
