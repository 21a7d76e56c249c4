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
from bot.answering.answer import Answer, Source
from bot.answering.card import directive_card
from bot.answering.lookup import Resolution, article_citation, article_text
from bot.operations.reports import Report
from bot.render.text import blocks, numbers, opens_paragraph, source_groups
from bot.wording import APOLOGY, GAP_NOTICE, NOT_ADMIN, REFUSAL, rate_limited  # noqa: F401  (shared by every channel)
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
HELP = (  # the cadres' part of HUONG_DAN.md, in short: change both together
    "<b>Hướng dẫn sử dụng Trợ lý QCDC</b>\n\n"
    "<b>Hỏi gì</b>\n"
    "Quy chế dân chủ ở cơ sở, công tác dân vận, Luật Thực hiện dân chủ ở cơ sở và các văn bản trong kho. "
    "Gõ có dấu hay không dấu, viết tắt (QCDC, MTTQ, KL120, Luật THDCCS) đều được.\n"
    "• Trò chuyện riêng: gõ câu hỏi.\n"
    "• Trong nhóm: /hoi &lt;câu hỏi&gt;, nhắc tên bot, hoặc trả lời tin nhắn của bot.\n"
    "• Hỏi tiếp: “còn Bắc Ninh thì sao?”, “nói rõ hơn ý (2)”, “văn bản đó có hiệu lực từ khi nào?” "
    "(bot nhớ vài câu gần nhất của cuộc trò chuyện).\n\n"
    "<b>Lệnh</b>\n"
    "• /hoi &lt;câu hỏi&gt;: hỏi (trong nhóm).\n"
    "• /vb &lt;số hiệu&gt;: thẻ văn bản (ngày, cơ quan ban hành, trích yếu, nơi được nhắc đến); "
    "viết tắt được: /vb 120, /vb kl 120; một điều: /vb Điều 12 Luật THDCCS.\n"
    "• /nguon &lt;số&gt;: toàn văn nguồn số đó của câu trả lời gần nhất.\n"
    "• /tailieu: kho có những tài liệu nào.\n"
    "• /baigiang &lt;chủ đề, số hiệu hoặc luật [chương II]&gt;: đề cương bài giảng có trích dẫn nguyên văn "
    "và câu hỏi ôn tập, gửi dưới dạng tệp Word.\n\n"
    "<b>Nút dưới câu trả lời</b>\n"
    "• 📄 Nguồn n: toàn văn đoạn được trích.\n"
    "• 👍 / 👎: câu trả lời dùng được / chưa đúng; sau 👎, “✍️ Góp ý thêm” để viết vài dòng góp ý.\n\n"
    "<b>Ví dụ</b>\n"
    "• Ban thanh tra nhân dân ở xã có mấy người?\n"
    "• Kết luận 120-KL/TW yêu cầu gì?\n"
    "• Những hạn chế trong thực hiện QCDC ở cơ sở?\n\n"
    "<b>Bot không làm gì</b>\n"
    "Bot chỉ trích nguyên văn tài liệu trong kho, không suy đoán, không trả lời chuyện ngoài kho; khi kho "
    "không có thông tin, bot nói rõ. Câu hỏi chưa có câu trả lời được ghi lại (không kèm tên người hỏi) để "
    "quản trị viên bổ sung tài liệu. Hướng dẫn đầy đủ: tệp HUONG_DAN.md của đơn vị."
)
COMMENT_PROMPT = "✍️ Đồng chí hãy trả lời tin nhắn này bằng góp ý cho câu trả lời trên (vài dòng)."

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
    """A source in the answer's list: its title and author (a legal article: its citation)."""
    by = f" — {source.details.author}" if source.details.author else ""
    return f"{wording.source_title(source)}{by}"


def source_html(source: Source) -> str:
    """One source in full: title, author, where to find it, the passage."""
    head = f"<b>[{source.n}] {escape(wording.source_title(source))}</b>"
    details = escape(" — ".join(wording.source_details(source.details)))
    link = ""
    if url := source.details.url:
        link = f'\n<a href="{html.escape(url, quote=True)}">{escape(url)}</a>'
    return f"{head}\n{details}{link}\n\n<blockquote>{escape(' '.join(source.text.split()))}</blockquote>"


