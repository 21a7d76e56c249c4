"""What the library is missing: the documents asked for that it does not hold, the
unanswered questions grouped by topic, and the questions whose answer was marked 👎 grouped
the same way, the most asked first, so that an administrator knows what to ingest or fix next.

A document asked for under several spellings is one gap: "Chỉ thị 30" (a bare number) joins
"30-CT/TW" (same type, same number), and "30/CT-TW" joins "30-CT/TW" (same letters and digits);
"30/2020/QĐ-TTg" and "30/2021/QĐ-TTg" stay two documents.

Questions are grouped by their words, folded (with or without diacritics), without the
words of asking ("bao nhiêu", "là gì") and a few function words: "Giá vàng hôm nay bao
nhiêu?" and "gia vang hom nay" are one topic. A question joins the first topic whose words
it shares at least half of (Jaccard). Written here, not with a clustering library: the
lists are short (tens to hundreds of questions a month) and the grouping must be explainable.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.operations.journal import Journal, MissingAsk, MissingDocument, Unanswered
from ingest.language.citations import CODE_TYPES, canonical_ref, ref_key
from ingest.language.normalize import fold
from ingest.language.tokens import lexical_tokens

SIMILAR = 0.5  # share of words two questions must have in common to be one topic
_FUNCTION_WORDS = {
    "o", "tai", "trong", "cua", "va", "voi", "cho", "cac", "nhung", "la", "co", "thi", "ve", "theo", "duoc",
    "nao", "gi", "nhu", "the", "mot", "nay", "do", "hay", "hoac", "khong", "a", "nhe", "oi", "bot",
}  # fmt: skip


@dataclass
class Topic:
    """Unanswered questions on one subject; `question` is its most common phrasing."""

    question: str
    words: frozenset[str]
    asked: int = 0
    users: set[str] = field(default_factory=set)
    last: datetime | None = None
    phrasings: Counter[str] = field(default_factory=Counter)
    comments: list[str] = field(default_factory=list)  # what those who marked it 👎 wrote, latest last

    def variants(self, n: int = 3) -> list[str]:
        """Other ways the topic was asked, the most frequent first."""
        return [q for q, _ in self.phrasings.most_common() if q != self.question][:n]


@dataclass
class GapReport:
    documents: list[MissingDocument]
    topics: list[Topic]
    questions: int  # unanswered questions in all
    wrong: list[Topic] = field(default_factory=list)  # answered, then marked 👎
    wrong_questions: int = 0


def topic_words(question: str) -> frozenset[str]:
    """The folded words that say what a question is about."""
    tokens = lexical_tokens(question, question=True)
    return frozenset(t for t in tokens if "_" not in t and not t.startswith("~") and t not in _FUNCTION_WORDS)


def group(questions: list[Unanswered]) -> list[Topic]:
    """Topics, the most asked first (then the most recent)."""
    topics: list[Topic] = []
    for q in questions:
        words = topic_words(q.question)
        text = " ".join(q.question.split())
        best = max(topics, key=lambda t: _jaccard(t.words, words), default=None)
        if best is None or _jaccard(best.words, words) < SIMILAR:
            best = Topic(text, words)
            topics.append(best)
        best.asked += 1
        best.users.add(q.user)
        best.last = q.at if best.last is None else max(best.last, q.at)
        best.phrasings[text] += 1
        if q.comment:
            best.comments.append(" ".join(q.comment.split()))
        best.question = best.phrasings.most_common(1)[0][0]
    return sorted(topics, key=lambda t: (-t.asked, -(t.last.timestamp() if t.last else 0)))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


_NUMBER = re.compile(r"0*([0-9]+)")
_BARE = re.compile(r"[0-9]+")  # a number alone: ASCII digits, as everywhere a number is read


def _number_and_type(ask: MissingAsk) -> tuple[str, str] | None:
    """(number, folded type) of a reference, the type from the symbol's code when none was
    written ("30-CT/TW": Chỉ thị); None when either is unknown."""
    canonical = canonical_ref(ask.ref)
    if (number := _NUMBER.match(canonical)) is None:
        return None
    kind = ask.type
    if kind is None and (code := re.match(r"\d+[-/](?:\d{4}/)?([^-/]+)", canonical)):
        kind = CODE_TYPES.get(code.group(1))
    return (number.group(1), fold(kind).lower()) if kind else None


def _spelling_key(ask: MissingAsk) -> str:
    """Spellings of one symbol share it ("30-CT/TW", "30/ct-tw", "30 - CT/TW"); a bare number's
    includes its type ("Chỉ thị 30" and "Nghị quyết 30" are two documents)."""
    canonical = canonical_ref(ask.ref)
    if _BARE.fullmatch(canonical):
        return f"{canonical.lstrip('0') or '0'} {fold(ask.type or '').lower()}"
    return re.sub(r"[^A-Z0-9]", "", ref_key(ask.ref)) or ask.ref


def missing_documents(asks: list[MissingAsk]) -> list[MissingDocument]:
    """One entry per document, whatever its spellings, the most asked first (then the latest)."""
    groups: dict[str, list[MissingAsk]] = {}
    for ask in asks:
        groups.setdefault(_spelling_key(ask), []).append(ask)
    symbolled: dict[tuple[str, str], str] = {}  # (number, type) → the most asked symbolled group
    for key, group_asks in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        first = group_asks[0]
        if not _BARE.fullmatch(canonical_ref(first.ref)) and (nt := _number_and_type(first)):
            symbolled.setdefault(nt, key)
    for key in list(groups):
        first = groups[key][0]
        if _BARE.fullmatch(canonical_ref(first.ref)) and (nt := _number_and_type(first)) and nt in symbolled:
            groups[symbolled[nt]] += groups.pop(key)  # "Chỉ thị 30" is 30-CT/TW
    out = []
    for group_asks in groups.values():
        spellings = Counter(canonical_ref(a.ref) for a in group_asks if not _BARE.fullmatch(canonical_ref(a.ref)))
        ref = spellings.most_common(1)[0][0] if spellings else canonical_ref(group_asks[0].ref)
        kinds = Counter(a.type for a in group_asks if a.type)
        out.append(
            MissingDocument(
                ref=ref,
                type=kinds.most_common(1)[0][0] if kinds else None,
                asked=len(group_asks),
                users=len({a.user for a in group_asks}),
                last=max(a.at for a in group_asks),
                cited=any(a.cited for a in group_asks),
            )
        )
    return sorted(out, key=lambda d: (-d.asked, -d.last.timestamp()))


def gap_report(journal: Journal, since: datetime | None = None) -> GapReport:
    questions = journal.unanswered(since)
    wrong = journal.wrongly_answered(since)
    return GapReport(
        missing_documents(journal.missing_asks(since)), group(questions), len(questions), group(wrong), len(wrong)
    )
