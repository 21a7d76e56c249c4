"""The dates in a sentence that name the documents it cites, which answer no question about when
something happened: "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 20 tháng 4 năm 2007 … hết hiệu lực",
"… cụ thể hóa Quy chế số 01 ngày 22/4/2016 …". Blanked (same length) before a date is cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.language.citations import parse_citations
from ingest.language.normalize import fold
from ingest.language.patterns import DATE_PHRASE

# "số 34/2007/PL-UBTVQH11 ngày 20 tháng 4 năm 2007": the date a cited document was issued.
_ISSUE_DATE = re.compile(r"\S*\d\S*[/-]\S*[A-ZĐ]\S*\s+(?=(?:ngày\s+)?\d)")
_EFFECT_Q = re.compile(r"\bhieu luc\b|\bap dung tu\b")
# A document's own date asked: when it was signed, issued, passed, took effect.
_DOCUMENT_DATE_Q = re.compile(r"\b(?:ky|ban hanh|thong qua|hieu luc|ra doi|ap dung)\b")


def without_issue_dates(question: str, sentence: str) -> str:
    """The sentence with the issue dates of the documents it cites blanked (same length) when
    the question asks from when something is in force: "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày
    20 tháng 4 năm 2007 … hết hiệu lực kể từ ngày Luật này có hiệu lực" is not the Law's date."""
    if not _EFFECT_Q.search(fold(question)):
        return sentence
    return _blanked(sentence, (DATE_PHRASE.match(sentence, ref.end()) for ref in _ISSUE_DATE.finditer(sentence)))


def without_cited_dates(question: str, sentence: str) -> str:
    """The sentence with the dates that name the documents it cites blanked (same length), unless
    the question asks when one was signed or issued: "… cụ thể hóa Quy chế số 01 ngày 22/4/2016 …
    trở thành đô thị loại I vào tháng 12 năm 2017" answers "vào lúc nào" with the goal's date."""
    if _DOCUMENT_DATE_Q.search(fold(question)):
        return sentence
    after = (c.end + len(sentence[c.end :]) - len(sentence[c.end :].lstrip(" ,")) for c in parse_citations(sentence))
    return _blanked(sentence, (DATE_PHRASE.match(sentence, at) for at in after))


def _blanked(sentence: str, dates: Iterable[re.Match[str] | None]) -> str:
    """The sentence with each date found replaced by as many spaces (same length, for the cut)."""
    out = sentence
    for date in dates:
        if date:
            out = out[: date.start()] + " " * (date.end() - date.start()) + out[date.end() :]
    return out
