"""The bot's journal: what was asked and answered, the feedback on it, and who was told what.

One SQLite file beside the index (FEEDBACK_DB), never inside it: the index's
generations are replaced whole by every ingestion, the journal is kept for
months. It feeds /thongke, /phanhoi, /thieu and `python -m bot feedback|gaps`.

Telegram ids are never stored: chats and users are pseudonyms, an HMAC of the
id with a random key kept in the file, so that the same person is counted
once without being named. Writing is best effort: a full disk or a locked
file is logged and the answer still goes out (the exchange is written with the
next write that succeeds). The file itself (locks, damage, reopening) is
`bot.operations.journal_store`'s; statistics are `bot.operations.journal_stats`'.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import sqlite3
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from bot.operations.journal_stats import Stats, stats_of
from bot.operations.journal_stats import Week as Week
from bot.operations.journal_store import (
    BUSY_TIMEOUT_S,
    RETRY_S,
    Damaged,
    JournalError,
    Store,
    StoreState,
    first_line,
    is_damaged,
)
from bot.operations.journal_store import set_aside as set_aside  # the Telegram state file is set aside the same way

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # characters of a question, answer or comment kept
UNSAVED = 200  # exchanges kept in memory while the journal cannot be written
_TABLES = {"meta", "exchanges", "asked", "feedback", "notified"}
_Sql = tuple[str, tuple[object, ...]]
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
    """A question left unanswered ("nothing found"), or answered and then marked 👎 (`comment`: what
    the person wrote about it, if anything; `user` is then who marked it)."""

    question: str
    user: str
    at: datetime
    comment: str | None = None


@dataclass(frozen=True)
class MissingAsk:
    """One question's mention of a document the library does not hold (gaps merges the spellings)."""

    ref: str
    type: str | None
    user: str
    at: datetime
    cited: bool


@dataclass(frozen=True)
class MissingDocument:
    """A document asked for that the library does not hold: never seen, or only cited."""

    ref: str
    type: str | None
    asked: int
    users: int
    last: datetime
    cited: bool  # the library cites it (it knows the number) but lacks its text


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


