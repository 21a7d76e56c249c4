"""Structure of official texts (Phần, Chương, Mục, Điều, khoản, điểm) in chunks and citations."""

from __future__ import annotations

import pytest
from conftest import make_settings

from bot.render.json import answer_json
from ingest import chunk_document, ingest
from ingest.language.structure import heading, section_at, sections
from ingest.readers.loaders import load_file

LAW = """Chương II

NHỮNG NỘI DUNG CÔNG KHAI ĐỂ NHÂN DÂN BIẾT

Điều 5. Những nội dung chính quyền cấp xã phải công khai

1. Kế hoạch phát triển kinh tế - xã hội, phương án chuyển dịch cơ cấu kinh tế và dự toán, quyết toán ngân sách hằng năm của cấp xã.

2. Dự án, công trình đầu tư và thứ tự ưu tiên, tiến độ thực hiện, phương án đền bù, hỗ trợ giải phóng mặt bằng, tái định cư liên quan đến dự án, công trình trên địa bàn cấp xã:

a) Quy hoạch, kế hoạch sử dụng đất chi tiết và phương án điều chỉnh, quy hoạch khu dân cư trên địa bàn cấp xã;

b) Việc quản lý và sử dụng các loại quỹ, khoản đầu tư, tài trợ theo chương trình, dự án đối với cấp xã.

Điều 6. Hình thức công khai

Chính quyền cấp xã có trách nhiệm thực hiện công khai bằng các hình thức niêm yết công khai tại trụ sở Hội đồng nhân dân, Ủy ban nhân dân cấp xã và thông qua hệ thống truyền thanh của cấp xã."""

PARTY = """TỈNH ỦY HƯNG YÊN

Số 08-KH/TU

Hưng Yên, ngày 09 tháng 4 năm 2018

KẾ HOẠCH

về thực hiện mô hình dân vận khéo

I. MỤC ĐÍCH, YÊU CẦU

Nâng cao nhận thức của cán bộ, đảng viên về công tác dân vận và thực hiện Quy chế dân chủ ở cơ sở trong tình hình mới.

II. NHIỆM VỤ, GIẢI PHÁP

1. Các cấp ủy chỉ đạo xây dựng mô hình dân vận khéo gắn với nuôi ong mật ở các xã thuần nông, lấy hộ gia đình làm trung tâm.

2. Ban Dân vận các cấp theo dõi, sơ kết hằng năm việc nhân rộng mô hình dân vận khéo và khen thưởng kịp thời các điển hình; phối hợp với Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội vận động nhân dân tham gia, báo cáo kết quả về Ban Thường vụ Tỉnh ủy trước ngày 15 tháng 12 hằng năm."""


def test_headings_are_recognized_at_paragraph_starts():
    assert heading("Điều 5. Những nội dung") == (3, "Điều", "5")
    assert heading("Chương II") == (1, "Chương", "II")
    assert heading("PHẦN THỨ HAI") == (0, "Phần", "THỨ HAI")
    assert heading("II. NHIỆM VỤ, GIẢI PHÁP")[1] == "roman"
    assert heading("a) Quy hoạch") == (5, "điểm", "a")
    for prose in ("Mục tiêu của kế hoạch", "1.000 người dân tham gia", "2-3 lần mỗi năm", "Ngày 07/01/2016"):
        assert heading(prose) is None


def test_labels_follow_the_document_outline():
    paragraphs = []
    offset = 0
    for text in LAW.split("\n\n"):
        paragraphs.append((offset, text))
        offset += len(text) + 2
    marks = sections(paragraphs)
    at = {text[:12]: section_at(marks, off) for off, text in paragraphs}
    assert at["Điều 5. Nhữn"] == "Chương II, Điều 5"
    assert at["2. Dự án, cô"] == "Chương II, Điều 5, khoản 2"
    assert at["a) Quy hoạch"] == "Chương II, Điều 5, khoản 2, điểm a"
    assert at["Chính quyền "] == "Chương II, Điều 6"  # a new Điều closes the khoản and điểm


def test_chunks_carry_their_section_and_do_not_straddle_articles(tmp_path):
    (tmp_path / "kh.txt").write_text(PARTY, encoding="utf-8")
    chunks = chunk_document(load_file(tmp_path / "kh.txt", 1_000_000))
    # A chunk is labelled where it starts: the heading "II." with its short point 1, then point 2.
    assert [c.section for c in chunks] == ["", "mục I", "mục II", "mục II.2"]
    (tmp_path / "luat.txt").write_text(LAW, encoding="utf-8")
    chunks = chunk_document(load_file(tmp_path / "luat.txt", 1_000_000))
    assert all(not ("Điều 5." in c.text and "Điều 6." in c.text) for c in chunks)
    assert chunks[-1].section == "Chương II, Điều 6"


@pytest.mark.integration
def test_answers_name_the_section_they_quote(tmp_path, corpus_copy, embedder):
    from bot.answering.service import QAService
    from bot.render.text import render_text

    (corpus_copy / "kh-dan-van-kheo.txt").write_text(PARTY, encoding="utf-8")
    settings = make_settings(tmp_path, corpus_copy)
    ingest(settings, embedder=embedder)
    service = QAService(settings, build_if_missing=False, embedder=embedder)
    answer = service.ask("Ban Dân vận báo cáo kết quả nhân rộng mô hình dân vận khéo trước ngày nào?")
    top = answer.sources[0]
    assert (top.doc_id, top.section, top.facts.kind) == ("kh-dan-van-kheo", "mục II.2", "directive")
    assert "mục II.2" in render_text(answer) and answer_json(answer)["sources"][0]["section"] == "mục II.2"
