"""The Telegram bot's handlers: one shape, one access gate.

Every handler is registered through `served` (bot.telegram_app), which
answers a button press, refuses senders outside the access lists once, and
only then calls the handler; admin commands also pass an admin filter. A
handler parses its update, calls the QA service off the event loop, and
sends HTML built by `telegram_format`.
"""

from __future__ import annotations

import asyncio
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

from bot.answer import Answer
from bot.brief import BriefBuilder
from bot.outline_docx import render_docx
from bot.outline_render import summary_lines
from bot.telegram_access import BotState, parse_callback, sender_key
from bot.telegram_format import (
    BRIEF_USAGE,
    GREETING,
    HELP,
    NOT_ADMIN,
    REFUSAL,
    answer_html,
    brief_html,
    brief_progress_html,
    candidate_keyboard,
    directive_html,
    escape,
    lookup_html,
    rate_limited,
    source_html,
    source_keyboard,
    split_message,
    stats_html,
    update_report_html,
)
from ingest import QcdcError, fold, ingest
from ingest.registry import Directive

log = logging.getLogger(__name__)

KEPT_ANSWERS = 20  # per chat, for the source buttons and /nguon
MAX_PARTS = 5  # messages one reply may take; the rest is cut with a note

T = TypeVar("T")
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def _state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.application.bot_data["state"]


def _chat_data(context: ContextTypes.DEFAULT_TYPE) -> dict[Any, Any]:
    """The chat's storage (every handler here serves an update with a chat)."""
    return context.chat_data if context.chat_data is not None else {}


async def _reply(update: Update, text: str, **kwargs: Any) -> None:
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
        state = _state(context)
        user, chat = update.effective_user, update.effective_chat
        if state.allowed(user.id if user else None, chat.id if chat else None):
            await handler(update, context)
            return
        key = user.id if user else (chat.id if chat else 0)
        if key not in state.refused:
            state.refused.add(key)
            await _reply(update, REFUSAL)
        log.info("refused user %s in chat %s", user.id if user else None, chat.id if chat else None)

    return gated


async def _within_limit(update: Update, state: BotState) -> bool:
    """Counts a request against its sender's per-minute limit; over it, says once a minute when to try again."""
    key = sender_key(update)
    if not (wait := state.limit.wait_seconds(key)):
        return True
    log.info("rate limit: sender %s waits %s s", key, wait)
    if state.limit.should_notify(key):
        await _reply(update, rate_limited(state.settings.telegram_rate_limit_per_minute, wait))
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
    if not await _within_limit(update, _state(context)):
        return None
    if action is not None and update.effective_chat:
        await context.bot.send_chat_action(update.effective_chat.id, action)
    try:
        return await asyncio.to_thread(work, *args)
    except QcdcError as exc:
        await _reply(update, escape(exc.for_user()))
        return None


async def library_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tailieu: what the library holds."""
    text = await _work(update, context, _state(context).service.library_text)
    if text is not None:
        await _reply(update, escape(text))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and show what the bot can do."""
    await _reply(update, GREETING)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain the commands."""
    await _reply(update, HELP)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hoi <câu hỏi>."""
    question = " ".join(context.args or [])
    if not question.strip():
        await _reply(update, "Hãy gõ câu hỏi sau lệnh, ví dụ: /hoi Kết luận 120-KL/TW yêu cầu gì?")
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
    state = _state(context)
    chat = update.effective_chat
    conversation = None
    if chat is not None and state.settings.conversation_turns:
        conversation = state.conversations.get(str(chat.id))
    answer = await _work(
        update, context, state.service.ask, question, None, None, conversation, action=ChatAction.TYPING
    )
    if answer is None:
        return
    if answer.found is None:  # small talk, the library listing: a reply, not an answer
        await _reply(update, escape(answer.message or ""))
        return
    if answer.found:
        state.answered += 1
    else:
        state.unanswered += 1
    state.directives_asked.update(d["ref"] for d in answer.directives)
    answer_id = _remember(context, answer)
    await _reply(update, answer_html(answer), reply_markup=source_keyboard(answer, answer_id))


