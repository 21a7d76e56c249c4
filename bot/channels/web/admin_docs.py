"""The unit's documents folder (DOCUMENTS_DIR) as the administration page changes it.

An uploaded file is checked exactly as an ingestion would check it: written alone into a
temporary folder, read there by `load_file` with the ingestion's size limit (MAX_FILE_MB), and
scanned (`discover`: a name a scan passes by, README or LICENSE, is refused); a refusal carries
the ingestion's own Vietnamese line. Only then is it written into the folder, by a name that
cannot leave it, and never over another file unless the administrator asked to replace it.
"""

from __future__ import annotations

import logging
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.errors import CorpusError
from ingest.language.normalize import has_surrogates, printable
from ingest.readers.corpus import discover
from ingest.readers.loaders import load_file, sidecar_paths
from ingest.readers.reading import failure_reason

log = logging.getLogger(__name__)

MAX_NAME_BYTES = 200  # well under the 255 bytes a Linux file name may have


@dataclass(frozen=True)
class Uploaded:
    """One uploaded file's fate. `refusal` is this page's own reason (worded in the template:
    "name", "exists", "skipped", "reader" with the reader's error in `reason`); otherwise `reason`
    is the ingestion's Vietnamese line."""

    name: str  # printable: as the administrator's browser sent it, or the name saved
    saved: bool
    replaced: bool = False
    refusal: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Listed:
    """A document of the folder: its path inside the folder (the key a removal names), size, time."""

    path: str
    size: int
    modified: datetime


def safe_name(filename: str) -> str | None:
    """The name to save an upload under, or None when it is not a plain, visible file name:
    no folder part (no traversal), not hidden, nothing invisible or unprintable."""
    if has_surrogates(filename):
        return None
    name = unicodedata.normalize("NFC", filename).strip()
    if (
        not name
        or "/" in name
        or "\\" in name
        or name.startswith(".")
        or printable(name) != name
        or len(name.encode("utf-8")) > MAX_NAME_BYTES
    ):
        return None
    return name


def documents(folder: Path) -> list[Listed]:
    """The documents an ingestion reads in the folder (its own scan), by path."""
    if not folder.is_dir():
        return []
    listed = []
    for path in discover([folder]):
        try:
            st = path.stat()
        except OSError:
            continue
        listed.append(Listed(str(path.relative_to(folder)), st.st_size, datetime.fromtimestamp(st.st_mtime)))
    return listed


def check(name: str, body: bytes, max_bytes: int) -> tuple[str, str]:
    """("", "") when the ingestion would read the file; else (refusal, reason) as in `Uploaded`."""
    with tempfile.TemporaryDirectory(prefix="qcdc-upload-") as tmp:
        folder = Path(tmp)
        path = folder / name
        path.write_bytes(body)
        try:
            load_file(path, max_bytes, strict=False, root=folder)
        except CorpusError as exc:
            log.info("upload refused: %s", exc)
            return "", failure_reason(exc, path, printable(str(path)))
        except Exception as exc:  # a third-party reader's surprise refuses this file only, as ingestion does
            log.info("upload refused, reader failed on %s", printable(name), exc_info=True)
            return "reader", printable(f"{type(exc).__name__}: {exc}")[:200]
        if path not in list(discover([folder])):  # read, but a scan of the folder would pass it by
            return "skipped", ""
    return "", ""


def save(folder: Path, filename: str, body: bytes, max_bytes: int, replace: bool = False) -> Uploaded:
    """Check one upload and save it into the folder; see the module's docstring."""
    name = safe_name(filename)
    if name is None:
        return Uploaded(printable(filename) or "?", False, refusal="name")
    target = folder / name
    exists = target.exists() or target.is_symlink()
    if exists and not (replace and target.is_file() and not target.is_symlink()):
        return Uploaded(name, False, refusal="exists")
    refusal, reason = check(name, body, max_bytes)
    if refusal or reason:
        return Uploaded(name, False, refusal=refusal, reason=reason)
    folder.mkdir(parents=True, exist_ok=True)
    if exists:
        # Written beside it under a hidden name (an ingestion skips it), then put in place at once.
        part = folder / f".{name}.part"
        part.write_bytes(body)
        os.replace(part, target)
    else:
        try:
            with target.open("xb") as fh:  # exclusive: a file that appeared meanwhile is not overwritten
                fh.write(body)
        except FileExistsError:
            return Uploaded(name, False, refusal="exists")
    log.info("document uploaded: %s (%d bytes%s)", printable(name), len(body), ", replaced" if exists else "")
    return Uploaded(name, True, replaced=exists)


def remove(folder: Path, path: str) -> bool:
    """Remove a listed document and its sidecar(s); False when no listed document has that path
    (the name is matched against the folder's own listing, never joined blindly)."""
    listed = {d.path for d in documents(folder)}
    if path not in listed:
        return False
    target = folder / path
    for sidecar in sidecar_paths(target):
        if sidecar.is_file() and not sidecar.is_symlink():
            sidecar.unlink()
    target.unlink()
    log.info("document removed: %s", printable(path))
    return True
