"""A question asking two or three things at once: split by its form, each clause answered, one
answer put together from theirs (`bot.answering.compound`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.answering.answer import Answer, Quotation, QuoteGroup, ShortAnswer, Source
from bot.answering.compound import MAX_PARTS, Clause, merged, parts
from bot.render.text import answer_text
from ingest.facts import DocumentFacts


@pytest.mark.parametrize(
    ("question", "clauses"),
    [
        (
            "Thông tư 04/2025/TT-BTC hướng dẫn về việc gì, có hiệu lực từ ngày nào?",
            ["Thông tư 04/2025/TT-BTC hướng dẫn về việc gì", "Thông tư 04/2025/TT-BTC có hiệu lực từ ngày nào"],
        ),
        (
            "Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày nào và do cơ quan nào ban hành?",
            [
                "Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày nào",
                "Luật Thực hiện dân chủ ở cơ sở do cơ quan nào ban hành",
            ],
        ),
        # a share asked after a count is of the same counted thing
        (
            "Năm 2018 tỉnh có bao nhiêu xã đạt chuẩn nông thôn mới, chiếm bao nhiêu %?",
            [
                "Năm 2018 tỉnh có bao nhiêu xã đạt chuẩn nông thôn mới",
                "Năm 2018 tỉnh có xã đạt chuẩn nông thôn mới chiếm bao nhiêu %",
            ],
        ),
        # another figure after a count is of the first clause's subject ("gồm" ends it)
        (
            "Ban Thanh tra nhân dân ở cơ quan, đơn vị sự nghiệp công lập gồm bao nhiêu thành viên và nhiệm kỳ mấy năm?",
            [
                "Ban Thanh tra nhân dân ở cơ quan, đơn vị sự nghiệp công lập gồm bao nhiêu thành viên",
                "Ban Thanh tra nhân dân ở cơ quan, đơn vị sự nghiệp công lập nhiệm kỳ mấy năm",
            ],
        ),
        # a comma between two places belongs to the clause: it asks nothing by itself
        (
            "Ban Thanh tra nhân dân ở xã, phường có tối đa mấy Phó Trưởng ban, ai quyết định?",
            [
                "Ban Thanh tra nhân dân ở xã, phường có tối đa mấy Phó Trưởng ban",
                "Ban Thanh tra nhân dân ở xã, phường ai quyết định",
            ],
        ),
        # a clause opening with what it asks ("ai", "cơ quan nào") hands the rest to the next
        (
            "Cơ quan nào quyết định thành lập Ban Giám sát đầu tư của cộng đồng, trong thời hạn bao lâu?",
            [
                "Cơ quan nào quyết định thành lập Ban Giám sát đầu tư của cộng đồng",
                "quyết định thành lập Ban Giám sát đầu tư của cộng đồng trong thời hạn bao lâu",
            ],
        ),
        # two sentences; the second's capital opens a sentence, it names nothing of its own
        (
            "Ban Thanh tra nhân dân ở xã có mấy người? Nhiệm kỳ mấy năm?",
            ["Ban Thanh tra nhân dân ở xã có mấy người", "Ban Thanh tra nhân dân ở xã Nhiệm kỳ mấy năm"],
        ),
        # a clause naming its own subject is asked as typed
        (
            "Nghị định 59 có hiệu lực khi nào, Nghị định 61 có hiệu lực khi nào?",
            ["Nghị định 59 có hiệu lực khi nào", "Nghị định 61 có hiệu lực khi nào"],
        ),
    ],
)
def test_a_question_asking_two_things_is_split_into_clauses_standing_alone(question, clauses):
    assert [c.question for c in parts(question)] == clauses


@pytest.mark.parametrize(
    "question",
    [
        "Ban Thanh tra nhân dân ở xã và phường có mấy người?",  # one thing asked of two places
        "Ban Thanh tra nhân dân có nhiệm vụ và quyền hạn gì?",  # one list asked
        "Xã thu những loại phí gì, mức bao nhiêu thì có phải công khai không?",  # a yes-no at the end
        "Luật THDCCS có hiệu lực từ ngày nào?",
        "nhiệm kỳ mấy năm, mấy người?",  # no subject to carry
        # "đầu tư" is no "đâu": one thing asked, of a long name with commas
        "Số lượng thành viên Ban Giám sát đầu tư của cộng đồng là đại diện người dân trên địa bàn thôn, tổ dân phố"
        " nơi có chương trình, dự án do cơ quan nào quyết định?",
    ],
)
def test_a_question_asking_one_thing_is_not_split(question):
    assert parts(question) == []


_PIECES = st.sampled_from(["a", "Bb", " ", ",", ";", "?", "và", "nào", "gì", "Luật", "có", "59/2023/NĐ-CP", "không"])


@given(st.lists(_PIECES, max_size=30).map(" ".join) | st.text(max_size=80))
def test_splitting_never_fails_and_keeps_every_clause(text):
    clauses = parts(text)
    assert len(clauses) == 0 or 2 <= len(clauses) <= MAX_PARTS
    assert all(c.typed.strip() and c.typed in c.question for c in clauses)


def _answer(n_chunk: str, quote: str, short: str | None) -> Answer:
    source = Source(1, n_chunk, f"{n_chunk}:0", quote, 1.0, DocumentFacts(title=n_chunk))
    group = QuoteGroup(source, (Quotation(quote, 1),))
    return Answer("q", True, short=ShortAnswer(short, 1) if short else None, groups=[group], sources=[source])


def test_answers_to_clauses_are_put_together_with_one_first_line_each():
    first = Clause("có hiệu lực từ ngày nào", "Luật có hiệu lực từ ngày nào")
    second = Clause("thay thế văn bản nào", "Luật thay thế văn bản nào")
    third = Clause("do ai ký", "Luật do ai ký")
    together = merged(
        "Luật có hiệu lực từ ngày nào, thay thế văn bản nào, do ai ký?",
        [
            (first, _answer("a", "Luật có hiệu lực từ ngày 01 tháng 7 năm 2023.", "ngày 01 tháng 7 năm 2023")),
            (second, _answer("b", "Pháp lệnh số 34/2007 hết hiệu lực.", "Pháp lệnh số 34/2007")),
            (third, Answer("q", False, message="không có")),
        ],
    )
    assert together.found is True
    assert [(s.line, s.source) for s in together.first_lines] == [
        ("có hiệu lực từ ngày nào — ngày 01 tháng 7 năm 2023", 1),
        ("thay thế văn bản nào — Pháp lệnh số 34/2007", 2),  # its own source, numbered after the first's
    ]
    assert [s.chunk_id for s in together.sources] == ["a:0", "b:0"]
    assert [q.source for g in together.groups for q in g.quotes] == [1, 2]
    text = answer_text(together)
    assert "Trả lời: có hiệu lực từ ngày nào — ngày 01 tháng 7 năm 2023 [1]\nTrả lời: thay thế" in text
    assert "không nêu: “do ai ký”" in text  # the clause the library does not answer is named


def test_a_shared_source_is_numbered_once():
    same = _answer("a", "Luật có hiệu lực từ ngày 01 tháng 7 năm 2023.", "01 tháng 7 năm 2023")
    together = merged("q", [(Clause("x nào", "x nào"), same), (Clause("y gì", "y gì"), same)])
    assert len(together.sources) == 1 and [s.source for s in together.first_lines] == [1, 1]
    assert sum(len(g.quotes) for g in together.groups) == 1  # the same quotation once


def test_no_clause_answered_is_the_first_clause_s_answer():
    nothing = Answer("q", False, message="Kho tài liệu hiện có không nêu điều này")
    assert merged("q", [(Clause("x nào", "x nào"), nothing), (Clause("y gì", "y gì"), nothing)]) is nothing


@pytest.mark.integration
def test_a_compound_question_about_the_law_gets_both_first_lines(law_service):
    answer = law_service.ask("Luật THDCCS có hiệu lực từ khi nào, do cơ quan nào ban hành?")
    lines = [s.line for s in answer.first_lines]
    assert len(lines) == 2 and "01 tháng 7 năm 2023" in lines[0] and "Quốc hội" in lines[1]
