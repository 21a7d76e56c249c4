"""Logs that a flood cannot fill: one line per kind of event per interval.

The line after a quiet interval says how many were left out. Hand-written
(about forty lines) because the standard library has no rate-limited logging,
and a flood of refused webhook calls must not write thousands of lines nor
spend the event loop on them (issue 32). Kinds are fixed strings chosen by the
caller (never an address or a path a client sends), so the table stays small.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

INTERVAL_S = 60.0
MAX_KINDS = 256  # a bound on the table, should a caller ever pass varied kinds


@dataclass
class _Seen:
    last: float
    left_out: int = 0


class _Limiter:
    def __init__(self, interval_s: float, clock: Callable[[], float]):
        self.interval_s = interval_s
        self._clock = clock
        self._seen: dict[str, _Seen] = {}
        self._lock = threading.Lock()  # logging is called from threads too (asyncio.to_thread)

    def admit(self, kind: str) -> int | None:
        """None: leave this one out; else how many of its kind were left out since the last line."""
        now = self._clock()
        with self._lock:
            seen = self._seen.get(kind)
            if seen is not None and now - seen.last < self.interval_s:
                seen.left_out += 1
                return None
            if seen is None and len(self._seen) >= MAX_KINDS:
                self._seen = {k: s for k, s in self._seen.items() if now - s.last < self.interval_s}
            left_out = seen.left_out if seen is not None else 0
            self._seen[kind] = _Seen(now)
            return left_out


def _more(left_out: int, interval_s: float) -> str:
    return f" ({left_out} more like it in the last {interval_s:.0f} s)" if left_out else ""


class RateLimitedLog:
    """`log.warning("secret", "call without the right secret from %s", ip)`: at most one line per kind per interval."""

    def __init__(
        self, logger: logging.Logger, interval_s: float = INTERVAL_S, clock: Callable[[], float] = time.monotonic
    ):
        self.logger = logger
        self._limiter = _Limiter(interval_s, clock)

    def log(self, level: int, kind: str, msg: str, *args: object) -> bool:
        """Log unless a line of this kind was written within the interval; True when written."""
        left_out = self._limiter.admit(kind)
        if left_out is None:
            return False
        self.logger.log(level, msg + _more(left_out, self._limiter.interval_s), *args)
        return True

    def info(self, kind: str, msg: str, *args: object) -> bool:
        return self.log(logging.INFO, kind, msg, *args)

    def warning(self, kind: str, msg: str, *args: object) -> bool:
        return self.log(logging.WARNING, kind, msg, *args)

    def error(self, kind: str, msg: str, *args: object) -> bool:
        return self.log(logging.ERROR, kind, msg, *args)


class RateLimitFilter(logging.Filter):
    """The same for another library's logger (tornado's per-connection messages), keyed on the format string."""

    def __init__(self, interval_s: float = INTERVAL_S, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self._limiter = _Limiter(interval_s, clock)

    def filter(self, record: logging.LogRecord) -> bool:
        left_out = self._limiter.admit(str(record.msg))
        if left_out is None:
            return False
        if left_out:
            record.msg = f"{record.getMessage()}{_more(left_out, self._limiter.interval_s)}"
            record.args = ()
        return True
