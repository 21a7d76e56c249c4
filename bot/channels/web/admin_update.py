"""The index update the administration page starts: `Core.update` in a thread of its own, and
what the page shows of it (running since, then its result or its failure)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.assistant import Core, Updated
from ingest.errors import QcdcError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateState:
    """A snapshot for a page. `running`: this page's update or another channel's (/capnhat)."""

    running: bool
    started: datetime | None = None
    finished: datetime | None = None
    result: Updated | None = None
    error: str | None = None  # the Vietnamese reason it failed
    busy: bool = False  # the last start found an update already running elsewhere


@dataclass
class UpdateJob:
    core: Core
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None
    last: UpdateState = field(default_factory=lambda: UpdateState(False))

    def state(self) -> UpdateState:
        with self.lock:
            last = self.last
        mine = self.thread is not None and self.thread.is_alive()
        if mine or self.core.update_running:
            return UpdateState(True, last.started if mine else None, busy=last.busy)
        return last

    def start(self) -> bool:
        """Start an update unless one is running (here or elsewhere); whether it started."""
        with self.lock:
            if (self.thread is not None and self.thread.is_alive()) or self.core.update_running:
                return False
            self.last = UpdateState(True, datetime.now())
            self.thread = threading.Thread(target=self._run, name="web-update", daemon=True)
            self.thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        """For tests and shutdown: until the running update ends."""
        thread = self.thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        started = self.last.started
        result: Updated | None = None
        error: str | None = None
        busy = False
        try:
            result = self.core.update()
            busy = result is None
        except QcdcError as exc:
            log.warning("web update failed: %s", exc)
            error = exc.for_user()
        except Exception:
            log.exception("web update failed")
            error = ""  # the template's general wording; the log holds the traceback
        if result is not None:
            log.info("web update done: %s", result)
        with self.lock:
            self.last = UpdateState(False, started, datetime.now(), result, error, busy)
