"""A question that asks two things at once ("… có hiệu lực từ ngày nào và thay thế văn bản
nào?", "Thông tư 04/2025/TT-BTC hướng dẫn về việc gì, có hiệu lực từ ngày nào?"), read by its
form: clauses joined by "và" or a comma, each with its own asking words. Each clause is asked
on its own, a clause without a subject of its own with the first clause's ("Luật … thay thế văn
bản nào?"), and the answers are put together: one first line per clause, the quotations of both.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from bot import wording
from bot.answering import short_answer
from bot.answering.answer import Answer, ShortAnswer, Source
from ingest.language.citations import parse_citations
from ingest.language.normalize import fold

# Clauses are joined by a comma, a semicolon or "và" (folded: "va" only typed without accents).
_JOIN = re.compile(r"\s*[,;?]\s*(?:và\s+|va\s+)?|\s+(?:và|va)\s+")
# Words that ask: a clause holding none goes on with the clause before it ("ở xã và phường có
# mấy người" asks one thing). As typed with accents ("đầu tư" does not ask "đâu"), else folded;
# "chưa" asks only at the clause's end ("… về đích chưa"), not in "chưa có trang thông tin".
_ASKS = re.compile(r"\b(?:nào|gì|bao nhiêu|mấy|ai|bao lâu|đâu)\b|\bchưa$", re.IGNORECASE)
_ASKS_FOLDED = re.compile(r"\b(?:nao|gi|bao nhieu|may|ai|bao lau|dau)\b|\bchua$")
# Words that end a clause's subject and start what it asks of it: "Luật … có hiệu lực …".
_PREDICATE = re.compile(
    r"\s+(?:có|được|do|là|đã|phải|gồm|bao gồm|quy định|hướng dẫn|ban hành|thay thế)\s", re.IGNORECASE
)
# A clause opening with what it asks ("ai công nhận …", "cơ quan nào quyết định …"): the rest is
# what a clause after it asks of
_OPENS_ASKING = re.compile(r"\s*(?:ai|(?:cơ quan|cấp|người|đơn vị|tổ chức|bộ phận)\s+nào)\s+", re.IGNORECASE)
# A question asks at most this many things at once; more is a list, read as one question.
MAX_PARTS = 3
# The clause a subject is taken from needs this many words before its predicate.
MIN_SUBJECT_WORDS = 2


@dataclass(frozen=True)
class Clause:
    typed: str  # as the user typed it: what its first line is labelled with
    question: str  # standing alone, with the subject it leaves to the first clause


def parts(question: str) -> list[Clause]:
    """The clauses of a question that asks two or three things at once; [] for a question that
    asks one thing."""
    text = question.strip().rstrip("?!. ")
    pieces = _clauses(text)
    if not 2 <= len(pieces) <= MAX_PARTS or not all(_asks(p) for p in pieces):
        return []
    subject = _subject(pieces[0])
    if subject is None:
        return []
    counted = _counted(pieces[0])
    return [
        Clause(p, p if i == 0 or _has_subject(p) else f"{counted if counted and _shares(p) else subject} {p}")
        for i, p in enumerate(pieces)
    ]


def _counts(clause: str) -> bool:
    return short_answer.kind(clause) == "number"


def _shares(clause: str) -> bool:
    """A count that asks a share ("chiếm bao nhiêu %", "tỷ lệ bao nhiêu"): a share of what the
    clause before counted; another figure ("nhiệm kỳ mấy năm") is of the first clause's subject."""
    return _counts(clause) and re.search(r"%|\b(?:chiem|ty le|phan tram)\b", fold(clause)) is not None


def _counted(clause: str) -> str | None:
    """A count's clause without its asking words, for the figure asked next of the same thing:
    "… có bao nhiêu xã đạt chuẩn, chiếm bao nhiêu %" asks the share of those communes."""
    if not _counts(clause):
        return None
    return " ".join(re.sub(r"\b(?:bao nhiêu|mấy|bao nhieu|may)\b", " ", clause, flags=re.IGNORECASE).split())


def _clauses(text: str) -> list[str]:
    """The text cut where a clause that asks ends: "ở xã, phường có mấy Phó Trưởng ban" is one
    clause, its comma joining two places, not two questions."""
    clauses, at = [], 0
    for m in _JOIN.finditer(text):
        if _asks(text[at : m.start()]):
            clauses.append(text[at : m.start()])
            at = m.end()
    rest = text[at:]
    if clauses and not _asks(rest):  # "… mấy người, ở xã": the last words belong to the clause before
        return clauses[:-1] + [text[text.find(clauses[-1]) :]] if rest.strip() else clauses
    return clauses + [rest] if rest.strip() else clauses


