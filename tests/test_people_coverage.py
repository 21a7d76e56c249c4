"""People's words count where the texts say them otherwise (issue 31, item 4), and the first line is
cut from the forms official prose uses: "không ít hơn 05 người" for "ít nhất mấy", "03 (ba) ngày
làm việc", "… do người đứng đầu cơ quan, đơn vị chủ trì" for "do ai chủ trì"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.answering.asks import understand
from bot.answering.short_answer import cut
from ingest.index.lexical import LexicalIndex
from ingest.language.vocabulary import Vocabulary, builtin_entries

PASSAGES = [
    "Dự thảo hương ước, quy ước được niêm yết công khai tại nhà văn hóa trong 30 ngày.",
    "Trưởng thôn do hộ gia đình bầu tại cuộc họp của cộng đồng dân cư.",
    "Lệ làng xưa được các cụ truyền miệng.",
]
QUESTION = "lệ làng phải dán ở nhà văn hóa bao lâu"
STANDS = [("lệ làng", ("hương ước", "quy ước")), ("dán", ("niêm yết",))]


@pytest.fixture(scope="module")
def lexical() -> LexicalIndex:
    return LexicalIndex.build(PASSAGES)


def test_a_passage_holding_the_texts_term_covers_the_people_s_word(lexical):
    plain, people = lexical.coverage_all(QUESTION), lexical.coverage_all(QUESTION, STANDS)
    assert people[0] > plain[0] + 0.2  # "hương ước", "niêm yết" stand for "lệ làng", "dán"
    assert people[1] == plain[1]  # no term there: nothing credited
    assert people[2] == plain[2]  # says "lệ làng" itself: already covered, never twice
    assert max(people) <= 1.0


def test_text_coverage_counts_the_same_terms(lexical):
    text = PASSAGES[0]
    assert lexical.text_coverage(QUESTION, text, alternatives=STANDS) > lexical.text_coverage(QUESTION, text)
    assert lexical.text_coverage(QUESTION, PASSAGES[1], alternatives=STANDS) == lexical.text_coverage(
        QUESTION, PASSAGES[1]
    )


@given(
    st.lists(st.sampled_from(["lệ", "làng", "dán", "nhà", "văn", "hóa", "bầu", "thôn", "xã"]), min_size=1, max_size=8)
)
def test_coverage_with_alternatives_is_a_share(words):
    index = LexicalIndex.build(PASSAGES)
    question = " ".join(words)
    vocabulary = Vocabulary(list(builtin_entries()))
    covered = index.coverage_all(question, vocabulary.alternatives(question))
    assert ((covered >= 0) & (covered <= 1.0 + 1e-6)).all()
    assert (covered >= index.coverage_all(question) - 1e-6).all()  # alternatives only add


def test_vocabulary_alternatives_are_the_people_s_words_with_their_terms():
    vocabulary = Vocabulary(list(builtin_entries()))
    found = dict(vocabulary.alternatives("Bản dự thảo lệ làng dán ở đâu?"))
    assert "hương ước" in found["lệ làng"]
    assert not vocabulary.alternatives("Điều 12 quy định gì?")


# --- the cuts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Ban Thanh tra nhân dân ở xã có ít nhất mấy thành viên?",
            "Số lượng thành viên Ban Thanh tra nhân dân tương ứng số lượng thôn nhưng không ít hơn 05 người.",
            "không ít hơn 05 người",
        ),
        (
            "Ủy ban nhân dân xã có mấy ngày để xem xét?",
            "Trong thời hạn 03 (ba) ngày làm việc, kể từ ngày nhận được phản ánh, Ủy ban nhân dân cấp xã xem xét.",
            "03 (ba) ngày làm việc",
        ),
        (
            "Ban Thanh tra nhân dân có tối đa mấy Phó Trưởng ban?",
            "Trường hợp có từ 09 người trở lên thì số lượng Phó Trưởng ban không quá 02 người.",
            "không quá 02 người",
        ),
        (  # the count its clause opens with, the figure at the clause's end
            "Ban Giám sát đầu tư của cộng đồng có tối đa mấy Phó Trưởng ban?",
            "Số lượng Phó Trưởng Ban do Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã quyết định căn cứ "
            "vào số lượng thành viên Ban Giám sát đầu tư của cộng đồng nhưng không quá 02 người.",
            "không quá 02 người",
        ),
        (  # a body's name with a comma in it, whole
            "Ai công nhận kết quả bầu Ban Thanh tra nhân dân ở cơ quan?",
            "Ban Chấp hành Công đoàn cơ quan, đơn vị công nhận kết quả bầu thành viên Ban Thanh tra nhân dân.",
            "Ban Chấp hành Công đoàn cơ quan, đơn vị",
        ),
        (
            "Hội nghị cán bộ, công chức ở cơ quan do ai chủ trì?",
            "Hội nghị cán bộ, công chức, viên chức do người đứng đầu cơ quan, đơn vị chủ trì, phối hợp với Công đoàn.",
            "người đứng đầu cơ quan, đơn vị",
        ),
        (
            "Ở doanh nghiệp nhà nước ai bầu ra Ban Thanh tra nhân dân?",
            "Ban Thanh tra nhân dân ở doanh nghiệp nhà nước do hội nghị người lao động bầu gồm từ 03 đến 09 thành viên.",
            "hội nghị người lao động",
        ),
    ],
)
def test_cuts_in_the_forms_official_prose_uses(question, sentence, expected):
    found = cut(question, sentence)
    assert found is not None and found.text == expected


def test_an_opening_clause_is_no_part_of_the_name_after_its_comma():
    assert cut("Ai công nhận kết quả bầu?", "Sau khi họp, đơn vị công nhận kết quả bầu.") is None


def test_a_share_asked_with_the_percent_sign():
    sentence = "nâng tổng số xã đạt chuẩn nông thôn mới là 95 xã (đạt 65,5%), huyện Mỹ Hào đạt chuẩn"
    found = cut("Tỉnh có xã đạt chuẩn nông thôn mới chiếm bao nhiêu %?", sentence)
    assert found is not None and found.text == "65,5%"


def test_a_count_named_in_another_clause_does_not_count_the_figure():
    """ "Số lượng Phó Trưởng ban …" opens one clause; the 07 members are another's."""
    assert (
        cut("Ban có mấy Phó Trưởng ban?", "Số lượng Phó Trưởng ban do Ủy ban quyết định; Ban có 07 thành viên.") is None
    )


