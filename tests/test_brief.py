"""Lecture outlines: the đề cương structure, a law chapter by chapter, topics, honest quizzes,
Word files in the official format, HTML, the CLI and Telegram."""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.shared import Mm, Pt
from hypothesis import given
from hypothesis import strategies as st
from outline_checks import off_topic, problems

from bot.outlines.brief import BriefBuilder, BriefError, chapter_asked
from bot.outlines.outline import FILL, Outline, Point, QuizItem, Quote, Reference, Section
from bot.outlines.quiz import Fact, figure_questions, make_quiz, who_question
from bot.render.outline import render_html, render_markdown, summary_lines
from bot.render.outline_docx import MARGINS_MM, render_docx
from ingest.facts import DocumentFacts

LAW_POOL = [
    "Hội nghị của cộng đồng dân cư được tổ chức định kỳ mỗi năm một lần vào thời gian cuối năm.",
    "Chậm nhất là 05 ngày làm việc kể từ ngày có quyết định, Ủy ban nhân dân cấp xã phải tổ chức công khai.",
    "Thời hạn niêm yết ít nhất là 30 ngày, trừ trường hợp pháp luật có quy định khác.",
    "Thời hạn trả lời là 15 ngày kể từ ngày nhận được kiến nghị.",
    "Biên bản được gửi trong 07 ngày.",
    "Trong thời hạn 10 ngày, Trưởng thôn, Tổ trưởng tổ dân phố có trách nhiệm triệu tập, chủ trì hội nghị.",
    "Ban Thanh tra nhân dân có trách nhiệm định kỳ báo cáo về hoạt động của mình.",
    "Ủy ban nhân dân cấp xã có trách nhiệm niêm yết thông tin tại trụ sở.",
    "Ban Giám sát đầu tư của cộng đồng được Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã quyết định thành lập.",
    "Đặc biệt, trong tháng 4 năm 2018 Ban Dân vận ký kết kế hoạch; ngày 26 tháng 11 năm 2021 sơ kết.",
]


def fact(text: str) -> Fact:
    return Fact(text, "k", "Theo Điều 1 Luật X", "Điều 1")


# --- quizzes: every answer is stated by its sentence ------------------------------------------


def test_a_figure_question_blanks_the_value_and_draws_distractors_from_the_same_document():
    (item,) = figure_questions(fact(LAW_POOL[1]), LAW_POOL)
    assert item.answer == "05 ngày làm việc" and "……" in item.question and item.answer not in item.question
    (item,) = figure_questions(fact(LAW_POOL[3]), LAW_POOL)
    # the three nearest values of the same unit ("05 ngày làm việc" is another unit), in order of value
    assert item.answer == "15 ngày" and item.choices == ("07 ngày", "10 ngày", "15 ngày", "30 ngày")


def test_dates_are_not_figures_to_ask():
    assert figure_questions(fact(LAW_POOL[-1]), LAW_POOL) == []


def test_who_questions_ask_for_the_body_that_acts_never_one_acted_on():
    item = who_question(fact("Trưởng thôn, Tổ trưởng tổ dân phố có trách nhiệm triệu tập, chủ trì hội nghị."), LAW_POOL)
    assert item is not None and item.answer == "Trưởng thôn, Tổ trưởng tổ dân phố"
    assert item.question.endswith("chủ thể nào có trách nhiệm triệu tập, chủ trì hội nghị?")
    passive = next(s for s in LAW_POOL if "được Ủy ban" in s)
    assert who_question(fact(passive), LAW_POOL) is None  # "… được Ủy ban … quyết định": acted on
    assert who_question(fact("Chấp hành quyết định của cộng đồng dân cư, chính quyền địa phương."), LAW_POOL) is None


def test_fewer_questions_than_asked_are_said_with_the_reason():
    quiz, note = make_quiz([fact(LAW_POOL[1])], [], {"k": LAW_POOL}, 5)
    assert len(quiz) == 1 and note and note.startswith("Chỉ lập được 1/5 câu hỏi")
    assert make_quiz([fact(LAW_POOL[1])], [], {"k": LAW_POOL}, 1)[1] is None


