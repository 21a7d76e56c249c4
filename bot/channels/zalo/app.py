"""Running the Zalo bot: the token, the messages already processed (kept across restarts),
long polling with backoff (the webhook is bot.channels.zalo.webhook; `python -m bot zalo` runs
either through bot.channels.zalo.main).

Zalo's getUpdates has no offset to acknowledge a message, so the bot remembers the ids of
the last messages it took (ZALO_STATE_FILE, beside the journal) and skips one it sees again,
whether the API redelivers it or the bot restarts. A message is marked taken, and the file
saved (off the event loop, the saves asked for meanwhile made as one), before it is answered:
a crash mid-answer loses that answer rather than sending it twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from bot.answering.service import QAService
from bot.channels.zalo.client import (
    POLL_TIMEOUT,
    Backoff,
    MaybeDone,
    Message,
    TokenRefused,
    ZaloApiError,
    ZaloClient,
    ZaloUnavailable,
)
from bot.channels.zalo.formatting import APOLOGY
from bot.channels.zalo.handlers import ZaloHandlers
from bot.core.access import AccessRules
from bot.core.assistant import Core
from bot.core.runtime import open_journal, quiet_logs, retry_until
from bot.operations.journal import set_aside
from bot.settings import BotSettings, feedback_path
from ingest.errors import SettingsError
from ingest.index.generations import write_json_atomic

log = logging.getLogger(__name__)

KEPT_IDS = 2000  # message ids remembered: far more than can be redelivered
CONCURRENT = 8  # messages answered at once (a chat's own messages in order)


def check_token(settings: BotSettings) -> str:
    """The bot token, or a clear error when it is missing."""
    token = settings.zalo_bot_token.get_secret_value().strip() if settings.zalo_bot_token else ""
    if not token or any(c.isspace() or c == "/" for c in token):
        raise SettingsError(
            "ZALO_BOT_TOKEN is not set (or holds spaces or '/')",
            user_message="Chưa đặt ZALO_BOT_TOKEN (lấy khi tạo bot trên Zalo Bot Creator); xem HUONG_DAN.md.",
        )
    return token


def zalo_state_path(settings: BotSettings, db: Path | None = None) -> Path:
    """ZALO_STATE_FILE, else zalo-state.json beside the journal."""
    return settings.zalo_state_file or feedback_path(settings, db).with_name("zalo-state.json")


class Processed:
    """The last `KEPT_IDS` messages taken, in a small JSON file written atomically (fsynced).

    `take` marks a message in memory; `save` writes the file in a worker thread, once for all
    the messages taken while an earlier write was under way. A file that cannot be parsed is
    set aside (when its folder allows); one that cannot be read (permissions) is left as it is,
    and the bot runs without the ids it holds."""

    def __init__(self, path: Path):
        self.path = path
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._taken = self._saved = 0  # how many takes there were, and how many the file holds
        self._saving = asyncio.Lock()
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:  # not damage (permissions, say): nothing to set aside
            log.error(
                "the Zalo state file %s cannot be read (%s); running without it: a message Zalo delivers "
                "again may be answered twice, and the file is replaced at the first save",
                path,
                exc,
            )
            return
        try:
            self._ids.update((str(i), None) for i in json.loads(raw.decode("utf-8"))["taken"][-KEPT_IDS:])
        except (ValueError, KeyError, TypeError) as exc:
            self._ids.clear()
            try:
                aside: Path | str = set_aside(path)
            except OSError as problem:  # a read-only folder: the file stays, unused
                aside = f"not moved: {problem}"
            log.error("the Zalo state file %s cannot be used (%s); kept as %s, starting afresh", path, exc, aside)

    def take(self, message: Message) -> bool:
        """True the first time a message is seen (and remembers it, to be saved), False after."""
        key = f"{message.chat_id}:{message.message_id}"
        if key in self._ids:
            return False
        self._ids[key] = None
        while len(self._ids) > KEPT_IDS:
            self._ids.popitem(last=False)
        self._taken += 1
        return True

    async def save(self) -> None:
        """Have the file hold every message taken so far (one write for the takes made meanwhile)."""
        wanted = self._taken
        async with self._saving:
            if self._saved >= wanted:
                return  # a write that began after this take has it
            taken, ids = self._taken, list(self._ids)
            await asyncio.to_thread(self._write, ids)
            self._saved = taken

    def _write(self, ids: list[str]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomic(self.path, {"taken": ids})
        except OSError as exc:  # a full disk: answer all the same, a restart may repeat one answer
            log.warning("could not save the Zalo state file %s: %s", self.path, exc)


@dataclass
class _ChatQueue:
    """A chat's messages answered one at a time, in the order they came."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class ZaloBot:
    """Takes each message once, answers it (a chat's messages in order), never dies of one."""

    def __init__(self, handlers: ZaloHandlers, processed: Processed):
        self.handlers = handlers
        self.processed = processed
        self._chats: dict[str, _ChatQueue] = {}
        self._slots = asyncio.Semaphore(CONCURRENT)
        self.tasks: set[asyncio.Task[None]] = set()

    def submit(self, message: Message) -> bool:
        """Start answering a message not taken before; whether it was new."""
        if not self.processed.take(message):
            log.info("Zalo message %s already processed; skipped", message.message_id)
            return False
        task = asyncio.get_running_loop().create_task(self._answer(message))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return True

    async def _answer(self, message: Message) -> None:
        await self.processed.save()  # taken for good before it is answered
        # a chat's lock first, then a slot: a chat's queued messages do not hold slots other chats need
        entry = self._chats.setdefault(message.chat_id, _ChatQueue())
        entry.waiting += 1
        try:
            async with entry.lock, self._slots:
                await self._handle(message)
        finally:
            entry.waiting -= 1
            if not entry.waiting:
                self._chats.pop(message.chat_id, None)

    async def _handle(self, message: Message) -> None:
        try:
            await self.handlers.handle(message)
        except MaybeDone as exc:  # a reply that may have arrived: an apology after it would only confuse
            log.warning("a Zalo reply may not have arrived: %s", exc)
        except Exception as exc:  # one failed message must not stop the bot
            log.error("Zalo message failed: %s", exc, exc_info=exc)
            try:
                await self.handlers.send(message.chat_id, APOLOGY)
            except Exception:  # noqa: BLE001 - the apology failed too (network): the log has it
                log.warning("could not apologise for a failed Zalo message")

    async def drain(self) -> None:
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)


