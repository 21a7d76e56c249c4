"""Follow-ups that keep the frame without naming it: "Thế có huyện nào …?", "kế hoạch đó …",
"Vậy ở trung ương thì …?", "Thế ai bầu?" (issue 31, item 3)."""

from __future__ import annotations

import pytest

from bot import wording
from bot.answering import short_answer
from bot.answering.answer import Answer, Source
from bot.answering.asks import understand
from bot.answering.conversation import Conversation
from bot.answering.definitions import asked_term
from ingest.facts import DocumentFacts
from ingest.language.legal import LegalPlace, LegalSource

REPORT = Source(1, "hungyen", "hungyen:0", "Đến nay có 41 xã đạt chuẩn nông thôn mới.", 1.0, DocumentFacts(title="Bài"))
LAW = LegalPlace(LegalSource("Quyết định", "33/2014/QĐ-TTg"), 3, "Mức hỗ trợ")
ARTICLE = Source(1, "phapdien-35-4", "phapdien-35-4:7", "Ủy viên …", 1.0, DocumentFacts(title="Đề mục"), legal=LAW)


def _after(question: str, *sources: Source) -> Conversation:
    c = Conversation()
    c.record(question, Answer(question, True, sources=list(sources)))
    return c


# --- going on from the last answer's documents ---------------------------------------------------


def test_a_follow_up_that_only_goes_on_is_looked_for_in_what_was_quoted():
    c = _after("Hưng Yên có bao nhiêu xã đạt chuẩn nông thôn mới?", REPORT)
    within = c.continued("thế có huyện nào về đích nông thôn mới chưa?")
    assert within is not None and within.documents == ("hungyen",) and not within.pointing
    assert within.question == "Hưng Yên có bao nhiêu xã đạt chuẩn nông thôn mới?"


def test_a_follow_up_that_points_back_is_looked_for_there_first():
    c = _after("Phương châm công tác dân vận của Công an thành phố là gì?", REPORT)
    within = c.continued("kế hoạch đó bắt đầu triển khai từ tháng mấy?")
    assert within is not None and within.pointing
    # typed without accents "do" is as often "by": no pointing, no opener, no frame
    assert c.continued("ke hoach do bat dau trien khai tu thang may?") is None


def test_a_new_question_or_an_answer_without_sources_starts_a_new_frame():
    assert (
        _after("Hưng Yên có bao nhiêu xã đạt chuẩn?", REPORT).continued("Ban Thanh tra nhân dân có mấy người?") is None
    )
    assert _after("Hưng Yên có bao nhiêu xã đạt chuẩn?").continued("Thế có huyện nào đạt chuẩn chưa?") is None


def test_a_legal_passage_stands_for_its_law_not_for_the_page_that_holds_forty():
    within = _after("Ủy viên Ủy ban MTTQ cấp tỉnh được bao nhiêu?", ARTICLE).continued("Thế còn ai chi trả?")
    assert within is not None and within.laws == ("33/2014/QĐ-TTg",) and within.documents == ()


# --- rewritten into a question that stands alone -------------------------------------------------


def test_the_same_question_at_another_level():
    c = _after("Ủy viên Ủy ban MTTQ cấp tỉnh được hỗ trợ sinh hoạt phí bao nhiêu một tháng?")
    assert (
        c.understand("Vậy ở trung ương thì được bao nhiêu?")
        == "Ủy viên Ủy ban MTTQ trung ương được hỗ trợ sinh hoạt phí bao nhiêu một tháng?"
    )
    # a topic of its own is not the previous question at another level
    c = _after("Khi có thiên tai, chậm nhất mấy ngày phải phát động vận động quyên góp ở cấp tỉnh?")
    assert c.understand("Vậy ở cấp huyện thì tiếp nhận tiền cứu trợ trong bao lâu?") is None


