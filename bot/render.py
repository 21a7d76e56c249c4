"""Answers as terminal text."""

from __future__ import annotations

import textwrap

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
from ingest.facts import vn_date
from ingest.registry import Directive


def source_line(source: Source) -> str:
    """Title, author, publisher, date and where to find it: only what the corpus states.
    An article of a legal text is cited as people cite it, not by the Pháp điển's code."""
    if source.legal:
        return f"{source.legal.citation()} — Bộ Pháp điển, đề mục “{source.facts.title}”"
    title = source.facts.title + (" (tiêu đề do biên tập đặt)" if source.facts.title_source == "editorial" else "")
    parts = [title]
    if source.section:
        parts.append(source.section)
    if source.facts.author:
        parts.append(source.facts.author + (f", {source.facts.author_role}" if source.facts.author_role else ""))
    if source.facts.publisher:
        parts.append(source.facts.publisher)
    if source.facts.published:
        parts.append(f"đăng ngày {vn_date(source.facts.published)}")
    if source.facts.url:
        parts.append(source.facts.url)
    elif source.facts.site:
        parts.append(f"trang {source.facts.site} (không rõ địa chỉ bài viết)")
    else:
        parts.append("không rõ nơi đăng")
    return " — ".join(parts)


def render_text(answer: Answer, width: int = 100) -> str:
    lines = [answer.answer]
    if answer.sources:
        lines += ["", "Nguồn:"]
        for s in answer.sources:
            lines.append(f"[{s.n}] {source_line(s)}")
            body = " ".join(s.text.split())
            lines.append(textwrap.fill(body, width=width, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines)


def render_directive(d: Directive, width: int = 100) -> str:
    """A directive's card: its facts as the corpus states them, then who cites it."""
    lines = [directive_title(d)]
    lines += [f"  {label}: {value}" for label, value in card_facts(d)]
    if d.url:
        lines.append(f"  Địa chỉ: {d.url}")
    relations = relation_lines(d)
    if relations:
        lines.append("  Liên quan: " + "; ".join(relations))
    lines.append(f"  Được nhắc đến ({len(d.mentions)}):")
    for m in d.mentions:
        lines.append(f"  – {m.title} [{m.doc_id}]")
        lines.append(textwrap.fill(f"“{m.sentence}”", width=width, initial_indent="      ", subsequent_indent="      "))
    return "\n".join(lines)


def render_lookup(result: Resolution) -> str:
    if result.missing_article:
        return result.article_message()
    if result.article is not None and result.found:
        return f"{article_citation(result)}\n\n{article_text(result)}"
    if result.found:
        return render_directive(result.directives[0])
    if result.candidates:
        lines = [f"“{result.query}” ứng với {len(result.candidates)} văn bản trong kho; hãy ghi rõ hơn:"]
        lines += [f"  – {telling_apart(d)}" for d in result.candidates]
        return "\n".join(lines)
    return f"Kho tài liệu hiện có không có văn bản nào ứng với “{result.query}”."
