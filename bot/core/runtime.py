"""What a channel's runner needs besides the core: the journal opened without stopping the bot,
logs that never show a token, and waiting for an API that cannot be reached yet."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from bot.operations.journal import Journal
from bot.settings import BotSettings, feedback_path
from ingest import QcdcError

log = logging.getLogger(__name__)


def open_journal(settings: BotSettings, db: Path | None) -> Journal | None:
    """The journal, or None (with an error in the log) when its file cannot be opened: a bot
    must answer even on a full or read-only disk."""
    try:
        return Journal(feedback_path(settings, db))
    except QcdcError as exc:
        log.error("feedback, gaps and statistics are off: %s", exc)
        return None


class RedactToken(logging.Filter):
    """Remove the token from every log record (httpx and exception texts carry URLs)."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = ()
        if record.exc_info and record.exc_info[1] is not None and self.token in str(record.exc_info[1]):
            record.exc_text = logging.Formatter().formatException(record.exc_info).replace(self.token, "<token>")
        return True


def quiet_logs(token: str) -> None:
    """httpx logs every request URL (a bot's token included) at INFO: keep it at WARNING, redact the rest.
    Idempotent: a logger or handler that already redacts this token gets no second filter."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact = RedactToken(token)
    root = logging.getLogger()
    for target in (*root.handlers, root):
        if not any(isinstance(f, RedactToken) and f.token == token for f in target.filters):
            target.addFilter(redact)


T = TypeVar("T")


async def retry_until(
    call: Callable[[], Awaitable[T]],
    retry_on: type[BaseException] | tuple[type[BaseException], ...],
    first_delay: float = 1.0,
    max_delay: float = 60.0,
    what: str = "reach the API",
    logger: logging.Logger = log,
) -> T:
    """`call()`'s result, retried with doubling delays (up to `max_delay`) while it raises
    `retry_on`, one warning per try ("cannot {what} …"); any other error ends it. A bot started
    while the network is down waits for it instead of exiting with a traceback."""
    delay, attempt = first_delay, 1
    while True:
        try:
            result = await call()
        except retry_on as exc:
            logger.warning("cannot %s (%s); trying again in %.0f s", what, exc, delay)
        else:
            if attempt > 1:
                logger.warning("could %s after %d tries", what, attempt)
            return result
        await asyncio.sleep(delay)
        delay, attempt = min(max_delay, delay * 2), attempt + 1
