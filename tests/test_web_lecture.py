"""The lecture outline page (/bai-giang) served for real over the seed corpus: the form, the
preview, bad requests told in Vietnamese, the Word file (the CLI's renderer: python-docx opens
it and it reads as the CLI's) and the HTML download; a real browser at phone and desktop sizes."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
import httpx
import pytest
from web_harness import DESKTOP, PHONE, SHOTS, browser, serving

from bot.channels.web.main import build_context
from bot.outlines.brief import BriefBuilder
from bot.render.outline import render_html
from bot.render.outline_docx import render_docx

TOPIC = "120-KL/TW"


@pytest.fixture(scope="module")
def site(service, tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web-lecture")
    settings = service.settings.model_copy(update={"feedback_db": db / "fb.sqlite3"})
    with serving(build_context(settings, service, None)) as url:
        yield url


@pytest.fixture(scope="module")
def http(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=300, follow_redirects=False) as c:
        yield c


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_form_alone(http) -> None:
    r = http.get("/bai-giang")
    assert r.status_code == 200
    assert 'name="chu-de"' in r.text and 'name="cau-hoi"' in r.text and 'name="chuong"' in r.text
    assert "Xem trước đề cương" not in r.text and 'role="alert"' not in r.text


def test_preview_and_downloads(http, service) -> None:
    r = http.get("/bai-giang", params={"chu-de": TOPIC, "cau-hoi": "2"})
    assert r.status_code == 200
    outline = BriefBuilder(service).build(TOPIC, 2)
    assert "ĐỀ CƯƠNG BÀI GIẢNG" in r.text and "<blockquote>" in r.text
    assert f"{outline.title}" in r.text.replace("&#34;", '"')
    assert "Câu 1." in r.text  # the review questions asked for
    assert "/bai-giang/tai?chu-de=120-KL%2FTW&amp;chuong=&amp;cau-hoi=2&amp;dinh-dang=docx" in r.text

    word = http.get("/bai-giang/tai", params={"chu-de": TOPIC, "cau-hoi": "2", "dinh-dang": "docx"})
    assert word.status_code == 200 and word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in word.headers["content-disposition"] and ".docx" in word.headers["content-disposition"]
    cli = io.BytesIO()
    render_docx(outline, cli, service.settings.brief_template)  # what `python -m bot brief --format docx` writes
    assert paragraphs(word.content) == paragraphs(cli.getvalue())
    assert any("ĐỀ CƯƠNG BÀI GIẢNG" in p for p in paragraphs(word.content))

    page = http.get("/bai-giang/tai", params={"chu-de": TOPIC, "cau-hoi": "2", "dinh-dang": "html"})
    assert page.status_code == 200 and "attachment" in page.headers["content-disposition"]
    assert page.text == render_html(outline)


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"chu-de": "Kết luận 999"}, "không có văn bản"),
        ({"chu-de": "   "}, "Hãy nhập chủ đề"),
        ({"chu-de": TOPIC, "cau-hoi": "21"}, "phải từ 0 đến 20"),
        ({"chu-de": TOPIC, "cau-hoi": "-1"}, "phải từ 0 đến 20"),
        ({"chu-de": TOPIC, "chuong": "<script>"}, "Chương ghi bằng số La Mã"),
        ({"chu-de": TOPIC, "chuong": "II"}, "Chỉ lập được đề cương theo chương"),
    ],
)
def test_bad_requests_said_clearly(http, params, said) -> None:
    r = http.get("/bai-giang", params=params)
    assert r.status_code == 200 and 'role="alert"' in r.text and said in r.text
    assert "<script>" not in r.text.split("<main", 1)[1]  # what was typed is shown escaped
    assert "Tải tệp Word" not in r.text
    download = http.get("/bai-giang/tai", params={**params, "dinh-dang": "docx"})
    assert download.status_code == 303 and download.headers["location"].startswith("/bai-giang?")


def test_topic_with_markup_is_escaped(http) -> None:
    r = http.get("/bai-giang", params={"chu-de": "<img src=x onerror=alert(1)> dân vận"})
    assert "<img src=x" not in r.text and "&lt;img src=x" in r.text


def test_browser_preview_phone_and_desktop(site) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser() as b:
        for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page = b.new_page(viewport=size)  # type: ignore[attr-defined]
            page.goto(site + "/bai-giang")
            page.fill("#chu-de", TOPIC)
            page.fill("#cau-hoi", "3")
            page.click("text=Lập đề cương")
            page.wait_for_selector("article.outline h1", timeout=300_000)
            assert page.locator("text=Tải tệp Word (.docx)").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            with page.expect_download() as got:
                page.click("text=Tải tệp Word (.docx)")
            assert got.value.suggested_filename.endswith(".docx")
            page.screenshot(path=str(SHOTS / f"lecture-{name}.png"), full_page=True)
            page.close()
