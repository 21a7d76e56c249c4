"""Zalo's plain text (it has no markup a bot can rely on) for answers, sources, cards, outlines
and the bot's own words, and splitting into messages of at most 2,000 characters.

Answers are `render.text.answer_text` (the reading order of `render.text.blocks`) with the sources as
`wording.source_line` writes them, links included. A long reply is cut between paragraphs,
else between lines (a list's items), else between sentences, else between words, and never
inside a citation mark ("[3]", "[1]–[7]", "[2, Điều 5]"); nothing is dropped.
"""

from __future__ import annotations

import re

from bot import wording
from bot.answering.answer import Answer, Source
from bot.answering.lookup import Resolution
from bot.channels.zalo.client import MAX_TEXT
from bot.operations.reports import Report
from bot.outlines.outline import Outline
from bot.render.outline import outline_blocks, summary_lines
from bot.render.text import answer_text, numbers, render_lookup, source_groups
from bot.wording import (  # noqa: F401  (shared by every channel)
    APOLOGY,
    ASK_USAGE,
    COMMENT_THANKS,
    GAP_NOTICE,
    JOURNAL_CLOSED,
    LOOKUP_USAGE,
    NO_ANSWER_YET,
    NO_JOURNAL,
    NOT_ADMIN,
    REFUSAL,
    UPDATE_STARTED,
    UPDATING,
    outline_progress,
    rate_limited,
    source_usage,
    update_failed,
)

MARK = re.compile(r"\[\d+(?:, [^\[\]\n]{1,40})?\](?:(?:–|, )\[\d+(?:, [^\[\]\n]{1,40})?\])*")
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+")

GREETING = (
    "Xin chào! Tôi là Trợ lý QCDC: tôi trả lời câu hỏi về Quy chế dân chủ ở cơ sở và công tác dân vận "
    "từ các tài liệu trong kho, kèm nguồn trích dẫn. Gõ câu hỏi, hoặc /help để xem các lệnh."
)
HELP = (  # the Zalo part of HUONG_DAN.md, in short: change both together
    "Hướng dẫn sử dụng Trợ lý QCDC trên Zalo\n\n"
    "Gõ câu hỏi (có dấu hay không dấu, viết tắt QCDC, MTTQ, KL120 đều được). Hỏi tiếp: “còn Bắc Ninh thì sao?”, "
    "“nói rõ hơn ý (2)”.\n\n"
    "Lệnh:\n"
    "• /vb <số hiệu>: thẻ văn bản, ví dụ /vb 120-KL/TW, /vb kl 120.\n"
    "• /nguon <số>: toàn văn nguồn số đó của câu trả lời gần nhất.\n"
    "• /tailieu: kho có những tài liệu nào.\n"
    "• /baigiang <chủ đề hoặc số hiệu>: đề cương bài giảng (gửi thành các tin nhắn văn bản).\n\n"
    "Góp ý cho câu trả lời gần nhất: gửi 👍 (dùng được), 👎 (chưa đúng) hoặc /gopy <vài dòng góp ý>.\n\n"
    "Bot chỉ trích nguyên văn tài liệu trong kho; câu hỏi chưa có câu trả lời được ghi lại (không kèm tên "
    "người hỏi) để quản trị viên bổ sung tài liệu."
)
ADMIN_HELP = (
    "Quản trị: /thongke (thống kê), /phanhoi (👎 gần nhất), /thieu (kho còn thiếu gì), /capnhat (cập nhật chỉ mục)."
)
ANSWER_HINT = "Gõ /nguon <số> để xem toàn văn một nguồn; góp ý: gửi 👍, 👎 hoặc /gopy <ý kiến>."
RATED = {
    1: "Cảm ơn đồng chí đã góp ý 👍.",
    -1: "Cảm ơn đồng chí; có thể gửi thêm /gopy <vài dòng> để nói rõ chỗ chưa đúng.",
}
COMMENT_USAGE = "Hãy gõ góp ý sau lệnh, ví dụ: /gopy Câu trả lời thiếu Điều 5."
BRIEF_USAGE = "Hãy gõ chủ đề hoặc số hiệu sau lệnh, ví dụ: /baigiang 120-KL/TW hoặc /baigiang Năm dân vận chính quyền."
UNKNOWN_COMMAND = "Không có lệnh này; gõ /help để xem các lệnh."


