"""The administrator's reports, in Vietnamese: statistics, what the library is missing, negative
feedback; and the feedback export. One text for the terminal (`python -m bot stats|gaps`) and
for Telegram (/thongke, /thieu, /phanhoi), which only adds bold and escaping.

The CSV export is opened by Excel on Windows: UTF-8 with a byte order mark (without it Excel
reads Vietnamese as ANSI), Vietnamese headers, local times, and every text cell that a
spreadsheet would run as a formula neutralised as OWASP recommends ("CSV injection": a quote
before a leading =, +, -, @, tab or carriage return), since questions and comments are typed by
anyone the bot serves.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from bot.operations.gaps import GapReport, Topic
from bot.operations.journal import FeedbackEntry
from bot.operations.journal_stats import Stats

SHOWN = 10  # items per section of a report
EXCERPT = 300  # characters of an answer shown in /phanhoi
EXPORT_FIELDS = (
    "time", "rating", "comment", "question", "answer", "sources", "generator", "found", "chat", "user", "exchange",
)  # fmt: skip
CSV_HEADERS = {  # the JSON export keeps EXPORT_FIELDS, for programs
    "time": "Thời điểm", "rating": "Đánh giá (1 = 👍, -1 = 👎)", "comment": "Góp ý", "question": "Câu hỏi",
    "answer": "Câu trả lời", "sources": "Nguồn", "generator": "Cách trả lời", "found": "Có thông tin",
    "chat": "Cuộc trò chuyện (mã băm)", "user": "Người góp ý (mã băm)", "exchange": "Mã câu trả lời",
}  # fmt: skip
# What makes a spreadsheet read a cell as a formula (OWASP's list, and the full-width forms some accept)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@dataclass
class Report:
    title: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    empty: str | None = None  # said when no section has anything

    def text(self) -> str:
        lines = [self.title]
        for heading, items in self.sections:
            lines += ["", heading, *(f"  • {item}" for item in items)]
        if self.empty and not self.sections:
            lines += ["", self.empty]
        return "\n".join(lines)


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%d/%m/%Y %H:%M") if moment else "?"


def stats_report(stats: Stats, chunks: int | None = None, documents: int | None = None) -> Report:
    rated = stats.up + stats.down
    report = Report(
        "Thống kê" + (f" (từ {_when(stats.since)[:10]})" if stats.since else ""),
        [
            (
                "Tổng cộng",
                [
                    f"Đã trả lời: {stats.answered}",
                    f"Không có thông tin: {stats.unanswered}",
                    f"Tra cứu văn bản (/vb): {stats.lookups}",
                    f"Người hỏi: {stats.users}",
                    f"Phản hồi: 👍 {stats.up}, 👎 {stats.down} ({stats.comments} góp ý)"
                    + (f", {round(100 * stats.up / rated)}% hài lòng" if rated else ""),
                ],
            ),
            (
                "Văn bản được hỏi nhiều nhất",
                [f"{ref} ({n})" for ref, n in stats.top_documents] or ["chưa có"],
            ),
            (
                "Theo tuần (trả lời / không có thông tin / 👍 / 👎)",
                [
                    f"{w.start:%d/%m}: {w.answered} / {w.unanswered} / {w.up} / {w.down}"
                    for w in stats.weeks
                    if w.answered or w.unanswered or w.up or w.down
                ]
                or ["chưa có"],
            ),
        ],
    )
    if chunks is not None and documents is not None:
        report.sections.append(("Chỉ mục", [f"{chunks} đoạn, {documents} văn bản"]))
    return report


def gaps_report(gaps: GapReport, shown: int = SHOWN) -> Report:
    report = Report(
        "Kho còn thiếu gì",
        empty="Chưa có câu hỏi nào bị bỏ ngỏ hay bị chấm 👎 và chưa ai hỏi văn bản kho không có.",
    )
    if gaps.documents:
        items = []
        for d in gaps.documents[:shown]:
            name = f"{d.type} {d.ref}" if d.type else d.ref
            why = "kho chỉ có trích dẫn, chưa có toàn văn" if d.cited else "kho chưa có"
            items.append(f"{name}: hỏi {d.asked} lần, {d.users} người; {why}; lần cuối {_when(d.last)}")
        report.sections.append(("Văn bản được hỏi mà kho chưa có", items))
    if gaps.topics:
        items = []
        for t in gaps.topics[:shown]:
            also = "; cũng hỏi: " + " | ".join(f"“{v}”" for v in t.variants()) if t.variants() else ""
            items.append(f"“{t.question}”: {t.asked} lần, {len(t.users)} người, lần cuối {_when(t.last)}{also}")
        heading = f"Câu hỏi chưa có câu trả lời ({gaps.questions} câu, {len(gaps.topics)} chủ đề)"
        report.sections.append((heading, items))
    if gaps.wrong:
        items = [_wrong_item(t) for t in gaps.wrong[:shown]]
        heading = f"Câu hỏi bị chấm 👎, trả lời chưa đúng ({gaps.wrong_questions} lượt, {len(gaps.wrong)} chủ đề)"
        report.sections.append((heading, items))
    return report


def _wrong_item(t: Topic) -> str:
    also = "; cũng hỏi: " + " | ".join(f"“{v}”" for v in t.variants()) if t.variants() else ""
    said = f"; góp ý: “{t.comments[-1][:EXCERPT]}”" if t.comments else ""
    return f"“{t.question}”: {t.asked} lần 👎, {len(t.users)} người, lần cuối {_when(t.last)}{said}{also}"


def feedback_report(entries: list[FeedbackEntry]) -> Report:
    report = Report("Phản hồi chưa hài lòng gần nhất", empty="Chưa có phản hồi 👎 nào.")
    for e in entries:
        answer = " ".join((e.answer or "(không còn lưu)").split())
        if len(answer) > EXCERPT:
            answer = answer[:EXCERPT].rsplit(" ", 1)[0] + " …"
        items = [f"Hỏi: {e.question or '(không còn lưu)'}", f"Đã trả lời: {answer}"]
        if e.sources:
            items.append("Nguồn: " + "; ".join(e.sources))
        if e.generator and e.generator != "extractive":
            items.append(f"Cách trả lời: {e.generator}")
        items.append(f"Góp ý: {e.comment}" if e.comment else "Góp ý: (không có)")
        report.sections.append((f"👎 {_when(e.at)}", items))
    return report


def _row(e: FeedbackEntry) -> dict[str, object]:
    return {
        "time": e.at.isoformat(),
        "rating": e.rating,
        "comment": e.comment,
        "question": e.question,
        "answer": e.answer,
        "sources": list(e.sources),
        "generator": e.generator,
        "found": e.found,
        "chat": e.chat,
        "user": e.user,
        "exchange": e.exchange,
    }


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as the text it is: a quote before a leading formula character
    (after any spaces, which Excel skips)."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_TRIGGERS) else text


def _csv_row(e: FeedbackEntry) -> dict[str, object]:
    cells: dict[str, object] = {
        "time": e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),  # local time, as Excel reads a date
        "rating": e.rating,
        "comment": e.comment or "",
        "question": e.question or "",
        "answer": e.answer or "",
        "sources": "; ".join(e.sources),
        "generator": e.generator or "",
        "found": "" if e.found is None else ("có" if e.found else "không"),
        "chat": e.chat,
        "user": e.user,
        "exchange": e.exchange,
    }
    return {CSV_HEADERS[k]: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in cells.items()}


def write_feedback(entries: list[FeedbackEntry], stream: TextIO, form: str) -> None:
    """The export of `python -m bot feedback`: CSV for a spreadsheet (BOM, Vietnamese headers,
    local times, formulas neutralised) or JSON lines for programs (as stored: UTC, raw text)."""
    if form == "json":
        for e in entries:
            stream.write(json.dumps(_row(e), ensure_ascii=False) + "\n")
        return
    stream.write("\ufeff")  # UTF-8's byte order mark: Excel then reads the file as UTF-8
    # Every cell quoted: Excel set to ';' as its list separator (as regional settings may have it)
    # would otherwise split "xem;=HYPERLINK(…)" and run its second half as a formula.
    writer = csv.DictWriter(stream, fieldnames=list(CSV_HEADERS.values()), quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for e in entries:
        writer.writerow(_csv_row(e))
