"""The administrators' commands in Telegram (TELEGRAM_ADMINS), each one of the core's:
/thongke, /phanhoi, /thieu read the journal; /capnhat re-ingests the library while questions
keep being answered."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot import wording
from bot.channels.telegram.formatting import NOT_ADMIN, escape, report_html, update_report_html
from bot.channels.telegram.handlers import core_of, reply
from ingest import QcdcError


async def _journal_report(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str) -> None:
    core = core_of(context)
    try:
        report = await asyncio.to_thread(core.report, kind)
    except QcdcError as exc:
        await reply(update, escape(exc.for_user()))
        return
    await reply(update, escape(wording.JOURNAL_CLOSED) if report is None else report_html(report))


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/thongke: answered, unanswered, feedback, the most asked documents, per week; the index's size."""
    await _journal_report(update, context, "stats")


async def feedback_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phanhoi: the latest 👎 with the question, what was answered and the comment."""
    await _journal_report(update, context, "feedback")


async def gaps_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/thieu: the documents asked for that the library lacks, and unanswered questions by topic."""
    await _journal_report(update, context, "gaps")


async def update_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/capnhat: re-ingest the corpus; questions keep being answered meanwhile."""
    core = core_of(context)
    if core.update_running:
        await reply(update, wording.UPDATING)
        return
    await reply(update, wording.UPDATE_STARTED)
    try:
        done = await asyncio.to_thread(core.update)
    except QcdcError as exc:
        await reply(update, escape(wording.update_failed(exc.for_user())))
        return
    await reply(update, wording.UPDATING if done is None else update_report_html(*done.counts))


async def not_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin command from someone who is not an admin."""
    await reply(update, NOT_ADMIN)
