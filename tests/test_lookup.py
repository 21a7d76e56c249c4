"""Looking directives up, and answers to questions that name them."""

from __future__ import annotations

import json

import pytest
from conftest import load_jsonl
from test_cli import run

from bot.answering.lookup import lookup_json
from bot.render.text import answer_text

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("query", "ref"),
    [("120-KL/TW", "120-KL/TW"), ("120", "120-KL/TW"), ("kl 120", "120-KL/TW"), ("ket luan 120", "120-KL/TW"),
     ("Nghị quyết 25", "25-NQ/TW"), ("217-QD/TW", "217-QĐ/TW"), ("Kết luận số 120 - KL/TW", "120-KL/TW"),
     ("01-CTPH/BDVTU-BCSĐUBND", "01-CTr/BDVTU-BCSĐUBND"), ("Quy chế 01", "01"), ("nq 26", "26-NQ/TW")],
)
def test_lookup_finds_exact_partial_and_unaccented(service, query, ref):
    result = service.lookup(query)
    assert result.found and result.directives[0].ref == ref


def test_ambiguous_number_lists_what_tells_candidates_apart(service):
    result = service.lookup("01")
    assert not result.found
    refs = {d.ref for d in result.candidates}
    assert refs == {"01-ĐA/TU", "01-CTr/BDVTU-BCSĐUBND", "01"}
    data = lookup_json(result)
    assert data["found"] is False and data["directives"] == [] and len(data["candidates"]) == 3
    assert all(c["date"] for c in data["candidates"])


@pytest.mark.parametrize("query", ["999-KL/TW", "Kết luận 999", "59/2023/NĐ-CP", "7777"])
def test_unknown_number_is_not_in_the_corpus(service, query):
    result = service.lookup(query)
    assert not result.found and not result.candidates


def test_lookup_json_shape(service):
    data = lookup_json(service.lookup("88-KH/TU"))
    (d,) = data["directives"]
    assert set(data) == {"query", "found", "directives", "candidates"}
    assert {"ref", "type", "date", "issuer", "term", "subject", "locality", "relations", "mentions"} <= set(d)
    assert d["relations"] == [{"kind": "implements", "ref": "18-NQ/TW"}]
    assert d["locality"] == "tỉnh Hưng Yên"
    assert set(d["mentions"][0]) == {"doc_id", "title", "sentence"}


def test_named_directive_card_comes_first_then_its_passages(service):
    answer = service.ask("Kết luận 120-KL/TW yêu cầu gì?")
    assert answer_text(answer).startswith("Văn bản: Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị")
    assert [d.to_json() for d in answer.directives if d.role == "asked"] == [{
        "ref": "120-KL/TW", "type": "Kết luận", "date": "2016-01-07", "issuer": "Bộ Chính trị",
        "subject": "tiếp tục đẩy mạnh, nâng cao chất lượng, hiệu quả việc xây dựng và thực hiện QCDC ở cơ sở",
        "name": None, "in_corpus": True, "role": "asked",
    }]
    assert all(d.role == "mentioned" for d in answer.directives[1:])
    assert answer.sources and all("120-KL/TW" in s.text for s in answer.sources)


@pytest.mark.parametrize(
    ("question", "ref"),
    [("Chỉ thị 05 của Bộ Chính trị", "05-CT/TW"), ("nghi quyet 26 ve doi ngu can bo", "26-NQ/TW"),
     ("Nghị quyết 02 của Thành ủy Bắc Ninh về gì?", "02-NQ/TU")],
)
def test_partial_names_are_resolved_in_answers(service, question, ref):
    answer = service.ask(question)
    assert answer.found and [d.ref for d in answer.directives if d.role == "asked"] == [ref]


@pytest.mark.parametrize(
    ("question", "missing"),
    [("Nghị định 59/2023/NĐ-CP quy định gì?", "59/2023/NĐ-CP"), ("Kết luận 999-KL/TW", "999-KL/TW"),
     ("Kết luận 999 yêu cầu gì?", "Kết luận số 999")],
)
def test_unknown_directive_answers_not_found(service, question, missing):
    answer = service.ask(question)
    assert not answer.found and not answer.sources and missing in answer_text(answer)
    assert answer.directives and answer.directives[0].in_corpus is False


def test_ambiguous_directive_in_a_question_lists_candidates(service):
    answer = service.ask("Văn bản số 01 nói gì?")
    assert "có thể là một trong 3 văn bản" in answer_text(answer)
    assert {d.ref for d in answer.directives if d.role == "asked"} == {"01-ĐA/TU", "01-CTr/BDVTU-BCSĐUBND", "01"}


def test_eval_directives_are_resolved(service):
    for case in load_jsonl("qa_public.jsonl"):
        resolved = {d.ref for d in service.ask(case["q"]).directives if d.in_corpus}
        assert set(case["directives"]) <= resolved, case["id"]


def test_lookup_cli(corpus_settings, tmp_path):
    code, out, _ = run(["bot", "lookup", "kl 120", "--json"], tmp_path, corpus_settings)
    assert code == 0 and json.loads(out)["directives"][0]["ref"] == "120-KL/TW"
    code, out, _ = run(["bot", "lookup", "01"], tmp_path, corpus_settings)
    assert code == 1 and "ứng với 3 văn bản" in out
    code, out, _ = run(["bot", "lookup", "999-KL/TW"], tmp_path, corpus_settings)
    assert code == 1 and "không có văn bản" in out
    code, out, _ = run(["bot", "lookup", "Chỉ thị số 05-CT/TW"], tmp_path, corpus_settings)
    assert code == 0 and out.startswith("Chỉ thị số 05-CT/TW") and "Ngày ban hành: 15/05/2016" in out
