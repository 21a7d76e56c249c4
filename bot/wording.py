"""Every Vietnamese phrase an answer is made of, and the replies every channel shares, in one place.

The answer is data (`bot.answering.answer.Answer`); the terminal, Markdown, Telegram
and Word renderers walk it and take their words from here, so a phrase is
changed once and reads the same everywhere.
"""

from __future__ import annotations

import dataclasses

from bot.sources import Cited, SourceDetails
from ingest.facts import document_name, vn_date
from ingest.registry import Directive

NOT_FOUND = "Kho tài liệu hiện có không có thông tin để trả lời câu hỏi này."
NEARBY_NOT_FOUND = "Chưa tìm thấy đoạn nào trả lời thẳng câu hỏi này."
NEARBY_ONLY = "Các đoạn gần nhất về nghĩa (chưa chắc trả lời câu hỏi; đồng chí đối chiếu):"
RELATED_ONLY = "Các quy định gần nhất trong kho (liên quan, không trả lời trực tiếp câu hỏi):"
NOT_IN_DOCUMENT = "Trong kho tài liệu, văn bản này không có đoạn nào trả lời câu hỏi trên."
ASK_PROMPT = (
    "Mời đồng chí đặt câu hỏi cụ thể về quy chế dân chủ ở cơ sở hoặc công tác dân vận, ví dụ: "
    "“Kết luận 120-KL/TW yêu cầu gì?” hoặc “Những hạn chế trong thực hiện QCDC ở cơ sở?”"
)
SOURCES = "Nguồn"


def not_stated(asked: str) -> str:
    """A quantity asked by name that no passage states: said plainly, with what was asked."""
    return f"Kho tài liệu hiện có không nêu điều này: “{asked}”."


def not_stated_near(asked: str) -> str:
    """A quantity asked by name that no passage states, though a provision speaks of it for the
    subject ("Nhiệm kỳ của Ban Thanh tra nhân dân theo nhiệm kỳ của Trưởng thôn"): what is missing
    is the figure, not the rule."""
    return f"Kho tài liệu không nêu cụ thể (bằng con số) điều này: “{asked}”; dưới đây là các quy định gần nhất."


def clause_not_stated(clause: str) -> str:
    """One clause of a question asking several things that the library does not answer."""
    return f"Kho tài liệu hiện có không nêu: “{clause}”."


def held_against(figure: str, given: str) -> str:
    """A yes-no's grounds when the question's own figure was held against the rule's bound."""
    return f"quy định {figure} (câu hỏi nêu {given})"


def no_definition(term: str) -> str:
    """A meaning asked ("X là gì?") that no sentence of the library defines: the passages shown only name X."""
    return f"Kho tài liệu hiện có không có câu định nghĩa “{term}”; dưới đây là những đoạn có nhắc đến."


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
RATED_UP_THANKS = "Cảm ơn đồng chí đã đánh giá; đánh giá đã được ghi lại."  # the web page, after 👍
RATED_DOWN_THANKS = (  # the web page, after 👎: the comment box stays below it
    "Cảm ơn đồng chí, đánh giá đã được ghi lại. Đồng chí có thể viết thêm câu trả lời chưa đúng hoặc còn thiếu ở đâu "
    "để quản trị viên bổ sung."
)
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
OUT_OF_DOMAIN = (
    "Câu hỏi này nằm ngoài phạm vi của trợ lý: tôi chỉ trả lời về quy chế dân chủ ở cơ sở, "
    "công tác dân vận, Mặt trận Tổ quốc và các văn bản trong kho tài liệu, có dẫn nguồn. "
    "Đồng chí có thể hỏi “Kho có những tài liệu nào?” để xem danh sách."
)
THANKS_REPLY = "Không có gì ạ. Đồng chí cần hỏi thêm gì cứ nhắn."
GOODBYE_REPLY = "Chào đồng chí, hẹn gặp lại."
ENGLISH_NOTE = (
    "Trợ lý trả lời bằng tiếng Việt, trích nguyên văn tài liệu trong kho (the answers are quoted from the "
    "Vietnamese documents)."
)
LIBRARY_EMPTY = "Kho tài liệu hiện chưa có tài liệu nào."


def attribution(source: Cited) -> str:
    """'bài “Title” của Author (Role)' from the facts the corpus states; a directive's own text says so;
    an article of a legal text is named as its heading reads ("Điều 6. Nghĩa vụ của công dân… — Luật …
    (10/2022/QH15)")."""
    d = source.details
    if d.place:  # as its heading reads: the title often says what the quoted clause belongs to
        title = f". {d.place.article_title} —" if d.place.article_title else ""
        return f"Điều {d.place.article}{title} {source.name}"
    title = f"“{source.name}”"
    if d.directive:
        return f"văn bản gốc {title}"
    by = f" của {d.author}" if d.author else ""
    role = f" ({d.author_role})" if d.author and d.author_role else ""
    where = d.site or d.publisher
    return f"bài {title}{by}{role}" + (f", {where}" if where else "")


