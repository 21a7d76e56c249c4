"""Document numbers ("số hiệu"): the citation grammar's home.

For now this finds number-and-symbol references such as "120-KL/TW",
"02 - ĐA/TU", "08-KH/BDVTU- BCSĐUBND" or "34/2007/PL-UBTVQH11" and gives
them one canonical spelling, so a question's reference can be matched
against the corpus exactly. Hand-written: no public parser knows Party
document numbers.
"""

from __future__ import annotations

import re

from ingest.normalize import fold, normalize_text

_SYMBOL_PART = r"[A-Za-zĐđ][A-Za-zĐđ0-9]*"
# Party style: NUMBER-TYPE/ISSUER[-ISSUER2]  (spaces around the dash tolerated)
# State style: NUMBER[/YEAR]/TYPE-ISSUER
_REF = re.compile(
    rf"(?<![\w/])(?P<ref>\d{{1,5}}(?:/\d{{4}})?\s*[-–/]\s*{_SYMBOL_PART}(?:\s*/\s*{_SYMBOL_PART}(?:\s*-\s*{_SYMBOL_PART})*)+)(?![\w/])"
    rf"|(?<![\w/])(?P<state>\d{{1,5}}(?:/\d{{4}})?/{_SYMBOL_PART}(?:-{_SYMBOL_PART})+)(?![\w/])"
)


def canonical_ref(ref: str) -> str:
    """One spelling per reference: no spaces, en dash as hyphen."""
    return re.sub(r"\s+", "", normalize_text(ref)).replace("–", "-")


def ref_key(ref: str) -> str:
    """The matching key: canonical, folded (QĐ = QD), upper case."""
    return fold(canonical_ref(ref)).upper()


def find_refs(text: str) -> list[str]:
    """Canonical references in order of appearance (repeats kept)."""
    norm = normalize_text(text)
    return [canonical_ref(m.group("ref") or m.group("state")) for m in _REF.finditer(norm)]
