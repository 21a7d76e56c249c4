"""What an answer is: data, rendered four ways (terminal, Markdown, Telegram HTML, Word).

`bot.answering.compose` builds it from the retrieved passages; the renderers walk it and
take their words from `bot.wording`. Nothing here is text to be parsed back:
a renderer or the LLM path reads the fields, never a rendered string.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from bot import wording
from bot.answering.card import DirectiveCard
from bot.answering.verification import Verification
from bot.sources import SourceDetails, SourceKey, is_legal, source_name
from ingest.facts import DocumentFacts
from ingest.language.legal import LegalPlace, body_start
from ingest.models import Passage
from ingest.registry import Directive


@dataclass(frozen=True)
class Referred:
    """A clause a legal passage names by number, of its own document ("khoản 5 Điều 15 của Luật
    này") or of a law its document holds ("khoản 1 Điều 15 của Luật Thực hiện dân chủ ở cơ sở"), with
    that clause's text (`references`)."""

    ref: str  # the number of the clause's document ("10/2022/QH15")
    article: int
    clause: str
    text: str
    law: str = ""  # the law's name as the passage writes it, folded; "" for its own document


@dataclass(frozen=True)
class Source:
    """A numbered source of an answer: one passage and the facts about its document."""

    n: int
    doc_id: str
    chunk_id: str
    text: str
    score: float
    facts: DocumentFacts
    section: str | None = None  # "Điều 5, khoản 2", "mục 2" in an official text

    legal: LegalPlace | None = None  # the article of a legal text it is
    ref_keys: tuple[str, ...] = ()  # the documents it cites
    referred: tuple[Referred, ...] = ()  # the clauses of its document it names, read with it

    @classmethod
    def from_passage(cls, n: int, p: Passage) -> Source:
        return cls(n, p.doc_id, p.chunk_id, p.text, p.score, p.facts, p.section or None, p.legal, p.ref_keys)

    @property
    def key(self) -> SourceKey:
        """What groups it with the sources cited under the same line (one document, one article)."""
        return SourceKey.of(self)

    @property
    def name(self) -> str:
        """Its document's name (`bot.sources.source_name`)."""
        return source_name(self)

    @property
    def details(self) -> SourceDetails:
        """What a source line says besides the name, as typed fields."""
        return SourceDetails.of(self)

    @property
    def is_legal(self) -> bool:
        return is_legal(self)

    @property
    def attribution(self) -> str:
        return wording.attribution(self)

    def renumbered(self, n: int) -> Source:
        return dataclasses.replace(self, n=n)

    @property
    def body_start(self) -> int:
        """Where the text proper starts: after the heading line a legal passage carries."""
        return body_start(self.text) if self.is_legal else 0

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of one source."""
        legal = self.legal
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.name,
            "section": self.section,
            "citation": legal.citation() if legal else None,
            "document": {"ref": legal.source.ref, "type": legal.source.type, "title": legal.source.title}
            if legal
            else None,
            "article": legal.article if legal else None,
            "clause": legal.clause if legal else None,
            "url": self.facts.url,
            "site": self.facts.site,
            "chunk_id": self.chunk_id,
            "text": self.text,
            "score": self.score,
        }


@dataclass(frozen=True)
class Quotation:
    """A sentence (or clause, or list item) of a source, verbatim, with the source's number."""

    text: str
    source: int


@dataclass(frozen=True)
class QuoteGroup:
    """Quotations from one document (one article of a legal text), in reading order.
    `listed`: the group is a list the source states, with this many items quoted: all of
    them, or `total` ones when the source's list is longer (a list cut at a bound)."""

    source: Source  # the first source quoted: whom the group is attributed to
    quotes: tuple[Quotation, ...]
    listed: int | None = None
    label: str | None = None  # what the list's items are ("nhiệm vụ, giải pháp"), from the question
    total: int | None = None  # the source list's items when more than `listed`; None: every item is quoted


@dataclass(frozen=True)
class ShortAnswer:
    """The answer itself in one line, verbatim from a quoted sentence ("95 xã", "ngày 01/7/2023")."""

    text: str
    source: int
    verdict: str | None = None  # "Có" / "Không" for a yes-no question; the text is then its condition
    asked: str | None = None  # the clause it answers, when the question asked several things (`compound`)

    @property
    def line(self) -> str:
        """As read after "Trả lời:": "Có: …" for a yes-no, led by its clause for a compound question."""
        said = f"{self.verdict}: {self.text}" if self.verdict else self.text
        return f"{self.asked} — {said}" if self.asked else said


@dataclass(frozen=True)
class Card:
    """A document the question names: one directive's card, or the candidates of an ambiguous number."""

    document: DirectiveCard | None = None
    query: str = ""
    candidates: tuple[DirectiveCard, ...] = ()


@dataclass(frozen=True)
class NamedDocument:
    """A document an answer names: "asked" (the question names it) or "mentioned" (a quoted
    passage cites it, or is its own text). `in_corpus`: the registry knows it; `held`: the
    library has its own text (not only what cites it)."""

    ref: str
    type: str | None
    role: str
    in_corpus: bool
    date: str | None = None
    issuer: str | None = None
    subject: str | None = None
    name: str | None = None
    held: bool = False

    @classmethod
    def of(cls, d: Directive, role: str) -> NamedDocument:
        return cls(d.ref, d.type, role, True, d.date, d.issuer, d.subject, d.name, bool(d.primary or d.articles))

    @classmethod
    def unknown(cls, ref: str, type_: str | None) -> NamedDocument:
        """A document the question names that the library does not know."""
        return cls(ref, type_, "asked", in_corpus=False)

    def to_json(self) -> dict[str, Any]:
        """The documented shape of one of the answer JSON's `directives`."""
        head = {"ref": self.ref, "type": self.type, "date": self.date, "issuer": self.issuer, "subject": self.subject}
        name = {"name": self.name} if self.in_corpus else {}  # as before: an unknown document has no name key
        return {**head, **name, "in_corpus": self.in_corpus, "role": self.role}


@dataclass
class Answer:
    """An answer as data. `found`: True answered, False nothing found, None not a question
    (small talk, the library listing). `message` replaces quotations when there is nothing
    to quote; `generated` (a verified LLM text) replaces them when set."""

    question: str
    found: bool | None
    message: str | None = None
    short: ShortAnswer | None = None
    also: list[ShortAnswer] = field(default_factory=list)  # the first lines of a compound question's other clauses
    cards: list[Card] = field(default_factory=list)
    groups: list[QuoteGroup] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)  # those cited, once each, numbered as cited
    related: int = 0  # further relevant passages, counted, not listed
    notes: list[str] = field(default_factory=list)  # what is missing, how the question was read, a suggestion
    suggestion: str | None = None  # the spelling that answered ("Có phải đồng chí muốn hỏi …?")
    generated: str | None = None
    retrieved: list[Source] = field(default_factory=list)  # every relevant passage, ranked (not in JSON)
    directives: list[NamedDocument] = field(default_factory=list)  # asked, then mentioned
    generator: str = "extractive"
    timings_ms: dict[str, float] = field(default_factory=dict)
    verification: Verification | None = None  # set when a generated answer was checked

    @property
    def short_answer(self) -> str | None:
        if self.short is None:
            return None
        return f"{self.short.verdict}: {self.short.text}" if self.short.verdict else self.short.text

    @property
    def first_lines(self) -> list[ShortAnswer]:
        """Every first line: the answer's, then those of a compound question's other clauses."""
        return ([self.short] if self.short else []) + self.also

    def cited(self) -> set[int]:
        """The source numbers the answer quotes."""
        numbers = {q.source for g in self.groups for q in g.quotes}
        return numbers | {s.source for s in self.first_lines}


def nearby_only(answer: Answer) -> Answer:
    """An answer composed from passages near the question but not found relevant to it: their
    sentences are shown as the nearest, under "nothing found", with no first line."""
    answer.found, answer.short, answer.also, answer.retrieved = False, None, [], []  # none relevant
    answer.related = 0
    answer.message = wording.NEARBY_NOT_FOUND
    answer.notes = [wording.NEARBY_ONLY]  # the others were said of a first line or an answer
    return answer
