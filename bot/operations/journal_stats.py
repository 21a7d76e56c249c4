"""The journal's statistics (/thongke, `python -m bot stats`): totals, the most asked documents,
and counts per week in local time. Read through the journal's own query function, so that its
lock and damage handling apply here too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

Rows = Callable[..., list[tuple[object, ...]]]  # Journal._rows: (sql, params=()) -> rows


@dataclass(frozen=True)
class Week:
    start: date  # its Monday
    answered: int = 0
    unanswered: int = 0
    up: int = 0
    down: int = 0


@dataclass(frozen=True)
class Stats:
    answered: int
    unanswered: int
    lookups: int
    users: int
    up: int
    down: int
    comments: int
    top_documents: list[tuple[str, int]]
    weeks: list[Week]
    since: datetime | None  # the first exchange recorded


def _int(value: object) -> int:
    return int(str(value or 0))


def stats_of(rows: Rows, weeks: int = 8, today: date | None = None) -> Stats:
    """Counts over the whole journal, the most asked documents, and the last `weeks` weeks."""
    totals = rows(
        "SELECT sum(kind = 'answer' AND found = 1), sum(kind = 'answer' AND found = 0), sum(kind = 'lookup'), "
        "count(DISTINCT user), min(at) FROM exchanges"
    )[0]
    votes = rows("SELECT sum(rating > 0), sum(rating < 0), count(comment) FROM feedback")[0]
    top = rows("SELECT ref, count(*) FROM asked GROUP BY ref ORDER BY count(*) DESC, ref LIMIT 5")
    today = today or date.today()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    start = datetime.combine(first, datetime.min.time()).astimezone(UTC).isoformat(timespec="seconds")
    by_week: dict[date, list[int]] = {first + timedelta(weeks=i): [0, 0, 0, 0] for i in range(weeks)}

    def week_of(at: object) -> list[int] | None:
        day = datetime.fromisoformat(str(at)).astimezone().date()
        return by_week.get(day - timedelta(days=day.weekday()))

    for at, found in rows("SELECT at, found FROM exchanges WHERE kind = 'answer' AND at >= ?", (start,)):
        if (counts := week_of(at)) is not None:
            counts[0 if found else 1] += 1
    for at, rating in rows("SELECT at, rating FROM feedback WHERE at >= ?", (start,)):
        if (counts := week_of(at)) is not None:
            counts[2 if _int(rating) > 0 else 3] += 1
    answered, unanswered, lookups, users, first_at = totals
    return Stats(
        answered=_int(answered),
        unanswered=_int(unanswered),
        lookups=_int(lookups),
        users=_int(users),
        up=_int(votes[0]),
        down=_int(votes[1]),
        comments=_int(votes[2]),
        top_documents=[(str(ref), _int(n)) for ref, n in top],
        weeks=[Week(day, *counts) for day, counts in by_week.items()],
        since=datetime.fromisoformat(str(first_at)) if first_at else None,
    )
