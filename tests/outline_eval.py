"""Lecture outlines in `make eval`: outlines of the Law, a decree, a Kết luận and two topics on
the mixed library, each checked by `outline_checks` (quotations verbatim, quiz answers in their
cited sentences, no empty or off-topic section, references numbered in order of first use)."""

from __future__ import annotations

import statistics
import time

from outline_checks import off_topic, problems

from bot.answering.service import QAService
from bot.outlines.brief import BriefBuilder

OUTLINES = (
    ("Luật 10/2022/QH15", None),
    ("Luật Thực hiện dân chủ ở cơ sở", "II"),
    ("Nghị định 59/2023/NĐ-CP", None),
    ("120-KL/TW", None),
    ("Năm dân vận chính quyền", None),
    ("Ban thanh tra nhân dân", None),
)
QUIZ = 5
RUNS = 3


def evaluate(service: QAService) -> tuple[list[str], list[str]]:
    """Table rows (one per outline) and the problems found, if any."""
    builder = BriefBuilder(service)
    rows = [
        "| outline | kind | sections | quotations | verbatim | questions (asked 5) | answers in their sentence "
        "| off-topic | references in order | build, median s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    found: list[str] = []
    for topic, chapter in OUTLINES:
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            outline = builder.build(topic, quiz=QUIZ, chapter=chapter)
            times.append(time.perf_counter() - started)
        wrong = problems(outline, service)
        stray = off_topic(outline, service) if outline.kind == "topic" else []
        found += [f"{topic}: {w}" for w in wrong] + [f"{topic}: off topic: {s}" for s in stray]
        quotes = outline.quotes()
        bad_quotes = sum(w.startswith("quote") for w in wrong)
        bad_answers = sum(w.startswith(("answer", "quiz evidence", "list answer")) for w in wrong)
        in_order = not any(w.startswith("references") for w in wrong)
        name = topic + (f" --chapter {chapter}" if chapter else "")
        rows.append(
            f"| {name} | {outline.kind} | {len(outline.sections)} | {len(quotes)} | {len(quotes) - bad_quotes}/{len(quotes)} "
            f"| {len(outline.quiz)} | {len(outline.quiz) - bad_answers}/{len(outline.quiz)} | {len(stray)} "
            f"| {'yes' if in_order else 'no'} | {statistics.median(times):.2f} |"
        )
    return rows, found
