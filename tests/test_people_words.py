"""Questions in people's words (issue 31, items 2 and 3): definitions, questions about a document
named by number, documents by the name a text gives them, and follow-ups that keep the frame."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answering.answer import Answer, NamedDocument, ShortAnswer
from bot.answering.conversation import Conversation
from bot.answering.definitions import asked_term, quoted_term
from bot.answering.documents import _states_issuer, asks_about, asks_issuer, no_other_line
from ingest.facts import DocumentFacts
from ingest.language.normalize import fold
from ingest.models import Passage
from ingest.registry import Directive, Mention, Registry
from ingest.registry_build import build_registry

# --- definitions: the form of the question, not its words -------------------------------------


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Hương ước hiện nay được hiểu như thế nào?", "huong uoc"),
        ("dân vận chính quyền là gì", "dan van chinh quyen"),
        ("qui che dan chu o co so la gi", "qui che dan chu o co so"),
        ("Thế nào là giám sát của MTTQ?", "giam sat cua mttq"),
        ("Khái niệm cộng đồng dân cư", "cong dong dan cu"),
        ("Phản biện xã hội nghĩa là gì vậy?", "phan bien xa hoi"),
        ("Cơ sở trong Luật Thực hiện dân chủ ở cơ sở được hiểu là gì?", "co so"),
    ],
)
def test_a_definition_is_asked_by_its_form(question, term):
    assert asked_term(question) == term


@pytest.mark.parametrize(
    "question",
    [
        "Ban Thanh tra nhân dân có mấy thành viên?",
        "Thông báo số 666 về việc gì?",
        "Ai chủ trì hội nghị?",
        "Điều 12 Luật THDCCS quy định gì?",
        "Những hành vi bị nghiêm cấm trong THDCCS là gì?",  # a list's items (found by a new cadre)
        "Các hình thức công khai thông tin là gì?",
    ],
)
def test_other_questions_ask_no_definition(question):
    assert asked_term(question) is None


def test_a_term_in_quotes_is_the_term_asked():
    assert quoted_term('"Cơ sở" trong Luật Thực hiện dân chủ ở cơ sở được hiểu là gì?') == "co so"


def test_a_term_in_quotes_of_a_question_asking_no_meaning_is_not_looked_up():
    """Seed cadre dev S029: a count of “Dân vận khéo” models was answered "no sentence defines
    Dân vận khéo"."""
    from bot.answering.definitions import asked
    from ingest.language.vocabulary import Vocabulary

    def library():
        raise AssertionError("no definition is looked for")

    question = 'Năm 2017 thành phố Bắc Ninh có bao nhiêu mô hình "Dân vận khéo" được công nhận?'
    assert asked(question, [], Registry([], []), [], Vocabulary([]), library) == (None, None)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["hương", "ước", "dân", "vận", "cộng", "đồng", "giám", "sát", "Mặt", "trận"]),
        min_size=1,
        max_size=6,
    )
)
def test_any_term_asked_by_any_form_is_read_back(words):
    term = " ".join(words)
    for form in ("{} là gì?", "{} được hiểu như thế nào?", "Thế nào là {}?", "{} nghĩa là gì", "Vậy {} là gì?"):
        assert asked_term(form.format(term)) == fold(term)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "opens"),
    [
        ("Cộng đồng dân cư được hiểu như thế nào?", "Cộng đồng dân cư là nhóm công dân"),
        ("Thế nào là thực hiện dân chủ ở cơ sở?", "Thực hiện dân chủ ở cơ sở là phương thức"),
        ("“Cơ sở” trong Luật THDCCS là gì?", "Cơ sở là xã, phường, thị trấn"),
        ("khai niem cong dong dan cu", "Cộng đồng dân cư là nhóm công dân"),
    ],
)
def test_a_definition_is_answered_by_the_sentence_that_defines_it(law_service, question, opens):
    answer = law_service.ask(question)
    assert answer.found and answer.short_answer and answer.short_answer.startswith(opens)
    assert answer.sources[0].legal is not None and answer.sources[0].legal.article == 2
    assert answer.groups[0].quotes[0].text.startswith(opens)


