"""Cleaning the real seed scrapes: boilerplate gone, article body intact."""

import datetime as dt

import pytest
from conftest import CORPUS, DATA

from ingest.readers.corpus import read_document
from ingest.readers.scrape import clean_scrape

SEEDS = DATA / "seeds"
HUNG_YEN = "000_fcce45f3f6fcb391.txt"
BAC_NINH = "002_83054a43e24c00ec.txt"


def clean(name):
    return clean_scrape((SEEDS / name).read_text(encoding="utf-8"))


def test_hung_yen_title_and_signature():
    a = clean(HUNG_YEN)
    assert a.title == "Phát huy vai trò tham mưu giúp cấp ủy chỉ đạo thực hiện quy chế dân chủ ở cơ sở"
    assert (a.author, a.author_role) == ("Vương Quang Hưng", "Phó Trưởng Ban Dân vận")
    assert a.published_at is None


@pytest.mark.parametrize(
    "noise",
    ["Bài viết khác", "Các bài mới nhất", "Giấy phép thiết lập", "Copyright", "Hôm nay71",
     "Tháng trước251,203", "Đ/c Vương Quang Hưng", "Phát huy vai trò tham mưu giúp cấp ủy chỉ đạo thực hiện quy chế"],
)
def test_hung_yen_noise_is_gone(noise):
    assert noise not in clean(HUNG_YEN).body


def test_hung_yen_body_is_intact():
    body = clean(HUNG_YEN).body
    assert body.startswith("Những năm qua, thực hiện các chỉ thị, kết luận, nghị định của Trung ương")
    assert body.endswith("tham gia góp ý xây dựng Đảng, xây dựng chính quyền.")
    for n in range(1, 8):
        assert f"\n\n({n})" in body
    assert "8.331 tỷ đồng" in body and "huyện Mỹ Hào" in body
    assert "\u00a0" in body  # verbatim: the source's own spaces are kept for display


def test_bac_ninh_header_and_signature():
    a = clean(BAC_NINH)
    assert a.title is None
    assert a.published_at == dt.datetime(2018, 7, 31, 10, 52, 26)
    assert a.views == 3220
    assert (a.author, a.author_role) == ("Nguyễn Đức Hiện", "UVBTV, Trưởng Ban Dân vận Thành ủy")


@pytest.mark.parametrize("noise", ["Số lượt xem", "Video", "Thống kê truy cập", "Đang online", "Tất cả2741245", "NGUYỄN ĐỨC HIỆN"])
def test_bac_ninh_noise_is_gone(noise):
    assert noise not in clean(BAC_NINH).body


def test_bac_ninh_body_is_intact():
    body = clean(BAC_NINH).body
    assert body.startswith("Tiếp tục phát huy những kết quả đạt được")
    assert body.endswith("Nghị quyết Đại hội Đảng bộ các cấp đã đề ra./.")
    assert body.count("\n\n") == 6  # seven paragraphs, one per source line


@pytest.mark.parametrize(
    ("seed", "article"),
    [(HUNG_YEN, "hungyen-tham-muu-qcdc.md"), (BAC_NINH, "bacninh-phoi-hop-dan-van.md")],
)
def test_corpus_articles_are_the_cleaned_seeds(seed, article):
    doc = read_document(CORPUS / "articles" / article)
    cleaned = clean(seed)
    assert doc.body == cleaned.body
    assert doc.facts.author == cleaned.author and doc.facts.author_role == cleaned.author_role
    assert doc.facts.source_file == seed


def test_text_without_boilerplate_is_returned_whole():
    a = clean_scrape("Đoạn một.\n\nĐoạn hai.\n")
    assert a.body == "Đoạn một.\n\nĐoạn hai." and a.title is None and a.author is None