class Journal:
    def __init__(
        self,
        path: Path,
        *,
        repair: bool = True,
        busy_timeout: float = BUSY_TIMEOUT_S,
        retry_s: tuple[float, float] = RETRY_S,
    ):
        """Open (or create) the journal. `repair` (the bot): a damaged file is set aside and a new one
        started, a file that cannot be opened now is tried again later; without it (the CLI, health
        checks) both raise JournalError."""
        self.path = path
        self._key: bytes | None = None
        self._unsaved: deque[Exchange] = deque(maxlen=UNSAVED)
        self._store = Store(path, self._prepare, repair=repair, busy_timeout=busy_timeout, retry_s=retry_s)

    def _prepare(self, db: sqlite3.Connection) -> None:
        """The schema and the pseudonym key. A journal that has them is only read: it opens even
        while another process holds the write lock."""
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables >= _TABLES:
            db.execute("PRAGMA journal_mode=WAL")  # readers (/thongke, an export) never block the bot's writes
            db.executescript(_SCHEMA)
            db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('pseudonym_key', ?), ('created', ?)",
                (secrets.token_hex(32), _iso(datetime.now(UTC))),
            )
        row = db.execute("SELECT value FROM meta WHERE key = 'pseudonym_key'").fetchone()
        self._key = bytes.fromhex(row[0])

    def pseudonym(self, raw: int | None) -> str:
        """A stable, short stand-in for a Telegram id ("-" when there is none, or no journal open yet)."""
        if raw is None or self._key is None:
            return "-"
        return hmac.new(self._key, str(raw).encode(), hashlib.sha256).hexdigest()[:12]

    def state(self) -> StoreState:
        """Open or waiting (and why), and the damaged file set aside, for health checks."""
        return self._store.state()

    def _write(self, what: str, statements: Callable[[], list[_Sql]], keep: Exchange | None = None) -> bool:
        """Run `statements` (built once the journal is open, so that pseudonyms use its key), after
        the exchanges a lock or a full disk kept from being written; False (and a log line) on failure,
        and `keep` kept for the next write when the failure may pass (a lock, a full disk)."""
        unsaved = list(self._unsaved)

        def write(db: sqlite3.Connection) -> None:
            for exchange in unsaved:
                for statement, params in self._exchange_sql(exchange):
                    db.execute(statement, params)
            for statement, params in statements():
                db.execute(statement, params)

        try:
            self._store.run(write)
        except (sqlite3.Error, JournalError) as exc:
            log.warning("could not record %s in %s: %s", what, self.path, exc)
            if keep is not None and isinstance(exc, (sqlite3.OperationalError, JournalError)):
                self._unsaved.append(keep)
            return False
        for exchange in unsaved:
            if exchange in self._unsaved:
                self._unsaved.remove(exchange)
        if unsaved:
            log.info("recorded %d exchanges kept while the journal could not be written", len(unsaved))
        return True

    def _exchange_sql(self, exchange: Exchange) -> list[_Sql]:
        chat = self.pseudonym(exchange.chat)
        sql: list[_Sql] = [
            ("DELETE FROM asked WHERE chat = ? AND exchange = ?", (chat, exchange.id)),
            (
                "INSERT OR REPLACE INTO exchanges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    chat, exchange.id, self.pseudonym(exchange.user), _iso(exchange.at), exchange.kind,
                    exchange.question[:MAX_TEXT], int(exchange.found), exchange.generator,
                    exchange.answer[:MAX_TEXT], json.dumps(list(exchange.sources), ensure_ascii=False),
                    exchange.latency_ms,
                ),
            ),
        ]  # fmt: skip
        sql += [
            (
                "INSERT INTO asked VALUES (?, ?, ?, ?, ?, ?)",
                (chat, exchange.id, d.ref, d.type, int(d.held), int(d.cited)),
            )
            for d in exchange.asked
        ]
        return sql

    def record(self, exchange: Exchange) -> bool:
        """Keep one exchange; False (and a log line) when it could not be written now: it is then
        kept in memory (UNSAVED at most) and written with the next write that succeeds."""
        return self._write("an exchange", lambda: self._exchange_sql(exchange), keep=exchange)

    def rate(self, chat: int | None, exchange: str, user: int | None, rating: int) -> bool:
        """A 👍 (1) or 👎 (-1); pressing again changes the rating and keeps the comment."""
        return self._write(
            "a rating",
            lambda: [
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
            lambda: [
                (
                    "INSERT INTO feedback VALUES (?, ?, ?, ?, -1, ?) ON CONFLICT (chat, exchange, user) "
                    "DO UPDATE SET comment = excluded.comment, at = excluded.at",
                    (self.pseudonym(chat), exchange, self.pseudonym(user), _iso(datetime.now(UTC)), text[:MAX_TEXT]),
                )
            ],
        )

    def first_notice(self, user: int | None) -> bool:
        """True once per user: whether to tell them that unanswered questions are recorded."""

        def notice(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "INSERT OR IGNORE INTO notified VALUES (?, ?)", (self.pseudonym(user), _iso(datetime.now(UTC)))
            )
            return cursor.rowcount == 1

        try:
            return self._store.run(notice)
        except (sqlite3.Error, JournalError) as exc:
            log.warning("could not record a notice in %s: %s", self.path, exc)
            return False

    # --- reading ---------------------------------------------------------------------

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        try:
            return self._store.run(lambda db: db.execute(sql, params).fetchall())
        except sqlite3.Error as exc:
            if is_damaged(exc):  # only without repair: the bot sets a damaged journal aside
                raise self._store.error_for(exc, first_line(str(exc))) from exc
            raise JournalError(
                f"cannot read the feedback database {self.path}: {exc}",
                user_message=f"Không đọc được cơ sở dữ liệu phản hồi ({first_line(str(exc))}).",
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

    def wrongly_answered(self, since: datetime | None = None) -> list[Unanswered]:
        """Questions that were answered and then marked 👎 (and not changed to 👍 since), oldest first."""
        rows = self._rows(
            "SELECT e.question, f.user, f.at, f.comment FROM feedback f "
            "JOIN exchanges e ON e.chat = f.chat AND e.id = f.exchange "
            "WHERE f.rating < 0 AND e.found = 1 AND f.at >= ? ORDER BY f.at",
            (_iso(since) if since else "",),
        )
        return [Unanswered(str(q), str(u), _moment(str(a)), _opt(c)) for q, u, a, c in rows]

    def missing_asks(self, since: datetime | None = None) -> list[MissingAsk]:
        """Every mention, in a question, of a document the library does not hold, oldest first."""
        rows = self._rows(
            "SELECT a.ref, a.type, e.user, e.at, a.cited FROM asked a "
            "JOIN exchanges e ON e.chat = a.chat AND e.id = a.exchange WHERE a.held = 0 AND e.at >= ? ORDER BY e.at",
            (_iso(since) if since else "",),
        )
        return [MissingAsk(str(r), _opt(t), str(u), _moment(str(a)), bool(c)) for r, t, u, a, c in rows]

    def stats(self, weeks: int = 8, today: date | None = None) -> Stats:
        """Counts over the whole journal, the most asked documents, and the last `weeks` weeks."""
        return stats_of(self._rows, weeks, today)

    def check(self) -> str:
        """What `python -m bot health` and /healthz say of the journal: sound (an integrity check),
        writable (not read-only, not locked), its size; JournalError when it is unusable. In the bot
        (`repair`), a damaged journal found here is set aside and a new one started."""

        def counts(db: sqlite3.Connection) -> tuple[int, int]:
            if (result := db.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
                raise Damaged(f"integrity check: {result}")
            db.execute("BEGIN IMMEDIATE")  # can write: not read-only, not locked
            exchanges = db.execute("SELECT count(*) FROM exchanges").fetchone()[0]
            votes = db.execute("SELECT count(*) FROM feedback").fetchone()[0]
            db.rollback()
            return exchanges, votes

        try:
            exchanges, votes = self._store.run(counts)
        except sqlite3.Error as exc:
            why = first_line(str(exc))
            if is_damaged(exc):
                why = f"hỏng ({why}); bot sẽ cất riêng tệp này và bắt đầu tệp mới khi chạy"
            raise JournalError(f"{self.path}: {exc}", user_message=f"{self.path}: {why}") from exc
        line = f"{self.path}: {exchanges} lượt hỏi, {votes} phản hồi"
        if aside := self._store.set_aside:
            line += f"; tệp hỏng đã được cất riêng thành {aside.name}"
        return line


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
