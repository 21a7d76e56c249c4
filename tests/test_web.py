"""The web page's public routes over HTTP, without JavaScript (issue 34, parts 1, 2, 3, 6): the real
app on 127.0.0.1 over the real corpus index, a real journal; forms posted as a browser without
scripts posts them. The browser itself, the panel and the Law's articles: tests/test_web_browser.py."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_harness import serving

from bot import wording
from bot.answering.card import directive_card
from bot.answering.lookup import lookup_json
from bot.channels.web.api import MAX_API_BODY
from bot.channels.web.context import WebContext
from bot.channels.web.main import build_context
from bot.channels.web.views import highlight
from bot.render.json import answer_json

QUESTION = "Những hạn chế trong tham mưu thực hiện QCDC ở cơ sở?"
SEED_FILES = ("hungyen-tham-muu-qcdc", "bacninh-phoi-hop-dan-van")


def web_settings(corpus_settings, folder: Path, per_minute: int = 600):
    """The corpus index's settings with this module's own journal and rate limit."""
    return corpus_settings.model_copy(
        update={"feedback_db": folder / "journal.sqlite3", "web_rate_limit_per_minute": per_minute}
    )


@pytest.fixture(scope="module")
def site(corpus_settings, service, tmp_path_factory) -> Iterator[tuple[str, WebContext]]:
    ctx = build_context(web_settings(corpus_settings, tmp_path_factory.mktemp("web")), service, None)
    with serving(ctx) as url:
        yield url, ctx


def browser_client(url: str) -> httpx.Client:
    """A client as a browser without JavaScript: it keeps cookies, follows no redirect by itself."""
    return httpx.Client(base_url=url, timeout=120)


def xsrf(client: httpx.Client, path: str = "/") -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="_xsrf" value="([^"]+)"', page.text)[1]


def ask(client: httpx.Client, question: str) -> httpx.Response:
    return client.post("/", data={"_xsrf": xsrf(client), "cau-hoi": question})


def answer_part(page: str) -> str:
    return page.split('<div id="tra-loi"', 1)[1].split("</main>", 1)[0]


# --- / : asking --------------------------------------------------------------------------------


def test_the_question_form_is_labelled_and_offline(site):
    url, _ = site
    with browser_client(url) as c:
        page = c.get("/")
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        assert '<label for="cau-hoi">' in page.text and 'id="cau-hoi"' in page.text
        assert 'name="_xsrf"' in page.text
        # nothing fetched from elsewhere: every script and stylesheet is the site's own
        assert not re.search(r'(src|href)="(https?:)?//', page.text)
        for asset in ("/tinh/site.css", "/tinh/site.js"):
            got = c.get(asset)
            assert got.status_code == 200 and "http" not in re.sub(r"https?://[^\s\"')]*\.example", "", got.text)


def test_an_answer_without_javascript_links_every_mark_to_its_passage(site):
    url, _ = site
    with browser_client(url) as c:
        page = ask(c, QUESTION)
    assert page.status_code == 200
    part = answer_part(page.text)
    assert QUESTION in part and 'class="according"' in part
    marks = set(re.findall(r'class="mark" href="#nguon-(\d+)"', part))
    assert marks, "the answer cites its sources"
    for n in marks:  # a mark is a link to its passage, rendered below the answer
        assert f'id="nguon-{n}"' in part
    assert "<mark>" in part  # the sentences quoted are highlighted in their passages
    # a quoted sentence appears, verbatim, inside a <mark> of its passage
    quote = re.search(r"<li>([^<]{40,}?) <a class=\"mark\"", part)[1]
    marked = " ".join(" ".join(m.split()) for m in re.findall(r"<mark>(.*?)</mark>", part, re.S))
    assert " ".join(quote.split()) in marked  # (the passage keeps its own spaces and line breaks)
    assert wording.SOURCES in part and 'name="danh-gia" value="tot"' in part


def test_a_fragment_request_gets_the_answer_part_only(site):
    url, _ = site
    with browser_client(url) as c:
        token = xsrf(c)
        part = c.post("/", data={"_xsrf": token, "cau-hoi": QUESTION}, headers={"X-Fragment": "1"})
    assert part.status_code == 200
    assert "<html" not in part.text and 'class="answer"' in part.text


def test_a_post_without_the_xsrf_token_is_refused(site):
    url, _ = site
    with browser_client(url) as c:
        refused = c.post("/", data={"cau-hoi": QUESTION})
        assert refused.status_code == 403 and "Yêu cầu bị từ chối" in refused.text
        assert "Traceback" not in refused.text
        c.get("/")  # a cookie alone is not enough either: the form's token must match it
        assert c.post("/", data={"cau-hoi": QUESTION, "_xsrf": "2|00|00|00"}).status_code == 403


def test_a_follow_up_is_read_in_the_sessions_conversation_only(site):
    url, _ = site
    with browser_client(url) as first, browser_client(url) as other:
        assert ask(first, QUESTION).status_code == 200
        follow = ask(first, "nói rõ hơn ý (2)")
        assert "Hiểu câu hỏi là" in follow.text  # same session: the follow-up keeps its frame
        alone = ask(other, "nói rõ hơn ý (2)")  # another browser has no conversation to follow
        assert "Hiểu câu hỏi là" not in alone.text


@pytest.mark.parametrize(
    ("question", "said"),
    [("", "Câu hỏi trống"), ("x" * 5000, "Câu hỏi quá dài"), ("?!… ——", "không có chữ hay số")],
)
def test_empty_long_and_garbled_questions_get_a_clear_message(site, question, said):
    url, _ = site
    with browser_client(url) as c:
        page = ask(c, question)
    assert page.status_code == 400
    assert re.search(rf'<p class="problem" role="alert">[^<]*{said}', page.text)
    assert "Traceback" not in page.text


def test_the_rate_limit_is_per_browser_session(corpus_settings, service, tmp_path):
    ctx = build_context(web_settings(corpus_settings, tmp_path, per_minute=1), service, None)
    with serving(ctx) as url, browser_client(url) as c, browser_client(url) as other:
        assert ask(c, QUESTION).status_code == 200
        late = ask(c, QUESTION)
        assert late.status_code == 429
        assert "Bạn đã hỏi 1 câu trong một phút. Hãy thử lại sau" in late.text
        assert ask(other, QUESTION).status_code == 200  # another session is not held back


def test_thumbs_up_and_a_comment_are_recorded_in_the_journal(site):
    url, ctx = site
    with browser_client(url) as c:
        page = ask(c, QUESTION)
        answer_id = re.search(r'name="id" value="([^"]+)"', page.text)[1]
        token = xsrf(c)
        rated = c.post("/gop-y", data={"_xsrf": token, "id": answer_id, "danh-gia": "tot"})
        assert rated.status_code == 302 and rated.headers["Location"].startswith(f"/?id={answer_id}")
        shown = c.get(rated.headers["Location"])
        assert wording.RATED_UP_THANKS in shown.text and QUESTION in shown.text  # the answer, with the thanks
        commented = c.post(
            "/gop-y",
            data={"_xsrf": token, "id": answer_id, "gop-y": "Thiếu ý về Ban Chỉ đạo."},
            headers={"X-Fragment": "1"},
        )
        assert commented.status_code == 200 and wording.COMMENT_THANKS in commented.text
    entries = [e for e in ctx.core.journal.feedback() if e.exchange == answer_id]
    assert {e.rating for e in entries} == {1}
    assert any(e.comment == "Thiếu ý về Ban Chỉ đạo." for e in entries) and entries[0].question == QUESTION


def test_thumbs_down_in_place_keeps_the_comment_box_and_thumbs_up_says_otherwise(site):
    """Issue 34, item 1: the script puts this part in the form's place, so after 👎 it must carry
    the comment box (with the form's token and answer id) or the user can no longer comment."""
    url, ctx = site
    with browser_client(url) as c:
        page = ask(c, QUESTION)
        answer_id = re.search(r'name="id" value="([^"]+)"', page.text)[1]
        token = xsrf(c)
        fragment = {"X-Fragment": "1"}
        down = c.post("/gop-y", data={"_xsrf": token, "id": answer_id, "danh-gia": "chua-tot"}, headers=fragment)
        assert down.status_code == 200 and html.escape(wording.RATED_DOWN_THANKS) in down.text
        assert '<textarea id="gop-y-chu" name="gop-y"' in down.text and 'name="_xsrf"' in down.text
        assert f'<input type="hidden" name="id" value="{answer_id}">' in down.text
        up = c.post("/gop-y", data={"_xsrf": token, "id": answer_id, "danh-gia": "tot"}, headers=fragment)
        assert wording.RATED_UP_THANKS in up.text and "<textarea" not in up.text
        assert wording.RATED_UP_THANKS != wording.RATED_DOWN_THANKS
        redirected = c.post("/gop-y", data={"_xsrf": token, "id": answer_id, "danh-gia": "chua-tot"})
        shown = c.get(redirected.headers["Location"])  # without the script: the whole form stays below the thanks
        assert html.escape(wording.RATED_DOWN_THANKS) in shown.text and 'name="gop-y"' in shown.text
    ratings = [e.rating for e in ctx.core.journal.feedback() if e.exchange == answer_id]
    assert ratings == [-1]  # one rating per answer, the latest


def test_feedback_needs_a_rating_or_a_comment(site):
    url, _ = site
    with browser_client(url) as c:
        assert c.post("/gop-y", data={"_xsrf": xsrf(c), "id": "x"}).status_code == 400


# --- /tra-cuu and /tai-lieu ---------------------------------------------------------------------


def test_lookup_shows_the_card_its_mentions_and_a_citation_to_copy(site, service):
    url, _ = site
    summary = directive_card(service.lookup("kl 120").directives[0]).summary  # date, issuer, subject
    with browser_client(url) as c:
        page = c.get("/tra-cuu", params={"q": "kl 120"})
        assert page.status_code == 200
        assert "Kết luận số 120-KL/TW" in page.text and "Bộ Chính trị" in page.text
        assert 'class="mentions"' in page.text  # every sentence citing it
        assert f'<textarea id="trich-dan" rows="2" readonly>{html.escape(summary)}</textarea>' in page.text
        assert "<mark>Kết luận số 120-KL/TW" in page.text or "<mark>Kết luận 120" in page.text  # the mention itself
        assert "07/01/2016" in summary
        # without the script the button could copy nothing: rendered hidden, site.js shows it
        assert re.search(r'<button type="button" class="copy"[^>]* hidden>', page.text)
        absent = c.get("/tra-cuu", params={"q": "999-KL/TW"})
        assert absent.status_code == 200 and wording.lookup_absent("999-KL/TW") in absent.text
        assert c.get("/tra-cuu").status_code == 200  # the empty form


def test_the_library_lists_documents_and_shows_their_text(site):
    url, ctx = site
    with browser_client(url) as c:
        page = c.get("/tai-lieu")
        assert page.status_code == 200
        for doc_id in SEED_FILES:
            assert f'href="/tai-lieu/tep/{doc_id}"' in page.text
        assert "120-KL/TW" in page.text and "Chỉ biết qua" in page.text
        key = re.search(r'href="/tai-lieu/van-ban/([0-9a-f]{12})">120-KL/TW', page.text)[1]
        directive = c.get(f"/tai-lieu/van-ban/{key}")
        assert directive.status_code == 200 and "Kết luận số 120-KL/TW" in directive.text
        file_page = c.get(f"/tai-lieu/tep/{SEED_FILES[0]}")
        assert file_page.status_code == 200
        first = ctx.core.service.index.chunks_of(SEED_FILES[0])[0].text.split("\n")[0][:60]
        assert first and first in file_page.text.replace("&#34;", '"')
        for missing in ("/tai-lieu/tep/khong-co", "/tai-lieu/van-ban/000000000000", "/khong-co-trang"):
            gone = c.get(missing)
            assert gone.status_code == 404 and "Không có trang này" in gone.text


# --- the API ------------------------------------------------------------------------------------


def test_api_ask_returns_the_clis_json_without_xsrf(site, service):
    url, _ = site
    with httpx.Client(base_url=url, timeout=120) as c:
        got = c.post("/api/ask", json={"question": QUESTION, "session": "tool-1"})
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("application/json")
    data = got.json()
    expected = answer_json(service.ask(QUESTION)) | {"session": "tool-1"}
    assert set(data) == set(expected)
    assert data["found"] is True and data["answer"] == expected["answer"]
    assert [set(s) for s in data["sources"]] == [set(s) for s in expected["sources"]]
    assert [q["attribution"] for q in data["quotes"]] == [q["attribution"] for q in expected["quotes"]]


def test_api_ask_by_get_says_how_to_ask(site):
    url, _ = site
    with httpx.Client(base_url=url, timeout=120) as c:
        got = c.get("/api/ask")
    assert got.status_code == 405 and got.headers["Allow"] == "POST"
    assert got.headers["Content-Type"].startswith("application/json")
    assert got.json() == {"error": wording.WEB_API_POST_ONLY} and '"question"' in wording.WEB_API_POST_ONLY


def test_api_follow_ups_keep_the_tools_session(site):
    url, _ = site
    with httpx.Client(base_url=url, timeout=120) as c:
        c.post("/api/ask", json={"question": QUESTION, "session": "tool-2"})
        follow = c.post("/api/ask", json={"question": "nói rõ hơn ý (2)", "session": "tool-2"}).json()
    assert any("Hiểu câu hỏi là" in note for note in follow["notes"])


@pytest.mark.parametrize(
    ("body", "status", "said"),
    [
        (b"not json", 400, wording.WEB_API_NOT_JSON),
        (b"\xff\xfe", 400, wording.WEB_API_NOT_JSON),
        (b"[1, 2]", 400, wording.WEB_API_FIELDS),
        (b'{"question": 5}', 400, wording.WEB_API_FIELDS),
        (b'{"question": "a", "session": 7}', 400, wording.WEB_API_FIELDS),
        (b'{"question": ""}', 400, "Câu hỏi trống"),
        (json.dumps({"question": "x" * (MAX_API_BODY + 1)}).encode(), 413, wording.WEB_API_TOO_LARGE),
    ],
)
def test_api_bad_input_gets_a_vietnamese_error(site, body, status, said):
    url, _ = site
    with httpx.Client(base_url=url, timeout=120) as c:
        got = c.post("/api/ask", content=body, headers={"Content-Type": "application/json"})
    assert got.status_code == status
    assert said in got.json()["error"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(max_size=200))
def test_api_never_fails_on_any_question(site, question):
    url, _ = site
    with httpx.Client(base_url=url, timeout=120) as c:
        got = c.post("/api/ask", json={"question": question, "session": "fuzz"})
    assert got.status_code in (200, 400), got.text
    data = got.json()
    assert ("error" in data) == (got.status_code == 400)


def test_api_lookup_is_the_clis_lookup_json(site, service):
    url, _ = site
    with httpx.Client(base_url=url, timeout=120) as c:
        got = c.get("/api/lookup", params={"q": "kl 120"})
    assert got.status_code == 200
    assert got.json() == lookup_json(service.lookup("kl 120"))
    assert got.json()["directives"][0]["ref"] == "120-KL/TW"


class _Down:
    """A service whose index no longer answers."""

    @property
    def index(self):
        raise RuntimeError("index gone")


def test_healthz_is_200_when_the_index_answers_and_503_otherwise(site, corpus_settings, tmp_path):
    url, _ = site
    with httpx.Client(base_url=url, timeout=60) as c:
        ok = c.get("/healthz")
    assert ok.status_code == 200 and ok.json()["index"]["passages"] > 0
    down = build_context(web_settings(corpus_settings, tmp_path), _Down(), None)  # type: ignore[arg-type]
    with serving(down) as down_url, httpx.Client(base_url=down_url, timeout=60) as c:
        failed = c.get("/healthz")
    assert failed.status_code == 503 and failed.json()["index"]["ok"] is False


def test_small_talk_gets_a_reply_not_an_answer(site):
    url, _ = site
    with browser_client(url) as c:
        page = ask(c, "Cảm ơn bạn nhé")
    assert page.status_code == 200
    assert f'<div class="reply">{wording.THANKS_REPLY}</div>' in page.text
    assert 'class="answer"' not in page.text and 'name="danh-gia"' not in page.text  # nothing to rate


# --- the highlighting of quoted sentences -------------------------------------------------------

_words = st.lists(
    st.sampled_from(["dân", "chủ", "ở", "cơ", "sở", "Điều", "12", "(1)", "a)", "–"]), min_size=1, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(
    words=_words,
    spaces=st.lists(st.sampled_from([" ", "\n", "  ", "\xa0", "\n\n"]), min_size=40, max_size=40),
    data=st.data(),
)
def test_highlight_keeps_the_passage_whole_and_marks_each_quote(words, spaces, data):
    text = "".join(w + s for w, s in zip(words, spaces, strict=False)).strip()
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    quote = " ".join(words[start:end])  # as an answer quotes it: its spaces made single
    pieces = highlight(text, [quote, "không có trong đoạn này"])
    assert "".join(p.text for p in pieces) == text  # nothing dropped, nothing added
    marked = [" ".join(p.text.split()) for p in pieces if p.marked]
    assert any(quote in m for m in marked)
    assert all(p.text for p in pieces)
