"""Regression tests for issue 32's ingestion findings (2, 4, 10, 11), one per finding,
and for each class of problem a test over many inputs."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import docx
import pytest
from conftest import make_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_loaders import make_pdf

from ingest import CorpusError, cli, ingest, open_index
from ingest.facts import DocumentFacts
from ingest.language.citations import parse_citations
from ingest.language.normalize import clean_text
from ingest.models import Passage
from ingest.pipeline import IngestReport, load_documents
from ingest.readers.loaders import load_file
from ingest.readers.reading import real_path
from ingest.registry import Mention
from ingest.registry_build import build_registry

MB = 1_000_000
PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Unicode's Bidi_Control characters: what finding 10 strips at every reader.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters a file name may hold that a report line must not show as they are.
ODD = ["\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\u2028", "\u00a0", "\u200b", "\u00ad", *BIDI]


def stored_paths(settings_) -> dict[str, str]:
    index = open_index(settings_)
    try:
        return {doc_id: stored.path for doc_id, stored in index.manifest().items()}
    finally:
        index.close()


# --- Finding 2: documents with odd names never vanish from the index ------------------------


@pytest.mark.integration
def test_odd_file_names_are_refused_by_name_and_no_document_vanishes(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    (folder / "plain.txt").write_text("Văn bản thường về công tác dân vận ở cơ sở.", encoding="utf-8")
    (folder / "new\nline.txt").write_text("Văn bản có tên xuống dòng về dân chủ.", encoding="utf-8")
    (folder / "bao\u202ecod.exe.txt").write_text("Văn bản có tên đảo chiều về hòa giải.", encoding="utf-8")
    settings_ = make_settings(tmp_path, corpus)

    first = ingest(settings_, [folder], embedder=embedder)
    assert first.new == 1 and len(first.failures) == 2  # refused by name, each on one line, at first ingestion
    for path, reason in first.failures:
        assert "\n" not in path + reason and "đổi tên" in reason
    assert {re.search(r"U\+\w+", reason)[0] for _, reason in first.failures} == {"U+000A", "U+202E"}

    other = tmp_path / "khac.txt"
    other.write_text("Một văn bản khác về tiếp công dân.", encoding="utf-8")
    assert ingest(settings_, [other], embedder=embedder).removed == 0  # once "2 removed"
    assert ingest(settings_, embedder=embedder).removed == 0  # the nightly timer and /capnhat
    paths = stored_paths(settings_)
    assert set(paths) == {"plain", "khac"} and all(Path(p).exists() for p in paths.values())

    other.unlink()  # a document leaves when its own file is gone
    assert ingest(settings_, embedder=embedder).removed == 1 and set(stored_paths(settings_)) == {"plain"}


@PROPERTIES
@given(st.lists(st.sampled_from(["a", "b", "ư", "đ", " ", "-", *ODD]), min_size=1, max_size=8).map("".join))
def test_every_stored_path_is_a_real_file_whatever_the_name(name):
    # What made documents vanish: a stored path that was the escaped form of the real one,
    # so the next run found no such file. Now a name is stored as it is, or refused.
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            (folder / f"x{name}.txt").write_text("Nội dung văn bản.", encoding="utf-8")
        except (OSError, ValueError):
            return  # not a name the file system takes
        report = IngestReport()
        docs = load_documents([folder], report, MB)
        assert len(docs) + len(report.failures) == 1
        for doc in docs:
            assert Path(doc.path).is_file() and doc.path == real_path(folder / f"x{name}.txt")
        for path, reason in report.failures:
            assert path.isprintable() and "\n" not in reason and "đổi tên" in reason


# --- Finding 4: a sidecar link is followed only inside the folder scanned -----------------


@pytest.mark.parametrize("target", ["outside", "/etc/os-release", "relative-up"])
def test_sidecar_link_out_of_the_folder_is_not_followed(tmp_path, target):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("title: Bí mật bên ngoài\nauthor: Người ngoài\n", encoding="utf-8")
    folder = tmp_path / "tai-lieu"
    folder.mkdir()
    (folder / "doc.txt").write_text("Nội dung tài liệu về dân vận.", encoding="utf-8")
    link = {"outside": outside / "secret.yaml", "/etc/os-release": Path("/etc/os-release")}
    (folder / "doc.meta.yaml").symlink_to(link.get(target, Path("../outside/secret.yaml")))
    report = IngestReport()
    assert load_documents([folder], report, MB) == []
    ((path, reason),) = report.failures  # one line, the path once
    assert path.endswith("tai-lieu/doc.txt") and "liên kết" in reason and "doc.txt" not in reason
    with pytest.raises(CorpusError, match="outside"):  # a file given alone: its own folder is the limit
        load_file(folder / "doc.txt", MB)


def test_sidecar_link_inside_the_folder_is_followed(tmp_path):
    (tmp_path / "chung.yaml").write_text("title: Tiêu đề dùng chung\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "doc.txt").write_text("Nội dung tài liệu.", encoding="utf-8")
    (tmp_path / "sub" / "doc.meta.yaml").symlink_to(tmp_path / "chung.yaml")
    report = IngestReport()
    (doc,) = load_documents([tmp_path], report, MB)
    assert doc.title == "Tiêu đề dùng chung" and not report.failures


# --- Finding 10: bidirectional controls never reach a title ---------------------------------


def _readers(tmp: Path, title: str) -> dict[str, Path]:
    """One file per reader, each with `title` where that reader takes a title from."""
    body = "Nội dung văn bản về Quy chế dân chủ ở cơ sở. " * 5
    files = {}
    word = docx.Document()
    word.core_properties.title = title
    word.add_paragraph(body)
    word.save(files.setdefault("docx", tmp / "a.docx"))
    word = docx.Document()
    word.add_paragraph(title)
    word.add_paragraph(body)
    word.save(files.setdefault("docx-paragraph", tmp / "b.docx"))
    page = f'<html><head><title>{title}</title><meta property="og:title" content="{title}"></head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>'
    files.setdefault("html", tmp / "c.html").write_text(page, encoding="utf-8")
    files.setdefault("txt", tmp / "d.txt").write_text(f"{title}\n\n{body}", encoding="utf-8")
    files.setdefault("md", tmp / "e.md").write_text(f"# {title}\n\n{body}", encoding="utf-8")
    files.setdefault("sidecar", tmp / "f.txt").write_text(body, encoding="utf-8")
    (tmp / "f.meta.yaml").write_text(f'title: "{title}"\nauthor: "{title}"\n', encoding="utf-8")
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(make_pdf(tmp / "g0.pdf")))
    writer.add_metadata({"/Title": title})
    writer.write(files.setdefault("pdf", tmp / "g.pdf"))
    return files


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f"])
def test_bidi_overrides_are_stripped_from_titles_at_every_reader(tmp_path, control):
    title = f"Quy chế{control} dân chủ {control}exe.doc{control}"
    for kind, path in _readers(tmp_path, title).items():
        doc = load_file(path, 10 * MB, strict=False)
        shown = " ".join(filter(None, [doc.title, doc.facts.author or "", doc.body]))
        assert not any(ch in BIDI for ch in shown), (kind, ascii(doc.title))
        assert "Quy chế dân chủ" in doc.title or kind == "pdf" and "dân chủ" in doc.title, (kind, doc.title)


@PROPERTIES
@given(st.lists(st.one_of(st.sampled_from(list(BIDI)), st.text(max_size=5)), max_size=12).map("".join))
def test_clean_text_leaves_no_bidi_control(text):
    cleaned = clean_text(text)
    assert not any(
        unicodedata.bidirectional(ch) in {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
        for ch in cleaned
    )
    assert not any(ch in BIDI for ch in cleaned) and clean_text(cleaned) == cleaned


# --- Finding 11: operators read Vietnamese, each path once; no false unresolved mentions ----


def test_ingest_lines_are_vietnamese_and_name_each_path_once(monkeypatch, capsys, tmp_path):
    folder = tmp_path / "tai-lieu"
    folder.mkdir()
    (folder / "rong.md").write_text("", encoding="utf-8")
    (folder / "tot.txt").write_text("Văn bản tốt.", encoding="utf-8")
    (tmp_path / "bi-mat.txt").write_text("Bí mật.", encoding="utf-8")
    (folder / "ngoai.txt").symlink_to(tmp_path / "bi-mat.txt")
    report = IngestReport(new=1, directives=3, skipped=2, seconds=1.26, ignored=[("a.md", "layout")])
    load_documents([folder], report, MB)
    report.unresolved = [Mention("d", "T", "d:h:0", "Thực hiện Chỉ thị 99 của Tỉnh ủy.", "Chỉ thị 99")]
    monkeypatch.setattr(cli, "ingest", lambda *a, **k: report)
    assert cli.main(["--quiet"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "chưa xác định: d: “Chỉ thị 99” trong “Thực hiện Chỉ thị 99 của Tỉnh ủy.”",
        "tài liệu: 1 mới, 0 thay đổi, 0 không đổi, 0 đã gỡ; đoạn: 0 vừa nhúng, 0 trong chỉ mục; 1,3 giây; "
        "văn bản được trích dẫn: 3 (1 lượt nhắc chưa xác định); bỏ qua 2 tệp không phải tài liệu; "
        "khóa đầu tệp không dùng: layout; 2 tệp lỗi",
    ]
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("tệp lỗi: ") for line in lines)
    assert any(line.endswith("rong.md: tệp rỗng.") and line.count("rong.md") == 1 for line in lines)
    assert any(line.count("ngoai.txt") == 1 and "ngoài thư mục" in line for line in lines)


def test_unresolved_mentions_have_no_false_hits_from_ordinary_words():
    text = "Ban công tác Mặt trận có tối đa 2 phó trưởng ban; mỗi hộ để ăn 2 bữa. Thực hiện ĐA 7 của Tỉnh ủy."
    p = Passage("d:h:0000", "d", 0, text, 1.0, DocumentFacts(title="T", locality="tỉnh X"))
    assert [m.text for m in build_registry([p]).unresolved] == ["ĐA 7"]  # once also "đa 2" and "để ăn 2"


ORDINARY = ["tối đa", "đa", "Đa", "đá", "dạ", "để ăn", "dễ ăn", "Để ăn", "vẫn bận", "thông báo", "tt"]
TYPED = {
    "Đề án": "Đề án",
    "ĐỀ ÁN": "Đề án",
    "de an": "Đề án",
    "ĐA": "Đề án",
    "DA": "Đề án",
    "KL": "Kết luận",
    "kl": "Kết luận",
    "Nghi quyêt": "Nghị quyết",
    "nghị quyết": "Nghị quyết",
    "QĐ": "Quyết định",
}


@PROPERTIES
@given(st.sampled_from(ORDINARY[:-2]), st.integers(1, 999), st.sampled_from(["", ".", " bữa", " phó ban", " của xã"]))
def test_ordinary_words_that_fold_to_a_type_are_not_citations(words, number, after):
    text = f"Mỗi thôn có {words} {number}{after}"
    assert not [c for c in parse_citations(text) if c.type == "Đề án" and c.symbol is None], text


@PROPERTIES
@given(st.sampled_from(sorted(TYPED)), st.integers(1, 999), st.sampled_from(["", ".", " của Tỉnh ủy", " về dân vận"]))
def test_type_words_and_abbreviations_as_written_are_citations(words, number, after):
    text = f"Thực hiện {words} {number}{after}"
    cites = parse_citations(text)
    assert [(c.type, c.number) for c in cites] == [(TYPED[words], str(number))], text
    assert all(text[c.start : c.end] == c.text for c in cites)
