"""The parts an answer is made of, without an index: the short answer, whole lists,
small talk and English, one-letter typos, a conversation's follow-ups."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.answering import counts, intents, lists, short_answer
from bot.answering.answer import Answer, Quotation, QuoteGroup, Source
from bot.answering.conversation import Conversation
from bot.answering.spelling import Speller
from ingest.facts import DocumentFacts
from ingest.language.tokens import lexical_tokens

SENTENCE = (
    "có thêm 8 xã được công nhận đạt chuẩn nông thôn mới, nâng tổng số xã đạt chuẩn nông thôn mới là 95 xã "
    "(đạt 65,5%), huyện Mỹ Hào đạt chuẩn nông thôn mới; thu ngân sách đạt 8.331 tỷ đồng, xuất khẩu đạt 3,1 tỷ USD."
)


def cut(question: str, sentence: str = SENTENCE) -> str | None:
    found = short_answer.cut(question, sentence)
    return found.text if found else None


def test_short_answer_is_the_figure_the_question_asks_for_with_its_unit():
    assert cut("Tổng số xã đạt chuẩn nông thôn mới là bao nhiêu?") == "95 xã"
    assert cut("Có thêm mấy xã được công nhận?") == "8 xã"
    # the words before "mấy" stand before the number: "thêm 8 xã", not the "95 xã" the rest is about
    assert cut("Có thêm mấy xã được công nhận đạt chuẩn nông thôn mới?") == "8 xã"
    assert cut("Thu ngân sách đạt bao nhiêu?") == "8.331 tỷ đồng"
    assert cut("Xuất khẩu đạt bao nhiêu?") == "3,1 tỷ USD"
    assert cut("Huyện nào đạt chuẩn nông thôn mới?") == "huyện Mỹ Hào"
    # a bound is part of the figure: a floor is not a count
    assert cut("Ban có mấy người?", "Ban có không ít hơn 05 thành viên.") == "không ít hơn 05 thành viên"
    # a unit no number of the sentence has: no short answer rather than another figure
    assert cut("Ban có bao nhiêu thành viên?") is None


def test_a_figure_keeps_its_whole_unit_and_open_bound_and_a_month_its_year():
    cluster = "Trường hợp thôn có từ 200 hộ gia đình trở lên thì có thể tổ chức các cuộc họp theo từng cụm dân cư."
    assert cut("Thôn có từ bao nhiêu hộ trở lên thì họp theo cụm?", cluster) == "từ 200 hộ gia đình trở lên"
    late = "Hội nghị tổ chức vào tháng 12 hằng năm, nếu chậm thì trong tháng 01 của năm tiếp theo phải tổ chức."
    assert cut("Nếu chậm thì tới tháng mấy phải tổ chức?", late) == "tháng 01 của năm tiếp theo"


def test_who_acts_in_the_passive_and_a_time_limit_with_its_bound():
    passive = "Ban Giám sát đầu tư của cộng đồng được Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã quyết định thành lập."
    assert (
        cut("Cơ quan nào quyết định thành lập Ban Giám sát đầu tư?", passive)
        == "Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã"
    )
    late = "Gửi dự thảo văn bản đến Mặt trận Tổ quốc Việt Nam chậm nhất là 15 ngày trước khi trình."
    assert (
        cut("Phải gửi dự thảo chậm nhất bao nhiêu ngày trước khi trình?", late)
        == "chậm nhất là 15 ngày trước khi trình"
    )


def test_a_range_is_cut_whole_and_a_figure_no_one_may_have_is_no_answer():
    grade = "Hoàn thành tốt: Là những cơ quan đạt từ 85 điểm đến dưới 95 điểm; đồng thời, không có tiêu chí nào chấm 0 điểm."
    assert cut("Hoàn thành tốt thì bao nhiêu điểm?", grade) == "từ 85 điểm đến dưới 95 điểm"
    assert cut("Tiêu chí chấm bao nhiêu điểm?", "Không có tiêu chí nào trong thang điểm chấm 0 điểm.") is None


def test_how_often_said_as_a_period():
    dialogue = "Định kỳ 06 tháng tổ chức đối thoại trực tiếp với phạm nhân, trại viên, học sinh."
    assert cut("Phải tổ chức đối thoại với học sinh bao lâu một lần?", dialogue) == "Định kỳ 06 tháng"
    yearly = "Hội nghị được tổ chức định kỳ mỗi năm một lần vào thời gian cuối năm."
    assert cut("Hội nghị tổ chức bao lâu một lần?", yearly) == "mỗi năm một lần"
    # how many times in a period asks how often too (it was read as a count of "lần", no unit)
    assert cut("Hội nghị tổ chức mấy lần một năm?", yearly) == "mỗi năm một lần"
    assert cut("Một năm tổ chức hội nghị bao nhiêu lần?", yearly) == "mỗi năm một lần"
    assert short_answer.kind("Họp mấy lần?") == "number"  # no period: a count of times
    # the times asked, with their bound, where the period opens the sentence
    dialogue = "Hằng năm, Ủy ban nhân dân cấp xã tổ chức ít nhất một lần hội nghị đối thoại với Nhân dân."
    assert cut("UBND xa to chuc doi thoai voi dan may lan 1 nam", dialogue) == "ít nhất một lần"
    assert cut("UBND xã tổ chức đối thoại bao lâu một lần?", dialogue) == "Hằng năm"
    # the period and the times asked however far apart
    asked = "Hằng năm UBND xã phải phối hợp MTTQ tổ chức hội nghị đối thoại với dân ít nhất mấy lần?"
    assert cut(asked, dialogue) == "ít nhất một lần"


def test_who_does_it_is_not_the_agent_of_a_remark_in_brackets():
    sentence = "b) Tổ bầu cử (do Chủ tịch Ủy ban nhân dân cấp xã quyết định thành lập) triệu tập cuộc họp"
    assert cut("Cuộc họp do ai triệu tập?", sentence) == "Tổ bầu cử"
    assert cut("Hội nghị do ai chủ trì?", "Hội nghị do người đứng đầu cơ quan chủ trì.") == "người đứng đầu cơ quan"
    # a bracket after the "do" is the agent's own remark, not a remark the "do" is in
    assert cut(
        "Hội nghị do ai chủ trì?", "Hội nghị (sau đây gọi là hội nghị) do Giám đốc (Tổng giám đốc) chủ trì."
    ) != ("Hội nghị")


def test_a_share_answers_a_count_only_as_a_share_of_the_whole_counted():
    quorum = "Hội nghị hợp lệ khi có ít nhất là hai phần ba tổng số cán bộ, công chức, người lao động của cơ quan."
    assert cut("Cần bao nhiêu người dự?", quorum) == "ít nhất là hai phần ba tổng số cán bộ, công chức, người lao động"
    vote = "được thông qua khi có trên 50% tổng số đại diện hộ gia đình trong cộng đồng dân cư tán thành"
    assert cut("Cần bao nhiêu hộ đồng ý?", vote) == "trên 50% tổng số đại diện hộ gia đình"
    assert cut("Cần bao nhiêu người đồng ý?", vote) is None  # a share of households is no count of people
    assert cut("Cần bao nhiêu xã?", "đạt 65,5%.") is None  # a share of nothing named is no count
    assert cut("Cần bao nhiêu phần trăm hộ đồng ý?", vote) == "trên 50%"
    assert cut("Cần bao nhiêu phần trăm người dự?", quorum) is None  # a fraction is not the percent asked


def test_short_answer_dates_periods_and_bodies_are_verbatim():
    law = "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2023; Pháp lệnh ngày 20 tháng 4 năm 2007 hết hiệu lực."
    assert cut("Luật có hiệu lực từ ngày nào?", law) == "từ ngày 01 tháng 7 năm 2023"
    assert cut("Giai đoạn nào?", "giải phóng mặt bằng giai đoạn 2015 - 2017.") == "giai đoạn 2015 - 2017"
    # a cited document's issue date is not when something comes into force, but is when it was issued
    replaced = "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 20 tháng 4 năm 2007 hết hiệu lực kể từ ngày Luật này có hiệu lực."
    assert cut("Luật có hiệu lực từ ngày nào?", replaced) is None
    assert cut("Pháp lệnh 34 ban hành ngày nào?", replaced) == "ngày 20 tháng 4 năm 2007"
    both = "Phối hợp với Trường Chính trị Nguyễn Văn Linh; Sở Nội vụ xây dựng 02 tập đề cương bài giảng."
    assert cut("Phối hợp với cơ quan nào xây dựng đề cương?", both) == "Trường Chính trị Nguyễn Văn Linh; Sở Nội vụ"
    assert cut("Ai là Chủ tịch nước?", "theo tư tưởng dân vận của Chủ tịch Hồ Chí Minh.") is None  # no body named


def test_yes_no_questions_get_a_verdict_and_its_condition():
    found = short_answer.cut("Cán bộ có được cản trở Nhân dân không?", "Nghiêm cấm cản trở Nhân dân thực hiện dân chủ.")
    assert found is not None and found.verdict == "Không" and "cản trở" in found.text
    assert short_answer.kind("Những nhiệm vụ, giải pháp thời gian tới?") is None  # a list, not one line
    # a spoken question's particles after its "không" make it a yes-no
    assert short_answer.kind("Người đến nơi tiếp công dân có được mang theo chất dễ cháy không ạ?") == "yesno"
    assert short_answer.kind("Cán bộ có được yêu cầu thêm giấy tờ không vậy?") == "yesno"
    # "không" read neither as "không được" nor as a ban: a prohibition's item, a condition's, a noun's
    # ("không chuyên trách"), a bound; a story's verdict is not given on such a sentence (`subject.decides`)
    for said in (
        "Không mang vũ khí, chất nổ, chất dễ cháy đến nơi tiếp công dân.",
        "b) Không tuân thủ quy định về trình tự, thủ tục thông qua văn bản của cộng đồng dân cư.",
        "người hoạt động không chuyên trách ở cấp xã",
        "Số lượng Phó Trưởng ban không quá 02 người.",
    ):
        assert short_answer.unread_negation(said)
    assert not short_answer.unread_negation("Không được lợi dụng nhiệm vụ, quyền hạn để lôi kéo Nhân dân.")


@given(st.text(max_size=200), st.text(max_size=300))
def test_a_short_answer_is_always_a_span_of_the_sentence(question, sentence):
    found = short_answer.cut(question, sentence)
    assert found is None or found.text in sentence


def test_list_label_and_the_words_that_are_not_lists():
    assert lists.asked_label("Nhiệm vụ, giải pháp thời gian tới?") == "Nhiệm vụ, giải pháp"
    assert lists.asked_label("Nội dung hoạt động của MTTQ và các đoàn thể có hạn chế gì?") == "hạn chế"
    assert lists.asked_label("Công tác dân vận chính quyền") is None  # "chính quyền" is not "quyền"
    assert lists.asked_label("Nghị quyết 25 về nội dung gì?") is None


def test_a_list_is_found_whole_across_passages_and_in_one_paragraph():
    facts = DocumentFacts(title="Bài")
    from ingest.models import Passage

    chunks = [
        Passage(
            "d:0", "d", 0, "Mở đầu.\n\nThời gian tới cần tập trung các nhiệm vụ, giải pháp sau:\n\n(1) Một.", 1, facts
        ),
        Passage("d:1", "d", 1, "(2) Hai.\n\n(3) Ba.\n\nKết luận chung.", 1, facts),
        Passage(
            "e:0", "e", 0, "Còn những hạn chế như: việc A còn hình thức. Việc B chưa kịp thời; việc C chậm.", 1, facts
        ),
    ]
    of = lambda doc: [c for c in chunks if c.doc_id == doc]  # noqa: E731
    found = lists.find_list("Nhiệm vụ, giải pháp thời gian tới?", ["d"], of, lambda t: 1.0)
    assert found is not None and [i.text for i in found.items] == ["(1) Một.", "(2) Hai.", "(3) Ba."]
    assert [i.passage.chunk_id for i in found.items] == ["d:0", "d:1", "d:1"]
    inline = lists.find_list("Những hạn chế?", ["e"], of, lambda t: 1.0)
    assert inline is not None and [i.text for i in inline.items] == [
        "việc A còn hình thức.",
        "Việc B chưa kịp thời;",
        "việc C chậm.",
    ]


def test_small_talk_library_and_english():
    assert intents.small_talk("Cảm ơn bạn nhiều nhé!") == "thanks"
    assert intents.small_talk("xin chào") == "greeting"
    assert intents.small_talk("Tạm biệt") == "goodbye"
    assert intents.small_talk("Cảm ơn, cho hỏi KL120 yêu cầu gì?") is None
    # thanks or goodbye going on with a remark, not a question
    assert intents.small_talk("cam on ban nhe, giai thich de hieu lam") == "thanks"
    assert intents.small_talk("ok, tạm biệt nhé, mai mình hỏi tiếp") == "goodbye"
    for asking in (
        "Cảm ơn, cho hỏi thêm về Ban thanh tra",
        "cảm ơn, vậy ở xã có mấy người",
        "thanks, what about article 13",
        "cảm ơn, cho biết nhiệm kỳ của ban",  # a request
        "cam on, liet ke giup cac hinh thuc",
        "ok cảm ơn, nhiệm kỳ ban thanh tra nhân dân",  # a topic of the domain, asked
        "thanks, list the forms",
    ):
        assert intents.small_talk(asking) is None
    assert intents.small_talk("Cảm ơn. " + "Ban Thanh tra nhân dân " * 4) is None  # too long for a remark
    assert intents.asks_library("Bạn trả lời được gì?") and intents.asks_library("Kho có những tài liệu nào?")
    assert not intents.asks_library("Tài liệu về nông thôn mới")
    assert intents.english("How many members does the people's inspection board have?") == (
        "bao nhiêu thành viên Ban Thanh tra nhân dân?"
    )
    assert intents.english("Ban thanh tra nhân dân có mấy người?") is None
    assert intents.english("QCDC") is None


def test_one_letter_typos_against_the_vocabulary():
    vocab = {t: i for i, t in enumerate(lexical_tokens("nông thôn mới thông tin bao nhiêu xã nhiều như Hưng Yên"))}
    speller = Speller(vocab, lambda t: 1.0)
    assert speller.correct("nông thông mới hưng yên bao nhiu xã") == "nông thôn mới hưng yên bao nhiêu xã"
    assert speller.correct("nông thôn mới bao nhiêu xã") is None
    assert speller.correct("KL120 QCDC") is None  # numbers and abbreviations are never touched
    # a question's own words are no typos, though this library never writes them ("phát", "phòng" are near)
    vocab |= {t: len(vocab) + i for i, t in enumerate(lexical_tokens("phát động phòng giáo dục"))}
    assert Speller(vocab, lambda t: 1.0).correct("Có phải Hưng Yên có nông thôn mới không?") is None


def _answer(question: str, quotes: list[str], listed: int | None = None) -> Answer:
    source = Source(1, "d", "d:0", " ".join(quotes), 1.0, DocumentFacts(title="Bài"))
    group = QuoteGroup(source, tuple(Quotation(q, 1) for q in quotes), listed)
    return Answer(question, True, groups=[group], sources=[source])


def test_follow_ups_are_read_in_the_light_of_the_last_answer():
    now = [0.0]
    conversation = Conversation(turns=3, ttl=900, clock=lambda: now[0])
    assert conversation.understand("còn Bắc Ninh thì sao?") is None  # nothing before it
    conversation.record("Huyện nào của Hưng Yên đạt chuẩn nông thôn mới?", _answer("q", ["x"]))
    assert conversation.understand("còn Bắc Ninh thì sao?", frozenset({"hung yen"})) == (
        "Huyện nào của Bắc Ninh đạt chuẩn nông thôn mới?"
    )
    conversation.record("Nhiệm vụ, giải pháp?", _answer("q", ["… giải pháp sau:", "(1) Một việc.", "(2) Hai việc."], 2))
    assert conversation.understand("nói rõ hơn ý (2)") == "Hai việc."
    assert conversation.understand("Thu ngân sách đạt bao nhiêu?") is None  # stands alone
    conversation.record("Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?", _answer("q", ["x"]))
    # no name to replace: the topic the question opens with ("nhiêu" is not a name: "ê" is lower case)
    assert conversation.understand("còn xuất khẩu thì sao?") == "xuất khẩu 9 tháng đầu năm 2018 đạt bao nhiêu?"
    conversation.record("Ban thanh tra nhân dân ở xã có mấy người?", _answer("q", ["x"]))
    assert conversation.understand("còn ở phường thì sao?") == "Ban thanh tra nhân dân ở phường có mấy người?"
    conversation.record("Tỉnh Thái Bình có bao nhiêu xã?", _answer("q", ["x"]))
    assert conversation.understand("còn Nam Định thì sao?") == "Tỉnh Nam Định có bao nhiêu xã?"
    now[0] = 901.0  # fifteen minutes of silence: forgotten
    assert conversation.understand("nói rõ hơn ý (2)") is None


COUNCIL = (
    "a) Cơ quan, đơn vị có quân số 60 người trở xuống bầu từ 03 đến 05 ủy viên; trên 60 người bầu không quá 09 ủy viên."
)
BOARD = (
    "Đối với xã, phường, thị trấn có dưới 05 thôn, tổ dân phố thì được bầu tối đa 05 thành viên Ban Thanh tra nhân dân."
)


def test_a_figure_for_one_case_answers_only_that_case():
    """Found asking in English ("How many members …"): a figure a clause gives under a condition
    on a count ("trên 60 người …") answered a question that gave another count or none."""
    assert (
        cut("Đơn vị có 50 quân nhân thì bầu bao nhiêu ủy viên Hội đồng quân nhân?", COUNCIL) == "từ 03 đến 05 ủy viên"
    )
    assert cut("Có bao nhiêu Ủy viên Hội đồng quân nhân ở đơn vị có 100 quân nhân?", COUNCIL) == "không quá 09 ủy viên"
    assert cut("Hội đồng quân nhân có mấy ủy viên?", COUNCIL) is None  # it depends: quoted, not cut
    assert cut("Ban Thanh tra nhân dân ở xã có mấy thành viên?", BOARD) is None
    # the most of any case answers "tối đa", given no count
    assert cut("Hội đồng quân nhân có tối đa bao nhiêu ủy viên?", COUNCIL) is not None


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # found by a review: "làm" asks the office, not the act around it
        ("Ai làm Trưởng ban Thanh tra nhân dân?", "tổ chức cuộc họp của Ban Thanh tra nhân dân để bầu Trưởng ban."),
        ("Ai làm Chủ tịch Hội đồng quân nhân?", "Hội đồng quân nhân bầu Chủ tịch và Phó Chủ tịch Hội đồng quân nhân"),
        # a local level the question names must be written
        (
            "Cơ quan nào ở huyện quyết định thành lập Ban Chỉ đạo?",
            "Ủy ban nhân dân cấp tỉnh quyết định thành lập Ban Chỉ đạo.",
        ),
        # the end of a name with a comma in it is no name
        (
            "Cơ quan nào ở trung ương chỉ đạo hướng dẫn việc xây dựng hương ước?",
            "Các bộ có trách nhiệm phối hợp với Bộ Văn hóa, Thể thao và Du lịch chỉ đạo, hướng dẫn việc xây dựng hương ước.",
        ),
        # a civil servant by the role the question asks, not the first one named
        (
            "Công chức nào phối hợp với công chức Văn hóa - Xã hội để tham mưu?",
            "Công chức Văn hóa - Xã hội cấp xã chủ trì, phối hợp với công chức Tư pháp - Hộ tịch tham mưu trình.",
        ),
        # a bare question tells no case: who acts when the meeting does not agree is not who acts always
        (
            "Ai xem xét việc cho thôi làm Tổ trưởng tổ dân phố?",
            "Trường hợp cuộc họp không thống nhất được việc cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố thì Ủy "
            "ban nhân dân cấp xã xem xét, quyết định.",
        ),
        ("Quỹ cứu trợ đã hỗ trợ bao nhiêu tiền?", "Quỹ đã hỗ trợ 5 nghìn hộ gia đình."),  # no amount in đồng
    ],
)
def test_no_body_or_amount_the_sentence_does_not_give(question, sentence):
    assert cut(question, sentence) is None


def test_how_much_money_is_an_amount_in_dong():
    allowance = "Ủy viên Ủy ban Mặt trận Tổ quốc cấp huyện được hỗ trợ sinh hoạt phí, mức: 120.000 đồng/người/tháng."
    assert cut("Mỗi tháng bố em được hỗ trợ sinh hoạt phí bao nhiêu tiền ạ?", allowance) == ("120.000 đồng/người/tháng")
    assert cut("Ban được hỗ trợ bao nhiêu tiền?", "Mức hỗ trợ tối thiểu 5 triệu đồng/Ban/năm.") == (
        "tối thiểu 5 triệu đồng/Ban/năm"
    )
    assert cut("Ban có bao nhiêu tiền?", "Ban có 05 thành viên.") is None


def test_the_unit_asked_ends_where_a_name_begins():
    """ "bao nhiêu thành viên Ban Thanh tra nhân dân xã" counts members: matched to the end of the
    name, a sentence repeating it fitted better and was cut mid-name ("… Ban Thanh tra nhân")."""
    sentence = "Mỗi xã bầu tối đa 05 thành viên Ban Thanh tra nhân dân."
    assert cut("Có bao nhiêu thành viên Ban Thanh tra nhân dân ở xã?", sentence) == "tối đa 05 thành viên"
    assert cut(
        "Ban Thanh tra nhân dân có tối đa mấy Phó Trưởng ban?", "Số lượng Phó Trưởng ban không quá 02 người."
    ) == ("không quá 02 người")


def test_who_is_named_whole_and_without_the_verb_after_it():
    """Found by a new cadre's questions: "Ủy ban nhân dân cấp xã có" (the verb's "có" kept),
    "Tổ trưởng tổ dân phố" (the first of two names dropped), nothing for a name with a comma
    after a list's letter, and a clause's title ("Thẩm quyền triệu tập …") taken for a body."""
    assert cut(
        "Cơ quan nào có thẩm quyền công nhận hương ước?",
        "Ủy ban nhân dân cấp xã có thẩm quyền công nhận hương ước, quy ước.",
    ) == ("Ủy ban nhân dân cấp xã")
    convene = "a) Trưởng thôn, Tổ trưởng tổ dân phố triệu tập và chủ trì tổ chức cuộc họp của cộng đồng dân cư."
    assert cut("Ai triệu tập cuộc họp của cộng đồng dân cư?", convene) == "Trưởng thôn, Tổ trưởng tổ dân phố"
    front = "c) Trưởng Ban công tác Mặt trận ở thôn, tổ dân phố triệu tập cuộc họp để cho thôi làm Trưởng thôn."
    assert cut("Ai triệu tập cuộc họp để cho thôi làm trưởng thôn?", front) == (
        "Trưởng Ban công tác Mặt trận ở thôn, tổ dân phố"
    )
    title = "Thẩm quyền triệu tập, chủ trì và nội dung tổ chức cuộc họp của cộng đồng dân cư"
    assert cut("Ai triệu tập cuộc họp của cộng đồng dân cư?", title) is None


def test_who_acts_in_the_case_the_question_tells():
    """From a fresh probe: "ai đứng ra triệu tập" (a lead-in the text does not write), who acts after
    the "thì" of the case the question tells, never of a case it does not tell; a ministry's name with
    its comma, and "ở trung ương" the text need not write."""
    both = (
        "Trường hợp Trưởng thôn, Tổ trưởng tổ dân phố đồng thời là Trưởng Ban công tác Mặt trận thì Chủ tịch "
        "Ủy ban nhân dân cấp xã triệu tập và chủ trì cuộc họp sau khi thống nhất với Chủ tịch Ủy ban Mặt trận."
    )
    told = "Trưởng thôn bên em kiêm luôn trưởng ban công tác mặt trận thôn. Vậy ai đứng ra triệu tập cuộc họp ạ?"
    assert cut(told, both) == "Chủ tịch Ủy ban nhân dân cấp xã"
    fallback = (
        "Trường hợp các địa phương chưa ban hành văn bản quy định mức chi cụ thể thì Ủy ban Mặt trận Tổ quốc "
        "Việt Nam các cấp quyết định mức chi."
    )
    assert cut("Mức cụ thể ở từng tỉnh thì ai quyết?", fallback) is None
    ministry = "Bộ Văn hóa, Thể thao và Du lịch là cơ quan chịu trách nhiệm trước Chính phủ về hương ước."
    assert cut("Cơ quan nào ở trung ương chịu trách nhiệm trước Chính phủ về hương ước?", ministry) == (
        "Bộ Văn hóa, Thể thao và Du lịch"
    )
    # the case a later clause opens, told by the question, answers it; the rule before it answers the rest
    meeting = (
        "Cuộc họp của cộng đồng dân cư do Trưởng thôn, Tổ trưởng tổ dân phố triệu tập và chủ trì tổ chức; trường "
        "hợp cuộc họp để bầu, cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố thì do Trưởng Ban công tác Mặt trận "
        "ở thôn, tổ dân phố triệu tập và chủ trì tổ chức."
    )
    dismiss = "Nhiều hộ kiến nghị cho ông thôi làm trưởng thôn, vậy ai đứng ra triệu tập cuộc họp để cho thôi ạ?"
    assert cut(dismiss, meeting) == "Trưởng Ban công tác Mặt trận ở thôn, tổ dân phố"
    assert cut("Ai triệu tập cuộc họp của cộng đồng dân cư?", meeting) == "Trưởng thôn, Tổ trưởng tổ dân phố"
    # "của Hưng Yên" is no place the text may leave out: a prize's "Xã đạt chuẩn" names no district
    assert cut("Huyện nào của Hưng Yên đạt chuẩn nông thôn mới?", "“Xã đạt chuẩn văn hóa nông thôn mới”") is None


def test_conditions_on_counts_read_with_their_bounds():
    """From a review: "ít hơn 05 thôn" is a condition (below), "không ít hơn 05" a floor of the
    figure; the question's "trên 60 người" allows 61; two counts given, neither is sure."""
    villages = (
        "Ở xã có ít hơn 05 thôn thì Ban có 03 thành viên; ở xã có từ 05 thôn trở lên thì có từ 05 đến 09 thành viên."
    )
    assert cut("Xã có 10 thôn thì Ban có bao nhiêu thành viên?", villages) == "từ 05 đến 09 thành viên"
    assert cut("Xã có 3 thôn thì Ban có mấy thành viên?", villages) == "03 thành viên"
    assert cut(
        "Ban có mấy Phó Trưởng ban?", "Ban có không ít hơn 05 thành viên, trong đó có không quá 02 Phó Trưởng ban."
    ) == ("không quá 02 Phó Trưởng ban")
    assert cut("Cơ quan có quân số trên 60 người bầu bao nhiêu ủy viên?", COUNCIL) == "không quá 09 ủy viên"
    assert cut("Theo Nghị định 59, đơn vị có 80 quân nhân bầu bao nhiêu ủy viên?", COUNCIL) == "không quá 09 ủy viên"
    assert cut("Tiểu đoàn có 4 đại đội với 300 quân nhân thì bầu bao nhiêu ủy viên?", COUNCIL) is None
    # "tối đa" with no count: the largest case's most, never the smallest case's
    assert cut("Ban Thanh tra nhân dân ở xã có tối đa bao nhiêu thành viên?", BOARD) is None


