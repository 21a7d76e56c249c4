"""What the library is missing: the documents asked for that it does not hold, and the
unanswered questions grouped by topic, the most asked first, so that an administrator
knows what to ingest next.

Questions are grouped by their words, folded (with or without diacritics), without the
words of asking ("bao nhiêu", "là gì") and a few function words: "Giá vàng hôm nay bao
nhiêu?" and "gia vang hom nay" are one topic. A question joins the first topic whose words
it shares at least half of (Jaccard). Written here, not with a clustering library: the
lists are short (tens to hundreds of questions a month) and the grouping must be explainable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.journal import Journal, MissingDocument, Unanswered
from ingest.tokens import lexical_tokens

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

    def variants(self, n: int = 3) -> list[str]:
        """Other ways the topic was asked, the most frequent first."""
        return [q for q, _ in self.phrasings.most_common() if q != self.question][:n]


@dataclass
class GapReport:
    documents: list[MissingDocument]
    topics: list[Topic]
    questions: int  # unanswered questions in all


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
        best.question = best.phrasings.most_common(1)[0][0]
    return sorted(topics, key=lambda t: (-t.asked, -(t.last.timestamp() if t.last else 0)))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def gap_report(journal: Journal, since: datetime | None = None) -> GapReport:
    questions = journal.unanswered(since)
    return GapReport(journal.missing(since), group(questions), len(questions))
