"""The journal's SQLite file and what can go wrong with it: locked, damaged, unwritable.

The bot must keep answering whatever happens to its journal, and the journal must come back
by itself. So the store:

- waits for a lock (SQLite's busy timeout, BUSY_TIMEOUT_S) before giving up on one operation;
- when the file cannot be opened at start (another process holds it, the disk is read-only), keeps
  trying again at each use, at most every RETRY_S (doubling from 1 s, up to a minute), instead of
  switching feedback, gaps and statistics off until a restart;
- with `repair` (the bot), moves a file that is not a database, or whose pages are damaged, aside
  (kept for recovery, `….corrupt-<time>`) and starts a new one, at open or at the first operation
  that meets the damage; without `repair` (the CLI, `bot health`) it says so and touches nothing.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from ingest import QcdcError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 10.0  # how long one operation waits for another process's lock
RETRY_S = (1.0, 60.0)  # first and longest wait before opening a file that could not be opened again
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes; extended ones carry them in the low byte)
T = TypeVar("T")


class JournalError(QcdcError):
    """The journal cannot be read (corrupt, unreadable, locked for too long)."""


def set_aside(path: Path, companions: tuple[str, ...] = ()) -> Path:
    """Rename a damaged file (and its companion files, `path` + suffix) to `….corrupt-<time>`,
    kept for recovery; the new name."""
    aside = path.with_name(f"{path.name}.corrupt-{datetime.now():%Y%m%d-%H%M%S}")
    n = 1
    while aside.exists():  # twice in one second: never overwrite an earlier copy
        aside, n = path.with_name(f"{path.name}.corrupt-{datetime.now():%Y%m%d-%H%M%S}-{n}"), n + 1
    for suffix in ("", *companions):
        if (part := Path(f"{path}{suffix}")).exists():
            part.rename(Path(f"{aside}{suffix}"))
    return aside


def set_aside_copies(path: Path) -> list[Path]:
    """Damaged journals set aside beside `path`, the newest first."""
    try:
        names = [p.name for p in path.parent.iterdir()]
    except OSError:  # no folder yet, or not readable: nothing to list
        return []
    copies = [n for n in names if n.startswith(f"{path.name}.corrupt-") and not n.endswith(("-wal", "-shm"))]
    return [path.with_name(n) for n in sorted(copies, reverse=True)]


def is_damaged(exc: BaseException) -> bool:
    """A file that is not a database, or one whose pages are corrupt (not: locked, full, read-only)."""
    if isinstance(exc, Damaged):
        return True
    # Only SQLite's own verdict counts: an error without its code (a ProgrammingError from a bad
    # binding, say) is a bug in the caller, and setting a healthy journal aside for it loses nothing
    # but the journal itself, again at every write.
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _DAMAGED


def first_line(text: str, limit: int = 200) -> str:
    """An SQLite message (an integrity check lists every page) cut to something a line can hold."""
    lines = text.strip().splitlines() or [""]
    more = f" (+{len(lines) - 1})" if len(lines) > 1 else ""
    return lines[0][:limit] + more


class Damaged(sqlite3.DatabaseError):
    """An integrity check that failed: the file opens but some of its pages are unreadable."""

    sqlite_errorcode = 11


@dataclass(frozen=True)
class StoreState:
    """What health checks say of the store."""

    open: bool
    error: str | None  # why it is not open (it is tried again later)
    retry_in_s: float | None
    set_aside: Path | None  # the damaged file this process moved aside, if any


class Store:
    """One SQLite file, opened by `prepare` (schema, key), with a connection per operation."""

    def __init__(
        self,
        path: Path,
        prepare: Callable[[sqlite3.Connection], None],
        *,
        repair: bool,
        busy_timeout: float = BUSY_TIMEOUT_S,
        retry_s: tuple[float, float] = RETRY_S,
    ):
        self.path = path
        self.repair = repair
        self.busy_timeout = busy_timeout
        self._prepare = prepare
        self._retry_s = retry_s
        self._lock = threading.Lock()  # one thread opens, repairs or reopens at a time
        self._open = False
        self._error: str | None = None
        self._next_try = 0.0  # time.monotonic() before which no new attempt is made
        self._delay = retry_s[0]
        self._generation = 0  # the file in use: +1 each time a damaged one is set aside
        self.set_aside: Path | None = None
        with self._lock:
            self._try_open(first=True)

    # --- opening -----------------------------------------------------------------------

    def _try_open(self, first: bool = False) -> None:
        """Open (or create) the file; raise JournalError, or (with repair) remember why and retry later."""
        try:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._run_prepare(check=self.repair)
            except sqlite3.DatabaseError as exc:
                if not (self.repair and is_damaged(exc) and self.path.exists()):
                    raise
                self._replace_damaged(exc)
                self._run_prepare(check=False)
        except (sqlite3.Error, OSError, JournalError) as exc:
            if isinstance(exc, JournalError):
                reason = exc.for_user()
            elif isinstance(exc, OSError) and exc.strerror:
                reason = exc.strerror
            else:
                reason = first_line(str(exc))
            if not self.repair:
                raise self.error_for(exc, reason) from exc
            if first or reason != self._error:
                log.warning(
                    "the feedback database %s cannot be opened (%s); feedback, gaps and statistics wait, "
                    "trying again in %.0f s",
                    self.path, first_line(str(exc)), self._delay,
                )  # fmt: skip
            self._error = reason
            self._next_try = time.monotonic() + self._delay
            self._delay = min(self._delay * 2, self._retry_s[1])
            return
        if self._error is not None:
            log.info("the feedback database %s is open again", self.path)
        self._open, self._error, self._delay = True, None, self._retry_s[0]

    def _run_prepare(self, check: bool) -> None:
        db = self._connection()
        try:
            # damage in the middle of the file lets it open and fails every later write
            if check and self.path.stat().st_size > 0 and (result := self._quick_check(db)) != "ok":
                raise Damaged(f"integrity check: {first_line(result)}")
            with db:
                self._prepare(db)
        finally:
            db.close()

    @staticmethod
    def _quick_check(db: sqlite3.Connection) -> str:
        return str(db.execute("PRAGMA quick_check").fetchone()[0])

    def _replace_damaged(self, exc: BaseException) -> None:
        self._open = False
        try:
            self.set_aside = set_aside(self.path, companions=("-wal", "-shm"))  # its write-ahead log goes with it
        except OSError as error:  # a read-only folder: report it, never raise into a handler
            raise JournalError(
                f"the feedback database {self.path} is damaged ({exc}) and cannot be set aside: {error}",
                user_message=f"Cơ sở dữ liệu phản hồi {self.path} bị hỏng và không đổi tên được ({error.strerror}).",
            ) from error
        self._generation += 1
        log.error(
            "the feedback database %s is damaged (%s); kept as %s, starting a new one",
            self.path, first_line(str(exc)), self.set_aside,
        )  # fmt: skip

    def error_for(self, exc: BaseException, reason: str) -> JournalError:
        if is_damaged(exc):
            message = (
                f"Cơ sở dữ liệu phản hồi {self.path} bị hỏng ({reason}). Bot sẽ cất riêng tệp này "
                "(…corrupt-…) và bắt đầu tệp mới khi chạy; muốn giữ số liệu cũ thì khôi phục từ bản sao lưu."
            )
        elif "locked" in reason or "busy" in reason:
            message = f"Cơ sở dữ liệu phản hồi {self.path} đang bị chương trình khác giữ ({reason}); hãy thử lại sau."
        else:
            message = f"Không mở được cơ sở dữ liệu phản hồi {self.path} ({reason})."
        return JournalError(f"cannot open the feedback database {self.path}: {exc}", user_message=message)

    def _ready(self) -> int:
        """The generation of the open file, opening it again when its wait is over; JournalError if closed."""
        if not self._open:
            with self._lock:
                if not self._open and time.monotonic() >= self._next_try:
                    self._try_open()
            if not self._open:
                wait = max(0, round(self._next_try - time.monotonic()))
                raise JournalError(
                    f"the feedback database {self.path} is not open: {self._error}",
                    user_message=f"Chưa mở được cơ sở dữ liệu phản hồi ({self._error}); bot tự thử lại sau {wait} giây.",
                )
        return self._generation

    # --- operations --------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=self.busy_timeout)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connection()
        try:
            with db:  # commits, or rolls back on an exception
                yield db
        finally:
            db.close()

    def run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """`operation` in one transaction. A damaged file (with repair) is set aside, a new one started
        and the operation run once more there; sqlite3.Error or JournalError otherwise."""
        generation = self._ready()
        try:
            with self._transaction() as db:
                return operation(db)
        except sqlite3.DatabaseError as exc:
            if not (self.repair and is_damaged(exc)):
                raise
            with self._lock:
                if self._generation == generation:  # not already replaced by another thread
                    self._replace_damaged(exc)
                    self._try_open()
            self._ready()
            with self._transaction() as db:
                return operation(db)

    def state(self) -> StoreState:
        if not self._open:  # a health check is a use: it may reopen
            try:
                self._ready()
            except JournalError:
                pass
        retry = max(0.0, self._next_try - time.monotonic()) if not self._open else None
        return StoreState(self._open, self._error, retry, self.set_aside)
