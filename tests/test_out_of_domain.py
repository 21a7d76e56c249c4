"""Questions outside the library's domain get a reply saying what the assistant covers
(found None); near misses inside it stay "the library does not say" (found False)."""

from __future__ import annotations

import pytest

from bot import wording
from bot.answering.retrieval import OUT_OF_DOMAIN, Retrieval, out_of_domain
from ingest.language.vocabulary import load
from tests.conftest import make_settings


def _retrieval(nearest: float, covered: float, found: bool = False) -> Retrieval:
    return Retrieval([], found, None, nearest=nearest, covered=covered)  # type: ignore[arg-type]


def test_far_in_meaning_and_in_words_is_out_of_domain(tmp_path):
    settings = make_settings(tmp_path)
    bound = OUT_OF_DOMAIN[settings.embedding_model]
    assert out_of_domain(_retrieval(bound - 0.02, 0.1), settings, says_domain=lambda: False)
    # near in meaning, or sharing words, or saying a word of the domain: inside it
    assert not out_of_domain(_retrieval(bound + 0.01, 0.1), settings, says_domain=lambda: False)
    assert not out_of_domain(_retrieval(bound - 0.02, 0.5), settings, says_domain=lambda: False)
    assert not out_of_domain(_retrieval(bound - 0.02, 0.1), settings, says_domain=lambda: True)
    # something was found: never
    assert not out_of_domain(_retrieval(bound - 0.02, 0.1, found=True), settings, says_domain=lambda: False)


@pytest.mark.parametrize(
    ("question", "domain"),
    [
        ("Trưởng thôn được phụ cấp bao nhiêu?", True),  # a text's term, as written
        ("truong thon duoc phu cap bao nhieu", True),  # the same, typed without accents
        ("lệ làng có cần ai duyệt không", True),  # people's words for one
        ("giá vàng hôm nay bao nhiêu", False),
        ("tối nay đội tuyển đá với ai", False),
    ],
)
def test_the_vocabulary_says_which_words_are_the_domain_s(question, domain):
    assert load().says_domain(question) is domain


def test_a_model_not_measured_has_no_bound(tmp_path):
    settings = make_settings(tmp_path, embedding_model="sentence-transformers/all-MiniLM-L6-v2")
    assert not out_of_domain(_retrieval(0.1, 0.0), settings, says_domain=lambda: False)


@pytest.mark.integration
@pytest.mark.parametrize(
    "question", ["hôm nay thời tiết thế nào", "gia vang hom nay bao nhieu", "Tối nay đội tuyển đá với ai?"]
)
def test_weather_prices_football_are_told_what_the_assistant_covers(law_service, question):
    answer = law_service.ask(question)
    assert answer.found is None and answer.message == wording.OUT_OF_DOMAIN
    assert not answer.sources


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    [
        "Trưởng thôn được phụ cấp bao nhiêu tiền một tháng?",  # the domain's subject, a figure no text states
        "lệ làng thôn tôi soạn xong thì ai duyệt",  # people's words for hương ước
    ],
)
def test_the_domain_s_own_subjects_are_never_out_of_domain(law_service, question):
    assert law_service.ask(question).found is not None
