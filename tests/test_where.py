"""'… ở đâu?': the place is cut from after "tại"/"ở" or a street address, written after what the
question asks the place of; references into a text, times and fixed names are no place."""

from __future__ import annotations

import pytest

from bot.answering import short_answer, where

NIEM_YET = (
    "Hương ước, quy ước đã được công nhận được niêm yết công khai tại nhà văn hóa thôn, "
    "bảng tin công cộng của cộng đồng dân cư để Nhân dân biết và thực hiện."
)


@pytest.mark.parametrize(
    "question",
    [
        "Hương ước được niêm yết ở đâu?",
        "tru so ban dan van trung uong o dau",
        "Ban TTND họp tại đâu",
        "Họp thôn tổ chức ở chỗ nào?",
        "Kết quả bầu được công khai ở những nơi nào?",
        "Địa chỉ của Ban Dân vận Trung ương là gì?",
    ],
)
def test_where_questions_are_asked_by_their_form(question):
    assert short_answer.kind(question) == "where"


@pytest.mark.parametrize(
    "question",
    [
        "Ở đầu nhiệm kỳ Ban thanh tra phải làm gì?",  # "đầu" folds to "dau": the start, not where
        "Ban Thanh tra nhân dân ở xã có mấy người?",
        "Thôn nào ở Hưng Yên được công nhận?",
    ],
)
def test_other_questions_are_not_where(question):
    assert short_answer.kind(question) != "where"


def test_the_place_after_the_verb_asked():
    cut = where.cut("Hương ước đã công nhận được niêm yết ở đâu?", NIEM_YET)
    assert cut is not None and cut.text == "tại nhà văn hóa thôn, bảng tin công cộng của cộng đồng dân cư"


def test_an_address():
    sentence = "Trụ sở: 105B phố Quán Thánh, phường Quán Thánh, quận Ba Đình, thành phố Hà Nội."
    cut = where.cut("trụ sở ban dân vận trung ương ở đâu", sentence)
    assert cut is not None and cut.text.startswith("105B phố Quán Thánh")


@pytest.mark.parametrize(
    "sentence",
    [
        "Nội dung niêm yết thực hiện theo quy định tại Điều 11 của Luật này.",  # a reference
        "Hương ước được niêm yết theo mẫu tại Phụ lục ban hành kèm theo Nghị định này.",
        "Việc niêm yết hương ước tại thời điểm công nhận do Trưởng thôn thực hiện.",  # a time
        "Hương ước góp phần thực hiện dân chủ ở cơ sở.",  # a fixed name
    ],
)
def test_what_is_no_place(sentence):
    assert where.cut("Hương ước được niêm yết ở đâu?", sentence) is None


def test_a_place_of_something_else_is_no_answer():
    # "tại cụm dân cư" is where a Trưởng thôn presides, not where a hương ước is posted
    sentence = "Trưởng thôn chủ trì cuộc họp tại cụm dân cư và báo cáo kết quả với Ủy ban nhân dân cấp xã."
    assert where.cut("Hương ước được niêm yết ở đâu?", sentence) is None


def test_a_long_list_ends_at_a_comma_and_an_endless_clause_is_none():
    places = ", ".join(f"nhà văn hóa số {i}" for i in range(1, 12))
    cut = where.cut("Hương ước được niêm yết ở đâu?", f"Hương ước được niêm yết tại {places}.")
    assert cut is not None and cut.text.startswith("tại nhà văn hóa số 1, nhà văn hóa số 2")
    assert cut.text.endswith(" …") and "số 11" not in cut.text  # said to be cut short
    run_on = "Hương ước được niêm yết tại " + " ".join(["nhà"] * 40) + "."
    assert where.cut("Hương ước được niêm yết ở đâu?", run_on) is None


def test_a_place_in_a_bodys_name_or_where_something_is_posted_is_no_answer_to_where_it_works():
    """Probes: "Ban TTND xã làm việc ở đâu?" got "ở xã, phường, thị trấn" out of a Ban's name, and
    "Trụ sở UBND xã ở đâu?" where notices are posted "tại trụ sở …, tại nhà văn hóa"."""
    named = (
        "Việc tổ chức cuộc họp để bầu, cho thôi làm thành viên Ban Thanh tra nhân dân ở xã, phường, "
        "thị trấn được thực hiện theo quy định."
    )
    assert where.cut("Ban TTND xã làm việc ở đâu?", named) is None
    posted = "Thông tin được niêm yết tại trụ sở Ủy ban nhân dân cấp xã, tại nhà văn hóa thôn."
    assert where.cut("Trụ sở UBND xã ở đâu?", posted) is None
    assert where.cut("Thông tin được niêm yết ở những nơi nào?", posted) is not None


def test_found_by_a_review():
    """A place in a quoted title is part of the title; "ở đầu thôn" is at the head of the village,
    no question of where; a place ends before a comma and a number."""
    title = (
        "Bổ sung vào đề cương bài giảng “Nâng cao chất lượng thực hiện QCDC ở xã, phường, thị trấn giai "
        "đoạn 2011 - 2018” và giảng dạy nội dung thực hiện QCDC tại Trường Chính trị Nguyễn Văn Linh."
    )
    cut = where.cut("Giảng dạy nội dung thực hiện QCDC ở đâu?", title)
    assert cut is not None and cut.text == "tại Trường Chính trị Nguyễn Văn Linh"
    assert short_answer.kind("Niêm yết ở đầu thôn có được không?") != "where"
    poll = "Theo khảo sát của Trung tâm Nghiên cứu PEW tại Mỹ, 79% người được hỏi trả lời."
    cut = where.cut("Trung tâm Nghiên cứu PEW ở đâu?", poll)
    assert cut is not None and cut.text == "tại Mỹ"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Ban Dân vận ký kế hoạch phối hợp với Ban chỉ huy Quân sự vào thời gian nào?", "date"),
        ("Khảo sát thực trạng giải phóng mặt bằng trong khoảng thời gian nào?", "period"),
        ("Việc rà soát hương ước làm vào dịp nào?", "date"),
    ],
)
def test_when_and_over_what_period(question, kind):
    assert short_answer.kind(question) == kind
