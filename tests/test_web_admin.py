"""The administration page (/quan-tri) served for real on a PRIVATE index (uploads change it):
login and its limits, every page refused without a session, uploads checked by the ingestion's
own readers, removal, the update's progress, the reports, the CSV export and the weekly chart;
then a real browser through the same steps, with screenshots at phone and desktop sizes."""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from conftest import CORPUS, make_settings
from hypothesis import given
from hypothesis import strategies as st
from web_harness import DESKTOP, PHONE, SHOTS, browser, serving

from bot.answering.service import QAService
from bot.channels.telegram.formatting import update_report_html
from bot.channels.web.admin_auth import LoginGuard, Sessions, password_matches
from bot.channels.web.admin_docs import safe_name
from bot.channels.web.admin_update import UpdateJob
from bot.channels.web.chart import nice_top, weekly_chart
from bot.channels.web.context import WebContext
from bot.channels.web.main import build_context
from bot.core.assistant import Updated
from bot.operations.journal_stats import Week
from ingest import ingest

PASSWORD = "mật-khẩu thử 123"
LOGIN = "/quan-tri/dang-nhap"
GOOD = (
    "QUY CHẾ TIẾP CÔNG DÂN CỦA ĐẢNG ỦY XÃ HÒA BÌNH THỬ NGHIỆM\n\n"
    "Điều 1. Bí thư Đảng ủy xã tiếp công dân định kỳ mỗi tháng một lần vào ngày 15.\n\n"
    "Điều 2. Nội dung tiếp công dân được ghi vào sổ và báo cáo Ban Thường vụ Huyện ủy hằng quý.\n"
)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory, embedder):
    root = tmp_path_factory.mktemp("web-admin")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    (root / "tai-lieu").mkdir()
    s = make_settings(
        root, corpus, documents_dir=root / "tai-lieu", web_admin_password=PASSWORD, feedback_db=root / "fb.sqlite3"
    )
    ingest(s, embedder=embedder)
    return s


@pytest.fixture(scope="module")
def ctx(settings, embedder) -> WebContext:
    return build_context(settings, QAService(settings, embedder=embedder), None)


@pytest.fixture(scope="module")
def site(ctx) -> Iterator[str]:
    with serving(ctx) as url:
        yield url


class Client:
    """An HTTP client that carries the XSRF token as the page's forms do."""

    def __init__(self, base: str):
        self.http = httpx.Client(base_url=base, follow_redirects=False, timeout=300)

    def xsrf(self) -> str:
        if "_xsrf" not in self.http.cookies:
            self.http.get(LOGIN)
        return str(self.http.cookies["_xsrf"])

    def get(self, path: str, **kw) -> httpx.Response:
        return self.http.get(path, **kw)

    def post(self, path: str, data: dict | None = None, files: list | None = None) -> httpx.Response:
        return self.http.post(path, data={**(data or {}), "_xsrf": self.xsrf()}, files=files)

    def login(self, password: str = PASSWORD) -> httpx.Response:
        return self.post(LOGIN, {"mat_khau": password})


@pytest.fixture
def admin(site) -> Iterator[Client]:
    c = Client(site)
    assert c.login().status_code == 303
    yield c
    c.http.close()


def wait_update(c: Client) -> str:
    """The update page once no update runs (a bound only against hanging, not a timing check)."""
    for _ in range(600):
        page = c.get("/quan-tri/cap-nhat").text
        if "data-poll" not in page:
            return page
        time.sleep(0.5)
    raise AssertionError("the update never ended")


def result(page: str, label: str) -> int:
    m = re.search(rf"<dt>{label}</dt><dd>(\d+)</dd>", page)
    assert m, f"no {label} in the update's result"
    return int(m[1])


# --- login and protection ------------------------------------------------------------


GETS = ["/quan-tri", "/quan-tri/cap-nhat", "/quan-tri/go?tep=a.txt", "/quan-tri/phan-hoi",
        "/quan-tri/phan-hoi.csv", "/quan-tri/thieu", "/quan-tri/thong-ke"]  # fmt: skip
