"""Compose an extractive answer: the corpus's own sentences, each with its source number.

Nothing is paraphrased, so an answer cannot hold a fact, number, date or link
that is not in the corpus. The document facts shown (title, author, site)
come from the corpus front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.lookup import Resolution, relation_lines, telling_apart
from bot.retrieval import Retrieval
from bot.verification import Verification
from bot.verification import facts as facts_of
from ingest.facts import DocumentFacts, document_name
from ingest.legal import LegalPlace, body_start
from ingest.models import Passage
from ingest.normalize import fold
from ingest.registry import Directive, Registry
from ingest.sentences import Span, clause_spans, paragraph_spans, sentence_spans

MAX_SENTENCES = 4
# Sentences longer than this are quoted clause by clause (official prose
# chains a dozen tasks with semicolons; the answer is usually one of them).
LONG_SENTENCE = 300
MAX_LIST_QUOTE = 700
PRIMARY_BONUS = 0.5
# Weight of a legal source's rank in choosing what to quote (×1.5 for the first, ×1.25 the second, …).
RANK_WEIGHT = 0.5
# A sentence is quoted when it holds at least this share of the best
# sentence's coverage of the question: enough to drop passing mentions.
RELATIVE_CUTOFF = 0.6
MIN_SENTENCE_COVERAGE = 0.25

# An article whose title holds this share of the question is quoted whole, up to this length.
TITLE_COVERAGE = 0.7
WHOLE_ARTICLE = 1500
_WHEN = r"bao gio|khi nao|ngay nao|nam nao|thang nao|luc nao|thoi diem nao"
_HOW_MUCH = r"bao nhieu|may|bao lau|toi da|toi thieu|it nhat"
_FIGURE = re.compile(rf"\b(?:{_WHEN}|{_HOW_MUCH})\b")
_ASKS_WHEN = re.compile(rf"\b(?:{_WHEN})\b")
# A sentence that holds what a figure question asks for (a date; a number) weighs this much more.
FIGURE_WEIGHT = 1.5
_PLACE_NUMBER = re.compile(r"\b(?:Điều|khoản|điểm|Chương|Mục|Phần)\s+\w+", re.IGNORECASE)

NOT_FOUND = "Kho tài liệu hiện có không có thông tin để trả lời câu hỏi này."
NOT_IN_DOCUMENT = "Trong kho tài liệu, văn bản này không có đoạn nào trả lời câu hỏi trên."
ASK_PROMPT = (
    "Mời bạn đặt câu hỏi cụ thể về quy chế dân chủ ở cơ sở hoặc công tác dân vận, ví dụ: "
    "“Kết luận 120-KL/TW yêu cầu gì?” hoặc “Những hạn chế trong thực hiện QCDC ở cơ sở?”"
)


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

    @classmethod
    def from_passage(cls, n: int, p: Passage) -> Source:
        return cls(n, p.doc_id, p.chunk_id, p.text, p.score, p.facts, p.section or None, p.legal)

    @property
    def body_start(self) -> int:
        """Where the text proper starts: after the heading line a legal passage carries."""
        return body_start(self.text) if self.legal else 0

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of one source."""
        legal = self.legal
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": legal.source.full_title if legal else self.facts.title,
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