@pytest.mark.integration
def test_a_term_no_sentence_defines_is_said_so(law_service):
    answer = law_service.ask("Dân vận chính quyền là gì?")
    assert answer.short is None
    if answer.found:
        assert any("không có câu định nghĩa" in n and "ân vận chính quyền" in n for n in answer.notes)


@pytest.mark.integration
def test_a_list_article_titled_by_the_term_is_no_missing_definition(law_service):
    answer = law_service.ask("Nguyên tắc thực hiện dân chủ ở cơ sở là gì?")
    assert answer.found and answer.sources[0].legal is not None and answer.sources[0].legal.article == 3
    assert not any("định nghĩa" in n for n in answer.notes)


# --- a document named by number: what it is about, who issued it ------------------------------


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("KL 114 do cơ quan nào ban hành, về nội dung gì?", True),
        ("Nghị định 59 do ai ký?", True),
        ("Cơ quan ban hành Kết luận 120 là ai?", True),
        ("Luật THDCCS quy định trách nhiệm của cơ quan nào?", False),
        ("Kết luận 120 yêu cầu gì?", False),
    ],
)
def test_who_issued_it_is_asked_by_its_form(question, asks):
    assert asks_issuer(question) is asks


@pytest.mark.integration
def test_a_notice_known_from_a_mention_is_answered_from_the_sentence_naming_it(service):
    answer = service.ask("Thông báo số 666 của Ban Thường vụ Tỉnh ủy về việc gì?")
    assert answer.found
    assert any("666" in q.text and "kế hoạch khảo sát" in q.text for g in answer.groups for q in g.quotes)


@pytest.mark.integration
def test_a_regulation_asked_what_it_is_gets_its_card(service):
    answer = service.ask("Quy chế số 01 ngày 22/4/2016 là quy chế gì?")
    assert answer.found
    (card,) = [c.document for c in answer.cards if c.document]
    assert "phối hợp công tác dân vận" in card.summary


@pytest.mark.integration
def test_the_issuer_asked_is_the_documents_not_another_named_beside_it(service):
    answer = service.ask("KL 114 do cơ quan nào ban hành?")
    assert answer.short_answer == "Ban Bí thư Trung ương"
    assert "Ban Bí thư Trung ương" in answer.sources[answer.short.source - 1].text  # type: ignore[union-attr]
    both = service.ask("KL 114 do cơ quan nào ban hành, về nội dung gì?")  # two things asked: a line for each
    assert [s.line for s in both.first_lines] == [
        "KL 114 do cơ quan nào ban hành — Ban Bí thư Trung ương",
        "về nội dung gì — Nâng cao hiệu quả công tác dân vận của cơ quan nhà nước các cấp",
    ]
    assert "Ban Bí thư Trung ương" in both.sources[both.first_lines[0].source - 1].text


def test_an_issuer_is_said_by_its_own_name_not_as_the_tail_of_another():
    assert _states_issuer("Quốc hội", "Luật này được Quốc hội khóa XV thông qua")
    assert _states_issuer("Quốc hội", "Luật số 10/2022/QH15 của Quốc hội")
    assert not _states_issuer("Quốc hội", "Pháp lệnh số 34/2007 của Ủy ban Thường vụ Quốc hội về …")