def answer_message(answer: Answer, gap_notice: bool = False) -> str:
    """The answer (the answer itself first, quotations with [n]), the sources with their links, the hint."""
    parts = [answer_text(answer)]
    if answer.sources:
        listed = "\n".join(f"{numbers(g)} {wording.source_line(g[0])}" for g in source_groups(answer.sources))
        more = f"\n{wording.related(answer.related)}" if answer.related else ""
        parts.append(f"{wording.SOURCES}:\n{listed}{more}")
        parts.append(ANSWER_HINT)
    if gap_notice:
        parts.append(GAP_NOTICE)
    return "\n\n".join(p for p in parts if p.strip())


def source_message(source: Source) -> str:
    """One source in full: where it is from (with its link), then the whole passage."""
    return f"[{source.n}] {wording.source_line(source)}\n\n{' '.join(source.text.split())}"


def lookup_message(result: Resolution) -> str:
    return render_lookup(result)


def report_message(report: Report) -> str:
    return report.text()


def update_message(new: int, changed: int, removed: int, chunks: int, directives: int, failures: int) -> str:
    return wording.updated(new, changed, removed, chunks, directives, failures)


def outline_message(outline: Outline) -> str:
    """An outline as plain text (Zalo's bots cannot send a Word file): its summary, then every part."""
    lines = [f"Đề cương bài giảng: {outline.title}", *(f"• {line}" for line in summary_lines(outline)), ""]
    for b in outline_blocks(outline):
        head = f"{b.label} " if b.label else ""
        tail = f" {b.mark}" if b.mark else ""
        if b.kind in ("part", "section", "point", "subpart", "title", "question"):
            lines += ["", f"{head}{b.text.upper() if b.kind in ('part', 'title') else b.text}{tail}"]
        elif b.kind in ("quote", "answer"):
            lines.append(f"  “{b.text}”{tail}" if b.kind == "quote" else f"  {b.text}{tail}")
        else:
            lines.append(f"{head or ('– ' if b.kind == 'line' else '')}{b.text}{tail}")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- splitting --------------------------------------------------------------------------


def split_message(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Messages of at most `limit` characters, cut at the largest boundary that fits."""
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        pieces += [paragraph] if len(paragraph) <= limit else _split_lines(paragraph, limit)
    return [p for p in _pack(pieces, "\n\n", limit) if p.strip()]


def _split_lines(paragraph: str, limit: int) -> list[str]:
    lines: list[str] = []
    for line in paragraph.split("\n"):
        lines += [line] if len(line) <= limit else _split_at(line, limit, _sentence_cuts(line))
    return _pack(lines, "\n", limit)


def _marks(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in MARK.finditer(text)]


def _outside(position: int, marks: list[tuple[int, int]]) -> bool:
    return not any(start < position < end for start, end in marks)


def _sentence_cuts(line: str) -> list[int]:
    marks = _marks(line)
    return [m.start() for m in _SENTENCE_END.finditer(line) if _outside(m.start(), marks)]


def _split_at(line: str, limit: int, cuts: list[int]) -> list[str]:
    """`line` cut at the last of `cuts` that fits, else at the last space outside a mark, else hard."""
    out: list[str] = []
    offset = 0
    while len(line) - offset > limit:
        end = offset + limit
        fits = [c for c in cuts if offset < c <= end]
        if fits:
            cut = fits[-1]
        else:
            marks = _marks(line)
            spaces = [i for i in range(end, offset, -1) if line[i].isspace() and _outside(i, marks)]
            cut = spaces[0] if spaces else _hard_cut(line, offset, end, marks)
        out.append(line[offset:cut].rstrip())
        offset = cut
        while offset < len(line) and line[offset].isspace():
            offset += 1
    out.append(line[offset:])
    return [piece for piece in out if piece]


def _hard_cut(line: str, offset: int, end: int, marks: list[tuple[int, int]]) -> int:
    """One word longer than a message (a very long link): cut it, before a mark it would split."""
    for start, stop in marks:
        if start < end < stop and start > offset:
            return start
    return end


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    """Join consecutive pieces with `separator` while they fit in `limit`."""
    parts: list[str] = []
    current: str | None = None
    for piece in pieces:
        candidate = piece if current is None else f"{current}{separator}{piece}"
        if len(candidate) <= limit:
            current = candidate
        else:
            if current is not None:
                parts.append(current)
            current = piece
    if current is not None:
        parts.append(current)
    return parts
