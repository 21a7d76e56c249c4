"""`/quan-tri`: the administration page, behind WEB_ADMIN_PASSWORD.

Login (`admin_auth`), the unit's documents uploaded or removed (`admin_docs`), the index
updated in a thread while questions keep being answered (`admin_update`), and the journal's
reports: the latest 👎 with their comments (and every feedback as CSV, the CLI's export), what
the library lacks, and statistics with a weekly chart drawn here (`chart`). Every page but the
login refuses a browser without an open administrator session: it is sent to the login.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

import tornado.web

from bot import wording
from bot.channels.web.admin_auth import ADMIN_COOKIE, SESSION_SECONDS, LoginGuard, Sessions, password_matches
from bot.channels.web.admin_docs import Uploaded, documents, remove, save
from bot.channels.web.admin_update import UpdateJob
from bot.channels.web.chart import weekly_chart
from bot.channels.web.context import Page, WebContext
from bot.operations.reports import Report, write_feedback
from ingest.errors import QcdcError

log = logging.getLogger(__name__)

HOME = "/quan-tri"
LOGIN = "/quan-tri/dang-nhap"
UPDATE = "/quan-tri/cap-nhat"
MAX_FILES = 20  # files in one upload


TELEGRAM_COMMAND = re.compile(r" \(/[a-z]+\)")  # "Tra cứu văn bản (/vb)": the report is Telegram's too


def without_commands(report: Report) -> Report:
    """The report as the web says it: a page has no Telegram commands to point to."""
    return replace(
        report,
        sections=[(title, [TELEGRAM_COMMAND.sub("", item) for item in items]) for title, items in report.sections],
    )


@dataclass(frozen=True)
class Batch:
    """The last change to the folder, shown beside the update it started."""

    at: datetime
    uploaded: tuple[Uploaded, ...] = ()
    removed: str | None = None

    @property
    def saved(self) -> int:
        return sum(u.saved for u in self.uploaded)


@dataclass
class AdminState:
    """One application's administration: its sessions, failed logins, update, last change."""

    job: UpdateJob
    sessions: Sessions = field(default_factory=Sessions)
    guard: LoginGuard = field(default_factory=LoginGuard)
    batch: Batch | None = None


class AdminPage(Page):
    """A page of the administration: refused (sent to the login) without a session."""

    state: AdminState

    def initialize(self, ctx: WebContext, state: AdminState) -> None:  # type: ignore[override]
        super().initialize(ctx)
        self.state = state

    def enabled(self) -> bool:
        return self.ctx.settings.web_admin_password is not None

    def admin_token(self) -> str | None:
        raw = self.get_signed_cookie(ADMIN_COOKIE, max_age_days=SESSION_SECONDS / 86400)
        return raw.decode() if raw else None

    def prepare(self) -> None:
        if not (self.enabled() and self.state.sessions.valid(self.admin_token())):
            target = self.request.path if self.request.method == "GET" else HOME
            self.redirect(f"{LOGIN}?tiep={quote(target)}", status=303)

    def render_page(self, template: str, **values: Any) -> None:
        self.set_header("Cache-Control", "no-store")  # an administrator's pages stay out of shared caches
        super().render_page(template, admin=True, **values)

    def show_report(self, kind: str, template: str, **values: Any) -> None:
        report: Report | None = None
        error = None
        try:
            report = self.core.report(kind)
        except QcdcError as exc:
            error = exc.for_user()
        if report is None and error is None:
            error = wording.JOURNAL_CLOSED
        self.render_page(template, report=report and without_commands(report), error=error, **values)


class Login(AdminPage):
    def prepare(self) -> None:  # the one page open without a session
        pass

    def next_page(self) -> str:
        target = self.get_argument("tiep", HOME)
        return target if target.startswith(HOME) and "//" not in target and "\\" not in target else HOME

    def get(self) -> None:
        self.render_page("login.html", enabled=self.enabled(), error=None, wait=0, next_page=self.next_page())

    def post(self) -> None:
        password = self.ctx.settings.web_admin_password
        if password is None:
            self.get()
            return
        address = self.request.remote_ip or "-"
        wait = self.state.guard.wait_seconds(address)
        if wait:
            log.warning("administration login refused from %s: too many failures", address)
            self.set_status(429)
            self.render_page("login.html", enabled=True, error="wait", wait=wait, next_page=self.next_page())
            return
        if not password_matches(self.get_body_argument("mat_khau", ""), password.get_secret_value()):
            self.state.guard.failed(address)
            self.set_status(403)
            self.render_page("login.html", enabled=True, error="wrong", wait=0, next_page=self.next_page())
            return
        self.state.guard.succeeded(address)
        log.info("administration login from %s", address)
        self.set_signed_cookie(
            ADMIN_COOKIE,
            self.state.sessions.start(),
            expires_days=SESSION_SECONDS / 86400,
            httponly=True,
            samesite="Strict",
            secure=self.request.protocol == "https",
        )
        self.redirect(self.next_page(), status=303)


