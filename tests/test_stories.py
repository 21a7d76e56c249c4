"""Questions told as a story: "Trưởng thôn bên em xin nghỉ … Vậy trong bao lâu …?". The sentence
that asks says what the question is about; the story around it is the asker's situation, which
the rule shares only in part. Precision first: a story opens no door to another rule."""

from __future__ import annotations

import pytest

from bot.answering import short_answer
from bot.answering.asks import understand
from bot.answering.question import Question

STORY = "Trưởng thôn bên em xin nghỉ, UBND xã đã có QĐ công nhận cho thôi rồi. Vậy trong vòng bao lâu xã phải tổ chức bầu trưởng thôn mới ạ?"


def test_the_sentence_that_asks_is_the_focus_of_a_story():
    asks = understand(STORY)
    assert asks.focus == ("xã", "tổ chức bầu trưởng thôn")
    assert "QĐ công nhận" in asks.subject  # the whole story is still the subject first read
    assert understand("Ban thanh tra nhân dân ở xã có mấy người?").focus == ()


def test_the_asking_sentence_is_the_one_with_the_asking_word_not_the_last():
    asks = understand("Nhiệm kỳ của Ban thanh tra nhân dân ở xã là mấy năm ạ? Em nghe nói là 2 năm, đúng không?")
    assert asks.focus == ("Ban thanh tra nhân dân",)


def test_an_aside_in_brackets_is_no_focus():
    asks = understand("Xã ra quyết định mới (mà luật chuyên ngành không nói gì) thì trong bao lâu xã phải công khai?")
    assert "luật chuyên ngành" not in " ".join(asks.focus) and "công khai" in asks.focus


def test_a_sentence_ends_only_at_a_mark_and_a_space():
    # "3.000.000 đồng" and "TP.HCM" are no sentence ends
    asks = understand("Trưởng thôn xin nghỉ rồi. Quỹ thôn còn 3.000.000 đồng thì trong bao lâu xã phải bầu?")
    assert "quỹ thôn" in asks.focus  # opening a sentence, its capital names nothing
    assert "TP HCM" in understand("Ở TP.HCM thì Ban thanh tra có mấy người?").subject


def test_no_run_of_the_subject_crosses_a_sentence():
    # "tiền quỹ. Cuộc họp" made one run, named by the capital that only opens a sentence
    asks = understand(
        "Dân xóm muốn bãi trưởng xóm vì khuất tất tiền quỹ. Cuộc họp cho thôi làm trưởng xóm thì ai chủ trì?"
    )
    assert not any("quỹ Cuộc" in run or "quỹ cuộc" in run for run in asks.subject)
    assert "cuộc họp" in asks.subject  # no name: it only opens a sentence
    assert not any(run.startswith("Vậy") for run in understand(STORY).subject)  # an asking word, capital or not


def test_what_a_who_question_asks_the_doer_of():
    assert understand("Cuộc họp cho thôi làm trưởng thôn thì ai chủ trì?").role == ("chủ trì",)
    assert understand("Quyết định này do ai ký?").role == ("ký",)
    assert understand("Cơ quan nào ban hành quy chế?").role == ("ban hành quy chế",)
    assert understand("Nhiệm kỳ mấy năm?").role == ()
    # the "ai" that asks, not one of the story's ("không ai muốn làm")
    assert understand("Thôn em không ai muốn làm trưởng thôn. Vậy ai chủ trì cuộc họp bầu?").role == (
        "chủ trì cuộc họp bầu",
    )
    # "với ai": the one the verb before it is done with, or the doer of what follows
    assert understand("Chủ tịch UBND xã phải bàn với ai trước khi đưa việc ra cho dân?").role == ("đưa", "bàn")


def test_within_and_at_the_latest_are_the_asking_not_the_subject():
    assert "vòng" not in " ".join(understand("trong vòng bao lâu xã phải tổ chức bầu?").subject)
    asks = understand("Bên em phải gửi báo cáo cho đoàn chậm nhất trước ngày làm việc mấy ngày?")
    assert not any("chậm" in run for run in asks.subject)
    assert "Sắp xếp thôn" in understand("Sắp xếp thôn thì cần bao nhiêu hộ?").subject  # a word, not "soon"


