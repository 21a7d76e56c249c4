"""Read corpus documents: Markdown files with YAML front matter.

The format is documented in corpus/README.md. The front matter is split off
by hand (three dashes, YAML, three dashes): a dependency for that would be
larger than the code, and pydantic gives the validation messages.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, get_type_hints

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, create_model, field_validator

from ingest.errors import CorpusError
from ingest.facts import DocumentFacts
from ingest.language.normalize import clean_text, printable
from ingest.language.patterns import is_safe_url
from ingest.models import Document

log = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,100}$")
# Files in the corpus folder that describe it rather than belong to it.
_NOT_DOCUMENTS = {"readme.md", "changelog.md", "directives.yaml"}
SIDECAR = ".meta.yaml"
# What a folder scan reads (the loaders know these); anything else in a folder is not a document.
DOCUMENT_TYPES = {".md", ".txt", ".html", ".htm", ".pdf", ".docx"}
_NOT_DOCUMENT_STEMS = ("readme.", "license", "licence", "changelog.", "contributing.")


def safe_yaml(text: str, where: str, where_vi: str | None = None) -> object:
    """YAML → Python, every way it can fail turned into one CorpusError.

    PyYAML raises more than YAMLError: ValueError for a date that does not
    exist ("2020-02-30") or an integer of 100,000 digits, RecursionError for
    lists nested 50,000 deep. `where_vi` names the place in the Vietnamese message.
    """
    where_vi = where_vi or where
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem, line = str(getattr(exc, "problem", None) or "syntax error"), ""
        if (mark := getattr(exc, "problem_mark", None)) is not None:
            problem, line = f"{problem} at line {mark.line + 1}", f" (dòng {mark.line + 1})"
        raise CorpusError(
            f"{where} is not valid YAML ({problem})", user_message=f"{where_vi} không phải YAML hợp lệ{line}."
        ) from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else printable(str(exc))[:120]
        reason_vi = "lồng quá sâu" if isinstance(exc, RecursionError) else reason
        raise CorpusError(
            f"{where} has a value that cannot be read ({reason})",
            user_message=f"{where_vi} có giá trị không đọc được ({reason_vi}).",
        ) from exc


class FrontMatterBase(BaseModel):
    """The rules of front matter; its fields are `DocumentFacts`'s, plus the id (see `FrontMatter`)."""

    model_config = ConfigDict(extra="forbid")  # unknown keys are typos

    id: str

    def document(self, body: str, path: str) -> Document:
        """The Document these facts describe."""
        facts = self.model_dump(exclude={"id"})
        return Document(id=self.id, body=body, path=path, facts=DocumentFacts(**facts))

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("id must be lower-case letters, digits, '.', '_' or '-' (2-101 chars)")
        return value

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        return clean_text(value).strip() if isinstance(value, str) else value

    @field_validator("url", check_fields=False)
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not is_safe_url(value):
            raise ValueError("url must be an http(s) address without spaces, quotes or markup, or null when unknown")
        return value


def _fact_fields() -> dict[str, Any]:
    """`DocumentFacts`'s fields as pydantic field definitions: the facts are declared once, there."""
    hints = get_type_hints(DocumentFacts)
    return {
        f.name: (hints[f.name], ... if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(DocumentFacts)
    }


# The facts a corpus file states about itself, validated.
FrontMatter = create_model("FrontMatter", __base__=FrontMatterBase, **_fact_fields())


def validate_facts(data: dict, where: str) -> FrontMatterBase:
    """The facts, validated; every problem in one CorpusError."""
    try:
        return FrontMatter.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'front matter'}: {err['msg']}" for err in exc.errors()
        )
        raise CorpusError(
            f"{where}: {problems}",
            user_message=f"{where}: thông tin tệp không hợp lệ: {problems}.",
            hint="See corpus/README.md for the format.",
        ) from exc
    except RecursionError as exc:
        raise CorpusError(
            f"{where}: metadata nested too deeply", user_message=f"{where}: thông tin tệp lồng quá sâu."
        ) from exc


def parse_document(text: str, path: str) -> Document:
    """Parse one corpus file's text; `path` is only used in messages and metadata."""
    m = _FRONT_MATTER.match(text)
    if not m:
        raise CorpusError(
            f"{path}: no YAML front matter (the file must start with a '---' line)",
            user_message=f"{path}: thiếu phần thông tin đầu tệp (YAML giữa hai dòng '---').",
            hint="See corpus/README.md for the format.",
        )
    data = safe_yaml(m["yaml"], f"{path}: front matter", f"{path}: phần thông tin đầu tệp") or {}
    if not isinstance(data, dict):
        raise CorpusError(
            f"{path}: front matter must be a YAML mapping",
            user_message=f"{path}: phần thông tin đầu tệp phải là các dòng 'khóa: giá trị'.",
        )
    meta = validate_facts(data, path)
    body = clean_text(text[m.end() :]).strip()
    if not body:
        raise CorpusError(
            f"{path}: the document has no text after its front matter",
            user_message=f"{path}: tệp không có nội dung sau phần thông tin đầu tệp.",
        )
    return meta.document(body, path)


