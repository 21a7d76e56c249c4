"""What a lecture outline ("đề cương bài giảng") is: data, in the structure trainers use.

I. Mục đích, yêu cầu — II. Nội dung (sections, points under headings taken from the
sources, quotations as the evidence under points) — III. Câu hỏi ôn tập, thảo luận —
Tài liệu tham khảo. Builders (`bot.outlines.law`, `bot.outlines.topic`) fill it; renderers
(`bot.render.outline`, `bot.render.outline_docx`) walk it. References are documents, numbered
once, in the order the outline first cites them (`Outline.number`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from bot import wording
from bot.answering.answer import Source
from bot.answering.card import directive_card
from ingest import QcdcError
from ingest.facts import DocumentFacts
from ingest.language.sentences import paragraph_spans, sentence_spans
from ingest.models import Passage
from ingest.registry import Directive

FILL = "[Giảng viên bổ sung]"  # a place the outline cannot fill without inventing


class BriefError(QcdcError):
    """Nothing in the library to build an outline from."""


@dataclass
class Quote:
    """A sentence (or clause) of a source, verbatim; `where` places it in a legal text ("Điều 33, khoản 1")."""

    text: str
    key: str  # its reference's key
    where: str | None = None
    n: int = 0  # set by `Outline.number`


@dataclass
class Point:
    heading: str
    quotes: list[Quote] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # facts stated as lines: a card, cross-references
    group: str | None = None  # the part of a legal text it opens ("Mục 1. …"), shown once above it


@dataclass
class Section:
    heading: str
    points: list[Point] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass
class QuizItem:
    """A question whose answer the text states: `evidence` holds the verbatim sentences that give it.
    `choices` (answer included) makes it multiple-choice; `kind`: figure, who, list, date, discussion."""

    question: str
    answer: str
    key: str
    kind: str
    evidence: tuple[str, ...] = ()
    where: str | None = None
    choices: tuple[str, ...] = ()
    n: int = 0


@dataclass(frozen=True)
class Reference:
    """A document an outline cites: a passage's document, or one legal text of a Pháp điển page."""

    key: str
    doc_id: str
    legal_ref: str | None
    line: str
    facts: DocumentFacts
    n: int = 0


@dataclass
class Outline:
    topic: str
    title: str
    kind: str  # "law", "directive", "topic"
    purpose: list[str] = field(default_factory=lambda: [f"Mục đích: {FILL}", f"Yêu cầu: {FILL}"])
    sections: list[Section] = field(default_factory=list)
    quiz: list[QuizItem] = field(default_factory=list)
    quiz_wanted: int = 0
    quiz_note: str | None = None
    discussion: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the library lacks, said plainly
    intro: str | None = None
    references: list[Reference] = field(default_factory=list)
    known: dict[str, Reference] = field(default_factory=dict)  # every reference a quote may use

    def cite(self, p: Passage) -> str:
        """The key of a passage's reference, known from now on."""
        key = reference_key(p)
        if key not in self.known:
            self.known[key] = Reference(
                key, p.doc_id, p.legal.source.ref if p.legal else None, reference_line(p), p.facts
            )
        return key

    def quotes(self) -> list[Quote]:
        return [q for s in self.sections for p in s.points for q in p.quotes]

    def number(self) -> None:
        """Number the references in the order the outline first cites them; drop empty sections."""
        for s in self.sections:
            s.points = [p for p in s.points if p.quotes or p.lines]
        self.sections = [s for s in self.sections if s.points or s.lines]
        numbers: dict[str, int] = {}
        cited: list[Quote | QuizItem] = [*self.quotes(), *self.quiz]
        for item in cited:
            if item.key not in numbers:
                numbers[item.key] = len(numbers) + 1
            item.n = numbers[item.key]
        self.references = [dataclasses.replace(self.known[k], n=n) for k, n in numbers.items()]

    @property
    def quoted(self) -> int:
        return len(self.quotes())


def reference_key(p: Passage) -> str:
    return f"{p.doc_id}|{p.legal.source.ref}" if p.legal else p.doc_id


def reference_line(p: Passage) -> str:
    """How the outline's reference list names a passage's document (`wording.reference_line`)."""
    return wording.reference_line(Source.from_passage(0, p))


def card_points(d: Directive, omit: tuple[str, ...] = ()) -> list[Point]:
    """A directive's card (`bot.answering.card`) as a point of labelled lines (its type and
    number first, as there is no title line), and its relations when it has any."""
    card = directive_card(d)
    facts = [f"{f.label}: {f.value}" for f in (*card.identity, *card.facts) if f.label not in omit]
    points = [Point(wording.CARD_INFO, lines=facts)]
    if card.relations:
        points.append(Point(wording.CARD_LINKS, lines=[r.text[0].upper() + r.text[1:] for r in card.relations]))
    return points


def strip_label(text: str) -> str:
    """A clause's or point's text without its label: "1. Hội nghị …" → "Hội nghị …"."""
    return _LABEL.sub("", text)


def body(p: Passage) -> str:
    """A passage's text without the heading line a legal passage carries."""
    return p.text[Source.from_passage(0, p).body_start :]


def paragraphs(text: str) -> list[str]:
    return [text[s.start : s.end] for s in paragraph_spans(text)]


def sentences(text: str) -> list[str]:
    """Whole sentences, whitespace collapsed (what quotations hold). A clause's or point's
    label ("1.", "a)") is not a sentence, nor the end of the one before it."""
    out = []
    for span in sentence_spans(text):
        sentence = _LABEL_END.sub("", " ".join(text[span.start : span.end].split()))
        if sentence and not _LABEL_ONLY.fullmatch(sentence):
            out.append(sentence)
    return out


_LABEL = re.compile(r"^(?:\d+\.|[a-zđ]\))\s+")
_LABEL_ONLY = re.compile(r"(?:\d+|[a-zđ])[.)]")
_LABEL_END = re.compile(r"(?<=:)\s+(?:\d{1,2}|[a-zđ])[.)]$")