def test_a_count_is_asked_by_the_last_asking_word_of_a_story():
    # "biểu quyết mấy việc lặt vặt": "mấy" for "a few", before the question's "bao nhiêu"
    sentence = (
        "Việc tổ chức biểu quyết trực tuyến được thực hiện khi có trên 50% tổng số đại diện hộ gia đình "
        "trong thôn, tổ dân phố lựa chọn đồng ý bằng hình thức biểu quyết trực tuyến."
    )
    question = "Tổ dân phố muốn biểu quyết mấy việc qua zalo cho nhanh. Phải có bao nhiêu đại diện hộ đồng ý biểu quyết trực tuyến?"
    cut = short_answer.cut(question, sentence)
    assert cut is not None and cut.text == "trên 50% tổng số đại diện hộ gia đình"  # the whole named to its end


def test_a_remark_after_the_question_asks_nothing():
    sentence = (
        "Việc tổ chức biểu quyết trực tuyến được thực hiện khi có trên 50% tổng số đại diện hộ gia đình trong thôn."
    )
    question = "Phải có bao nhiêu đại diện hộ đồng ý thì mới biểu quyết trực tuyến được? Em hỏi mấy người rồi mà không ai biết."
    cut = short_answer.cut(question, sentence)
    assert cut is not None and cut.text.startswith("trên 50%")


def test_chat_spellings_of_how_many():
    assert "bao nhiêu" in Question.parse("BTTND gồm bnhiu thành viên?", 2000).text


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Ông trưởng thôn chỗ em vừa xin thôi việc, xã đã có quyết định cho thôi rồi. "
            "Vậy bao lâu thì xã phải tổ chức bầu trưởng thôn mới?",
            "60 ngày",
        ),
        # "tính từ lúc công khai nội dung" is when the period starts; what is asked is how long "lấy ý kiến" runs
        (
            "Xã em đang lấy ý kiến bà con về dự thảo quy chế dân chủ của xã. "
            "Lấy ý kiến nhân dân ít nhất bao lâu tính từ lúc công khai nội dung?",
            "20 ngày",
        ),
        # Nghị định 59/2023 sets the days for "các nội dung thuộc khoản 1, 2, 3 Điều 15 của Luật Thực hiện dân
        # chủ ở cơ sở": road contributions are Điều 15 khoản 1, which the decree's sentence never writes
        (
            "Xóm em sắp họp bàn việc mỗi hộ góp tiền đổ bê tông đường ngõ. "
            "Tài liệu họp phải gửi tới từng nhà trước buổi họp ít nhất mấy ngày?",
            "02 ngày",
        ),
    ],
)
def test_a_story_is_answered_by_the_rule_its_question_asks(law_service, question, expected):
    assert expected in (law_service.ask(question).short_answer or "")


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    [
        # the library states no term for a Trưởng thôn: the story does not make one
        "Thôn em sắp bầu lại trưởng thôn mà không ai nhớ. Vậy nhiệm kỳ của trưởng thôn là mấy năm?",
        # a story the rule shares nothing of
        "Công ty em sản xuất gạch men xuất khẩu sang châu Âu, lương tháng 7 triệu. Vậy trong bao lâu thì phải bầu?",
    ],
)
def test_a_story_opens_no_door_to_another_rule(law_service, question):
    assert not law_service.ask(question).first_lines


@pytest.mark.integration
def test_who_is_answered_only_by_a_sentence_saying_what_they_do(law_service):
    # "Trường hợp cuộc họp không thống nhất được việc cho thôi làm Trưởng thôn … thì Ủy ban nhân dân
    # cấp xã xem xét": its paragraph says "chủ trì", the sentence does not
    answer = law_service.ask(
        "Dân thôn em muốn bãi ông trưởng thôn vì làm ăn tắc trách. Cuộc họp để cho thôi làm trưởng thôn thì ai chủ trì?"
    )
    assert answer.short is None or "Mặt trận" in answer.short.text


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "wrong"),
    [
        # the period counted from a recognition ("kể từ ngày … quyết định công nhận cho thôi làm …")
        # times the new vote, not the recognition the story's question asks
        ("Thôn em vừa họp bầu trưởng thôn xong. Vậy trong bao lâu xã phải công nhận?", "60 ngày"),
        # who convenes an ordinary meeting, or one to dismiss, is not who chairs the vote
        ("Thôn em chuẩn bị bầu trưởng thôn mới. Vậy ai chủ trì cuộc họp?", "Trưởng thôn, Tổ trưởng"),
    ],
)
def test_a_story_s_short_question_is_not_answered_by_a_neighbouring_rule(law_service, question, wrong):
    assert wrong not in (law_service.ask(question).short_answer or "")
