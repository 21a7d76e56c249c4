"""The answer in one line, cut verbatim out of the best quoted sentence.

A question's kind decides what is cut: a number with its unit ("bao nhiêu",
"mấy"), a date ("khi nào", "ngày nào"), a period ("giai đoạn nào"), a duration
("bao lâu"), a body or a place ("ai", "cơ quan nào", "huyện nào"), a
definition ("… là gì"), or a yes-no verdict with its condition ("có … không").
Nothing is rephrased: the text is a span of the sentence, so it cannot say
what the sentence does not. Hand-written because no library reads these
Vietnamese question forms; when the sentence does not hold the kind asked
for, there is no short answer (None), never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.language.normalize import fold
from ingest.language.patterns import DATE_PHRASE, FIGURE_RANGE, NUMBER, NUMBERED_NAME, PERIOD_PHRASE

_DATE_Q = r"bao gio|khi nao|ngay nao|nam nao|thang nao|luc nao|thoi diem nao|ngay thang nao"
_PERIOD_Q = r"giai doan nao|thoi ky nao|nhiem ky nao"
_DURATION_Q = r"bao lau|thoi han (?:la )?bao nhieu|thoi han nao"
# "họp bao lâu một lần": how often, answered by "mỗi tháng họp 1 lần", "5 năm hai lần", not a duration.
_FREQUENCY_Q = re.compile(r"\bbao lau (?:thi )?(?:mot|1) lan\b")
_PER_TIMES = re.compile(
    r"(?:mỗi|hằng|hàng)\s+(?:ngày|tuần|tháng|quý|năm)(?:\s+(?:họp|tổ chức))?(?:\s+(?:một|1|hai|2|ba|3)\s+lần)?"
    r"|\d+\s+(?:ngày|tuần|tháng|năm)\s+(?:một|1|hai|2|ba|3)\s+lần",
    re.IGNORECASE,
)
_NUMBER_Q = r"bao nhieu|may|toi da|toi thieu|it nhat"
NUMBER_Q = _NUMBER_Q  # read by `asks` too: one home for the question forms
_YES_NO = re.compile(r"\b(?:khong|chua)\s*\??\s*$|\bco phai\b.*\bkhong\b")
_DEFINITION = re.compile(r"\bla gi\b")
_WHO = re.compile(r"\b(?:ai|nguoi nao)\b")
_WHICH = re.compile(
    r"\b((?:co quan|to chuc|don vi|truong|huyen|tinh|xa|thanh pho|cap|ban|bo|so|hoi|nganh|dia phuong)) nao\b"
)
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
)
_AUTHOR = re.compile(r"\btac gia\b|\bai viet\b")

# "số 34/2007/PL-UBTVQH11 ngày 20 tháng 4 năm 2007": the date a cited document was issued.
_ISSUE_DATE = re.compile(r"\S*\d\S*[/-]\S*[A-ZĐ]\S*\s+(?=(?:ngày\s+)?\d)")
_EFFECT_Q = re.compile(r"\bhieu luc\b|\bap dung tu\b")
_DURATION = re.compile(
    r"(?:(?:trong|sau|trước)\s+(?:thời hạn\s+)?)?(?<![\w.,/])\d+(?:\s*\([^()\d]{1,20}\))?\s+"
    r"(?:ngày làm việc|ngày|tháng|năm|giờ|tuần|phút)",
    re.IGNORECASE,
)
# "kể từ ngày Ủy ban nhân dân cấp xã ban hành quyết định công nhận": a day named by what happens on it.
_EVENT_DAY = re.compile(r"(?:kể\s+)?từ\s+ngày\s+(?![\d(])(?:(?!\s+(?:và|hoặc)\s)[^.;:,()]){3,120}", re.IGNORECASE)
_ENDS = re.compile(r"\b(?:het|cham dut|khong con)\b")
_SINCE_Q = re.compile(r"\b(?:khi nao|bao gio|tu ngay nao|tu luc nao|tu khi nao|ngay nao)\b")
_BOUND = re.compile(
    r"(?:không\s+(?:ít|nhiều)\s+hơn|không\s+quá|không\s+dưới|không\s+vượt\s+quá|tối\s+đa|tối\s+thiểu|"
    r"ít\s+nhất(?:\s+là)?|nhiều\s+nhất(?:\s+là)?|trên|dưới|hơn|gần|khoảng)\s+$",
    re.IGNORECASE,
)
# Where a number's unit ends, as written: "đầu tư" is a unit's word, "từ" is not (folded, both are "tu").
_UNIT_STOP = {
    "và", "với", "trong", "của", "được", "đạt", "tăng", "giảm", "số", "là", "có", "đã", "để", "cho", "theo",
    "tại", "ở", "thì", "như", "năm", "từ", "đến", "trên", "mới", "này", "đó",
}  # fmt: skip
# Words that may stand between what is counted and its figure.
_BETWEEN = {"muc", "la", "khoang", "toi", "da", "thieu", "it", "nhat", "duoc"}
# "đô thị loại mấy", "lần thứ mấy", "khóa mấy": the number is a rank written after that word ("loại I").
_ORDINAL = {"loai", "thu", "khoa", "cap", "hang"}
_STOP = {"cua", "va", "la", "o", "cac", "nhung", "duoc", "co", "khong", "thi", "nao", "gi", "ai", "voi", "cho", "ve"}
_NEGATION = re.compile(r"\bkhong (?:duoc|phai|co|can|the)\b|\bnghiem cam\b|\bcam\b|\bchua (?:duoc|co)\b")
MAX_SHORT = 250


@dataclass(frozen=True)
class Cut:
    text: str
    verdict: str | None = None
    fit: int = 0  # how many words of the unit the question names the cut has ("05 thành viên")


def kind(question: str) -> str | None:
    """What the question asks for: "date", "period", "duration", "frequency", "number", "author", "which",
    "who", "yesno", "definition"; None for a question no one line answers (lists, "thế nào")."""
    q = fold(question)
    if re.search(rf"\b(?:{_DATE_Q})\b", q):
        return "date"
    if re.search(rf"\b(?:{_PERIOD_Q})\b", q):
        return "period"
    if re.search(rf"\b(?:{_DURATION_Q})\b", q):
        return "frequency" if _FREQUENCY_Q.search(q) else "duration"
    if re.search(rf"\b(?:{_NUMBER_Q})\b", q):
        return "number"
    if _AUTHOR.search(q):
        return "author"
    if _WHICH.search(q):
        return "which"
    if _WHO.search(q):
        return "who"
    if _YES_NO.search(q.rstrip(" ?.!")) or q.rstrip(" ?.!").endswith(" khong"):
        return "yesno"
    if _DEFINITION.search(q):
        return "definition"
    return None


def figure(question: str) -> str | None:
    """What figure a question asks for, to weigh the sentences that hold one: "date" ("khi nào",
    "ngày nào"), "number" ("bao nhiêu", "mấy", "tối đa", "bao lâu"), or None."""
    q = fold(question)
    if re.search(rf"\b(?:{_DATE_Q})\b", q):
        return "date"
    return "number" if re.search(rf"\b(?:{_NUMBER_Q}|bao lau)\b", q) else None


def without_issue_dates(question: str, sentence: str) -> str:
    """The sentence with the issue dates of the documents it cites blanked (same length) when
    the question asks from when something is in force: "Pháp lệnh số 34/2007/PL-UBTVQH11 ngày
    20 tháng 4 năm 2007 … hết hiệu lực kể từ ngày Luật này có hiệu lực" is not the Law's date."""
    if not _EFFECT_Q.search(fold(question)):
        return sentence
    out = sentence
    for ref in _ISSUE_DATE.finditer(sentence):
        date = DATE_PHRASE.match(sentence, ref.end())
        if date:
            out = out[: date.start()] + " " * (date.end() - date.start()) + out[date.end() :]
    return out


