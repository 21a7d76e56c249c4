"""The one home of the patterns text is read with: dates, URLs, article/clause/point references, figures, slugs.

Fragments (plain strings, no groups) compose into a caller's larger expression; compiled
patterns are used as they are. Where two callers need different strictness, both live here,
side by side, named by what they are for and saying why they differ: a copy elsewhere drifts.
The lower layer: `ingest` and `bot` import it; it imports nothing of theirs but `fold`.
"""

import datetime as dt
import re

from ingest.language.normalize import fold

# --- Dates -----------------------------------------------------------------------------------
# "01/7/2023": a full date as documents print it (slash only).
SLASH_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
# "01 tháng 7 năm 2023": the same date in words, single spaces (text is normalized first).
WRITTEN_DATE = r"\d{1,2} tháng \d{1,2} năm \d{4}"
# Either form, whole: a figure that is a date is not a quiz's figure.
DATE = re.compile(rf"\b{SLASH_DATE}\b|\b{WRITTEN_DATE}\b")
# "Hà Nội, ngày 07 tháng 01 năm 2016": a header's place line; any spacing, the parts named.
WRITTEN_DATE_PARTS = r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
# On folded text ("thang", "nam"), the parts named: citations fold before they parse, and an
# answer or a quoted document may write "01-7-2023", "01 . 7 . 2023" as well as "01/7/2023".
FOLDED_DATE = (
    r"(?P<d>\d{1,2})\s?[/.-]\s?(?P<m>\d{1,2})\s?[/.-]\s?(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s+nam\s+(?P<y2>\d{4})"
)
# What a generated answer is checked against, leniently (any separator, any case). Groups:
# day, month, year in 1-3 (figures) or 4-6 (words).
DAY_MONTH_YEAR = re.compile(
    r"\b(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})\b|\b(\d{1,2}) tháng (\d{1,2}) năm (\d{4})\b", re.IGNORECASE
)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")  # year, month, day


def iso_date(year: str, month: str, day: str) -> str | None:
    """A date read by one of these patterns as "YYYY-MM-DD"; None for no such day ("31/02/2023")."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


# "7/2023", "tháng 7 năm 2023": month, year in 1-2 or 3-4.
MONTH_YEAR = re.compile(r"\b(\d{1,2})\s?[/.-]\s?(\d{4})\b|\btháng (\d{1,2}) năm (\d{4})\b", re.IGNORECASE)
# "26/11": a day and a month alone; never part of a longer date or a document number.
DAY_MONTH = re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})(?![\d/])")
# "2021-2025", "2021 đến 2025": two years of this or the last century, a span.
YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)\s?(?:[-–—]|đến|tới)\s?((?:19|20)\d\d)\b", re.IGNORECASE)
# A short answer quotes a date with its preposition and any partial form ("từ ngày 01/7/2023",
# "tháng 7/2023", "năm 2023"), and a period with its "giai đoạn" (any dash, any spacing).
_WHEN = r"(?:(?:từ|đến|vào|trước|sau)\s+)?"
DATE_PHRASE = re.compile(
    rf"{_WHEN}(?:ngày\s+)?{SLASH_DATE}"
    rf"|{_WHEN}(?:ngày\s+\d{{1,2}}\s+)?tháng\s+\d{{1,2}}\s+năm\s+\d{{4}}"
    rf"|{_WHEN}tháng\s+\d{{1,2}}/\d{{4}}"
    rf"|{_WHEN}năm\s+\d{{4}}",
    re.IGNORECASE,
)
PERIOD_PHRASE = re.compile(r"(?:giai đoạn\s+)?\d{4}\s*[-–]\s*\d{4}", re.IGNORECASE)

# --- URLs --------------------------------------------------------------------------------------
# Two strictnesses, both needed. URL: a field that says where a document is published
# (corpus front matter, directives.yaml), shown as a link: http(s), a plain host, nothing a
# link or markup could be broken with. LINK_IN_TEXT: any address a generated answer writes
# ("www.x.vn", "chinhphu.vn/…"), found to check it against the sources; leniency is the point.
URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s\"'<>`\\{}|^]*)?$")
MAX_URL_CHARS = 2000
LINK_IN_TEXT = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'`]+|(?<![\w@.-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s<>\"'`]*)?", re.IGNORECASE
)


def is_safe_url(value: str) -> bool:
    """Whether `value` is an http(s) address safe to store and show as a link."""
    return len(value) <= MAX_URL_CHARS and URL.match(value) is not None


# --- Articles, clauses, points -----------------------------------------------------------------
# "Điều 12", "khoản 2 Điều 5", "điều 36, khoản 1" in a folded question; never "Điều 1.2.LQ.3"
# (a pháp điển code: its reader has its own) nor a figure ("9 tháng").
ARTICLE_REF = re.compile(
    r"(?<![\w.])(?:khoan\s+(?P<before>[0-9]{1,3})\s*,?\s*(?:cua\s+)?)?dieu\s+(?P<article>[0-9]{1,3})(?![\w.]*\.\w)"
    r"(?:\s*,?\s*khoan\s+(?P<after>[0-9]{1,3}))?"
)
# "Điều 5", "Article 5" as written (not folded): a question that cites something.
ARTICLE_WORD = r"\b(?:Điều|Article)\s+\d+\b"
# A place in a document's structure and its number: masked before figures are read, as its
# number is not a figure. PLACE_NUMBER for composing facts (a word follows); NUMBERED_NAME
# for short answers, wider: "số 10/2022/QH15", "khóa XV", "loại I" are not answers either.
_PLACES = r"Điều|khoản|điểm|Chương|Mục|Phần"
PLACE_NUMBER = re.compile(rf"\b(?:{_PLACES})\s+\w+", re.IGNORECASE)
NUMBERED_NAME = re.compile(rf"\b(?:{_PLACES}|số|khóa|khoá|loại)\s+[\w/.-]+", re.IGNORECASE)
# A khoản ("2. ") and a điểm ("a) ") opening a paragraph of an article (`match` at its start).
CLAUSE_START = re.compile(r"(\d{1,2})\.\s")
POINT_START = re.compile(r"([a-zđ])\)\s")


def clause_start(number: str) -> re.Pattern[str]:
    """Where khoản `number` opens a line of an article's text."""
    return re.compile(rf"(?m)^{re.escape(number)}\.\s")