@pytest.mark.integration
def test_the_law_s_issuer_is_cited_to_its_own_article_not_another_body_s_name(law_service):
    """Found: "Quốc hội" cited to Điều 90, which names only the "Ủy ban Thường vụ Quốc hội"."""
    answer = law_service.ask("Luật THDCCS do cơ quan nào ban hành?")
    assert answer.short_answer == "Quốc hội"
    cited = answer.sources[answer.short.source - 1]  # type: ignore[union-attr]
    assert (
        cited.legal is not None and cited.legal.source.ref == "10/2022/QH15" and cited.legal.source.issuer == "Quốc hội"
    )


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("về việc gì?", True),
        ("nói về chuyện gì", True),
        ("áp dụng cho đâu?", True),
        ("quy định về dân chủ trong lĩnh vực nào?", True),  # "dân chủ": the name's own words
        ("", True),
        ("quy định gì về việc dịch hương ước?", False),
        ("có hiệu lực từ ngày nào?", False),
    ],
)
def test_what_a_document_is_about_is_asked_by_its_form(question, about):
    d = _law("92/2020/TT-BCA", "", True)
    d.type, d.name = "Thông tư", "Thông tư quy định về thực hiện dân chủ trong các cơ sở y tế Công an nhân dân"
    assert asks_about(question, d) is about


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("Thông tư 92/2020/TT-BCA áp dụng cho đâu?", "cơ sở y tế Công an nhân dân"),
        ("Nghị định 61/2023 nói về chuyện gì?", "Nghị định này quy định về"),
        ("NĐ 59 quy định về gì?", "Nghị định này quy định chi tiết"),
    ],
)
def test_a_held_text_asked_what_it_governs_is_answered_by_its_scope_article(law_service, question, says):
    answer = law_service.ask(question)
    assert answer.found and answer.short_answer and says in answer.short_answer
    assert answer.sources[0].legal is not None and answer.sources[0].legal.article == 1


@pytest.mark.integration
def test_a_cited_text_asked_what_it_is_about_gets_its_subject_as_a_sentence_states_it(service):
    answer = service.ask("Kết luận 120 nói về chuyện gì?")
    assert (
        answer.short_answer
        == "tiếp tục đẩy mạnh, nâng cao chất lượng, hiệu quả việc xây dựng và thực hiện QCDC ở cơ sở"
    )
    assert "120-KL/TW" in answer.sources[answer.short.source - 1].text  # type: ignore[union-attr]


@pytest.mark.integration
def test_which_document_is_the_one_whose_name_says_it(law_service):
    answer = law_service.ask("Thông tư nào quy định dân chủ trong cơ sở y tế công an?")
    assert answer.short_answer == "Thông tư số 92/2020/TT-BCA"
    assert answer.sources[0].legal is not None and answer.sources[0].legal.source.ref == "92/2020/TT-BCA"
    assert law_service.ask("Văn bản nào quy định về Ban Thanh tra nhân dân?").short is None  # many: none named


def test_which_document_is_never_answered_by_a_body():
    answer = Answer("q", True, short=ShortAnswer("bản và gửi đến cơ quan", 1))
    assert no_other_line("Văn bản nào quy định về Ban Thanh tra nhân dân?", answer).short is None
    named = Answer("q", True, short=ShortAnswer("Thông tư số 92/2020/TT-BCA", 1))
    assert no_other_line("Văn bản nào quy định dân chủ trong y tế?", named).short is not None
    assert no_other_line("Ban nào chủ trì?", answer).short is not None


# --- documents by the name a text gives them ---------------------------------------------------


def _law(ref: str, sentence: str, held: bool) -> Directive:
    number = ref.split("/")[0]
    d = Directive(ref, "Luật", number, ref[len(number) + 1 :], None, "Quốc hội", None, None, None)
    d.mentions = [Mention("doc", "Một văn bản", "doc:1", sentence, ref)]
    if held:
        d.articles = {"1": ["law:1"]}
    return d


def test_a_name_written_beside_the_number_names_the_document():
    law = _law(
        "75/2015/QH13", "… quy định tại khoản 3 Điều 25 của Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13", True
    )
    assert {"Luật Mặt trận Tổ quốc Việt Nam", "Luật Mặt trận Tổ quốc", "Luật mttq", "Luật mttqvn"} <= set(law.names)


@pytest.mark.parametrize(
    "question", ["Luật Mặt trận Tổ quốc", "Luật MTTQ quy định gì?", "luat mat tran to quoc viet nam"]
)
def test_the_held_text_wins_a_name_two_documents_share(question):
    old = _law("14/1999/QH10", "Luật Mặt trận Tổ quốc Việt Nam số 14/1999/QH10 hết hiệu lực thi hành", False)
    new = _law("75/2015/QH13", "của Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13", True)
    assert Registry([old, new], []).named_in(question)[:1] == [new]


