"""The statistics page's weekly chart, as geometry: per week a bar of questions (answered below,
unanswered above), the answered share over it, and two thin bars of 👍 and 👎. The template
(`admin_chart.svg`) draws it as an inline SVG with its title, description and labels: no
charting script, nothing fetched."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.operations.journal_stats import Week

WIDTH = 640
HEIGHT = 280
LEFT = 40  # room for the axis's numbers
RIGHT = 8
TOP = 24  # room for the shares written over the bars
BOTTOM = 40  # room for the weeks' dates and the legend


@dataclass(frozen=True)
class Bar:
    kind: str  # answered, unanswered, up, down (the stylesheet's classes)
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass(frozen=True)
class Column:
    """One week: its bars, its date under them, the answered share over them (None: no question)."""

    week: Week
    x: float  # centre
    bars: tuple[Bar, ...]
    share: int | None
    share_y: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    baseline: float
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]
    empty: bool  # nothing happened in these weeks


def nice_top(value: int) -> int:
    """The axis's top: the value rounded up to 1, 2 or 5 × a power of ten (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # not reached: value <= 10 * power always


def weekly_chart(weeks: list[Week]) -> Chart:
    baseline = HEIGHT - BOTTOM
    plot = baseline - TOP
    highest = max((max(w.answered + w.unanswered, w.up, w.down) for w in weeks), default=0)
    top = nice_top(highest)
    slot = (WIDTH - LEFT - RIGHT) / max(len(weeks), 1)
    wide, thin, gap = slot * 0.38, slot * 0.14, slot * 0.04

    def height(value: int) -> float:
        return plot * value / top

    columns = []
    for i, w in enumerate(weeks):
        x0 = LEFT + i * slot + (slot - wide - 2 * thin - 2 * gap) / 2
        asked = w.answered + w.unanswered
        answered_h, unanswered_h = height(w.answered), height(w.unanswered)
        bars = (
            Bar("answered", x0, baseline - answered_h, wide, answered_h, w.answered),
            Bar("unanswered", x0, baseline - answered_h - unanswered_h, wide, unanswered_h, w.unanswered),
            Bar("up", x0 + wide + gap, baseline - height(w.up), thin, height(w.up), w.up),
            Bar("down", x0 + wide + 2 * gap + thin, baseline - height(w.down), thin, height(w.down), w.down),
        )
        share = round(100 * w.answered / asked) if asked else None
        columns.append(Column(w, LEFT + (i + 0.5) * slot, bars, share, baseline - height(asked) - 6))
    step = top // 5 if top >= 5 else 1
    ticks = tuple(Tick(v, baseline - height(v)) for v in range(0, top + 1, step))
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, tuple(columns), ticks, highest == 0)