@dataclass
class Answer:
    question: str
    answer: str
    found: bool
    sources: list[Source] = field(default_factory=list)
    directives: list[dict[str, Any]] = field(default_factory=list)
    generator: str = "extractive"
    timings_ms: dict[str, float] = field(default_factory=dict)
    verification: Verification | None = None  # set when a generated answer was checked

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of `bot ask --json`."""
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "sources": [s.to_json() for s in self.sources],
            "directives": self.directives,
            "generator": self.generator,
            "verification": (self.verification or Verification()).to_json(),
            "timings_ms": self.timings_ms,
        }


@dataclass(frozen=True)
class _Quote:
    source: int  # index into sources
    start: int
    text: str
    coverage: float


def _quotable_spans(text: str, start: int = 0) -> list[Span]:
    """Sentences, and clauses of long sentences; a list ("…đó là: a; b; c.") stays whole.
    Nothing before `start` (a legal passage's heading line) is quoted."""
    spans = []
    units: list[Span] = []
    for para in paragraph_spans(text):
        if para.start < start:
            continue
        if units and text[units[-1].start : units[-1].end].rstrip().endswith(":"):
            units[-1] = Span(units[-1].start, para.end)  # a lead-in ("… giải pháp sau:") stays with what follows
        else:
            units.append(para)
    sentences = [s for unit in units for s in sentence_spans(text, unit)]
    for sentence in sentences:
        if sentence.end - sentence.start <= LONG_SENTENCE:
            spans.append(sentence)
            continue
        clauses = clause_spans(text, sentence)
        for clause in clauses:
            if ":" in text[clause.start : clause.end] and sentence.end - clause.start <= MAX_LIST_QUOTE:
                spans.append(Span(clause.start, sentence.end))  # the lead-in and its items
                break
            spans.append(clause)
    return spans


def _whole_article(question: str, top: Source, retrieval: Retrieval) -> list[_Quote]:
    """Every paragraph of the first passage, in order, when the question asks what its
    article's title names ("Công dân có nghĩa vụ gì…?" and Điều 6 "Nghĩa vụ của công dân…"):
    the items of such an article say the answer together, few of them alone. Not for a
    question after a figure or a date, which one sentence answers."""
    title = top.legal.article_title if top.legal else None
    if not title or asks_figure(question) or len(top.text) - top.body_start > WHOLE_ARTICLE:
        return []
    if retrieval.lexical.text_coverage(question, title) < TITLE_COVERAGE:
        return []
    return _paragraphs(top)


def _paragraphs(top: Source) -> list[_Quote]:
    """The first passage's paragraphs in order, as far as WHOLE_ARTICLE characters go."""
    quotes: list[_Quote] = []
    size = 0
    for span in paragraph_spans(top.text):
        if span.start < top.body_start:
            continue
        size += span.end - span.start
        if quotes and size > WHOLE_ARTICLE:
            break
        quotes.append(_Quote(0, span.start, " ".join(top.text[span.start : span.end].split()), 1.0))
    return quotes


def _figure_asked(question: str) -> str | None:
    """What figure a question asks for: "date" ("khi nào", "ngày nào"), "number"
    ("bao nhiêu", "mấy", "tối đa", "bao lâu"), or None."""
    folded = fold(question)
    if not _FIGURE.search(folded):
        return None
    return "date" if _ASKS_WHEN.search(folded) else "number"


def asks_figure(question: str) -> bool:
    """Whether a question asks for a number, a date or a duration ("bao nhiêu", "mấy", "khi nào")."""
    return _figure_asked(question) is not None


def _holds(figure: str, sentence: str) -> bool:
    """Whether a sentence holds a figure of that kind (article and clause numbers not counted)."""
    found = facts_of(_PLACE_NUMBER.sub(" ", sentence))
    return bool(found.dates or found.months) if figure == "date" else bool(found.figures or found.values)


def holds_figure(question: str, sentence: str) -> bool:
    """Whether a sentence holds what a figure question asks: a date for "khi nào",
    "ngày nào"; a number for "bao nhiêu", "mấy", "tối đa"."""
    figure = _figure_asked(question)
    return figure is not None and _holds(figure, sentence)


def _quote_text(text: str, span: Span) -> str:
    """The span verbatim; "…" marks where a clause was cut out of its sentence."""
    quote = " ".join(text[span.start : span.end].split())
    before = text[: span.start].rstrip()
    if before and before[-1] == ";":
        quote = "…" + quote
    if quote.endswith(";"):
        quote = quote[:-1].rstrip() + "…"
    return quote


def attribution(source: Source) -> str:
    """'bài “Title” của Author (Role)' from the facts the corpus states; a directive's own text says so;
    an article of a legal text is named as its heading reads ("Điều 6. Nghĩa vụ của công dân… — Luật …
    (10/2022/QH15)")."""
    if source.legal:  # as its heading reads: the title often says what the quoted clause belongs to
        title = f". {source.legal.article_title} —" if source.legal.article_title else ""
        return f"Điều {source.legal.article}{title} {source.legal.source.full_title}"
    title = f"“{source.facts.title}”"
    if source.facts.kind == "directive":
        return f"văn bản gốc {title}"
    by = f" của {source.facts.author}" if source.facts.author else ""
    role = f" ({source.facts.author_role})" if source.facts.author and source.facts.author_role else ""
    where = source.facts.site or source.facts.publisher
    return f"bài {title}{by}{role}" + (f", {where}" if where else "")


def _origin(source: Source) -> str:
    """What a quote is attributed to: its document, or its article for a legal text."""
    if source.legal:
        return f"{source.doc_id}|{source.legal.source.ref}|{source.legal.article}"
    return source.doc_id


def directive_entry(d: Directive, role: str) -> dict[str, Any]:
    """One document in the answer JSON's `directives`: "asked" (the question names it) or
    "mentioned" (a quoted passage cites it, or is its own text)."""
    return {
        "ref": d.ref,
        "type": d.type,
        "date": d.date,
        "issuer": d.issuer,
        "subject": d.subject,
        "name": d.name,
        "in_corpus": True,
        "role": role,
    }


def mentioned_directives(answer: Answer, passages: list[Passage], registry: Registry) -> list[dict[str, Any]]:
    """The documents the quoted passages cite, other than those the question asked about."""
    listed = {(d["ref"], d.get("date")) for d in answer.directives}
    out: list[dict[str, Any]] = []
    quoted = [p for n, p in enumerate(passages, 1) if f"[{n}]" in answer.answer]
    for key in dict.fromkeys(k for p in quoted for k in p.ref_keys):
        for d in registry.find(key)[:1]:
            if (d.ref, d.date) not in listed:
                listed.add((d.ref, d.date))
                out.append(directive_entry(d, "mentioned"))
    return out


def _directive_lines(resolutions: list[Resolution]) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """Card lines (first in the answer), lines on what is missing, and the JSON `directives`."""
    cards: list[str] = []
    missing: list[str] = []
    listed: list[dict[str, Any]] = []
    for r in resolutions:
        for d in r.directives:
            cards.append(f"Văn bản: {d.card()}.")
            cards += [f"  – {line}." for line in relation_lines(d)]
        if r.candidates:
            cards.append(f"“{r.query}” có thể là một trong {len(r.candidates)} văn bản:")
            cards += [f"  – {telling_apart(d)}" for d in r.candidates]
        listed += [directive_entry(d, "asked") for d in r.directives + r.candidates]
        if r.unknown:
            if "/" in r.ref:
                missing.append(f"Kho tài liệu hiện có không có văn bản nào mang số hiệu {r.ref}.")
            else:
                missing.append(f"Kho tài liệu hiện có không có {document_name(r.type, r.ref, fallback='văn bản')}.")
            listed.append(
                {
                    "ref": r.ref,
                    "type": r.type,
                    "date": None,
                    "issuer": None,
                    "subject": None,
                    "in_corpus": False,
                    "role": "asked",
                }
            )
    return cards, missing, listed


def _best_sentences(question: str, sources: list[Source], retrieval: Retrieval, by_rank: bool) -> list[_Quote]:
    """The sentences that cover the question best, at most MAX_SENTENCES, each once; the
    first sentence of the best source when none stands out."""
    quotes = []
    figure = _figure_asked(question)  # once, not per sentence
    for i, src in enumerate(sources):
        for span in _quotable_spans(src.text, src.body_start):
            quote = _quote_text(src.text, span)
            cov = retrieval.lexical.text_coverage(question, quote)
            if src.facts.kind == "directive" and len(quote) >= 60 and not quote.isupper():
                cov += PRIMARY_BONUS  # a directive's own words answer what it requires
            if by_rank:
                cov *= 1 + RANK_WEIGHT / (1 + i)
            if figure and _holds(figure, quote):
                cov *= FIGURE_WEIGHT
            quotes.append(_Quote(i, span.start, quote, cov))
    best = max((q.coverage for q in quotes), default=0.0)
    chosen: list[_Quote] = []
    seen: set[str] = set()
    for q in sorted(quotes, key=lambda q: (-q.coverage, q.source, q.start)):
        if q.text in seen or q.coverage < max(MIN_SENTENCE_COVERAGE, best * RELATIVE_CUTOFF):
            continue
        seen.add(q.text)
        chosen.append(q)
        if len(chosen) == MAX_SENTENCES:
            break
    if not chosen:  # relevant passages, but no single sentence stands out: quote the best
        first = _quotable_spans(sources[0].text, sources[0].body_start)[0]
        chosen = [_Quote(0, first.start, _quote_text(sources[0].text, first), 0.0)]
    return chosen


def compose(
    question: str,
    retrieval: Retrieval,
    resolutions: list[Resolution] | None = None,
    focus: str | None = None,
    whole: bool = False,
) -> Answer:
    """The answer from the directives named and the retrieved passages (ranked, all relevant).

    `focus`: what the question asks beyond the documents it names (`lookup.asked_focus`;
    None when their cards say it); sentences are weighed by it, and when no passage
    answers it the cards alone are no answer.
    `whole`: the first passage is what was asked for ("Điều 12 … quy định gì?"):
    it is quoted from its start, not by sentences.
    """
    cards, missing, listed = _directive_lines(resolutions or [])
    if not retrieval.found:
        if cards and focus is not None:
            missing.append(NOT_IN_DOCUMENT)
        parts = cards + ([""] if cards and missing else []) + missing
        found = bool(cards) and focus is None
        return Answer(question=question, answer="\n".join(parts) or NOT_FOUND, found=found, directives=listed)
    weighed = focus or question  # the words a quoted sentence must hold

    sources = [Source.from_passage(i + 1, p) for i, p in enumerate(retrieval.passages)]
    # a legal answer: the articles ranked first answer first (their titles matched the question)
    by_rank = bool(retrieval.passages[0].legal)
    chosen = _paragraphs(sources[0]) if whole else _whole_article(weighed, sources[0], retrieval) if by_rank else []
    if not chosen:
        chosen = _best_sentences(weighed, sources, retrieval, by_rank)

    # Read in document order: documents by their best source, sentences as written.
    doc_rank: dict[str, int] = {}
    for q in chosen:
        doc_id = _origin(sources[q.source])
        doc_rank[doc_id] = min(doc_rank.get(doc_id, q.source), q.source)
    chosen.sort(key=lambda q: (doc_rank[_origin(sources[q.source])], _origin(sources[q.source]), q.source, q.start))
    lines: list[str] = []
    current_doc = None
    for q in chosen:
        src = sources[q.source]
        if _origin(src) != current_doc:
            current_doc = _origin(src)
            lines.append(("\n" if lines else "") + f"Theo {attribution(src)}:")
        lines.append(f"• {q.text} [{src.n}]")
    if cards:
        lines = cards + [""] + lines
    if missing:
        lines += [""] + missing
    return Answer(question=question, answer="\n".join(lines), found=True, sources=sources, directives=listed)