def test_a_number_without_a_name_before_it_gives_none():
    law = _law("75/2015/QH13", "theo Luật số 75/2015/QH13 và các văn bản khác", True)
    assert law.stated_names() == []


def _passage(doc_id: str, n: int, text: str, title: str) -> Passage:
    facts = DocumentFacts(title=title, locality="thành phố Cần Thơ", kind="note")
    return Passage(f"{doc_id}:{n}", doc_id, n, text, 0.0, facts)


def test_a_law_without_a_name_of_its_own_takes_the_one_a_citing_text_writes():
    cited = "Hoạt động giám sát theo khoản 3 Điều 25 của Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13."
    registry = build_registry([_passage("a", 0, cited, "Một bài viết")])
    (d,) = [d for d in registry.directives if d.number == "75"]
    assert d.name == "Luật Mặt trận Tổ quốc Việt Nam"


def test_a_header_number_line_makes_the_document_its_own_text():
    header = "| **ỦY BAN NHÂN DÂN** THÀNH PHỐ CẦN THƠ | Số: 2579/QĐ-UBND | *Cần Thơ, ngày 21 tháng 11 năm 2025*"
    body = "(Kèm theo Quyết định số 2579/QĐ-UBND ngày 21 tháng 11 năm 2025 của Ủy ban nhân dân thành phố Cần Thơ)*"
    registry = build_registry(
        [_passage("qd", 0, header, "Quyết định 2579"), _passage("qd", 1, body, "Quyết định 2579")]
    )
    (d,) = [d for d in registry.directives if d.number == "2579"]
    assert d.primary is not None and d.primary.doc_id == "qd"
    assert d.issuer == "Ủy ban nhân dân thành phố Cần Thơ"


# --- follow-ups that keep the frame -------------------------------------------------------------


def _turn(conversation: Conversation, question: str, directives: list[NamedDocument] | None = None) -> None:
    conversation.record(question, Answer(question, True, directives=directives or []))


def test_another_article_of_the_same_document():
    c = Conversation()
    _turn(c, "Điều 12 Luật THDCCS quy định gì?")
    assert c.understand("còn điều 13 thì sao?") == "Điều 13 Luật THDCCS quy định gì?"


def test_a_plan_pointed_back_to_is_the_plan_the_answer_named():
    c = Conversation()
    plan = NamedDocument("88-KH/TU", "Kế hoạch", "mentioned", True)
    report = NamedDocument("227-TB/TU", "Thông báo", "mentioned", True)
    _turn(c, "Hưng Yên đã làm gì để thực hiện QCDC?", [report, plan])
    assert (
        c.understand("kế hoạch đó bắt đầu triển khai từ tháng mấy?")
        == "Kế hoạch số 88-KH/TU bắt đầu triển khai từ tháng mấy?"
    )
    assert c.understand("thông báo đó về việc gì?") == "Thông báo số 227-TB/TU về việc gì?"


def test_only_words_that_point_back_take_the_previous_document():
    c = Conversation()
    law = NamedDocument("10/2022/QH15", "Luật", "asked", True, name="Luật Thực hiện dân chủ ở cơ sở")
    _turn(c, "Luật THDCCS quy định những hình thức công khai nào?", [law])
    assert (
        c.understand("văn bản đó có hiệu lực từ ngày nào?") == "Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày nào?"
    )
    assert (
        c.understand("van ban do co hieu luc tu ngay nao?") == "Luật Thực hiện dân chủ ở cơ sở co hieu luc tu ngay nao?"
    )
    assert c.understand("Quyết định do ai ký?") is None  # "do" is "by" here
    assert c.understand("Trong đó, ai chủ trì hội nghị?") is None
    assert (
        c.understand("ở đó quy định gì về hội nghị?") == "trong Luật Thực hiện dân chủ ở cơ sở quy định gì về hội nghị?"
    )


