"""'… NQ nào?', 'theo thông tư nào?', 'có văn bản nào …?': answered by a document the sentence
cites, of the type asked, never the one the question names itself."""

from __future__ import annotations

import pytest

from bot.answering import short_answer, which_document

PLAN = (
    "Kế hoạch số 88-KH/TU ngày 05/3/2018 của Ban Chấp hành Đảng bộ tỉnh thực hiện Nghị quyết số "
    "18-NQ/TW của Ban Chấp hành Trung ương và Quyết định số 819-QĐ/TU của Ban Thường vụ Tỉnh ủy."
)


@pytest.mark.parametrize(
    "question",
    [
        "KH 88-KH/TU là để triển khai NQ nào của TW?",
        "Có văn bản nào quy định việc đối thoại trực tiếp không?",
        "Chi họp áp dụng theo thông tư nào?",
        "chi hop hanh ap dung theo thong tu nao",
        "Kế hoạch số nào được ký năm 2018?",
    ],
)
def test_which_document_questions(question):
    assert short_answer.kind(question) == "document"


@pytest.mark.parametrize("question", ["Ban nào giám sát?", "Cơ quan nào ban hành văn bản này?"])
def test_other_which_questions_stay(question):
    assert short_answer.kind(question) != "document"


def test_the_type_asked_and_not_the_document_named():
    cut = which_document.cut("Kế hoạch 88-KH/TU triển khai nghị quyết nào của Trung ương?", PLAN)
    assert cut is not None and cut.text == "Nghị quyết số 18-NQ/TW"
    cut = which_document.cut("Kế hoạch 88-KH/TU triển khai quyết định nào của Ban Thường vụ?", PLAN)
    assert cut is not None and cut.text == "Quyết định số 819-QĐ/TU"


def test_any_type_for_van_ban_nao_nearest_the_question_words():
    cut = which_document.cut("Văn bản nào của Ban Thường vụ Tỉnh ủy?", PLAN)
    assert cut is not None and cut.text == "Quyết định số 819-QĐ/TU"


def test_no_document_of_the_type_or_no_number_is_no_answer():
    assert which_document.cut("Kế hoạch 88-KH/TU triển khai chỉ thị nào?", PLAN) is None
    assert which_document.cut("Thực hiện nghị quyết nào?", "Thực hiện Nghị quyết 25 của Trung ương.") is None
    # the only one cited is the one the question names
    assert which_document.cut("Tỉnh ủy ra kế hoạch nào?", "Kế hoạch số 88-KH/TU ngày 05/3/2018.") is not None
    assert which_document.cut("KH 88-KH/TU là kế hoạch nào?", "Kế hoạch số 88-KH/TU ngày 05/3/2018.") is None


def test_a_decision_issuing_the_type_asked():
    sentence = (
        "Quyết định số 184-QĐ/TU ngày 25/02/2016 của BTV Tỉnh ủy về Quy định trách nhiệm của cấp ủy "
        "trong việc tiếp thu góp ý của Nhân dân."
    )
    cut = which_document.cut("Tỉnh ra quy định nào về việc tiếp thu góp ý của Nhân dân?", sentence)
    assert cut is not None and cut.text == "Quyết định số 184-QĐ/TU"
    assert which_document.cut("Tỉnh có ra chỉ thị nào về việc tiếp thu góp ý?", sentence) is None


@pytest.mark.parametrize(
    "question",
    [
        "Luật có quy định về việc tiếp thu ý kiến của Nhân dân không?",  # what the law says
        "Hội nghị có quyết định việc này không?",
    ],
)
def test_a_law_saying_is_no_document_asked(question):
    assert short_answer.kind(question) != "document"


def test_the_document_the_question_describes_and_none_when_nothing_says_which():
    """Found by a review: of two resolutions in one sentence the first was taken whatever the
    question said of it; a number the question gives must be the document's; "Thông tư nào quy
    định?" says nothing of which."""
    sentence = (
        "Tỉnh ủy ban hành Kế hoạch thực hiện Nghị quyết số 18-NQ/TW về tinh gọn bộ máy và Nghị quyết số "
        "26-NQ/TW ngày 19/5/2018 Hội nghị lần thứ bảy về xây dựng đội ngũ cán bộ cấp chiến lược."
    )
    cut = which_document.cut("Kế hoạch thực hiện nghị quyết nào về đội ngũ cán bộ cấp chiến lược?", sentence)
    assert cut is not None and cut.text == "Nghị quyết số 26-NQ/TW"
    assert which_document.cut("Hội nghị Trung ương 4 ban hành nghị quyết nào?", sentence) is None
    assert which_document.cut("Thông tư nào quy định?", "Mức chi theo Thông tư số 40/2017/TT-BTC.") is None
