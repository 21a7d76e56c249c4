"""What an answer or a lookup leaves behind: an exchange in the journal and an `answer` event in the log.

The log line is for operators (LOG_FORMAT=json): pseudonymous chat and user, the question's
length (never its text), whether something was found, how, how fast, and the documents cited.
"""

from __future__ import annotations

from bot import wording
from bot.answering.answer import Answer
from bot.answering.lookup import Resolution
from bot.operations.journal import AskedDocument, Exchange, Journal
from bot.render.text import answer_text, render_lookup
from ingest.logs import event
from ingest.registry import Directive


def _asked(d: Directive) -> AskedDocument:
    held = bool(d.primary or d.articles)
    return AskedDocument(d.ref, d.type, held=held, cited=not held)


def asked_in_answer(answer: Answer) -> tuple[AskedDocument, ...]:
    """The documents the question named, and whether the library holds them (as compose knew)."""
    out: dict[str, AskedDocument] = {}
    for d in answer.directives:
        if d.role != "asked" or d.ref in out:
            continue
        held = any(k.held for k in answer.directives if k.role == "asked" and k.in_corpus and k.ref == d.ref)
        out[d.ref] = AskedDocument(d.ref, d.type, held=held, cited=d.in_corpus and not held)
    return tuple(out.values())


def asked_in_lookup(result: Resolution) -> tuple[AskedDocument, ...]:
    if result.directives:
        return tuple(_asked(d) for d in result.directives)
    if result.unknown and result.ref:
        return (AskedDocument(result.ref, result.type, held=False),)
    return ()


def cited_documents(answer: Answer) -> tuple[str, ...]:
    """Each source as people cite it: a legal text's article, else the document's title."""
    return tuple(wording.source_title(s) for s in answer.sources)


def answer_exchange(answer: Answer, answer_id: str, chat: int | None, user: int | None) -> Exchange:
    return Exchange(
        id=answer_id,
        chat=chat,
        user=user,
        question=answer.question,
        found=bool(answer.found),
        answer=answer_text(answer),
        generator=answer.generator,
        sources=cited_documents(answer),
        asked=asked_in_answer(answer),
        latency_ms=answer.timings_ms.get("total"),
    )


def lookup_exchange(result: Resolution, lookup_id: str, chat: int | None, user: int | None) -> Exchange:
    return Exchange(
        id=lookup_id,
        chat=chat,
        user=user,
        question=result.query,
        found=result.found,
        answer=render_lookup(result),
        asked=asked_in_lookup(result),
        kind="lookup",
    )


def log_answer(answer: Answer, chat: str, user: str) -> None:
    """One `answer` event: what an operator needs, and not what the cadre asked."""
    event(
        "answer",
        chat=chat,
        user=user,
        question_chars=len(answer.question),
        found=answer.found,
        generator=answer.generator,
        latency_ms=answer.timings_ms.get("total"),
        cited=sorted({s.name for s in answer.sources}),
    )


def record_answer(journal: Journal | None, answer: Answer, answer_id: str, chat: int | None, user: int | None) -> None:
    """Journal the exchange (when there is a journal) and log the event."""
    if journal is not None:
        journal.record(answer_exchange(answer, answer_id, chat, user))
        log_answer(answer, journal.pseudonym(chat), journal.pseudonym(user))
    else:
        log_answer(answer, "-", "-")
