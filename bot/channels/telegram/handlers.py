"""The Telegram bot's handlers for cadres (questions, lookups, sources, outlines) and the
helpers every handler shares (`reply`, `within_limit`, `core_of`, `chat_store`); the
feedback buttons are in bot.channels.telegram.feedback, the admins' commands in
bot.channels.telegram.admin.

Every handler is registered through `served` (bot.channels.telegram.app), which
answers a button press, refuses senders outside the access lists once, and
only then calls the handler; admin commands also pass an admin filter. A
handler parses its update, calls the channel-neutral core (`bot.core.assistant.Core`)
off the event loop, and sends HTML built by bot.channels.telegram.formatting.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import ContextTypes

from bot import wording
from bot.answering.question import user_number
from bot.channels.telegram.access import ids, parse_callback, sender_key
from bot.channels.telegram.formatting import (
    BRIEF_USAGE,
    GAP_NOTICE,
    GREETING,
    HELP,
    REFUSAL,
    answer_html,
    answer_keyboard,
    brief_html,
    brief_progress_html,
    candidate_keyboard,
    directive_html,
    escape,
    lookup_html,
    rate_limited,
    source_html,
    split_message,
)
from bot.channels.telegram.state import clean_chat, prepare_chat
from bot.core.access import Admission
from bot.core.assistant import Core, directive_key
from bot.render.outline import summary_lines
from bot.render.outline_docx import render_docx
from ingest import QcdcError
from ingest.language.patterns import slug

log = logging.getLogger(__name__)

MAX_PARTS = 5  # messages one reply may take; the rest is cut with a note

T = TypeVar("T")
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def core_of(context: ContextTypes.DEFAULT_TYPE) -> Core:
    core: Core = context.application.bot_data["core"]
    return core


def chat_store(context: ContextTypes.DEFAULT_TYPE) -> dict[Any, Any]:
    """The chat's storage, persisted across restarts (every handler here serves an update with a chat);
    what is not of the shape the handlers read is dropped first (bot.channels.telegram.state.clean_chat)."""
    store = context.chat_data
    if not isinstance(store, dict):
        return {}
    clean_chat(store)
    return store


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    """Send HTML, split into parts Telegram accepts; buttons go under the last part."""
    message = update.effective_message
    if message is None:
        return
    markup = kwargs.pop("reply_markup", None)
    parts = split_message(text)
    if len(parts) > MAX_PARTS:  # a reply is a few screens at most, whatever produced it
        parts = parts[: MAX_PARTS - 1] + [f"<i>{escape(wording.CUT_SHORT)}</i>"]
    for i, part in enumerate(parts):
        await message.reply_html(
            part,
            disable_web_page_preview=True,
            reply_markup=markup if i == len(parts) - 1 else None,
            **kwargs,
        )


def served(handler: Handler) -> Handler:
    """The access gate every handler is registered through."""

    @functools.wraps(handler)
    async def gated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer()  # stop the button's spinner, whoever pressed it
            if update.effective_message is None:
                return  # a button on an inline message: there is no chat to answer in
        chat, user = ids(update)
        admission = core_of(context).admit(user, chat)
        if admission is Admission.SERVE:
            await handler(update, context)
        elif admission is Admission.REFUSE:
            await reply(update, REFUSAL)

    return gated


async def within_limit(update: Update, core: Core) -> bool:
    """Counts a request against its sender's per-minute limit; over it, says once a minute when to try again."""
    key = sender_key(update)
    if not (wait := core.limit.wait_seconds(key)):
        return True
    log.info("rate limit: sender %s waits %s s", key, wait)
    if core.limit.should_notify(key):
        await reply(update, rate_limited(core.limit.per_minute, wait))
    return False


async def _work(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    work: Callable[..., T],
    *args: Any,
    action: ChatAction | None = None,
) -> T | None:
    """A request that costs: counted against the rate limit, `action` shown while
    `work` runs off the event loop; None when it was refused or failed (the user is told why)."""
    if not await within_limit(update, core_of(context)):
        return None
    if action is not None and update.effective_chat:
        await context.bot.send_chat_action(update.effective_chat.id, action)
    if isinstance(context.chat_data, dict):
        prepare_chat(context.chat_data, core_of(context).settings)
    try:
        return await asyncio.to_thread(work, *args)
    except QcdcError as exc:
        await reply(update, escape(exc.for_user()))
        return None


