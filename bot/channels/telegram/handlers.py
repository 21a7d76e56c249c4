"""The Telegram bot's handlers for cadres (questions, lookups, sources, outlines) and the
helpers every handler shares (`reply`, `within_limit`, `state_of`, `chat_store`); the
feedback buttons are in telegram_feedback, the admins' commands in telegram_admin.

Every handler is registered through `served` (bot.channels.telegram.app), which
answers a button press, refuses senders outside the access lists once, and
only then calls the handler; admin commands also pass an admin filter. A
handler parses its update, calls the QA service off the event loop, and
sends HTML built by `telegram_format`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import io
import logging
import re
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import ContextTypes

from bot import wording
from bot.answering.answer import Answer
from bot.answering.conversation import Conversation
from bot.answering.question import user_number
from bot.channels.telegram.access import BotState, parse_callback, sender_key
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
from bot.channels.telegram.state import clean_chat
from bot.core.recording import lookup_exchange, record_answer
from bot.outlines.brief import BriefBuilder
from bot.render.outline import summary_lines
from bot.render.outline_docx import render_docx
from ingest import QcdcError, fold
from ingest.registry import Directive

log = logging.getLogger(__name__)

KEPT_ANSWERS = 20  # per chat, for the source buttons and /nguon
MAX_PARTS = 5  # messages one reply may take; the rest is cut with a note

T = TypeVar("T")
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def state_of(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.application.bot_data["state"]


def chat_store(context: ContextTypes.DEFAULT_TYPE) -> dict[Any, Any]:
    """The chat's storage, persisted across restarts (every handler here serves an update with a chat);
    what is not of the shape the handlers read is dropped first (bot.channels.telegram.state.clean_chat)."""
    store = context.chat_data
    if not isinstance(store, dict):
        return {}
    clean_chat(store)
    return store


def ids(update: Update) -> tuple[int | None, int | None]:
    """(chat id, user id) of an update, as the journal takes them."""
    chat, user = update.effective_chat, update.effective_user
    return (chat.id if chat else None, user.id if user else None)


def new_id(text: str) -> str:
    """An id for an answer or a lookup: its buttons name it, the journal keys it (with the chat)."""
    return hashlib.sha1(f"{time.time_ns()}{text}".encode()).hexdigest()[:12]


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    """Send HTML, split into parts Telegram accepts; buttons go under the last part."""
    message = update.effective_message
    if message is None:
        return
    markup = kwargs.pop("reply_markup", None)
    parts = split_message(text)
    if len(parts) > MAX_PARTS:  # a reply is a few screens at most, whatever produced it
        parts = parts[: MAX_PARTS - 1] + ["<i>(Phần còn lại đã được lược bớt.)</i>"]
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
        state = state_of(context)
        user, chat = update.effective_user, update.effective_chat
        if state.allowed(user.id if user else None, chat.id if chat else None):
            await handler(update, context)
            return
        key = user.id if user else (chat.id if chat else 0)
        if key not in state.refused:
            state.refused.add(key)
            await reply(update, REFUSAL)
        log.info("refused user %s in chat %s", user.id if user else None, chat.id if chat else None)

    return gated


async def within_limit(update: Update, state: BotState) -> bool:
    """Counts a request against its sender's per-minute limit; over it, says once a minute when to try again."""
    key = sender_key(update)
    if not (wait := state.limit.wait_seconds(key)):
        return True
    log.info("rate limit: sender %s waits %s s", key, wait)
    if state.limit.should_notify(key):
        await reply(update, rate_limited(state.settings.telegram_rate_limit_per_minute, wait))
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
    if not await within_limit(update, state_of(context)):
        return None
    if action is not None and update.effective_chat:
        await context.bot.send_chat_action(update.effective_chat.id, action)
    try:
        return await asyncio.to_thread(work, *args)
    except QcdcError as exc:
        await reply(update, escape(exc.for_user()))
        return None


async def library_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tailieu: what the library holds."""
    text = await _work(update, context, state_of(context).service.library_text)
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
        await reply(update, "Hãy gõ câu hỏi sau lệnh, ví dụ: /hoi Kết luận 120-KL/TW yêu cầu gì?")
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


def _conversation(context: ContextTypes.DEFAULT_TYPE, state: BotState) -> Conversation | None:
    """The chat's short memory, kept in chat_data so that it survives a restart."""
    if not state.settings.conversation_turns:
        return None
    store = chat_store(context)
    memory = store.get("conversation")
    if not isinstance(memory, Conversation):
        memory = Conversation(state.settings.conversation_turns, state.settings.conversation_ttl_s)
        store["conversation"] = memory
    return memory


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    state = state_of(context)
    conversation = _conversation(context, state) if update.effective_chat else None
    answer = await _work(
        update, context, state.service.ask, question, None, None, conversation, action=ChatAction.TYPING
    )
    if answer is None:
        return
    if answer.found is None:  # small talk, the library listing: a reply, not an answer
        await reply(update, escape(answer.message or ""))
        return
    answer_id = _remember(context, answer)
    chat_id, user_id = ids(update)
    await asyncio.to_thread(record_answer, state.journal, answer, answer_id, chat_id, user_id, state.service.registry)
    text = answer_html(answer)
    journal = state.journal
    if answer.found is False and journal is not None and await asyncio.to_thread(journal.first_notice, user_id):
        text += f"\n\n<i>{escape(GAP_NOTICE)}</i>"
    await reply(update, text, reply_markup=answer_keyboard(answer, answer_id))


