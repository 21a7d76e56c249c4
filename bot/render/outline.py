"""A lecture outline in reading order (`outline_blocks`), as Markdown and HTML, and the
short summary Telegram sends with the Word file. `bot.render.outline_docx` walks the same blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from bot.outlines.outline import FILL, Outline, Quote
from bot.outlines.quiz import letter
from bot.render.text import md_escape as _md

HEADING = "ĐỀ CƯƠNG BÀI GIẢNG"
NOTICE = (
    "Đề cương do Trợ lý QCDC lập từ kho tài liệu: mọi trích dẫn là nguyên văn, kèm số tài liệu tham khảo; "
    f"giảng viên rà soát và điền những chỗ đánh dấu {FILL}."
)
INTRO_NOTICE = "Phần giới thiệu do mô hình ngôn ngữ viết và đã được đối chiếu với các trích dẫn:"


@dataclass(frozen=True)
class Block:
    """One element of an outline. `kind`: title, subtitle, notice, note, part, section, group, point,
    line, intro, quote, question, choice, answer, quiz_note, subpart, discussion, reference.
    `label`: its number ("II.", "2.", "2.1.", "Câu 1.", "A."); `mark`: a quote's citation ("[1, Điều 5]")."""

    kind: str
    text: str
    label: str = ""
    mark: str = ""


def mark(n: int, where: str | None) -> str:
    return f"[{n}, {where}]" if where else f"[{n}]"


def outline_blocks(outline: Outline) -> list[Block]:
    out = [Block("title", HEADING), Block("subtitle", outline.title), Block("notice", NOTICE)]
    out += [Block("note", note) for note in outline.notes]
    out.append(Block("part", "MỤC ĐÍCH, YÊU CẦU", "I."))
    out += [Block("line", line, f"{i}.") for i, line in enumerate(outline.purpose, 1)]
    out.append(Block("part", "NỘI DUNG", "II."))
    if outline.intro:
        out += [Block("notice", INTRO_NOTICE), Block("intro", outline.intro)]
    for i, section in enumerate(outline.sections, 1):
        out.append(Block("section", section.heading, f"{i}."))
        out += [Block("line", line) for line in section.lines]
        for j, point in enumerate(section.points, 1):
            if point.group:
                out.append(Block("group", point.group))
            out.append(Block("point", point.heading, f"{i}.{j}."))
            out += [_quote(q) for q in point.quotes]
            out += [Block("line", line) for line in point.lines]
    if outline.quiz or outline.quiz_note or outline.discussion:
        out.append(Block("part", "CÂU HỎI ÔN TẬP, THẢO LUẬN", "III."))
    if outline.quiz or outline.quiz_note:
        out.append(Block("subpart", "Câu hỏi ôn tập"))
        for i, item in enumerate(outline.quiz, 1):
            out.append(Block("question", item.question, f"Câu {i}."))
            out += [Block("choice", choice, f"{letter(k)}.") for k, choice in enumerate(item.choices)]
            if item.kind == "list":  # the items, one per line, as the text lists them
                out.append(Block("answer", "Đáp án:", mark=mark(item.n, item.where)))
                out += [Block("choice", part, "–") for part in item.evidence]
                continue
            answer = item.answer
            if item.choices:
                answer = f"{letter(item.choices.index(item.answer))}. {answer}"
            out.append(Block("answer", f"Đáp án: {answer}", mark=mark(item.n, item.where)))
        if outline.quiz_note:
            out.append(Block("quiz_note", outline.quiz_note))
    if outline.discussion:
        out.append(Block("subpart", "Câu hỏi thảo luận"))
        out += [Block("discussion", q, f"{i}.") for i, q in enumerate(outline.discussion, 1)]
    if outline.references:
        out.append(Block("part", "TÀI LIỆU THAM KHẢO"))
        out += [Block("reference", r.line, f"{r.n}.") for r in outline.references]
    return out


def _quote(q: Quote) -> Block:
    return Block("quote", q.text, mark=mark(q.n, q.where))