POSTS = ["/quan-tri/tai-len", "/quan-tri/cap-nhat", "/quan-tri/go", "/quan-tri/dang-xuat"]


def test_every_page_refused_without_a_session(site, settings) -> None:
    c = Client(site)
    for path in GETS:
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith(LOGIN), path
    for path in POSTS:
        r = c.post(path, {"tep": "x.txt"}, files=[("tep", ("x.txt", b"noi dung", "text/plain"))])
        assert r.status_code == 303 and r.headers["location"].startswith(LOGIN), path
    assert list(settings.documents_dir.iterdir()) == []  # nothing was saved
    # without the form's token a post is refused before anything else
    assert httpx.post(site + "/quan-tri/tai-len", data={"x": "1"}).status_code == 403
    r = c.get(LOGIN)
    assert r.status_code == 200 and 'type="password"' in r.text


def test_wrong_password_refused_right_one_opens_and_logout_closes(site) -> None:
    c = Client(site)
    r = c.login("sai mật khẩu")
    assert r.status_code == 403 and "Mật khẩu không đúng" in r.text
    assert c.get("/quan-tri").status_code == 303
    r = c.post(LOGIN, {"mat_khau": PASSWORD, "tiep": "/quan-tri/thong-ke"})
    assert r.status_code == 303 and r.headers["location"] == "/quan-tri/thong-ke"
    cookie = r.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    page = c.get("/quan-tri")
    assert page.status_code == 200 and "Tài liệu của đơn vị" in page.text
    assert page.headers["cache-control"] == "no-store"
    stolen = dict(c.http.cookies)
    assert c.post("/quan-tri/dang-xuat").status_code == 303
    again = httpx.Client(base_url=site, cookies=stolen)  # the cookie kept from before logging out
    assert again.get("/quan-tri", follow_redirects=False).status_code == 303


def test_no_open_redirect_after_login(site) -> None:
    c = Client(site)
    for target in ("https://example.org/", "//example.org/quan-tri", "/quan-tri//example.org"):
        r = c.post(LOGIN, {"mat_khau": PASSWORD, "tiep": target})
        assert r.headers["location"] == "/quan-tri", target


def test_failed_logins_rate_limited_and_logged_without_the_password(settings, ctx, caplog) -> None:
    fresh = build_context(settings, ctx.core.service, None)  # its own failed-login counts
    caplog.set_level(logging.INFO)
    with serving(fresh) as url:
        c = Client(url)
        codes = [c.login(f"đoán {i}").status_code for i in range(6)]
        assert codes == [403] * 5 + [429]
        r = c.login()  # the right password too, while the address is held back
        assert r.status_code == 429 and "thử lại sau" in r.text
        assert c.get("/quan-tri").status_code == 303
    logged = caplog.text
    assert "failed administration login from 127.0.0.1" in logged
    assert "đoán" not in logged and PASSWORD not in logged


def test_administration_off_without_a_password(settings, ctx) -> None:
    off = build_context(settings.model_copy(update={"web_admin_password": None}), ctx.core.service, None)
    with serving(off) as url:
        c = Client(url)
        assert "Trang quản trị đang tắt" in c.get(LOGIN).text
        assert c.login("bất kỳ").status_code == 200  # nothing to log into: the notice again
        assert c.get("/quan-tri").status_code == 303


# --- documents -------------------------------------------------------------------------


