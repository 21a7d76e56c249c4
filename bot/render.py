"""Answers as terminal text."""

from __future__ import annotations

import datetime as dt
import textwrap

from bot.answer import Answer, Source


def source_line(source: Source) -> str:
    """Title, author, publisher, date and where to find it: only what the corpus states."""
    title = source.title + (" (tiêu đề do biên tập đặt)" if source.title_source == "editorial" else "")
    parts = [title]
    if source.author:
        parts.append(source.author + (f", {source.author_role}" if source.author_role else ""))
    if source.publisher:
        parts.append(source.publisher)
    if source.published:
        parts.append(f"đăng ngày {_vn_date(source.published)}")
    if source.url:
        parts.append(source.url)
    elif source.site:
        parts.append(f"trang {source.site} (không rõ địa chỉ bài viết)")
    else:
        parts.append("không rõ nơi đăng")
    return " — ".join(parts)


def _vn_date(iso: str) -> str:
    """2018-07-31 → 31/07/2018, the way Vietnamese documents write dates."""
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def render_text(answer: Answer, width: int = 100) -> str:
    lines = [answer.answer]
    if answer.sources:
        lines += ["", "Nguồn:"]
        for s in answer.sources:
            lines.append(f"[{s.n}] {source_line(s)}")
            body = " ".join(s.text.split())
            lines.append(textwrap.fill(body, width=width, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines)
