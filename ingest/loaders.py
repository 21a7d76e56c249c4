"""Read real-world files into Documents: Markdown with front matter, text, HTML, PDF, DOCX.

Maintained libraries do the reading (trafilatura for the main content of a
web page and its metadata, pypdf, python-docx); this module decides what is
a document's text and its facts, and turns every expected failure into a
CorpusError with the reason, so one bad file never stops a batch. A sidecar
`NAME.meta.yaml` beside any file states or corrects its facts.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ingest import legacy
from ingest.corpus import SIDECAR, FrontMatter, parse_document
from ingest.errors import CorpusError
from ingest.models import Document
from ingest.normalize import fold

log = logging.getLogger(__name__)

SUPPORTED = {".md", ".txt", ".html", ".htm", ".pdf", ".docx"}


def _fail(path: Path, reason: str, vi: str) -> CorpusError:
    return CorpusError(f"{path}: {reason}", user_message=f"{path.name}: {vi}")


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80]
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
    text = _unicode(path, text)
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
    text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True, favor_precision=True)
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
        if meta.url and re.match(r"^https?://", meta.url):
            facts["url"] = meta.url  # <link rel="canonical"> or og:url
        if meta.date:
            facts["published"] = meta.date
        if meta.author:
            facts["author"] = meta.author
        if meta.hostname:
            facts["site"] = meta.hostname
    facts.setdefault("title", next((line for line in lines if line.strip()), path.stem)[:200])
    return _paragraphs(lines), facts


def _read_pdf(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(path, "encrypted PDF (password required)", "tệp PDF được mã hóa, cần mật khẩu.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except CorpusError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _fail(path, f"unreadable or corrupt PDF ({exc})", "tệp PDF hỏng hoặc không đọc được.") from exc
    except Exception as exc:  # pypdf raises many kinds on broken files; the batch must go on
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise _fail(path, "encrypted PDF (password required)", "tệp PDF được mã hóa, cần mật khẩu.") from exc
        raise _fail(path, f"unreadable or corrupt PDF ({type(exc).__name__})", "tệp PDF hỏng hoặc không đọc được.") from exc
    text = "\n".join(pages)
    if len(re.sub(r"\W", "", text)) < 20:
        raise _fail(path, "no text layer (a scanned PDF needs OCR first)", "tệp PDF không có lớp văn bản (bản quét): cần nhận dạng chữ (OCR) trước.")
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
        legacy.to_unicode(run.text, "TCVN3") if font.startswith(".vn")
        else legacy.to_unicode(run.text, "VNI") if font.startswith("vni")
        else run.text
        for run, font in fonts
    )


def _read_docx(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _fail(path, "unreadable or corrupt DOCX", "tệp Word (DOCX) hỏng hoặc không đọc được.") from exc
    except Exception as exc:  # python-docx raises several kinds on non-DOCX content
        raise _fail(path, f"unreadable or corrupt DOCX ({type(exc).__name__})", "tệp Word (DOCX) hỏng hoặc không đọc được.") from exc
    lines = [_docx_paragraph(p) for p in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(" ".join(_docx_paragraph(p) for p in cell.paragraphs).strip() for cell in row.cells) for row in table.rows]
    lines = _unicode(path, "\n".join(lines)).split("\n")
    facts: dict[str, Any] = {}
    if document.core_properties.title:
        facts["title"] = document.core_properties.title.strip()
    facts.setdefault("title", next((line.strip() for line in lines if line.strip()), path.stem)[:200])
    return _paragraphs(lines), facts


_NATIONAL = re.compile(r"^(ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập.*|[-*_= ]+)$")
_NUMBER_LINE = re.compile(r"^\s*Số\s*:?\s*(.+)$")
_PLACE_DATE = re.compile(r"^(?P<place>[^,\n]{2,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})")


def official_header(body: str) -> dict[str, Any] | None:
    """Facts from the header of a Vietnamese official document, when it has one.

    The header: issuing body in capitals ("BAN CHẤP HÀNH TRUNG ƯƠNG", "TỈNH ỦY
    HƯNG YÊN"), "Số 120-KL/TW", place and date ("Hà Nội, ngày 07 tháng 01 năm
    2016"), then the type in capitals ("KẾT LUẬN CỦA BỘ CHÍNH TRỊ") and "về …".
    """
    from ingest.citations import TYPES, parse_citations

    lines = [line.strip() for line in body.split("\n") if line.strip()][:30]
    ref = date = None
    issuer_lines: list[str] = []
    type_at = None
    for i, line in enumerate(lines):
        if ref is None and (m := _NUMBER_LINE.match(line)):
            cites = [c for c in parse_citations(m[1]) if c.symbol]
            if cites:
                ref = cites[0].ref
                continue
        if date is None and (m := _PLACE_DATE.match(line)):
            try:
                date = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                pass
            continue
        folded = fold(line)
        if ref is None and line.isupper() and not _NATIONAL.match(line):
            issuer_lines.append(line)
        elif type_at is None and line.isupper() and any(folded.startswith(t) for t in TYPES):
            type_at = i
    if ref is None or type_at is None:
        return None
    type_word = next(TYPES[t] for t in sorted(TYPES, key=len, reverse=True) if fold(lines[type_at]).startswith(t))
    subject = ""
    if type_at + 1 < len(lines) and fold(lines[type_at + 1]).startswith("ve "):
        subject = " " + lines[type_at + 1]
    facts: dict[str, Any] = {"kind": "directive", "ref": ref, "title": f"{type_word} số {ref}{subject}"[:200]}
    if date:
        facts["published"] = date
    if issuer_lines:
        facts["author"] = " ".join(issuer_lines)[:120]  # the issuing body, as the header writes it
    return facts


_READERS = {".txt": _read_text, ".html": _read_html, ".htm": _read_html, ".pdf": _read_pdf, ".docx": _read_docx}


def _sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.name + SIDECAR) if path.suffix else path.with_suffix(SIDECAR)
    alt = path.with_suffix(SIDECAR)  # NAME.meta.yaml beside NAME.pdf
    for candidate in (alt, sidecar):
        if candidate.is_file():
            try:
                data = yaml.safe_load(candidate.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise _fail(path, f"{candidate.name} is not valid YAML", f"{candidate.name} không phải YAML hợp lệ.") from exc
            if not isinstance(data, dict):
                raise _fail(path, f"{candidate.name} must be a mapping", f"{candidate.name} phải là một bảng khóa: giá trị.")
            return data
    return {}


def load_file(path: Path, max_bytes: int) -> Document:
    """One file as a Document, or CorpusError with the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise _fail(path, f"unsupported file type {suffix or '(none)'}", f"loại tệp {suffix or '(không có đuôi)'} chưa được hỗ trợ.")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _fail(
                path,
                f"file of {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit (MAX_FILE_MB)",
                f"tệp quá lớn ({size / 1e6:.1f} MB, giới hạn {max_bytes / 1e6:.0f} MB).",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror})", "không đọc được tệp.") from exc
    if not data.strip():
        raise _fail(path, "empty file", "tệp rỗng.")
    if suffix == ".md":
        return parse_document(_decode(path, data), str(path))
    body, facts = _READERS[suffix](path, data)
    if not body.strip():
        raise _fail(path, "no text found", "không tìm thấy nội dung văn bản.")
    header = official_header(body) or {}
    facts = {"id": _slug(path.stem), "kind": "note", "source_file": path.name, **facts, **header, **_sidecar(path)}
    if isinstance(facts.get("published"), str):
        try:
            facts["published"] = dt.date.fromisoformat(facts["published"][:10])
        except ValueError:
            facts.pop("published")
    try:
        meta = FrontMatter.model_validate(facts)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise _fail(path, f"metadata: {problems}", f"thông tin tệp không hợp lệ: {problems}.") from exc
    return Document(body=body, path=str(path), **meta.model_dump())
