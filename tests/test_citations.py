import pytest

from conftest import load_jsonl
from ingest.citations import find_refs, ref_key


@pytest.mark.parametrize("case", load_jsonl("citations_public.jsonl"), ids=lambda c: c["id"])
def test_public_citation_refs(case):
    # numbered refs with a symbol; bare numbers ("Quy chế số 01") are the citations issue's
    expected = [e["ref"] for e in case["expect"] if "/" in e["ref"]]
    assert find_refs(case["text"]) == expected


@pytest.mark.parametrize(
    ("text", "ref"),
    [("Thông tư 320/2016/TT-BTC", "320/2016/TT-BTC"), ("34/2007/PL-UBTVQH11", "34/2007/PL-UBTVQH11"),
     ("Quyết định 1085/QĐ-UBND", "1085/QĐ-UBND"), ("ket luan 120-kl/tw", "120-KL/TW"), ("217-QD/TW", "217-QĐ/TW")],
)
def test_state_style_and_lower_case_refs(text, ref):
    assert find_refs(text) == [ref]


def test_dates_and_ranges_are_not_refs():
    assert find_refs("ngày 06/7/2016, giai đoạn 2015 - 2020, đạt 8.331 tỷ đồng") == []


def test_ref_key_ignores_case_and_diacritics():
    assert ref_key("217- QĐ/TW") == ref_key("217-qd/tw") == "217-QD/TW"
