"""Outlines of a topic across documents, and of a directive the library only cites.

A topic: the passages retrieved for it, only their sentences about it, grouped by
subtopic (the law's provisions, the Party's guidance, results, limitations, tasks and
solutions) and under each by document, in reading order. A numbered list comes whole
only when its lead-in is about the topic; otherwise only its items that are. A
directive without its own text: its card and relations, the sentences that cite it,
and a marked place for what the library cannot say.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.answering.card import directive_card
from bot.answering.service import QAService
from bot.outlines.law import legal_articles, list_fact
from bot.outlines.outline import (
    FILL,
    BriefError,
    Outline,
    Point,
    Quote,
    Section,
    body,
    card_points,
    paragraphs,
    sentences,
)
from bot.outlines.quiz import Fact, ListFact, date_question, make_quiz
from bot.sources import is_legal
from ingest.facts import vn_date
from ingest.index.chunk_store import in_document_order
from ingest.language.citations import parse_citations
from ingest.language.normalize import fold
from ingest.language.patterns import FIGURE_WITH_UNIT, SLASH_DATE
from ingest.models import Passage
from ingest.registry import Directive

TOPIC_PASSAGES = 10
_LIMITATION = re.compile(r"\b(?:han che|ton tai|yeu kem|bat cap|chua thuc su|chua cao|chua kip thoi|thieu chat che)\b")
_NUMBERED = re.compile(r"^\(\d+\)")
_TASK = re.compile(r"\b(?:thoi gian toi|nhiem vu|giai phap|phuong huong|de xuat|kien nghi)\b")
_RESULT = re.compile(r"\b(?:dat|tang|giam|hoan thanh|duoc cong nhan|ket qua|da to chuc|da co|trong nam|ty le)\b")
SUBTOPICS = (
    "Những vấn đề chung",
    "Quy định của pháp luật",
    "Chủ trương, văn bản lãnh đạo, chỉ đạo",
    "Kết quả thực hiện",
    "Hạn chế, khó khăn",
    "Nhiệm vụ, giải pháp",
)


def document_header(p: Passage) -> str:
    parts = [p.facts.title]
    if p.facts.author:
        parts.append(p.facts.author)
    if p.facts.locality:
        parts.append(p.facts.locality)
    if p.facts.published:
        parts.append(vn_date(p.facts.published))
    return " — ".join(parts)


class _Sections:
    """Subtopic → document → quotes, kept in first-seen order."""

    def __init__(self, outline: Outline):
        self.outline = outline
        self.points: dict[str, dict[str, Point]] = {name: {} for name in SUBTOPICS}
        self.facts: list[Fact] = []
        self.seen: set[str] = set()

    def add(self, subtopic: str, p: Passage, heading: str, text: str, where: str | None = None) -> None:
        if text in self.seen:
            return
        self.seen.add(text)
        key = self.outline.cite(p)
        point = self.points[subtopic].setdefault(heading, Point(heading))
        point.quotes.append(Quote(text, key, where))
        according = f"Theo {where} {p.legal.source.title}" if p.legal and where else f"Theo bài “{p.facts.title}”"
        self.facts.append(Fact(text, key, according, where))

    def sections(self) -> list[Section]:
        return [Section(name, list(points.values())) for name, points in self.points.items()]


def build_topic(service: QAService, topic: str, quiz: int) -> Outline:
    retrieval = service.retriever.retrieve(topic, TOPIC_PASSAGES)
    if not retrieval.found:
        raise BriefError(
            f"nothing on {topic}",
            user_message=f"Kho tài liệu hiện có không có nội dung về “{topic}”; không lập được đề cương.",
        )
    lexical = retrieval.lexical
    passages = retrieval.passages
    best = max(lexical.text_coverage(topic, s) for p in passages for s in sentences(body(p)))
    threshold = max(0.3, 0.6 * best)

    def on_topic(text: str) -> bool:
        return lexical.text_coverage(topic, text) >= threshold

    outline = Outline(topic, topic, "topic")
    sections = _Sections(outline)
    lists: list[ListFact] = []
    rank = {p.doc_id: i for i, p in reversed(list(enumerate(passages)))}
    ordered = sorted(passages, key=lambda p: (rank[p.doc_id], p.position))
    for article in legal_articles([p for p in ordered if is_legal(p)]):
        first = article.passages[0]
        heading = f"{article.heading} ({article.place.source.full_title})"
        whole = on_topic(article.place.article_title)
        for where, paragraph in article.clauses():
            place = f"Điều {article.place.article}" + (f", {where}" if where else "")
            for sentence in sentences(paragraph):
                if (whole and not sentence.endswith(":")) or on_topic(sentence):
                    sections.add("Quy định của pháp luật", first, heading, sentence, place)  # labels already cut
        if whole and (
            lf := list_fact(
                article, outline.cite(first), f"Theo Điều {article.place.article} {article.place.source.title}"
            )
        ):
            lists.append(lf)
    retrieved = {p.chunk_id for p in ordered}
    for doc_id in dict.fromkeys(p.doc_id for p in ordered if not is_legal(p)):
        _document(sections, service.index.chunks_of(doc_id), retrieved, on_topic)
    outline.sections = sections.sections()
    pools = _pools(service, outline, ordered)
    outline.quiz, outline.quiz_note = make_quiz(sections.facts, lists, pools, quiz)
    outline.quiz_wanted = quiz
    outline.discussion = [f"Liên hệ thực tiễn về {topic} ở cơ quan, đơn vị, địa phương nơi đồng chí công tác."]
    return outline


def _document(sections: _Sections, chunks: list[Passage], retrieved: set[str], on_topic: Callable[[str], bool]) -> None:
    """One article's sentences about the topic, each under its subtopic. A numbered list is taken
    whole when its lead-in is about the topic (from any chunk), else item by item."""
    flat = [(p, paragraph) for p in chunks for paragraph in paragraphs(body(p))]
    heading = document_header(chunks[0])
    lead_on_topic = False
    limitation = False
    for i, (p, paragraph) in enumerate(flat):
        text = " ".join(paragraph.split())
        if _NUMBERED.match(text):
            if lead_on_topic or on_topic(text):
                sections.add("Nhiệm vụ, giải pháp", p, heading, text)
            continue
        next_numbered = i + 1 < len(flat) and _NUMBERED.match(flat[i + 1][1].strip())
        lead_on_topic = bool(next_numbered and on_topic(text))
        limitation = False
        if p.chunk_id not in retrieved and not lead_on_topic:
            continue
        for sentence in sentences(paragraph):
            folded = fold(sentence)
            if _LIMITATION.search(folded):
                limitation = limitation or on_topic(sentence) or on_topic(text)
            if limitation:
                sections.add("Hạn chế, khó khăn", p, heading, sentence)
            elif on_topic(sentence) or (next_numbered and lead_on_topic):
                sections.add(_subtopic(sentence, bool(next_numbered)), p, heading, sentence)


def _subtopic(sentence: str, leads_list: bool) -> str:
    folded = fold(sentence)
    if leads_list or _TASK.search(folded):
        return "Nhiệm vụ, giải pháp"
    if parse_citations(sentence):
        return "Chủ trương, văn bản lãnh đạo, chỉ đạo"
    undated = re.sub(rf"\b{SLASH_DATE}\b|\bnăm \d{{4}}\b", "", sentence)
    if FIGURE_WITH_UNIT.search(undated) and _RESULT.search(folded):
        return "Kết quả thực hiện"
    return "Những vấn đề chung"


def _pools(service: QAService, outline: Outline, passages: list[Passage]) -> dict[str, list[str]]:
    """Every sentence of each cited document: where a question's distractors come from."""
    pools: dict[str, list[str]] = {}
    every: list[Passage] | None = None
    for p in passages:
        key = outline.cite(p)
        if key in pools:
            continue
        if p.legal:
            if every is None:
                every = service.index.all_passages()
            same = [x for x in every if x.legal and x.legal.source.ref == p.legal.source.ref]
        else:
            same = service.index.chunks_of(p.doc_id)
        pools[key] = [s for x in same for s in sentences(body(x))]
    return pools


