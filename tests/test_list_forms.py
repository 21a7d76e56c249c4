"""Lists asked by their form, not their words (issue 31): "những <noun> nào / gì" names the list
whatever the noun, an article's lead-in names it where its title does not, and a count is
claimed only where the article's clauses are the items."""

from __future__ import annotations

import pytest

from bot.answering import lists
from bot.answering.bodies import _whole_name
from bot.answering.question import Question
from bot.answering.short_answer import Cut
from bot.render.text import answer_text
from tests.test_whole_lists import article, ask, quoted_items

NESTED = [
    "1. Hương ước bị tạm ngừng thực hiện trong các trường hợp sau:",
    "a) Không tuân thủ trình tự, thủ tục soạn thảo;",
    "b) Không phù hợp với mục đích, nguyên tắc xây dựng;",
    "c) Gây thiệt hại nghiêm trọng đến uy tín của cộng đồng dân cư.",
    "2. Trong thời hạn 03 ngày làm việc, Ủy ban nhân dân cấp xã có trách nhiệm sau:",
    "a) Xem xét phản ánh;",
    "b) Ban hành quyết định tạm ngừng.",
]


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("qui ước thôn bị tạm ngưng thực hiện trong những trường hợp nào", "trường hợp"),
        ("Thôn muốn biểu quyết qua mạng thì cần những điều kiện gì?", "điều kiện"),
        ("Tổ bầu cử gồm các thành phần nào", "thành phần"),
        ("Xã phải công khai những việc gì?", "nội dung"),  # a list word still wins
        # "nào" closes a noun phrase however long; "gì" may close a verb's ("phải làm gì")
        ("Ban Dân vận hướng dẫn những mảng công tác dân vận nào?", "mảng công tác dân vận"),
        ("Các cấp ủy phải làm gì?", None),
        ("Các văn bản do cơ quan nào ban hành?", None),  # "do": "cơ quan nào" asks one body
        ("Hội nghị thôn họp mấy lần một năm?", None),
        ("Ai chủ trì hội nghị thôn?", None),
    ],
)
def test_a_plural_with_its_noun_names_the_list(question, label):
    assert lists.asked_label(question) == label


def test_a_label_is_named_in_whole_words_only():
    assert lists.title_names("hành vi", "Các hành vi bị nghiêm cấm")
    assert not lists.title_names("hành vi", "Trách nhiệm thi hành việc công khai")  # "thi hành việc"


def test_plural_is_many_of_something():
    assert lists.plural("Các tổ chức nào là thành viên của Mặt trận?")
    assert not lists.plural("Cơ quan nào có trách nhiệm tổ chức thực hiện?")


def test_clauses_that_open_lists_of_their_own_are_not_counted():
    """Found: "tạm ngừng … những trường hợp nào" was told "6 trường hợp": the points of both
    clauses, of which only the first clause's are cases."""
    passages = article([NESTED], title="Tạm ngừng thực hiện hương ước, quy ước", number=12)
    assert lists.quoted_count(NESTED, lists.Article(passages, True)) == (None, None)
    answer = ask(passages, 0, "hương ước bị tạm ngừng thực hiện trong những trường hợp nào?")
    text = answer_text(answer)
    assert "Không tuân thủ trình tự" in text and "Gây thiệt hại nghiêm trọng" in text  # the list, whole
    assert "Tài liệu nêu" not in text and "Trích" not in text  # and no count of it


def test_which_body_is_no_list_of_its_responsibilities():
    """ "Cơ quan nào có trách nhiệm …" asks for one body: no article is quoted whole for "trách nhiệm"."""
    items = [f"{n}. Cơ quan thứ {n} có trách nhiệm tổ chức thực hiện ở xã số {n}." for n in (1, 2, 3)]
    passages = article([items], title="Trách nhiệm của cơ quan tổ chức thực hiện", number=86)
    answer = ask(passages, 0, "Cơ quan nào có trách nhiệm tổ chức thực hiện ở xã?")
    assert quoted_items(answer) != [1, 2, 3]


def test_a_name_with_a_comma_is_whole_from_the_noun_asked_by():
    sentence = "Bộ Văn hóa, Thể thao và Du lịch là cơ quan chịu trách nhiệm trước Chính phủ về hương ước:"
    cut = _whole_name("bo", sentence, Cut("Thể thao và Du lịch là cơ quan"))
    assert cut.text == "Bộ Văn hóa, Thể thao và Du lịch"
    assert _whole_name("bo", "Xã ban hành. Thể thao và Du lịch là cơ quan", Cut("Thể thao và Du lịch")).text == (
        "Thể thao và Du lịch"
    )


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Người lao động đc tham gia ý kiến những nội dung j?", "Người lao động được tham gia ý kiến những nội dung gì?"),
        ("hội nghị thôn họp ntn, ko có ai thì sao", "hội nghị thôn họp như thế nào, không có ai thì sao"),
        ("điểm k khoản 1 Điều 5", "điểm k khoản 1 Điều 5"),  # a legal point, not "không"
        ("Chỉ thị 30-CT/TW, NĐ 59", "Chỉ thị 30-CT/TW, NĐ 59"),
        ("DC và KO", "DC và KO"),  # capitals: an abbreviation, not chat
    ],
)
def test_chat_shorthand_is_read_as_its_words(typed, read):
    assert Question.parse(typed, 2000).text == read


def test_real_law_list_named_by_its_lead_in(law_service):
    answer = law_service.ask("UBND xã muốn hỏi ý kiến bà con thì có thể dùng những hình thức nào?")
    group = answer.groups[0]
    assert group.source.legal is not None and group.source.legal.article == 26
    text = answer_text(answer)
    assert all(w in text for w in ("Hội nghị trao đổi, đối thoại", "Phát phiếu lấy ý kiến", "đường dây nóng"))


def test_a_sentence_listing_its_items_inline_is_quoted_whole_for_a_list():
    """Found (public cadre C011): the items of a long report sentence are its ";"-clauses with no
    colon before them; a list question was quoted only the first clause, the lead."""
    from bot.answering.quotable import quotable_spans

    sentence = (
        "Quán triệt Nghị quyết, Ban Dân vận đã hướng dẫn các chi, đảng bộ trực thuộc, MTTQ và các đoàn thể "
        "chính trị - xã hội thực hiện công tác dân vận theo quan điểm của Đảng và Nhà nước, tư tưởng dân vận "
        "của Chủ tịch Hồ Chí Minh, thực hiện quy chế dân chủ ở cơ sở; quy chế công tác dân vận của hệ thống "
        "chính trị; công tác dân vận chính quyền; công tác tôn giáo; công tác dân vận tham gia xây dựng nông "
        "thôn mới và đô thị văn minh."
    )
    whole = quotable_spans(sentence, listing=True)
    assert [(s.start, s.end) for s in whole] == [(0, len(sentence))]
    assert len(quotable_spans(sentence)) == 5  # any other question: clause by clause
