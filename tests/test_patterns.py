"""The shared patterns (ingest/language/patterns.py): what each matches and what it must not.

Examples pin the forms the corpus and the answers write; properties pin what holds for any
number (a date is never a figure's match, a slug is always a safe file name).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.errors import CorpusError
from ingest.language import patterns as p
from ingest.overrides import load_overrides

PROPERTIES = settings(max_examples=200, deadline=None)
DAYS = st.integers(1, 31)
MONTHS = st.integers(1, 12)
YEARS = st.integers(1945, 2099)


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["ngày 01/7/2023", "01/07/2023", "1 tháng 7 năm 2023", "Hà Nội, ngày 07 tháng 01 năm 2016"]
)
def test_a_full_date_is_a_date(text):
    assert p.DATE.search(text)


@pytest.mark.parametrize(
    "text", ["9 tháng đầu năm 2018", "Điều 9", "tháng 7 năm 2023", "10/2022/QH15", "7/2023", "120-KL/TW", "01-7-2023"]
)
def test_what_is_not_a_full_date(text):
    assert not p.DATE.search(text)


def test_date_fragments_compose():
    dated = re.compile(rf"ngày ({p.SLASH_DATE}|{p.WRITTEN_DATE})")
    assert dated.search("ban hành ngày 10/11/2022.")[1] == "10/11/2022"
    assert dated.search("ngày 10 tháng 11 năm 2022")[1] == "10 tháng 11 năm 2022"
    m = re.search(p.WRITTEN_DATE_PARTS, "Hà Nội, ngày  07 tháng 01\nnăm 2016")
    assert (m["d"], m["m"], m["y"]) == ("07", "01", "2016")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("01/7/2023", ("01", "7", "2023")),
        ("01 . 7 . 2023", ("01", "7", "2023")),
        ("1 thang 7 nam 2023", ("1", "7", "2023")),
    ],
)
def test_folded_date_names_its_parts(text, parts):
    m = re.fullmatch(p.FOLDED_DATE, text)
    assert m and ((m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])) == parts


def test_what_an_answer_is_checked_against():
    m = p.DAY_MONTH_YEAR.search("Có hiệu lực từ ngày 1-7-2023.")
    assert m.groups()[:3] == ("1", "7", "2023")
    assert p.DAY_MONTH_YEAR.search("01 Tháng 7 Năm 2023").groups()[3:] == ("01", "7", "2023")
    assert p.ISO_DATE.search("2023-07-01").groups() == ("2023", "07", "01")
    assert [m.groups() for m in p.MONTH_YEAR.finditer("tháng 7/2023 và tháng 8 năm 2024")] == [
        ("7", "2023", None, None),
        (None, None, "8", "2024"),
    ]
    assert p.DAY_MONTH.findall("ngày 26/11, số 10/2022/QH15, 01/7/2023") == [("26", "11")]
    assert p.YEAR_SPAN.search("giai đoạn 2021 đến 2025").groups() == ("2021", "2025")
    assert not p.YEAR_SPAN.search("1500-1600")


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Luật có hiệu lực từ ngày 01/7/2023.", "từ ngày 01/7/2023"),
        ("Hội nghị họp vào tháng 7/2023.", "vào tháng 7/2023"),
        ("ngày 20 tháng 4 năm 2007", "ngày 20 tháng 4 năm 2007"),
        ("Trong năm 2022, xã đạt chuẩn.", "năm 2022"),
    ],
)
def test_a_short_answer_quotes_a_date_with_its_preposition(text, quoted):
    assert p.DATE_PHRASE.search(text)[0] == quoted


def test_a_duration_is_not_a_date_phrase():
    assert not p.DATE_PHRASE.search("trong 9 tháng đầu năm")
    assert p.PERIOD_PHRASE.search("giai đoạn 2021 – 2025")[0] == "giai đoạn 2021 – 2025"


@PROPERTIES
@given(DAYS, MONTHS, YEARS, st.booleans())
def test_every_full_date_is_found_whole_and_is_no_figure(d, m, y, written):
    text = f"{d} tháng {m} năm {y}" if written else f"{d:02d}/{m}/{y}"
    assert p.DATE.fullmatch(text) and p.DAY_MONTH_YEAR.fullmatch(text)
    assert p.DATE.search(f"Ban hành ngày {text}, có hiệu lực.")[0] == text
    assert not any(p.FIGURE.finditer(f"{d:02d}/{m}/{y}"))  # a date's numbers are not figures


# --- URLs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://dangcongsan.vn/a-b.html", "http://x.vn:8080/p?q=1#h", "https://chinhphu.vn"])
def test_a_document_url(url):
    assert p.is_safe_url(url)


@pytest.mark.parametrize(
    "url",
    [
        'https://x.vn/a"onmouseover="alert(1)',
        "https://x.vn/<script>",
        "javascript:alert(1)",
        "www.x.vn",
        "https://x.vn/a b",
        "https://x.vn/" + "a" * 2000,
        "",
    ],
)
def test_what_is_not_a_document_url(url):
    assert not p.is_safe_url(url)


def test_links_in_an_answer_are_found_leniently():
    text = "Xem www.chinhphu.vn, https://x.vn/a?b=1 hoặc dangcongsan.vn/tin; thư: a@b.vn"
    assert [m[0] for m in p.LINK_IN_TEXT.finditer(text)] == [
        "www.chinhphu.vn,",
        "https://x.vn/a?b=1",
        "dangcongsan.vn/tin;",
    ]
    assert not p.LINK_IN_TEXT.search("Điều 5. Khoản 2 và 10,9%")


def test_directives_yaml_refuses_a_url_a_document_would_refuse(tmp_path):
    (tmp_path / "directives.yaml").write_text("- ref: 120-KL/TW\n  url: 'https://x.vn/<script>'\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="url"):
        load_overrides(tmp_path)
    (tmp_path / "directives.yaml").write_text("- ref: 120-KL/TW\n  url: https://x.vn/kl-120\n", encoding="utf-8")
    assert load_overrides(tmp_path)[0]["url"] == "https://x.vn/kl-120"


# --- Articles, clauses, points -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("folded", "parts"),
    [
        ("dieu 12", ("12", None, None)),
        ("khoan 2 dieu 5", ("5", "2", None)),
        ("dieu 36, khoan 1 luat", ("36", None, "1")),
        ("khoan 3 cua dieu 7", ("7", "3", None)),
    ],
)
def test_an_article_reference(folded, parts):
    m = p.ARTICLE_REF.search(folded)
    assert (m["article"], m["before"], m["after"]) == parts


@pytest.mark.parametrize("folded", ["9 thang", "dieu 1.2.lq.3", "dieu kien", "nghi dinh 12"])
def test_what_is_not_an_article_reference(folded):
    assert not p.ARTICLE_REF.search(folded)


def test_places_are_masked_before_figures():
    assert p.PLACE_NUMBER.sub("_", "Theo Điều 9, khoản 2 có 9 tháng") == "Theo _, _ có 9 tháng"
    assert p.NUMBERED_NAME.sub("_", "Luật số 10/2022/QH15 khóa XV, đô thị loại I: 5 xã") == "Luật _ _, đô thị _: 5 xã"
    assert re.search(p.ARTICLE_WORD, "What does Article 5 say?") and not re.search(p.ARTICLE_WORD, "Điều kiện")


def test_clauses_and_points_open_a_paragraph():
    assert p.CLAUSE_START.match("2. Công dân có quyền")[1] == "2"
    assert p.POINT_START.match("đ) Các nội dung khác")[1] == "đ"
    assert not p.CLAUSE_START.match("2.5 tỷ đồng") and not p.CLAUSE_START.match("Điều 2. Phạm vi")
    text = "Điều 5.\n1. Một.\n2. Hai, 1. không.\n3. Ba."
    assert p.clause_start("2").search(text).start() == text.index("2. Hai")
    assert p.clause_start("4").search(text) is None


# --- Figures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "figures"), [("8.331 tỷ, 10,9% và 139 hộ", ["8.331", "10,9%", "139"])])
def test_figures_in_vietnamese_writing(text, figures):
    assert [m[0] for m in p.FIGURE.finditer(text)] == figures


@pytest.mark.parametrize("text", ["10/2022/QH15", "120-KL/TW", "QH15", "x2"])
def test_what_is_not_a_figure(text):
    assert not p.FIGURE.search(text)


def test_a_range_and_a_figure_with_its_unit():
    assert p.FIGURE_RANGE.search("tăng từ 3 đến 5%")[0] == "từ 3 đến 5%"
    assert p.FIGURE_RANGE.search("10–15 ngày")[0] == "10–15"
    assert p.FIGURE_WITH_UNIT.search("đạt 85%") and p.FIGURE_WITH_UNIT.search("có 12 xã")
    assert not p.FIGURE_WITH_UNIT.search("Điều 9.") and not p.FIGURE_WITH_UNIT.search("10/2022/QH15")


@PROPERTIES
@given(st.integers(0, 10**9), st.integers(0, 99), st.booleans())
def test_any_figure_is_read_whole(whole, decimals, percent):
    written = f"{whole:,}".replace(",", ".") + (f",{decimals}" if decimals else "") + ("%" if percent else "")
    assert [m[0] for m in p.FIGURE.finditer(f"đạt {written} trong năm")] == [written]
    assert re.fullmatch(p.NUMBER, written.rstrip("%"))


# --- Slugs -------------------------------------------------------------------------------------


def test_slugs():
    assert p.slug("Đề cương: Luật Thực hiện dân chủ ở cơ sở!") == "de-cuong-luat-thuc-hien-dan-chu-o-co-so"
    assert p.slug("a" * 100, 60) == "a" * 60
    assert p.ascii_slug("Báo cáo_số 5 (2023)") == "bao-cao-so-5-2023"
    assert p.slug("Báo cáo_số 5") == "bao-cao_so-5"  # a file name keeps "_"; a document id may not


@PROPERTIES
@given(st.text(max_size=200))
def test_a_slug_is_always_a_safe_file_name(text):
    for made in (p.slug(text), p.ascii_slug(text)):
        assert len(made) <= p.MAX_SLUG and "/" not in made and "\\" not in made and not made.startswith("-")
        assert made == made.strip()
    assert re.fullmatch(r"[a-z0-9-]*", p.ascii_slug(text))