def according_to(source: Cited) -> str:
    return f"Theo {attribution(source)}:"


def source_title(source: Cited) -> str:
    """What a source is listed as: an article of a legal text as people cite it (not by the
    Pháp điển's code), any other document by its title."""
    return source.details.place.citation() if source.details.place else source.name


def source_details(details: SourceDetails) -> list[str]:
    """What a source line says after the title, part by part: author, publisher, date and where
    to find it, only what the corpus states; for a legal article, the đề mục it is filed under."""
    if details.place:
        return [f"Bộ Pháp điển, đề mục “{details.heading}”"]
    parts = [details.section] if details.section else []
    if details.author:
        parts.append(details.author + (f", {details.author_role}" if details.author_role else ""))
    if details.publisher:
        parts.append(details.publisher)
    if details.published:
        parts.append(f"đăng ngày {vn_date(details.published)}")
    if details.url:
        parts.append(details.url)
    elif details.site:
        parts.append(f"trang {details.site} (không rõ địa chỉ bài viết)")
    else:
        parts.append("không rõ nơi đăng")
    return parts


def source_line(source: Cited) -> str:
    """A source in one line: its title (marked when the curator wrote it), then its details."""
    return _line(source, source.details)


def reference_line(source: Cited) -> str:
    """A document in an outline's references: a legal text by its number, date, issuer and date in
    force, in the order of a reference list ("Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày
    10/11/2022 của Quốc hội", "Nghị định số 59/2023/NĐ-CP ngày 14/08/2023 của Chính phủ quy định chi
    tiết …"); any other document as answers cite it, without the part quoted."""
    d = source.details
    if d.place is None:
        return _line(source, dataclasses.replace(d, section=None))
    src = d.place.source
    law = src.type == "Luật" and src.name
    line = f"{src.name if law else src.type} số {src.ref}"
    if src.date:
        line += f" ngày {vn_date(src.date)}"
    if src.issuer:
        line += f" của {src.issuer}"
    if src.name and not law and src.name.lower().startswith(src.type.lower() + " "):
        rest = src.name[len(src.type) + 1 :]
        line += f" {rest[0].lower()}{rest[1:]}"
    if src.in_force:
        line += f"; hiệu lực từ {vn_date(src.in_force)}"
    return f"{line} (Bộ Pháp điển, đề mục “{d.heading}”)"


def _line(source: Cited, details: SourceDetails) -> str:
    head = source_title(source) + (" (tiêu đề do biên tập đặt)" if details.editorial else "")
    return " — ".join([head, *source_details(details)])


def list_lead(count: int, label: str | None, total: int | None = None, where: str | None = None) -> str:
    """What a list is introduced with: how many items the source states, "đủ" only when
    every one is quoted; else how many of how many, and where the rest is ("của Điều 11")."""
    if total is None or total <= count:
        return f"Tài liệu nêu {count} {label or 'ý'}, đủ và theo thứ tự:"
    return list_part(count, total, label, where)


def list_part(count: int, total: int, label: str | None, where: str | None = None) -> str:
    """The lead of a list quoted in part (cut at the answer's bound): no "đủ"."""
    of = f" của {where}" if where else ""
    return f"Trích {count} trong số {total} {label or 'ý'}{of}, theo thứ tự (xem toàn văn để đủ):"


def related(count: int) -> str:
    return f"và {count} đoạn liên quan khác"


def card_line(summary: str) -> str:
    """A directive's card in one line (`DirectiveCard.summary`), as an answer opens with it."""
    return f"{CARD}: {summary}."


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


FOLLOW_UP_WITHIN = "(Câu hỏi tiếp nối câu trước: trả lời từ tài liệu vừa trích.)"


def which_document(type_word: str) -> str:
    """A question about "thông tư đó" when nothing before says which one."""
    return (
        f"Đồng chí hỏi {type_word.lower()} nào? Xin ghi rõ số, ký hiệu của văn bản "
        "(ví dụ: “Thông tư 04/2025/TT-BTC có hiệu lực từ ngày nào?”) để tra cứu đúng văn bản."
    )


def follow_up(question: str) -> str:
    """How a follow-up question was read, in the light of the conversation."""
    return f"(Hiểu câu hỏi là: “{question}”)"


def library_intro(documents: int, directives: int) -> str:
    return f"Kho tài liệu có {documents} tài liệu và biết {directives} văn bản được nhắc đến. Tài liệu có toàn văn:"


def library_directives(count: int) -> str:
    return f"Văn bản chỉ được nhắc đến trong tài liệu (chưa có toàn văn), {count} văn bản, ví dụ:"


def library_hint() -> str:
    return "Đồng chí có thể hỏi về nội dung các tài liệu trên, hoặc tra một văn bản theo số hiệu (ví dụ “KL120”)."


