"""Lecture outlines ("đề cương bài giảng") for trainers: cited, verbatim, with review questions.

An outline is built from the corpus alone: a directive's registry card and
relations, then the sentences of the passages that mention it (or, for a
topic, of the passages retrieved for it), grouped by document; then the
figures and dates, the limitations, and the numbered tasks and solutions
those passages give, lists kept whole and in order. Every quotation is a
whole sentence of the corpus with its source number. Review questions are
built from registry facts and from the passages' own sentences (a figure to
fill in), never from guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answer import Answer, Source
from bot.lookup import card_facts, lookup, relation_lines, telling_apart
from bot.question import Question
from bot.render import source_line
from bot.service import QAService
from ingest import Passage, QcdcError
from ingest.chunk_store import in_document_order
from ingest.citations import parse_citations
from ingest.facts import document_name, vn_date
from ingest.normalize import clean_text, fold
from ingest.registry import Directive
from ingest.sentences import sentence_spans

_FIGURE = re.compile(r"(?<![\w/.,-])\d+(?:[.,]\d+)*%?(?![\w/-])")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\btháng \d{1,2} năm \d{4}\b")
_LIMITATION = re.compile(r"\b(?:han che|ton tai|yeu kem|bat cap|chua thuc su|chua cao|chua kip thoi|thieu chat che)\b")
_NUMBERED = re.compile(r"^\(\d+\)")
_COUNT = re.compile(
    r"\b(\d+)\s+(mục tiêu|giải pháp|nhiệm vụ|nội dung|xã|doanh nghiệp|dự án|lượt người|số chuyên mục|tập)\b"
)
TOPIC_PASSAGES = 8


class BriefError(QcdcError):
    """Nothing in the corpus to build an outline from."""


@dataclass(frozen=True)
class Quote:
    text: str  # a whole sentence of the corpus, whitespace collapsed
    n: int  # its source number


@dataclass(frozen=True)
class QuizItem:
    question: str
    answer: str
    sources: tuple[int, ...]


@dataclass
class Brief:
    topic: str
    title: str
    directive: Directive | None = None
    intro: str | None = None
    by_document: list[tuple[str, list[Quote]]] = field(default_factory=list)
    figures: list[Quote] = field(default_factory=list)
    limitations: list[Quote] = field(default_factory=list)
    tasks: list[Quote] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    quiz: list[QuizItem] = field(default_factory=list)


def _sentences(text: str) -> list[str]:
    return [" ".join(text[s.start : s.end].split()) for s in sentence_spans(text)]


def _doc_header(source: Source) -> str:
    parts = [source.facts.title]
    if source.facts.author:
        parts.append(source.facts.author)
    if source.facts.locality:
        parts.append(source.facts.locality)
    if source.facts.published:
        parts.append(vn_date(source.facts.published))
    return " — ".join(parts)


class BriefBuilder:
    def __init__(self, service: QAService):
        self.service = service

    def build(self, topic: str, quiz: int = 0) -> Brief:
        topic = Question.parse(topic, self.service.settings.max_question_chars).text
        cites = parse_citations(topic)
        if cites or re.fullmatch(r"\d{1,5}", topic):  # a document number, whole or partial
            resolution = lookup(topic, self.service.registry)
            if resolution.candidates:
                options = "; ".join(telling_apart(d) for d in resolution.candidates)
                raise BriefError(
                    f"ambiguous: {topic}",
                    user_message=f"“{topic}” ứng với nhiều văn bản: {options}. Hãy ghi rõ số hiệu.",
                )
            if not resolution.found:
                raise BriefError(
                    f"not in the corpus: {topic}",
                    user_message=f"Kho tài liệu hiện có không có văn bản “{topic}”; không lập được đề cương.",
                )
            directive = resolution.directives[0]
            ids = {m.chunk_id for m in directive.mentions}
            passages = in_document_order(list(self.service.index.passages(sorted(ids)).values()))
            brief = Brief(topic, document_name(directive.type, directive.ref, fallback="Văn bản"), directive=directive)
            keep = lambda sentence: (  # noqa: E731
                bool(directive.keys & {c.key for c in parse_citations(sentence)})
                or any(m.sentence == sentence for m in directive.mentions)
            )
        else:
            retrieval = self.service.retriever.retrieve(topic, TOPIC_PASSAGES)
            if not retrieval.found:
                raise BriefError(
                    f"nothing on {topic}",
                    user_message=f"Kho tài liệu hiện có không có nội dung về “{topic}”; không lập được đề cương.",
                )
            passages = retrieval.passages
            brief = Brief(topic, topic)
            best = max(retrieval.lexical.text_coverage(topic, s) for p in passages for s in _sentences(p.text))
            keep = lambda sentence: retrieval.lexical.text_coverage(topic, sentence) >= max(0.3, 0.6 * best)  # noqa: E731
        self._fill(brief, passages, keep)
        if quiz:
            brief.quiz = self._quiz(brief, passages, quiz)
        self._introduce(brief)
        return brief

    def _fill(self, brief: Brief, passages: list[Passage], keep) -> None:
        passages = sorted(passages, key=lambda p: (p.doc_id, p.position))
        numbers: dict[str, int] = {}

        def cite(p: Passage) -> int:
            if p.chunk_id not in numbers:
                numbers[p.chunk_id] = len(numbers) + 1
                brief.sources.append(Source.from_passage(numbers[p.chunk_id], p))
            return numbers[p.chunk_id]

        # Limitations: from the sentence that names them to the end of its paragraph ("còn những hạn chế như: …").
        special: set[str] = set()
        for p in passages:
            for paragraph in p.text.split("\n\n"):
                sentences = _sentences(paragraph)
                start = next(
                    (i for i, x in enumerate(sentences) if _LIMITATION.search(fold(x)) and not _NUMBERED.match(x)), None
                )
                if start is not None and (brief.directive is None or any(keep(x) for x in sentences)):
                    for sentence in sentences[start:]:
                        if sentence not in special:
                            brief.limitations.append(Quote(sentence, cite(p)))
                            special.add(sentence)
        # Numbered tasks and solutions: when a passage holds an item or the list's lead-in,
        # the whole list of that document, in order.
        for doc_id in dict.fromkeys(p.doc_id for p in passages):
            if not any(_NUMBERED.search(p.text) or "giải pháp sau" in p.text for p in passages if p.doc_id == doc_id):
                continue
            for chunk in self.service.index.chunks_of(doc_id):
                for paragraph in chunk.text.split("\n\n"):
                    if _NUMBERED.match(paragraph.strip()):
                        brief.tasks.append(Quote(" ".join(paragraph.split()), cite(chunk)))
                        special.update(_sentences(paragraph))
        groups: dict[str, list[Quote]] = {}
        headers: dict[str, str] = {}
        for p in passages:
            for sentence in _sentences(p.text):
                if sentence in special:
                    continue
                special.add(sentence)
                if keep(sentence):
                    groups.setdefault(p.doc_id, []).append(Quote(sentence, cite(p)))
                    headers.setdefault(p.doc_id, _doc_header(Source.from_passage(0, p)))
                elif (_FIGURE.search(_DATE.sub("", sentence)) or _DATE.search(sentence)) and self._on_topic(
                    brief, sentence
                ):
                    brief.figures.append(Quote(sentence, cite(p)))
        brief.by_document = [(headers[d], quotes) for d, quotes in groups.items()]
        # Sources in the order they are first cited.
        brief.sources.sort(key=lambda source: source.n)

    def _on_topic(self, brief: Brief, sentence: str) -> bool:
        """A figure outside the quoted sentences counts when it shares the topic's words."""
        if brief.directive:
            return False
        return self.service.retriever.lexical.text_coverage(brief.topic, sentence) >= 0.5

    def _quiz(self, brief: Brief, passages: list[Passage], wanted: int) -> list[QuizItem]:
        items: list[QuizItem] = []
        number_of = {s.chunk_id: s.n for s in brief.sources}
        directives = [brief.directive] if brief.directive else []
        keys = {key for p in passages for key in p.ref_keys}  # stored at ingestion
        directives += [d for d in self.service.registry.directives if d is not brief.directive and d.keys & keys]
        for d in directives:
            cited = tuple(sorted({number_of[m.chunk_id] for m in d.mentions if m.chunk_id in number_of}))
            if not cited:
                continue
            name = document_name(d.type, d.ref, fallback="Văn bản")
            if d.date:
                items.append(QuizItem(f"{name} được ban hành ngày nào?", vn_date(d.date), cited))
            if d.issuer:
                items.append(QuizItem(f"Cơ quan nào ban hành {name}?", d.issuer, cited))
        for quote in brief.figures + brief.tasks + [q for _, qs in brief.by_document for q in qs]:
            for m in _COUNT.finditer(quote.text):
                blank = quote.text[: m.start()] + "…" + quote.text[m.start(1) + len(m[1]) :]
                items.append(QuizItem(f"Điền số còn thiếu: “{blank}”", m[1], (quote.n,)))
        unique: dict[str, QuizItem] = {}
        for item in items:
            unique.setdefault(item.question, item)
        return list(unique.values())[:wanted]

    def _introduce(self, brief: Brief) -> None:
        """With an LLM configured, a short verified introduction; without one, none."""
        generator = self.service.generator
        if generator is None or not brief.sources:
            return
        base = Answer(f"Giới thiệu ngắn gọn: {brief.topic}", True, retrieved=brief.sources)
        generated = generator.improve(base, keep_numbers=True).answer
        if generated.generator == "llm":
            brief.intro = generated.generated


