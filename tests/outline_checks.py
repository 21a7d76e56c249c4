"""What every lecture outline must satisfy, checked against the index it was built from
(used by test_brief and by `make eval`): quotations verbatim in their source, quiz answers
stated by their cited sentences, no empty section, references numbered in order of first use."""

from __future__ import annotations

from bot.answering.service import QAService
from bot.outlines.outline import Outline, Reference, body


def _flat(text: str) -> str:
    return " ".join(text.split())


def source_text(service: QAService, ref: Reference) -> str:
    passages = service.index.chunks_of(ref.doc_id)
    if ref.legal_ref:
        passages = [p for p in passages if p.legal and p.legal.source.ref == ref.legal_ref]
    return _flat(" \n ".join(body(p) for p in passages))


def problems(outline: Outline, service: QAService) -> list[str]:
    """Everything wrong with an outline, as lines; empty when it is sound."""
    found: list[str] = []
    texts = {r.n: source_text(service, r) for r in outline.references}
    for q in outline.quotes():
        if q.n not in texts:
            found.append(f"quote cites [{q.n}], not a reference")
        elif _flat(q.text) not in texts[q.n]:
            found.append(f"quote not verbatim in [{q.n}]: {q.text[:80]}")
    for item in outline.quiz:
        if not item.evidence:
            found.append(f"question without evidence: {item.question[:80]}")
        for sentence in item.evidence:
            if _flat(sentence) not in texts.get(item.n, ""):
                found.append(f"quiz evidence not in [{item.n}]: {sentence[:80]}")
        if item.kind == "list":
            parts = [e.rstrip(" .;") for e in item.evidence]
            if item.answer != "; ".join(parts):
                found.append(f"list answer is not its items: {item.question[:80]}")
        elif not item.evidence or item.answer not in item.evidence[0]:
            found.append(f"answer not in its sentence: {item.answer} / {item.question[:80]}")
        if item.choices and (item.answer not in item.choices or len(set(item.choices)) != len(item.choices)):
            found.append(f"choices wrong: {item.choices}")
    for s in outline.sections:
        if not (s.points or s.lines):
            found.append(f"empty section: {s.heading}")
        for p in s.points:
            if not (p.quotes or p.lines):
                found.append(f"empty point: {p.heading}")
    order: list[int] = []
    for n in [q.n for q in outline.quotes()] + [i.n for i in outline.quiz]:
        if n not in order:
            order.append(n)
    if order != list(range(1, len(order) + 1)) or [r.n for r in outline.references] != order:
        found.append(f"references not numbered in order of first use: {order}")
    if len({r.key for r in outline.references}) != len(outline.references):
        found.append("a reference listed twice")
    return found


def off_topic(outline: Outline, service: QAService, threshold: float = 0.3) -> list[str]:
    """Quotations of a topic outline that share too little of the topic's words, themselves or
    through their point (an article whose title is the topic). Lists and limitations taken whole
    because their lead-in is about the topic are checked through that lead-in, so not here."""
    lexical = service.retriever.lexical
    return [
        q.text[:80]
        for s in outline.sections
        if s.heading not in ("Nhiệm vụ, giải pháp", "Hạn chế, khó khăn")
        for p in s.points
        for q in p.quotes
        if max(lexical.text_coverage(outline.topic, q.text), lexical.text_coverage(outline.topic, p.heading)) < threshold
    ]
