"""The bot's journal: what was asked and answered, the feedback on it, and who was told what.

One SQLite file beside the index (FEEDBACK_DB), never inside it: the index's
generations are replaced whole by every ingestion, the journal is kept for
months. It feeds /thongke, /phanhoi, /thieu and `python -m bot feedback|gaps`.

Telegram ids are never stored: chats and users are pseudonyms, an HMAC of the
id with a random key kept in the file, so that the same person is counted
once without being named. Writing is best effort: a full disk or a locked
file is logged and the answer still goes out. A file that is not a database
is moved aside (kept, for recovery) and a new one started.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ingest import QcdcError

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # characters of a question, answer or comment kept
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exchanges (
    chat TEXT NOT NULL, id TEXT NOT NULL, user TEXT NOT NULL, at TEXT NOT NULL,
    kind TEXT NOT NULL, question TEXT NOT NULL, found INTEGER NOT NULL, generator TEXT NOT NULL,
    answer TEXT NOT NULL, sources TEXT NOT NULL, latency_ms REAL,
    PRIMARY KEY (chat, id));
CREATE INDEX IF NOT EXISTS exchanges_at ON exchanges (at);
CREATE TABLE IF NOT EXISTS asked (
    chat TEXT NOT NULL, exchange TEXT NOT NULL, ref TEXT NOT NULL, type TEXT,
    held INTEGER NOT NULL, cited INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS asked_exchange ON asked (chat, exchange);
CREATE TABLE IF NOT EXISTS feedback (
    chat TEXT NOT NULL, exchange TEXT NOT NULL, user TEXT NOT NULL, at TEXT NOT NULL,
    rating INTEGER NOT NULL, comment TEXT,
    PRIMARY KEY (chat, exchange, user));
CREATE TABLE IF NOT EXISTS notified (user TEXT PRIMARY KEY, at TEXT NOT NULL);
"""


class JournalError(QcdcError):
    """The journal cannot be read (corrupt, unreadable, locked for too long)."""


@dataclass(frozen=True)
class AskedDocument:
    """A document a question names. `held`: the library has its own text; `cited`: the library
    only cites it (knows its number, date, issuer); neither: the library has never seen it."""

    ref: str
    type: str | None
    held: bool
    cited: bool = False


@dataclass
class Exchange:
    """One question and what was answered, as the journal keeps it (ids raw here, pseudonymised when stored)."""

    id: str
    chat: int | None
    user: int | None
    question: str
    found: bool
    answer: str
    generator: str = "extractive"
    sources: tuple[str, ...] = ()
    asked: tuple[AskedDocument, ...] = ()
    latency_ms: float | None = None
    kind: str = "answer"  # or "lookup" (/vb)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class FeedbackEntry:
    at: datetime
    rating: int  # 1 👍, -1 👎
    comment: str | None
    question: str | None  # None when the exchange was not recorded (a journal started afresh)
    answer: str | None
    sources: tuple[str, ...]
    generator: str | None
    found: bool | None
    chat: str
    user: str
    exchange: str


@dataclass(frozen=True)
class Unanswered:
    question: str
    user: str
    at: datetime


@dataclass(frozen=True)
class MissingDocument:
    """A document asked for that the library does not hold: never seen, or only cited."""

    ref: str
    type: str | None
    asked: int
    users: int
    last: datetime
    cited: bool  # the library cites it (it knows the number) but lacks its text


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