def test_who_is_never_an_opening_phrase_nor_cut_inside_a_name():
    """From a review: "Trường hợp cần thiết, Trưởng thôn, …" (folded, "trường" is "trưởng") and
    "Ủy ban nhân dân tỉnh Sơn La" (its "La" is no "là")."""
    sentence = "Trường hợp cần thiết, Trưởng thôn, Tổ trưởng tổ dân phố thông báo trực tiếp tới hộ gia đình."
    assert cut("Ai thông báo trực tiếp tới hộ gia đình?", sentence) == "Trưởng thôn, Tổ trưởng tổ dân phố"
    assert cut("Ai chủ trì hội nghị?", "Trường hợp cần thiết, người đứng đầu cơ quan chủ trì hội nghị.") == (
        "người đứng đầu cơ quan"
    )
    assert cut("Cơ quan nào ban hành quyết định?", "Ủy ban nhân dân tỉnh Sơn La ban hành quyết định.") == (
        "Ủy ban nhân dân tỉnh Sơn La"
    )


def test_an_english_question_names_the_commission_and_the_plan():
    """Public cadre C005: the Party committee's Mass Mobilisation Commission, its plan and the
    "Year of government mass mobilisation" were read only as "Hưng Yên dân vận"."""
    from bot.answering.intents import english

    read = english(
        'Which plan number did the Hung Yen Provincial Party Committee\'s Mass Mobilisation Commission sign for the 2018 "Year of government mass mobilisation"?'
    )
    assert read is not None
    assert "kế hoạch số nào" in read and "Ban Dân vận" in read and "Năm dân vận chính quyền" in read


