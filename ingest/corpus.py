"""Read corpus documents: Markdown files with YAML front matter.

The format is documented in corpus/README.md. The front matter is split off
by hand (three dashes, YAML, three dashes): a dependency for that would be
larger than the code, and pydantic gives the validation messages.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ingest.errors import CorpusError
from ingest.models import Document

log = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,100}$")
# Files in the corpus folder that describe it rather than belong to it.
_NOT_DOCUMENTS = {"readme.md", "changelog.md", "directives.yaml"}
SIDECAR = ".meta.yaml"


class FrontMatter(BaseModel):
    """The facts a corpus file states about itself; unknown keys are typos."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    title_source: Literal["article", "editorial"] = "article"
    author: str | None = None
    author_role: str | None = None
    publisher: str | None = None
    site: str | None = None
    url: str | None = None
    published: dt.date | None = None
    locality: str | None = None
    kind: Literal["article", "directive", "note"] = "article"
    source_file: str | None = None
    ref: str | None = None  # kind: directive — the document's own number and symbol

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("id must be lower-case letters, digits, '.', '_' or '-' (2-101 chars)")
        return value

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("url must be an http(s) address, or null when unknown")
        return value


def parse_document(text: str, path: str) -> Document:
    """Parse one corpus file's text; `path` is only used in messages and metadata."""
    m = _FRONT_MATTER.match(text)
    if not m:
        raise CorpusError(
            f"{path}: no YAML front matter (the file must start with a '---' line)",
            user_message=f"{path}: thiếu phần thông tin đầu tệp (YAML giữa hai dòng '---').",
            hint="See corpus/README.md for the format.",
        )
    try:
        data = yaml.safe_load(m["yaml"]) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: front matter must be a YAML mapping")
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'front matter'}: {err['msg']}"
            for err in exc.errors()
        )
        raise CorpusError(f"{path}: {problems}", hint="See corpus/README.md for the format.") from exc
    body = text[m.end() :].strip()
    if not body:
        raise CorpusError(f"{path}: the document has no text after its front matter")
    return Document(body=body, path=path, **meta.model_dump())


def read_document(path: Path) -> Document:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from exc
    return parse_document(text, str(path))


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under the given files and folders, in a stable order.

    Folders yield every file but hidden ones, the corpus's own descriptions
    (README.md, directives.yaml) and metadata sidecars; the loader reports
    files of a type it cannot read.
    """
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                name = found.name.lower()
                if name in _NOT_DOCUMENTS or name.endswith(SIDECAR) or any(
                    part.startswith(".") for part in found.relative_to(path).parts
                ):
                    continue
                yield found
        elif path.exists():
            yield path
        else:
            raise CorpusError(
                f"{path}: no such file or folder",
                user_message=f"{path}: không có tệp hoặc thư mục này.",
            )