def test_upload_good_and_bad_files_in_one_post_then_remove(admin, settings, ctx) -> None:
    before = ctx.core.service.index.count()
    files = [
        ("tep", ("quy-che-tiep-dan.txt", GOOD.encode(), "text/plain")),
        ("tep", ("trong.txt", b"", "text/plain")),
        ("tep", ("chuong-trinh.exe", b"MZ\x90\x00", "application/octet-stream")),
        ("tep", ("hong.docx", b"not a zip at all", "application/octet-stream")),
        ("tep", ("../thoat.txt", GOOD.encode(), "text/plain")),
    ]
    r = admin.post("/quan-tri/tai-len", files=files)
    assert r.status_code == 303 and r.headers["location"] == "/quan-tri/cap-nhat"
    page = wait_update(admin)
    assert "quy-che-tiep-dan.txt</b>: đã lưu" in page
    assert "trong.txt</b>: bị từ chối" in page and "tệp rỗng." in page  # the ingestion's own lines
    assert "loại tệp .exe chưa được hỗ trợ." in page
    assert "hong.docx</b>: bị từ chối" in page
    assert "../thoat.txt</b>: bị từ chối" in page and "tên tệp không dùng được" in page
    assert sorted(p.name for p in settings.documents_dir.iterdir()) == ["quy-che-tiep-dan.txt"]
    assert not (settings.documents_dir.parent / "thoat.txt").exists()
    assert result(page, "Tài liệu mới") == 1
    assert ctx.core.service.index.count() > before
    assert "quy-che-tiep-dan.txt" in admin.get("/quan-tri").text

    # the same name again: refused, never overwritten silently; replaced only when asked
    again = [("tep", ("quy-che-tiep-dan.txt", GOOD.replace("ngày 15", "ngày 20").encode(), "text/plain"))]
    admin.post("/quan-tri/tai-len", files=again)
    page = wait_update(admin)
    assert "đã có tệp cùng tên" in page and "ngày 15" in (settings.documents_dir / "quy-che-tiep-dan.txt").read_text()
    admin.post("/quan-tri/tai-len", {"thay": "1"}, files=again)
    page = wait_update(admin)
    assert "thay tệp cũ cùng tên" in page and result(page, "Thay đổi") == 1
    assert "ngày 20" in (settings.documents_dir / "quy-che-tiep-dan.txt").read_text()

    # removal: a confirmation first, then the file goes and the update drops it
    confirm = admin.get("/quan-tri/go", params={"tep": "quy-che-tiep-dan.txt"})
    assert confirm.status_code == 200 and "Gỡ tài liệu khỏi kho?" in confirm.text
    assert (settings.documents_dir / "quy-che-tiep-dan.txt").exists()  # asking does not remove
    assert admin.get("/quan-tri/go", params={"tep": "../corpus/README.md"}).status_code == 404
    assert admin.post("/quan-tri/go", {"tep": "../corpus/README.md"}).status_code == 404
    assert (settings.corpus_dir / "README.md").exists()
    r = admin.post("/quan-tri/go", {"tep": "quy-che-tiep-dan.txt"})
    assert r.status_code == 303
    page = wait_update(admin)
    assert result(page, "Đã gỡ") == 1
    assert list(settings.documents_dir.iterdir()) == []
    assert ctx.core.service.index.count() == before


def test_update_progress_shown_with_and_without_script(admin, ctx, monkeypatch) -> None:
    gate = threading.Event()
    real = ctx.core.update
    monkeypatch.setattr(ctx.core, "update", lambda: gate.wait(300) and real())
    try:
        assert admin.post("/quan-tri/cap-nhat").status_code == 303
        page = admin.get("/quan-tri/cap-nhat").text
        assert "Đang cập nhật chỉ mục" in page
        assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page  # without JS
        assert 'data-poll="/quan-tri/cap-nhat"' in page and "/tinh/admin.js" in page  # with JS
        part = admin.get("/quan-tri/cap-nhat", headers={"X-Fragment": "1"}).text
        assert part.lstrip().startswith('<div id="cap-nhat"') and "<html" not in part
        assert "disabled" in admin.get("/quan-tri").text  # no second update while one runs
    finally:
        gate.set()
    page = wait_update(admin)
    assert "Đã cập nhật xong" in page and "<noscript><meta" not in page


# --- reports -----------------------------------------------------------------------------


