"""Clauses a legal sentence names by number, read with it: "… về nội dung quy định tại khoản 1 và
khoản 2 Điều 15 của Luật này được thông qua khi có từ hai phần ba …" rules on road contributions."""

from __future__ import annotations

import pytest

from bot.answering import levels
from bot.answering.references import clauses_named, clauses_referred
from ingest.language.legal import LegalPlace, LegalSource
from ingest.language.patterns import clause_text


def test_clauses_named_as_what_a_sentence_rules_on():
    said = "Quyết định của cộng đồng dân cư về nội dung quy định tại khoản 1 và khoản 2 Điều 15 của Luật này"
    assert clauses_referred(said, 21) == [(15, "1"), (15, "2")]
    listed = "Việc bàn, quyết định các nội dung quy định tại các khoản 3, 4 và 5 Điều 15 của Luật này"
    assert clauses_referred(listed, 17) == [(15, "3"), (15, "4"), (15, "5")]
    own = "các công việc quy định tại khoản 6 Điều này"  # "Điều này": the sentence's own article
    assert clauses_referred(own, 15) == [(15, "6")]


def test_a_clause_named_for_a_time_or_a_figure_is_not_what_the_sentence_is_about():
    # the days relief is handed out count from the end of the appeal clause 2 sets: not about the appeal
    anchor = "kết thúc chậm nhất không quá 20 ngày, kể từ ngày kết thúc thời gian vận động đóng góp quy định tại khoản 2 Điều này"
    assert clauses_referred(anchor, 7) == []
    figure = (
        "không có đủ đại diện để đạt tỷ lệ biểu quyết tán thành tối thiểu quy định tại khoản 1 Điều 21 của Luật này"
    )
    assert clauses_referred(figure, 19) == []
    assert clauses_referred("theo quy định tại Điều 11 của Luật này", 13) == []  # a whole article: too much


def test_a_decree_names_clauses_of_a_law_its_document_holds():
    decree = LegalPlace(LegalSource("Nghị định", "59/2023/NĐ-CP"), 3, "Điều 3")
    laws = {"luat thuc hien dan chu o co so": "10/2022/QH15"}
    said = (
        "Đối với các nội dung thuộc khoản 1, 2, 3 Điều 15 của Luật Thực hiện dân chủ ở cơ sở thì tài liệu "
        "phục vụ cuộc họp phải được gửi đến từng hộ gia đình"
    )
    assert clauses_named(said, decree, laws) == [
        ("10/2022/QH15", 15, "1"),
        ("10/2022/QH15", 15, "2"),
        ("10/2022/QH15", 15, "3"),
    ]
    # a law the document does not hold is not read; its own clauses stay its own
    assert clauses_named(said.replace("Thực hiện dân chủ", "Đất đai"), decree, laws) == []
    own = "các công việc quy định tại khoản 6 Điều này"
    assert clauses_named(own, decree, laws) == [("59/2023/NĐ-CP", 3, "6")]


def test_clause_text_runs_to_the_next_clause():
    article = "1. Chủ trương và mức đóng góp.\na) điểm một;\n2. Việc thu, chi.\n3. Hương ước."
    assert clause_text(article, "1") == "1. Chủ trương và mức đóng góp.\na) điểm một;"
    assert clause_text(article, "3") == "3. Hương ước."
    assert clause_text(article, "4") is None


def test_a_question_names_a_level_by_a_body_and_its_level_a_text_only_by_cap():
    assert levels.asked("Ủy viên UB MTTQ xã không hưởng lương được hỗ trợ bao nhiêu?") == {"xa"}
    assert levels.asked("UBND tỉnh quyết định mức chi nào?") == {"tinh"}
    # a plan signed by "Ban cán sự Đảng UBND tỉnh" gives no province's figure
    assert levels.of("Kế hoạch của Ban Dân vận Tỉnh ủy và Ban cán sự Đảng UBND tỉnh") == set()


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the issue's own example: the threshold is set for "khoản 1 và khoản 2 Điều 15", which the
        # question names only in its own words (góp tiền làm đường: đóng góp xây dựng cơ sở hạ tầng)
        ("Xóm tôi định góp tiền đổ bê tông đường làng, phải bao nhiêu hộ đồng ý?", "hai phần ba"),
        # said in fewer of the law's words: the clause is only among the nearest passages
        ("Cả xóm góp tiền làm đường bê tông ra đồng thì cần bao nhiêu hộ đồng ý mới được thông qua?", "hai phần ba"),
        (
            "Quyết định của cộng đồng dân cư về bầu, cho thôi làm thành viên Ban Thanh tra nhân dân có hiệu lực khi nào?",
            "Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã ban hành quyết định công nhận",
        ),
    ],
)
def test_a_figure_set_for_a_clause_by_its_number_answers(law_service, question, expected):
    answer = law_service.ask(question)
    assert answer.short is not None and expected in answer.short.text
    # the article that sets the figure is quoted, and is a source of the answer like the found ones
    articles = {g.source.legal.article for g in answer.groups if g.source.legal}
    assert 21 in articles
    assert any(s.legal and s.legal.article == 21 for s in answer.retrieved)