# --- Cards: the words of a directive's card (`bot.answering.card` builds it) and of a lookup ---
CARD_TYPE = "Loại văn bản"
CARD_NUMBER = "Số, ký hiệu"
CARD_DATE = "Ngày ban hành"
CARD_ISSUER = "Cơ quan ban hành"
CARD_ISSUER_UNKNOWN = "không rõ"
CARD_TERM = "Khóa"
CARD_LOCALITY = "Địa phương"
CARD_SUBJECT = "Trích yếu"
CARD_NO_SUBJECT = "kho tài liệu không nêu"
CARD_ALIASES = "Còn được ghi là"
CARD_IN_FORCE = "Hiệu lực từ"
CARD_FULL_TEXT = "Toàn văn trong kho"
CARD_ARTICLES = "Số điều trong kho"
CARD_ADDRESS = "Địa chỉ"
CARD_RELATED = "Liên quan"
CARD_INFO = "Thông tin văn bản"  # an outline's point holding the card
CARD_LINKS = "Quan hệ với các văn bản khác"  # … and the point holding its relations
RELATIONS = {
    "implements": "thực hiện",
    "continues": "tiếp tục thực hiện",
    "reviews": "sơ kết, tổng kết",
    "implemented_by": "được thực hiện bằng",
    "continued_by": "được tiếp tục thực hiện bằng",
    "reviewed_by": "được sơ kết, tổng kết bằng",
}


def card_title(d: Directive) -> str:
    """ "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15" when its name is known, else "Kết luận số 120-KL/TW"."""
    return f"{d.name} số {d.ref}" if d.name else document_name(d.type, d.ref, fallback="Văn bản")


def card_summary(d: Directive) -> str:
    """The card in one sentence: name or type and number, date, issuer (term), subject or force."""
    if d.name:
        head = card_title(d)
        if d.date:
            head += f" ngày {vn_date(d.date)}"
        if d.issuer:
            head += f" của {d.issuer}"
        return head + (f", hiệu lực từ {vn_date(d.in_force)}" if d.in_force else "")
    parts = [document_name(d.type, d.ref) if d.type else d.ref]
    if d.date:
        parts.append(f"ngày {vn_date(d.date)}")
    if d.issuer:
        parts.append(f"của {d.issuer}" + (f" (khóa {d.term})" if d.term else ""))
    if d.subject:
        parts.append(f"về {d.subject}")
    return " ".join(parts)


def telling_apart(d: Directive) -> str:
    """What distinguishes one candidate from others with the same number."""
    parts = [document_name(d.type, d.ref)]
    if d.date:
        parts.append(f"ngày {vn_date(d.date)}")
    if d.issuer:
        parts.append(f"của {d.issuer}")
    if d.locality:
        parts.append(f"({d.locality})")
    return " ".join(parts)


def relation(kind: str, ref: str) -> str:
    return f"{RELATIONS.get(kind, kind)} {ref}"


def card_mentioned(count: int) -> str:
    return f"Được nhắc đến ({count})"


def lookup_choices(query: str, count: int) -> str:
    """An ambiguous lookup, in text: the candidates follow, one a line."""
    return f"“{query}” ứng với {count} văn bản trong kho; hãy ghi rõ hơn:"


def lookup_buttons(query: str, count: int) -> str:
    """An ambiguous lookup where the candidates are buttons (`query` as the channel writes text)."""
    return f"“{query}” ứng với {count} văn bản; chọn một:"


def lookup_absent(query: str) -> str:
    return f"Kho tài liệu hiện có không có văn bản nào ứng với “{query}”."


def article_without_text(name: str, article: int) -> str:
    """An article asked of a document the library knows only from what cites it."""
    return f"Kho tài liệu không có toàn văn {name} nên không tra được Điều {article}."


def article_missing(document: str, article: int, count: int, last: int) -> str:
    """An article the document does not have ("Điều 120" of a law of 91 articles)."""
    return f"{document} không có Điều {article}: kho tài liệu có {count} điều của văn bản này (Điều 1 đến Điều {last})."


def applies_to(label: str) -> str:
    """The label under a rule of another setting than the one asked ("… doanh nghiệp nhà nước");
    `label` is `ingest.language.scope.Scope.label`."""
    return f"Quy định này áp dụng cho {label}."


# --- The web page's API (bot.channels.web.api): errors a tool reads in its "error" field ---

WEB_API_NOT_JSON = "Nội dung gửi lên không phải JSON hợp lệ (UTF-8)."
WEB_API_FIELDS = 'Cần một đối tượng JSON có "question" (chuỗi) và, nếu có, "session" (chuỗi).'
WEB_API_TOO_LARGE = "Nội dung gửi lên quá lớn."
WEB_API_ERROR = "Có lỗi khi xử lý yêu cầu; vui lòng thử lại sau."
WEB_API_POST_ONLY = (
    'Hãy gửi câu hỏi bằng POST, nội dung JSON: {"question": "câu hỏi", "session": "mã phiên (không bắt buộc)"}.'
)