def _asks(clause: str) -> bool:
    """A clause asks by its own words, and not yes or no ("… thì có phải công bố không")."""
    folded = fold(clause)
    yes_no = short_answer.kind(clause) == "yesno" or re.search(r"\b(?:khong|chua)$", folded)
    asking = _ASKS.search(clause) if folded != clause.lower() else _ASKS_FOLDED.search(folded)
    return bool(asking) and not yes_no


def _subject(clause: str) -> str | None:
    """What the first clause asks about: a document it names by number, else its words before
    the predicate ("Luật Thực hiện dân chủ ở cơ sở")."""
    if citations := parse_citations(clause):
        return clause[: citations[0].end]
    if opening := _OPENS_ASKING.match(clause):  # "ai công nhận kết quả bầu …? trong bao lâu?"
        rest = clause[opening.end() :]
        return rest if len(rest.split()) >= MIN_SUBJECT_WORDS else None
    m = _PREDICATE.search(clause)
    if m is None or len(clause[: m.start()].split()) < MIN_SUBJECT_WORDS:
        return None
    return clause[: m.start()]


def _has_subject(clause: str) -> bool:
    """A clause opening with a name or a document of its own ("Nghị định 59 …") asks of it."""
    # the first word's capital alone may only open a sentence ("…? Nhiệm kỳ mấy năm?"): a name has another
    return bool(parse_citations(clause)) or (clause[:1].isupper() and len(re.findall(r"\b[A-ZĐ]", clause)) >= 2)


def merged(question: str, answered: list[tuple[Clause, Answer]]) -> Answer:
    """One answer from the answers to each clause: a first line for each clause that has one,
    labelled with it, the quotations of all, sources numbered once; a clause the library does
    not answer is named in a note."""
    found = [a for _, a in answered if a.found]
    if not found:
        return answered[0][1]
    base = dataclasses.replace(found[0], question=question, notes=list(found[0].notes), also=[])
    base.sources, base.groups, base.cards = list(base.sources), list(base.groups), list(base.cards)
    base.short = None
    shorts: list[ShortAnswer] = []
    for clause, answer in answered:
        if not answer.found:
            base.notes.append(wording.clause_not_stated(clause.typed))
            continue
        numbers = _numbering(base, answer) if answer is not found[0] else {s.n: s.n for s in base.sources}
        if answer.short is not None:
            shorts.append(dataclasses.replace(answer.short, source=numbers[answer.short.source], asked=clause.typed))
        if answer is found[0]:
            continue
        said = {q.text for g in base.groups for q in g.quotes}
        for group in answer.groups:
            quotes = tuple(dataclasses.replace(q, source=numbers[q.source]) for q in group.quotes if q.text not in said)
            if not quotes:
                continue
            source = _source(base, numbers[group.source.n])
            at = next((i for i, g in enumerate(base.groups) if g.source.n == source.n and not g.listed), None)
            if at is not None and not group.listed:  # the same passage quoted again: one group under it
                base.groups[at] = dataclasses.replace(base.groups[at], quotes=base.groups[at].quotes + quotes)
            else:
                base.groups.append(dataclasses.replace(group, source=source, quotes=quotes))
        summaries = {c.document.summary for c in base.cards if c.document}
        base.cards += [c for c in answer.cards if not (c.document and c.document.summary in summaries)]
        base.notes += [n for n in answer.notes if n not in base.notes]
        base.directives += [d for d in answer.directives if d not in base.directives]
    if shorts:
        base.short, base.also = shorts[0], shorts[1:]
    return base


def _numbering(base: Answer, answer: Answer) -> dict[int, int]:
    """The numbers of `answer`'s sources among `base`'s, those `base` lacks added to it."""
    numbers = {}
    for source in answer.sources:
        same = next((s for s in base.sources if s.chunk_id == source.chunk_id), None)
        if same is None:
            same = source.renumbered(len(base.sources) + 1)
            base.sources.append(same)
        numbers[source.n] = same.n
    return numbers


def _source(base: Answer, n: int) -> Source:
    return next(s for s in base.sources if s.n == n)
