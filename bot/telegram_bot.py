"""The Telegram bot: python-telegram-bot 22, long polling or a webhook.

Handlers parse the update, call the QA service off the event loop, and send
HTML built by `telegram_format`. Access control, the per-sender rate limit
and the statistics live in `BotState` (bot.telegram_access), kept in
`application.bot_data`.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import re
import time
from pathlib import Path
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import InvalidToken
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.answer import Answer
from bot.brief import BriefBuilder, render_docx
from bot.service import QAService
from bot.telegram_access import BotState, parse_callback, sender_key
from bot.telegram_setup import check_token, quiet_logs, wait_for_bot_api, webhook_options
from bot.telegram_format import (
    answer_html,
    directive_html,
    escape,
    lookup_html,
    source_html,
    source_keyboard,
    split_message,
)
from ingest import QcdcError, Settings, fold, ingest
from ingest.errors import SettingsError

log = logging.getLogger(__name__)

KEPT_ANSWERS = 20  # per chat, for the source buttons and /nguon
MAX_PARTS = 5  # messages one reply may take; the rest is cut with a note

GREETING = (
    "Xin chào! Tôi là <b>Trợ lý QCDC</b>: tôi trả lời câu hỏi về Quy chế dân chủ ở cơ sở và "
    "công tác dân vận từ các tài liệu trong kho, kèm nguồn trích dẫn, và tra cứu văn bản theo số hiệu.\n\n"
    "Ví dụ:\n"
    "• Kết luận 120-KL/TW yêu cầu gì?\n"
    "• Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?\n"
    "• Những hạn chế trong thực hiện QCDC ở cơ sở?\n\n"
    "Lệnh: /hoi &lt;câu hỏi&gt; · /vb &lt;số hiệu&gt; (ví dụ /vb 120-KL/TW) · /nguon &lt;số&gt; · "
    "/baigiang &lt;chủ đề hoặc số hiệu&gt; · /help"
)
HELP = (
    "<b>Cách dùng</b>\n"
    "• Trong trò chuyện riêng: gõ câu hỏi, có dấu hay không dấu đều được.\n"
    "• Trong nhóm: dùng /hoi &lt;câu hỏi&gt;, nhắc tên bot, hoặc trả lời tin nhắn của bot.\n"
    "• /vb &lt;số hiệu&gt;: thẻ văn bản (ngày, cơ quan ban hành, trích yếu, nơi được nhắc đến); "
    "số hiệu có thể viết tắt: /vb 120, /vb kl 120.\n"
    "• /nguon &lt;số&gt;: xem toàn văn nguồn số đó của câu trả lời gần nhất.\n"
    "• /baigiang &lt;chủ đề hoặc số hiệu&gt;: đề cương bài giảng có trích dẫn và câu hỏi ôn tập, gửi dưới dạng tệp Word.\n"
    "Câu trả lời chỉ trích nguyên văn tài liệu trong kho; khi kho không có thông tin, bot nói rõ."
)
REFUSAL = "Xin lỗi, bot này chỉ phục vụ cán bộ của đơn vị đã được cấp quyền. Hãy liên hệ quản trị viên."
APOLOGY = "Xin lỗi, đã có lỗi khi xử lý yêu cầu của bạn. Hãy thử lại sau ít phút."


def _state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.application.bot_data["state"]


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


async def _gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether to serve this update; refuses strangers once, politely."""
    state = _state(context)
    user = update.effective_user
    chat = update.effective_chat
    if state.allowed(user.id if user else None, chat.id if chat else None):
        return True
    key = user.id if user else (chat.id if chat else 0)
    if key not in state.refused:
        state.refused.add(key)
        await _reply(update, REFUSAL)
    log.info("refused user %s in chat %s", user.id if user else None, chat.id if chat else None)
    return False


async def _within_limit(update: Update, state: BotState) -> bool:
    """Counts a request against its sender's per-minute limit; over it, says once a minute when to try again."""
    key = sender_key(update)
    if not (wait := state.limit.wait_seconds(key)):
        return True
    log.info("rate limit: sender %s waits %s s", key, wait)
    if state.limit.should_notify(key):
        await _reply(
            update,
            f"Bạn đã hỏi {state.settings.telegram_rate_limit_per_minute} câu trong một phút. Hãy thử lại sau {wait} giây.",
        )
    return False


