"""Every Vietnamese phrase an answer is made of, and the replies every channel shares, in one place.

The answer is data (`bot.answering.answer.Answer`); the terminal, Markdown, Telegram
and Word renderers walk it and take their words from here, so a phrase is
changed once and reads the same everywhere.
"""

from __future__ import annotations

from typing import Any

from ingest.facts import document_name
from ingest.registry import Directive

NOT_FOUND = "Kho tài liệu hiện có không có thông tin để trả lời câu hỏi này."
NOT_IN_DOCUMENT = "Trong kho tài liệu, văn bản này không có đoạn nào trả lời câu hỏi trên."
ASK_PROMPT = (
    "Mời đồng chí đặt câu hỏi cụ thể về quy chế dân chủ ở cơ sở hoặc công tác dân vận, ví dụ: "
    "“Kết luận 120-KL/TW yêu cầu gì?” hoặc “Những hạn chế trong thực hiện QCDC ở cơ sở?”"
)
SOURCES = "Nguồn"
SHORT_ANSWER = "Trả lời"
CARD = "Văn bản"


# What every channel (Telegram, Zalo) replies besides answers: one wording, so they never disagree.
REFUSAL = "Xin lỗi, bot này chỉ phục vụ cán bộ của đơn vị đã được cấp quyền. Hãy liên hệ quản trị viên."
APOLOGY = "Xin lỗi, đã có lỗi khi xử lý yêu cầu của bạn. Hãy thử lại sau ít phút."
NOT_ADMIN = "Lệnh này chỉ dành cho quản trị viên."
GAP_NOTICE = (
    "ℹ️ Câu hỏi chưa có câu trả lời được ghi lại (không kèm tên người hỏi) để quản trị viên bổ sung tài liệu "
    "cho kho. Thông báo này chỉ hiện một lần."
)
UPDATING = "Đang cập nhật chỉ mục; hãy chờ lần cập nhật này xong."
UPDATE_STARTED = "Đang cập nhật chỉ mục từ kho tài liệu…"
NO_ANSWER_YET = "Chưa có câu trả lời nào trong cuộc trò chuyện này."
ASK_USAGE = "Hãy gõ câu hỏi sau lệnh, ví dụ: /hoi Kết luận 120-KL/TW yêu cầu gì?"
LOOKUP_USAGE = "Hãy gõ số hiệu sau lệnh, ví dụ: /vb 120-KL/TW hoặc /vb kl 120."
ANSWER_GONE = "Câu trả lời này đã cũ; hãy hỏi lại để xem nguồn."  # a source asked of an answer no longer kept
DIRECTIVE_GONE = "Không còn tìm thấy văn bản này; hãy tra lại bằng /vb."  # a lookup's candidate since re-ingested
BUTTON_GONE = "Nút này đã cũ; hãy hỏi lại để góp ý."  # feedback from a button the bot no longer reads
CUT_SHORT = "(Phần còn lại đã được lược bớt.)"  # a reply longer than a channel sends
COMMENT_THANKS = "Cảm ơn đồng chí, góp ý đã được ghi lại để quản trị viên xem xét."
NO_JOURNAL = "Chưa ghi được phản hồi; hãy báo quản trị viên."
JOURNAL_CLOSED = "Chưa mở được cơ sở dữ liệu phản hồi (FEEDBACK_DB); `python -m bot health` cho biết lý do."


def rate_limited(per_minute: int, wait: int) -> str:
    return f"Bạn đã hỏi {per_minute} câu trong một phút. Hãy thử lại sau {wait} giây."


def source_usage(count: int) -> str:
    return f"Hãy gõ /nguon và một số từ 1 đến {count}." if count else "Câu trả lời gần nhất không có nguồn."


def outline_progress(topic: str) -> str:
    return f"⏳ Đang lập đề cương “{topic}”: tìm tài liệu, chọn trích dẫn, soạn câu hỏi…"