async def wait_for_api(client: ZaloClient, first_delay: float = 1.0, max_delay: float = 60.0) -> dict[str, object]:
    """getMe, retried with backoff while the API cannot be reached or refuses the request (a 4xx
    other than the token's); a refused token ends it (TokenRefused)."""
    return await retry_until(
        client.get_me, (ZaloUnavailable, ZaloApiError), first_delay, max_delay, "reach the Zalo Bot API", log
    )


async def poll(
    bot: ZaloBot, client: ZaloClient, stop: asyncio.Event, timeout: int = POLL_TIMEOUT, first_delay: float = 1.0
) -> None:
    """Long polling until `stop`: one message per getUpdates; errors back off up to a minute.

    A poll in flight when `stop` is set is waited for, not cancelled: the server may already
    have handed it a message, which would otherwise be lost (stopping takes up to `timeout`).
    A request the API refuses (a 4xx: ZaloApiError) is backed off like an outage, never the end
    of the bot; each kind of failure is logged once (at its first try) until a poll succeeds."""
    delay = first_delay
    reported: set[tuple[str, int | None]] = set()
    while not stop.is_set():
        try:
            message = await client.get_update(timeout)
        except (ZaloUnavailable, ZaloApiError) as exc:
            kind = (type(exc).__name__, exc.code if isinstance(exc, ZaloApiError) else None)
            level = logging.DEBUG if kind in reported else logging.WARNING
            reported.add(kind)
            log.log(level, "Zalo getUpdates failed (%s); polling again in %.1f s", exc, delay)
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except TimeoutError:
                pass
            delay = min(60.0, delay * 2)
            continue
        if reported:
            log.warning("Zalo getUpdates works again")
            reported.clear()
        delay = first_delay
        if message is not None:
            bot.submit(message)


def build_bot(
    settings: BotSettings,
    service: QAService,
    client: ZaloClient,
    db: Path | None = None,
) -> ZaloBot:
    """The bot over the core: the journal (None when it cannot be opened), the access list, the limit."""
    rules = AccessRules.of(settings.zalo_allowed_users, settings.zalo_allowed_chats, settings.zalo_admins)
    core = Core(service, settings, open_journal(settings, db), rules, settings.zalo_rate_limit_per_minute, "zalo")
    return ZaloBot(ZaloHandlers(core, client), Processed(zalo_state_path(settings, db)))


def make_client(settings: BotSettings, backoff: Backoff | None = None) -> ZaloClient:
    return ZaloClient(check_token(settings), settings.zalo_api_base_url, backoff)


async def serve_polling(
    bot: ZaloBot, client: ZaloClient, stop: asyncio.Event, timeout: int = POLL_TIMEOUT, first_delay: float = 1.0
) -> None:
    await wait_for_api(client, first_delay)
    try:
        await client.delete_webhook()  # getUpdates and a webhook exclude each other
    except (ZaloUnavailable, ZaloApiError) as exc:  # none set, say: polling says whether one is in the way
        log.warning("could not delete the Zalo webhook (%s); polling all the same", exc)
    log.info("Zalo bot polling")
    try:
        await poll(bot, client, stop, timeout, first_delay)
    finally:
        await bot.drain()


def probe(settings: BotSettings) -> None:
    """One getMe before anything is loaded: a refused token is said at once (one line, exit code 2);
    an API that cannot be reached now is waited for later."""
    quiet_logs(check_token(settings))

    async def once() -> None:
        client = make_client(settings, Backoff(attempts=1))
        try:
            await client.get_me()
        finally:
            await client.aclose()

    try:
        asyncio.run(once())
    except TokenRefused as exc:
        raise refused(exc) from exc
    except (ZaloUnavailable, ZaloApiError) as exc:
        log.warning("the Zalo Bot API cannot be reached yet (%s); the bot will wait for it", exc)


def refused(exc: TokenRefused) -> SettingsError:
    return SettingsError(
        f"Zalo refused the bot token: {exc}",
        user_message="Zalo không chấp nhận ZALO_BOT_TOKEN; hãy kiểm tra lại token của bot trên Zalo Bot Creator.",
    )
