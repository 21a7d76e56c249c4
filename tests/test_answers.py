"""Answers on the real corpus against the public evaluation set."""

from __future__ import annotations

import pytest
from conftest import load_jsonl

from bot.render.json import answer_json
from bot.render.text import answer_text
from bot.wording import NOT_FOUND
from ingest import InvalidQuestionError, normalize_text

pytestmark = pytest.mark.integration

QA = load_jsonl("qa_public.jsonl")
IN_CORPUS = [q for q in QA if q["found"]]


@pytest.mark.parametrize("case", IN_CORPUS, ids=lambda c: c["id"])
def test_in_corpus_questions_get_an_answer_with_sources(service, case):
    answer = service.ask(case["q"])
    assert answer.found
    assert answer_text(answer).strip() and answer_text(answer) != NOT_FOUND
    assert answer.sources and all(s.text for s in answer.sources)
    # every citation number in the answer names a listed source
    import re

    cited = {int(n) for n in re.findall(r"\[(\d+)\]", answer_text(answer))}
    assert cited and cited <= {s.n for s in answer.sources}


def test_expected_phrase_in_top_5_sources_for_80_percent(service):
    cases = [q for q in IN_CORPUS if q["phrase"]]
    hits = [
        any(normalize_text(q["phrase"]) in normalize_text(s.text) for s in service.ask(q["q"], k=5).sources[:5])
        for q in cases
    ]
    assert sum(hits) / len(hits) >= 0.8, [q["id"] for q, h in zip(cases, hits) if not h]


def test_facts_appear_in_answers(service):
    cases = [q for q in IN_CORPUS if q["facts"]]
    ok = [all(f in normalize_text(answer_text(service.ask(q["q"]))) for f in q["facts"]) for q in cases]
    assert sum(ok) / len(ok) >= 0.7, [q["id"] for q, good in zip(cases, ok) if not good]


@pytest.mark.parametrize("case", [q for q in QA if not q["found"]], ids=lambda c: c["id"])
def test_out_of_corpus_questions_abstain(service, case):
    answer = service.ask(case["q"])
    assert not answer.found and not answer.sources
    assert "không có" in answer_text(answer)


@pytest.mark.parametrize("q", ["Giá vàng hôm nay?", "Thời tiết Hà Nội ngày mai thế nào?", "Ai vô địch World Cup 2018?"])
def test_off_topic_questions_abstain(service, q):
    assert not service.ask(q).found


def test_unknown_directive_is_named_in_the_answer(service):
    answer = service.ask("Nghị định 04/2015/NĐ-CP quy định gì?")
    assert not answer.found and "04/2015/NĐ-CP" in answer_text(answer)


def test_named_directive_answers_only_from_passages_citing_it(service):
    answer = service.ask("Kết luận 120-KL/TW yêu cầu gì?")
    assert answer.found and all("120-KL/TW" in s.text for s in answer.sources)
    assert "07/01/2016" in answer_text(answer)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("ket luan 120-kl/tw yeu cau gi", "Kết luận 120-KL/TW yêu cầu gì?"),
     ("Ban Dân vận Tỉnh uỷ tham mưu gì về QCDC?", "Ban Dân vận Tỉnh ủy tham mưu gì về QCDC?"),
     ("KL120 yêu cầu gì?", "Kết luận 120-KL/TW yêu cầu gì?"),
     ("qui chế dân chủ ở cơ sở", "quy chế dân chủ ở cơ sở")],
)
def test_spelling_variants_find_the_same_passage(service, typed, canonical):
    assert service.ask(typed).sources[0].chunk_id == service.ask(canonical).sources[0].chunk_id


def test_answer_cites_only_corpus_text(service):
    answer = service.ask("Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?")
    assert "8.331 tỷ đồng" in answer_text(answer)
    for line in answer_text(answer).splitlines():
        if line.startswith("• "):
            quote = line[2:].rsplit(" [", 1)[0].strip("…")
            assert any(quote in " ".join(s.text.split()) for s in answer.sources), quote


def test_sources_carry_only_known_facts(service):
    answer = service.ask("Ai là tác giả bài viết về phối hợp công tác dân vận ở thành phố Bắc Ninh?")
    assert "Nguyễn Đức Hiện" in answer_text(answer)
    assert all(s.facts.url is None for s in answer.sources)
    payload = answer_json(answer)
    assert set(payload) == {
        "question", "answer", "short_answer", "short_answers", "found", "quotes", "sources", "related", "notes", "suggestion",
        "directives", "generator", "verification", "timings_ms",
    }  # fmt: skip
    assert payload["short_answer"] == "Nguyễn Đức Hiện"  # the article's stated author
    assert payload["short_answers"] == ["Nguyễn Đức Hiện"]  # one clause asked, so one line
    assert payload["verification"] == {"checked": 0, "dropped": 0, "reasons": []}
    assert set(payload["sources"][0]) == {"n", "doc_id", "title", "section", "url", "site", "chunk_id", "text", "score", "citation", "document", "article", "clause"}
    assert payload["sources"][0]["document"] is None and payload["sources"][0]["article"] is None
    assert payload["generator"] == "extractive"
    assert all(d["role"] == "mentioned" for d in payload["directives"])  # the question names none
    assert set(payload["timings_ms"]) == {"retrieve", "answer", "total"}


@pytest.mark.parametrize("bad", ["", "   \n\t", "x" * 10_000, "?!… 🙂🙂", "🙏"])
def test_bad_questions_are_refused_with_a_reason(service, bad):
    with pytest.raises(InvalidQuestionError) as info:
        service.ask(bad)
    assert info.value.for_user()


def test_known_and_unknown_numbers_in_one_question(service):
    answer = service.ask("So sánh Kết luận 120-KL/TW và Thông tư 320/2016/TT-BTC")
    assert answer.found and all("120-KL/TW" in s.text for s in answer.sources)
    assert "Kho tài liệu hiện có không có văn bản nào mang số hiệu 320/2016/TT-BTC." in answer.notes


def test_quality_floors_on_the_eval_sets(service):
    """Regression floors, a little under what `make eval` measures (BENCHMARKS.md)."""
    from evaluate import evaluate, load_questions

    public = evaluate(service, QA, "hybrid")
    assert public["Hit@3"] >= 0.9 and public["MRR"] >= 0.85 and public["facts"] >= 0.85
    assert public["abstention"] == 1.0 and public["false_abstentions"] == 0
    everything = evaluate(service, load_questions("qa_public.jsonl") + load_questions("qa_own.jsonl"), "hybrid")
    assert everything["Hit@3"] >= 0.93 and everything["MRR"] >= 0.85 and everything["facts"] >= 0.85
    assert everything["abstention"] == 1.0 and everything["false_abstentions"] <= 1
