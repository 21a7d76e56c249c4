"""The journal against a real SQLite file that another process locks or that is damaged (issue 32,
finding 5): the bot keeps its feedback, gaps and statistics, and its health checks say what
happened. Locks are held by a second connection in a thread, released by an event (never by
sleeping), and every wait is bounded."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_operations import exchange

from bot.operations.gaps import gap_report
from bot.operations.health import check_journal, live_journal
from bot.operations.journal import Journal, JournalError
from bot.settings import BotSettings

HOLD_LIMIT_S = 30  # a lock is never held longer, whatever happens to the test


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Another connection holds `path` with BEGIN EXCLUSIVE until the block ends."""
    locked, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def hold() -> None:
        try:
            db = sqlite3.connect(path, timeout=5)
            db.execute("BEGIN EXCLUSIVE")
            locked.set()
            release.wait(HOLD_LIMIT_S)
            db.rollback()
            db.close()
        except BaseException as exc:  # reported by the test thread
            failure.append(exc)
            locked.set()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert locked.wait(HOLD_LIMIT_S) and not failure, failure
    try:
        yield
    finally:
        release.set()
        thread.join(HOLD_LIMIT_S)


def _file(path: Path, wal: bool) -> None:
    """A journal file as another process finds it: the bot's own (WAL) or one in SQLite's default mode."""
    if wal:
        Journal(path).record(exchange("0" * 12, "câu hỏi trước đó"))
    else:
        sqlite3.connect(path).executescript("CREATE TABLE other (a); INSERT INTO other VALUES (1);").close()


@pytest.mark.parametrize("wal", [True, False], ids=["bot-journal", "rollback-journal"])
def test_journal_locked_by_another_process_at_start_is_not_switched_off(tmp_path, wal):
    path = tmp_path / "f.sqlite3"
    _file(path, wal)
    with held(path):
        journal = Journal(path, busy_timeout=0.05, retry_s=(0.0, 0.0))  # before: JournalError, journal off
        assert not journal.record(exchange("a" * 12, "Ban thanh tra có mấy người?"))
        assert not journal.rate(-100777, "a" * 12, 424242, -1)  # said so: "Chưa ghi được phản hồi"
        health = live_journal(journal)
        assert health["ok"] is False and "locked" in health["error"]
    # the lock is gone: the next use reopens, writes what was kept, and everything works again
    assert journal.rate(-100777, "a" * 12, 424242, -1)
    assert [e.question for e in journal.feedback()] == ["Ban thanh tra có mấy người?"]
    assert journal.stats().answered == (2 if wal else 1)
    assert live_journal(journal) == {"ok": True}


def test_journal_locked_waits_before_trying_again(tmp_path, monkeypatch):
    """Backoff: a journal that could not be opened is not tried again before its wait is over."""
    path = tmp_path / "f.sqlite3"
    _file(path, wal=False)
    clock = [1000.0]
    monkeypatch.setattr("bot.operations.journal_store.time.monotonic", lambda: clock[0])
    with held(path):
        journal = Journal(path, busy_timeout=0.05, retry_s=(5.0, 40.0))
        clock[0] += 6
        assert not journal.record(exchange("a" * 12, "một"))  # tried again, still locked: now waits 10 s
    with pytest.raises(JournalError) as waiting:
        journal.stats()  # the lock is gone, but the wait is not over
    assert "thử lại sau 10 giây" in waiting.value.for_user()
    assert live_journal(journal)["waiting"] is True
    clock[0] += 10
    assert journal.record(exchange("b" * 12, "hai"))
    assert journal.stats().answered == 2  # the exchange kept while locked is written too


def test_journal_locked_shorter_than_its_busy_timeout_loses_nothing(tmp_path):
    """A write waits for another process's lock (the busy timeout) instead of failing at once."""
    path = tmp_path / "f.sqlite3"
    journal = Journal(path, busy_timeout=HOLD_LIMIT_S)
    written: list[bool] = []
    writer = threading.Thread(target=lambda: written.append(journal.record(exchange("a" * 12, "chờ khóa"))))
    with held(path):
        writer.start()
        writer.join(0.5)  # gives the writer time to meet the lock (it passes either way)
    writer.join(HOLD_LIMIT_S)
    assert written == [True] and journal.stats().answered == 1