async def _admitted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether to serve this request: its sender is allowed and within the rate limit."""
    return await _gate(update, context) and await _within_limit(update, _state(context))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and show what the bot can do."""
    if await _gate(update, context):
        await _reply(update, GREETING)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain the commands."""
    if await _gate(update, context):
        await _reply(update, HELP)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hoi <câu hỏi>."""
    question = " ".join(context.args or [])
    if not question.strip():
        if await _gate(update, context):
            await _reply(update, "Hãy gõ câu hỏi sau lệnh, ví dụ: /hoi Kết luận 120-KL/TW yêu cầu gì?")
        return
    await _answer(update, context, question)


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat; in groups only a mention of the bot or a reply to it."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = message.text
    if update.effective_chat and update.effective_chat.type != ChatType.PRIVATE:
        mention = f"@{context.bot.username}"
        replying = bool(message.reply_to_message and message.reply_to_message.from_user
                        and message.reply_to_message.from_user.id == context.bot.id)
        if mention.lower() not in text.lower() and not replying:
            return  # group chatter is not for the bot
        text = re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE)
    await _answer(update, context, text)


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    if not await _admitted(update, context):
        return
    state = _state(context)
    if update.effective_chat:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    try:
        answer: Answer = await asyncio.to_thread(state.service.ask, question)
    except QcdcError as exc:
        await _reply(update, escape(exc.for_user()))
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
    answers: dict[str, Answer] = context.chat_data.setdefault("answers", {})
    answer_id = hashlib.sha1(f"{time.time_ns()}{answer.question}".encode()).hexdigest()[:8]
    answers[answer_id] = answer
    context.chat_data["last"] = answer_id
    while len(answers) > KEPT_ANSWERS:
        answers.pop(next(iter(answers)))
    return answer_id


async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A source button under an answer: the full passage and its document."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if update.effective_message is None:
        return  # a button on an inline message: there is no chat to answer in
    if not await _admitted(update, context):
        return
    fields = parse_callback(query.data, "src")
    answer = context.chat_data.get("answers", {}).get(fields[0]) if fields else None
    if answer is None or fields is None or not 1 <= int(fields[1]) <= len(answer.sources):
        await _reply(update, "Câu trả lời này đã cũ; hãy hỏi lại để xem nguồn.")
        return
    await _reply(update, source_html(answer.sources[int(fields[1]) - 1]))


async def source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/nguon <n>: source n of the last answer."""
    if not await _admitted(update, context):
        return
    answer = context.chat_data.get("answers", {}).get(context.chat_data.get("last", ""))
    arg = (context.args or [""])[0]
    if answer is None:
        await _reply(update, "Chưa có câu trả lời nào trong cuộc trò chuyện này.")
    elif not arg.isdigit() or not 1 <= int(arg) <= len(answer.sources):
        await _reply(update, f"Hãy gõ /nguon và một số từ 1 đến {len(answer.sources)}.")
    else:
        await _reply(update, source_html(answer.sources[int(arg) - 1]))


def _directive_key(directive_id: str) -> str:
    return hashlib.sha1(directive_id.encode()).hexdigest()[:12]


async def directive_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/vb <số hiệu>: a directive's card, or buttons for the candidates."""
    if not await _gate(update, context):
        return
    query = " ".join(context.args or [])
    if not query.strip():
        await _reply(update, "Hãy gõ số hiệu sau lệnh, ví dụ: /vb 120-KL/TW hoặc /vb kl 120.")
        return
    state = _state(context)
    if not await _within_limit(update, state):
        return
    try:
        result = await asyncio.to_thread(state.service.lookup, query)
    except QcdcError as exc:
        await _reply(update, escape(exc.for_user()))
        return
    state.directives_asked.update(d.ref for d in result.directives)
    markup = None
    if result.candidates:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(f"{d.type or 'Văn bản'} {d.ref} ({d.date or d.locality or '?'})"[:60],
                                   callback_data=f"vb:{_directive_key(d.id)}")] for d in result.candidates]
        )
    await _reply(update, lookup_html(result), reply_markup=markup)


async def directive_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A candidate button from /vb: that directive's card."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if update.effective_message is None:
        return  # a button on an inline message: there is no chat to answer in
    if not await _admitted(update, context):
        return
    fields = parse_callback(query.data, "vb")
    registry = _state(context).service.registry
    match = next((d for d in registry.directives if fields and _directive_key(d.id) == fields[0]), None)
    if match is None:
        await _reply(update, "Không còn tìm thấy văn bản này; hãy tra lại bằng /vb.")
        return
    await _reply(update, directive_html(match))


