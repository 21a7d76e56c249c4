"""The dates in a sentence that name the documents it cites, which answer no question about when
something happened: "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày 20 tháng 4 năm 2007 … hết hiệu lực",
"… cụ thể hóa Quy chế số 01 ngày 22/4/2016 …". Blanked (same length) before a date is cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from bot import wording
from bot.answering.answer import Answer, ShortAnswer, Source
from ingest.facts import vn_date
from ingest.language.citations import parse_citations, ref_key
from ingest.language.normalize import fold
from ingest.language.patterns import DATE_PHRASE, DAY_MONTH_YEAR, iso_date
from ingest.registry import Directive

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


# A named document's own date asked: when it was issued ("ban hành ngày nào", "ký khi nào", "được
# thông qua năm nào"; "nhiệm kỳ" is no signing) or took effect ("có hiệu lực từ khi nào"), folded;
# not when it stops ("hết hiệu lực"), which its card does not say.
_WHEN = r"(?:ngay nao|khi nao|luc nao|bao gio|nam nao|thang nao|ngay may|ngay bao nhieu|thoi gian nao|thoi diem nao)"
_ISSUED = r"(?:ban hanh|(?<!nhiem )(?<!dinh )(?<!hoc )(?<!thoi )(?<!chu )(?<!bat )ky|thong qua|ra doi)"
_ISSUED_Q = re.compile(rf"\b{_ISSUED}\b.*\b{_WHEN}\b|\b{_WHEN}\b.*\b{_ISSUED}\b")
_IN_FORCE_Q = re.compile(rf"\bhieu luc\b.*\b{_WHEN}\b|\b{_WHEN}\b.*\bhieu luc\b")
_ENDS_Q = re.compile(r"\b(?:het|cham dut|khong con|bai bo|thay the)\b")


# Words that may stand between a document's name and the verb asked of it ("… được thông qua")
_GLUE = frozenset({"co", "duoc", "do", "da", "se", "ve", "cua", "la", "thi", "nay", "so", "ngay", "nam"})


def asks_own_date(text: str, d: Directive) -> bool:
    """Whether a question asks when the document named was issued or took effect ("ND 61/2023 về
    hương ước có hiệu lực khi nào": its date, not what it is about), the verb said of the document
    itself: "Theo Nghị định 59, quyết định công nhận phải ban hành khi nào?" asks of a decision."""
    folded = fold(text)
    verb = re.search(rf"\b(?:{_ISSUED}|hieu luc)\b", folded)
    if verb is None or _ENDS_Q.search(folded) or not (_ISSUED_Q.search(folded) or _IN_FORCE_Q.search(folded)):
        return False
    ends = [c.end for c in parse_citations(text) if ref_key(c.ref) in d.keys or c.ref == d.number]
    ends += [at + len(n) for n in (d.name, *d.aliases) if n and (at := folded.find(fold(n))) >= 0]
    before = [e for e in ends if e <= verb.start()]
    if not before:
        return False
    title = set(re.findall(r"\w+", fold(" ".join(filter(None, (d.name, d.subject, d.type))))))
    # from the document's name, or from the comma opening the verb's own clause ("Nghị định 61/2023
    # nói về cái gì, có hiệu lực từ bao giờ": the clause goes on about the decree)
    start = max(max(before), folded.rfind(",", 0, verb.start()) + 1)
    between = re.findall(r"[^\W\d]+", folded[start : verb.start()])
    return len([w for w in between if w not in title and w not in _GLUE]) <= 1


def own_date_line(text: str, answer: Answer, named: list[Directive]) -> Answer:
    """The answer to when a named document was issued or took effect: the date its card states
    (known for certain: its heading, the Pháp điển's note), cited to a quoted passage of its own
    text or one citing it with that date. A date cut from a sentence is another event's more often
    than not ("Nghị định số 159/2016/NĐ-CP ngày 29 tháng 11 năm 2016 … hết hiệu lực", a decree's
    effective day for its issue day): that line gives way; with no passage to cite, no line."""
    folded = fold(text)
    if len(named) != 1 or not asks_own_date(text, named[0]):
        return answer
    d = named[0]
    issued, in_force = bool(_ISSUED_Q.search(folded)), bool(_IN_FORCE_Q.search(folded))
    date = d.date if issued and not in_force else d.in_force if in_force and not issued else None
    if date is None:
        return answer
    if answer.short is not None and _iso(answer.short.text) == date:
        return answer
    own = next((s for s in answer.sources if _own_or_citing(s, d, date if issued else None)), None)
    if own is None:
        return replace(answer, short=None) if answer.found else answer
    short = ShortAnswer(f"ngày {vn_date(date)}", own.n)
    if answer.found:
        return replace(answer, short=short)
    # "not stated" though its card states it: its own passages, shown as nearest, are its source
    notes = [n for n in answer.notes if n not in (wording.RELATED_ONLY, wording.NEARBY_ONLY)]
    return replace(answer, found=True, message=None, short=short, notes=notes)


def _own_or_citing(source: Source, d: Directive, issued: str | None) -> bool:
    if source.legal is not None and ref_key(source.legal.source.ref) in d.keys:
        return True
    return issued is not None and any(
        c.date == issued and ref_key(c.ref) in d.keys for c in parse_citations(source.text)
    )


def _iso(text: str) -> str | None:
    m = DAY_MONTH_YEAR.search(text)
    return iso_date(m[3] or m[6], m[2] or m[5], m[1] or m[4]) if m else None
