"""Whole lists are whole (issue 30, item 6): a legal article's list that runs over several
passages is quoted to its end, and "đủ" with a count is said only when every item is quoted."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import wording
from bot.answering import compose as compose_module
from bot.answering import lists
from bot.answering.answer import Answer
from bot.answering.compose import compose
from bot.answering.retrieval import Retrieval
from bot.render.text import answer_text
from ingest.facts import DocumentFacts
from ingest.index.lexical import LexicalIndex
from ingest.language.legal import LegalPlace, LegalSource, passage_text
from ingest.models import Passage

LAW = LegalSource("Luật", "10/2022/QH15", "Luật Thực hiện dân chủ ở cơ sở", in_force=dt.date(2023, 7, 1))
PAGE = DocumentFacts(title="Thực hiện dân chủ ở cơ sở", url="https://phapdien.moj.gov.vn/x")
TITLE = "Các hành vi bị nghiêm cấm trong thực hiện dân chủ ở cơ sở"
QUESTION = "Các hành vi bị nghiêm cấm trong thực hiện dân chủ ở cơ sở là gì?"
LEAD_IN = "Trong thực hiện dân chủ ở cơ sở, nghiêm cấm các hành vi sau đây:"


def item(n: int, marker: str | None = None) -> str:
    return f"{marker or f'{n}.'} Hành vi thứ {n} về việc cản trở công dân tham gia ý kiến ở thôn số {n}."


def article(groups: list[list[str]], title: str = TITLE, number: int = 9) -> list[Passage]:
    """One article's passages, each holding these paragraphs, as the chunker writes them."""
    out = []
    for i, paragraphs in enumerate(groups):
        place = LegalPlace(LAW, number, title, None, code=f"44.13.LQ.{number}")
        text = passage_text(place, "\n\n".join(paragraphs))
        out.append(Passage(f"law:h:{i:04d}", "law", i, text, 0.5, PAGE, "", (), place))
    return out


def ask(passages: list[Passage], top: int, question: str = QUESTION, known: bool = True) -> Answer:
    """The answer when passage `top` is retrieved first; `known`: the document's passages are known."""
    lexical = LexicalIndex.build([p.text for p in passages])
    retrieval = Retrieval([passages[top]], True, lexical)
    return compose(question, retrieval, chunks_of=(lambda _doc: passages) if known else None)


def quoted_items(answer: Answer) -> list[int]:
    return [int(m[1]) for g in answer.groups for q in g.quotes if (m := re.match(r"(\d+)\. ", q.text))]


def test_prohibited_acts_split_over_two_passages_are_all_five():
    """Found: "Luật THDCCS nghiêm cấm những hành vi nào?" gave 4 of Điều 9's 5."""
    passages = article([[item(1), item(2), item(3), item(4)], [item(5)]])
    answer = ask(passages, 0)
    assert quoted_items(answer) == [1, 2, 3, 4, 5]
    assert answer.groups[0].listed == 5 and answer.groups[0].total is None
    assert "Tài liệu nêu 5 hành vi" in answer_text(answer) and "đủ" in answer_text(answer)


def test_item_fourteen_alone_is_not_one_whole_item():
    """Found: "Những nội dung UBND xã phải công khai?" gave "1 nội dung, đủ: • 14. …" of Điều 11's 14."""
    groups = [[LEAD_IN, *map(item, range(1, 6))], list(map(item, range(6, 14))), [item(14)]]
    answer = ask(article(groups), 2)
    text = answer_text(answer)
    assert quoted_items(answer) == list(range(1, 15))
    assert "Tài liệu nêu 14 " in text and "1 hành vi" not in text
    assert answer.groups[0].quotes[0].text == LEAD_IN  # from the article's start, in order
    assert [s.n for s in answer.sources] == [1, 2, 3]  # passages numbered as read


def test_list_starting_mid_passage_with_lettered_points():
    intro = "Điều này quy định các hành vi bị nghiêm cấm đối với người thực hiện dân chủ ở cơ sở."
    points = [item(n, f"{m})") for n, m in enumerate("abcd", 1)]
    answer = ask(article([[intro, LEAD_IN, points[0]], points[1:]]), 1)
    text = answer_text(answer)
    assert "Tài liệu nêu 4 " in text and "đủ" in text
    assert all(p in text for p in points) and text.index(points[0]) < text.index(points[3])


def test_cut_list_says_how_many_of_how_many(monkeypatch):
    monkeypatch.setattr(compose_module, "WHOLE_LIST", 200)
    answer = ask(article([[item(1), item(2), item(3)], [item(4), item(5)]]), 0)
    text = answer_text(answer)
    assert quoted_items(answer) == [1, 2]
    assert (answer.groups[0].listed, answer.groups[0].total) == (2, 5)
    assert "Trích 2 trong số 5 hành vi" in text and "của Điều 9" in text and "đủ và" not in text