def test_a_body_pointed_back_to_keeps_its_name_and_its_setting():
    c = Conversation()
    _turn(c, "Ở doanh nghiệp nhà nước thì ai bầu ra Ban Thanh tra nhân dân?")
    assert (
        c.understand("Thế nhiệm kỳ của ban đó là bao lâu?")
        == "Thế nhiệm kỳ của Ban Thanh tra nhân dân là bao lâu ở doanh nghiệp nhà nước?"
    )
    assert c.understand("hội nghị đó họp mấy lần?") is None  # no "Hội nghị …" before: read as typed


@pytest.mark.integration
def test_a_session_keeps_its_document_then_starts_a_new_frame(law_service):
    c = Conversation(turns=5)
    first = law_service.ask("Điều 12 Luật THDCCS quy định gì?", conversation=c)
    assert first.sources[0].legal.article == 12  # type: ignore[union-attr]
    second = law_service.ask("còn điều 13 thì sao?", conversation=c)
    assert second.found and {s.legal.article for s in second.sources if s.legal} == {13}
    assert any("Điều 13 Luật THDCCS" in n for n in second.notes)
    third = law_service.ask("còn khoản 2 điều 14 thì sao?", conversation=c)
    assert third.found and {s.legal.article for s in third.sources if s.legal} == {14}
    fourth = law_service.ask("văn bản đó do cơ quan nào ban hành?", conversation=c)
    assert any("Luật Thực hiện dân chủ ở cơ sở" in n for n in fourth.notes)
    assert fourth.short_answer == "Quốc hội"
    fifth = law_service.ask("Cộng đồng dân cư được hiểu như thế nào?", conversation=c)  # a new topic: as typed
    assert not any("Hiểu câu hỏi là" in n for n in fifth.notes)
    assert fifth.short_answer and fifth.short_answer.startswith("Cộng đồng dân cư là")


@pytest.mark.integration
def test_a_question_about_the_law_then_another_article_of_it(law_service):
    c = Conversation()
    law_service.ask("Luật THDCCS quy định những hình thức công khai thông tin nào?", conversation=c)
    answer = law_service.ask("còn điều 14 thì sao?", conversation=c)
    assert answer.found and {s.legal.article for s in answer.sources if s.legal} == {14}
    answer = law_service.ask("ở đó quy định thế nào về hội nghị trao đổi, đối thoại?", conversation=c)
    assert answer.found and all(s.legal is not None and s.legal.source.ref == "10/2022/QH15" for s in answer.sources)


PLACES = ["tỉnh Hưng Yên", "thành phố Bắc Ninh", "thành phố Cần Thơ"]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("BDV các cấp ở HY đã làm đc những việc gì?", "BDV các cấp ở Hưng Yên đã làm đc những việc gì?"),
        ("Thành ủy BN phối hợp thế nào?", "Thành ủy Bắc Ninh phối hợp thế nào?"),
        ("HY có bao nhiêu xã?", "HY có bao nhiêu xã?"),  # no word says a place: "HY" may be anything
        ("Đại biểu BN phát biểu gì?", "Đại biểu BN phát biểu gì?"),
        ("CT 30 yêu cầu gì?", "CT 30 yêu cầu gì?"),  # a document's type and number
        ("CT yêu cầu gì?", "CT yêu cầu gì?"),  # an abbreviation of the vocabulary (Chỉ thị), not Cần Thơ
        ("hy vọng gì ở thôn?", "hy vọng gì ở thôn?"),  # lower case is a word
        ("HN có bao nhiêu xã?", "HN có bao nhiêu xã?"),  # no place of the library
    ],
)
def test_a_library_place_typed_by_its_initials_is_written_out(typed, read):
    """Found on the public cadre set (C013): "ở HY" found Hưng Yên's report, but its sentences
    count the place as said only by its name, so another document's were quoted."""
    from bot.answering.question import places_written_out
    from ingest.language.vocabulary import unit_vocabulary

    assert places_written_out(typed, PLACES, unit_vocabulary(None, None)) == read
