"""Real-world files: text, HTML, PDF, DOCX, sidecars, legacy encodings and every kind of bad file."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from conftest import make_settings
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from bot.render.text import answer_text
from ingest import CorpusError, ingest, open_index
from ingest.readers import legacy
from ingest.readers.loaders import load_file

MB = 1_000_000
HTML = """<html><head><title>Hội nghị sơ kết QCDC</title>
<link rel="canonical" href="https://example.org/tin/so-ket-qcdc.html">
<meta property="article:published_time" content="2021-09-15"></head>
<body><nav><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a></nav>
<article><h1>Hội nghị sơ kết QCDC</h1>
<p>Ngày 15/9/2021, Ban Dân vận Tỉnh ủy tổ chức hội nghị sơ kết 6 tháng thực hiện Quy chế dân chủ ở cơ sở theo Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị.</p>
<p>Hội nghị đánh giá các địa phương đã công khai để dân biết, dân bàn, dân làm, dân kiểm tra.</p></article>
<div class="related"><h3>Tin liên quan</h3><ul><li><a href="/a">Bài khác một</a></li></ul></div>
<footer>© 2021 Ban Dân vận. Lượt truy cập: 12345</footer></body></html>"""


def make_pdf(path, lines=("Ket luan so 120-KL/TW ngay 07/01/2016 cua Bo Chinh tri.", "Tiep tuc thuc hien QCDC o co so."),
             password=None, encoding="ascii"):
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    if lines:
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica"),
                                 NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
        stream = DecodedStreamObject()
        stream.set_data(("BT /F1 12 Tf 72 720 Td " + " 0 -20 Td ".join(f"({l}) Tj" for l in lines) + " ET").encode(encoding))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password:
        writer.encrypt(password)
    writer.write(path)
    return path


def test_html_keeps_main_content_and_metadata(tmp_path):
    (tmp_path / "tin.html").write_text(HTML, encoding="utf-8")
    doc = load_file(tmp_path / "tin.html", MB)
    assert doc.title == "Hội nghị sơ kết QCDC" and doc.facts.url == "https://example.org/tin/so-ket-qcdc.html"
    assert doc.facts.published == dt.date(2021, 9, 15) and doc.id == "tin"
    assert "120-KL/TW" in doc.body and "dân kiểm tra" in doc.body
    for noise in ("Trang chủ", "Tin liên quan", "Bài khác", "Lượt truy cập", "©"):
        assert noise not in doc.body


def test_pdf_docx_and_text(tmp_path):
    pdf = load_file(make_pdf(tmp_path / "kl120.pdf"), MB)
    assert "120-KL/TW" in pdf.body and pdf.facts.source_file == "kl120.pdf"
    document = docx.Document()
    document.core_properties.title = "Kế hoạch năm dân vận chính quyền"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Thực hiện Kế hoạch số 08-KH/BDVTU-BCSĐUBND ngày 09/4/2018.")
    document.save(tmp_path / "kh.docx")
    word = load_file(tmp_path / "kh.docx", MB)
    assert word.title == "Kế hoạch năm dân vận chính quyền" and "08-KH/BDVTU-BCSĐUBND" in word.body
    (tmp_path / "ghi-chu.txt").write_text("Ghi chú buổi họp\n\nBàn về QCDC ở cơ sở.\n", encoding="utf-8")
    note = load_file(tmp_path / "ghi-chu.txt", MB)
    assert (note.title, note.facts.kind, note.body) == ("Ghi chú buổi họp", "note", "Ghi chú buổi họp\n\nBàn về QCDC ở cơ sở.")


def test_sidecar_overrides_what_was_detected(tmp_path):
    make_pdf(tmp_path / "kl120.pdf")
    (tmp_path / "kl120.meta.yaml").write_text(
        "title: Kết luận 120-KL/TW\nkind: directive\nurl: https://example.org/kl120.pdf\npublished: 2016-01-07\n", encoding="utf-8")
    doc = load_file(tmp_path / "kl120.pdf", MB)
    assert (doc.title, doc.facts.kind, doc.facts.url, doc.facts.published) == (
        "Kết luận 120-KL/TW", "directive", "https://example.org/kl120.pdf", dt.date(2016, 1, 7))
    (tmp_path / "kl120.meta.yaml").write_text("url: not a link\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="url"):
        load_file(tmp_path / "kl120.pdf", MB)


TCVN3 = "Quy chÕ d©n chñ ë c¬ së ®\u00adîc thùc hiÖn tèt, ph¸t huy vai trß cña nh©n d©n. TØnh ñy H\u00adng Yªn, §¶ng"
VNI = "Quy cheá daân chuû ôû cô sôû ñöôïc thöïc hieän toát, phaùt huy vai troø cuûa nhaân daân. Tænh uûy Höng Yeân, Ñaûng"
UNICODE = "Quy chế dân chủ ở cơ sở được thực hiện tốt, phát huy vai trò của nhân dân. Tỉnh ủy Hưng Yên, Đảng"


def test_legacy_encodings_are_detected_and_converted():
    assert legacy.detect(TCVN3) == "TCVN3" and legacy.to_unicode(TCVN3, "TCVN3") == UNICODE
    assert legacy.detect(VNI) == "VNI" and legacy.to_unicode(VNI, "VNI") == UNICODE
    assert legacy.detect(UNICODE) is None
    # every letter of the alphabet survives the VNI round of marks
    assert legacy.to_unicode("ÑAÏI HOÄI ÑAÛNG, TRÖÔØNG, ÖÔÙC, hoaøn thieän, nghóa vuï", "VNI") == (
        "ĐẠI HỘI ĐẢNG, TRƯỜNG, ƯỚC, hoàn thiện, nghĩa vụ")


def test_legacy_files_are_read_as_unicode(tmp_path):
    (tmp_path / "cu.txt").write_bytes(f"Ghi chép cũ\n\n{TCVN3}".replace("Ghi chép cũ", "Ghi chÐp cò").encode("cp1252"))
    assert load_file(tmp_path / "cu.txt", MB).body == f"Ghi chép cũ\n\n{UNICODE}"
    (tmp_path / "vni.txt").write_text(VNI, encoding="utf-8")  # VNI text pasted into a Unicode file
    assert load_file(tmp_path / "vni.txt", MB).body == UNICODE
    pdf = load_file(make_pdf(tmp_path / "cu.pdf", lines=(TCVN3,), encoding="cp1252"), MB)
    assert UNICODE in pdf.body
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Thông báo: ").font.name = "Times New Roman"
    paragraph.add_run(TCVN3).font.name = ".VnTime"
    document.add_paragraph().add_run(VNI).font.name = "VNI-Times"
    document.save(tmp_path / "cu.docx")
    assert load_file(tmp_path / "cu.docx", MB).body == f"Thông báo: {UNICODE}\n\n{UNICODE}"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n ", "empty file"),
        ("binary.txt", bytes(range(256)) * 4, "binary content"),
        ("corrupt.pdf", b"%PDF-1.4\nthis is not really a pdf", "corrupt PDF"),
        ("corrupt.docx", b"PK\x03\x04 not a zip at all", "corrupt DOCX"),
        ("table.xlsx", b"PK\x03\x04", "unsupported file type .xlsx"),
    ],
)
def test_bad_files_give_one_clear_reason(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(CorpusError, match=reason) as info:
        load_file(tmp_path / name, MB)
    assert name in info.value.for_user()


def test_encrypted_scanned_and_oversized_pdfs(tmp_path):
    with pytest.raises(CorpusError, match="encrypted"):
        load_file(make_pdf(tmp_path / "secret.pdf", password="mat-khau"), MB)
    with pytest.raises(CorpusError, match="no text layer"):
        load_file(make_pdf(tmp_path / "scan.pdf", lines=()), MB)
    with pytest.raises(CorpusError, match="MAX_FILE_MB"):
        load_file(make_pdf(tmp_path / "big.pdf"), 100)


@pytest.mark.integration
def test_a_mixed_batch_ingests_the_good_files_and_reports_the_bad(tmp_path, corpus_copy, embedder):
    drop = tmp_path / "drop"
    drop.mkdir()
    make_pdf(drop / "kl120.pdf")
    (drop / "tin.html").write_text(HTML, encoding="utf-8")
    (drop / "empty.txt").write_bytes(b"")
    (drop / "corrupt.pdf").write_bytes(b"%PDF-1.4 broken")
    make_pdf(drop / "secret.pdf", password="x")
    report = ingest(make_settings(tmp_path, corpus_copy), [drop], embedder=embedder)
    assert report.new == 4  # two articles, the PDF and the page
    assert sorted(p.rsplit("/", 1)[-1] for p, _ in report.failures) == ["corrupt.pdf", "empty.txt", "secret.pdf"]
    index = open_index(make_settings(tmp_path, corpus_copy))
    assert any("120-KL/TW" in p.text for p in index.chunks_of("kl120"))
    assert index.chunks_of("tin")[0].facts.url == "https://example.org/tin/so-ket-qcdc.html"


@pytest.mark.integration
def test_cli_exit_code_says_something_failed(tmp_path, corpus_copy):
    from test_cli import run

    (corpus_copy / "broken.pdf").write_bytes(b"%PDF garbage")
    code, out, err = run(["ingest", "--quiet"], tmp_path, CHROMA_PATH=str(tmp_path / "db"), CORPUS_DIR=str(corpus_copy))
    assert code == 1 and "2 mới" in out
    assert err.count("\n") == 1 and err.startswith("tệp lỗi: ") and "broken.pdf" in err and "PDF hỏng" in err
    assert err.count("broken.pdf") == 1  # the path once, then the reason


OFFICIAL = [
    "BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 120-KL/TW", "ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 07 tháng 01 năm 2016",
    "KẾT LUẬN CỦA BỘ CHÍNH TRỊ",
    "về tiếp tục đẩy mạnh, nâng cao chất lượng, hiệu quả việc xây dựng và thực hiện Quy chế dân chủ ở cơ sở",
    "Bộ Chính trị yêu cầu các cấp ủy, tổ chức đảng tiếp tục quán triệt sâu sắc quan điểm của Đảng về phát huy quyền làm chủ của nhân dân.",
    "Các cấp ủy đảng lãnh đạo chính quyền công khai để nhân dân biết, bàn, làm, kiểm tra và giám sát.",
]


def test_official_header_makes_a_directive(tmp_path):
    from ingest.readers.header import official_header

    document = docx.Document()
    for line in OFFICIAL:
        document.add_paragraph(line)
    document.save(tmp_path / "kl120.docx")
    doc = load_file(tmp_path / "kl120.docx", MB)
    assert (doc.facts.kind, doc.facts.ref, doc.facts.published) == ("directive", "120-KL/TW", dt.date(2016, 1, 7))
    assert doc.title.startswith("Kết luận số 120-KL/TW về tiếp tục đẩy mạnh") and doc.facts.author == "BAN CHẤP HÀNH TRUNG ƯƠNG"
    assert official_header("Ghi chú.\nSố 5 xã đạt chuẩn.\nKẾ HOẠCH chung") is None


@pytest.mark.integration
def test_primary_text_answers_what_a_directive_requires(tmp_path, corpus_copy, embedder):
    from bot.answering.card import CardFact, directive_card
    from bot.answering.service import QAService

    document = docx.Document()
    for line in OFFICIAL:
        document.add_paragraph(line)
    document.save(corpus_copy / "kl120.docx")
    settings = make_settings(tmp_path, corpus_copy)
    ingest(settings, embedder=embedder)
    service = QAService(settings)
    (entry,) = service.lookup("120-KL/TW").directives
    assert entry.primary.doc_id == "kl120" and len(entry.mentions) >= 2
    assert CardFact("Toàn văn trong kho", entry.primary.title) in directive_card(entry).facts
    answer = service.ask("Kết luận 120-KL/TW yêu cầu gì?")
    assert any(s.doc_id == "kl120" for s in answer.sources)
    assert "văn bản gốc" in answer_text(answer) and "Bộ Chính trị yêu cầu" in answer_text(answer)