def cut(question: str, sentence: str) -> Cut | None:
    """The span of `sentence` that answers `question`, or None."""
    asked = kind(question)
    if asked is None or asked == "author":
        return None
    q_words = _content(question)
    if asked == "date":
        dated = _best(DATE_PHRASE.finditer(without_issue_dates(question, sentence)), sentence, q_words)
        if dated or not _SINCE_Q.search(fold(question)):
            return dated
        # "hết hiệu lực kể từ ngày …": the day something stops is no answer to when it applies
        events = [m for m in _EVENT_DAY.finditer(sentence) if not _ENDS.search(fold(sentence[: m.start()])[-30:])]
        return _best(events, sentence, q_words)
    if asked == "period":
        return _best(PERIOD_PHRASE.finditer(sentence), sentence, q_words) or _best(
            DATE_PHRASE.finditer(sentence), sentence, q_words
        )
    if asked == "frequency":
        return _best(_PER_TIMES.finditer(sentence), sentence, q_words)
    if asked == "duration":
        return _best(_DURATION.finditer(sentence), sentence, q_words, bounded=True)
    if asked == "number":
        return _number(question, sentence, q_words)
    if asked in ("which", "who"):
        return _body(question, sentence, asked)
    if asked == "yesno":
        return _verdict(question, sentence)
    return _definition(question, sentence)


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)) if w not in _STOP}