def _remember(context: ContextTypes.DEFAULT_TYPE, answer: Answer) -> str:
    """Keep the chat's recent answers for the source buttons and /nguon."""
    chat = _chat_data(context)
    answers: dict[str, Answer] = chat.setdefault("answers", {})
    answer_id = hashlib.sha1(f"{time.time_ns()}{answer.question}".encode()).hexdigest()[:8]
    answers[answer_id] = answer
    chat["last"] = answer_id
    while len(answers) > KEPT_ANSWERS:
        answers.pop(next(iter(answers)))
    return answer_id


async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A source button under an answer: the full passage and its document."""
    if not await _within_limit(update, _state(context)) or update.callback_query is None:
        return
    fields = parse_callback(update.callback_query.data, "src")
    answer = _chat_data(context).get("answers", {}).get(fields[0]) if fields else None
    if answer is None or fields is None or not 1 <= int(fields[1]) <= len(answer.sources):
        await _reply(update, "Câu trả lời này đã cũ; hãy hỏi lại để xem nguồn.")
        return
    await _reply(update, source_html(answer.sources[int(fields[1]) - 1]))


async def source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/nguon <n>: source n of the last answer."""
    if not await _within_limit(update, _state(context)):
        return
    chat = _chat_data(context)
    answer = chat.get("answers", {}).get(chat.get("last", ""))
    arg = (context.args or [""])[0]
    if answer is None:
        await _reply(update, "Chưa có câu trả lời nào trong cuộc trò chuyện này.")
    elif not arg.isdigit() or not 1 <= int(arg) <= len(answer.sources):
        await _reply(update, f"Hãy gõ /nguon và một số từ 1 đến {len(answer.sources)}.")
    else:
        await _reply(update, source_html(answer.sources[int(arg) - 1]))


def _directive_key(d: Directive) -> str:
    return hashlib.sha1(d.id.encode()).hexdigest()[:12]


async def directive_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/vb <số hiệu>: a directive's card, or buttons for the candidates."""
    query = " ".join(context.args or [])
    if not query.strip():
        await _reply(update, "Hãy gõ số hiệu sau lệnh, ví dụ: /vb 120-KL/TW hoặc /vb kl 120.")
        return
    state = _state(context)
    result = await _work(update, context, state.service.lookup, query)
    if result is None:
        return
    state.directives_asked.update(d.ref for d in result.directives)
    await _reply(update, lookup_html(result), reply_markup=candidate_keyboard(result, _directive_key))


async def directive_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A candidate button from /vb: that directive's card."""
    state = _state(context)
    if not await _within_limit(update, state) or update.callback_query is None:
        return
    fields = parse_callback(update.callback_query.data, "vb")
    match = next((d for d in state.service.registry.directives if fields and _directive_key(d) == fields[0]), None)
    if match is None:
        await _reply(update, "Không còn tìm thấy văn bản này; hãy tra lại bằng /vb.")
        return
    await _reply(update, directive_html(match))


async def brief_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/baigiang <chủ đề | số hiệu | luật [chương II]>: the outline as a Word file, with a summary
    of what it holds. A status message shows it is being made, then becomes the summary."""
    topic = " ".join(context.args or [])
    if not topic.strip():
        await _reply(update, BRIEF_USAGE)
        return
    state = _state(context)
    message = update.effective_message
    if message is None or not await _within_limit(update, state):
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


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/thongke (admins): questions answered and not, top directives, index size."""
    state = _state(context)
    service = state.service
    await _reply(
        update,
        stats_html(
            state.answered,
            state.unanswered,
            state.directives_asked.most_common(5),
            service.index.count(),
            len(service.registry.directives),
        ),
    )


async def update_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/capnhat (admins): re-ingest the corpus; questions keep being answered meanwhile."""
    state = _state(context)
    if state.updating.locked():
        await _reply(update, "Đang cập nhật chỉ mục; hãy chờ lần cập nhật này xong.")
        return
    async with state.updating:
        await _reply(update, "Đang cập nhật chỉ mục từ kho tài liệu…")
        try:
            report = await asyncio.to_thread(ingest, state.settings, db=state.db, embedder=state.service.embedder)
            await asyncio.to_thread(state.service.refresh)  # the new generation, once complete
        except QcdcError as exc:
            await _reply(update, escape(f"Cập nhật thất bại: {exc.for_user()}"))
            return
    await _reply(
        update,
        update_report_html(
            report.new, report.changed, report.removed, report.chunks_total, report.directives, len(report.failures)
        ),
    )


async def not_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin command from someone who is not an admin."""
    await _reply(update, NOT_ADMIN)