def render_markdown(outline: Outline) -> str:
    out: list[str] = []
    for b in outline_blocks(outline):
        text = _md(b.text)
        if b.kind == "title":
            out += [f"# {text}", ""]
        elif b.kind == "subtitle":
            out += [f"**{text.upper()}**", ""]
        elif b.kind in ("notice", "quiz_note"):
            out += [f"*{text}*", ""]
        elif b.kind == "note":
            out += [f"**Lưu ý:** {text}", ""]
        elif b.kind == "part":
            out += ["", f"## {b.label} {text}".replace("##  ", "## "), ""]
        elif b.kind == "subpart":
            out += [f"### {text}", ""]
        elif b.kind == "section":
            out += ["", f"### {b.label} {text}", ""]
        elif b.kind == "point":
            out += ["", f"#### {b.label} {text}", ""]
        elif b.kind == "group":
            out += [f"**{text}**", ""]
        elif b.kind == "line":
            out.append(f"{b.label} {text}" if b.label else f"- {text}")
        elif b.kind in ("quote", "answer"):
            prefix = "> " if b.kind == "quote" else "   *"
            out += [""] if b.kind == "quote" and out and out[-1].startswith("- ") else []
            out += [f"{prefix}{text} {b.mark}" + ("*" if b.kind == "answer" else ""), ""]
        elif b.kind == "question":
            out += ["", f"**{b.label}** {text}", ""]
        elif b.kind == "choice":
            out.append(f"   {b.label} {text}")
        elif b.kind in ("discussion", "reference"):
            out.append(f"{b.label} {text}")
        else:
            out += [text, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def render_html(outline: Outline) -> str:
    """A standalone page (UTF-8, print-friendly) with the same structure."""
    body: list[str] = []
    for b in outline_blocks(outline):
        text, label = escape(b.text), escape(b.label)
        if b.kind == "title":
            body.append(f"<h1>{text}</h1>")
        elif b.kind == "subtitle":
            body.append(f'<p class="subtitle">{text}</p>')
        elif b.kind in ("notice", "quiz_note"):
            body.append(f'<p class="notice">{text}</p>')
        elif b.kind == "note":
            body.append(f'<p class="note"><b>Lưu ý:</b> {text}</p>')
        elif b.kind == "part":
            body.append(f"<h2>{label} {text}</h2>".replace("<h2> ", "<h2>"))
        elif b.kind == "subpart":
            body.append(f"<h3>{text}</h3>")
        elif b.kind == "section":
            body.append(f"<h3>{label} {text}</h3>")
        elif b.kind == "point":
            body.append(f"<h4>{label} {text}</h4>")
        elif b.kind == "group":
            body.append(f'<p class="group">{text}</p>')
        elif b.kind == "quote":
            body.append(f'<blockquote>{text} <span class="mark">{escape(b.mark)}</span></blockquote>')
        elif b.kind == "answer":
            body.append(f'<p class="answer">{text} <span class="mark">{escape(b.mark)}</span></p>')
        elif b.kind == "question":
            body.append(f"<p><b>{label}</b> {text}</p>")
        else:
            body.append(f"<p>{label + ' ' if label else ''}{text}</p>")
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(HEADING)}: {escape(outline.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


_CSS = (
    "body{font-family:'Times New Roman',serif;font-size:14pt;max-width:42em;margin:2em auto;line-height:1.4}"
    "h1,.subtitle{text-align:center}h1{font-size:16pt}.subtitle{font-weight:bold;text-transform:uppercase}"
    "h2{font-size:14pt}h3,h4{font-size:14pt}.notice{font-style:italic}"
    "blockquote{margin:0.3em 0 0.3em 2em}.mark{white-space:nowrap}.answer{margin-left:2em;font-style:italic}"
)


def summary_lines(outline: Outline) -> list[str]:
    """What the outline holds, in a few lines: its parts, counts, and what is missing."""
    lines = [f"Mục I (mục đích, yêu cầu): để giảng viên bổ sung {FILL}."]
    sections = "; ".join(s.heading for s in outline.sections[:8]) + ("; …" if len(outline.sections) > 8 else "")
    lines.append(
        f"Mục II (nội dung): {len(outline.sections)} phần — {sections}; {outline.quoted} trích dẫn nguyên văn."
    )
    asked = (
        f" (yêu cầu {outline.quiz_wanted})" if outline.quiz_wanted and len(outline.quiz) < outline.quiz_wanted else ""
    )
    lines.append(
        f"Mục III: {len(outline.quiz)} câu hỏi ôn tập có đáp án{asked}, {len(outline.discussion)} câu hỏi thảo luận."
    )
    lines.append(f"Tài liệu tham khảo: {len(outline.references)}.")
    return lines + outline.notes