def test_list_of_unknown_length_claims_no_count():
    """Only the last passage known (no document reader): item 14 is quoted without a count."""
    groups = [[LEAD_IN, *map(item, range(1, 6))], list(map(item, range(6, 14))), [item(14)]]
    answer = ask(article(groups), 2, known=False)
    assert quoted_items(answer) == [14]
    assert answer.groups[0].listed is None and "Tài liệu nêu" not in answer_text(answer)


def test_clauses_with_points_count_the_clauses():
    paragraphs = ["1. Khoản một:", "a) điểm a;", "b) điểm b.", "2. Khoản hai.", "3. Khoản ba."]
    count = lists.article_count(paragraphs, paragraphs)
    assert count is not None and (count.quoted, count.total, count.whole) == (3, 3, True)
    part = lists.article_count(paragraphs[3:], paragraphs)
    assert part is not None and (part.quoted, part.total, part.whole) == (2, 3, False)


@pytest.mark.parametrize(
    ("quoted", "total", "whole"),
    [
        (["1. a", "2. b"], 2, True),
        (["2. b", "3. c"], 3, False),
        (["a) x", "b) y", "c) z"], 3, True),
        (["1. a", "3. c"], 3, False),
    ],
)
def test_whole_only_from_the_first_item_to_the_last_none_skipped(quoted, total, whole):
    every = [f"{n}. item" for n in range(1, total + 1)] if quoted[0][0].isdigit() else ["a) x", "b) y", "c) z"]
    count = lists.article_count(quoted, every)
    assert count is not None and count.whole is whole


def test_list_lead_says_enough_only_when_whole():
    assert wording.list_lead(5, "hành vi") == "Tài liệu nêu 5 hành vi, đủ và theo thứ tự:"
    part = wording.list_lead(4, "nội dung", 14, "Điều 11")
    assert part.startswith("Trích 4 trong số 14 nội dung của Điều 11") and "đủ và" not in part


def test_title_names_the_list_in_any_word_order():
    assert lists.title_names("nghiêm cấm những hành vi", TITLE)
    assert lists.title_names("nội dung", "Những nội dung chính quyền địa phương cấp xã phải công khai")
    assert not lists.title_names("nghĩa vụ", TITLE)
    assert lists.asked_label("Luật THDCCS nghiêm cấm những hành vi nào?") == "hành vi"


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 25).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(1, n - 1)), st.data())))
def test_numbered_list_split_anywhere_is_quoted_whole(case):
    n, cuts, data = case
    bounds = [0, *sorted(cuts), n]
    groups = [[item(k) for k in range(a + 1, b + 1)] for a, b in zip(bounds, bounds[1:], strict=False)]
    groups[0].insert(0, LEAD_IN)
    top = data.draw(st.integers(0, len(groups) - 1))
    answer = ask(article(groups), top)
    assert quoted_items(answer) == list(range(1, n + 1))
    assert f"Tài liệu nêu {n} " in answer_text(answer)


@pytest.mark.parametrize(
    ("question", "article_number", "count"),
    [
        ("Những nội dung UBND xã phải công khai cho dân biết?", 11, 14),
        ("Luật THDCCS nghiêm cấm những hành vi nào?", 9, 5),
    ],
)
def test_real_law_lists_are_whole(law_service, question, article_number, count):
    answer = law_service.ask(question)
    group = answer.groups[0]
    assert group.source.legal is not None and group.source.legal.article == article_number
    assert group.listed == count and group.total is None
    assert quoted_items(answer) == list(range(1, count + 1))
    assert f"Tài liệu nêu {count} " in answer_text(answer)


@pytest.mark.parametrize(
    "question",
    [
        "Doanh nghiệp phải công khai cho công nhân biết những gì?",
        "Xã phải công khai những việc gì?",
        "nhung gi phai cong khai",
    ],
)
def test_what_items_question_asks_a_list_of_contents(question):
    """Found in the people's dev set: "… những gì?" named no list word, so no list article was quoted whole."""
    assert lists.asked_label(question) == "nội dung"


def test_what_items_question_gets_the_whole_list_article():
    title = "Những nội dung doanh nghiệp nhà nước phải công khai"
    groups = [[LEAD_IN, item(1), item(2)], [item(3), item(4)]]
    answer = ask(article(groups, title, 64), 1, "Doanh nghiệp nhà nước phải công khai những gì?")
    assert quoted_items(answer) == [1, 2, 3, 4] and "Tài liệu nêu 4 nội dung" in answer_text(answer)


def _ranked(titles_scores: list[tuple[str, float]]) -> list[Passage]:
    return [
        replace(p, score=score)
        for (title, score), number in zip(titles_scores, range(60, 70))
        for p in article([[item(1), item(2)]], title, number)
    ]


