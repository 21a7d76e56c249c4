"""Is the bot fit to serve? `python -m bot health` (one line per check, exit 0 or 1) and, in
webhook mode, `GET /healthz` (JSON, 200 or 503) for a monitor or a load balancer.

The command checks everything a fresh start needs: the index opens, holds passages and was
built with the configured model; the model loads and embeds with the index's dimension; the
feedback database is sound and writable (and which damaged copies the bot set aside); each channel
adds its own check (Telegram: with a token, getMe accepts it). /healthz
checks only what a running bot can lose, cheaply (anyone can call it; the webhook server also
keeps its answer a few seconds): its index and its journal (there and writable, waiting to be
opened again, or a damaged one set aside and a new one started).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.answering.service import QAService
from bot.operations.journal import Journal
from bot.operations.journal_store import first_line, set_aside_copies
from bot.settings import BotSettings, feedback_path
from ingest import ChunkIndex, QcdcError, embedding_identity, make_embedder, open_store

log = logging.getLogger(__name__)

PROBE_BUSY_S = 0.25  # /healthz waits this long for the journal's write lock (the bot's own writes are shorter)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not checked (no token)
    detail: str

    def line(self) -> str:
        mark = {True: "OK  ", False: "LỖI ", None: "--  "}[self.ok]
        return f"{mark} {self.name}: {self.detail}"


def check_index(settings: BotSettings, db: Path | None) -> tuple[Check, int | None]:
    """The index and, when it opens, its vectors' dimension."""
    name = "Chỉ mục"
    try:
        store = open_store(settings, db)
        if not store.is_current():
            return Check(
                name, False, f"chưa có ở {store.location} (hoặc của phiên bản cũ): chạy `python -m ingest`"
            ), None
        index = ChunkIndex.open(store)
        try:
            passages = index.count()
            index.check_model(embedding_identity(settings))
            pointer = index.pointer
        finally:
            index.close()
    except QcdcError as exc:
        return Check(name, False, exc.for_user()), None
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure as a line
        return Check(name, False, f"không mở được ({type(exc).__name__}: {exc})"), None
    if passages == 0:
        return Check(name, False, f"{store.location} rỗng: chạy `python -m ingest`"), pointer.dimension
    return (
        Check(name, True, f"{store.location}, {passages} đoạn, mô hình {pointer.embedding_model}"),
        pointer.dimension,
    )


def check_model(settings: BotSettings, dimension: int | None) -> Check:
    name = "Mô hình nhúng"
    try:
        vector = make_embedder(settings).embed_query("quy chế dân chủ ở cơ sở")
    except QcdcError as exc:
        return Check(name, False, exc.for_user())
    except Exception as exc:  # noqa: BLE001
        return Check(name, False, f"không nạp được {settings.embedding_model} ({type(exc).__name__}: {exc})")
    if dimension is not None and len(vector) != dimension:
        return Check(name, False, f"{settings.embedding_model} cho vector {len(vector)} chiều, chỉ mục cần {dimension}")
    return Check(name, True, f"{settings.embedding_model}, {len(vector)} chiều")


def check_journal(settings: BotSettings, db: Path | None) -> Check:
    """Sound and writable (never repaired here: the bot does that); damaged copies set aside are named."""
    name = "Cơ sở dữ liệu phản hồi"
    path = feedback_path(settings, db)
    aside = set_aside_copies(path)
    note = f"; đã có {len(aside)} tệp hỏng được cất riêng, mới nhất {aside[0].name}" if aside else ""
    if not path.exists():
        return Check(name, True, f"{path}: chưa có, bot tạo khi chạy lần đầu{note}")
    try:
        return Check(name, True, Journal(path, repair=False).check() + note)
    except QcdcError as exc:
        return Check(name, False, exc.for_user() + note)


def run_checks(settings: BotSettings, db: Path | None = None) -> list[Check]:
    """The checks every deployment shares; each channel adds its own (`python -m bot health` composes them)."""
    index, dimension = check_index(settings, db)
    return [index, check_model(settings, dimension), check_journal(settings, db)]


def live(service: QAService, journal: Journal | None) -> dict[str, Any]:
    """What /healthz answers: the running bot's index and journal."""
    checks: dict[str, Any] = {}
    try:
        passages = service.index.count()
        checks["index"] = {"ok": passages > 0, "passages": passages}
    except Exception as exc:  # noqa: BLE001
        checks["index"] = {"ok": False, "error": type(exc).__name__}
    checks["journal"] = live_journal(journal)
    return {"ok": all(c["ok"] for c in checks.values()), **checks}


def live_journal(journal: Journal | None) -> dict[str, Any]:
    """/healthz's journal: ok, or why not ("waiting": it cannot be opened now and is tried again,
    `retry_in_s`); `set_aside`: the damaged file this bot moved aside before starting a new one.

    Cheap, since anyone may ask: the store's state (no I/O while it is open) and `probe_journal`,
    never `Journal.check` (a quick_check reads the whole file, and BEGIN IMMEDIATE may wait the
    busy timeout); that check is `python -m bot health`'s."""
    if journal is None:
        return {"ok": False, "error": "not open"}
    state = journal.state()  # reopens a closed journal whose wait is over
    report: dict[str, Any]
    if state.open:
        error = probe_journal(journal.path)
        report = {"ok": True} if error is None else {"ok": False, "error": error}
    else:
        report = {"ok": False, "error": state.error or "not open", "waiting": True}
        report["retry_in_s"] = round(state.retry_in_s or 0.0, 1)
    if state.set_aside is not None:
        report["set_aside"] = state.set_aside.name
    return report


def probe_journal(path: Path, busy_s: float = PROBE_BUSY_S) -> str | None:
    """None when the journal's file is there, a file, and writable now (the write lock can be
    taken within `busy_s`; nothing is written); else why not, in one line. It reads a page or two:
    a file damaged in its middle is found by the bot at its next use, or by `python -m bot health`."""
    if not path.is_file():  # deleted or replaced under the running bot: sqlite3.connect would create it
        return f"{path} is missing or not a file"
    if not os.access(path, os.R_OK | os.W_OK):
        return f"{path} is not writable"
    try:
        db = sqlite3.connect(path, timeout=busy_s, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")  # another process's write lock (a backup) shows here
            db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()
            db.execute("ROLLBACK")
        finally:
            db.close()
    except sqlite3.Error as exc:
        return first_line(str(exc))
    return None
