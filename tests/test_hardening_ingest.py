"""Regression tests for what an adversarial review broke in ingestion (issue 14), one per finding."""

from __future__ import annotations

import gc
import io
import os
import re
import resource
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import ROOT, make_settings
from test_loaders import make_pdf

from ingest import CorpusError, ingest, open_index, open_store
from ingest.language.citations import parse_citations
from ingest.pipeline import IngestReport, load_documents
from ingest.readers import legacy
from ingest.readers.loaders import load_file

MB = 1_000_000
TOKEN = "123456789:AAHfake-token-for-tests_0123456789abcdef"
GOOD = "---\nid: tot\ntitle: Bài tốt\n---\nThôn họp bàn việc làm đường theo Quy chế dân chủ ở cơ sở.\n"


def front_matter(extra: str) -> str:
    return f"---\nid: xau\ntitle: Bài xấu\n{extra}\n---\nNội dung bài viết về dân vận.\n"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- High 3: a zip bomb is refused before it is parsed --------------------------------


def test_zip_bomb_docx_is_refused_before_parsing(tmp_path):
    bomb = tmp_path / "bom.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", " " * (60 * MB))  # inflates ~1000-fold
    assert bomb.stat().st_size < MB
    with pytest.raises(CorpusError, match="zip bomb"):
        load_file(bomb, 20 * MB)
    honest = tmp_path / "that.docx"
    document = docx.Document()
    document.add_paragraph("Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị.")
    document.save(honest)
    assert "120-KL/TW" in load_file(honest, 20 * MB).body


# --- High 4: every pattern linear; text is parsed after whitespace runs collapse -------


@pytest.mark.parametrize(
    "text",
    [
        "Kết luận 120-KL/TW" + " " * 2000 + "x",  # once 214 s
        "Chỉ thị" + " " * 50_000 + "05",  # once 171 s
        "Kết luận 120-KL/TW" + "\x1f" * 5000 + " của Bộ Chính trị",  # 975 of them froze the bot for 17 s
        "Chỉ thị số 05" + "\x85\u2028\x1c" * 5000 + "về việc",
    ],
)
def test_citation_grammar_reads_a_whitespace_or_control_run_as_one_space(text):
    # What keeps the grammar linear: a run of any length parses as the one space it
    # is collapsed to, so no pattern ever meets two in a row (this input once took minutes).
    cites = parse_citations(text)
    collapsed = parse_citations(re.sub(r"[\s\x00-\x1f\x7f-\x9f]+", " ", text))
    assert cites and all(text[c.start : c.end] == c.text for c in cites)
    assert [(c.ref, c.type, c.issuer, c.subject) for c in cites] == [(c.ref, c.type, c.issuer, c.subject) for c in collapsed]


def test_document_with_long_space_runs_ingests(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "khoang.md").write_text(
        "---\nid: khoang\ntitle: Khoảng trắng\n---\n" + ("Kết luận 120-KL/TW" + " " * 3000 + "của Bộ Chính trị. ") * 5,
        encoding="utf-8",
    )
    report = ingest(make_settings(tmp_path, corpus), embedder=embedder)
    assert report.chunks_total > 0 and not report.failures
    index = open_index(make_settings(tmp_path, corpus))
    assert any("120-KL/TW" in p.ref_keys for p in index.all_passages())  # the chunks' citations were parsed
    index.close()


# --- High 5: one bad value or name fails its file alone ----------------------------------


