"""The web page in a real browser (Debian's chromium under Playwright) and the Law's articles over
HTTP: the app on 127.0.0.1 over the corpus and the Law's Pháp điển page (`law_service`, built once
per session), a real journal. Screenshots at phone and desktop sizes go to `web_harness.SHOTS`."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from web_harness import DESKTOP, PHONE, SHOTS, browser, serving

from bot import wording
from bot.channels.web.context import WebContext
from bot.channels.web.main import build_context

FOLLOWED = "Những hạn chế trong tham mưu thực hiện QCDC ở cơ sở?"  # "nói rõ hơn ý (2)" follows it
LAW_QUESTION = "Ban Thanh tra nhân dân ở xã có bao nhiêu thành viên?"
ARTICLE_12 = "Điều 12, Luật Thực hiện dân chủ ở cơ sở (10/2022/QH15), hiệu lực từ 01/07/2023"


@pytest.fixture(scope="module")
def law_site(law_service, tmp_path_factory) -> Iterator[tuple[str, WebContext]]:
    settings = law_service.settings.model_copy(
        update={"feedback_db": tmp_path_factory.mktemp("web-law") / "journal.sqlite3", "web_rate_limit_per_minute": 600}
    )
    ctx = build_context(settings, law_service, None)
    with serving(ctx) as url:
        yield url, ctx


@pytest.fixture(scope="module")
def chromium_browser():
    with browser() as b:
        yield b


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def ask_in_page(page, question: str) -> None:
    page.fill("#cau-hoi", question)
    page.click("form.ask button[type=submit]")
    page.wait_for_function(
        "q => [...document.querySelectorAll('#tra-loi .asked')].some(h => h.textContent === q)", arg=question
    )


# --- with JavaScript ----------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "viewport"), [("dien-thoai", PHONE), ("may-tinh", DESKTOP)])
def test_a_mark_opens_the_panel_with_the_quoted_sentence_highlighted(law_site, chromium_browser, size, viewport):
    url, _ = law_site
    page = chromium_browser.new_page(viewport=viewport)
    try:
        page.goto(url + "/")
        page.evaluate("window.stillThisPage = true")
        ask_in_page(page, LAW_QUESTION)
        assert page.evaluate("window.stillThisPage") is True  # the answer part replaced in place, no reload
        shot(page, f"hoi-dap-{size}")
        mark = page.locator("#tra-loi a.mark").first
        n = mark.get_attribute("data-n")
        mark.click()
        panel = page.locator("#bang-nguon")
        panel.locator("mark").first.wait_for()
        assert panel.is_visible()
        quoted = page.locator(f"#tra-loi .quotes li:has(a.mark[data-n='{n}'])").first.inner_text()
        highlighted = " ".join(panel.locator("mark").all_inner_texts())
        assert " ".join(quoted.rsplit("[", 1)[0].split()) in " ".join(highlighted.split())
        assert re.search(r"Điều \d+, .*hiệu lực từ \d\d/\d\d/\d{4}", panel.inner_text())  # its citation
        assert panel.locator("summary").first.inner_text().startswith("Thẻ văn bản:")  # the document's card
        box = panel.bounding_box()
        if viewport is PHONE:  # a bottom sheet across the screen
            assert box["width"] >= viewport["width"] - 20 and box["y"] > 0
        else:  # a side panel, the answer still readable beside it
            assert box["x"] > viewport["width"] / 3 and box["height"] == viewport["height"]
        shot(page, f"bang-nguon-{size}")
        page.keyboard.press("Escape")
        assert panel.is_hidden()
        assert page.evaluate("document.activeElement.classList.contains('mark')")  # focus back on the mark
    finally:
        page.close()


@pytest.mark.parametrize(("size", "viewport"), [("dien-thoai", PHONE), ("may-tinh", DESKTOP)])
def test_a_question_asking_two_things_shows_a_first_line_for_each(law_site, chromium_browser, size, viewport):
    url, _ = law_site
    page = chromium_browser.new_page(viewport=viewport)
    try:
        page.goto(url + "/")
        ask_in_page(page, "Luật THDCCS có hiệu lực từ khi nào, do cơ quan nào ban hành?")
        lines = page.locator("#tra-loi p.short").all_inner_texts()
        shot(page, f"hai-y-{size}")
        assert len(lines) == 2 and "01 tháng 7 năm 2023" in lines[0] and "Quốc hội" in lines[1]
        assert lines[1].startswith("Trả lời: do cơ quan nào ban hành —")
    finally:
        page.close()


def test_a_follow_up_keeps_the_conversation_and_thumbs_up_is_journaled(law_site, chromium_browser):
    url, ctx = law_site
    page = chromium_browser.new_page(viewport=PHONE)
    try:
        page.goto(url + "/")
        ask_in_page(page, FOLLOWED)
        ask_in_page(page, "nói rõ hơn ý (2)")
        assert "Hiểu câu hỏi là" in page.locator("#tra-loi").inner_text()
        answer_id = page.locator("#tra-loi input[name=id]").get_attribute("value")
        page.click("#tra-loi button[value=tot]")
        page.locator("#tra-loi .thanks").wait_for()
        assert wording.RATED_UP_THANKS in page.locator("#tra-loi .thanks").inner_text()
    finally:
        page.close()
    ratings = [e.rating for e in ctx.core.journal.feedback() if e.exchange == answer_id]
    assert ratings == [1]


def test_thumbs_down_keeps_the_comment_box_and_the_comment_is_journaled(law_site, chromium_browser):
    url, ctx = law_site
    page = chromium_browser.new_page(viewport=PHONE)
    try:
        page.goto(url + "/")
        ask_in_page(page, LAW_QUESTION)
        answer_id = page.locator("#tra-loi input[name=id]").get_attribute("value")
        page.click("#tra-loi button[value=chua-tot]")
        page.locator("#tra-loi .thanks").wait_for()
        assert wording.RATED_DOWN_THANKS in page.locator("#tra-loi .thanks").inner_text()
        box = page.locator("#tra-loi #gop-y-chu")
        assert box.is_visible()
        shot(page, "gop-y-chua-tot-dien-thoai")
        box.fill("Thiếu số thành viên ở phường.")
        page.click("#tra-loi form.feedback button:text('Gửi góp ý')")
        page.locator(f"#tra-loi .thanks:text('{wording.COMMENT_THANKS}')").wait_for()
    finally:
        page.close()
    entries = [e for e in ctx.core.journal.feedback() if e.exchange == answer_id]
    assert [e.rating for e in entries if e.rating] == [-1]
    assert any(e.comment == "Thiếu số thành viên ở phường." for e in entries)


def test_the_citation_is_copied_with_one_button(law_site, chromium_browser):
    url, _ = law_site
    context = chromium_browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    try:
        page.goto(url + "/tra-cuu?q=Điều 12 Luật THDCCS")
        assert page.locator("button.copy").is_visible()  # shown by the script
        page.click("button.copy")
        page.locator(".copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == ARTICLE_12
        shot(page, "tra-cuu-may-tinh")
        page.set_viewport_size(PHONE)
        shot(page, "tra-cuu-dien-thoai")
    finally:
        context.close()


@pytest.mark.parametrize(("size", "viewport"), [("dien-thoai", PHONE), ("may-tinh", DESKTOP)])
def test_library_pages_fit_the_screen(law_site, chromium_browser, size, viewport):
    url, _ = law_site
    page = chromium_browser.new_page(viewport=viewport)
    try:
        page.goto(url + "/tai-lieu")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # no sideways scroll
        shot(page, f"tai-lieu-{size}")
        page.click("a:text-is('10/2022/QH15')")
        page.locator("#dieu-12").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shot(page, f"van-ban-{size}")
    finally:
        page.close()


# --- without JavaScript -------------------------------------------------------------------------


def test_without_javascript_the_form_posts_and_a_mark_goes_to_its_passage(law_site, chromium_browser):
    url, _ = law_site
    context = chromium_browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(url + "/")
        page.fill("#cau-hoi", LAW_QUESTION)
        page.click("form.ask button[type=submit]")
        page.locator("#tra-loi .asked").wait_for()
        mark = page.locator("#tra-loi a.mark").first
        n = mark.get_attribute("data-n")
        mark.click()
        assert page.url.endswith(f"#nguon-{n}")
        assert page.locator(f"#nguon-{n} mark").first.is_visible()  # the passage, scrolled to, its sentence marked
        shot(page, "khong-javascript-dien-thoai")
    finally:
        context.close()


def test_without_javascript_no_copy_button_only_the_citation(law_site, chromium_browser):
    url, _ = law_site
    context = chromium_browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(url + "/tra-cuu?q=Điều 12 Luật THDCCS")
        assert page.locator("#trich-dan").input_value() == ARTICLE_12  # the text to select
        assert page.locator("button.copy").count() == 1 and page.locator("button.copy").is_hidden()
        shot(page, "tra-cuu-khong-javascript-dien-thoai")
    finally:
        context.close()


# --- the Law's articles over HTTP ---------------------------------------------------------------


def test_an_article_and_a_clause_are_looked_up_with_their_citation(law_site):
    url, _ = law_site
    with httpx.Client(base_url=url, timeout=120) as c:
        article = c.get("/tra-cuu", params={"q": "Điều 12 Luật THDCCS"}).text
        assert f"readonly>{ARTICLE_12}</textarea>" in article
        assert "Niêm yết thông tin" in article and "Thời điểm công khai thông tin" in article
        clause = c.get("/tra-cuu", params={"q": "khoản 2 Điều 5 NĐ 59"}).text
        assert re.search(r"readonly>Điều 5, khoản 2, Nghị định 59/2023/NĐ-CP[^<]*</textarea>", clause)
        body = clause.split('<div class="passage">', 1)[1]
        assert body.startswith("2. ") and "\n3. " not in body.split("</div>", 1)[0]  # the clause alone
        missing = c.get("/tra-cuu", params={"q": "Điều 120 Luật THDCCS"}).text
        assert "Điều 120" in missing and 'id="trich-dan"' not in missing  # said missing; nothing to copy
        api = c.get("/api/lookup", params={"q": "Điều 12 Luật THDCCS"}).json()
        assert api["article"]["citation"] == ARTICLE_12


def test_the_laws_page_lists_its_articles_and_shows_their_text(law_site):
    url, ctx = law_site
    with httpx.Client(base_url=url, timeout=120) as c:
        library = c.get("/tai-lieu").text
        key = re.search(r'href="/tai-lieu/van-ban/([0-9a-f]{12})">10/2022/QH15', library)[1]
        law = c.get(f"/tai-lieu/van-ban/{key}").text
    held = next(d for d in ctx.core.service.registry.directives if d.ref == "10/2022/QH15" and d.articles)
    assert law.count('<section class="part" id="dieu-') == len(held.articles)
    assert '<a href="#dieu-12">Điều 12. Hình thức và thời điểm công khai thông tin</a>' in law
    assert "Niêm yết thông tin" in law
