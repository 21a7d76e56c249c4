"""Legal texts as people cite them: the source document of an article, where a
passage sits in it, and the one wording of a citation ("Điều 12, khoản 1, Luật
Thực hiện dân chủ ở cơ sở (10/2022/QH15), hiệu lực từ 01/07/2023").

Every fact here is one the text states (the Pháp điển's notes under each
article, see ingest.readers.phapdien); nothing is looked up or guessed. The Pháp điển's
own codes ("44.13.LQ.12") are kept for reference, never shown as the citation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any

from ingest.facts import vn_date


@dataclass(frozen=True)
class LegalSource:
    """A legal document an article comes from, as its notes state it."""

    type: str  # "Luật", "Nghị định", "Thông tư", …
    ref: str  # "10/2022/QH15"
    name: str | None = None  # "Luật Thực hiện dân chủ ở cơ sở", "Nghị định quy định chi tiết …"
    date: dt.date | None = None  # promulgated
    issuer: str | None = None
    in_force: dt.date | None = None
    amendment: str | None = None  # "có nội dung được sửa đổi … bởi …", as the note says

    @property
    def title(self) -> str:
        """What people call it: a law by its name, other texts by type and number."""
        if self.type == "Luật" and self.name:
            return self.name
        return f"{self.type} {self.ref}"

    @property
    def full_title(self) -> str:
        """Title and number: "Luật Thực hiện dân chủ ở cơ sở (10/2022/QH15)", "Nghị định 59/2023/NĐ-CP"."""
        return f"{self.title} ({self.ref})" if self.type == "Luật" and self.name else self.title

    def merged(self, other: LegalSource) -> LegalSource:
        """This source with the facts only `other` states (a later, shorter note adds nothing it lacks)."""
        return replace(self, **{f.name: getattr(other, f.name) for f in fields(self) if getattr(self, f.name) is None})


@dataclass(frozen=True)
class LegalPlace:
    """Where a passage sits in a legal text: document, article and clause."""

    source: LegalSource
    article: int  # the original number ("Điều 12"), not the Pháp điển position
    article_title: str
    clause: str | None = None  # "1", "1-3" when the passage holds only part of the article
    chapter: str | None = None  # "Chương II. …"
    section: str | None = None  # "Mục 1. …"
    code: str | None = None  # the Pháp điển code, "44.13.LQ.12"
    related: tuple[str, ...] = ()  # codes of the articles it says it relates to

    @property
    def heading(self) -> str:
        """The line indexed and shown above the text: "Điều 12. Title — Luật … 10/2022/QH15"."""
        doc = self.source.full_title.replace(" (", " ").rstrip(")") if self.source.name else self.source.title
        return f"Điều {self.article}. {self.article_title} — {doc}"

    def citation(self) -> str:
        """ "Điều 12, khoản 1, Luật Thực hiện dân chủ ở cơ sở (10/2022/QH15), hiệu lực từ 01/07/2023"."""
        parts = [f"Điều {self.article}"]
        if self.clause:
            parts.append(f"khoản {self.clause}")
        parts.append(self.source.full_title)
        if self.source.in_force:
            parts.append(f"hiệu lực từ {vn_date(self.source.in_force)}")
        return ", ".join(parts)

    def to_metadata(self) -> dict[str, Any]:
        """Chroma metadata (no nulls, scalars only) under `legal_` keys."""
        src = self.source
        values: dict[str, Any] = {
            "legal_type": src.type,
            "legal_ref": src.ref,
            "legal_name": src.name,
            "legal_date": src.date.isoformat() if src.date else None,
            "legal_issuer": src.issuer,
            "legal_in_force": src.in_force.isoformat() if src.in_force else None,
            "legal_amendment": src.amendment,
            "legal_article": self.article,
            "legal_article_title": self.article_title,
            "legal_clause": self.clause,
            "legal_chapter": self.chapter,
            "legal_section": self.section,
            "legal_code": self.code,
            "legal_related": "|".join(self.related) or None,
        }
        return {k: v for k, v in values.items() if v is not None}

    @classmethod
    def from_metadata(cls, meta: dict[str, Any]) -> LegalPlace | None:
        if "legal_ref" not in meta or "legal_article" not in meta:
            return None

        def date(key: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(str(meta[key])) if meta.get(key) else None
            except ValueError:
                return None

        def text(key: str) -> str | None:
            return str(meta[key]) if meta.get(key) is not None else None

        source = LegalSource(
            type=str(meta.get("legal_type") or "Văn bản"),
            ref=str(meta["legal_ref"]),
            name=text("legal_name"),
            date=date("legal_date"),
            issuer=text("legal_issuer"),
            in_force=date("legal_in_force"),
            amendment=text("legal_amendment"),
        )
        return cls(
            source=source,
            article=int(meta["legal_article"]),
            article_title=str(meta.get("legal_article_title") or ""),
            clause=text("legal_clause"),
            chapter=text("legal_chapter"),
            section=text("legal_section"),
            code=text("legal_code"),
            related=tuple(str(meta.get("legal_related") or "").split("|")) if meta.get("legal_related") else (),
        )


def passage_text(place: LegalPlace, body: str, note: str = "") -> str:
    """What a legal passage indexes and shows: its heading line, the Pháp điển's note under it
    where that names the document in full, a blank line, then the body."""
    return f"{place.heading}\n{note}{_BREAK}{body}" if note else f"{place.heading}{_BREAK}{body}"


def body_start(text: str) -> int:
    """Where the body of a legal passage's text starts (after its heading line; see `passage_text`)."""
    at = text.find(_BREAK)
    return at + len(_BREAK) if at != -1 else 0


_BREAK = "\n\n"