def test_bad_values_and_names_fail_one_file_each(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tot.md").write_text(GOOD, encoding="utf-8")
    bad = {
        "ngay-30-2.md": front_matter("published: 2020-02-30"),
        "timestamp.md": front_matter("published: !!timestamp 2020-13-45"),
        "so-dai.md": front_matter("locality: " + "9" * 100_000),
        "long-sau.md": front_matter("author: " + nested(50_000)),
    }
    for name, text in bad.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "sidecar.txt").write_text("Nội dung có tệp đi kèm.", encoding="utf-8")
    (corpus / "sidecar.meta.yaml").write_text("published: 2020-02-30\n", encoding="utf-8")
    (corpus / "sidecar2.txt").write_text("Nội dung thứ hai.", encoding="utf-8")
    (corpus / "sidecar2.meta.yaml").write_text("title: " + nested(50_000) + "\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(corpus), b"t\xean-h\xf4ng-utf8.txt"), "wb") as fh:
        fh.write("Tên tệp không phải UTF-8.".encode())
    report = IngestReport()
    docs = load_documents([corpus], report, MB, strict_root=corpus)
    assert [d.id for d in docs] == ["tot"]
    failed = dict(report.failures)
    assert len(failed) == 7, failed
    assert all("\n" not in path + reason for path, reason in report.failures)
    assert any("UTF-8" in reason for reason in failed.values())
    assert any("lồng quá sâu" in reason for reason in failed.values())  # the reasons are Vietnamese


# --- Medium 6: links out of the folder and secrets files --------------------------------


def test_links_out_of_the_folder_and_secret_files_are_refused(tmp_path):
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLOG_LEVEL=INFO\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tot.md").write_text(GOOD, encoding="utf-8")
    (corpus / "env.txt").symlink_to(tmp_path / ".env")
    (corpus / "ban-sao.md").symlink_to(corpus / "tot.md")  # inside the folder: followed
    (corpus / "cau-hinh.txt").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\n", encoding="utf-8")
    (corpus / "khoa.txt").write_text("API_KEY=abc\nDB_PASSWORD=xyz\n", encoding="utf-8")
    report = IngestReport()
    docs = load_documents([corpus], report, MB, strict_root=corpus)
    assert [d.id for d in docs] == ["tot"]  # the inner link is the same id: reported as a duplicate
    reasons = " ".join(reason for _, reason in report.failures)
    assert "ngoài thư mục" in reasons and reasons.count("thông tin bí mật") == 2  # the token, the settings file
    assert all(TOKEN not in d.body for d in docs)
    for secret in (tmp_path / ".env", corpus / "env.txt"):
        with pytest.raises(CorpusError, match="secret"):
            load_file(secret, MB)


# --- Medium 7 / Low: control characters and NUL bytes never reach chunks ---------------


def test_control_characters_and_late_nul_bytes_are_stripped(tmp_path):
    text = "A" * 5000 + "\x00 Quy chế\x02 dân chủ\x1b[31m ở cơ sở\x7f.\x0cTrang sau."
    (tmp_path / "pdf-text.txt").write_text(text, encoding="utf-8")
    body = load_file(tmp_path / "pdf-text.txt", MB).body
    assert not any(ord(ch) < 32 and ch not in "\n\t" or 0x7F <= ord(ch) <= 0x9F for ch in body)
    assert "Quy chế dân chủ[31m ở cơ sở." in body and "Trang sau" in body


# --- Medium 8: orphans dropped on every run; a full disk is one clear line --------------


def test_orphans_are_dropped_on_every_run_and_descriptors_do_not_leak(tmp_path, embedder, corpus_copy):
    settings = make_settings(tmp_path, corpus_copy)
    ingest(settings, embedder=embedder)
    (corpus_copy / "moi.md").write_text(GOOD, encoding="utf-8")
    ingest(settings, embedder=embedder)  # now an active generation and the one it replaced
    store = open_store(settings)
    kept = store.generations()
    assert len(kept) == 2
    for i in range(10):  # what killed runs leave behind
        (settings.chroma_path / f"qcdc-20200101-00000{i}-{1000 + i}-abcd").mkdir()
    gc.collect()  # chroma's clients close their files when collected: count what stays open, not GC timing
    fds = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        report = ingest(settings, embedder=embedder)  # nothing changed
        assert report.chunks_embedded == 0
    assert store.generations() == kept
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= fds + 2


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_full_disk_is_one_clear_line_and_leaves_nothing_partial(tmp_path, corpus_copy):
    settings = make_settings(tmp_path, corpus_copy)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHROMA_PATH": str(settings.chroma_path), "CORPUS_DIR": str(corpus_copy)}
    proc = subprocess.run(
        [sys.executable, "-m", "ingest", "--quiet"], capture_output=True, env=env, cwd=tmp_path, timeout=300,
        preexec_fn=_limit_file_size,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err, err
    assert err.count("\n") == 1 and "vẫn phục vụ" in err
    assert open_store(settings).generations() == set()  # the partial generation was removed


# --- Medium 11, 12 -----------------------------------------------------------------------


def test_aes_encrypted_pdf_that_opens_without_password_is_read(tmp_path):
    from pypdf import PdfWriter

    path = make_pdf(tmp_path / "mo.pdf")
    writer = PdfWriter(clone_from=str(path))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-256")
    writer.write(tmp_path / "aes.pdf")
    assert "120-KL/TW" in load_file(tmp_path / "aes.pdf", MB).body
    writer = PdfWriter(clone_from=str(path))
    writer.encrypt(user_password="mat-khau", algorithm="AES-128")
    writer.write(tmp_path / "khoa.pdf")
    with pytest.raises(CorpusError, match="password required"):
        load_file(tmp_path / "khoa.pdf", MB)


def test_sidecar_over_the_size_limit_is_refused(tmp_path):
    (tmp_path / "bai.txt").write_text("Nội dung bài viết.", encoding="utf-8")
    (tmp_path / "bai.meta.yaml").write_text("title: x\n" + "# " + "x" * (2 * MB) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="MAX_FILE_MB"):
        load_file(tmp_path / "bai.txt", MB)


# --- Low -----------------------------------------------------------------------------------


def test_fifo_and_devices_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "ong.txt"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(CorpusError, match="not a regular file|unsupported"):
            load_file(path, MB)
    report = IngestReport()
    load_documents([fifo], report, MB)
    assert "không phải tệp thông thường" in report.failures[0][1]


@pytest.mark.parametrize("url", ['https://x.vn/a"onmouseover="alert(1)', "https://x.vn/<script>", "javascript:alert(1)"])
def test_urls_with_quotes_or_markup_are_refused(tmp_path, url):
    (tmp_path / "a.md").write_text(front_matter(f"url: '{url}'"), encoding="utf-8")
    with pytest.raises(CorpusError, match="url"):
        load_file(tmp_path / "a.md", MB)
    (tmp_path / "b.txt").write_text("Nội dung.", encoding="utf-8")
    (tmp_path / "b.meta.yaml").write_text(f"url: '{url}'\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="url"):
        load_file(tmp_path / "b.txt", MB)
    page = f'<html><head><title>Tin</title><meta property="og:url" content=\'{url}\'></head><body><article><p>{"Nội dung tin bài về dân vận. " * 10}</p></article></body></html>'
    (tmp_path / "c.html").write_text(page, encoding="utf-8")
    assert load_file(tmp_path / "c.html", MB).facts.url is None


def test_latin1_text_is_not_taken_for_legacy_vietnamese(tmp_path):
    french = "Le café est naïve à Paris, où l'été est chaud. Noël, maïs, aïeul."
    assert legacy.detect(french) is None
    (tmp_path / "fr.txt").write_bytes(french.encode("latin-1"))
    assert "naïve" in load_file(tmp_path / "fr.txt", MB).body


def test_file_names_with_newlines_cannot_forge_report_lines(tmp_path):
    (tmp_path / "x\nfailed: forged.txt").write_text("", encoding="utf-8")
    report = IngestReport()
    load_documents([tmp_path], report, MB)
    ((path, reason),) = report.failures
    assert "\n" not in path and "\n" not in reason and "\\n" in path


def test_pdf_with_more_text_than_its_size_allows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("ingest.readers.loaders.TEXT_PER_BYTE", 0.00001)  # 10 characters for a PDF of up to 1 MB
    with pytest.raises(CorpusError, match="crafted"):
        load_file(make_pdf(tmp_path / "a.pdf"), MB)


def test_bad_docx_archive_is_a_clear_reason(tmp_path):
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CorpusError, match="corrupt DOCX"):
        load_file(tmp_path / "hong.docx", MB)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("khac.txt", "không phải Word")
    (tmp_path / "rong.docx").write_bytes(buffer.getvalue())
    with pytest.raises(CorpusError, match="DOCX"):
        load_file(tmp_path / "rong.docx", MB)