def directive_html(d: Directive) -> str:
    """A directive's card (`bot.answering.card`), with the sentences that cite it."""
    card = directive_card(d)
    lines = [f"<b>{escape(card.title)}</b>"]
    lines += [f"{escape(f.label)}: {escape(f.value)}" for f in card.facts]
    if card.url:
        lines.append(f'<a href="{html.escape(card.url, quote=True)}">{escape(card.url)}</a>')
    if card.relations:
        lines.append(f"{escape(wording.CARD_RELATED)}: " + escape("; ".join(r.text for r in card.relations)))
    parts = ["\n".join(lines)]
    for m in card.mentions:
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
        items = "\n".join(f"• {escape(directive_card(d).distinction)}" for d in result.candidates)
        return f"{wording.lookup_buttons(escape(result.query), len(result.candidates))}\n{items}"
    return wording.lookup_absent(escape(result.query))


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


def update_report_html(new: int, changed: int, removed: int, chunks: int, directives: int, failures: int) -> str:
    return escape(wording.updated(new, changed, removed, chunks, directives, failures))


BRIEF_USAGE = (
    "Hãy gõ chủ đề, số hiệu hoặc tên luật sau lệnh, ví dụ: /baigiang 120-KL/TW, "
    "/baigiang Luật 10/2022/QH15 chương II hoặc /baigiang Năm dân vận chính quyền."
)


def brief_progress_html(topic: str) -> str:
    return wording.outline_progress(escape(topic))


def brief_html(title: str, summary: list[str]) -> str:
    lines = [f"<b>Đề cương bài giảng: {escape(title)}</b>", *(f"• {escape(line)}" for line in summary)]
    return "\n".join(lines + ["Tệp Word (Times New Roman 14, A4, lề theo Nghị định 30/2020/NĐ-CP) ở dưới."])


FEEDBACK_LABELS = {"up": "👍", "down": "👎"}


def feedback_row(answer_id: str, rated: str | None = None) -> list[InlineKeyboardButton]:
    """👍 and 👎 (the one pressed marked ✓); after a 👎, "Góp ý thêm" for a comment."""
    row = [
        InlineKeyboardButton(label + (" ✓" if rated == key else ""), callback_data=f"fb:{answer_id}:{key}")
        for key, label in FEEDBACK_LABELS.items()
    ]
    if rated == "down":
        row.append(InlineKeyboardButton("✍️ Góp ý thêm", callback_data=f"fb:{answer_id}:note"))
    return row


def answer_keyboard(answer: Answer, answer_id: str) -> InlineKeyboardMarkup | None:
    """One button per source, three to a row, then 👍 / 👎; callback data stays far under 64 bytes.
    Replies that are not answers (small talk, the library listing) get none."""
    if answer.found is None:
        return None
    buttons = [InlineKeyboardButton(f"📄 Nguồn {s.n}", callback_data=f"src:{answer_id}:{s.n}") for s in answer.sources]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup([*rows, feedback_row(answer_id)])


def rated_keyboard(markup: InlineKeyboardMarkup | None, answer_id: str, rated: str) -> InlineKeyboardMarkup:
    """The answer's keyboard with its feedback row showing the rating given."""
    rows = [
        list(row)
        for row in (markup.inline_keyboard if markup else ())
        if not any(str(b.callback_data or "").startswith("fb:") for b in row)
    ]
    return InlineKeyboardMarkup([*rows, feedback_row(answer_id, rated)])


def report_html(report: Report) -> str:
    """An administrator's report (bot.operations.reports) in Telegram HTML."""
    lines = [f"<b>{escape(report.title)}</b>"]
    for heading, items in report.sections:
        lines += ["", f"<b>{escape(heading)}</b>", *(f"• {escape(item)}" for item in items)]
    if report.empty and not report.sections:
        lines += ["", escape(report.empty)]
    return "\n".join(lines)


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
