"""One answer, four renderers, and what the user gets end to end: the answer first,
whole lists, only cited sources, replies to small talk, sessions on standard input."""

from __future__ import annotations

import json

import docx
from telegram_fake import TelegramHTML
from test_cli import run

from bot.channels.telegram.formatting import MAX_MESSAGE, answer_html, answer_keyboard, split_message
from bot.render.json import answer_json
from bot.render.text import answer_markdown, answer_text, render_text
from bot.render.word import answer_docx
from ingest.language.normalize import normalize_text


def valid_html(text: str) -> bool:
    parser = TelegramHTML()
    parser.feed(text)
    parser.close()
    return parser.error is None and not parser.stack


def test_figure_question_gets_the_answer_first_and_only_its_source(service):
    answer = service.ask("Tổng số xã đạt chuẩn nông thôn mới của tỉnh là bao nhiêu?")
    assert answer.short_answer == "95 xã"
    assert answer_text(answer).startswith("Trả lời: 95 xã [1]")
    assert answer.cited() == {s.n for s in answer.sources}  # every source listed is quoted, once
    assert len({s.chunk_id for s in answer.sources}) == len(answer.sources)
    assert answer.related == len({s.chunk_id for s in answer.retrieved} - {s.chunk_id for s in answer.sources})
    payload = answer_json(answer)
    assert payload["short_answer"] == "95 xã" and payload["quotes"][0]["quotes"][0]["source"] == 1


def test_list_question_gets_every_item_in_order(service):
    answer = service.ask("Nhiệm vụ, giải pháp thời gian tới?")
    group = answer.groups[0]
    assert group.listed == 7 and "Tài liệu nêu 7" in answer_text(answer)
    items = [q.text for q in group.quotes[1:]]
    assert [item[:3] for item in items] == [f"({i})" for i in range(1, 8)]
    sources = {s.n: s for s in answer.sources}
    for quote in group.quotes:  # each item verbatim in the passage it is cited from
        assert normalize_text(quote.text.rstrip(" …")) in normalize_text(sources[quote.source].text)
    limits = service.ask("hạn chế trong tham mưu thực hiện quy chế dân chủ")
    assert limits.groups[0].listed == 5 and "chậm đổi mới" in answer_text(limits)


def test_every_renderer_walks_the_same_answer(service, tmp_path):
    answer = service.ask("Nhiệm vụ, giải pháp thời gian tới?")
    html = answer_html(answer)
    assert valid_html(html) and "<b>Nguồn:</b>" in html
    assert all(len(part) <= MAX_MESSAGE and valid_html(part) for part in split_message(html))
    keyboard = answer_keyboard(answer, "0123456789ab")
    assert keyboard is not None and sum(len(row) for row in keyboard.inline_keyboard) == len(answer.sources) + 2
    assert [b.text for b in keyboard.inline_keyboard[-1]] == ["👍", "👎"]
    text = render_text(answer)
    assert "[1]–[7]" in text and text.count("Phát huy vai trò tham mưu") == 2  # the document named once (+ its quote heading)
    md = answer_markdown(answer)
    assert md.startswith("## Nhiệm vụ, giải pháp thời gian tới?") and "> (1) Tiếp tục" in md
    path = tmp_path / "answer.docx"
    answer_docx(answer, path)
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "(7) Tiếp tục phối hợp" in body and document.styles["Normal"].font.name == "Times New Roman"


def test_small_talk_and_the_library_are_replies_not_answers(service):
    for text in ("Cảm ơn", "xin chào bạn", "Tạm biệt nhé"):
        answer = service.ask(text)
        assert answer.found is None and answer.message and not answer.sources
        assert "không có thông tin" not in answer_text(answer)
    library = service.ask("Kho có những tài liệu nào?")
    assert library.found is None and "Phối hợp công tác dân vận" in answer_text(library) and "120-KL/TW" in answer_text(library)


def test_directive_known_only_from_mentions_says_so(service):
    answer = service.ask("Kết luận 120-KL/TW yêu cầu gì?")
    assert answer.found and answer.notes[0].startswith("Kho tài liệu chưa có toàn văn Kết luận số 120-KL/TW")


def test_typo_is_offered_with_its_answer(service):
    answer = service.ask("nông thông mới hưng yên bao nhiu xã")
    assert answer.found and answer.suggestion == "nông thôn mới hưng yên bao nhiêu xã"
    assert answer_text(answer).startswith("Có phải đồng chí muốn hỏi")
    assert not service.ask("Giá vàng hôm nay bao nhiêu?").found


def test_stdin_sessions_share_a_memory_and_plain_lines_do_not(tmp_path, corpus_settings):
    lines = [
        {"question": "Những hạn chế trong tham mưu thực hiện QCDC ở cơ sở?", "session": "a"},
        {"question": "nói rõ hơn ý (2)", "session": "a"},
        {"question": "nói rõ hơn ý (2)", "session": "b"},
    ]
    stdin = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\nnói rõ hơn ý (2)\n"
    code, out, err = run(["bot", "ask", "--json"], tmp_path, corpus_settings, stdin=stdin.encode())
    first, followed, other, plain = (json.loads(line) for line in out.splitlines())
    assert code == 0 and first["found"] and followed["session"] == "a"
    assert followed["found"] and "chưa kịp thời" in followed["answer"] and followed["notes"][0].startswith("(Hiểu câu hỏi là")
    assert not any(n.startswith("(Hiểu") for n in other["notes"] + plain["notes"])  # no memory of session a