def build_directive(service: QAService, d: Directive, quiz: int) -> Outline:
    """A directive the library cites but does not hold: what the citing documents say of it."""
    name = directive_card(d).title
    outline = Outline(d.ref, name, "directive")
    passages = in_document_order(list(service.index.passages(sorted({m.chunk_id for m in d.mentions})).values()))
    documents = list(dict.fromkeys(p.doc_id for p in passages))
    if not d.primary:
        outline.notes.append(
            f"Kho tài liệu không có toàn văn {name}; đề cương chỉ dựa trên {len(passages)} đoạn của "
            f"{len(documents)} tài liệu nhắc đến văn bản này."
        )
    card = Section("Thông tin chung về văn bản", card_points(d))
    if not d.primary:
        card.points.append(Point(f"Nội dung chính của {name}", lines=[f"{FILL}: kho không có toàn văn."]))
    outline.sections.append(card)
    sections = _Sections(outline)
    mentioned = {m.sentence for m in d.mentions}
    for p in passages:
        for sentence in sentences(body(p)):
            if d.keys & {c.key for c in parse_citations(sentence)} or sentence in mentioned:
                sections.add("Những vấn đề chung", p, document_header(p), sentence)
    cited = Section(f"Các tài liệu trong kho nói về {name}", list(sections.points["Những vấn đề chung"].values()))
    outline.sections.append(cited)
    if not cited.points:
        raise BriefError(f"no sentence cites {d.ref}", user_message=f"Kho tài liệu không có đoạn nào nói về {name}.")
    pools = _pools(service, outline, passages)
    dated = [q for f in sections.facts if (q := date_question(name, d.ref, f, pools.get(f.key, [])))][:1]
    outline.quiz, outline.quiz_note = make_quiz(sections.facts, [], pools, quiz, dated)
    outline.quiz_wanted = quiz
    outline.discussion = [f"Liên hệ việc thực hiện {name} ở cơ quan, đơn vị, địa phương nơi đồng chí công tác."]
    return outline