@given(st.lists(st.sampled_from(LAW_POOL + ["Có 95 xã đạt chuẩn.", "Tăng 10,9% so với cùng kỳ."]), min_size=1))
def test_every_quiz_answer_is_a_span_of_its_sentence(sentences):
    quiz, _ = make_quiz([fact(s) for s in sentences], [], {"k": LAW_POOL + sentences}, 10)
    for item in quiz:
        assert item.evidence and item.answer in item.evidence[0]
        assert not item.choices or (item.answer in item.choices and len(set(item.choices)) == len(item.choices))


# --- the outline as data and as documents -------------------------------------------------------


def small_outline() -> Outline:
    facts = DocumentFacts(title="Bài viết A")
    outline = Outline("chủ đề", "Chủ đề thử", "topic", purpose=[f"Mục đích: {FILL}"])
    outline.known = {k: Reference(k, k, None, f"Tài liệu {k}", facts) for k in ("b", "a")}
    outline.sections = [
        Section("Trống"),
        Section("Nội dung", [Point("Ý một", [Quote("Câu của b <i>.", "b"), Quote("Câu của a.", "a", "Điều 2")])]),
    ]
    outline.quiz = [QuizItem("Hỏi?", "30 ngày", "a", "figure", ("Trong 30 ngày.",), None, ("10 ngày", "30 ngày"))]
    outline.number()
    return outline


def test_references_are_numbered_once_in_order_of_first_use_and_empty_sections_dropped():
    outline = small_outline()
    assert [(r.key, r.n) for r in outline.references] == [("b", 1), ("a", 2)]
    assert [s.heading for s in outline.sections] == ["Nội dung"] and outline.quiz[0].n == 2
    text = render_markdown(outline)
    assert text.index("## I. MỤC ĐÍCH, YÊU CẦU") < text.index("## II. NỘI DUNG") < text.index("## III. CÂU HỎI")
    assert text.index("## III. CÂU HỎI") < text.index("## TÀI LIỆU THAM KHẢO")
    assert "> Câu của a. [2, Điều 2]" in text and "Đáp án: B. 30 ngày [2]" in text
    page = render_html(outline)
    assert '<html lang="vi">' in page and "&lt;i&gt;" in page and "<i>." not in page


def test_word_file_follows_decree_30(tmp_path):
    path = tmp_path / "o.docx"
    render_docx(small_outline(), path)
    document = docx.Document(str(path))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)  # A4, in twips
    for side, mm in MARGINS_MM.items():
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.1)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert not any("Theme" in k for k in fonts.attrib)  # no theme font overriding Times New Roman
    assert all(document.styles[f"Heading {n}"].font.name == "Times New Roman" for n in (1, 2, 3))
    header = section.header._element.xml
    assert "PAGE" in header and section.different_first_page_header_footer
    quote = next(p for p in document.paragraphs if p.text.startswith("Câu của a."))
    assert quote.text.endswith("[2, Điều 2]") and not any(r.italic for r in quote.runs)
    assert quote.paragraph_format.left_indent > 0
    assert document.paragraphs[0].text == "ĐỀ CƯƠNG BÀI GIẢNG"


def test_a_units_template_keeps_its_page_and_header(tmp_path):
    template = docx.Document()
    template.sections[0].left_margin = Mm(35)
    template.sections[0].header.paragraphs[0].text = "TRƯỜNG CHÍNH TRỊ TỈNH"
    template.add_paragraph("nội dung mẫu sẽ bị thay")
    template.save(str(tmp_path / "mau.docx"))
    render_docx(small_outline(), tmp_path / "o.docx", tmp_path / "mau.docx")
    document = docx.Document(str(tmp_path / "o.docx"))
    assert abs(document.sections[0].left_margin - Mm(35)) < Mm(0.1)
    assert document.sections[0].header.paragraphs[0].text == "TRƯỜNG CHÍNH TRỊ TỈNH"
    assert all("nội dung mẫu" not in p.text for p in document.paragraphs)
    (tmp_path / "hong.docx").write_bytes(b"not a zip")
    with pytest.raises(Exception) as info:
        render_docx(small_outline(), tmp_path / "x.docx", tmp_path / "hong.docx")
    assert "BRIEF_TEMPLATE" in info.value.for_user()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Luật 10/2022/QH15 chương II", ("Luật 10/2022/QH15", "II")), ("Luật THDCCS, Chương 3", ("Luật THDCCS", "3")),
     ("Năm dân vận chính quyền", ("Năm dân vận chính quyền", None))],
)
def test_a_chapter_can_be_asked_in_the_text(text, expected):
    assert chapter_asked(text) == expected