def parse_day(text: str) -> datetime:
    """A --since value: YYYY-MM-DD (the start of that day, local time) or a full ISO time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise JournalError(
            f"invalid date {text!r}", user_message=f"Ngày “{text}” không đúng dạng NĂM-THÁNG-NGÀY, ví dụ 2026-11-01."
        ) from exc
    return moment.astimezone(UTC)  # a time without a zone is the machine's local time


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def set_aside(path: Path, companions: tuple[str, ...] = ()) -> Path:
    """Rename a damaged file (and its companion files, `path` + suffix) to `….corrupt-<time>`,
    kept for recovery; the new name."""
    aside = path.with_name(f"{path.name}.corrupt-{datetime.now():%Y%m%d-%H%M%S}")
    for suffix in ("", *companions):
        if (part := Path(f"{path}{suffix}")).exists():
            part.rename(Path(f"{aside}{suffix}"))
    return aside


class Journal:
    def __init__(self, path: Path, *, repair: bool = True):
        """Open (or create) the journal; `repair`: move a file that is not a database aside."""
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._create()
        except sqlite3.DatabaseError as exc:
            if not repair or not path.exists() or isinstance(exc, sqlite3.OperationalError):
                raise JournalError(
                    f"cannot open the feedback database {path}: {exc}",
                    user_message=f"Không mở được cơ sở dữ liệu phản hồi {path} ({exc}).",
                ) from exc
            aside = set_aside(path, companions=("-wal", "-shm"))  # its write-ahead log goes with it
            log.error(
                "the feedback database %s is not a database (%s); kept as %s, starting a new one", path, exc, aside
            )
            self._create()
        except OSError as exc:
            raise JournalError(
                f"cannot open the feedback database {path}: {exc}",
                user_message=f"Không mở được cơ sở dữ liệu phản hồi {path} ({exc.strerror or exc}).",
            ) from exc
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'pseudonym_key'").fetchone()
        self._key = bytes.fromhex(row[0])

    def _create(self) -> None:
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # readers (/thongke, an export) never block the bot's writes
            db.executescript(_SCHEMA)
            db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('pseudonym_key', ?), ('created', ?)",
                (secrets.token_hex(32), _iso(datetime.now(UTC))),
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection per operation: handlers run in several threads, and each is short."""
        db = sqlite3.connect(self.path, timeout=5)
        try:
            with db:  # commits, or rolls back on an exception
                yield db
        finally:
            db.close()

    def pseudonym(self, raw: int | None) -> str:
        """A stable, short stand-in for a Telegram id ("-" when there is none)."""
        if raw is None:
            return "-"
        return hmac.new(self._key, str(raw).encode(), hashlib.sha256).hexdigest()[:12]

    def _write(self, what: str, sql: list[tuple[str, tuple[object, ...]]]) -> bool:
        try:
            with self._connect() as db:
                for statement, params in sql:
                    db.execute(statement, params)
            return True
        except sqlite3.Error as exc:
            log.warning("could not record %s in %s: %s", what, self.path, exc)
            return False

    def record(self, exchange: Exchange) -> bool:
        """Keep one exchange; False (and a log line) when it could not be written."""
        chat = self.pseudonym(exchange.chat)
        sql: list[tuple[str, tuple[object, ...]]] = [
            (
                "INSERT OR REPLACE INTO exchanges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    chat, exchange.id, self.pseudonym(exchange.user), _iso(exchange.at), exchange.kind,
                    exchange.question[:MAX_TEXT], int(exchange.found), exchange.generator,
                    exchange.answer[:MAX_TEXT], json.dumps(list(exchange.sources), ensure_ascii=False),
                    exchange.latency_ms,
                ),
            )
        ]  # fmt: skip
        sql += [
            (
                "INSERT INTO asked VALUES (?, ?, ?, ?, ?, ?)",
                (chat, exchange.id, d.ref, d.type, int(d.held), int(d.cited)),
            )
            for d in exchange.asked
        ]
        return self._write("an exchange", sql)

    def rate(self, chat: int | None, exchange: str, user: int | None, rating: int) -> bool:
        """A 👍 (1) or 👎 (-1); pressing again changes the rating and keeps the comment."""
        return self._write(
            "a rating",
            [
                (
                    "INSERT INTO feedback VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (chat, exchange, user) "
                    "DO UPDATE SET rating = excluded.rating, at = excluded.at",
                    (self.pseudonym(chat), exchange, self.pseudonym(user), _iso(datetime.now(UTC)), rating),
                )
            ],
        )

    def comment(self, chat: int | None, exchange: str, user: int | None, text: str) -> bool:
        """A comment on an answer (offered after a 👎); it counts as a 👎 if none was given."""
        return self._write(
            "a comment",
            [
                (
                    "INSERT INTO feedback VALUES (?, ?, ?, ?, -1, ?) ON CONFLICT (chat, exchange, user) "
                    "DO UPDATE SET comment = excluded.comment, at = excluded.at",
                    (self.pseudonym(chat), exchange, self.pseudonym(user), _iso(datetime.now(UTC)), text[:MAX_TEXT]),
                )
            ],
        )

    def first_notice(self, user: int | None) -> bool:
        """True once per user: whether to tell them that unanswered questions are recorded."""
        try:
            with self._connect() as db:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO notified VALUES (?, ?)", (self.pseudonym(user), _iso(datetime.now(UTC)))
                )
                return cursor.rowcount == 1
        except sqlite3.Error as exc:
            log.warning("could not record a notice in %s: %s", self.path, exc)
            return False

    # --- reading ---------------------------------------------------------------------

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        try:
            with self._connect() as db:
                return db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise JournalError(
                f"cannot read the feedback database {self.path}: {exc}",
                user_message=f"Không đọc được cơ sở dữ liệu phản hồi ({exc}).",
            ) from exc

    def feedback(
        self, since: datetime | None = None, negative: bool = False, limit: int | None = None
    ) -> list[FeedbackEntry]:
        """Feedback, newest first, with the exchange it is about."""
        rows = self._rows(
            "SELECT f.at, f.rating, f.comment, e.question, e.answer, e.sources, e.generator, e.found, "
            "f.chat, f.user, f.exchange FROM feedback f LEFT JOIN exchanges e ON e.chat = f.chat AND e.id = f.exchange "
            "WHERE f.at >= ? AND (? = 0 OR f.rating < 0) ORDER BY f.at DESC LIMIT ?",
            (_iso(since) if since else "", int(negative), -1 if limit is None else limit),
        )
        return [
            FeedbackEntry(
                _moment(str(at)), int(str(rating)), _opt(comment), _opt(question), _opt(answer),
                tuple(json.loads(str(sources))) if sources else (), _opt(generator),
                None if found is None else bool(found), str(chat), str(user), str(exchange),
            )
            for at, rating, comment, question, answer, sources, generator, found, chat, user, exchange in rows
        ]  # fmt: skip

    def unanswered(self, since: datetime | None = None) -> list[Unanswered]:
        """Questions answered "nothing found", oldest first."""
        rows = self._rows(
            "SELECT question, user, at FROM exchanges WHERE found = 0 AND kind = 'answer' AND at >= ? ORDER BY at",
            (_iso(since) if since else "",),
        )
        return [Unanswered(str(q), str(u), _moment(str(a))) for q, u, a in rows]

    def missing(self, since: datetime | None = None) -> list[MissingDocument]:
        """Documents asked for that the library does not hold, the most asked first."""
        rows = self._rows(
            "SELECT a.ref, max(a.type), count(*), count(DISTINCT e.user), max(e.at), max(a.cited) "
            "FROM asked a JOIN exchanges e ON e.chat = a.chat AND e.id = a.exchange "
            "WHERE a.held = 0 AND e.at >= ? GROUP BY a.ref ORDER BY count(*) DESC, max(e.at) DESC",
            (_iso(since) if since else "",),
        )
        return [
            MissingDocument(str(ref), _opt(kind), int(str(n)), int(str(users)), _moment(str(last)), bool(cited))
            for ref, kind, n, users, last, cited in rows
        ]

    def stats(self, weeks: int = 8, today: date | None = None) -> Stats:
        """Counts over the whole journal, the most asked documents, and the last `weeks` weeks."""
        totals = self._rows(
            "SELECT sum(kind = 'answer' AND found = 1), sum(kind = 'answer' AND found = 0), sum(kind = 'lookup'), "
            "count(DISTINCT user), min(at) FROM exchanges"
        )[0]
        votes = self._rows("SELECT sum(rating > 0), sum(rating < 0), count(comment) FROM feedback")[0]
        top = self._rows("SELECT ref, count(*) FROM asked GROUP BY ref ORDER BY count(*) DESC, ref LIMIT 5")
        today = today or date.today()
        monday = today - timedelta(days=today.weekday())
        first = monday - timedelta(weeks=weeks - 1)
        start = _iso(datetime.combine(first, datetime.min.time()).astimezone(UTC))
        by_week: dict[date, list[int]] = {first + timedelta(weeks=i): [0, 0, 0, 0] for i in range(weeks)}

        def week_of(at: object) -> list[int] | None:
            day = _moment(str(at)).astimezone().date()
            return by_week.get(day - timedelta(days=day.weekday()))

        for at, found in self._rows("SELECT at, found FROM exchanges WHERE kind = 'answer' AND at >= ?", (start,)):
            if (counts := week_of(at)) is not None:
                counts[0 if found else 1] += 1
        for at, rating in self._rows("SELECT at, rating FROM feedback WHERE at >= ?", (start,)):
            if (counts := week_of(at)) is not None:
                counts[2 if int(str(rating)) > 0 else 3] += 1
        answered, unanswered, lookups, users, first_at = totals
        return Stats(
            answered=int(str(answered or 0)),
            unanswered=int(str(unanswered or 0)),
            lookups=int(str(lookups or 0)),
            users=int(str(users or 0)),
            up=int(str(votes[0] or 0)),
            down=int(str(votes[1] or 0)),
            comments=int(str(votes[2] or 0)),
            top_documents=[(str(ref), int(str(n))) for ref, n in top],
            weeks=[Week(day, *counts) for day, counts in by_week.items()],
            since=_moment(str(first_at)) if first_at else None,
        )

    def check(self) -> str:
        """What `python -m bot health` says of the journal; JournalError when it is unusable."""
        try:
            with self._connect() as db:
                if (result := db.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
                    raise JournalError(f"integrity check: {result}", user_message=f"hỏng ({result})")
                db.execute("BEGIN IMMEDIATE")  # can write: not read-only, not locked
                exchanges = db.execute("SELECT count(*) FROM exchanges").fetchone()[0]
                votes = db.execute("SELECT count(*) FROM feedback").fetchone()[0]
                db.rollback()
        except sqlite3.Error as exc:
            raise JournalError(f"{self.path}: {exc}", user_message=f"{self.path}: {exc}") from exc
        return f"{self.path}: {exchanges} lượt hỏi, {votes} phản hồi"


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