def _damage(path: Path, pages: tuple[int, ...]) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with path.open("r+b") as stream:
        for page in pages:
            stream.seek(page * page_size)
            stream.write(b"\xde\xad\xbe\xef" * (page_size // 4))


@pytest.fixture(scope="module")
def filled_file(tmp_path_factory) -> Path:
    """A journal of 200 exchanges and 20 👎, written once; each test damages its own copy."""
    path = tmp_path_factory.mktemp("filled") / "f.sqlite3"
    journal = Journal(path)
    for i in range(200):
        journal.record(exchange(f"{i:012}", "câu hỏi về quy chế dân chủ " * 8, found=i % 3 > 0, user=i))
        if i % 10 == 0:
            journal.rate(-100777, f"{i:012}", i, -1)
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    db.close()
    return path


def _filled(source: Path, path: Path) -> Journal:
    shutil.copyfile(source, path)
    return Journal(path)


@pytest.mark.parametrize("pages", [(0,), (2,), (3, 5, 8), tuple(range(10, 30)), (40, 60)])
def test_journal_damaged_in_middle_pages_is_set_aside_and_a_new_one_started(tmp_path, filled_file, pages):
    path = tmp_path / "f.sqlite3"
    _filled(filled_file, path).stats()
    _damage(path, pages)

    with pytest.raises(JournalError) as cli:
        Journal(path, repair=False).check()  # `bot health` reports, never repairs
    assert "hỏng" in cli.value.for_user() and "\n" not in cli.value.for_user()
    line = check_journal(BotSettings(feedback_db=path), None)
    assert line.ok is False and "hỏng" in line.detail and "\n" not in line.detail

    journal = Journal(path)  # the bot: before, this opened and every write failed ("malformed")
    assert journal.record(exchange("n" * 12, "Câu hỏi mới", found=False))
    assert journal.rate(-100777, "n" * 12, 1, -1)
    assert journal.stats().unanswered == 1 and gap_report(journal).questions == 1
    (aside,) = tmp_path.glob("f.sqlite3.corrupt-*")
    assert aside.stat().st_size > 0  # kept for recovery
    assert live_journal(journal) == {"ok": True, "set_aside": aside.name}
    assert check_journal(BotSettings(feedback_db=path), None).ok is True
    assert aside.name in check_journal(BotSettings(feedback_db=path), None).detail


@pytest.mark.parametrize("use", ["record", "rate", "stats", "gaps", "feedback", "check"])
def test_journal_damaged_while_the_bot_runs_is_set_aside_at_first_use(tmp_path, filled_file, use):
    path = tmp_path / "f.sqlite3"
    journal = _filled(filled_file, path)
    _damage(path, tuple(range(2, 40)))
    operations = {
        "record": lambda: journal.record(exchange("n" * 12, "mới")),
        "rate": lambda: journal.rate(-100777, "n" * 12, 1, -1),
        "stats": journal.stats,
        "gaps": lambda: gap_report(journal),
        "feedback": journal.feedback,
        "check": journal.check,
    }
    operations[use]()  # before: "database disk image is malformed", every time
    assert len(list(tmp_path.glob("f.sqlite3.corrupt-*"))) == 1
    assert journal.record(exchange("m" * 12, "sau đó")) and journal.stats().answered >= 1
    assert "set_aside" in live_journal(journal)


def test_journal_locked_at_bot_start_is_open_for_the_bot(tmp_path):
    """The bot's start (open_journal) while a backup holds the bot's own journal: it
    opens (reading only), instead of 'feedback, gaps and statistics are off' until a restart."""
    from bot.core.runtime import open_journal

    path = tmp_path / "f.sqlite3"
    _file(path, wal=True)
    with held(path):
        journal = open_journal(BotSettings(feedback_db=path), None)
        assert journal is not None and journal.state().open
        assert [q.question for q in journal.unanswered()] == []  # reads work beside the writer's lock
    assert journal.rate(-100777, "0" * 12, 1, -1) and journal.feedback()[0].question == "câu hỏi trước đó"


def test_journal_damaged_that_cannot_be_set_aside_is_reported_not_raised(tmp_path, filled_file, monkeypatch):
    path = tmp_path / "f.sqlite3"
    journal = _filled(filled_file, path)
    _damage(path, tuple(range(2, 12)))

    def refuse(self, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rename", refuse)
    assert not journal.record(exchange("n" * 12, "mới"))  # logged, the answer still goes out
    with pytest.raises(JournalError) as report:
        journal.stats()
    assert "hỏng" in report.value.for_user()
    assert Journal(path).state().open is False  # a new start waits and tries again later


@pytest.mark.parametrize(
    "bad",
    [
        lambda db: db.execute("select ?", ({},)),  # a value SQLite cannot bind
        lambda db: db.execute("select ?, ?", (1,)),  # the wrong number of bindings
        lambda db: db.execute("select * from no_such_table"),
    ],
)
def test_journal_programming_error_is_not_damage(tmp_path, filled_file, bad):
    """A bug in a statement raises as it is; before, each one set a healthy journal aside."""
    path = tmp_path / "f.sqlite3"
    journal = _filled(filled_file, path)
    for _ in range(2):
        with pytest.raises(sqlite3.Error):
            journal._store.run(bad)
    assert list(tmp_path.glob("f.sqlite3.corrupt-*")) == []
    assert journal.stats().answered >= 1  # the same journal, its rows kept
