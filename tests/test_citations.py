import json
import subprocess
import sys
import unicodedata

import pytest
from conftest import ROOT, load_jsonl

from ingest.language.citations import canonical_ref, find_refs, find_relations, parse_citations, ref_key

CASES = load_jsonl("citations_public.jsonl") + load_jsonl("citations_own.jsonl")


def test_own_cases_cover_enough_forms():
    own = load_jsonl("citations_own.jsonl")
    assert len(own) >= 60
    assert sum(1 for c in own if not c["expect"]) >= 10  # texts with no citation at all


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_every_ref_type_and_stated_date(case):
    got = [{"type": c.type, "ref": c.ref, "date": c.date} for c in parse_citations(case["text"])]
    assert got == case["expect"]


def test_spans_point_into_the_text_as_given():
    text = unicodedata.normalize("NFD", "Thực hiện Kết luận số 120\u00a0-\u00a0KL/TW ngày 07/01/2016.")
    (c,) = parse_citations(text)
    assert text[c.start : c.end] == c.text
    assert unicodedata.normalize("NFC", c.text).startswith("Kết luận số 120")


def test_issuer_term_and_subject():
    (c,) = parse_citations(
        "Kế hoạch của Ban Chấp hành Đảng bộ tỉnh về thực hiện Nghị quyết số 26-NQ/TW ngày 19/5/2018 của Hội nghị "
        "lần thứ bảy Ban Chấp hành Trung ương Đảng khóa XII về “Tập trung xây dựng đội ngũ cán bộ các cấp”."
    )
    assert (c.number, c.symbol) == ("26", "NQ/TW")
    assert c.issuer == "Hội nghị lần thứ bảy Ban Chấp hành Trung ương Đảng" and c.term == "XII"
    assert c.subject == "Tập trung xây dựng đội ngũ cán bộ các cấp"


def test_a_list_shares_the_facts_stated_after_it():
    a, b, c = parse_citations(
        "Quyết định số 217- QĐ/TW, Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị và "
        "Quyết định số 184-QĐ/TU ngày 25/02/2016 của BTV Tỉnh ủy về Quy định trách nhiệm của cấp ủy"
    )
    assert a.issuer == b.issuer == "Bộ Chính trị"
    assert c.issuer == "BTV Tỉnh ủy" and c.subject == "Quy định trách nhiệm của cấp ủy"


def test_unaccented_text_gets_the_canonical_symbol():
    assert find_refs("quyet dinh 217-qd/tw, de an 01-da/tu, 11-qdi/tw, 01-ctr/bdvtu-bcsdubnd") == [
        "217-QĐ/TW", "01-ĐA/TU", "11-QĐi/TW", "01-CTr/BDVTU-BCSĐUBND",
    ]


def test_the_abbreviations_most_typed_may_be_glued_to_the_number():
    got = [(c.type, c.ref) for t in ("KL120", "NQ25 nói gì?", "QĐ217", "nd59/2023") for c in parse_citations(t)]
    assert got == [("Kết luận", "120"), ("Nghị quyết", "25"), ("Quyết định", "217"), ("Nghị định", "59")]
    (c,) = parse_citations("QĐ217 của Bộ Chính trị")
    assert c.text == "QĐ217" and c.issuer == "Bộ Chính trị"
    for text in ("KL2018", "tt1", "ABCKL120", "mã KL120A", "NQ25%"):  # a year, one digit, inside a word
        assert parse_citations(text) == [], text


def test_ref_key_ignores_case_accents_and_spaces():
    assert ref_key("217- QĐ/TW") == ref_key("217-qd/tw") == "217-QD/TW"
    assert canonical_ref("08-KH/BDVTU- BCSĐUBND") == "08-KH/BDVTU-BCSĐUBND"


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Kế hoạch số 88-KH/TU ngày 05/02/2018 của Ban Chấp hành Đảng bộ tỉnh về thực hiện Nghị quyết số 18-NQ/TW",
         ("88-KH/TU", "implements", "18-NQ/TW")),
        ("Thông báo số 227-TB/TU, ngày 06/7/2016 về tiếp tục triển khai, tổ chức thực hiện Đề án số 01-ĐA/TU",
         ("227-TB/TU", "continues", "01-ĐA/TU")),
        ("Kế hoạch số 12-KH/TU về sơ kết 3 năm thực hiện Kết luận số 120-KL/TW", ("12-KH/TU", "reviews", "120-KL/TW")),
    ],
)
def test_relations_stated_in_the_text(text, relation):
    assert [(r.source.ref, r.kind, r.target.ref) for r in find_relations(text)] == [relation]


def test_no_relation_without_a_verb():
    assert find_relations("Kết luận số 114-KL/TW về Quyết định số 819-QĐ/TU") == []


def test_cli_prints_json_and_text():
    env = {"PYTHONPATH": str(ROOT)}
    text = "Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về tiếp tục đẩy mạnh QCDC."
    out = subprocess.run([sys.executable, "-m", "ingest", "citations", "--json"], input=text.encode(),
                         capture_output=True, env=env, check=True).stdout
    (c,) = json.loads(out)
    assert set(c) == {"start", "end", "text", "type", "ref", "number", "symbol", "date", "issuer", "term", "subject"}
    assert (c["ref"], c["date"], c["issuer"], c["subject"]) == ("120-KL/TW", "2016-01-07", "Bộ Chính trị", "tiếp tục đẩy mạnh QCDC")
    plain = subprocess.run([sys.executable, "-m", "ingest", "citations"], input=b"\xff garbage 05-CT/TW",
                           capture_output=True, env=env, check=True)
    assert "05-CT/TW" in plain.stdout.decode() and "không phải UTF-8" in plain.stderr.decode()