def test_reports_feedback_csv_gaps_and_stats(admin, ctx) -> None:
    core = ctx.core
    asked = core.ask("kiem-thu", "can-bo-1", "Kết luận 120-KL/TW yêu cầu gì?")
    assert asked.answer_id is not None
    assert core.comment("kiem-thu", "can-bo-1", '=HYPERLINK("http://x") trích sai', asked.answer_id)
    # a question of the domain the library cannot answer (one outside the domain is not counted)
    core.ask("kiem-thu", "can-bo-2", "Trưởng thôn được phụ cấp bao nhiêu tiền một tháng?")

    page = admin.get("/quan-tri/phan-hoi").text
    assert "Phản hồi chưa hài lòng gần nhất" in page
    assert "=HYPERLINK(&#34;http://x&#34;) trích sai" in page  # escaped, shown as typed

    r = admin.get("/quan-tri/phan-hoi.csv")
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff") and "Góp ý" in text.splitlines()[0]
    assert "'=HYPERLINK" in text  # a formula typed by someone the bot serves is not run by Excel

    assert "Kho còn thiếu gì" in admin.get("/quan-tri/thieu").text

    page = admin.get("/quan-tri/thong-ke").text
    assert "<svg" in page and '<title id="bieu-do-ten">' in page and 'role="img"' in page
    assert re.search(r'<rect class="answered"', page)
    monday = date.today() - timedelta(days=date.today().weekday())
    row = re.search(rf"<th scope=\"row\">{monday:%d/%m/%Y}</th><td>(\d+)</td><td>(\d+)</td>", page)
    assert row and int(row[1]) >= 2 and int(row[2]) >= 1  # this week's questions, in the table beside
    assert "Tra cứu văn bản: " in page and "/vb" not in page  # no Telegram command on the web
    assert "Tra cứu văn bản (/vb): " in core.report("stats").text()  # Telegram's /thongke keeps it


def test_update_result_lists_each_failed_file_and_telegram_says_the_same(admin, ctx, monkeypatch) -> None:
    failed = (("tai-lieu/bang-tinh.xlsx", "loại tệp .xlsx chưa được hỗ trợ."),)
    monkeypatch.setattr(ctx.core, "update", lambda: Updated(1, 0, 0, 9, 2, 1, failed))
    assert admin.post("/quan-tri/cap-nhat").status_code == 303
    page = wait_update(admin)
    assert result(page, "Tệp lỗi") == 1 and "python -m ingest" not in page
    assert "tai-lieu/bang-tinh.xlsx</span>: loại tệp .xlsx chưa được hỗ trợ." in page
    monkeypatch.setattr(ctx.core, "update", lambda: Updated(0, 0, 0, 9, 2, 2))  # reasons not carried
    assert admin.post("/quan-tri/cap-nhat").status_code == 303
    page = wait_update(admin)
    assert "xem nhật ký máy chủ" in page and "python -m ingest" not in page
    done = Updated(1, 0, 0, 9, 2, 1, failed)
    assert update_report_html(*done.counts) == update_report_html(1, 0, 0, 9, 2, 1)  # /capnhat unchanged
    assert "bang-tinh" not in update_report_html(*done.counts)


def test_journal_closed_said_on_reports(settings, ctx) -> None:
    closed = build_context(settings, ctx.core.service, None)
    closed.core.journal = None
    with serving(closed) as url:
        c = Client(url)
        c.login()
        assert "FEEDBACK_DB" in c.get("/quan-tri/thong-ke").text
        assert "FEEDBACK_DB" in c.get("/quan-tri/phan-hoi.csv").text


# --- parts -------------------------------------------------------------------------------


@given(st.text(max_size=80))
def test_safe_name_never_leaves_the_folder(name: str) -> None:
    safe = safe_name(name)
    if safe is not None:
        folder = Path("/srv/tai-lieu")
        assert (folder / safe).parent == folder and not safe.startswith(".") and safe.isprintable()


