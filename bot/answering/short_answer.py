"""The answer in one line, cut verbatim out of the best quoted sentence.

A question's kind decides what is cut: a number with its unit ("bao nhiêu",
"mấy"), a date ("khi nào", "ngày nào"), a period ("giai đoạn nào"), a duration
("bao lâu"), a body or a place ("ai", "cơ quan nào", "huyện nào", "ở đâu"), a
definition ("… là gì"), or a yes-no verdict with its condition ("có … không").
Nothing is rephrased: the text is a span of the sentence, so it cannot say
what the sentence does not. Hand-written because no library reads these
Vietnamese question forms; when the sentence does not hold the kind asked
for, there is no short answer (None), never a guess.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answering import where, which_document
from bot.answering.bodies import WHICH, WHO, body
from bot.answering.counts import NUMBER_Q, number
from bot.answering.document_dates import without_cited_dates, without_issue_dates
from bot.answering.spans import (
    BOUND,
    STOP,
    Cut,
    aside_not_asked,
    context_score,
    find_run,
    word_spans,
)
from ingest.language.normalize import fold
from ingest.language.patterns import DATE_PHRASE, PERIOD_PHRASE

_DATE_Q = r"bao gio|khi nao|ngay nao|nam nao|thang nao|luc nao|thoi diem nao|ngay thang nao|dip nao|vao (?:khoang )?thoi gian nao|(?:thang|nam|ngay) may(?! lan)"
# "tháng nào", "tháng mấy": a month alone answers ("trong tháng 01 của năm tiếp theo").
_MONTH_Q = re.compile(r"\bthang (?:nao|may)\b(?! lan)")  # "một tháng mấy lần" asks how often
# with the year it is of, where the sentence says it relative to another: "tháng 01 của năm tiếp theo"
_MONTH = re.compile(
    r"tháng\s+\d{1,2}\b(?!\s*/)(?:\s+(?:của\s+)?năm\s+(?:tiếp theo|kế tiếp|liền kề|sau|trước|đó))?", re.IGNORECASE
)
# A day that comes back every year ("Ngày 18 tháng 11 hằng năm là Ngày truyền thống …"): no year.
_YEARLY_DAY = re.compile(r"(?:ngày\s+)?\d{1,2}\s+tháng\s+\d{1,2}\b(?!\s*(?:/|năm\s+\d))", re.IGNORECASE)
# "trong khoảng thời gian nào" asks a period; "vào thời gian nào" a date (`_DATE_Q`)
_PERIOD_Q = r"giai doan nao|thoi ky nao|nhiem ky nao|trong (?:khoang |quang )?thoi gian nao"
# "từ hồi nào", "hồi nào": when, as people say it; as written, since folded it is "hội nào" (which association)
_WHEN_SPOKEN = re.compile(r"\bhồi nào\b|\btu hoi nao\b")
_DURATION_Q = r"bao lau|thoi han (?:la )?bao nhieu|thoi han nao"
# "họp bao lâu một lần": how often, answered by "mỗi tháng họp 1 lần", "5 năm hai lần", not a duration.
# "bao lâu một lần", "bao lâu tổ chức một lần", "mấy năm 1 lần" (folded): how often, not how long;
# "mấy lần một năm", "một năm họp mấy lần", "mỗi năm bao nhiêu lần": how many times in a period
_TIMES_Q = re.compile(
    r"\b(?:may|bao nhieu) lan (?:(?:mot|1|moi|trong|trong mot) )?(?:nam|thang|tuan|quy)\b"
    # "Hằng năm UBND xã phải phối hợp … tổ chức hội nghị đối thoại ít nhất mấy lần": however far apart
    r"|\b(?:mot|1|moi|hang) (?:nam|thang|tuan|quy)\b(?:\W+\w+)*?\W+(?:may|bao nhieu) lan\b"
)
_FREQUENCY_Q = re.compile(
    rf"\b(?:bao lau|may (?:nam|thang|tuan|ngay|quy))(?: \w+){{0,3}}? (?:mot|1) lan\b|{_TIMES_Q.pattern}"
)
# How many times, with its bound: "Hằng năm, … tổ chức ít nhất một lần hội nghị …"
_TIMES = re.compile(
    r"(?:(?:ít nhất|tối thiểu|tối đa|không quá)\s+(?:là\s+)?)?\b(?:một|1|hai|2|ba|3|bốn|4|\d{1,2})\s+lần\b",
    re.IGNORECASE,
)
_PER_TIMES = re.compile(
    r"(?:mỗi|hằng|hàng)\s+(?:ngày|tuần|tháng|quý|năm)(?:\s+(?:họp|tổ chức))?(?:\s+(?:một|1|hai|2|ba|3)\s+lần)?"
    r"|\d+\s+(?:ngày|tuần|tháng|năm)\s+(?:một|1|hai|2|ba|3)\s+lần"
    # "Định kỳ 06 tháng tổ chức đối thoại": every six months
    r"|định\s+kỳ\s+\d+\s+(?:ngày|tuần|tháng|năm)",
    re.IGNORECASE,
)
# "… được không ạ?", "… không vậy?": the particles closing a spoken question come after its "không"
_YES_NO = re.compile(r"\b(?:khong|chua)(?:\s+(?:a|vay|nhi|nhe|ha|chu|ad))*\s*\??\s*$|\bco phai\b.*\bkhong\b")
_DEFINITION = re.compile(r"\bla gi\b")
_AUTHOR = re.compile(r"\btac gia\b|\bai viet\b")

_DURATION = re.compile(
    r"(?:(?:trong|sau|trước)\s+(?:thời hạn\s+)?)?(?<![\w.,/])\d+(?:\s*\([^()\d]{1,20}\))?\s+"
    r"(?:ngày làm việc|ngày|tháng|năm|giờ|tuần|phút)",
    re.IGNORECASE,
)
# "kể từ ngày Ủy ban nhân dân cấp xã ban hành quyết định công nhận": a day named by what happens on it.
_EVENT_DAY = re.compile(r"(?:kể\s+)?từ\s+ngày\s+(?![\d(])(?:(?!\s+(?:và|hoặc)\s)[^.;:,()]){3,120}", re.IGNORECASE)
_TIME_UNIT_END = re.compile(r"\b(?:ngày|ngày làm việc|tháng|năm|tuần|giờ|phút)$", re.IGNORECASE)
_IN_A_ROW = re.compile(r"\s+liên tục\b", re.IGNORECASE)
_ENDS = re.compile(r"\b(?:het|cham dut|khong con)\b")
_SINCE_Q = re.compile(r"\b(?:khi nao|bao gio|tu ngay nao|tu luc nao|tu khi nao|ngay nao)\b")
_NEGATION = re.compile(r"\bkhong (?:duoc|phai|co|can|the)\b|\bnghiem cam\b|\bcam\b|\bchua (?:duoc|co)\b")
MAX_SHORT = 250


def kind(question: str) -> str | None:
    """What the question asks for: "date", "period", "duration", "frequency", "number", "author", "which",
    "document", "who", "where", "yesno", "definition"; None for a question no one line answers (lists, "thế nào")."""
    q = fold(question)
    if re.search(rf"\b(?:{_DATE_Q})\b", q) or _WHEN_SPOKEN.search(question.lower()):
        return "date"
    if re.search(rf"\b(?:{_PERIOD_Q})\b", q):
        return "period"
    if _FREQUENCY_Q.search(q):
        return "frequency"
    if re.search(rf"\b(?:{_DURATION_Q})\b", q):
        return "duration"
    if re.search(rf"\b(?:{NUMBER_Q})\b", q):
        return "number"
    if _AUTHOR.search(q):
        return "author"
    if which_document.asked(q):  # before "<noun> nào": "văn bản nào" is no "ban nào"
        return "document"
    if WHICH.search(q):
        return "which"
    if WHO.search(q):
        return "who"
    if where.asked(q) and not re.search(r"\b(?:ở|tại) đầu\b", question.lower()):  # "ở đầu thôn": at its head
        return "where"
    if _YES_NO.search(q.rstrip(" ?.!")) or q.rstrip(" ?.!").endswith(" khong"):
        return "yesno"
    if _DEFINITION.search(q):
        return "definition"
    return None


def figure(question: str) -> str | None:
    """What figure a question asks for, to weigh the sentences that hold one: "date" ("khi nào",
    "ngày nào"), "number" ("bao nhiêu", "mấy", "tối đa", "bao lâu"), or None."""
    q = fold(question)
    if re.search(rf"\b(?:{_DATE_Q})\b", q) or _WHEN_SPOKEN.search(question.lower()):
        return "date"
    return "number" if re.search(rf"\b(?:{NUMBER_Q}|bao lau)\b", q) else None


def cut(question: str, sentence: str) -> Cut | None:
    """The span of `sentence` that answers `question`, or None."""
    asked = kind(question)
    if asked is None or asked == "author":
        return None
    q_words = _content(question)
    if asked == "date":
        dated = _best(
            DATE_PHRASE.finditer(without_cited_dates(question, without_issue_dates(question, sentence))),
            sentence,
            q_words,
        )
        if dated is None and _MONTH_Q.search(fold(question)):
            dated = _best(_MONTH.finditer(sentence), sentence, q_words)
        if dated is None:
            dated = _best(_YEARLY_DAY.finditer(sentence), sentence, q_words)
        if dated or not _SINCE_Q.search(fold(question)):
            return dated
        # "hết hiệu lực kể từ ngày …": the day something stops is no answer to when it applies
        events = [m for m in _EVENT_DAY.finditer(sentence) if not _ENDS.search(fold(sentence[: m.start()])[-30:])]
        event = _best(events, sentence, q_words)
        return _after_lead_time(sentence, event) if event else None
    if asked == "period":
        return _best(PERIOD_PHRASE.finditer(sentence), sentence, q_words) or _best(
            DATE_PHRASE.finditer(sentence), sentence, q_words
        )
    if asked == "frequency":
        per = _best(_PER_TIMES.finditer(sentence), sentence, q_words)
        if _TIMES_Q.search(fold(question)) and (per is None or "lần" not in per.text.lower()):
            # "mấy lần một năm" of "Hằng năm, … ít nhất một lần": the times, the year being asked
            return _best(_TIMES.finditer(sentence), sentence, q_words) or per
        return per
    if asked == "duration":
        return _in_a_row(sentence, _best(_DURATION.finditer(sentence), sentence, q_words, bounded=True))
    if asked == "number":
        return _in_a_row(sentence, number(question, sentence, q_words))
    if asked in ("which", "who"):
        return body(question, sentence, asked)
    if asked == "document":
        return which_document.cut(question, sentence)
    if asked == "where":
        return where.cut(question, sentence)
    if asked == "yesno":
        return _verdict(question, sentence)
    return _definition(question, sentence)


def _in_a_row(sentence: str, found: Cut | None) -> Cut | None:
    """ "ít nhất là 30 ngày liên tục": days in a row are part of the time asked (any 30 days
    would be another rule), so a time that the sentence says runs in a row is cut with it."""
    if found is None or not _TIME_UNIT_END.search(found.text) or sentence.count(found.text) != 1:
        return found  # written twice, the cut may be either: as cut
    at = sentence.find(found.text)
    row = _IN_A_ROW.match(sentence, at + len(found.text))
    return replace(found, text=sentence[at : row.end()]) if row else found


def _after_lead_time(sentence: str, event: Cut) -> Cut:
    """ "chậm nhất sau 20 ngày kể từ ngày kết thúc cuộc vận động": the day counted from is no
    answer to when without the time counted from it."""
    at = sentence.find(event.text)
    if at < 0:
        return event
    before = sentence[:at]
    lead = next((d for d in _DURATION.finditer(before) if not before[d.end() :].strip(" ,")), None)
    if lead is None:
        return event
    bound = BOUND.search(sentence[: lead.start()])
    return Cut(sentence[bound.start() if bound else lead.start() : at + len(event.text)].strip())


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)) if w not in STOP}


def _best(matches, sentence: str, q_words: set[str], bounded: bool = False) -> Cut | None:
    """The match with the question's words nearest; `bounded`: with the bound written before
    it ("không ít hơn 30 (ba mươi) ngày" is a floor, not the time limit)."""
    found = [(context_score(sentence, m.start(), m.end(), q_words), -i, m) for i, m in enumerate(matches)]
    main = [f for f in found if not aside_not_asked(sentence, f[2], q_words)]
    if not main:
        return None
    m = max(main, key=lambda f: (f[0], f[1]))[2]
    bound = BOUND.search(sentence[: m.start()]) if bounded else None
    return Cut(sentence[bound.start() if bound else m.start() : m.end()].strip())


def _verdict(question: str, sentence: str) -> Cut:
    """ "Có" or "Không", and the sentence that says so as its condition."""
    said = fold(sentence)
    negated = bool(_NEGATION.search(said)) and not _NEGATION.search(fold(question))
    return Cut(clipped(sentence), "Không" if negated else "Có")


def unread_negation(sentence: str) -> bool:
    """Whether the sentence says "không" other than as `_NEGATION` reads it: a prohibition's item
    ("Không mang vũ khí …"), a condition's ("b) Không tuân thủ …"), a noun's ("không chuyên trách"),
    a bound ("không quá 02"); its verdict cannot be told from its words alone."""
    return bool(re.search(r"\bkhong\b", _NEGATION.sub(" ", fold(sentence))))


def clipped(text: str) -> str:
    """A text as one first line holds it: cut to MAX_SHORT at a word, "…" where it was cut (the
    grounds of a verdict or a choice, a definition, a document's scope)."""
    return text if len(text) <= MAX_SHORT else text[:MAX_SHORT].rsplit(" ", 1)[0] + "…"


def _definition(question: str, sentence: str) -> Cut | None:
    """ "X là gì?": what follows "X … là" in the sentence."""
    q = fold(question)
    term = [w for w in re.findall(r"\w+", q[: _DEFINITION.search(q).start()]) if w not in STOP][-2:]  # type: ignore[union-attr]
    words = word_spans(sentence)
    folded = [fold(w[0]) for w in words]
    at = find_run(folded, term, 0)
    if at is None:
        return None
    try:
        is_at = folded.index("la", at + len(term))
    except ValueError:
        return None
    if is_at - at > 8 or is_at + 1 >= len(words):
        return None
    text = sentence[words[is_at + 1].start() :].rstrip(" .;")
    return Cut(clipped(text))