async def brief_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/baigiang <chủ đề hoặc số hiệu>: a short summary and the lecture outline as a Word file."""
    if not await _gate(update, context):
        return
    topic = " ".join(context.args or [])
    if not topic.strip():
        await _reply(update, "Hãy gõ chủ đề hoặc số hiệu sau lệnh, ví dụ: /baigiang 120-KL/TW hoặc /baigiang Năm dân vận chính quyền.")
        return
    state = _state(context)
    if not await _within_limit(update, state):
        return
    if update.effective_chat:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)
    try:
        brief = await asyncio.to_thread(BriefBuilder(state.service).build, topic, 5)
    except QcdcError as exc:
        await _reply(update, escape(exc.for_user()))
        return
    document = io.BytesIO()
    await asyncio.to_thread(render_docx, brief, document)
    document.seek(0)
    quotes = sum(len(q) for _, q in brief.by_document) + len(brief.figures) + len(brief.limitations) + len(brief.tasks)
    await _reply(
        update,
        f"<b>Đề cương bài giảng: {escape(brief.title)}</b>\n"
        f"{quotes} trích dẫn nguyên văn từ {len(brief.sources)} đoạn tài liệu, {len(brief.quiz)} câu hỏi ôn tập. "
        "Tệp Word ở dưới.",
    )
    filename = re.sub(r"[^\w-]+", "-", fold(brief.title)).strip("-")[:60] + ".docx"
    if update.effective_message is not None:
        await update.effective_message.reply_document(document=document, filename=filename)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/thongke (admins): questions answered and not, top directives, index size."""
    state = _state(context)
    if not state.is_admin(update.effective_user.id if update.effective_user else None):
        await _reply(update, "Lệnh này chỉ dành cho quản trị viên.")
        return
    top = ", ".join(f"{escape(ref)} ({n})" for ref, n in state.directives_asked.most_common(5)) or "chưa có"
    index = state.service.index
    await _reply(
        update,
        f"<b>Thống kê</b>\nĐã trả lời: {state.answered}\nKhông có thông tin: {state.unanswered}\n"
        f"Văn bản được hỏi nhiều nhất: {top}\n"
        f"Chỉ mục: {index.count()} đoạn, {len(state.service.registry.directives)} văn bản",
    )


async def update_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/capnhat (admins): re-ingest the corpus; questions keep being answered meanwhile."""
    state = _state(context)
    if not state.is_admin(update.effective_user.id if update.effective_user else None):
        await _reply(update, "Lệnh này chỉ dành cho quản trị viên.")
        return
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
    failures = f"; {len(report.failures)} tệp lỗi" if report.failures else ""
    await _reply(
        update,
        escape(
            f"Đã cập nhật: {report.new} tài liệu mới, {report.changed} thay đổi, {report.removed} bị xóa; "
            f"{report.chunks_total} đoạn, {report.directives} văn bản{failures}."
        ),
    )


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (without the token) and apologise to the user."""
    log.error("update failed: %s", context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(APOLOGY)
        except Exception:  # the apology itself failed (network); the log has it
            log.warning("could not apologise for a failed update")


async def post_init(application: Application) -> None:
    """Register the command menu shown in Telegram clients."""
    await application.bot.set_my_commands(
        [
            BotCommand("hoi", "Đặt câu hỏi"),
            BotCommand("vb", "Tra cứu văn bản theo số hiệu"),
            BotCommand("nguon", "Xem nguồn của câu trả lời gần nhất"),
            BotCommand("baigiang", "Đề cương bài giảng (tệp Word) theo chủ đề hoặc số hiệu"),
            BotCommand("help", "Hướng dẫn"),
        ]
    )


def build_application(settings: Settings, service: QAService, db: Path | None = None) -> Application:
    """The Application with every handler; `service` answers the questions."""
    token = check_token(settings)
    application = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .build()
    )
    application.bot_data["state"] = BotState(service=service, settings=settings, db=db)
    # Questions run concurrently (block=False): one slow answer does not hold the others.
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("hoi", ask_command, block=False))
    application.add_handler(CommandHandler("vb", directive_command, block=False))
    application.add_handler(CommandHandler("nguon", source_command))
    application.add_handler(CommandHandler("baigiang", brief_command, block=False))
    application.add_handler(CommandHandler("thongke", stats_command))
    application.add_handler(CommandHandler("capnhat", update_command, block=False))
    application.add_handler(CallbackQueryHandler(source_button, pattern=r"^src:", block=False))
    application.add_handler(CallbackQueryHandler(directive_button, pattern=r"^vb:", block=False))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, text_message, block=False))
    application.add_error_handler(error_handler)
    return application


def run(settings: Settings, db: Path | None, webhook_url: str | None, listen: str, port: int) -> None:
    """Run until interrupted: long polling, or a webhook when `webhook_url` is given."""
    token = check_token(settings)
    options = webhook_options(settings, webhook_url, listen, port) if webhook_url else None  # refuse before loading
    quiet_logs(token)
    service = QAService(settings, db)
    application = build_application(settings, service, db)
    # PTB runs on the event loop that is current, so the wait shares it.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(wait_for_bot_api(application))
        if options:
            application.run_webhook(**options, bootstrap_retries=-1)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    except KeyboardInterrupt:
        return
    except InvalidToken as exc:
        raise SettingsError(
            f"Telegram rejected the token: {exc}",
            user_message="Telegram không chấp nhận TELEGRAM_BOT_TOKEN; hãy kiểm tra lại với @BotFather.",
        ) from exc
