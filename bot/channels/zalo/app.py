"""Running the Zalo bot: the token, the messages already processed (kept across restarts),
long polling with backoff, or a webhook, and `run` for `python -m bot zalo`.

Zalo's getUpdates has no offset to acknowledge a message, so the bot remembers the ids of
the last messages it took (ZALO_STATE_FILE, beside the journal) and skips one it sees again,
whether the API redelivers it or the bot restarts. A message is marked taken before it is
answered: a crash mid-answer loses that answer rather than sending it twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from bot.channels.core import AccessRules, Core, open_journal, quiet_logs
from bot.channels.zalo.client import POLL_TIMEOUT, Backoff, Message, TokenRefused, ZaloClient, ZaloUnavailable
from bot.channels.zalo.formatting import APOLOGY
from bot.channels.zalo.handlers import ZaloHandlers
from bot.journal import set_aside
from bot.service import QAService
from bot.settings import BotSettings, feedback_path
from ingest.errors import SettingsError

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
    """The last `KEPT_IDS` messages taken, in a small JSON file written atomically after each."""

    def __init__(self, path: Path):
        self.path = path
        self._ids: OrderedDict[str, None] = OrderedDict()
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"taken": []}
            self._ids.update((str(i), None) for i in data["taken"][-KEPT_IDS:])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            aside = set_aside(path)
            log.error("the Zalo state file %s cannot be read (%s); kept as %s, starting afresh", path, exc, aside)

    def take(self, message: Message) -> bool:
        """True the first time a message is seen (and remembers it), False after."""
        key = f"{message.chat_id}:{message.message_id}"
        if key in self._ids:
            return False
        self._ids[key] = None
        while len(self._ids) > KEPT_IDS:
            self._ids.popitem(last=False)
        self._save()
        return True

    def _save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(self.path.name + ".tmp")
            temporary.write_text(json.dumps({"taken": list(self._ids)}), encoding="utf-8")
            os.replace(temporary, self.path)
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
    """getMe, retried with backoff while the API cannot be reached; a refused token ends it (TokenRefused)."""
    delay = first_delay
    while True:
        try:
            return await client.get_me()
        except ZaloUnavailable as exc:
            log.warning("cannot reach the Zalo Bot API (%s); trying again in %.0f s", exc, delay)
        await asyncio.sleep(delay)
        delay = min(max_delay, delay * 2)


async def poll(
    bot: ZaloBot, client: ZaloClient, stop: asyncio.Event, timeout: int = POLL_TIMEOUT, first_delay: float = 1.0
) -> None:
    """Long polling until `stop`: one message per getUpdates; errors back off up to a minute.

    A poll in flight when `stop` is set is waited for, not cancelled: the server may already
    have handed it a message, which would otherwise be lost (stopping takes up to `timeout`)."""
    delay = first_delay
    while not stop.is_set():
        try:
            message = await client.get_update(timeout)
        except ZaloUnavailable as exc:
            log.warning("Zalo getUpdates failed (%s); polling again in %.1f s", exc, delay)
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except TimeoutError:
                pass
            delay = min(60.0, delay * 2)
            continue
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


async def serve_polling(bot: ZaloBot, client: ZaloClient, stop: asyncio.Event) -> None:
    await wait_for_api(client)
    await client.delete_webhook()  # getUpdates and a webhook exclude each other
    log.info("Zalo bot polling")
    try:
        await poll(bot, client, stop)
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
    except ZaloUnavailable as exc:
        log.warning("the Zalo Bot API cannot be reached yet (%s); the bot will wait for it", exc)


def refused(exc: TokenRefused) -> SettingsError:
    return SettingsError(
        f"Zalo refused the bot token: {exc}",
        user_message="Zalo không chấp nhận ZALO_BOT_TOKEN; hãy kiểm tra lại token của bot trên Zalo Bot Creator.",
    )


def run(settings: BotSettings, db: Path | None, webhook_url: str | None, listen: str, port: int) -> None:
    """Run until SIGINT / SIGTERM: long polling, or a webhook (with GET /healthz) when `webhook_url` is given."""
    from bot.channels.zalo.webhook import serve_webhook, webhook_options

    token = check_token(settings)
    options = webhook_options(settings, webhook_url, listen, port) if webhook_url else None  # refuse before loading
    quiet_logs(token)
    service = QAService(settings, db)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        client = make_client(settings)
        try:
            bot = build_bot(settings, service, client, db)
            if options is None:
                await serve_polling(bot, client, stop)
            else:
                await serve_webhook(bot, client, options, stop)
        finally:
            await client.aclose()

    try:
        asyncio.run(main())
    except TokenRefused as exc:
        raise refused(exc) from exc