def test_a_follow_up_naming_nothing_is_asked_of_the_names_before():
    c = _after("Ban Thanh tra nhân dân ở xã có bao nhiêu thành viên?")
    assert (
        c.understand("Vậy nhiệm kỳ bao lâu?") == "Vậy nhiệm kỳ bao lâu (Ban Thanh tra nhân dân) ở xã, phường, thị trấn?"
    )
    assert c.understand("Thế ai bầu?") == "Thế ai bầu (Ban Thanh tra nhân dân) ở xã, phường, thị trấn?"
    assert c.understand("Vậy dân vận chính quyền là gì?") is None  # a term of its own
    assert c.understand("Thế Trưởng ban công tác Mặt trận được bao nhiêu?") is None  # a name of its own
    assert _after("Hưng Yên đã làm gì?").understand("Vậy kết quả ra sao?") is None  # no name before


@pytest.mark.parametrize(
    ("question", "term"),
    [("Vậy dân vận chính quyền là gì?", "dan van chinh quyen"), ("Thế còn hương ước là gì?", "huong uoc")],
)
def test_a_chat_opener_is_not_part_of_the_term(question, term):
    assert asked_term(question) == term
    assert asked_term("Thể chế là gì?") == "the che"  # "thể" folds like "thế": only the typed opener goes


@pytest.mark.parametrize(
    ("question", "sentence", "month"),
    [
        (
            "Nếu để chậm thì phải tổ chức trong tháng nào?",
            "định kỳ mỗi năm một lần vào tháng 12, nếu chậm thì trong tháng 01 của năm tiếp theo phải tổ chức",
            "tháng 01 của năm tiếp theo",  # the year it falls in is part of the month
        ),
        (
            "kế hoạch bắt đầu triển khai từ tháng mấy?",
            "Tháng 01 năm 2018, Ban Dân vận triển khai Kế hoạch",
            "Tháng 01 năm 2018",
        ),
    ],
)
def test_a_month_asked_is_answered_by_a_month(question, sentence, month):
    assert short_answer.kind(question) == "date"
    cut = short_answer.cut(question, sentence)
    assert cut is not None and cut.text == month


# --- sessions on real documents ----------------------------------------------------------------


@pytest.mark.integration
def test_a_session_goes_on_within_a_report_then_leaves_it_for_the_law(law_service):
    c = Conversation(turns=5)
    law_service.ask("Tính đến 9 tháng đầu năm 2018 Hưng Yên có bao nhiêu xã đạt chuẩn nông thôn mới?", conversation=c)
    second = law_service.ask("thế có huyện nào về đích nông thôn mới chưa?", conversation=c)
    assert wording.FOLLOW_UP_WITHIN in second.notes
    assert second.short_answer is not None and "Mỹ Hào" in second.short_answer
    # a topic of its own after "Vậy": the Law and its decree, not the report quoted last
    third = law_service.ask("Vậy Ban Thanh tra nhân dân ở xã có mấy người?", conversation=c)
    assert wording.FOLLOW_UP_WITHIN not in third.notes
    assert third.sources and all(s.legal is not None for s in third.sources)
    assert third.short_answer is not None and "05" in third.short_answer
    fourth = law_service.ask("Thế ai bầu?", conversation=c)
    assert any("Ban Thanh tra nhân dân" in n for n in fourth.notes)
    assert any("được bầu" in q.text for g in fourth.groups for q in g.quotes)
    # the Law gives the term no length ("theo nhiệm kỳ của Trưởng thôn"): no figure of another thing
    fifth = law_service.ask("Vậy nhiệm kỳ bao lâu?", conversation=c)
    assert fifth.short_answer is None
    assert any("theo nhiệm kỳ của Trưởng thôn" in q.text for g in fifth.groups for q in g.quotes)


@pytest.mark.integration
def test_a_follow_up_in_peoples_words_with_nothing_else_to_look_up(law_service):
    """Seed cadre dev S006: "chừng ấy tháng … bao nhiêu lượt người vào xem?" names nothing but the
    count (it was asked to say more), and its people's words ("vào xem") are the report's
    "lượt người truy cập" (they were not counted within a named document)."""
    c = Conversation(turns=5)
    first = law_service.ask("Trang web của BDV Tỉnh ủy HY bắt đầu chạy từ hồi nào vậy?", conversation=c)
    assert first.short_answer is not None and "12/2017" in first.short_answer
    second = law_service.ask("thế sau chừng ấy tháng được bao nhiêu lượt người vào xem?", conversation=c)
    assert second.short_answer is not None and "61.645" in second.short_answer