def test_an_english_count_of_more_keeps_more_and_meeting_standards_is_no_meeting():
    """Seed cadre dev S045: "how many additional communes … meeting the new rural standards" was
    read without "thêm" and with a "meeting" (hội nghị): the first line gave the total, 95 xã."""
    from bot.answering.intents import english

    read = english(
        "In the first nine months of 2018, how many additional communes in Hung Yen were recognised "
        "as meeting the new rural standards?"
    )
    assert read is not None
    assert "thêm bao nhiêu xã" in read and "đạt chuẩn nông thôn mới" in read and "hội nghị" not in read


def test_a_document_pointed_at_is_the_one_the_question_before_named_or_asked_for():
    """Seed cadre 2 D030: "thông tư đó" after a question naming TT 04/2025 (held only in an
    article) was answered with another Thông tư's date."""
    from bot.answering.conversation import Conversation, document_pointed

    conversation = Conversation()
    conversation.record("Theo TT 04/2025/TT-BTC thì BTTND cấp xã được hỗ trợ bao nhiêu?", _answer("q", ["x"]))
    assert conversation.understand("thông tư đó có hiệu lực từ ngày nào?") == (
        "Thông tư số 04/2025/TT-BTC có hiệu lực từ ngày nào?"
    )
    assert document_pointed("Thông tư này có hiệu lực từ ngày nào?") == "Thông tư"
    assert document_pointed("thong tu do co hieu luc tu ngay nao") is None  # "do" may be "by"
    assert document_pointed("Ban Thanh tra nhân dân có mấy người?") is None