def parse_foreign(text: str, path: str, doc_id: str, extra: dict[str, Any] | None = None) -> tuple[Document, list[str]]:
    """Markdown from outside the corpus folder: front matter optional, and what
    this project does not know in it (Jekyll's `layout`, `permalink`) ignored.

    Returns the document and the names of the keys ignored (for the summary).
    The title is the front matter's, else the first heading, else `doc_id`
    (the file name); `extra` (a sidecar's facts, the reader's) overrides.
    """
    m = _FRONT_MATTER.match(text)
    data: object = {}
    if m:
        try:
            data = safe_yaml(m["yaml"], f"{path}: front matter") or {}
        except CorpusError as exc:
            log.info("%s; front matter ignored", exc)
            data = {}
        text = text[m.end() :]
    fields = FrontMatter.model_fields
    given = data if isinstance(data, dict) else {}
    ignored = sorted(str(k) for k in given if k not in fields or k == "id")
    facts: dict[str, Any] = {k: v for k, v in given.items() if k in fields and k != "id"}
    body = clean_text(text).strip()
    if not body:
        raise CorpusError(f"{path}: the document has no text", user_message=f"{path}: tệp không có nội dung văn bản.")
    heading = re.search(r"^#{1,6}[ \t]+(\S.*)$", body, re.M)
    facts.setdefault("title", heading[1].strip(" #")[:200] if heading else doc_id)
    facts = {**facts, **(extra or {}), "id": doc_id}
    while True:  # a known key with an unusable value is dropped, with a note, never fatal here
        try:
            return validate_facts(facts, path).document(body, path), ignored
        except CorpusError as exc:
            bad = {str(e["loc"][0]) for e in getattr(exc.__cause__, "errors", lambda: [])() if e["loc"]}
            bad -= {"id"}
            if not bad & set(facts):
                raise
            ignored += [f"{name} (unusable value)" for name in sorted(bad & set(facts))]
            facts = {k: v for k, v in facts.items() if k not in bad}
            facts.setdefault("title", doc_id)


def read_document(path: Path) -> Document:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})",
            user_message=f"{path}: tệp không phải văn bản UTF-8.",
        ) from exc
    except OSError as exc:
        raise CorpusError(
            f"{path}: cannot be read ({exc.strerror})", user_message=f"{path}: không đọc được tệp."
        ) from exc
    return parse_document(text, str(path))


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, links followed, is `root` or under it (`root` resolved)."""
    target = path.resolve()
    return target == root or root in target.parents


def link_outside(path: Path, root: Path) -> CorpusError | None:
    """The error that refuses `path` when it is a symbolic link out of `root` (resolved), the
    folder scanned; None otherwise. One rule for documents and their sidecars alike."""
    if not path.is_symlink() or inside(path, root):
        return None
    return CorpusError(
        f"{printable(str(path))}: a symbolic link to a file outside {printable(str(root))}; not followed",
        user_message=f"{printable(path.name)}: liên kết tới tệp nằm ngoài thư mục quét; không đọc.",
    )


def discover(
    paths: Iterable[Path],
    problems: list[tuple[Path, CorpusError]] | None = None,
    skipped: list[Path] | None = None,
) -> Iterator[Path]:
    """Files under the given files and folders, in a stable order.

    Folders yield every file but hidden ones, the corpus's own descriptions
    (README.md, directives.yaml) and metadata sidecars; the loader reports
    files of a type it cannot read. A symbolic link in a folder is followed
    only when it points inside that folder: `env.txt -> ../.env` must not
    publish a secret. What cannot be read goes to `problems`, when given, and
    the scan goes on; without it a missing path raises.
    """
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                name = found.name.lower()
                if name.endswith(SIDECAR) or any(part.startswith(".") for part in found.relative_to(path).parts):
                    continue
                if (
                    name in _NOT_DOCUMENTS
                    or name.startswith(_NOT_DOCUMENT_STEMS)
                    or found.suffix.lower() not in DOCUMENT_TYPES
                ):
                    if skipped is not None:
                        skipped.append(found)
                    continue
                if (problem := link_outside(found, root)) is not None:
                    if problems is None:
                        continue
                    problems.append((found, problem))
                    continue
                yield found
        elif path.exists():
            yield path
        else:
            problem = CorpusError(
                f"{printable(str(path))}: no such file or folder",
                user_message=f"{printable(str(path))}: không có tệp hoặc thư mục này.",
            )
            if problems is None:
                raise problem
            problems.append((path, problem))