def test_safe_name_examples() -> None:
    assert safe_name("Quyết định số 12.pdf") == "Quyết định số 12.pdf"
    for bad in ("../a.txt", "a/b.txt", "..\\a.txt", ".env", "", "a\u202e.txt", "a\nb.txt", "x" * 300 + ".txt"):
        assert safe_name(bad) is None, bad


@given(st.integers(min_value=0, max_value=10**7))
def test_chart_axis_top(value: int) -> None:
    top = nice_top(value)
    assert top >= max(value, 1)
    digits = str(top).rstrip("0")
    assert digits in ("1", "2", "5") and top < 10 * max(value, 1)


@given(st.lists(st.tuples(*[st.integers(0, 500)] * 4), min_size=1, max_size=12))
def test_chart_bars_fit_and_stack(counts: list[tuple[int, int, int, int]]) -> None:
    weeks = [Week(date(2026, 1, 5) + timedelta(weeks=i), *c) for i, c in enumerate(counts)]
    chart = weekly_chart(weeks)
    for column in chart.columns:
        answered, unanswered = column.bars[0], column.bars[1]
        assert abs(unanswered.y + unanswered.height - answered.y) < 1e-6  # stacked
        for bar in column.bars:
            assert bar.y >= 0 and bar.y + bar.height <= chart.baseline + 1e-6
            assert chart.left <= bar.x and bar.x + bar.width <= chart.right + 1e-6
    assert chart.empty == all(sum(c) == 0 for c in counts)


class SlowCore:
    """A core whose update waits for the test: the first call finds another channel's update."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.calls = 0
        self.update_running = False

    def update(self) -> Updated | None:
        self.calls += 1
        if self.calls == 1:
            return None  # /capnhat's update holds the index
        self.gate.wait(60)
        return Updated(self.calls, 0, 0, 0, 0, 0)


def test_a_start_asked_during_an_update_runs_after_it(monkeypatch) -> None:
    monkeypatch.setattr("bot.channels.web.admin_update.BUSY_RETRY", 0.01)
    core = SlowCore()
    job = UpdateJob(core)  # type: ignore[arg-type]
    assert job.start() and job.state().running
    assert not job.start()  # a file saved now may be missed by the running scan: it runs again after
    core.gate.set()
    assert job.thread is not None
    job.thread.join(60)
    state = job.state()
    assert not state.running and core.calls == 3 and state.result == Updated(3, 0, 0, 0, 0, 0)


def test_sessions_expire_and_guard_forgets() -> None:
    now = [0.0]
    sessions = Sessions(lifetime=10, clock=lambda: now[0])
    token = sessions.start()
    assert sessions.valid(token) and not sessions.valid("forged") and not sessions.valid(None)
    now[0] = 11
    assert not sessions.valid(token)
    guard = LoginGuard(window=60, per_address=2, in_all=3, clock=lambda: now[0])
    guard.failed("a")
    guard.failed("a")
    assert guard.wait_seconds("a") > 0 and guard.wait_seconds("b") == 0
    guard.failed("b")
    assert guard.wait_seconds("c") > 0  # too many in all
    now[0] += 61
    assert guard.wait_seconds("a") == 0 and guard.wait_seconds("c") == 0
    assert password_matches("ả", "ả") and not password_matches("ả", "a")


# --- a real browser ----------------------------------------------------------------------


def assert_chart_and_table_fit(page) -> None:
    """Issue 34, item 2: the whole chart inside its figure, from the figure's left edge (not cut on a
    phone, not pushed right on a desk), and the table's last column reachable in its own scrolling box."""
    figure = page.locator("figure.chart").bounding_box()
    chart = page.locator("svg.weekly").bounding_box()
    assert figure and chart
    assert abs(chart["x"] - figure["x"]) < 1 and chart["x"] + chart["width"] <= figure["x"] + figure["width"] + 1
    legend = page.locator("svg.weekly .legend").bounding_box()
    assert legend and legend["x"] >= chart["x"] and legend["x"] + legend["width"] <= chart["x"] + chart["width"]
    wrap = page.locator(".table-scroll")
    box = wrap.bounding_box()
    assert box and box["x"] + box["width"] <= page.viewport_size["width"]
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    last = page.locator("table.weeks thead th").last.bounding_box()
    assert last and last["x"] + last["width"] <= box["x"] + box["width"] + 1  # scrolled to, inside the box
    wrap.evaluate("e => { e.scrollLeft = 0; }")  # back, for the screenshot


