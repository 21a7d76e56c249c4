"""Either-or questions (the verdicts set): the options typed, the question asked openly, and a
first line only when the answer says one option and not the other."""

from __future__ import annotations

import pytest

from bot.answering import choices


@pytest.mark.parametrize(
    ("question", "options", "stem"),
    [
        (
            "Ban giám sát đầu tư của cộng đồng do MTTQ xã hay UBND xã ra quyết định thành lập?",
            ("MTTQ xã", "UBND xã"),
            "Ban giám sát đầu tư của cộng đồng do ai ra quyết định thành lập?",
        ),
        ("Nhiệm kỳ của Trưởng thôn là 2 năm hay 5 năm?", ("2 năm", "5 năm"), "Nhiệm kỳ của Trưởng thôn là bao nhiêu năm?"),
        ("Hội nghị thôn họp mỗi năm 1 lần hay 2 lần?", ("1 lần", "2 lần"), "Hội nghị thôn họp mỗi năm bao lâu một lần?"),
        ("Ngày truyền thống của MTTQ là 18/11 hay 3/2?", ("18/11", "3/2"), "Ngày truyền thống của MTTQ là ngày nào?"),
        (
            "Cty tư nhân thì thực hiện theo luật này hay theo luật lao động?",
            ("theo luật này", "theo luật lao động"),
            "Cty tư nhân thì thực hiện ai?",
        ),
    ],
)
def test_the_options_and_the_open_question(question, options, stem):
    choice = choices.read(question)
    assert choice is not None and choice.options == options and choice.stem == stem


@pytest.mark.parametrize(
    "question",
    [
        "Trưởng thôn có được kiêm nhiệm không hay phải bầu người khác?",  # a yes-no, then an aside
        "Ban thanh tra có hay không?",
        "Bài hát nào hay để hát văn nghệ?",  # "hay": good
        "Họp thôn biểu quyết giơ tay hay bỏ phiếu kín, ai quyết định?",  # asks who, not which
        "xăng tuần này tăng hay giảm",  # nothing says where the first option starts
        "Thủ tục công nhận hương ước thế nào?",
        # found by a review
        "Họp ở thôn hay bị hoãn thì phải làm sao?",  # "hay bị": often
        "Nghị định 59/2023 hay 60/2023 quy định việc này?",  # documents' numbers
        "Đại hội 5 năm hay 2,5 năm một lần?",  # a decimal
        "Họp 1 tháng 1 lần hay 3 tháng 1 lần?",  # options longer than one figure
    ],
)
def test_no_choice_is_read_where_none_is_offered(question):
    assert choices.read(question) is None


def test_figures_are_compared_by_number_words_too(law_service):
    lexical = law_service._loaded.retriever.lexical
    yearly = choices.read("Hội nghị thôn họp mỗi năm 1 lần hay 2 lần?")
    assert choices.picks(yearly, "mỗi năm một lần", lexical) == "1 lần"
    term = choices.read("Nhiệm kỳ là 2 năm hay 5 năm?")
    assert choices.picks(term, "05 năm", lexical) == "5 năm"
    assert choices.picks(term, "03 năm", lexical) is None  # neither option: no first line
    assert choices.picks(choices.read("Bầu 3 người hay 5 người?"), "từ 03 đến 05 người", lexical) is None  # both
    assert choices.picks(choices.read("Niêm yết 1 hay 2 năm?"), "ít nhất 01 tháng", lexical) is None  # another unit
    day = choices.read("Ngày truyền thống của MTTQ là 18/11 hay 3/2?")
    assert choices.picks(day, "Ngày 18 tháng 11", lexical) == "18/11"


def test_names_are_picked_by_the_words_only_one_option_has(law_service):
    lexical = law_service._loaded.retriever.lexical
    choice = choices.read("Ban giám sát do MTTQ xã hay UBND xã ra quyết định thành lập?")
    said = "Ban Giám sát đầu tư của cộng đồng được Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã quyết định thành lập."
    assert choices.picks(choice, said, lexical) == "MTTQ xã"
    both = "Ủy ban nhân dân cấp xã và Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã phối hợp."
    assert choices.picks(choice, both, lexical) is None


def test_an_either_or_is_answered_by_the_option_the_law_states(law_service):
    answer = law_service.ask("Hội nghị định kỳ của cộng đồng dân cư tổ chức mỗi năm 1 lần hay 2 lần?")
    assert answer.short is not None and "một lần" in answer.short.text