def clause_text(text: str, number: str) -> str | None:
    """Khoản `number` of an article's text: from "N. " to the next khoản."""
    m = clause_start(number).search(text)
    if not m:
        return None
    nxt = clause_start(str(int(number) + 1)).search(text[m.end() :])
    return text[m.start() : m.end() + nxt.start() if nxt else len(text)].strip()


# Clauses a legal text names within itself, as written: "khoản 5 Điều 15 của Luật này", "các
# khoản 3, 4 và 5 Điều 15 của Luật này", "khoản 1 và khoản 2 Điều này" (`article` None: its own).
IN_TEXT_CLAUSES = re.compile(
    r"\b(?:các\s+)?khoản\s+(?P<clauses>\d{1,3}(?:\s*(?:,|và|hoặc)\s*(?:khoản\s+)?\d{1,3})*)\s+"
    r"(?:Điều\s+(?P<article>\d{1,3})\s+(?:của\s+)?(?:Luật|Nghị định|Thông tư|Pháp lệnh|Nghị quyết|Quyết định)"
    r"\s+này|Điều\s+này)\b",
    re.IGNORECASE,
)

# Clauses of another law the text names ("các nội dung thuộc khoản 1, 2, 3 Điều 15 của Luật Thực hiện
# dân chủ ở cơ sở"): `law` is the name as written, up to the clause's end, resolved by its reader.
LAW_CLAUSES = re.compile(
    r"\b(?:các\s+)?khoản\s+(?P<clauses>\d{1,3}(?:\s*(?:,|và|hoặc)\s*(?:khoản\s+)?\d{1,3})*)\s+"
    r"Điều\s+(?P<article>\d{1,3})\s+của\s+(?P<law>Luật\s+(?!này\b)[^,.;:()]{3,120})",
    re.IGNORECASE,
)

# --- Figures -----------------------------------------------------------------------------------
# "8.331", "10,9", "139": Vietnamese writing, thousands with dots, decimals with a comma.
NUMBER = r"\d+(?:[.,]\d+)*"
# A figure standing alone, with its percent; not in a document number, a date or a word.
FIGURE = re.compile(rf"(?<![\w/.,-]){NUMBER}%?(?![\w/-])")
# A figure as a short answer quotes it, a range included: "từ 3 đến 5", "10-15%".
FIGURE_RANGE = re.compile(rf"(?<![\w/.,-])(?:từ\s+)?{NUMBER}(?:\s*(?:-|–|đến|tới)\s*{NUMBER})?%?(?![\w/-])")
# A figure followed by a unit or a percent ("85%", "12 xã"): a sentence reports a result. May
# follow a comma ("…, 3 xã"), unlike FIGURE, which reads figures one by one.
FIGURE_WITH_UNIT = re.compile(rf"(?<![\w/.-]){NUMBER}\s*(?:%|[a-zđà-ỹ])")

# --- File-name slugs ---------------------------------------------------------------------------
MAX_SLUG = 80


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """A file name's stem from a title: folded, runs of anything but a word character cut to "-"."""
    return re.sub(r"[^\w-]+", "-", fold(text)).strip("-")[:limit]


def ascii_slug(text: str, limit: int = MAX_SLUG) -> str:
    """A document id from a file name: ASCII letters and digits only, as corpus ids must be."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:limit]
