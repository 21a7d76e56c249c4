"""Prompt templates from prompts/, checked when loaded.

A template file is the system message, a line `---`, then the user message,
with the placeholders {question}, {card} and {passages}.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from ingest.errors import SettingsError

PLACEHOLDERS = {"question", "card", "passages"}
NAMES = ("answer", "directive")


@dataclass(frozen=True)
class Prompts:
    answer: ChatPromptTemplate
    directive: ChatPromptTemplate


def parse_template(text: str, name: str) -> ChatPromptTemplate:
    """A chat template from a file's text, or SettingsError saying what is wrong."""
    system, sep, user = text.partition("\n---\n")
    if not sep or not system.strip() or not user.strip():
        raise SettingsError(f"prompt {name}: expected a system part, a line '---', then a user part")
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as exc:  # an unmatched brace
        raise SettingsError(f"prompt {name}: {exc} (write literal braces as {{{{ and }}}})") from exc
    if missing := PLACEHOLDERS - fields:
        raise SettingsError(f"prompt {name}: missing placeholder(s) {sorted(missing)}")
    if unknown := fields - PLACEHOLDERS:
        raise SettingsError(f"prompt {name}: unknown placeholder(s) {sorted(unknown)}")
    return ChatPromptTemplate.from_messages([("system", system.strip()), ("human", user.strip())])


def load_prompts(folder: Path) -> Prompts:
    templates = {}
    for name in NAMES:
        path = folder / f"{name}.txt"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"prompt {name}: cannot read {path} ({exc.strerror})") from exc
        templates[name] = parse_template(text, name)
    return Prompts(**templates)
