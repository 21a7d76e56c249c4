"""Check a generated answer against its sources before anyone sees it.

Sentence by sentence: every [n] must name a passage that was given, a
sentence must cite something, and every document number, date and figure it
states must occur in the passages it cites (or in the directive card). A
sentence that fails is dropped, with the reason. Written here because the
rule is this product's own: no library knows Vietnamese dates and
document numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ingest.chunking import split_sentences
from ingest.citations import parse_citations
from ingest.normalize import normalize_text

CARD = "thẻ"
_CITE = re.compile(r"\[(\d+|thẻ|the)\]", re.IGNORECASE)
_DATE = re.compile(
    r"\b(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})\b|\b(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b",
    re.IGNORECASE,
)
# Figures: integers with thousands dots, decimals with commas, percentages ("8.331", "10,9%", "139").
_FIGURE = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*%?(?![\w/-])")


@dataclass
class Verification:
    checked: int = 0
    dropped: int = 0
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"checked": self.checked, "dropped": self.dropped, "reasons": self.reasons}


def _dates(text: str) -> set[str]:
    found = set()
    for m in _DATE.finditer(text):
        d, mo, y = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
        try:
            found.add(dt.date(int(y), int(mo), int(d)).isoformat())
        except ValueError:
            found.add(m.group())
    return found


def _figures(text: str) -> set[str]:
    without_dates = _DATE.sub(" ", text)
    without_refs = without_dates
    for c in parse_citations(without_dates):
        without_refs = without_refs.replace(c.text, " ")
    return {m.group().rstrip("%") for m in _FIGURE.finditer(without_refs)}


def _refs(text: str) -> set[str]:
    return {c.key for c in parse_citations(text) if c.symbol}


def verify(answer: str, passages: list[str], card: str = "") -> tuple[str, Verification]:
    """The sentences of `answer` that pass, joined, and what was checked and dropped."""
    report = Verification()
    kept: list[str] = []
    for sentence in split_sentences(normalize_text(answer).replace("\n", " ")):
        body = _CITE.sub("", sentence).strip()
        if not re.search(r"\w", body):
            continue  # a stray citation or punctuation
        report.checked += 1
        cited = [c.lower() for c in _CITE.findall(sentence)]
        reason = None
        numbers = [int(c) for c in cited if c.isdigit()]
        if not cited:
            reason = "no citation"
        elif bad := [n for n in numbers if not 1 <= n <= len(passages)]:
            reason = f"[{bad[0]}] names no passage (there are {len(passages)})"
        else:
            source = " ".join(normalize_text(passages[n - 1]) for n in numbers)
            if any(c in (CARD, "the") for c in cited) or card:
                source += " " + normalize_text(card)
            if missing := _refs(body) - _refs(source):
                reason = f"document number {sorted(missing)[0]} is not in the cited passages"
            elif missing := _dates(body) - _dates(source):
                reason = f"date {sorted(missing)[0]} is not in the cited passages"
            elif missing := _figures(body) - _figures(source) - {str(n) for n in numbers}:
                reason = f"figure {sorted(missing)[0]} is not in the cited passages"
        if reason:
            report.dropped += 1
            report.reasons.append(f"{reason}: “{sentence[:80]}”")
        else:
            kept.append(sentence)
    return " ".join(kept), report