def _context_score(sentence: str, start: int, end: int, q_words: set[str], reach: int = 8) -> float:
    """The question's words near a figure, the nearest weighing most; those before it count
    double ("thu ngân sách đạt 8.331 tỷ đồng"), as official prose names a figure before stating it."""
    before = re.findall(r"\w+", fold(sentence[:start]))[-reach:][::-1]
    after = re.findall(r"\w+", fold(sentence[end:]))[:reach]
    score = sum(2 / d for d, w in enumerate(before, 1) if w in q_words)
    return score + sum(1 / d for d, w in enumerate(after, 1) if w in q_words)


def _best(matches, sentence: str, q_words: set[str], bounded: bool = False) -> Cut | None:
    """The match with the question's words nearest; `bounded`: with the bound written before
    it ("không ít hơn 30 (ba mươi) ngày" is a floor, not the time limit)."""
    found = [(_context_score(sentence, m.start(), m.end(), q_words), -i, m) for i, m in enumerate(matches)]
    if not found:
        return None
    m = max(found, key=lambda f: (f[0], f[1]))[2]
    bound = _BOUND.search(sentence[: m.start()]) if bounded else None
    return Cut(sentence[bound.start() if bound else m.start() : m.end()].strip())


def _masked(sentence: str) -> str:
    """The sentence with article numbers, document numbers and dates blanked (same length)."""
    blank = lambda m: " " * len(m[0])  # noqa: E731
    masked = NUMBERED_NAME.sub(blank, sentence)
    masked = re.sub(r"\S*\d+-[A-ZĐ]\S*|\S+/\S+", blank, masked)  # 227-TB/TU, 10/2022/QH15, 06/7/2016
    return DATE_PHRASE.sub(blank, masked)


