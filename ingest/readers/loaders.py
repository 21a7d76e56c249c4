"""Read real-world files into Documents: Markdown with front matter, text, HTML, PDF, DOCX.

Maintained libraries do the reading (trafilatura for the main content of a
web page and its metadata, pypdf, python-docx); this module decides what is
a document's text and its facts, and turns every expected failure into a
CorpusError with the reason, so one bad file never stops a batch. A sidecar
`NAME.meta.yaml` beside any file states or corrects its facts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from ingest.errors import CorpusError
from ingest.language.normalize import clean_text, has_surrogates, printable
from ingest.language.patterns import ascii_slug, is_safe_url
from ingest.models import Document
from ingest.readers import corpus, legacy, phapdien
from ingest.readers.corpus import (
    DOCUMENT_TYPES,
    SIDECAR,
    parse_document,
    parse_foreign,
    safe_yaml,
    validate_facts,
)
from ingest.readers.header import official_header

log = logging.getLogger(__name__)

# What one file may cost beyond its size on disk (MAX_FILE_MB): a DOCX is a
# zip archive, whose parts may inflate a thousandfold (a 4 MB "zip bomb" once
# took ingestion to 7.8 GB); a PDF may repeat one huge page.
UNPACKED_PER_MB = 10  # at most 10 × MAX_FILE_MB unpacked in all …
XML_PER_MB = 2  # … of which 2 × MAX_FILE_MB of XML, which the parser holds in memory
MAX_RATIO = 100  # no part over 1 MB compressed more than a hundredfold
MAX_ARCHIVE_PARTS = 10_000
MAX_PDF_PAGES = 5_000
TEXT_PER_BYTE = 10  # extracted text: at most 10 characters per byte of the file (of 1 MB at least)
# Files that hold secrets are never documents, whatever their name says.
_SECRET_NAMES = re.compile(r"^\.env(?:\..*)?$|.*\.env$|^id_(?:rsa|dsa|ecdsa|ed25519)$|.*\.(?:pem|key)$", re.I)
_BOT_TOKEN = re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}")
_ASSIGNMENT = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Z][A-Z0-9_]{2,})[ \t]*=", re.M)
_SECRET_KEY = re.compile(r"TOKEN|SECRET|PASSW|API_KEY|PRIVATE")


def _fail(path: Path, reason: str, vi: str) -> CorpusError:
    return CorpusError(f"{printable(str(path))}: {reason}", user_message=f"{printable(path.name)}: {vi}")


def _secrets(path: Path, text: str) -> None:
    """Refuse a file that holds a secret: a bot token, a private key, or a `.env` file."""
    reason = None
    if _BOT_TOKEN.search(text):
        reason = "it holds a Telegram bot token"
    elif "PRIVATE KEY-----" in text:
        reason = "it holds a private key"
    else:
        keys = _ASSIGNMENT.findall(text[:100_000])
        lines = sum(1 for line in text[:100_000].splitlines() if line.strip() and not line.lstrip().startswith("#"))
        if keys and any(_SECRET_KEY.search(k) for k in keys) and len(keys) >= lines / 2:
            reason = "it looks like a settings file with secrets (.env)"
    if reason:
        raise _fail(path, f"refused: {reason}", "tệp chứa thông tin bí mật (mã truy cập, khóa, tệp .env); không nạp.")


def _slug(name: str) -> str:
    slug = ascii_slug(name)
    return slug if len(slug) >= 2 else f"doc-{slug or 'x'}"


def _unicode(path: Path, text: str) -> str:
    """`text`, converted to Unicode if it is in a legacy Vietnamese encoding."""
    encoding = legacy.detect(text)
    if encoding is None:
        return text
    converted = legacy.to_unicode(text, encoding)
    if legacy.detect(converted):  # mixed or unknown: better refused than indexed as gibberish
        raise _fail(
            path,
            f"text in the legacy {encoding} Vietnamese encoding could not be converted cleanly; convert it to Unicode (e.g. with UniKey's converter) first",
            f"văn bản dùng bảng mã cũ {encoding} không chuyển được trọn vẹn sang Unicode; hãy chuyển mã (ví dụ bằng UniKey) rồi nạp lại.",
        )
    log.info("%s: converted from the legacy %s encoding to Unicode", path.name, encoding)
    return converted


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(path, "binary content in a text file", "tệp có nội dung nhị phân, không phải văn bản.")
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",)
    try:
        text = data.decode(encodings[0])
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # legacy 8-bit text: converted below
    text = _unicode(path, clean_text(text))
    if "\ufffd" in text and text.count("\ufffd") > len(text) / 100:
        raise _fail(path, "not valid UTF-8 or UTF-16 text", "tệp không phải văn bản UTF-8/UTF-16 hợp lệ.")
    return text


def _paragraphs(lines: list[str]) -> str:
    return "\n\n".join(line.strip() for line in lines if line.strip())


def _read_text(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    text = _decode(path, data)
    lines = text.splitlines()
    title = next((line.strip() for line in lines if line.strip()), "")
    return _paragraphs(lines), {"title": title[:200]}


def _read_html(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    import trafilatura

    html = _decode(path, data)
    text = trafilatura.extract(
        html, output_format="txt", include_comments=False, include_tables=True, favor_precision=True
    )
    meta = trafilatura.extract_metadata(html)
    if not text or not text.strip():
        raise _fail(path, "no main content found in the page", "không tìm thấy nội dung chính trong trang web.")
    lines = text.splitlines()
    facts: dict[str, Any] = {}
    if meta is not None:
        if meta.title:
            facts["title"] = meta.title.strip()
            if lines and lines[0].strip() == facts["title"]:
                lines = lines[1:]  # the page's heading repeats its title
        if meta.url and is_safe_url(meta.url.strip()):
            facts["url"] = meta.url.strip()  # <link rel="canonical"> or og:url
        elif meta.url:
            log.info("%s: page address %r is not a plain http(s) URL; left out", printable(path.name), meta.url[:100])
        if meta.date:
            facts["published"] = meta.date
        if meta.author:
            facts["author"] = meta.author
        if meta.hostname:
            facts["site"] = meta.hostname
    facts.setdefault("title", next((line for line in lines if line.strip()), path.stem)[:200])
    return _paragraphs(lines), facts


def _read_pdf(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    limit = TEXT_PER_BYTE * max(len(data), 1_000_000)
    try:
        reader = PdfReader(io.BytesIO(data))
        # Encrypted PDFs that open without a password (common for official
        # documents, AES included: `cryptography` reads them) are read.
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(path, "encrypted PDF (password required)", "tệp PDF được mã hóa, cần mật khẩu.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise _fail(
                path,
                f"PDF of {len(reader.pages)} pages (at most {MAX_PDF_PAGES})",
                f"tệp PDF quá nhiều trang (tối đa {MAX_PDF_PAGES}).",
            )
        pages: list[str] = []
        extracted = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            extracted += len(pages[-1])
            if extracted > limit:
                raise _fail(
                    path,
                    "far more text than its size suggests (a crafted PDF?)",
                    "tệp PDF chứa lượng chữ bất thường; không nạp.",
                )
    except CorpusError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _fail(path, f"unreadable or corrupt PDF ({exc})", "tệp PDF hỏng hoặc không đọc được.") from exc
    except Exception as exc:  # pypdf raises many kinds on broken files; the batch must go on
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise _fail(path, "encrypted PDF (password required)", "tệp PDF được mã hóa, cần mật khẩu.") from exc
        raise _fail(
            path, f"unreadable or corrupt PDF ({type(exc).__name__})", "tệp PDF hỏng hoặc không đọc được."
        ) from exc
    text = clean_text("\n".join(pages))
    if len(re.sub(r"\W", "", text)) < 20:
        raise _fail(
            path,
            "no text layer (a scanned PDF needs OCR first)",
            "tệp PDF không có lớp văn bản (bản quét): cần nhận dạng chữ (OCR) trước.",
        )
    text = _unicode(path, text)
    lines = text.splitlines()
    facts: dict[str, Any] = {}
    if reader.metadata and reader.metadata.title:
        facts["title"] = str(reader.metadata.title).strip()
    facts.setdefault("title", next((line.strip() for line in lines if line.strip()), path.stem)[:200])
    return _paragraphs(lines), facts


def _docx_paragraph(paragraph: Any) -> str:
    """A paragraph's text, runs in a legacy font (.VnTime: TCVN3, VNI-Times: VNI) converted:
    the font says what the bytes mean, where the text alone can only be guessed at."""
    fonts = [(run, (run.font.name or "").lower()) for run in paragraph.runs]
    if not any(font.startswith((".vn", "vni")) for _, font in fonts):
        return paragraph.text
    return "".join(
        legacy.to_unicode(run.text, "TCVN3")
        if font.startswith(".vn")
        else legacy.to_unicode(run.text, "VNI")
        if font.startswith("vni")
        else run.text
        for run, font in fonts
    )


def _check_archive(path: Path, data: bytes) -> None:
    """Refuse a zip archive whose parts would inflate past what its size allows, before parsing it.

    The sizes checked are the ones the archive declares; Python's zipfile
    never inflates a part past its declared size (it raises instead).
    """
    mb = max(len(data), 1_000_000) / 1_000_000
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _fail(path, "unreadable or corrupt DOCX", "tệp Word (DOCX) hỏng hoặc không đọc được.") from exc
    total = sum(p.file_size for p in parts)
    xml = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    inflating = [p for p in parts if p.file_size > 1_000_000 and p.file_size > MAX_RATIO * max(p.compress_size, 1)]
    if len(parts) > MAX_ARCHIVE_PARTS or total > UNPACKED_PER_MB * mb * 1e6 or xml > XML_PER_MB * mb * 1e6 or inflating:
        raise _fail(
            path,
            f"archive would unpack to {total / 1e6:.0f} MB ({xml / 1e6:.0f} MB of XML) from {len(data) / 1e6:.1f} MB: refused as a zip bomb",
            "tệp Word (DOCX) giải nén ra dung lượng bất thường (nghi tệp độc hại); không nạp.",
        )


def _read_docx(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    import docx

    _check_archive(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _fail(path, "unreadable or corrupt DOCX", "tệp Word (DOCX) hỏng hoặc không đọc được.") from exc
    except Exception as exc:  # python-docx raises several kinds on non-DOCX content
        raise _fail(
            path, f"unreadable or corrupt DOCX ({type(exc).__name__})", "tệp Word (DOCX) hỏng hoặc không đọc được."
        ) from exc
    lines = [_docx_paragraph(p) for p in document.paragraphs]
    for table in document.tables:
        lines += [
            " | ".join(" ".join(_docx_paragraph(p) for p in cell.paragraphs).strip() for cell in row.cells)
            for row in table.rows
        ]
    lines = _unicode(path, "\n".join(lines)).split("\n")
    facts: dict[str, Any] = {}
    if document.core_properties.title:
        facts["title"] = document.core_properties.title.strip()
    facts.setdefault("title", next((line.strip() for line in lines if line.strip()), path.stem)[:200])
    return _paragraphs(lines), facts


_READERS = {".txt": _read_text, ".html": _read_html, ".htm": _read_html, ".pdf": _read_pdf, ".docx": _read_docx}


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, refused past `max_bytes` (MAX_FILE_MB).

    Never opens a FIFO, a device or a socket (`/dev/zero` given as a path
    would fill memory, a FIFO would hang), and never reads more than the
    limit even if the file grows meanwhile.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _fail(path, "not a regular file (a device, pipe or socket)", "không phải tệp thông thường.")
        if info.st_size > max_bytes:
            raise _fail(
                path,
                f"file of {info.st_size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit (MAX_FILE_MB)",
                f"tệp quá lớn ({info.st_size / 1e6:.1f} MB, giới hạn {max_bytes / 1e6:.0f} MB).",
            )
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror})", "không đọc được tệp.") from exc
    if len(data) > max_bytes:
        raise _fail(path, f"file grew over the {max_bytes / 1e6:.0f} MB limit while being read", "tệp quá lớn.")
    return data


def sidecar_paths(path: Path) -> tuple[Path, Path]:
    """Where a file's sidecar may be, in the order looked at: NAME.meta.yaml beside
    NAME.pdf, then NAME.pdf.meta.yaml."""
    sidecar = path.with_name(path.name + SIDECAR) if path.suffix else path.with_suffix(SIDECAR)
    return path.with_suffix(SIDECAR), sidecar


def _sidecar(path: Path, max_bytes: int, root: Path) -> dict[str, Any]:
    """The facts a sidecar states; a link out of the folder scanned (`root`) is refused,
    as for documents: `doc.meta.yaml -> /outside/secret.yaml` would show another file."""
    for candidate in sidecar_paths(path):
        if candidate.is_file():
            name = printable(candidate.name)
            if (refused := corpus.link_outside(candidate, root)) is not None:
                raise _fail(path, str(refused), refused.for_user())
            try:
                text = read_bounded(candidate, max_bytes).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _fail(path, f"{name} is not UTF-8 text", f"{name} không phải văn bản UTF-8.") from exc
            try:
                data = safe_yaml(text, name) or {}
            except CorpusError as exc:
                raise _fail(path, str(exc), exc.for_user()) from exc
            if not isinstance(data, dict):
                raise _fail(path, f"{name} must be a mapping", f"{name} phải là một bảng khóa: giá trị.")
            return data
    return {}


def _legal(doc: Document) -> Document:
    """A Pháp điển page, repaired (its index cut off, glued headings split) and marked an official text."""
    if not phapdien.is_phapdien(doc.body):
        return doc
    return dataclasses.replace(
        doc, body=phapdien.prepare(doc.body), facts=dataclasses.replace(doc.facts, kind="directive")
    )


def load_file(path: Path, max_bytes: int, strict: bool = True, root: Path | None = None) -> Document:
    """One file as a Document, or CorpusError with the reason.

    `strict` (the corpus folder): Markdown must carry this project's front
    matter, and unknown keys are typos. Otherwise any Markdown reads: front
    matter optional, keys this project does not know ignored and named in
    `Document.notes`. `root`: the folder scanned, which a sidecar must lie in
    (by default the file's own folder).
    """
    suffix = path.suffix.lower()
    root = (root or path.parent).resolve()
    if has_surrogates(str(path)):
        raise _fail(
            path,
            "the file name is not valid UTF-8; rename the file",
            "tên tệp không phải UTF-8 hợp lệ; hãy đổi tên tệp.",
        )
    if _SECRET_NAMES.match(path.name) or _SECRET_NAMES.match(path.resolve().name):
        raise _fail(path, "refused: a secrets file (.env, key)", "tệp chứa thông tin bí mật (.env, khóa); không nạp.")
    if suffix not in DOCUMENT_TYPES:
        raise _fail(
            path,
            f"unsupported file type {suffix or '(none)'}",
            f"loại tệp {suffix or '(không có đuôi)'} chưa được hỗ trợ.",
        )
    data = read_bounded(path, max_bytes)
    if not data.strip():
        raise _fail(path, "empty file", "tệp rỗng.")
    if suffix == ".md":
        text = _decode(path, data)
        _secrets(path, text)
        if strict:
            return _legal(parse_document(text, printable(str(path))))
        try:
            extra = {**(official_header(text[:20_000]) or {}), **_sidecar(path, max_bytes, root)}
            doc, ignored = parse_foreign(text, printable(str(path)), _slug(path.stem), extra)
        except CorpusError as exc:
            raise _fail(path, str(exc), exc.for_user()) from exc
        if ignored:
            log.info("%s: front matter key(s) not used: %s", printable(path.name), ", ".join(ignored))
        doc = _legal(doc)
        return dataclasses.replace(doc, notes=tuple(ignored))
    body, facts = _READERS[suffix](path, data)
    body = clean_text(body)
    if not body.strip():
        raise _fail(path, "no text found", "không tìm thấy nội dung văn bản.")
    _secrets(path, body)
    header = official_header(body) or {}
    facts = {
        "id": _slug(path.stem),
        "kind": "note",
        "source_file": path.name,
        **facts,
        **header,
        **_sidecar(path, max_bytes, root),
    }
    if isinstance(facts.get("published"), str):
        try:
            facts["published"] = dt.date.fromisoformat(facts["published"][:10])
        except ValueError:
            facts.pop("published")
    try:
        meta = validate_facts(facts, "metadata")
    except CorpusError as exc:
        raise _fail(path, str(exc), exc.for_user()) from exc
    return meta.document(body, str(path))