@pytest.mark.parametrize(
    ("scores", "question", "first"),
    [
        ((1.0, 0.9), "Người lao động được bàn và quyết định những việc gì?", 61),  # contents asked: Điều 61
        ((1.0, 0.6), "Người lao động được bàn và quyết định những việc gì?", 60),  # too far below the best
        ((1.0, 0.9), "Người lao động bàn và quyết định bằng những hình thức nào?", 60),  # forms asked
        ((1.0, 0.9), "Người lao động bàn và quyết định ở đâu?", 60),  # no list asked
    ],
)
def test_the_article_whose_title_names_the_list_asked_answers_first(scores, question, first):
    """Found in the people's dev set: "… được bàn và quyết định những việc gì?" quoted the Law's
    article of forms (Điều 68), ranked first, instead of its article of contents (Điều 67)."""
    passages = _ranked(
        [
            ("Hình thức người lao động bàn và quyết định", scores[0]),
            ("Những nội dung người lao động bàn và quyết định", scores[1]),
        ]
    )
    assert lists.facet_first(question, passages)[0].legal.article == first


def test_real_law_article_of_contents_answers_what_is_asked_of_it(law_service):
    answer = law_service.ask("Cán bộ, công chức được tham gia ý kiến những việc gì?")
    assert answer.groups[0].source.legal.article == 53  # not Điều 54 (forms) or 55 (responsibilities)


def test_a_decrees_name_says_the_subject_its_article_titles_leave_out():
    """Found in the people's dev set: "Vận động quyên góp cứu trợ thì cấm những hành vi gì?" got
    one of Nghị định 64/2008's prohibited acts: its article's title ("Các hành vi bị nghiêm cấm")
    says nothing of the appeal, the decree's name does."""
    decree = LegalSource("Nghị định", "64/2008/NĐ-CP", "Nghị định về vận động, tiếp nhận tiền, hàng cứu trợ")
    place = LegalPlace(decree, 3, "Các hành vi bị nghiêm cấm", None, code="35.4.ND.3")
    body = "\n\n".join(f"{n}. Hành vi thứ {n} làm sai lệch số liệu phân phối số {n}." for n in range(1, 4))
    passage = Passage("nd:h:0000", "nd", 0, passage_text(place, body), 0.5, PAGE, "", (), place)
    lexical = LexicalIndex.build([passage.text, "Một đoạn khác về vận động đóng góp cứu trợ ở xã."])
    answer = compose(
        "Vận động quyên góp cứu trợ thì cấm những hành vi gì?",
        Retrieval([passage], True, lexical),
        chunks_of=lambda _doc: [passage],
    )
    assert quoted_items(answer) == [1, 2, 3]


def test_a_contents_article_third_after_the_best_still_answers_first():
    """Found in the verdicts dev set: "dân được bàn và quyết định những việc gì?" ranked the
    contents article (Điều 15) fourth, after three that name the subject in other roles."""
    passages = _ranked(
        [
            ("Đề xuất nội dung để Nhân dân bàn và quyết định", 1.0),
            ("Hình thức Nhân dân bàn và quyết định", 0.98),
            ("Tổ chức cuộc họp để Nhân dân bàn và quyết định", 0.97),
            ("Những nội dung Nhân dân bàn và quyết định", 0.95),
        ]
    )
    assert lists.facet_first("Dân được bàn và quyết định những việc gì?", passages)[0].legal.article == 63


def test_the_list_of_things_typed_as_asked_stays_first():
    """ "những việc gì" is read as "nội dung"; an article "Những việc … không được làm" is the
    list asked all the same, not to be passed over for one of "Những nội dung … phải công khai"."""
    passages = _ranked(
        [
            ("Những việc cán bộ, chiến sĩ không được làm", 1.0),
            ("Những nội dung phải công khai", 0.95),
        ]
    )
    assert lists.facet_first("Cán bộ không được làm những việc gì?", passages)[0].legal.article == 60


def test_a_lead_in_of_a_clause_is_quoted_with_all_its_points_when_a_list_is_asked():
    """Found in the verdicts dev set: "Hồ sơ … gồm những giấy tờ gì?" was quoted the lead-in of
    "4. Hồ sơ … bao gồm:" with its first point only."""
    from bot.answering.quotable import quotable_spans

    text = "\n\n".join(
        [
            "3. Trình tự công nhận như sau.",
            "4. Hồ sơ đề nghị công nhận bao gồm:",
            "a) Văn bản đề nghị công nhận;",
            "b) Nghị quyết hoặc biên bản cuộc họp;",
            "c) Hương ước đã được thông qua.",
            "5. Quyết định công nhận theo Mẫu số 03.",
        ]
    )
    quotes = [text[s.start : s.end] for s in quotable_spans(text, listing=True)]
    assert any(q.startswith("Hồ sơ") and q.endswith("đã được thông qua.") for q in quotes)
    assert not any("Hồ sơ" in q and "Mẫu số 03" in q for q in quotes)  # the next clause is no point
    plain = [text[s.start : s.end] for s in quotable_spans(text)]
    assert not any("Hồ sơ" in q and "c) Hương ước" in q for q in plain)  # no list asked: as before