class Logout(AdminPage):
    def post(self) -> None:
        self.state.sessions.end(self.admin_token())
        self.clear_cookie(ADMIN_COOKIE)
        self.redirect(LOGIN, status=303)


class Home(AdminPage):
    async def get(self) -> None:
        folder = self.ctx.settings.documents_dir
        listed = await self.blocking(documents, folder) if folder else []
        self.render_page(
            "admin.html", folder=folder, listed=listed, update=self.state.job.state(), max_files=MAX_FILES,
            max_mb=self.ctx.settings.max_file_mb,
        )  # fmt: skip


class Upload(AdminPage):
    async def post(self) -> None:
        folder = self.ctx.settings.documents_dir
        files = [f for f in self.request.files.get("tep", []) if f.filename or f.body]
        if folder is None or not files or len(files) > MAX_FILES:
            problem = "folder" if folder is None else ("none" if not files else "many")
            self.set_status(400)
            self.render_page("admin_upload.html", problem=problem, max_files=MAX_FILES)
            return
        replace = self.get_body_argument("thay", "") == "1"
        max_bytes = int(self.ctx.settings.max_file_mb * 1_000_000)
        results = []
        for f in files:
            results.append(await self.blocking(save, folder, f.filename, f.body, max_bytes, replace))
        batch = Batch(datetime.now(), tuple(results))
        self.state.batch = batch
        if batch.saved:
            self.state.job.start()
        self.redirect(UPDATE, status=303)


class Update(AdminPage):
    def get(self) -> None:
        values = {"update": self.state.job.state(), "batch": self.state.batch}
        if self.fragment:
            self.render_page("admin_update_status.html", **values)
        else:
            self.render_page("admin_update.html", **values)

    def post(self) -> None:
        self.state.batch = None
        self.state.job.start()
        self.redirect(UPDATE, status=303)


class Remove(AdminPage):
    async def listed(self, path: str) -> bool:
        folder = self.ctx.settings.documents_dir
        return folder is not None and any(d.path == path for d in await self.blocking(documents, folder))

    async def get(self) -> None:
        path = self.get_argument("tep", "")
        if not await self.listed(path):
            raise tornado.web.HTTPError(404)
        self.render_page("admin_remove.html", document=path)

    async def post(self) -> None:
        folder = self.ctx.settings.documents_dir
        path = self.get_body_argument("tep", "")
        if folder is None or not await self.blocking(remove, folder, path):
            raise tornado.web.HTTPError(404)
        self.state.batch = Batch(datetime.now(), removed=path)
        self.state.job.start()
        self.redirect(UPDATE, status=303)


class Feedback(AdminPage):
    async def get(self) -> None:
        self.show_report("feedback", "admin_report.html", heading="feedback")


class FeedbackExport(AdminPage):
    """Every feedback as the CLI's CSV (`python -m bot feedback`): BOM, Vietnamese headers, formulas neutralised."""

    async def get(self) -> None:
        journal = self.core.journal
        if journal is None:
            self.render_page("admin_report.html", report=None, error=wording.JOURNAL_CLOSED, heading="feedback")
            return
        try:
            entries = await self.blocking(journal.feedback)
        except QcdcError as exc:
            self.render_page("admin_report.html", report=None, error=exc.for_user(), heading="feedback")
            return
        stream = io.StringIO(newline="")
        write_feedback(entries, stream, "csv")
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="phan-hoi-{datetime.now():%Y-%m-%d}.csv"')
        self.set_header("Cache-Control", "no-store")
        self.finish(stream.getvalue().encode("utf-8"))


class Gaps(AdminPage):
    async def get(self) -> None:
        self.show_report("gaps", "admin_report.html", heading="gaps")


class Stats(AdminPage):
    async def get(self) -> None:
        journal = self.core.journal
        weeks = []
        if journal is not None:
            try:
                weeks = (await self.blocking(journal.stats)).weeks
            except QcdcError:
                weeks = []  # the report below says why
        self.show_report("stats", "admin_stats.html", heading="stats", chart=weekly_chart(weeks), weeks=weeks)


def routes(ctx: WebContext) -> list[Any]:
    state = AdminState(UpdateJob(ctx.core))
    args = {"ctx": ctx, "state": state}
    return [
        (r"/quan-tri/?", Home, args),
        (LOGIN, Login, args),
        (r"/quan-tri/dang-xuat", Logout, args),
        (r"/quan-tri/tai-len", Upload, args),
        (UPDATE, Update, args),
        (r"/quan-tri/go", Remove, args),
        (r"/quan-tri/phan-hoi", Feedback, args),
        (r"/quan-tri/phan-hoi\.csv", FeedbackExport, args),
        (r"/quan-tri/thieu", Gaps, args),
        (r"/quan-tri/thong-ke", Stats, args),
    ]