def _number(question: str, sentence: str, q_words: set[str]) -> Cut | None:
    """A number with its unit: the unit the question names after "bao nhiêu" / "mấy" when
    the sentence has it there, else the few words that follow the number."""
    q = fold(question)
    after = re.search(rf"\b(?:{_NUMBER_Q})\b\s*(.*)", q)
    unit = [w for w in re.findall(r"\w+", after[1])][:6] if after else []
    if unit[:1] in (["mot"], ["moi"], ["hang"]):  # "bao nhiêu một tháng": a rate, not the unit
        unit = []
    lead = re.findall(r"\w+", q[: after.start()])[-3:][::-1] if after else []  # "có thêm [mấy] xã"
    if not unit and (
        counted := re.search(r"(?<!chi )(?<!he )\bso (?:luong )?(\w+)", q)
    ):  # "tổng số xã … là bao nhiêu", not "chỉ số"
        unit = [counted[1]]
    if unit[:2] == ["phan", "tram"] or unit[:2] == ["ty", "le"] or re.search(r"\bty le\b", q):
        unit = ["%"]
    if not unit and lead and lead[0] in _ORDINAL:
        return _rank(lead, sentence)
    masked = _masked(sentence)
    given = set(re.findall(NUMBER, question))  # "9 tháng đầu năm": context, not the answer
    best: tuple[tuple[int, int, float, int], Cut] | None = None
    for i, m in enumerate(FIGURE_RANGE.finditer(masked)):
        if re.sub(r"^từ\s+|%$", "", m[0]) in given:
            continue
        tail_words = list(re.finditer(r"[^\s,.;:()“”\"]+|[,.;:()“”\"]", sentence[m.end() :]))
        taken, matched = _unit(tail_words, unit, m[0].endswith("%"))
        if m[0].endswith("%") and unit and unit != ["%"]:
            matched = -1  # a share, when the question asks for a count
        end = m.end() + (tail_words[taken - 1].end() if taken else 0)
        score = (matched, _aligned(lead, sentence[: m.start()]), _context_score(sentence, m.start(), end, q_words), -i)
        if best is None or score > best[0]:
            bound = _BOUND.search(sentence[: m.start()])  # "không ít hơn 05": a floor, not a count
            start = bound.start() if bound else m.start()
            best = (score, Cut(sentence[start:end].strip(), fit=max(matched, 0)))
    if best is None or (unit and best[0][0] <= 0):
        return None  # the question names a unit ("mấy thành viên") that no number here has
    if not unit and lead and not best[0][1]:
        return None  # nor says what is counted, and no number stands where it has "bao nhiêu"
    return best[1]


def _rank(lead: list[str], sentence: str) -> Cut | None:
    """ "loại I" for "đô thị loại mấy", "lần thứ XXI" for "lần thứ mấy": the word before "mấy"
    (and the one before it, when the sentence has it too) with the number written after it."""
    plain = _fold_keep_case(sentence)
    words = r"\s+".join(re.escape(w) for w in (lead[:2][::-1] if lead[1:2] == ["lan"] else lead[:1]))
    m = re.search(rf"\b(?i:{words})\s+(?:[IVXLC]+|\d+)\b", plain) or re.search(
        rf"\b(?i:{re.escape(lead[0])})\s+(?:[IVXLC]+|\d+)\b", plain
    )
    return Cut(sentence[m.start() : m.end()]) if m else None


def _aligned(lead: list[str], before: str) -> int:
    """How many of the words just before the question's "mấy" stand, in order, just before
    the number: "có thêm mấy xã" takes "có thêm 8 xã" over "… là 95 xã" in one sentence."""
    words = re.findall(r"\w+", fold(before))[::-1]
    while words and words[0] in _BETWEEN:  # "sinh hoạt phí, mức: 230.000", "tối thiểu là 5 triệu"
        words = words[1:]
    n = 0
    while n < len(lead) and n < len(words) and lead[n] == words[n]:
        n += 1
    return n


def _unit(tail, unit: list[str], percent: bool) -> tuple[int, int]:
    """How many of the words after a number are its unit, and how many of them the question named."""
    if percent:
        return 0, 2 if unit == ["%"] else 0
    words = [fold(w[0]) for w in tail]
    said = [unicodedata.normalize("NFC", w[0]).lower() for w in tail]
    if unit[:1] == ["nguoi"] and words[:2] == ["thanh", "vien"]:  # "mấy người" of a body: its members
        return 2, 2
    if unit[:2] == ["thanh", "vien"] and words[:1] == ["nguoi"]:  # "mấy thành viên": "05 người"
        return 1, 2
    matched = 0
    while matched < len(unit) and matched < len(words) and words[matched] == unit[matched]:
        if matched and said[matched] in _UNIT_STOP:  # "8 xã được công nhận": the unit ends at the verb
            break
        matched += 1
    if matched:
        return matched, matched
    taken = 0
    for w, typed in zip(words[:3], said):
        if not re.match(r"\w", w) or typed in _UNIT_STOP or w.isdigit():
            break
        taken += 1
    return taken, 0


