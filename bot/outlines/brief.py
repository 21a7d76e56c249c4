"""Lecture outlines ("đề cương bài giảng") for trainers: which outline a request asks for.

A document number or name of a legal text the library holds → the text chapter by
chapter (`bot.outlines.law`); a directive the library only cites → what the citing
documents say of it; anything else → a topic across documents (`bot.outlines.topic`).
Every quotation is a sentence of the library, verbatim; every question's answer is
stated by the sentence it cites. With an LLM configured, a verified introduction.
"""

from __future__ import annotations

import re

from bot.answering.answer import Answer, Source
from bot.answering.card import directive_card
from bot.answering.lookup import lookup, question_focus, resolve_names
from bot.answering.question import Question
from bot.answering.service import QAService
from bot.outlines.law import build_law
from bot.outlines.outline import BriefError, Outline
from bot.outlines.topic import build_directive, build_topic
from ingest.language.citations import parse_citations
from ingest.language.normalize import fold
from ingest.registry import Directive

__all__ = ["BriefBuilder", "BriefError", "Outline", "chapter_asked"]

_CHAPTER = re.compile(r"\bchuong\s+([ivx]+|[0-9]+)\b")


def chapter_asked(topic: str) -> tuple[str, str | None]:
    """ "Luật 10/2022/QH15 chương II" → ("Luật 10/2022/QH15", "II")."""
    folded = fold(topic)
    m = _CHAPTER.search(folded)
    if m is None or len(folded) != len(topic):  # folding keeps length; positions map back
        return topic, None
    return (topic[: m.start()] + topic[m.end() :]).strip(" ,.-"), m[1].upper()


class BriefBuilder:
    def __init__(self, service: QAService):
        self.service = service

    def build(self, topic: str, quiz: int = 0, chapter: str | None = None) -> Outline:
        topic = Question.parse(topic, self.service.settings.max_question_chars).text
        topic, in_text = chapter_asked(topic)
        chapter = chapter or in_text
        directive = self._document(topic)
        if directive is not None and directive.articles:
            outline = build_law(self.service, directive, quiz, chapter)
        elif chapter:
            raise BriefError(
                f"chapter of a non-legal text: {topic}",
                user_message="Chỉ lập được đề cương theo chương cho luật, nghị định, thông tư có toàn văn trong kho.",
            )
        elif directive is not None:
            outline = build_directive(self.service, directive, quiz)
        else:
            outline = build_topic(self.service, topic, quiz)
        outline.number()
        self._introduce(outline)
        return outline

    def _document(self, topic: str) -> Directive | None:
        """The document a request names, by number or by name, when it names nothing else."""
        registry = self.service.registry
        cites = parse_citations(topic)
        if cites or re.fullmatch(r"[0-9]{1,5}", topic):  # a document number, whole or partial
            resolution = lookup(topic, registry)
            if resolution.candidates:
                options = "; ".join(directive_card(d).distinction for d in resolution.candidates)
                raise BriefError(
                    f"ambiguous: {topic}",
                    user_message=f"“{topic}” ứng với nhiều văn bản: {options}. Hãy ghi rõ số hiệu.",
                )
            if not resolution.found:
                raise BriefError(
                    f"not in the corpus: {topic}",
                    user_message=f"Kho tài liệu hiện có không có văn bản “{topic}”; không lập được đề cương.",
                )
            return resolution.directives[0]
        named = resolve_names(topic, registry)
        if len(named) == 1 and not question_focus(topic, cites, registry).strip(" ?.,"):
            return named[0].directives[0]
        return None

    def _introduce(self, outline: Outline) -> None:
        """With an LLM configured, a short verified introduction; without one, none."""
        generator = self.service.generator
        if generator is None or not outline.references:
            return
        sources = _sources_for(outline)
        if not sources:
            return
        base = Answer(f"Giới thiệu ngắn gọn: {outline.topic}", True, retrieved=sources)
        generated = generator.improve(base, keep_numbers=True).answer
        if generated.generator == "llm":
            outline.intro = generated.generated


def _sources_for(outline: Outline) -> list[Source]:
    """One source per reference, holding what the outline quotes of it: the introduction
    rests on the quotations and cites them by the outline's own numbers."""
    quotes = outline.quotes()
    return [
        Source(r.n, r.doc_id, r.key, " ".join(q.text for q in quotes if q.n == r.n), 1.0, r.facts)
        for r in outline.references
        if any(q.n == r.n for q in quotes)
    ]
