"""The administration's login: the password checked in constant time, sessions held by the
server (a signed cookie carries only a random token, so logging out ends it for good) with an
expiry, and failed logins slowed down per address and in all.

Sessions live in the process: a restart logs every administrator out, which is the safe side.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

ADMIN_COOKIE = "qcdc_quantri"
SESSION_SECONDS = 8 * 3600  # a working day; then the password again
FAILURE_WINDOW = 15 * 60  # failed logins are counted over this many seconds …
FAILURES_PER_ADDRESS = 5  # … from one address
FAILURES_IN_ALL = 30  # … from everywhere (a guess spread over many addresses)
MAX_SESSIONS = 100  # the oldest session goes when more are open


def password_matches(given: str, password: str) -> bool:
    """Constant time whatever the lengths: both sides hashed to 32 bytes, then compared."""
    a = hashlib.sha256(given.encode("utf-8", "surrogatepass")).digest()
    b = hashlib.sha256(password.encode("utf-8", "surrogatepass")).digest()
    return hmac.compare_digest(a, b)


@dataclass
class Sessions:
    """Open administrator sessions: token → when it expires (monotonic seconds)."""

    lifetime: float = SESSION_SECONDS
    clock: Callable[[], float] = time.monotonic
    open: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> str:
        token = secrets.token_urlsafe(32)
        with self.lock:
            self._drop_expired()
            while len(self.open) >= MAX_SESSIONS:
                del self.open[next(iter(self.open))]
            self.open[token] = self.clock() + self.lifetime
        return token

    def valid(self, token: str | None) -> bool:
        if not token:
            return False
        with self.lock:
            expiry = self.open.get(token)
            if expiry is None:
                return False
            if expiry <= self.clock():
                del self.open[token]
                return False
            return True

    def end(self, token: str | None) -> None:
        with self.lock:
            self.open.pop(token or "", None)

    def _drop_expired(self) -> None:
        now = self.clock()
        for token in [t for t, expiry in self.open.items() if expiry <= now]:
            del self.open[token]


@dataclass
class LoginGuard:
    """Failed logins counted per address and in all over a window; past either bound, logins
    are refused (even with the right password) until the window moves on."""

    window: float = FAILURE_WINDOW
    per_address: int = FAILURES_PER_ADDRESS
    in_all: int = FAILURES_IN_ALL
    clock: Callable[[], float] = time.monotonic
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    everyone: deque[float] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, address: str) -> int:
        """0 when the address may try now, else seconds until it may."""
        with self.lock:
            now = self.clock()
            mine = self._recent(self.failures[address], now)
            everyone = self._recent(self.everyone, now)
            waits = [self.window - (now - q[0]) for q, bound in ((mine, self.per_address), (everyone, self.in_all))
                     if len(q) >= bound]  # fmt: skip
            if not mine:
                del self.failures[address]  # no memory kept of addresses that failed long ago
            return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, address: str) -> None:
        with self.lock:
            now = self.clock()
            self.failures[address].append(now)
            self.everyone.append(now)
        # The address and the count, never what was typed (a password one character off is a password).
        log.warning("failed administration login from %s (%d in %d s)", address, len(self.failures[address]),
                    int(self.window))  # fmt: skip

    def succeeded(self, address: str) -> None:
        with self.lock:
            self.failures.pop(address, None)

    def _recent(self, q: deque[float], now: float) -> deque[float]:
        while q and now - q[0] >= self.window:
            q.popleft()
        return q
