"""Facts from the printed header of a Vietnamese official document (Party or
State): its number, date, issuing body, type and subject."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ingest.facts import document_name
from ingest.language.citations import TYPES, parse_citations
from ingest.language.normalize import fold
from ingest.language.patterns import WRITTEN_DATE_PARTS

_NATIONAL = re.compile(
    r"^(ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập.*|[-*_= ]+)$"
)
_NUMBER_LINE = re.compile(r"^\s*Số\s*:?\s*(.+)$")
_PLACE_DATE = re.compile(rf"^(?P<place>[^,\n]{{2,40}}),\s*{WRITTEN_DATE_PARTS}")


def official_header(body: str) -> dict[str, Any] | None:
    """Facts from the header of a Vietnamese official document, when it has one.

    The header: issuing body in capitals ("BAN CHẤP HÀNH TRUNG ƯƠNG", "TỈNH ỦY
    HƯNG YÊN"), "Số 120-KL/TW", place and date ("Hà Nội, ngày 07 tháng 01 năm
    2016"), then the type in capitals ("KẾT LUẬN CỦA BỘ CHÍNH TRỊ") and "về …".
    """
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
    facts: dict[str, Any] = {
        "kind": "directive",
        "ref": ref,
        "title": f"{document_name(type_word, ref)}{subject}"[:200],
    }
    if date:
        facts["published"] = date
    if issuer_lines:
        facts["author"] = " ".join(issuer_lines)[:120]  # the issuing body, as the header writes it
    return facts