# --- real outlines: the two seed articles --------------------------------------------------------

@pytest.fixture(scope="module")
def builder(service):
    return BriefBuilder(service)


@pytest.mark.integration
@pytest.mark.parametrize("topic", ["120-KL/TW", "Năm dân vận chính quyền", "hạn chế trong thực hiện QCDC", "02-ĐA/TU"])
def test_every_outline_is_sound(builder, service, topic):
    outline = builder.build(topic, quiz=5)
    assert problems(outline, service) == []
    if outline.kind == "topic":
        assert off_topic(outline, service) == []


@pytest.mark.integration
def test_a_directive_without_its_text_says_so_and_leaves_a_place_to_fill(builder):
    outline = builder.build("120-KL/TW", quiz=5)
    assert "không có toàn văn Kết luận số 120-KL/TW" in outline.notes[0]
    text = render_markdown(outline)
    assert "Ngày ban hành: 07/01/2016" in text and "Mục đích: \\[Giảng viên bổ sung\\]" in text
    assert any(q.kind == "date" and q.answer == "07/01/2016" for q in outline.quiz)
    assert len(outline.quiz) < 5 and outline.quiz_note and f"{len(outline.quiz)}/5" in outline.quiz_note


@pytest.mark.integration
def test_a_campaign_gets_its_own_material_not_the_general_tasks(builder):
    outline = builder.build("Năm dân vận chính quyền", quiz=5)
    quoted = " ".join(q.text for q in outline.quotes())
    assert "Năm dân vận chính quyền" in quoted
    assert not any(q.text.startswith("(") for q in outline.quotes())  # the seven general QCDC tasks
    assert len(outline.references) == len({r.doc_id for r in outline.references}) == 2


@pytest.mark.integration
def test_limitations_and_a_list_whose_lead_in_is_on_topic_come_whole(builder):
    outline = builder.build("hạn chế trong thực hiện QCDC")
    limits = next(s for s in outline.sections if s.heading == "Hạn chế, khó khăn").points[0].quotes
    assert limits[0].text.startswith("Tuy nhiên") and "chậm đổi mới" in limits[-1].text
    tasks = builder.build("nhiệm vụ, giải pháp thực hiện QCDC thời gian tới")
    items = [q.text[:3] for q in tasks.quotes() if q.text.startswith("(")]
    assert items == [f"({i})" for i in range(1, 8)]


@pytest.mark.integration
@pytest.mark.parametrize(("topic", "message"), [("Giá vàng hôm nay", "không có nội dung"),
                                                ("999-KL/TW", "không có văn bản"), ("01", "nhiều văn bản"),
                                                ("Năm dân vận chính quyền chương II", "theo chương")])
def test_nothing_to_say_is_said_plainly(builder, topic, message):
    with pytest.raises(BriefError) as info:
        builder.build(topic)
    assert message in info.value.for_user()


# --- real outlines: the Law and its decrees ------------------------------------------------------


@pytest.fixture(scope="module")
def law_outline(law_service):
    return BriefBuilder(law_service).build("Luật Thực hiện dân chủ ở cơ sở", quiz=8)


@pytest.mark.integration
def test_the_law_chapter_by_chapter(law_outline, law_service):
    assert law_outline.kind == "law" and law_outline.title == "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15"
    assert problems(law_outline, law_service) == []
    headings = [s.heading for s in law_outline.sections]
    assert headings[0] == "Khái quát về văn bản" and headings[-1] == "Văn bản quy định chi tiết, hướng dẫn thi hành"
    assert [h.split(".")[0] for h in headings[1:-1]] == [f"Chương {r}" for r in ("I", "II", "III", "IV", "V", "VI")]
    lines = [line for p in law_outline.sections[0].points for line in p.lines]
    assert "Hiệu lực từ: 01/07/2023" in lines and "Trong kho có 91 điều, 6 chương:" in lines
    points = {p.heading: p for s in law_outline.sections for p in s.points}
    assert any("không ít hơn 05" in q.text for q in points["Điều 36. Tổ chức Ban Thanh tra nhân dân ở xã, phường, thị trấn"].quotes)
    assert any("Nghị định 59/2023/NĐ-CP, Điều 3." in line for line in points["Điều 15. Những nội dung Nhân dân bàn và quyết định"].lines)
    detailing = law_outline.sections[-1].points[0]
    assert detailing.heading == "Nghị định 59/2023/NĐ-CP" and "quy định chi tiết khoản 4 Điều 23" in detailing.quotes[0].text
    assert len(law_outline.quiz) == 8 and {q.kind for q in law_outline.quiz} >= {"figure", "who"}
    assert [r.line.split(" số ")[0] for r in law_outline.references] == ["Luật Thực hiện dân chủ ở cơ sở", "Nghị định"]


