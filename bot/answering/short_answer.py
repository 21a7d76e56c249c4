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
from bot.answering.counts import NUMBER_Q, number
from bot.answering.document_dates import without_cited_dates, without_issue_dates
from bot.answering.spans import (
    BOUND,
    STOP,
    Cut,
    aside_not_asked,
    context_score,
    find_run,
    fold_keep_case,
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
    r"|\b(?:mot|1|moi|hang) (?:nam|thang|tuan|quy)(?: \w+){0,5}? (?:may|bao nhieu) lan\b"
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
_YES_NO = re.compile(r"\b(?:khong|chua)\s*\??\s*$|\bco phai\b.*\bkhong\b")
_DEFINITION = re.compile(r"\bla gi\b")
_WHO = re.compile(r"\b(?:ai|nguoi nao)\b")
# The nouns a "<noun> nào" question asks a body or a place by (folded).
WHICH_NOUN = re.compile(r"co quan|to chuc|don vi|truong|huyen|tinh|xa|thanh pho|cap|ban|bo|so|hoi|nganh|dia phuong")
_WHICH = re.compile(rf"\b(({WHICH_NOUN.pattern})) nao\b")
# What opens a clause capitalised, or like a body's noun, and names no one: "a) Ban hành quyết
# định …" (to issue), "Việc tổ chức cuộc họp …" (the holding of), a clause's title ("1. Thẩm
# quyền triệu tập, chủ trì …", "Trách nhiệm …", "Nội dung …").
_NOT_AGENTS = (
    ("ban", "hanh"), ("viec",), ("tham", "quyen"), ("trach", "nhiem"), ("nhiem", "vu"), ("quyen", "han"),
    ("noi", "dung"), ("hinh", "thuc"), ("trinh", "tu"), ("thu", "tuc"), ("thoi", "han"), ("dieu", "kien"),
    ("tieu", "chuan"), ("so", "luong"), ("thanh", "phan"), ("nguyen", "tac"),
)  # fmt: skip
_BODY_HEADS = (
    "nguoi ",
    "hoi nghi",
    "hoi dong",
    "co quan",
    "to chuc",
    "ban ",
    "uy ban",
    "cong dong",
    "tap the",
    "doan ",
    "chi huy ",
    "thu truong ",
    "lanh dao ",
)
# An office opens a name too ("Trưởng Ban công tác Mặt trận ở thôn, tổ dân phố", "Tổ trưởng …"):
# as written, with its accents, since folded "trưởng" is also "trường (hợp)".
_OFFICE_HEADS = ("trưởng ", "phó trưởng ", "tổ trưởng ", "chủ tịch ", "bí thư ")
# Words that open a clause's circumstance, never who acts or which body ("Trường hợp không ban hành
# quyết định …", "Trong thời hạn 60 ngày kể từ ngày có quyết định …"), folded
_NOT_AN_AGENT = tuple(
    w + " "
    for w in (
        "truong hop", "trong", "sau khi", "truoc khi", "khi", "neu", "doi voi", "can cu", "theo", "viec",
        "ke tu", "tai", "hang nam", "dinh ky", "moi", "ngoai ra", "dong thoi",
    )
)  # fmt: skip
_DUTY = re.compile(r"\s+(?:có\s+(?:trách nhiệm|nhiệm vụ|quyền hạn|quyền)|phải|cần)$", re.IGNORECASE)
_AUTHOR = re.compile(r"\btac gia\b|\bai viet\b")

_DURATION = re.compile(
    r"(?:(?:trong|sau|trước)\s+(?:thời hạn\s+)?)?(?<![\w.,/])\d+(?:\s*\([^()\d]{1,20}\))?\s+"
    r"(?:ngày làm việc|ngày|tháng|năm|giờ|tuần|phút)",
    re.IGNORECASE,
)
# "kể từ ngày Ủy ban nhân dân cấp xã ban hành quyết định công nhận": a day named by what happens on it.
_EVENT_DAY = re.compile(r"(?:kể\s+)?từ\s+ngày\s+(?![\d(])(?:(?!\s+(?:và|hoặc)\s)[^.;:,()]){3,120}", re.IGNORECASE)
_TIME_UNIT_END = re.compile(r"\b(?:ngày|ngày làm việc|tháng|năm|tuần|giờ)$", re.IGNORECASE)
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
    if _WHICH.search(q):
        return "which"
    if _WHO.search(q):
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
        return _body(question, sentence, asked)
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
    if found is None or not _TIME_UNIT_END.search(found.text):
        return found
    at = sentence.find(found.text)
    if at < 0 or not _IN_A_ROW.match(sentence, at + len(found.text)):
        return found
    return replace(found, text=f"{found.text} liên tục")


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


def _body(question: str, sentence: str, asked: str) -> Cut | None:
    """A body, a person or a place: the words of the sentence that stand where the question
    has "ai" / "<noun> nào", between the words around it; a noun the question names
    ("huyện nào") is looked for with the capitalized name after it."""
    q = fold(question)
    which = _WHICH.search(q)
    if which:
        noun = which[1]
        m = re.search(
            rf"\b(?i:{re.escape(noun)})\s+((?:[A-Z]\w*\s*){{1,6}})",
            fold_keep_case(sentence),
        )
        if m and noun not in ("cap", "ban", "bo"):
            return Cut(sentence[m.start() : m.end()].strip(" ,;."))
    wh = which or _WHO.search(q)
    assert wh is not None
    before, after = q[: wh.start()], q[wh.end() :]
    # "do ai chủ trì", and "ai bầu" answered in the passive ("… do hội nghị người lao động bầu")
    tries = (_agent, _between) if re.search(r"\bdo\s*$", before) else (_between, _agent)
    for find in tries:
        found = find(before, after, sentence)
        # a body or a person is named with capitals ("Ban Thường vụ", "Nguyễn Văn Linh") from its first word,
        # or by a body's noun ("hội nghị người lao động", "người đứng đầu cơ quan"); else it is not one.
        # (str.isupper, not a range like À-Ỹ, which holds the lowercase letters "á", "đ" too.)
        if found is not None and which:
            found = _whole_name(which[1], sentence, found)
        if (
            found is not None
            and (found.text[:1].isupper() or fold(found.text).startswith(_BODY_HEADS))
            and not any(tuple(fold(found.text).split()[: len(w)]) == w for w in _NOT_AGENTS)
        ):
            return found
    return None


def _whole_name(noun: str, sentence: str, cut: Cut) -> Cut:
    """A name with a comma in it, whole from the noun the question asks by ("Bộ nào" and "Bộ
    Văn hóa, Thể thao và Du lịch", not "Thể thao và Du lịch"), up to the "là" that begins what
    the sentence says of it ("… là cơ quan chịu trách nhiệm")."""
    at = sentence.find(cut.text)
    if at < 0:
        return cut
    heads = list(re.finditer(rf"\b{noun[:1].upper()}{noun[1:]}\b", fold_keep_case(sentence[:at])))
    start = at
    if (
        heads
        and len(sentence[heads[-1].start() : at].split()) <= 6
        and not re.search(r"[.;:()]", sentence[heads[-1].start() : at])
    ):
        start = heads[-1].start()
    text = re.split(r"\s+là\s+", sentence[start : at + len(cut.text)], maxsplit=1)[0].strip(" ,;.")
    return Cut(text) if text else cut


def _agent(before: str, after: str, sentence: str) -> Cut | None:
    """Who does what the question asks, in the passive: the words between "do" (or "bởi") and
    the question's verb in the sentence ("… do người đứng đầu cơ quan, đơn vị chủ trì")."""
    words = word_spans(sentence)
    folded = [fold(w[0]) for w in words]
    asked = [w for w in re.findall(r"\w+", after) if w not in STOP]
    right = asked[:2]
    stop = find_run(folded, right, 0) if right else None
    if stop is None and right:
        stop = find_run(folded, right[:1], 0)
    for skip in (1, 2):  # the verb after a lead-in the text does not write ("ai đứng ra chủ trì")
        if stop is None and len(asked) >= skip + 2:
            stop = find_run(folded, asked[skip : skip + 2], 0)
    if not stop:
        return None
    for j in range(stop - 1, max(-1, stop - 16), -1):
        if folded[j] in ("do", "boi"):
            opened = sentence.rfind("(", 0, words[j].start())
            if (
                opened > sentence.rfind(")", 0, words[j].start())
                and ")" in sentence[words[j].end() : words[stop].start()]
            ):
                # "Tổ bầu cử (do Chủ tịch … thành lập) triệu tập": that "do" is inside the remark; who
                # does the verb is the name the remark is about, before its bracket
                k = next((i for i in range(j, 0, -1) if words[i - 1].end() <= opened < words[i].start()), 0)
                return (
                    Cut(sentence[words[_clause_start(sentence, words, k - 1)].start() : words[k - 1].end()])
                    if k
                    else None
                )
            return Cut(sentence[words[j + 1].start() : words[stop - 1].end()]) if stop - j > 1 else None
    return None


def _between(before: str, after: str, sentence: str) -> Cut | None:
    """The words of the sentence between the last words of `before` and the first of `after`
    (both folded question text); with only one side found, up to punctuation."""
    words = word_spans(sentence)
    folded = [fold(w[0]) for w in words]
    left = [w for w in re.findall(r"\w+", before) if w not in STOP][-2:]
    asked = [w for w in re.findall(r"\w+", after) if w not in STOP]
    right = asked[:2]
    start = find_run(folded, left, 0)
    start = start + len(left) if start is not None else None
    stop = find_run(folded, right, start or 0) if right else None
    if stop is None and start is not None:
        # the verb asked written before what the question says first ("… thì ai là người triệu
        # tập?" of "Trưởng Ban … triệu tập … để cho thôi làm Trưởng thôn"): who is before the verb
        for skip in (0, 1):  # the verb, or after one word ("là người triệu tập"); not its object
            verb = asked[skip : skip + 2]
            earlier = find_run(folded, verb, 0) if len(verb) == 2 else None
            if earlier is not None and earlier < start:
                start, stop = None, earlier
                break
    if start is None and stop is None:
        return None
    if start is None:
        assert stop is not None
        start = _clause_start(sentence, words, stop)
        if start == stop:
            return None  # the verb opens its clause ("b) Công nhận kết quả bầu …"): who acts is not in it
        # the passive: "Ban … được Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã quyết định thành lập"
        # answers "cơ quan nào quyết định thành lập": who acts stands after "được" / "do" / "bởi"
        marker = next((j for j in range(stop - 1, start, -1) if words[j][0].lower() in ("được", "do", "bởi")), None)
        if marker is not None and stop - marker > 1:
            start = marker + 1
        elif stop > 0 and words[stop - 1][0].lower() in ("được", "bị"):
            return None  # passive, no one named: "Việc cho thôi làm … được quyết định tại cuộc họp"
        elif (
            not words[start][0][:1].isupper()
            and start > 0
            and sentence[words[start - 1].end() : words[start].start()].strip() == ","
        ):
            # a name with a comma in it ("Ban Chấp hành Công đoàn cơ quan, đơn vị"): from its capital
            earlier = _clause_start(sentence, words, start - 1)
            named = " ".join(w[0] for w in words[earlier:start])
            if named[:1].isupper() and _names_body(named) and start - earlier <= 8:
                start = earlier
        elif words[start][0][:1].isupper() and start > 0:
            # names listed with commas ("Trưởng thôn, Tổ trưởng tổ dân phố triệu tập"): all of them,
            # never an opening phrase ("Trường hợp cần thiết, …", "Tại hội nghị, …", "Hằng năm, …")
            while start > 0 and sentence[words[start - 1].end() : words[start].start()].strip() == ",":
                earlier = _clause_start(sentence, words, start - 1)
                named = " ".join(w[0] for w in words[earlier:start])
                if not named[:1].isupper() or start - earlier > 4 or not _names_body(named):
                    break
                start = earlier
    if start >= len(words):
        return None  # the words before "ai" end the sentence: nothing stands after them
    if stop is None or stop <= start:
        stop = start + 1
        while stop < len(words) and not _boundary(sentence, words[stop - 1].end(), words[stop].start()):
            stop += 1
    while start < stop and folded[start] in STOP:
        start += 1
    # "Ủy ban nhân dân cấp xã có (thẩm quyền …)": a verb typed in lower case, not "(Sơn) La"
    while stop > start and folded[stop - 1] in STOP and words[stop - 1][0].islower():
        stop -= 1
    if start >= stop or stop - start > 14 or (" ".join(folded[start:stop]) + " ").startswith(_NOT_AN_AGENT):
        return None
    # "Ủy ban … cấp xã có trách nhiệm (công nhận …)": the duty's words are not the body's name
    return Cut(_DUTY.sub("", sentence[words[start].start() : words[stop - 1].end()]))


def _names_body(text: str) -> bool:
    """Whether the words open a body's or an office's name ("Ban Chấp hành …", "Trưởng thôn")."""
    return fold(text + " ").startswith(_BODY_HEADS) or (text.lower() + " ").startswith(_OFFICE_HEADS)


def _clause_start(sentence: str, words: list[re.Match[str]], at: int) -> int:
    """The first word of the clause word `at` is in (back to a comma, a stop or a bracket)."""
    while at > 0 and not _boundary(sentence, words[at - 1].end(), words[at].start()):
        at -= 1
    return at


def _boundary(sentence: str, end: int, start: int) -> bool:
    return bool(re.search(r"[,.;:()]", sentence[end:start]))


def _verdict(question: str, sentence: str) -> Cut:
    """ "Có" or "Không", and the sentence that says so as its condition."""
    said = fold(sentence)
    negated = bool(_NEGATION.search(said)) and not _NEGATION.search(fold(question))
    return Cut(clipped(sentence), "Không" if negated else "Có")


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
