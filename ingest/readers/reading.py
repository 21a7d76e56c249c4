"""One ingestion's reading step: the scanned files → Documents, and what failed, in Vietnamese.

Every document's `path` is where its file is (relative to the project when
inside it): the next ingestion decides from that path whether the file is
gone. A name that could not be shown as it is (a line break, a bidirectional
override, an invisible character) is refused by name, so that no stored path
is ever an escaped form of the real one.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ingest.errors import CorpusError
from ingest.index.derived import DocRecord
from ingest.language.normalize import has_surrogates, printable
from ingest.models import Document
from ingest.readers.corpus import discover, inside, link_outside
from ingest.readers.loaders import load_file, sidecar_paths
from ingest.report import IngestReport
from ingest.settings import PROJECT_ROOT

log = logging.getLogger(__name__)


def real_path(path: Path) -> str:
    """Where a document's file is, links followed: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path.resolve())


def display_path(path: Path, follow: bool = True) -> str:
    """`real_path`, printable: a file name with a newline in it cannot forge a line of the report.
    Not `follow`: a link itself, not where it points (a link refused is named as found)."""
    return printable(real_path(path) if follow else str(Path(real_path(path.parent)) / path.name))


def odd_name(path: Path) -> str | None:
    """Why the path of a file cannot be stored and shown as it is, in Vietnamese; None when it can."""
    real = real_path(path)
    if printable(real) == real:
        return None
    if has_surrogates(real):
        return "tên tệp không phải UTF-8 hợp lệ; hãy đổi tên tệp."
    odd = sorted({ch for ch in real if printable(ch) != ch})
    named = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'control').lower()}" for ch in odd[:3])
    return f"tên tệp hoặc thư mục có ký tự điều khiển, đảo chiều chữ hoặc ký tự ẩn ({named}); hãy đổi tên rồi nạp lại."


def failure_reason(exc: CorpusError, path: Path, shown: str) -> str:
    """The Vietnamese reason alone: the report prints the path once, before it.

    Messages start with the file's path or name ("a.md: tệp rỗng."); that
    prefix is dropped rather than each message written twice.
    """
    text = exc.for_user()
    for prefix in (shown, printable(str(path)), printable(path.name)):
        if prefix and text.startswith(prefix + ": "):
            return text[len(prefix) + 2 :]
    return text


def linked_out(path: Path, root: Path) -> bool:
    """Whether a sidecar of `path` links out of `root`: read again (and refused), even when unchanged."""
    return any(c.is_file() and link_outside(c, root) is not None for c in sidecar_paths(path))


def file_stat(path: Path) -> list[int]:
    """Size and modification time of a file and of the sidecars that may describe it."""
    stat: list[int] = []
    for candidate in (path, *sidecar_paths(path)):
        try:
            st = candidate.stat()
            stat += [st.st_size, st.st_mtime_ns]
        except OSError:
            stat += [-1, -1]
    return stat


def load_documents(
    paths: Iterable[Path],
    report: IngestReport,
    max_bytes: int,
    known: dict[str, DocRecord] | None = None,
    stats: dict[str, list[int]] | None = None,
    strict_root: Path | None = None,
) -> list[Document]:
    """Read every corpus file; a bad file is reported and skipped, never fatal.

    Whatever reading one file raises (a loader's CorpusError, or an error
    no one foresaw in a third-party reader) fails that file alone. A file
    whose stat matches what the index recorded (`known`, by path) is not read
    again: it comes back as `Document.unread`. `stats` receives every
    document's file stat, by id. Markdown under `strict_root` (the corpus
    folder) must carry the corpus's front matter; elsewhere any Markdown reads.
    A sidecar must lie in the folder scanned (a file's own folder, for a file given).
    """
    docs: dict[str, Document] = {}
    problems: list[tuple[Path, CorpusError]] = []
    by_path = {r.path: r for r in (known or {}).values() if r.stat}
    skipped: list[Path] = []
    strict = strict_root.resolve() if strict_root is not None else None
    for given in paths:
        root = (given if given.is_dir() else given.parent).resolve()
        for path in discover([given], problems, skipped):
            shown = display_path(path)
            if (odd := odd_name(path)) is not None:
                report.failures.append((shown, odd))
                continue
            stat = file_stat(path)
            record = by_path.get(shown)
            if record is not None and record.stat == stat and record.doc_id not in docs and not linked_out(path, root):
                doc = Document.unread(record.doc_id, shown, record.doc_hash)
            else:
                try:
                    doc = load_file(path, max_bytes, strict=strict is not None and inside(path, strict), root=root)
                except CorpusError as exc:
                    log.info("%s", exc)  # the English detail, for the logs
                    report.failures.append((shown, failure_reason(exc, path, shown)))
                    continue
                except Exception as exc:  # one file's reader must never stop the batch (logged with its traceback)
                    log.debug("reading %s failed", shown, exc_info=True)
                    detail = printable(f"{type(exc).__name__}: {exc}")[:200]
                    report.failures.append((shown, f"không đọc được tệp ({detail})."))
                    continue
            if doc.id in docs:
                report.failures.append((shown, f"mã {doc.id!r} đã dùng cho {docs[doc.id].path}."))
                continue
            docs[doc.id] = replace(doc, path=shown)
            report.ignored += [(shown, note) for note in doc.notes]
            if stats is not None:
                stats[doc.id] = stat
    for path, problem in problems:
        shown = display_path(path, follow=False)
        report.failures.append((shown, failure_reason(problem, path, shown)))
    report.skipped += len(skipped)
    return list(docs.values())
