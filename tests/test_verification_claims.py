"""Generated sentences checked claim by claim against the sentences they cite (issue 30, item 7).

Each attack that once reached users is a regression test named after it (a passage and a generated
sentence → dropped), beside faithful rewordings of the same passages (→ kept): a check that drops
everything would pass the first half alone.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from conftest import ROOT, make_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from bot.answering.answer import ShortAnswer
from bot.answering.claims import PARAPHRASE_SHARE, _sentences, _words, figures, paraphrase_share, short_figure
from bot.answering.generation import Generator
from bot.answering.verification import verify

# The passage the attacks were found on (corpus/articles/hungyen-tham-muu-qcdc.md).
HY = (
    "9 tháng đầu năm 2018, thu hút thêm 139 dự án đầu tư, thành lập mới 902 doanh nghiệp, chỉ số sản xuất công "
    "nghiệp tăng 10,9%; xuất khẩu đạt 3,1 tỷ USD, tăng 12,7%; thu ngân sách đạt 8.331 tỷ đồng, đạt 69,4% kế hoạch "
    "năm (trong đó thu nội địa đạt 6.014 tỷ đồng, đạt 70% dự toán HĐND giao); có thêm 8 xã được công nhận đạt chuẩn "
    "nông thôn mới, nâng tổng số xã đạt chuẩn nông thôn mới là 95 xã (đạt 65,5%)."
)
KL = "Sơ kết 3 năm thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về QCDC ở cơ sở."
LAW = "Điều 5. Nội dung công khai\n1. Ngân sách xã được công khai cho Nhân dân biết. Thu chi chưa được công khai thì bị xử lý."
TWO_YEARS = "Năm 2017, thu ngân sách đạt 7.000 tỷ đồng. Năm 2018, thu ngân sách đạt 8.331 tỷ đồng."
ISSUED = "Kết luận số 120-KL/TW ban hành ngày 07/01/2016 của Bộ Chính trị, có hiệu lực từ ngày 01/3/2016."


def dropped(sentence: str, passage: str, short: str = "") -> str:
    """The reason `sentence` is dropped when it cites `passage` as [1]; fails when it is kept."""
    kept, report = verify(sentence, [passage], short=short, short_passage=passage if short else "")
    assert kept == "" and report.dropped == 1, f"kept: {sentence}"
    return report.reasons[0]


def kept(sentence: str, passage: str, short: str = "") -> None:
    text, report = verify(sentence, [passage], short=short, short_passage=passage if short else "")
    assert text == sentence and report.dropped == 0, report.reasons


# --- the attacks ---------------------------------------------------------------------------


def test_figure_of_another_quantity_under_the_short_answer_is_dropped():
    # 6.014 tỷ is thu nội địa, 95 is a count of xã: both "occur" in the passage
    reason = dropped("Thu ngân sách đạt 6.014 tỷ đồng, đạt 95% kế hoạch [1].", HY, short="8.331 tỷ đồng")
    assert "6.014" in reason
    assert "95" in dropped("Thu ngân sách đạt 8.331 tỷ đồng, đạt 95% kế hoạch [1].", HY)


def test_swapped_figures_are_dropped():
    assert "not what it measures" in dropped("Thu nội địa đạt 8.331 tỷ đồng, thu ngân sách đạt 6.014 tỷ đồng [1].", HY)


def test_negated_figure_is_dropped():
    assert "negated" in dropped("Thu ngân sách không đạt 8.331 tỷ đồng [1].", HY)
    assert "negated" in dropped("Thu ngân sách chưa đạt 69,4% kế hoạch năm [1].", HY)


def test_article_number_read_from_nine_months_is_dropped():
    assert "Điều 9" in dropped("Theo Điều 9 Luật Ngân sách, thu ngân sách đạt 8.331 tỷ đồng [1].", HY)


def test_law_title_the_source_does_not_name_is_dropped():
    assert "Luật Ngân" in dropped("Theo Luật Ngân sách, thu ngân sách đạt 8.331 tỷ đồng [1].", HY)


def test_swapped_issuer_is_dropped():
    assert "Ban Bí thư" in dropped("Kết luận 120-KL/TW do Ban Bí thư ban hành [1].", KL)
    assert "Ban Bí thư" in dropped("Ban Bí thư ban hành Kết luận 120-KL/TW về QCDC ở cơ sở [1].", KL)
    assert "Ban Bí thư" in dropped("Kết luận 120-KL/TW của Ban Bí thư về QCDC ở cơ sở [1].", KL)


def test_changed_unit_is_dropped():
    assert "lần" in dropped("Xuất khẩu tăng 12,7 lần [1].", HY)
    assert "huyện" in dropped("Có thêm 8 huyện được công nhận đạt chuẩn nông thôn mới [1].", HY)


def test_percent_of_another_quantity_is_dropped():
    assert "10,9%" in dropped("Xuất khẩu tăng 10,9% [1].", HY)


@pytest.mark.parametrize("claim", ["cao nhất cả nước", "đứng đầu cả nước", "dẫn đầu khu vực", "cao hơn năm trước"])
def test_superlative_not_in_the_source_is_dropped(claim):
    assert "does not say" in dropped(f"Thu ngân sách đạt 8.331 tỷ đồng, {claim} [1].", HY)


def test_sentence_with_no_checkable_fact_and_no_paraphrase_is_dropped():
    reason = dropped("Tỉnh đã xây dựng nhiều công trình văn hóa hiện đại cho nhân dân [1].", HY)
    assert "nothing to check" in reason


def test_figure_contradicting_the_short_answer_is_dropped():
    # 7.000 tỷ is thu ngân sách too (of 2017): the claim holds in the passage, but contradicts
    # the short answer the user reads above it
    kept("Thu ngân sách đạt 7.000 tỷ đồng [1].", TWO_YEARS)
    assert "short answer" in dropped("Thu ngân sách đạt 7.000 tỷ đồng [1].", TWO_YEARS, short="8.331 tỷ đồng")


def test_date_in_another_role_is_dropped():
    assert "in force" in dropped("Kết luận 120-KL/TW có hiệu lực từ ngày 07/01/2016 [1].", ISSUED)
    assert "issued" in dropped("Kết luận 120-KL/TW được ban hành ngày 01/3/2016 [1].", ISSUED)


def test_negation_dropped_or_added_without_a_figure_is_dropped():
    assert "negates" in dropped("Thu chi đã được công khai thì bị xử lý [1].", LAW)
    assert "negation" in dropped("Ngân sách xã không được công khai cho Nhân dân biết [1].", LAW)


def test_generator_falls_back_when_the_generated_figure_contradicts_the_short_answer(tmp_path):
    from test_generation import answer_with

    answer = dataclasses.replace(answer_with(passages=[TWO_YEARS]), short=ShortAnswer("8.331 tỷ đồng", 1))
    for reply, generator in (("Thu ngân sách đạt 7.000 tỷ đồng [1].", "extractive"),
                             ("Năm 2018, thu ngân sách đạt 8.331 tỷ đồng [1].", "llm")):  # fmt: skip
        model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
        gen = Generator(make_settings(tmp_path, llm_provider="openai", llm_model="fake"), model=model)
        assert gen.improve(answer).answer.generator == generator, reply


# --- faithful rewordings are kept ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "passage"),
    [
        ("Chín tháng đầu năm 2018, thu ngân sách của tỉnh đạt 8.331 tỷ đồng, đạt 69,4% kế hoạch năm [1].", HY),
        ("Thu ngân sách đạt 8.331 tỷ đồng, trong đó thu nội địa đạt 6.014 tỷ đồng [1].", HY),
        ("Xuất khẩu đạt 3,1 tỷ USD, tăng 12,7% [1].", HY),
        ("Chỉ số sản xuất công nghiệp tăng 10,9% [1].", HY),
        ("Tỉnh có thêm 8 xã đạt chuẩn nông thôn mới, nâng tổng số lên 95 xã [1].", HY),
        ("Thu ngân sách đạt 8.331 tỷ [1].", HY),
        ("Kết luận 120-KL/TW do Bộ Chính trị ban hành [1].", KL),
        ("Bộ Chính trị ban hành Kết luận 120-KL/TW ngày 07/01/2016 [1].", KL),
        ("Việc thực hiện Kết luận của Bộ Chính trị về QCDC ở cơ sở đã được sơ kết [1].", KL),
        ("Kết luận 120-KL/TW ban hành ngày 07/01/2016 và có hiệu lực từ ngày 01/3/2016 [1].", ISSUED),
        ("Theo Điều 5, ngân sách xã được công khai cho Nhân dân biết [1].", LAW),
        ("Thu chi chưa được công khai thì bị xử lý [1].", LAW),
        ("Tỉnh có 95 xã đạt chuẩn nông thôn mới [1].", HY),
        ("Theo tài liệu, 9 tháng đầu năm 2018 tỉnh thành lập mới 902 doanh nghiệp [1].", HY),
        ("Xuất khẩu đạt 3,1 tỷ USD và thu ngân sách đạt 8.331 tỷ đồng [1].", HY),
        ("Thu nội địa đạt 6.014 tỷ đồng, bằng 70% dự toán [1].", HY),
        ("Các đơn vị phòng không; phi đội không quân [1].", "Tiểu đoàn tên lửa phòng không; phi đội không quân."),
    ],
)
def test_faithful_rewording_is_kept(sentence, passage):
    kept(sentence, passage, short="8.331 tỷ đồng" if passage == HY else "")


def test_the_short_answer_is_read_with_what_it_measures():
    figure = short_figure("8.331 tỷ đồng", HY)
    assert figure is not None and (figure.value, figure.unit, figure.measured) == (
        8.331e12,
        "đồng",
        ("thu", "ngân", "sách"),
    )
    assert short_figure("Bộ Chính trị", KL) is None and short_figure("", HY) is None


# --- classes of problem, over many inputs ----------------------------------------------------

FIGURES = [f for f in figures(HY) if f.unit not in {"tháng"}]
OTHER_UNITS = ["lần", "%", "tỷ USD", "xã", "huyện", "người", "tỷ đồng"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIGURES), st.sampled_from(OTHER_UNITS))
def test_any_figure_of_the_passage_restated_with_another_unit_is_dropped(figure, unit):
    written = unit if unit.split()[-1].lower() != figure.unit else None
    if written is None or (figure.written.endswith("%") and unit == "%"):
        return  # the same unit: nothing changed
    number = figure.written.rstrip("%")
    dropped(f"{' '.join(figure.measured).capitalize()} đạt {number} {written} [1].", HY)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([f for f in FIGURES if f.measured]), st.sampled_from(["không", "chưa"]))
def test_any_figure_of_the_passage_negated_is_dropped(figure, negator):
    unit = "" if figure.written.endswith("%") else f" {'tỷ ' if figure.value >= 1e9 else ''}{figure.unit}"
    sentence = f"{' '.join(figure.measured).capitalize()} {negator} đạt {figure.written}{unit} [1]."
    kept(sentence.replace(f"{negator} ", ""), HY)  # the same claim, stated: it holds
    dropped(sentence, HY)


# Fragments official prose is made of: figures with units, negations, documents with issuer and
# date, articles, superlatives the source itself makes.
FRAGMENTS = [
    "thu ngân sách đạt 8.331 tỷ đồng", "đạt 69,4% kế hoạch năm", "xuất khẩu tăng 12,7%", "không đạt 70% dự toán",
    "Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị", "theo Điều 5 Luật Thực hiện dân chủ ở cơ sở",
    "chưa được công khai cho Nhân dân", "có thêm 8 xã đạt chuẩn", "cao nhất cả nước", "Ban Bí thư ban hành Chỉ thị 30-CT/TW",
    "có hiệu lực từ ngày 01/7/2023", "Nhân dân được biết, được bàn", "không ngừng nâng cao", "giai đoạn 2021-2025",
]  # fmt: skip
SENTENCE = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map(lambda fs: ", ".join(fs).capitalize() + ".")


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=4), st.data())
def test_a_sentence_copied_from_its_passage_with_its_citation_always_passes(sentences, data):
    passage = " ".join(sentences)
    chosen = data.draw(st.sampled_from(sentences))
    kept(chosen[:-1] + " [1].", passage)


def test_paraphrase_share_separates_rewordings_from_other_passages():
    # The measurement behind PARAPHRASE_SHARE, over the repository's corpus (seeded): a copy keeps
    # all its words, a reworded copy nearly all, a sentence from another document few.
    rng = random.Random(7)
    paragraphs = [
        (p.name, q)
        for p in sorted((ROOT / "corpus").rglob("*.md"))
        for q in p.read_text(encoding="utf-8").split("---", 2)[-1].split("\n\n")  # past the front matter
        if len(q) > 300
    ]
    filler = ["tỉnh", "cán bộ", "nhân dân", "thực hiện", "quy định", "cơ sở"]
    reworded, foreign = [], []
    for name, paragraph in paragraphs:
        sentences = [s for s in _sentences(paragraph) if len(_words(s.lower())) >= 6]
        if not sentences:
            continue
        s = rng.choice(sentences)
        assert paraphrase_share(s, _sentences(paragraph)) == 1.0
        words = s.split()
        rng.shuffle(words)
        reworded.append(
            paraphrase_share(" ".join(words[: len(words) * 4 // 5] + rng.sample(filler, 2)), _sentences(paragraph))
        )
        other = rng.choice([q for n, q in paragraphs if n != name])
        foreign.append(paraphrase_share(s, _sentences(other)))
    assert len(reworded) >= 10 and len(foreign) >= 5
    assert sum(r >= PARAPHRASE_SHARE for r in reworded) >= 0.9 * len(reworded)
    assert sum(f >= PARAPHRASE_SHARE for f in foreign) <= 0.1 * len(foreign)


def test_corpus_passage_is_the_one_the_attacks_were_found_on():
    text = (Path(ROOT) / "corpus" / "articles" / "hungyen-tham-muu-qcdc.md").read_text(encoding="utf-8")
    assert "thu ngân sách đạt 8.331 tỷ đồng, đạt 69,4% kế hoạch năm (trong đó thu nội địa đạt 6.014 tỷ đồng" in text
