"""An answer as the documented JSON object of `bot ask --json` (and of the channels' APIs)."""

from __future__ import annotations

from typing import Any

from bot.answering.answer import Answer
from bot.answering.verification import Verification
from bot.render.text import answer_text


def answer_json(answer: Answer) -> dict[str, Any]:
    """The documented JSON shape of `bot ask --json`."""
    return {
        "question": answer.question,
        "answer": answer_text(answer),
        "short_answer": answer.short_answer,
        "short_answers": [s.line for s in answer.first_lines],
        "found": answer.found,
        "quotes": [
            {
                "attribution": group.source.attribution,
                "list_items": group.listed,
                "quotes": [{"text": q.text, "source": q.source} for q in group.quotes],
            }
            for group in answer.groups
        ],
        "sources": [s.to_json() for s in answer.sources],
        "related": answer.related,
        "notes": answer.notes,
        "suggestion": answer.suggestion,
        "directives": [d.to_json() for d in answer.directives],
        "generator": answer.generator,
        "verification": (answer.verification or Verification()).to_json(),
        "timings_ms": answer.timings_ms,
    }