def _words(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"[^\s,.;:()“”\"?!]+", text))


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
            _fold_keep_case(sentence),
        )
        if m and noun not in ("cap", "ban", "bo"):
            return Cut(sentence[m.start() : m.end()].strip(" ,;."))
    wh = which or _WHO.search(q)
    assert wh is not None
    found = _between(q[: wh.start()], q[wh.end() :], sentence)
    # a body or a person is named with capitals ("Ban Thường vụ", "Nguyễn Văn Linh") from its first word,
    # or by a body's noun ("hội nghị người lao động", "người đứng đầu cơ quan"); else it is not one.
    # (str.isupper, not a range like À-Ỹ, which holds the lowercase letters "á", "đ" too.)
    if found is None or not (found.text[:1].isupper() or fold(found.text).startswith(_BODY_HEADS)):
        return None
    return found


def _fold_keep_case(text: str) -> str:
    """Diacritics removed, case kept, same length (for matching a folded noun before a Name)."""
    return "".join("d" if c == "đ" else "D" if c == "Đ" else unicodedata.normalize("NFD", c)[0] for c in text)


def _between(before: str, after: str, sentence: str) -> Cut | None:
    """The words of the sentence between the last words of `before` and the first of `after`
    (both folded question text); with only one side found, up to punctuation."""
    words = _words(sentence)
    folded = [fold(w[0]) for w in words]
    left = [w for w in re.findall(r"\w+", before) if w not in _STOP][-2:]
    right = [w for w in re.findall(r"\w+", after) if w not in _STOP][:2]
    start = _find(folded, left, 0)
    start = start + len(left) if start is not None else None
    stop = _find(folded, right, start or 0) if right else None
    if start is None and stop is None:
        return None
    if start is None:
        assert stop is not None
        start = stop
        while start > 0 and not _boundary(sentence, words[start - 1].end(), words[start].start()):
            start -= 1
    if stop is None or stop <= start:
        stop = start + 1
        while stop < len(words) and not _boundary(sentence, words[stop - 1].end(), words[stop].start()):
            stop += 1
    while start < stop and folded[start] in _STOP:
        start += 1
    if start >= stop or stop - start > 14:
        return None
    return Cut(sentence[words[start].start() : words[stop - 1].end()])


def _boundary(sentence: str, end: int, start: int) -> bool:
    return bool(re.search(r"[,.;:()]", sentence[end:start]))


def _find(words: list[str], seq: list[str], start: int) -> int | None:
    if not seq:
        return None
    for i in range(start, len(words) - len(seq) + 1):
        if words[i : i + len(seq)] == seq:
            return i
    return None


def _verdict(question: str, sentence: str) -> Cut:
    """ "Có" or "Không", and the sentence that says so as its condition."""
    said = fold(sentence)
    negated = bool(_NEGATION.search(said)) and not _NEGATION.search(fold(question))
    text = sentence if len(sentence) <= MAX_SHORT else sentence[:MAX_SHORT].rsplit(" ", 1)[0] + "…"
    return Cut(text, "Không" if negated else "Có")


def _definition(question: str, sentence: str) -> Cut | None:
    """ "X là gì?": what follows "X … là" in the sentence."""
    q = fold(question)
    term = [w for w in re.findall(r"\w+", q[: _DEFINITION.search(q).start()]) if w not in _STOP][-2:]  # type: ignore[union-attr]
    words = _words(sentence)
    folded = [fold(w[0]) for w in words]
    at = _find(folded, term, 0)
    if at is None:
        return None
    try:
        is_at = folded.index("la", at + len(term))
    except ValueError:
        return None
    if is_at - at > 8 or is_at + 1 >= len(words):
        return None
    text = sentence[words[is_at + 1].start() :].rstrip(" .;")
    return Cut(text if len(text) <= MAX_SHORT else text[:MAX_SHORT].rsplit(" ", 1)[0] + "…")