def updated(new: int, changed: int, removed: int, chunks: int, directives: int, failures: int) -> str:
    failed = f"; {failures} tệp lỗi" if failures else ""
    return (
        f"Đã cập nhật: {new} tài liệu mới, {changed} thay đổi, {removed} bị xóa; "
        f"{chunks} đoạn, {directives} văn bản{failed}."
    )


def update_failed(reason: str) -> str:
    return f"Cập nhật thất bại: {reason}"


# Small talk: a short polite reply, never "không có thông tin".
GREETING_REPLY = (
    "Xin chào đồng chí! Tôi trả lời câu hỏi về quy chế dân chủ ở cơ sở và công tác dân vận "
    "từ tài liệu trong kho, có dẫn nguồn. Đồng chí cứ đặt câu hỏi."
)
THANKS_REPLY = "Không có gì ạ. Đồng chí cần hỏi thêm gì cứ nhắn."
GOODBYE_REPLY = "Chào đồng chí, hẹn gặp lại."
ENGLISH_NOTE = (
    "Trợ lý trả lời bằng tiếng Việt, trích nguyên văn tài liệu trong kho (the answers are quoted from the "
    "Vietnamese documents)."
)
LIBRARY_EMPTY = "Kho tài liệu hiện chưa có tài liệu nào."


def attribution(source: Any) -> str:  # a bot.answering.answer.Source, which imports this module
    """'bài “Title” của Author (Role)' from the facts the corpus states; a directive's own text says so;
    an article of a legal text is named as its heading reads ("Điều 6. Nghĩa vụ của công dân… — Luật …
    (10/2022/QH15)")."""
    if source.legal:  # as its heading reads: the title often says what the quoted clause belongs to
        title = f". {source.legal.article_title} —" if source.legal.article_title else ""
        return f"Điều {source.legal.article}{title} {source.legal.source.full_title}"
    title = f"“{source.facts.title}”"
    if source.facts.kind == "directive":
        return f"văn bản gốc {title}"
    by = f" của {source.facts.author}" if source.facts.author else ""
    role = f" ({source.facts.author_role})" if source.facts.author and source.facts.author_role else ""
    where = source.facts.site or source.facts.publisher
    return f"bài {title}{by}{role}" + (f", {where}" if where else "")


def according_to(source: Any) -> str:
    return f"Theo {attribution(source)}:"


def list_lead(count: int, label: str | None) -> str:
    """What a whole list is introduced with: how many items the source states."""
    return f"Tài liệu nêu {count} {label or 'ý'}, đủ và theo thứ tự:"


def related(count: int) -> str:
    return f"và {count} đoạn liên quan khác"


def card_line(d: Directive) -> str:
    return f"{CARD}: {d.card()}."


def ambiguous(query: str, count: int) -> str:
    return f"“{query}” có thể là một trong {count} văn bản:"


def missing_document(ref: str, type_: str | None) -> str:
    if "/" in ref:
        return f"Kho tài liệu hiện có không có văn bản nào mang số hiệu {ref}."
    return f"Kho tài liệu hiện có không có {document_name(type_, ref, fallback='văn bản')}."


def no_full_text(d: Directive) -> str:
    """A directive the library only knows from the articles that cite it."""
    name = document_name(d.type, d.ref, fallback="văn bản")
    return f"Kho tài liệu chưa có toàn văn {name}; dưới đây là những gì các tài liệu trong kho nói về văn bản này."


def did_you_mean(question: str) -> str:
    return f"Có phải đồng chí muốn hỏi: “{question}”?"


def follow_up(question: str) -> str:
    """How a follow-up question was read, in the light of the conversation."""
    return f"(Hiểu câu hỏi là: “{question}”)"


def library_intro(documents: int, directives: int) -> str:
    return f"Kho tài liệu có {documents} tài liệu và biết {directives} văn bản được nhắc đến. Tài liệu có toàn văn:"


def library_directives(count: int) -> str:
    return f"Văn bản chỉ được nhắc đến trong tài liệu (chưa có toàn văn), {count} văn bản, ví dụ:"


def library_hint() -> str:
    return "Đồng chí có thể hỏi về nội dung các tài liệu trên, hoặc tra một văn bản theo số hiệu (ví dụ “KL120”)."