def test_stats_chart_and_table_fit_a_phone_and_a_desk(site) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser() as b:
        for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page = b.new_page(viewport=size)  # type: ignore[attr-defined]
            page.goto(site + LOGIN + "?tiep=/quan-tri/thong-ke")
            page.fill("#mat-khau", PASSWORD)
            page.click("text=Đăng nhập")
            page.wait_for_url(site + "/quan-tri/thong-ke")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert_chart_and_table_fit(page)
            page.locator("figure.chart").screenshot(path=str(SHOTS / f"admin-stats-chart-{name}.png"))
            page.screenshot(path=str(SHOTS / f"admin-stats-only-{name}.png"), full_page=True)
            page.close()


def test_browser_login_upload_update_and_chart(site, settings, ctx, monkeypatch, tmp_path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    good = tmp_path / "ke-hoach-dan-van.txt"
    good.write_text(GOOD.replace("TIẾP CÔNG DÂN", "DÂN VẬN KHÉO"), encoding="utf-8")
    bad = tmp_path / "bang-tinh.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    gate = threading.Event()
    real = ctx.core.update
    monkeypatch.setattr(ctx.core, "update", lambda: gate.wait(300) and real())
    try:
        with browser() as b:
            for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                page = b.new_page(viewport=size)  # type: ignore[attr-defined]
                page.goto(site + "/quan-tri")
                assert "/quan-tri/dang-nhap" in page.url
                page.screenshot(path=str(SHOTS / f"admin-login-{name}.png"), full_page=True)
                page.fill("#mat-khau", PASSWORD)
                page.click("text=Đăng nhập")
                page.wait_for_url(site + "/quan-tri")
                if name == "desktop":
                    page.set_input_files("#tep", [str(good), str(bad)])
                    page.click("text=Tải lên và cập nhật chỉ mục")
                    page.wait_for_url(site + "/quan-tri/cap-nhat")
                    assert page.locator(".update.running").is_visible()
                    page.evaluate("window.stayed = true")
                    page.screenshot(path=str(SHOTS / "admin-update-running-desktop.png"), full_page=True)
                    gate.set()
                    page.wait_for_selector(".update .done", timeout=300_000)
                    assert page.evaluate("window.stayed === true")  # replaced by the script, not reloaded
                    text = page.inner_text("main")
                    assert "ke-hoach-dan-van.txt: đã lưu" in text
                    assert "bang-tinh.xlsx: bị từ chối" in text and "loại tệp .xlsx chưa được hỗ trợ." in text
                    page.screenshot(path=str(SHOTS / "admin-update-done-desktop.png"), full_page=True)
                page.goto(site + "/quan-tri")
                page.screenshot(path=str(SHOTS / f"admin-documents-{name}.png"), full_page=True)
                page.goto(site + "/quan-tri/thong-ke")
                chart = page.locator("svg.weekly")
                assert chart.is_visible()
                box = chart.bounding_box()
                assert box and box["height"] > 100
                # the page itself never scrolls sideways (the chart scrolls in its own box on a phone)
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                assert_chart_and_table_fit(page)
                page.screenshot(path=str(SHOTS / f"admin-stats-{name}.png"), full_page=True)
                page.goto(site + "/quan-tri/phan-hoi")
                assert page.locator("text=Tải mọi phản hồi").is_visible()
                page.screenshot(path=str(SHOTS / f"admin-feedback-{name}.png"), full_page=True)
                page.close()
    finally:
        gate.set()
    wait_update(Client(site))
    (settings.documents_dir / "ke-hoach-dan-van.txt").unlink(missing_ok=True)
