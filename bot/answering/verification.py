"""Check a generated answer against its sources before anyone sees it.

Sentence by sentence: every [n] must name a passage that was given, a
sentence must cite something, and every fact it states must occur in the
passages it cites (or in the directive card): document numbers (short forms
such as "Kết luận 999" included), dates, months, days, periods, figures,
any digit at all, terms ("khóa XV"), numbers written in words, links,
e-mail addresses and @handles. Then its claims must hold in the cited
sentences (`bot.answering.claims`): each figure with its unit, the words it
measures and its polarity, "Điều N" as an article, an issuer as the source
gives it, no superlative the source lacks, a date in its role; a sentence
with nothing to check must be a close paraphrase; and no figure may
contradict the extractive short answer. A sentence that fails is dropped,
with the reason; so is everything past the length cap. Written here because
the rule is this product's own: no library knows Vietnamese dates and
document numbers.

Every pattern here is linear: the text is normalized first (one space for
any whitespace run) and cut to a bounded length (twice `MAX_ANSWER_CHARS`)
before anything else runs; a passage is as long as the index made it.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field
from functools import lru_cache

from bot.answering import claims
from ingest.language.citations import parse_citations, same_number
from ingest.language.normalize import fold, normalize_text
from ingest.language.patterns import (
    DAY_MONTH,
    DAY_MONTH_YEAR,
    FIGURE,
    ISO_DATE,
    LINK_IN_TEXT,
    MONTH_YEAR,
    YEAR_SPAN,
    iso_date,
)
from ingest.language.sentences import split_sentences

CARD = "thẻ"
# A generated answer longer than this is cut, sentence by sentence: a phone
# screen or two. The model's reply is read only up to twice as far.
MAX_ANSWER_CHARS = 2000
_CITE = re.compile(r"\[(\d+|thẻ|the)\]", re.IGNORECASE)
_LIST_MARK = re.compile(r"^(?:\d{1,2}|[a-zđ])[.)](?:\s+|$)|^[-–•*]\s+")
_GLUED_UNIT = re.compile(r"(?<=\d)(?=[^\W\d_])")  # "120tỷ" reads as "120 tỷ"
_DIGITS = re.compile(r"\d+")
_TERM = re.compile(r"\bkhoa ([ivxlc]+)\b")
_ROMAN = re.compile(r"(?<![\w.])[IVXLC]{1,7}(?![\w])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,}")
# Numbers written in words. "một", "năm" and "tư" alone are too often "a",
# "year" and "private" to count; with another number word they do ("năm mươi").
_NUMBER_WORDS = {
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mươi": 10,
    "trăm": 100,
    "nghìn": 1000,
    "ngàn": 1000,
    "triệu": 10**6,
    "tỷ": 10**9,
    "tỉ": 10**9,
    "linh": 0,
    "lẻ": 0,
    "rưỡi": 0,
}
_AMBIGUOUS_ALONE = {"một", "mốt", "năm", "lăm", "tư", "linh", "lẻ", "rưỡi", "mươi"}
_UNITS = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Verification:
    checked: int = 0
    dropped: int = 0
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"checked": self.checked, "dropped": self.dropped, "reasons": self.reasons}


def _number(digits: str) -> str:
    return digits.lstrip("0") or "0"


@dataclass(frozen=True)
class Facts:
    """What a text states that a generated sentence must not make up."""

    refs: frozenset[str]  # `ref_key`s of numbers with a symbol
    short_refs: frozenset[tuple[str | None, str]]  # (type, number) of "Kết luận 120", "Chỉ thị số 77"
    ref_numbers: frozenset[str]  # the numbers of `refs`, which a short form may name
    dates: frozenset[str]  # ISO days
    months: frozenset[str]  # "2019-07"
    days: frozenset[str]  # "15-9" (day, month)
    periods: frozenset[str]  # "2021-2025"
    figures: frozenset[str]  # "8.331", "10,9"
    digits: frozenset[str]  # every run of digits, leading zeros dropped
    terms: frozenset[str]  # Roman numerals: "XV" in "khóa XV"
    words: frozenset[str]  # numbers written in words, as written ("chín nghìn tỷ")
    values: frozenset[float]  # what figures and number words amount to ("9.000 tỷ" = 9e12)
    links: frozenset[str]  # URLs, domains, e-mail addresses, @handles (lower case)
    text: str  # the text, lower case, for links and number words


def _number_phrases(text: str) -> list[tuple[str, float]]:
    """Runs of number words ("chín nghìn tỷ") with their value."""
    found: list[tuple[str, float]] = []
    run: list[str] = []
    for word in [*_WORD.findall(text.lower()), ""]:
        if word in _NUMBER_WORDS:
            run.append(word)
            continue
        if run and not (len(run) == 1 and run[0] in _AMBIGUOUS_ALONE):
            found.append((" ".join(run), _value(run)))
        run = []
    return found


def _value(run: list[str]) -> float:
    """The value of Vietnamese number words, read as they are spoken."""
    total = group = digit = 0.0
    largest = 0
    for word in run:
        n = _NUMBER_WORDS[word]
        if word == "mươi":
            group += (digit or 1) * 10
            digit = 0
        elif word == "mười":
            group += 10
        elif word == "trăm":
            group += (digit or 1) * 100
            digit = 0
        elif n >= 1000:
            chunk = (group + digit) or 1
            total = (total + chunk) * n if n > largest else total + chunk * n
            largest = max(largest, n)
            group = digit = 0
        else:
            digit = n
    return total + group + digit


def _figure_values(text: str) -> set[float]:
    """Figures with the unit word after them: "8.331 tỷ" is 8.331e12, "10,9%" is 10.9."""
    values: set[float] = set()
    for m in FIGURE.finditer(text):
        raw = m.group().rstrip("%")
        try:
            value = float(raw.replace(".", "").replace(",", ".")) if raw.count(",") <= 1 else None
        except ValueError:
            value = None
        if value is None:
            continue
        values.add(value)
        after = _WORD.match(text, m.end() + 1) if text[m.end() : m.end() + 1] == " " else None
        if after and after.group().lower() in _UNITS:
            values.add(value * _UNITS[after.group().lower()])
    return values


@lru_cache(maxsize=256)
def facts(text: str) -> Facts:
    """Every fact of `text` (normalized), as the sets a sentence is checked against."""
    text = normalize_text(text).replace("\n", " ")
    text = _GLUED_UNIT.sub(" ", text)
    folded = fold(text)
    cites = parse_citations(text)
    dates = {d for m in DAY_MONTH_YEAR.finditer(text) if (d := iso_date(m[3] or m[6], m[2] or m[5], m[1] or m[4]))}
    dates |= {d for m in ISO_DATE.finditer(text) if (d := iso_date(m[1], m[2], m[3]))}
    months = {
        f"{m[2] or m[4]}-{int(m[1] or m[3]):02d}" for m in MONTH_YEAR.finditer(text) if 1 <= int(m[1] or m[3]) <= 12
    }
    months |= {d[:7] for d in dates}
    days = {f"{int(m[1])}-{int(m[2])}" for m in DAY_MONTH.finditer(text)}
    days |= {f"{int(d[8:])}-{int(d[5:7])}" for d in dates}
    without = YEAR_SPAN.sub(" ", ISO_DATE.sub(" ", DAY_MONTH_YEAR.sub(" ", text)))
    for c in cites:
        without = without.replace(c.text, " ")
    phrases = _number_phrases(text)
    links = {m.group().lower().rstrip(".,;:!?)") for p in (LINK_IN_TEXT, _EMAIL, _HANDLE) for m in p.finditer(text)}
    return Facts(
        refs=frozenset(c.key for c in cites if c.symbol),
        short_refs=frozenset((c.type, _number(c.number)) for c in cites if not c.symbol),
        ref_numbers=frozenset(_number(c.number) for c in cites if c.symbol),
        dates=frozenset(dates),
        months=frozenset(months),
        days=frozenset(days),
        periods=frozenset(f"{m[1]}-{m[2]}" for m in YEAR_SPAN.finditer(text)),
        figures=frozenset(m.group().rstrip("%") for m in FIGURE.finditer(without)),
        digits=frozenset(_number(d) for d in _DIGITS.findall(text)),
        terms=frozenset(m[1].upper() for m in _TERM.finditer(folded)) | frozenset(_ROMAN.findall(text)),
        words=frozenset(p for p, _ in phrases),
        values=frozenset(_figure_values(text) | {v for _, v in phrases}),
        links=frozenset(links),
        text=text.lower(),
    )


def unsupported(claim: str, source: str) -> str | None:
    """The first fact of `claim` that `source` does not state, described; None when all are there."""
    said, known = facts(claim), facts(source)
    if missing := said.refs - known.refs:
        return f"document number {sorted(missing)[0]}"
    for kind, number in sorted(said.short_refs, key=str):
        if not any(
            same_number(n, number) and (kind is None or k is None or k == kind)
            for k, n in known.short_refs | {(None, n) for n in known.ref_numbers}
        ):
            return f"document {kind or 'số'} {number}"
    checks: tuple[tuple[str, Set[str]], ...] = (
        ("date", said.dates - known.dates),
        ("month", said.months - known.months),
        ("day", said.days - known.days),
        ("period", said.periods - known.periods),
        ("figure", {f for f in said.figures - known.figures if _figure_values(f) - known.values}),
        ("number", said.digits - known.digits),
        ("term", said.terms - known.terms),
        ("link", {link for link in said.links if link not in known.text}),
    )
    for kind, absent in checks:
        if absent:
            return f"{kind} {sorted(absent)[0]}"
    for phrase in sorted(said.words - known.words):
        if phrase not in known.text and _value(phrase.split()) not in known.values:
            return f"number in words “{phrase}”"
    return None


def _checkable(body: str) -> bool:
    """Whether `body` states a fact `unsupported` checks (a figure, a date, a document number …)."""
    f = facts(body)
    return any(
        (f.refs, f.short_refs, f.dates, f.months, f.days, f.periods, f.figures, f.digits, f.terms, f.words, f.links)
    )


def verify(
    answer: str,
    passages: list[str],
    card: str = "",
    max_chars: int = MAX_ANSWER_CHARS,
    short: str = "",
    short_passage: str = "",
) -> tuple[str, Verification]:
    """The sentences of `answer` that pass, joined, and what was checked and dropped.

    `short`: the extractive short answer ("8.331 tỷ đồng"), cut out of `short_passage`; a
    generated figure for the same measured thing must not differ from it."""
    report = Verification()
    short_figure = claims.short_figure(short, short_passage)
    kept: list[str] = []
    length = 0
    for sentence in split_sentences(normalize_text(answer[: 2 * max_chars]).replace("\n", " ")):
        body = _LIST_MARK.sub("", _CITE.sub("", sentence).strip())
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
        elif length + len(sentence) > max_chars:
            reason = f"past the {max_chars}-character cap"
        else:
            source = "\n".join(passages[n - 1] for n in numbers)
            if any(c in (CARD, "the") for c in cited) or card:
                source += "\n" + card
            if missing := unsupported(body, source):
                reason = f"{missing} is not in the cited passages"
            elif wrong := claims.check(body, source, _checkable(body), short_figure):
                reason = wrong
        if reason:
            report.dropped += 1
            report.reasons.append(f"{reason}: “{sentence[:80]}”")
        else:
            kept.append(sentence)
            length += len(sentence) + 1
    return " ".join(kept), report