@pytest.mark.integration
def test_a_term_is_answered_by_its_own_figure_not_one_written_of_another(law_service):
    answer = law_service.ask("Nhiệm kỳ của Ban Thanh tra nhân dân ở cơ quan, đơn vị là bao lâu?")
    assert answer.short_answer == "02 năm"
    # "thời gian còn lại của nhiệm kỳ là từ 06 tháng", "báo cáo … 06 tháng, năm, nhiệm kỳ": not the term
    assert law_service.ask("Nhiệm kỳ của Ban Thanh tra nhân dân ở xã là bao lâu?").short_answer is None


def test_another_setting_replaces_the_setting_asked_before():
    c = _after("Ban thanh tra nhân dân ở xã có mấy người?")
    assert (
        c.understand("còn ở doanh nghiệp nhà nước thì sao?")
        == "Ban thanh tra nhân dân ở doanh nghiệp nhà nước có mấy người?"
    )
    assert c.understand("còn phường thì sao?") == "Ban thanh tra nhân dân ở phường có mấy người?"  # the same setting


def test_where_a_question_asks_is_its_setting_not_its_subject():
    asks = understand("Ở cơ quan nhà nước thì Ban Thanh tra nhân dân có bao nhiêu thành viên?")
    assert asks.subject == ("Ban Thanh tra nhân dân",) and asks.scope is not None and asks.scope.key == "co_quan"


def test_a_figure_is_the_one_its_clause_says_it_of():
    question = "Ban Thanh tra nhân dân cấp xã được hỗ trợ kinh phí hoạt động tối thiểu bao nhiêu một năm?"
    said = (
        "Hội đồng nhân dân quyết định mức kinh phí hỗ trợ hoạt động của Ban Thanh tra nhân dân cấp xã, "
        "mức tối thiểu 5 triệu đồng/Ban/năm."
    )
    cut = short_answer.cut(question, said)
    assert cut is not None and cut.text == "tối thiểu 5 triệu đồng/Ban/năm"
    # another clause's figure is not what the question's words are said of
    other = "Kinh phí hỗ trợ hoạt động được bảo đảm từ ngân sách; Ban có ít nhất 5 thành viên."
    assert short_answer.cut(question, other) is None


def test_a_clause_that_opens_with_a_verb_names_no_one():
    # "Thế ai bầu?" over a list of a body's tasks: "Ban hành …" is to issue, "Việc …" the holding of
    assert (
        short_answer.cut("Thế ai bầu?", "a) Ban hành quyết định tổ chức bầu Trưởng thôn, Tổ trưởng tổ dân phố") is None
    )
    assert short_answer.cut("Ai tổ chức?", "Việc tổ chức cuộc họp của cộng đồng dân cư để bầu thành viên") is None
    said = "Thành viên Ban Thanh tra nhân dân do hội nghị cán bộ, công chức, viên chức, người lao động bầu."
    cut = short_answer.cut("Ai bầu thành viên Ban Thanh tra nhân dân ở cơ quan?", said)
    assert cut is not None and cut.text == "hội nghị cán bộ, công chức, viên chức, người lao động"


def test_how_often_in_a_month_is_no_month_asked():
    assert short_answer.kind("Ban Thanh tra nhân dân họp một tháng mấy lần?") != "date"
    assert short_answer.kind("Luật ban hành năm mấy?") == "date"


def test_a_noun_and_do_takes_what_the_question_before_asked_of_by_that_noun():
    """ "Ngày đó còn gọi là ngày gì nữa?" after "Ngày truyền thống của … là ngày nào?" (people's dev set
    P078), up to the asking word as typed in lower case ("Việt Nam" is no "năm"); a date is no name."""
    from bot.answering.conversation import _name_in

    previous = "Ngày truyền thống của Mặt trận Tổ quốc Việt Nam là ngày nào?"
    assert _name_in(previous, "ngay") == "Ngày truyền thống của Mặt trận Tổ quốc Việt Nam"
    assert _name_in("Ngày 18 tháng 11 là ngày gì?", "ngay") is None
    assert _name_in("Thôn họp vào ngày nào?", "ngay") is None  # the noun not named by the question