def test_this_law_inside_a_question_is_the_one_at_hand_not_a_document_pointed_at():
    """Law public P013: "thực hiện QCDC theo luật này hay theo luật lao động?" was asked which law."""
    from bot.answering.conversation import document_pointed

    assert document_pointed("Cty tư nhân thì thực hiện QCDC theo luật này hay theo luật lao động?") is None
    assert document_pointed("Vậy kế hoạch này do ai ký?") == "Kế hoạch"


def test_a_count_no_passage_gives_is_declared_not_stated():
    asked = "Ban có bao nhiêu thành viên?"
    assert counts.given_nowhere(asked, ("thanh vien",), ["Ban gồm Trưởng ban và các Ủy viên."])
    assert not counts.given_nowhere(asked, ("thanh vien",), ["Ban có 05 thành viên."])
    # a list to count gives the count; so does a figure written with a slash
    assert not counts.given_nowhere(asked, ("thanh vien",), ["Ban gồm:\na) Trưởng ban;\nb) Phó Trưởng ban;"])
    assert not counts.given_nowhere("Trực bao nhiêu giờ?", ("gio",), ["trực 24/24 giờ"])


def test_a_count_of_the_members_who_are_such_is_no_count_of_the_board():
    """Found by a fresh-eye probe: "Ban Giám sát đầu tư của cộng đồng có bao nhiêu thành viên?" was
    answered "không quá 05 người", the cap on the members who are residents' representatives."""
    part = (
        "Đối với số lượng thành viên Ban Giám sát đầu tư của cộng đồng là đại diện người dân trên địa bàn thôn, "
        "tổ dân phố nơi có chương trình, dự án do Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã quyết "
        "định nhưng không quá 05 người."
    )
    assert cut("Ban Giám sát đầu tư của cộng đồng có bao nhiêu thành viên?", part) is None
    assert cut("Ban Giám sát đầu tư của cộng đồng có mấy người?", part) is None
    # the part asked by name is counted
    assert cut("Số đại diện người dân trong Ban Giám sát đầu tư của cộng đồng tối đa bao nhiêu người?", part) == (
        "không quá 05 người"
    )
    whole = "Ban Giám sát đầu tư của cộng đồng có ít nhất là 05 thành viên, gồm đại diện Ủy ban Mặt trận Tổ quốc."
    assert cut("Ban Giám sát đầu tư của cộng đồng có bao nhiêu thành viên?", whole) == "ít nhất là 05 thành viên"