def test_a_day_is_not_a_working_day_and_the_unit_stops_at_ke_tu():
    found = cut("Phải bầu trong mấy ngày kể từ ngày có quyết định?", "Trong thời hạn 60 ngày kể từ ngày có quyết định.")
    assert found is not None and found.text == "60 ngày"


def test_who_with_its_words_at_the_sentence_s_end_finds_nothing():
    """The words before "ai" close the sentence: nothing after them (was an IndexError)."""
    assert cut("Hội nghị thôn thì ai chủ trì?", "Việc này do hội nghị thôn") is None


def test_the_bound_asked_is_not_the_subject():
    asks = understand("Ở doanh nghiệp nhà nước, thông tin phải công khai chậm nhất bao nhiêu ngày?")
    assert not any("chậm" in run for run in asks.subject)


# --- on the Law ---------------------------------------------------------------------------------


def test_the_floor_of_a_board_is_stated_by_the_law(law_service):
    answer = law_service.ask("Số thành viên tối thiểu của Ban Thanh tra nhân dân ở xã là mấy người?")
    assert answer.found and answer.short_answer is not None and "05" in answer.short_answer


def test_a_figure_of_another_act_is_no_first_line(law_service):
    """The days a commune has to review a charter do not answer how long it is posted."""
    answer = law_service.ask("Hương ước đã được công nhận thì niêm yết ở nhà văn hóa tối thiểu bao nhiêu ngày?")
    assert answer.short_answer is None or "05" not in answer.short_answer
