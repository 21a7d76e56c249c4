"""Answers as terminal text and Markdown; `blocks`, the reading order every renderer walks."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from bot import wording
from bot.answering.answer import Answer, Source
from bot.answering.card import DirectiveCard, directive_card
from bot.answering.lookup import Resolution, article_citation, article_text
from bot.sources import SourceKey


@dataclass(frozen=True)
class Block:
    """One line of an answer in reading order. `kind`: message, suggestion, short, card,
    relation, ambiguous, candidate, note, according, list, quote, generated."""

    kind: str
    text: str
    n: int | None = None  # the source number a quote or the short answer cites


def blocks(answer: Answer) -> list[Block]:
    """The answer in the order it is read: the answer first, then the documents named,
    what is missing, the quotations under whom they are from."""
    out: list[Block] = []
    if answer.suggestion:
        out.append(Block("suggestion", wording.did_you_mean(answer.suggestion)))
    if answer.message:
        out.append(Block("message", answer.message))
    out += [Block("short", s.line, s.source) for s in answer.first_lines]  # "Có: …" for a yes-no
    for card in answer.cards:
        if card.document is not None:
            out.append(Block("card", card.document.summary))
            out += [Block("relation", r.text) for r in card.document.relations]
        else:
            out.append(Block("ambiguous", wording.ambiguous(card.query, len(card.candidates))))
            out += [Block("candidate", c.distinction) for c in card.candidates]
    out += [Block("note", note) for note in answer.notes]
    if answer.generated:
        out.append(Block("generated", answer.generated))
        return out
    for group in answer.groups:
        out.append(Block("according", wording.according_to(group.source)))
        if group.listed:
            where = f"Điều {group.source.legal.article}" if group.source.legal else None
            out.append(Block("list", wording.list_lead(group.listed, group.label, group.total, where)))
        out += [Block("quote", q.text, q.source) for q in group.quotes]
    return out


def opens_paragraph(kind: str, previous: str) -> bool:
    """Whether a block starts a new paragraph: what comes after the answer itself, each
    document's quotations, the notes, the cards (one paragraph for all of them)."""
    if kind in ("card", "ambiguous"):
        return previous not in ("card", "relation", "ambiguous", "candidate")
    if kind == "note":
        return previous != "note"
    if kind == previous == "short":  # a compound question's first lines stand together, one per clause
        return False
    return kind in ("according", "generated", "message") or previous in ("short", "suggestion")


def answer_text(answer: Answer) -> str:
    """The answer as plain text, without the source list."""
    lines: list[str] = []
    previous = ""
    for b in blocks(answer):
        if lines and opens_paragraph(b.kind, previous):
            lines.append("")
        if b.kind == "short":
            lines.append(f"{wording.SHORT_ANSWER}: {b.text} [{b.n}]")
        elif b.kind == "card":
            lines.append(f"{wording.CARD}: {b.text}.")
        elif b.kind in ("relation", "candidate"):
            lines.append(f"  – {b.text}" + ("." if b.kind == "relation" else ""))
        elif b.kind == "quote":
            lines.append(f"• {b.text} [{b.n}]")
        else:
            lines.append(b.text)
        previous = b.kind
    return "\n".join(lines)


def source_groups(sources: list[Source]) -> list[list[Source]]:
    """Sources that cite the same document (the same article of a legal text), together:
    a list quoted from seven passages of one article is one document, named once."""
    groups: dict[SourceKey, list[Source]] = {}
    for s in sources:
        groups.setdefault(s.key, []).append(s)
    return list(groups.values())


def numbers(group: list[Source]) -> str:
    """ "[2]", "[1]–[7]" or "[1], [4]"."""
    ns = [s.n for s in group]
    if len(ns) > 2 and ns == list(range(ns[0], ns[-1] + 1)):
        return f"[{ns[0]}]–[{ns[-1]}]"
    return ", ".join(f"[{n}]" for n in ns)


def render_text(answer: Answer, width: int = 100) -> str:
    lines = [answer_text(answer)]
    if answer.sources:
        lines += ["", f"{wording.SOURCES}:"]
        for group in source_groups(answer.sources):
            lines.append(f"{numbers(group)} {wording.source_line(group[0])}")
            for s in group:
                body = (f"[{s.n}] " if len(group) > 1 else "") + " ".join(s.text.split())
                lines.append(textwrap.fill(body, width=width, initial_indent="    ", subsequent_indent="    "))
        if answer.related:
            lines.append(f"… {wording.related(answer.related)}.")
    return "\n".join(lines)


def answer_markdown(answer: Answer) -> str:
    """The answer as Markdown: the answer in bold first, quotations as block quotes, numbered sources."""
    out = [f"## {md_escape(answer.question)}", ""]
    for b in blocks(answer):
        if b.kind == "short":
            out += [f"**{wording.SHORT_ANSWER}:** {md_escape(b.text)} [{b.n}]", ""]
        elif b.kind == "card":
            out += [f"**{wording.CARD}:** {md_escape(b.text)}.", ""]
        elif b.kind in ("relation", "candidate"):
            out.append(f"- {md_escape(b.text)}")
        elif b.kind == "according":
            out += ["", f"*{md_escape(b.text)}*", ""]
        elif b.kind == "quote":
            out += [f"> {md_escape(b.text)} [{b.n}]", ""]
        else:
            out += [md_escape(b.text), ""]
    while out and out[-1] == "":
        out.pop()
    if answer.sources:
        out += ["", f"### {wording.SOURCES}", ""]
        out += [f"- {numbers(g)} {md_escape(wording.source_line(g[0]))}" for g in source_groups(answer.sources)]
        if answer.related:
            out += ["", f"_{wording.related(answer.related)}_"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)) + "\n"


def md_escape(text: str) -> str:
    """Corpus text as Markdown text: characters that would start markup are escaped."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def render_card(card: DirectiveCard, width: int = 100) -> str:
    """A directive's card: its facts as the corpus states them, then who cites it."""
    lines = [card.title]
    lines += [f"  {f.label}: {f.value}" for f in card.facts]
    if card.url:
        lines.append(f"  {wording.CARD_ADDRESS}: {card.url}")
    if card.relations:
        lines.append(f"  {wording.CARD_RELATED}: " + "; ".join(r.text for r in card.relations))
    lines.append(f"  {wording.card_mentioned(len(card.mentions))}:")
    for m in card.mentions:
        lines.append(f"  – {m.title} [{m.doc_id}]")
        lines.append(textwrap.fill(f"“{m.sentence}”", width=width, initial_indent="      ", subsequent_indent="      "))
    return "\n".join(lines)


def render_lookup(result: Resolution) -> str:
    if result.missing_article:
        return result.article_message()
    if result.article is not None and result.found:
        return f"{article_citation(result)}\n\n{article_text(result)}"
    if result.found:
        return render_card(directive_card(result.directives[0]))
    if result.candidates:
        lines = [wording.lookup_choices(result.query, len(result.candidates))]
        lines += [f"  – {directive_card(d).distinction}" for d in result.candidates]
        return "\n".join(lines)
    return wording.lookup_absent(result.query)