def test_a_bound_missed_is_no_figure_of_the_rule():
    """ "chưa đạt 10% tổng số hộ gia đình … đồng thuận" is the case of a proposal short of its
    bound: it answered how many households must approve a village charter."""
    missed = (
        "Trường hợp đề xuất của công dân chưa đạt 10% tổng số hộ gia đình tại cộng đồng dân cư đồng thuận "
        "nhưng xét thấy có thể mang lại lợi ích cho cộng đồng dân cư thì Trưởng thôn đưa ra bàn."
    )
    assert cut("Hương ước cần bao nhiêu hộ tán thành?", missed) is None
    # as the Law writes it: "chưa có đủ 10% tổng số hộ gia đình … đồng thuận" (a fresh-eye probe's
    # "đổi tên thôn" got that 10%)
    short = "Trường hợp sáng kiến của công dân chưa có đủ 10% tổng số hộ gia đình ở thôn đồng thuận thì Trưởng thôn đưa ra bàn."
    assert cut("Cần bao nhiêu phần trăm số hộ đồng ý?", short) is None
    assert cut("Cần bao nhiêu hộ đồng thuận?", "Đề xuất được ít nhất là 10% tổng số hộ gia đình đồng thuận.") == (
        "ít nhất là 10% tổng số hộ gia đình"
    )


