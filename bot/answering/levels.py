"""The levels of the State and the Front a figure belongs to ("cấp xã", "cấp tỉnh", "Trung ương").

A sum for the province is not the commune's: a first line of another level than the one asked is
no answer (`first_line`), and a follow-up naming another level asks the last question there
(`conversation`). A question naming no level, where the text gives each level its own figure
("Mức sinh hoạt phí bao nhiêu?"), is answered with each level's figure, or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.spans import digits
from ingest.language.normalize import fold

# As written "cấp xã", "cấp tỉnh" (folded), or "Trung ương" alone
LEVEL = re.compile(r"\b(?:cap (xa|huyen|tinh|trung uong)|(trung uong))\b")
# A question also names a level by a body of the State or the Front followed by it ("UB MTTQ xã",
# "UBND tỉnh"): never a bare "tỉnh". Not read in the texts, where "Ban cán sự Đảng UBND tỉnh" signs
# a plan whose figures are no province's.
ASKED_LEVEL = re.compile(
    r"\b(?:mttq|ubnd|hdnd|ubmttq|mat tran(?: to quoc(?: viet nam)?)?|uy ban nhan dan|hoi dong nhan dan) (xa|huyen|tinh)\b"
)
_NAMES = {"trung uong": "Trung ương", "tinh": "cấp tỉnh", "huyen": "cấp huyện", "xa": "cấp xã"}


@dataclass(frozen=True)
class Figure:
    """A figure cut from a sentence of a source (pool index), with where the sentence starts."""

    text: str
    source: int
    start: int
    sentence: str


def of(text: str) -> set[str]:
    """The levels a text names, folded ("tinh", "trung uong")."""
    return {m[1] or m[2] for m in LEVEL.finditer(fold(text))}


def asked(question: str) -> set[str]:
    """The levels a question names: as a text does, or by a body and its level (`ASKED_LEVEL`)."""
    return of(question) | {m[1] for m in ASKED_LEVEL.finditer(fold(question))}


def other(sentence: str, figure: str, said: list[Figure]) -> bool:
    """Another sentence gives another figure for another level: which one a question naming no
    level asks is not plain."""
    mine = of(sentence)
    return bool(mine) and any(of(f.sentence) - mine and digits(f.text) != digits(figure) for f in said)


def each(said: list[Figure]) -> tuple[str, int] | None:
    """ "Trung ương: 460.000 đồng/người/tháng; cấp tỉnh: 230.000 đồng/người/tháng" and its source:
    one figure per level, in the passage's order, when one passage gives them and each sentence
    names one level; else None."""
    figures: dict[str, str] = {}
    for f in sorted(said, key=lambda f: f.start):
        level = of(f.sentence)
        if len(level) != 1 or f.source != said[0].source:
            return None
        if figures.setdefault(_NAMES[level.pop()], f.text) != f.text:
            return None  # two figures for one level: which answers is not plain
    return "; ".join(f"{k}: {v}" for k, v in figures.items()), said[0].source