def render_markdown(brief: Brief) -> str:
    out = [f"# Đề cương bài giảng: {brief.title}", ""]
    if brief.intro:
        out += ["*Phần giới thiệu do mô hình ngôn ngữ viết và đã được đối chiếu với nguồn:*", "", brief.intro, ""]
    section = 1

    def heading(text: str) -> None:
        nonlocal section
        out.extend([f"## {section}. {text}", ""])
        section += 1

    d = brief.directive
    if d:
        heading("Thông tin văn bản")
        facts = [("Loại văn bản", d.type), ("Số, ký hiệu", d.ref), *card_facts(d)]
        out += [f"- {label}: {value}" for label, value in facts if value] + [""]
        if relations := relation_lines(d):
            heading("Quan hệ với các văn bản khác")
            out += [f"- {line[0].upper()}{line[1:]}" for line in relations] + [""]
    if brief.by_document:
        heading("Tài liệu trong kho nói gì")
    for header, quotes in brief.by_document:
        out += [f"### {header}", ""] + [f"> {q.text} [{q.n}]" for q in quotes] + [""]
    for title, quotes in (
        ("Số liệu và mốc thời gian", brief.figures),
        ("Hạn chế", brief.limitations),
        ("Nhiệm vụ, giải pháp", brief.tasks),
    ):
        if quotes:
            heading(title)
            out += [f"> {q.text} [{q.n}]" for q in quotes] + [""]
    if brief.quiz:
        heading("Câu hỏi ôn tập")
        for i, item in enumerate(brief.quiz, 1):
            refs = "".join(f"[{n}]" for n in item.sources)
            out += [f"{i}. {item.question}", f"   - Đáp án: {item.answer} {refs}"]
        out.append("")
    out += ["## Nguồn", ""] + [f"{s.n}. {source_line(s)}" for s in brief.sources]
    return "\n".join(out).rstrip() + "\n"


def render_docx(brief: Brief, path) -> None:
    """The same outline as a Word document: real headings, numbered lists, quotations styled as quotes."""
    import docx

    document = docx.Document()
    document.add_heading(clean_text(f"Đề cương bài giảng: {brief.title}"), level=0)
    # An index built before control characters were stripped at ingestion may
    # still hold some; Word's XML cannot.
    for line in clean_text(render_markdown(brief)).split("\n")[1:]:
        if not line.strip():
            continue
        if line.startswith("## "):
            document.add_heading(line[3:], level=1)
        elif line.startswith("### "):
            document.add_heading(line[4:], level=2)
        elif line.startswith("> "):
            document.add_paragraph(line[2:], style="Quote")
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.startswith("   - "):
            document.add_paragraph(line[5:], style="List Bullet 2")
        elif re.match(r"^\d+\. ", line):
            document.add_paragraph(line.split(". ", 1)[1], style="List Number")
        else:
            document.add_paragraph(line.strip("*"))
    document.save(path)
