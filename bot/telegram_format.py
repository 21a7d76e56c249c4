"""Telegram HTML for answers, sources and directive cards.

Every piece of corpus or user text goes through `escape`, so "<script>",
"&" or an unclosed "<b>" arrive as text and never break parse mode. Messages
longer than Telegram's 4,096 characters are split between paragraphs; each
paragraph closes its own tags, so every part is valid HTML on its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import wording
from bot.answer import Answer, Source
from bot.lookup import (
    Resolution,
    article_citation,
    article_text,
    card_facts,
    directive_title,
    relation_lines,
    telling_apart,
)
from bot.render import blocks, numbers, opens_paragraph, source_groups, source_line
from ingest.registry import Directive

MAX_MESSAGE = 4096

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
    "• /tailieu: kho có những tài liệu nào.\n"
    "• Hỏi tiếp được: “còn Bắc Ninh thì sao?”, “nói rõ hơn ý (2)”, “văn bản đó có hiệu lực từ khi nào?” "
    "(bot nhớ vài câu gần nhất của cuộc trò chuyện).\n"
    "• /baigiang &lt;chủ đề, số hiệu hoặc luật [chương II]&gt;: đề cương bài giảng (mục đích, nội dung, câu hỏi ôn tập, tài liệu tham khảo) có trích dẫn nguyên văn, gửi dưới dạng tệp Word.\n"
    "Câu trả lời chỉ trích nguyên văn tài liệu trong kho; khi kho không có thông tin, bot nói rõ."
)
REFUSAL = "Xin lỗi, bot này chỉ phục vụ cán bộ của đơn vị đã được cấp quyền. Hãy liên hệ quản trị viên."
APOLOGY = "Xin lỗi, đã có lỗi khi xử lý yêu cầu của bạn. Hãy thử lại sau ít phút."
NOT_ADMIN = "Lệnh này chỉ dành cho quản trị viên."

_TAG = re.compile(r"</?(?:b|i|blockquote|a)(?:\s[^>]*)?>")


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def answer_html(answer: Answer) -> str:
    """The answer (the answer itself in bold first, cards, quotes with [n]) and the sources it cites."""
    paragraphs: list[list[str]] = []
    previous = ""
    for b in blocks(answer):
        if not paragraphs or opens_paragraph(b.kind, previous):
            paragraphs.append([])
        text = escape(b.text)
        if b.kind == "short":
            text = f"<b>{wording.SHORT_ANSWER}: {text}</b> [{b.n}]"
        elif b.kind == "card":
            text = f"<b>{wording.CARD}:</b> {text}."
        elif b.kind in ("relation", "candidate"):
            text = f"  – {text}"
        elif b.kind in ("according", "suggestion", "list"):
            text = f"<i>{text}</i>"
        elif b.kind == "quote":
            text = f"• {text} [{b.n}]"
        paragraphs[-1].append(text)
        previous = b.kind
    parts = ["\n".join(p) for p in paragraphs]
    if answer.sources:
        listed = "\n".join(f"{numbers(g)} {escape(_short_source(g[0]))}" for g in source_groups(answer.sources))
        more = f"\n<i>{escape(wording.related(answer.related))}</i>" if answer.related else ""
        parts.append(f"<b>{wording.SOURCES}:</b>\n{listed}{more}")
    return "\n\n".join(parts)


def _short_source(source: Source) -> str:
    if source.legal:
        return source.legal.citation()
    by = f" — {source.facts.author}" if source.facts.author else ""
    return f"{source.facts.title}{by}"


def source_html(source: Source) -> str:
    """One source in full: title, author, where to find it, the passage."""
    title = source.legal.citation() if source.legal else source.facts.title
    head = f"<b>[{source.n}] {escape(title)}</b>"
    _, _, details = source_line(source).partition(" — ")  # what follows the title
    details = escape(details)
    link = ""
    if source.facts.url:
        link = f'\n<a href="{html.escape(source.facts.url, quote=True)}">{escape(source.facts.url)}</a>'
    return f"{head}\n{details}{link}\n\n<blockquote>{escape(' '.join(source.text.split()))}</blockquote>"


def directive_html(d: Directive) -> str:
    """A directive's card, with the sentences that cite it."""
    lines = [f"<b>{escape(directive_title(d))}</b>"]
    lines += [f"{label}: {escape(value)}" for label, value in card_facts(d)]
    if d.url:
        lines.append(f'<a href="{html.escape(d.url, quote=True)}">{escape(d.url)}</a>')
    relations = relation_lines(d)
    if relations:
        lines.append("Liên quan: " + escape("; ".join(relations)))
    parts = ["\n".join(lines)]
    for m in d.mentions:
        parts.append(f"<i>{escape(m.title)}</i>\n<blockquote>{escape(m.sentence)}</blockquote>")
    return "\n\n".join(parts)