async def library_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tailieu: what the library holds."""
    text = await _work(update, context, core_of(context).library)
    if text is not None:
        await reply(update, escape(text))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and show what the bot can do."""
    await reply(update, GREETING)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain the commands."""
    await reply(update, HELP)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hoi <câu hỏi>."""
    question = " ".join(context.args or [])
    if not question.strip():
        await reply(update, wording.ASK_USAGE)
        return
    await _answer(update, context, question)


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text addressed to the bot (see `addressed_to_bot`), without the mention."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = message.text
    if update.effective_chat and update.effective_chat.type != ChatType.PRIVATE:
        text = re.sub(re.escape(f"@{context.bot.username}"), " ", text, flags=re.IGNORECASE)
    await _answer(update, context, text)


def addressed_to_bot(update: Update, bot_username: str, bot_id: int) -> bool:
    """Any text in a private chat; in groups only a mention of the bot or a reply to it.
    Checked before the gate, so that group chatter never gets a refusal."""
    message = update.effective_message
    if message is None or not message.text:
        return False
    if update.effective_chat is None or update.effective_chat.type == ChatType.PRIVATE:
        return True
    replied = message.reply_to_message
    replying = bool(replied and replied.from_user and replied.from_user.id == bot_id)
    return replying or f"@{bot_username}".lower() in message.text.lower()


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Answer in the chat's conversation (the core remembers and journals it), with its buttons."""
    chat, user = ids(update)
    if chat is None:
        return
    asked = await _work(update, context, core_of(context).ask, chat, user, question, action=ChatAction.TYPING)
    if asked is None:
        return
    if asked.answer.found is None or asked.answer_id is None:  # small talk, the library listing: a reply
        await reply(update, escape(asked.answer.message or ""))
        return
    text = answer_html(asked.answer)
    if asked.gap_notice:
        text += f"\n\n<i>{escape(GAP_NOTICE)}</i>"
    await reply(update, text, reply_markup=answer_keyboard(asked.answer, asked.answer_id))


async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A source button under an answer: the full passage and its document."""
    core = core_of(context)
    chat, _ = ids(update)
    if not await within_limit(update, core) or update.callback_query is None or chat is None:
        return
    fields = parse_callback(update.callback_query.data, "src")
    source = core.source(chat, int(fields[1]), fields[0]) if fields else None
    await reply(update, wording.ANSWER_GONE if source is None else source_html(source))


async def source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/nguon <n>: source n of the last answer."""
    core = core_of(context)
    chat, _ = ids(update)
    if not await within_limit(update, core) or chat is None:
        return
    answer = core.answer(chat)
    n = user_number((context.args or [""])[0])
    source = core.source(chat, n) if n is not None else None
    if answer is None:
        await reply(update, wording.NO_ANSWER_YET)
    elif source is None:
        await reply(update, wording.source_usage(len(answer.sources)))
    else:
        await reply(update, source_html(source))


async def directive_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/vb <số hiệu>: a directive's card, or buttons for the candidates."""
    query = " ".join(context.args or [])
    if not query.strip():
        await reply(update, wording.LOOKUP_USAGE)
        return
    chat, user = ids(update)
    if chat is None:
        return
    result = await _work(update, context, core_of(context).lookup, chat, user, query)
    if result is not None:
        await reply(update, lookup_html(result), reply_markup=candidate_keyboard(result, directive_key))


async def directive_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A candidate button from /vb: that directive's card."""
    core = core_of(context)
    if not await within_limit(update, core) or update.callback_query is None:
        return
    fields = parse_callback(update.callback_query.data, "vb")
    match = core.directive(fields[0]) if fields else None
    await reply(update, wording.DIRECTIVE_GONE if match is None else directive_html(match))


async def brief_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/baigiang <chủ đề | số hiệu | luật [chương II]>: the outline as a Word file, with a summary
    of what it holds. A status message shows it is being made, then becomes the summary."""
    topic = " ".join(context.args or [])
    if not topic.strip():
        await reply(update, BRIEF_USAGE)
        return
    core = core_of(context)
    message = update.effective_message
    if message is None or not await within_limit(update, core):
        return
    status = await message.reply_html(brief_progress_html(topic))
    try:
        if update.effective_chat:
            await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)
        outline = await asyncio.to_thread(core.outline, topic)
        document = io.BytesIO()
        await asyncio.to_thread(render_docx, outline, document, core.settings.brief_template)
    except QcdcError as exc:
        await status.edit_text(escape(exc.for_user()), parse_mode="HTML")
        return
    document.seek(0)
    await status.edit_text(brief_html(outline.title, summary_lines(outline)), parse_mode="HTML")
    filename = slug(outline.title, 60) + ".docx"
    await message.reply_document(document=document, filename=filename)