def test_a_lead_time_is_cut_without_the_act_it_leads():
    """The unit asked "ngày trước ngày họp" matched "10 ngày trước ngày" of the sentence, a cut that
    ends on a bare "ngày"; what the time comes before is the question's, not part of the unit."""
    sentence = (
        "Ban hành quyết định thành lập Tổ bầu cử chậm nhất 10 ngày trước ngày tổ chức cuộc họp để bầu Trưởng thôn."
    )
    asked = "Quyết định thành lập Tổ bầu cử phải ban hành chậm nhất bao nhiêu ngày trước ngày họp?"
    assert cut(asked, sentence) == "chậm nhất 10 ngày"


def test_a_time_in_a_row_is_cut_with_it():
    """ "30 ngày liên tục" is another rule than any 30 days: the cut keeps "liên tục", for a
    duration and a count of days alike; a time that does not run in a row is cut as before."""
    posted = "Thời gian niêm yết thông tin ít nhất là 30 ngày liên tục kể từ ngày niêm yết."
    assert cut("Thông báo dán ở nhà văn hóa phải để bao lâu?", posted) == "ít nhất là 30 ngày liên tục"
    assert cut("Niêm yết ít nhất mấy ngày?", posted) == "ít nhất là 30 ngày liên tục"
    valid = "Ý kiến đồng thuận có giá trị trong thời hạn 03 tháng kể từ ngày thể hiện ý kiến."
    assert cut("Chữ ký đồng thuận có giá trị bao lâu?", valid) == "trong thời hạn 03 tháng"


def test_the_whole_a_share_is_of_runs_to_the_end_of_its_name():
    """ "tổng số thôn, tổ dân phố trở lên": the whole is cut at "trở lên", not three words in
    ("… thôn, tổ dân"), and "người lao động" still ends before "trong"."""
    villages = "Quyết định được thông qua khi có từ hai phần ba tổng số thôn, tổ dân phố trở lên tán thành."
    assert cut("Cần bao nhiêu thôn đồng ý?", villages) == "từ hai phần ba tổng số thôn, tổ dân phố trở lên"
    delegates = "Kỳ họp được tiến hành khi có ít nhất hai phần ba tổng số đại biểu được triệu tập có mặt."
    assert cut("Cần bao nhiêu đại biểu có mặt?", delegates) == "ít nhất hai phần ba tổng số đại biểu"  # not "… đại"
    staff = (
        "Hội nghị hợp lệ khi có ít nhất hai phần ba tổng số cán bộ, công chức, viên chức, người lao động trong cơ quan."
    )
    assert cut("Cần bao nhiêu người dự?", staff) == (
        "ít nhất hai phần ba tổng số cán bộ, công chức, viên chức, người lao động"
    )
