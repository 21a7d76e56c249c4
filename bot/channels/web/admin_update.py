"""The index update the administration page starts: `Core.update` in a thread of its own, and
what the page shows of it (running since, then its result or its failure).

A file saved while an update runs may be missed by that update's scan, so a start asked for
meanwhile is kept and runs once the current one ends; an update already running from another
channel (/capnhat) is waited for, then this one runs."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.assistant import Core, Updated
from ingest.errors import QcdcError

log = logging.getLogger(__name__)

BUSY_RETRY = 2.0  # seconds between looks at another channel's update


@dataclass(frozen=True)
class UpdateState:
    """A snapshot for a page. `running`: this page's update or another channel's (/capnhat)."""

    running: bool
    started: datetime | None = None
    finished: datetime | None = None
    result: Updated | None = None
    error: str | None = None  # the Vietnamese reason it failed ("": unexpected, see the log)


@dataclass
class UpdateJob:
    core: Core
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None
    last: UpdateState = field(default_factory=lambda: UpdateState(False))
    running: bool = False  # this page's update thread has work (set and cleared under the lock)
    again: bool = False  # a start was asked for while this page's update ran

    def state(self) -> UpdateState:
        with self.lock:
            last = self.last
            mine = self.running
        if mine or self.core.update_running:
            return UpdateState(True, last.started if mine else None)
        return last

    def start(self) -> bool:
        """Start an update; one asked for while this page's runs follows it. Whether a new one started."""
        with self.lock:
            if self.running:
                self.again = True
                return False
            self.running = True
            self.last = UpdateState(True, datetime.now())
            self.thread = threading.Thread(target=self._run, name="web-update", daemon=True)
            self.thread.start()
            return True

    def _run(self) -> None:
        while True:
            state = self._once()
            with self.lock:
                self.last = state
                if not self.again or state.error is not None:
                    self.running = self.again = False
                    return
                self.again = False
                self.last = UpdateState(True, datetime.now())

    def _once(self) -> UpdateState:
        started = self.last.started
        try:
            result = self.core.update()
            while result is None:  # another channel's update holds the index: this one follows it
                time.sleep(BUSY_RETRY)
                result = self.core.update()
        except QcdcError as exc:
            log.warning("web update failed: %s", exc)
            return UpdateState(False, started, datetime.now(), error=exc.for_user())
        except Exception:
            log.exception("web update failed")
            return UpdateState(
                False, started, datetime.now(), error=""
            )  # the template words it; the log has the traceback
        log.info("web update done: %s", result)
        return UpdateState(False, started, datetime.now(), result)