@pytest.mark.integration
def test_one_chapter_and_a_decree(law_service):
    builder = BriefBuilder(law_service)
    outline = builder.build("Luật 10/2022/QH15", chapter="II")
    assert [s.heading.split(".")[0] for s in outline.sections] == ["Khái quát về văn bản", "Chương II"]
    assert outline.title.endswith("— Chương II. THỰC HIỆN DÂN CHỦ Ở XÃ, PHƯỜNG, THỊ TRẤN")
    with pytest.raises(BriefError) as info:
        builder.build("Luật THDCCS chương IX")
    assert "các chương: Chương I, Chương II" in info.value.for_user()
    decree = builder.build("Nghị định 59/2023", quiz=3)
    assert problems(decree, law_service) == [] and decree.sections[1].heading == "Các điều của Nghị định 59/2023/NĐ-CP"
    assert any("Luật Thực hiện dân chủ ở cơ sở, Điều 23." in line for s in decree.sections for p in s.points for line in p.lines)


@pytest.mark.integration
def test_cli_writes_markdown_html_and_docx(corpus_settings, tmp_path):
    from test_cli import run

    code, out, _ = run(["bot", "brief", "Chỉ thị 05", "--quiz", "2"], tmp_path, corpus_settings)
    assert code == 0 and out.startswith("# ĐỀ CƯƠNG BÀI GIẢNG") and "CHỈ THỊ SỐ 05-CT/TW" in out
    code, out, _ = run(["bot", "brief", "120-KL/TW", "--format", "html"], tmp_path, corpus_settings)
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "<h2>III. CÂU HỎI ÔN TẬP, THẢO LUẬN</h2>" in out
    code, _, _ = run(["bot", "brief", "120-KL/TW", "--format", "docx", "-o", str(tmp_path / "b.docx")], tmp_path, corpus_settings)
    assert code == 0 and docx.Document(str(tmp_path / "b.docx")).paragraphs[1].text == "KẾT LUẬN SỐ 120-KL/TW"
    code, _, err = run(["bot", "brief", "Kết luận 999"], tmp_path, corpus_settings)
    assert code == 1 and "không có văn bản" in err


@pytest.mark.integration
def test_telegram_shows_progress_then_a_summary_and_the_word_file(service, corpus_settings):
    from test_telegram import replies, run_bot, until

    async def scenario(fake):
        fake.message("/baigiang 120-KL/TW")
        await until(fake, lambda: fake.sent("sendDocument"))
        (status,) = replies(fake)
        assert status["text"].startswith("⏳ Đang lập đề cương")
        (summary,) = fake.sent("editMessageText")
        assert "Đề cương bài giảng: Kết luận số 120-KL/TW" in summary["text"]
        assert "câu hỏi ôn tập" in summary["text"] and "Tài liệu tham khảo: 1" in summary["text"]
        (sent,) = fake.sent("sendDocument")
        opened = docx.Document(io.BytesIO(sent["document"]["bytes"]))
        assert opened.paragraphs[0].text == "ĐỀ CƯƠNG BÀI GIẢNG" and sent["document"]["filename"].endswith(".docx")
        fake.message("/baigiang Giá vàng hôm nay")
        await until(fake, lambda: len(fake.sent("editMessageText")) == 2)
        assert "không có nội dung" in fake.sent("editMessageText")[1]["text"] and len(fake.sent("sendDocument")) == 1

    run_bot(service, corpus_settings, scenario)


def test_summary_counts_what_the_outline_holds():
    lines = summary_lines(small_outline())
    assert any("2 trích dẫn nguyên văn" in line for line in lines) and "Tài liệu tham khảo: 2." in lines
    assert re.search(r"1 câu hỏi ôn tập", " ".join(lines))
