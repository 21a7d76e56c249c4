"""The administrators' commands in Telegram (TELEGRAM_ADMINS): /thongke, /phanhoi, /thieu
read the journal; /capnhat re-ingests the library while questions keep being answered."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot import wording
from bot.answering.service import QAService
from bot.channels.telegram.formatting import JOURNAL_CLOSED, NOT_ADMIN, escape, report_html, update_report_html
from bot.channels.telegram.handlers import reply, state_of
from bot.operations.gaps import gap_report
from bot.operations.journal import Journal
from bot.operations.reports import Report, feedback_report, gaps_report, stats_report
from ingest import QcdcError, ingest

NEGATIVE_SHOWN = 5  # /phanhoi: the latest 👎, each with its question and answer


def _stats(journal: Journal, service: QAService) -> Report:
    return stats_report(journal.stats(), service.index.count(), len(service.registry.directives))


def _negative(journal: Journal, service: QAService) -> Report:
    return feedback_report(journal.feedback(negative=True, limit=NEGATIVE_SHOWN))


def _gaps(journal: Journal, service: QAService) -> Report:
    return gaps_report(gap_report(journal))


async def _journal_report(
    update: Update, context: ContextTypes.DEFAULT_TYPE, build: Callable[[Journal, QAService], Report]
) -> None:
    state = state_of(context)
    if state.journal is None:
        await reply(update, escape(JOURNAL_CLOSED))
        return
    try:
        report = await asyncio.to_thread(build, state.journal, state.service)
    except QcdcError as exc:
        await reply(update, escape(exc.for_user()))
        return
    await reply(update, report_html(report))


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/thongke: answered, unanswered, feedback, the most asked documents, per week; the index's size."""
    await _journal_report(update, context, _stats)


async def feedback_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phanhoi: the latest 👎 with the question, what was answered and the comment."""
    await _journal_report(update, context, _negative)


async def gaps_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/thieu: the documents asked for that the library lacks, and unanswered questions by topic."""
    await _journal_report(update, context, _gaps)


async def update_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/capnhat: re-ingest the corpus; questions keep being answered meanwhile."""
    state = state_of(context)
    if state.updating.locked():
        await reply(update, wording.UPDATING)
        return
    async with state.updating:
        await reply(update, wording.UPDATE_STARTED)
        try:
            report = await asyncio.to_thread(ingest, state.settings, db=state.db, embedder=state.service.embedder)
            await asyncio.to_thread(state.service.refresh)  # the new generation, once complete
        except QcdcError as exc:
            await reply(update, escape(f"Cập nhật thất bại: {exc.for_user()}"))
            return
    await reply(
        update,
        update_report_html(
            report.new, report.changed, report.removed, report.chunks_total, report.directives, len(report.failures)
        ),
    )


async def not_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin command from someone who is not an admin."""
    await reply(update, NOT_ADMIN)