def _remember(context: ContextTypes.DEFAULT_TYPE, answer: Answer) -> str:
    """Keep the chat's recent answers for the source buttons and /nguon. Without the passages
    retrieved but not cited: only answering needs them, and chat_data is persisted."""
    store = chat_store(context)
    answers: dict[str, Answer] = store.setdefault("answers", {})
    answer_id = new_id(answer.question)
    answers[answer_id] = dataclasses.replace(answer, retrieved=[])
    store["last"] = answer_id
    while len(answers) > KEPT_ANSWERS:
        answers.pop(next(iter(answers)))
    return answer_id


async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A source button under an answer: the full passage and its document."""
    if not await within_limit(update, state_of(context)) or update.callback_query is None:
        return
    fields = parse_callback(update.callback_query.data, "src")
    answer = chat_store(context).get("answers", {}).get(fields[0]) if fields else None
    if answer is None or fields is None or not 1 <= int(fields[1]) <= len(answer.sources):
        await reply(update, "Câu trả lời này đã cũ; hãy hỏi lại để xem nguồn.")
        return
    await reply(update, source_html(answer.sources[int(fields[1]) - 1]))


async def source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/nguon <n>: source n of the last answer."""
    if not await within_limit(update, state_of(context)):
        return
    chat = chat_store(context)
    answer = chat.get("answers", {}).get(chat.get("last", ""))
    n = user_number((context.args or [""])[0])
    if answer is None:
        await reply(update, wording.NO_ANSWER_YET)
    elif n is None or not 1 <= n <= len(answer.sources):
        await reply(update, wording.source_usage(len(answer.sources)))
    else:
        await reply(update, source_html(answer.sources[n - 1]))


def _directive_key(d: Directive) -> str:
    return hashlib.sha1(d.id.encode()).hexdigest()[:12]


async def directive_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/vb <số hiệu>: a directive's card, or buttons for the candidates."""
    query = " ".join(context.args or [])
    if not query.strip():
        await reply(update, "Hãy gõ số hiệu sau lệnh, ví dụ: /vb 120-KL/TW hoặc /vb kl 120.")
        return
    state = state_of(context)
    result = await _work(update, context, state.service.lookup, query)
    if result is None:
        return
    if state.journal is not None:
        chat_id, user_id = ids(update)
        await asyncio.to_thread(state.journal.record, lookup_exchange(result, new_id(query), chat_id, user_id))
    await reply(update, lookup_html(result), reply_markup=candidate_keyboard(result, _directive_key))


async def directive_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A candidate button from /vb: that directive's card."""
    state = state_of(context)
    if not await within_limit(update, state) or update.callback_query is None:
        return
    fields = parse_callback(update.callback_query.data, "vb")
    match = next((d for d in state.service.registry.directives if fields and _directive_key(d) == fields[0]), None)
    if match is None:
        await reply(update, "Không còn tìm thấy văn bản này; hãy tra lại bằng /vb.")
        return
    await reply(update, directive_html(match))


async def brief_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/baigiang <chủ đề | số hiệu | luật [chương II]>: the outline as a Word file, with a summary
    of what it holds. A status message shows it is being made, then becomes the summary."""
    topic = " ".join(context.args or [])
    if not topic.strip():
        await reply(update, BRIEF_USAGE)
        return
    state = state_of(context)
    message = update.effective_message
    if message is None or not await within_limit(update, state):
        return
    status = await message.reply_html(brief_progress_html(topic))
    try:
        if update.effective_chat:
            await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)
        outline = await asyncio.to_thread(BriefBuilder(state.service).build, topic, 5)
        document = io.BytesIO()
        await asyncio.to_thread(render_docx, outline, document, state.settings.brief_template)
    except QcdcError as exc:
        await status.edit_text(escape(exc.for_user()), parse_mode="HTML")
        return
    document.seek(0)
    await status.edit_text(brief_html(outline.title, summary_lines(outline)), parse_mode="HTML")
    filename = re.sub(r"[^\w-]+", "-", fold(outline.title)).strip("-")[:60] + ".docx"
    await message.reply_document(document=document, filename=filename)