def lookup_html(result: Resolution) -> str:
    if result.missing_article:
        return escape(result.article_message())
    if result.article is not None and result.found:
        return f"<b>{escape(article_citation(result) or '')}</b>\n\n{escape(article_text(result))}"
    if result.found:
        return directive_html(result.directives[0])
    if result.candidates:
        items = "\n".join(f"• {escape(telling_apart(d))}" for d in result.candidates)
        return f"“{escape(result.query)}” ứng với {len(result.candidates)} văn bản; chọn một:\n{items}"
    return f"Kho tài liệu hiện có không có văn bản nào ứng với “{escape(result.query)}”."


def rate_limited(per_minute: int, wait: int) -> str:
    return f"Bạn đã hỏi {per_minute} câu trong một phút. Hãy thử lại sau {wait} giây."


def candidate_keyboard(result: Resolution, key: Callable[[Directive], str]) -> InlineKeyboardMarkup | None:
    """One button per candidate of an ambiguous lookup; `key` names it in the callback data."""
    if not result.candidates:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{d.type or 'Văn bản'} {d.ref} ({d.date or d.locality or '?'})"[:60], callback_data=f"vb:{key(d)}"
                )
            ]
            for d in result.candidates
        ]
    )


def stats_html(answered: int, unanswered: int, top: list[tuple[str, int]], chunks: int, directives: int) -> str:
    listed = ", ".join(f"{escape(ref)} ({n})" for ref, n in top) or "chưa có"
    return (
        f"<b>Thống kê</b>\nĐã trả lời: {answered}\nKhông có thông tin: {unanswered}\n"
        f"Văn bản được hỏi nhiều nhất: {listed}\n"
        f"Chỉ mục: {chunks} đoạn, {directives} văn bản"
    )


def update_report_html(new: int, changed: int, removed: int, chunks: int, directives: int, failures: int) -> str:
    failed = f"; {failures} tệp lỗi" if failures else ""
    return escape(
        f"Đã cập nhật: {new} tài liệu mới, {changed} thay đổi, {removed} bị xóa; "
        f"{chunks} đoạn, {directives} văn bản{failed}."
    )


BRIEF_USAGE = (
    "Hãy gõ chủ đề, số hiệu hoặc tên luật sau lệnh, ví dụ: /baigiang 120-KL/TW, "
    "/baigiang Luật 10/2022/QH15 chương II hoặc /baigiang Năm dân vận chính quyền."
)


def brief_progress_html(topic: str) -> str:
    return f"⏳ Đang lập đề cương “{escape(topic)}”: tìm tài liệu, chọn trích dẫn, soạn câu hỏi…"


def brief_html(title: str, summary: list[str]) -> str:
    lines = [f"<b>Đề cương bài giảng: {escape(title)}</b>", *(f"• {escape(line)}" for line in summary)]
    return "\n".join(lines + ["Tệp Word (Times New Roman 14, A4, lề theo Nghị định 30/2020/NĐ-CP) ở dưới."])


def source_keyboard(answer: Answer, answer_id: str) -> InlineKeyboardMarkup | None:
    """One button per source; callback data stays far under Telegram's 64 bytes."""
    if not answer.sources:
        return None
    buttons = [InlineKeyboardButton(f"📄 Nguồn {s.n}", callback_data=f"src:{answer_id}:{s.n}") for s in answer.sources]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Parts of at most `limit` characters, cut between paragraphs, else between lines."""
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        pieces += [paragraph] if len(paragraph) <= limit else _split_lines(paragraph, limit)
    return _pack(pieces, "\n\n", limit)


def _split_lines(paragraph: str, limit: int) -> list[str]:
    lines: list[str] = []
    for line in paragraph.split("\n"):
        if len(line) > limit:  # one enormous line: drop its markup, then cut between words
            line = _TAG.sub("", line)
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            entity = line.rfind("&", 0, cut)
            if entity != -1 and ";" not in line[entity:cut]:
                cut = entity  # never split "&amp;"
            lines.append(line[:cut])
            line = line[cut:].lstrip()
        lines.append(line)
    return _pack(lines, "\n", limit)


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    """Join consecutive pieces with `separator` while they fit in `limit`."""
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts
