"""Feedback on answers in Telegram: 👍 / 👎 under each answer, and after a 👎 "Góp ý thêm",
which asks for a comment as a reply (Telegram's ForceReply opens the reply box).

A comment is recognised by what it replies to: the bot's prompt, whose message id the
chat keeps (persisted) with the answer it is about. So a reply days later, or after a
restart, still lands on the right answer; any other message stays a question.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import ForceReply, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes, filters

from bot import wording
from bot.channels.telegram.access import ids, parse_callback
from bot.channels.telegram.formatting import COMMENT_PROMPT, rated_keyboard
from bot.channels.telegram.handlers import chat_store, core_of, reply, within_limit
from bot.channels.telegram.state import prepare_chat

log = logging.getLogger(__name__)

KEPT_PROMPTS = 20  # per chat: prompts a reply may still answer
PROMPT_GONE = "Lời nhắc góp ý này đã cũ; hãy bấm lại 👎."
PROMPT_WAIT, PROMPT_WAIT_STEPS = 2.0, 40  # seconds a reply waits for its prompt to be kept, in steps


class _ReplyToPrompt(filters.MessageFilter):
    """Text replying to the bot's "Góp ý thêm" prompt."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(
            message.text
            and replied is not None
            and replied.from_user is not None
            and replied.from_user.is_bot
            and (replied.text or "").startswith(COMMENT_PROMPT)
        )


REPLY_TO_PROMPT = _ReplyToPrompt()


async def feedback_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍, 👎 or "Góp ý thêm" under an answer: on the answer the button names, whatever came since."""
    core = core_of(context)
    query, message = update.callback_query, update.effective_message
    chat, user = ids(update)
    if query is None or message is None or chat is None or not await within_limit(update, core):
        return
    fields = parse_callback(query.data, "fb")
    if fields is None:
        await reply(update, wording.BUTTON_GONE)
        return
    answer_id, action = fields
    if not core.records_feedback:
        await reply(update, wording.NO_JOURNAL)
        return
    if action == "note":
        prompt = await message.reply_text(COMMENT_PROMPT, reply_markup=ForceReply(input_field_placeholder="Góp ý…"))
        prompts: dict[int, str] = chat_store(context).setdefault("comment_prompts", {})
        prompts[prompt.message_id] = answer_id
        while len(prompts) > KEPT_PROMPTS:
            prompts.pop(next(iter(prompts)))
        return
    if isinstance(context.chat_data, dict):
        prepare_chat(context.chat_data, core.settings)  # the worker thread then only reads it
    if not await asyncio.to_thread(core.rate, chat, user, 1 if action == "up" else -1, answer_id):
        await reply(update, wording.NO_JOURNAL)  # a full disk: say so rather than show a ✓ that was not kept
        return
    try:
        await query.edit_message_reply_markup(rated_keyboard(message.reply_markup, answer_id, action))
    except BadRequest as exc:  # "message is not modified" (pressed twice), or a message too old to edit
        log.info("feedback keyboard not updated: %s", exc)


async def _prompted_for(context: ContextTypes.DEFAULT_TYPE, prompt: Message) -> str | None:
    """The answer a "Góp ý thêm" prompt was offered for. The button's handler runs beside others
    (block=False) and keeps the prompt only once Telegram has sent it: a reply that comes in before
    that handler resumes waits for it, up to PROMPT_WAIT seconds, rather than being told it is stale."""
    for _ in range(PROMPT_WAIT_STEPS):
        answer_id = chat_store(context).get("comment_prompts", {}).get(prompt.message_id)
        if answer_id is not None or prompt.text != COMMENT_PROMPT:
            return answer_id
        await asyncio.sleep(PROMPT_WAIT / PROMPT_WAIT_STEPS)
    return chat_store(context).get("comment_prompts", {}).get(prompt.message_id)


async def comment_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to the "Góp ý thêm" prompt: the comment on the answer it was offered for."""
    core = core_of(context)
    message = update.effective_message
    chat, user = ids(update)
    if message is None or message.reply_to_message is None or not message.text or chat is None:
        return
    if not await within_limit(update, core):
        return
    answer_id = await _prompted_for(context, message.reply_to_message)
    if not core.records_feedback or answer_id is None:
        await reply(update, PROMPT_GONE if core.records_feedback else wording.NO_JOURNAL)
        return
    if isinstance(context.chat_data, dict):
        prepare_chat(context.chat_data, core.settings)
    saved = await asyncio.to_thread(core.comment, chat, user, message.text, answer_id)
    await reply(update, wording.COMMENT_THANKS if saved else wording.NO_JOURNAL)
