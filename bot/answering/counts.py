"""A number with its unit, cut out of a sentence for "bao nhiêu" / "mấy" (`short_answer.cut`):
the unit the question names after its asking word, or the counted noun written just before the
figure; a bound written before it ("không ít hơn 05 người") is kept, a spelled-out figure after
it ("03 (ba) ngày") too. Hand-written for the same reason as `short_answer`."""

from __future__ import annotations

import itertools
import re
import unicodedata

from bot.answering import items
from bot.answering.spans import BOUND, STOP, Cut, aside_not_asked, context_score, fold_keep_case
from ingest.language import vocabulary
from ingest.language.normalize import fold
from ingest.language.patterns import DATE_PHRASE, FIGURE_RANGE, NUMBER, NUMBERED_NAME

NUMBER_Q = r"bao nhieu|may|toi da|toi thieu|it nhat"  # read by `short_answer` and `asks` too
# Where a number's unit ends, as written: "đầu tư" is a unit's word, "từ" is not (folded, both are "tu").
_UNIT_STOP = {
    "và", "với", "trong", "của", "được", "đạt", "tăng", "giảm", "số", "là", "có", "đã", "để", "cho", "theo",
    "tại", "ở", "thì", "như", "năm", "từ", "đến", "trên", "mới", "này", "đó", "kể",
}  # fmt: skip
# Words that end the whole a share is of, besides `_UNIT_STOP`: "… tổ dân phố trở lên tán thành".
_WHOLE_ENDS = {
    ("tro", "len"),
    ("tan", "thanh"),
    ("dong", "y"),
    ("dong", "thuan"),
    ("nhat", "tri"),
    ("bieu", "quyet"),
    ("tham", "du"),
}
# Words that may stand between what is counted and its figure.
_BETWEEN = {"muc", "la", "khoang", "toi", "da", "thieu", "it", "nhat", "duoc"}
# "đô thị loại mấy", "lần thứ mấy", "khóa mấy": the number is a rank written after that word ("loại I").
_ORDINAL = {"loai", "thu", "khoa", "cap", "hang"}
# "03 (ba) ngày", "30 (ba mươi) ngày": a figure spelled out after it.
_SPELLED = re.compile(r"\s*\([^()\d]{1,20}\)")
# A share written in words ("hai phần ba", "quá nửa"): read like a percent.
_SHARE = re.compile(
    r"(?<!\w)(?:từ\s+)?(?:(?:một|hai|ba|bốn)\s+phần\s+(?:hai|ba|tư|năm|mười)|quá\s+nửa|một\s+nửa)(?!\w)",
    re.IGNORECASE,
)
# "… tổng số cán bộ, công chức, viên chức, người lao động của …": the whole a share is of, up to
# a word that ends the noun phrase or a clause's punctuation.
_OF_TOTAL = re.compile(r"\s*tổng\s+số\s+((?:[^\s.;:()]+\s*){1,12})", re.IGNORECASE)
# A figure's condition on a count, written before it in its clause: "trên 60 người bầu không quá
# 09 ủy viên", "60 người trở xuống bầu từ 03 đến 05", "có ít hơn 05 thôn thì …" (folded); not
# "không dưới", "không ít hơn": a floor of the figure itself.
_ABOVE_BELOW = re.compile(r"(?<!khong )\b(tren|duoi|it hon|nhieu hon)\s+(\d{1,9})\s+[a-z]")
_ABOVE = {"tren", "nhieu hon", "len"}
_OR_MORE_LESS = re.compile(r"\b(\d{1,9})\s+[a-z]+(?:\s+[a-z]+){0,2}\s+tro\s+(len|xuong)\b")
# A count the question gives, with its bound ("có 50 quân nhân", "trên 60 người", "từ 100 người trở
# lên"): a number followed by a word, not a document's, an article's or a date's number.
_GIVEN_COUNT = re.compile(
    r"(?<![\w/.-])(?:(tren|duoi)\s+)?(\d{1,6})\s+(?!thang\b|nam\b|ngay\b)[a-z]+(?:\s+[a-z]+){0,2}?(?:\s+tro\s+(len|xuong)\b)?"
)
_NOT_A_COUNT_BEFORE = {
    "dieu",
    "khoan",
    "diem",
    "dinh",
    "tu",
    "luat",
    "quyet",
    "chi",
    "nam",
    "thang",
    "ngay",
    "khoa",
    "loai",
}
_ASKS_MOST = re.compile(r"\b(?:toi da|nhieu nhat)\b")
_ASKS_LEAST = re.compile(r"\b(?:toi thieu|it nhat)\b")
# Units that are others with a word more: a working day is not a day.
_LONGER_UNITS: dict[tuple[str, ...], tuple[str, ...]] = {("ngay",): ("lam", "viec"), ("ho",): ("gia", "dinh")}
# After its unit, the bound a figure is read with: "từ 200 hộ gia đình trở lên" is not "từ 200 hộ"
_OPEN_BOUND = re.compile(r"\s+trở\s+(?:lên|xuống)\b", re.IGNORECASE)


# "không có … nào": a clause saying that none is so
_NONE_SUCH = re.compile(r"\bkhong co\b(?:\s+\w+){1,4}\s+nao\b")
# "chưa đạt", "không đủ" before a figure: a case short of a bound, not the bound
_SHORT_OF = re.compile(r"\b(?:chua|khong) (?:co )?(?:dat|du)(?: (?:ty le|muc))?\s*$")  # "chưa có đủ 10%"


# The words a count is asked by, and what follows them (the unit).
_ASKED = re.compile(r"\b(?:bao nhieu|may)\b")
_ASKED_TAIL = re.compile(_ASKED.pattern + r"\s*(.*)")


def _upper_end(sentence: str, at: int, end: int) -> int | None:
    """Where the other end of a range a figure opens with "từ" ends, in the same unit
    ("từ 85 điểm | đến dưới 95 điểm"), or None."""
    unit = sentence[at:end].strip()
    if not unit:
        return None
    m = re.compile(rf"\s+(?:đến|tới)\s+(?:dưới\s+|hết\s+)?{NUMBER}\s+{re.escape(unit)}\b", re.IGNORECASE)
    found = m.match(sentence, end)
    return found.end() if found else None


def _masked(sentence: str) -> str:
    """The sentence with article numbers, document numbers and dates blanked (same length)."""
    blank = lambda m: " " * len(m[0])  # noqa: E731
    masked = NUMBERED_NAME.sub(blank, sentence)
    masked = re.sub(r"\S*\d+-[A-ZĐ]\S*|\S+/\S+", blank, masked)  # 227-TB/TU, 10/2022/QH15, 06/7/2016
    return DATE_PHRASE.sub(blank, masked)


def number(question: str, sentence: str, q_words: set[str]) -> Cut | None:
    """A number with its unit: the unit the question names after "bao nhiêu" / "mấy" when
    the sentence has it there, else the few words that follow the number."""
    q = fold(question)
    # "ít nhất mấy thành viên", "tối đa là bao nhiêu người": the unit follows the asking word, not the bound
    after = _last_asked(q) or re.search(rf"\b(?:{NUMBER_Q})\b\s*(.*)", q)
    unit = _unit_asked(question, q, after) if after else []
    if unit[:1] in (["mot"], ["moi"], ["hang"], ["1"]):  # "bao nhiêu một (1) tháng": a rate, not the unit
        unit = []
    # the words before "bao nhiêu", abbreviations written out as sentences write them ("ủy viên MTTQ")
    spelt = fold(vocabulary.load().written_out(question, tokens=True))
    asked_at = _last_asked(spelt) or re.search(rf"\b(?:{NUMBER_Q})\b", spelt)
    lead = (
        [w for w in re.findall(r"\w+", spelt[: asked_at.start()]) if w not in _BETWEEN][-3:][::-1] if asked_at else []
    )
    if not unit and (
        counted := re.search(r"(?<!chi )(?<!he )\bso (?:luong )?(\w+)", q)
    ):  # "tổng số xã … là bao nhiêu", not "chỉ số"
        unit = [counted[1]]
    percent_sign = after is not None and after[1].lstrip().startswith("%")  # "chiếm bao nhiêu %"
    if unit[:2] == ["phan", "tram"] or unit[:2] == ["ty", "le"] or re.search(r"\bty le\b", q) or percent_sign:
        unit = ["%"]
    if not unit and lead and lead[0] in _ORDINAL:
        return _rank(lead, sentence)
    masked = _masked(sentence)
    given = set(re.findall(NUMBER, question))  # "9 tháng đầu năm": context, not the answer
    best: tuple[tuple[int, int, float, int], Cut] | None = None
    # shares in words are read unmasked: masking takes "phần ba" for a part of a text ("Phần I")
    figures = sorted([*FIGURE_RANGE.finditer(masked), *_SHARE.finditer(sentence)], key=lambda m: m.start())
    counts_given = _counts_given(q)
    # "tối đa mấy Phó Trưởng ban", no count given: the largest case's figure ("từ 09 người trở lên
    # thì … không quá 02 người") is the most; a case of the smallest ("dưới 05 thôn … tối đa 05") is not
    extreme = None if counts_given else "above" if _ASKS_MOST.search(q) else "below" if _ASKS_LEAST.search(q) else None
    within = 0
    for i, m in enumerate(figures):
        if re.sub(r"^từ\s+|%$", "", m[0]) in given:
            continue
        if m.start() < within:
            continue  # the upper end of a range taken whole with its lower end
        if aside_not_asked(sentence, m, q_words):
            continue  # "07 ngày làm việc (15 ngày làm việc đối với … phức tạp)": a special case
        if _NONE_SUCH.search(fold(sentence[sentence.rfind(";", 0, m.start()) + 1 : m.start()])):
            continue  # "không có tiêu chí nào … chấm 0 điểm": a condition that none be so, not a figure of it
        if _SHORT_OF.search(fold(sentence[max(0, m.start() - 20) : m.start()])):
            continue  # "đề xuất … chưa đạt 10% tổng số hộ": the case of a bound missed, not the bound asked
        if condition_unmet(sentence[: m.start()], counts_given, extreme):  # unmasked: "quân số 60 người"
            continue  # "trên 60 người bầu không quá 09 ủy viên": not for a unit of 50, nor for any unit
        percent = m[0].endswith("%")
        share = percent or _SHARE.fullmatch(m[0]) is not None
        if share and not unit and not percent:
            continue  # a share in words answers a count only as a share of the whole counted
        spelled = _SPELLED.match(sentence, m.end())  # "03 (ba) ngày": the figure in words, then its unit
        at = spelled.end() if spelled else m.end()
        tail_words = list(re.finditer(r"[^\s,.;:()“”\"]+|[,.;:()“”\"]", sentence[at:]))
        # a share in words is no answer to "bao nhiêu phần trăm": the question asks a percent
        taken, matched = _unit(tail_words, unit, percent)
        end = at + (tail_words[taken - 1].end() if taken else 0)
        if matched > 0 and _counts_other(unit, sentence[: m.start()], q):
            matched = 0  # "Số lượng Phó Trưởng ban … không quá 02 người" is no count of the members
        if share and unit and unit != ["%"]:
            # a share answers a count only as a share of the whole counted: "hai phần ba tổng số
            # cán bộ, công chức, viên chức, người lao động" for "bao nhiêu người"
            whole = _of_total(unit, sentence, at)
            matched, end = (1, whole) if whole else (-1, end)
        elif unit and matched <= 0 and _counted_before(unit, masked[: m.start()], sentence[: m.start()]):
            taken, matched = _unit(tail_words, [], False)[0], len(unit)  # "số Phó Trưởng ban không quá 02 người"
            end = at + (tail_words[taken - 1].end() if taken else 0)
        if taken and (open_bound := _OPEN_BOUND.match(sentence, end)):
            end = open_bound.end()
        elif taken and m[0].startswith("từ") and (upper := _upper_end(sentence, at, end)):
            end = within = upper  # "từ 85 điểm đến dưới 95 điểm": the range whole
        score = (matched, _aligned(lead, sentence[: m.start()]), context_score(sentence, m.start(), end, q_words), -i)
        if best is None or score > best[0]:
            bound = BOUND.search(sentence[: m.start()])  # "không ít hơn 05": a floor, not a count
            start = bound.start() if bound else m.start()
            best = (score, Cut(sentence[start:end].strip(), fit=max(matched, 0)))
    if best is None or (unit and best[0][0] <= 0):
        return None  # the question names a unit ("mấy thành viên") that no number here has
    if not unit and lead and not best[0][1] and not _said_in_clause(lead, sentence, best[1].text):
        return None  # nor says what is counted, and no number stands where it has "bao nhiêu"
    return best[1]


def _unit_asked(question: str, q: str, after: re.Match[str]) -> list[str]:
    """The unit after "bao nhiêu" / "mấy", up to six words, ending before a name that follows
    it: "bao nhiêu thành viên Ban Thanh tra nhân dân xã" counts "thành viên" (of the Ban);
    matched further, a sentence repeating the name ("tối đa 05 thành viên Ban Thanh tra nhân
    dân", a special case) would fit it better than the rule ("không ít hơn 05 thành viên")."""
    unit = re.findall(r"\w+", after[1])[:6]
    typed = re.findall(r"\w+", question)
    folded = re.findall(r"\w+", q)
    if len(typed) != len(folded) or question.isupper():
        return unit
    start = len(re.findall(r"\w+", q[: after.start(1)]))
    words = typed[start : start + len(unit)]
    # a name starting after a word in lower case: "Phó Trưởng ban" is one unit, a name itself
    capital = next((i for i in range(1, len(words)) if words[i][:1].isupper() and words[i - 1].islower()), None)
    return unit[:capital] if capital else unit


def _last_clause(text: str) -> str:
    """The text after its last clause break ("; ", ". ", ": "): the clause a figure ends it in."""
    return re.split(r"[;.:]\s", text)[-1]


def _counts_given(q: str) -> list[int]:
    """The one count the question gives, as the least number it allows ("trên 60 người": 61); none
    when it gives none or several ("4 đại đội với 300 quân nhân": which one a rule counts is unsure)."""
    found = []
    for m in _GIVEN_COUNT.finditer(q):
        before = q[: m.start()].split()
        if before and before[-1] in _NOT_A_COUNT_BEFORE:
            continue  # "Điều 5", "Nghị định 59", "năm 2023"
        n = int(m[2])
        found.append(n + 1 if m[1] == "tren" else n - 1 if m[1] == "duoi" else n)
    return found if len(found) == 1 else []


def condition_unmet(before: str, given: list[int], extreme: str | None) -> bool:
    """The figure's clause sets a condition on a count ("trên 60 người", "60 người trở xuống") that
    the count the question gives does not meet, or the question gives none: the figure answers one
    case, not the question; unless the question asks the most (or least) and the case is the
    largest (or smallest) one (`extreme`: "above" or "below")."""
    clause = fold(_last_clause(before))
    tests = [(int(m[2]), m[1]) for m in _ABOVE_BELOW.finditer(clause)]
    tests += [(int(m[1]), m[2]) for m in _OR_MORE_LESS.finditer(clause)]
    if not tests:
        return False
    if not given:
        return extreme is None or any(("above" if word in _ABOVE else "below") != extreme for _, word in tests)
    n = given[0]
    met = {"tren": n.__gt__, "nhieu hon": n.__gt__, "duoi": n.__lt__, "it hon": n.__lt__, "len": n.__ge__}
    return not all(met.get(word, n.__le__)(bound) for bound, word in tests)


def _last_asked(text: str) -> re.Match[str] | None:
    """The last "bao nhiêu" / "mấy" of a sentence that asks ("?"), with what follows it: a story
    before the question may say "mấy" for "a few" ("biểu quyết mấy việc lặt vặt … Phải có bao nhiêu
    hộ …?"), a remark after it too ("… được? Em hỏi mấy người rồi …")."""
    starts = [m.start() for m in _ASKED.finditer(text)]
    asking = [at for at in starts if re.match(r"[^.!?]*\?", text[at:])]
    return _ASKED_TAIL.match(text, (asking or starts)[-1]) if starts else None


def _of_total(unit: list[str], sentence: str, at: int) -> int | None:
    """Where the whole a share is of ends, when it counts the unit asked ("tổng số … người lao
    động" for "người", "tổng số hộ gia đình" for "hộ"): the end of the unit's words; else None."""
    m = _OF_TOTAL.match(sentence, at)
    if m is None:
        return None
    words = list(re.finditer(r"[^\s,]+", m[1]))
    folded = [fold(w[0]) for w in words]
    if unit[0] not in folded:
        return None
    first = folded.index(unit[0])
    i = first + 1
    while i < len(words) and words[i][0].lower() not in _UNIT_STOP and len(folded[i]) > 1:
        if tuple(folded[i : i + 2]) in _WHOLE_ENDS:
            break
        i += 1  # the unit's noun runs on: "người lao động", "hộ gia đình", "thôn, tổ dân phố", to "của",
        if i - first >= len(unit) + 3:  # "trong", "trở lên", "tán thành"…
            break
    return m.start(1) + words[i - 1].end()


def _said_in_clause(lead: list[str], sentence: str, cut: str) -> bool:
    """The question's words before its "bao nhiêu" stand earlier in the figure's clause, a few
    words off: "kinh phí hoạt động tối thiểu bao nhiêu" and "mức kinh phí hỗ trợ hoạt động của Ban
    …, mức tối thiểu 5 triệu đồng" (no ";" or "." between: another clause has figures of its own)."""
    at = sentence.find(cut)
    if at < 0 or len(lead) < 2:
        return False
    clause = _last_clause(sentence[:at])
    if len(clause.split()) < 3:  # "…, mức: 230.000 đồng": a label's colon, the clause goes on before it
        clause = re.split(r"[;.]\s", sentence[:at])[-1]
    words, pair = re.findall(r"\w+", fold(clause)), lead[:2][::-1]
    return any(words[i : i + 2] == pair for i in range(len(words) - 1))


def _rank(lead: list[str], sentence: str) -> Cut | None:
    """ "loại I" for "đô thị loại mấy", "lần thứ XXI" for "lần thứ mấy": the word before "mấy"
    (and the one before it, when the sentence has it too) with the number written after it."""
    plain = fold_keep_case(sentence)
    words = r"\s+".join(re.escape(w) for w in (lead[:2][::-1] if lead[1:2] == ["lan"] else lead[:1]))
    m = re.search(rf"\b(?i:{words})\s+(?:[IVXLC]+|\d+)\b", plain) or re.search(
        rf"\b(?i:{re.escape(lead[0])})\s+(?:[IVXLC]+|\d+)\b", plain
    )
    return Cut(sentence[m.start() : m.end()]) if m else None


def _aligned(lead: list[str], before: str) -> int:
    """How many of the words just before the question's "mấy" stand, in order, just before
    the number: "có thêm mấy xã" takes "có thêm 8 xã" over "… là 95 xã" in one sentence."""
    words = re.findall(r"\w+", fold(before))[::-1]
    # "sinh hoạt phí, mức: 230.000", "tối thiểu là 5 triệu"; "thu ngân sách đạt 8.331 tỷ" for
    # "thu ngân sách được bao nhiêu" (unless "đạt" is asked: then it is the word to align)
    while words and (words[0] in _BETWEEN or (words[0] == "dat" and lead[:1] != ["dat"])):
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
    if (
        unit[:1] == ["tien"]
        and words
        and (
            words[0].startswith("dong")
            or (words[0] in ("trieu", "nghin", "ngan", "ty") and words[1:2] and words[1].startswith("dong"))
        )
    ):
        # "bao nhiêu tiền": an amount in "đồng" ("120.000 đồng/người/tháng", "5 triệu đồng"); not "5 nghìn hộ"
        return (1 if words[0].startswith("dong") else 2), 1
    matched = 0
    while matched < len(unit) and matched < len(words) and words[matched] == unit[matched]:
        if matched and said[matched] in _UNIT_STOP:  # "8 xã được công nhận": the unit ends at the verb
            break
        matched += 1
    lead = next((i for i in range(1, matched) if words[i] in ("truoc", "sau")), None)
    if lead is not None and matched < len(unit):
        matched = lead  # "10 ngày trước ngày [tổ chức]" for "ngày trước ngày họp": the act only when whole
    if matched:
        longer = _LONGER_UNITS.get(tuple(words[:matched]), ())
        if longer and tuple(words[matched : matched + len(longer)]) == longer:
            return matched + len(longer), matched
        return matched, matched
    taken = 0
    for w, typed in zip(words[:3], said):
        if not re.match(r"\w", w) or typed in _UNIT_STOP or w.isdigit():
            break
        taken += 1
    return taken, 0


def _counted_before(unit: list[str], before: str, written: str) -> bool:
    """The counted noun the question names stands just before the figure, with a bound or "là"
    between ("số lượng Phó Trưởng ban không quá 02 người" answers "mấy Phó Trưởng ban"), or opens
    the figure's clause as what it counts."""
    # within the figure's clause: "… 05 ủy viên; trên 60 người …" counts people, not members
    words = re.findall(r"\w+", fold(_last_clause(before)))
    while words and words[-1] in _BETWEEN | {"khong", "qua", "hon", "duoi", "tren"}:
        words.pop()
    named = [w for w in unit if w not in STOP][:3]
    if len(named) < 2:
        return False
    if words[-len(named) :] == named:
        return True
    # or the figure's clause opens by naming the count of it: "Số lượng Phó Trưởng ban do … quyết
    # định … nhưng không quá 02 người" (no ";" or "." between: another clause counts another thing)
    clause = re.findall(r"\w+", fold(_last_clause(written)))  # as written: "Số lượng" is not masked
    opening = clause[2:] if clause[:2] == ["so", "luong"] else clause[1:] if clause[:1] == ["so"] else []
    return opening[: len(named)] == named


def _counts_other(unit: list[str], written: str, q: str) -> bool:
    """The figure's clause opens with the count of another thing than the unit asked: "Số lượng
    Phó Trưởng ban do … quyết định căn cứ vào số lượng thành viên … nhưng không quá 02 người"
    counts the deputies, whether "mấy người" or "mấy thành viên" is asked. Only for these: "người"
    says nothing of whom it counts, while "05 xã", "35%" say what they count themselves."""
    if unit[:1] != ["nguoi"] and unit[:2] != ["thanh", "vien"]:
        return False
    clause = re.findall(r"\w+", fold(_last_clause(written)))
    if clause[:2] == ["doi", "voi"]:  # "Đối với số lượng thành viên …"
        clause = clause[2:]
    opening = clause[2:] if clause[:2] == ["so", "luong"] else []

    def members(words: list[str]) -> list[str]:  # "thành viên" of a body are its "người" (`_unit`)
        return ["nguoi", *words[2:]] if words[:2] == ["thanh", "vien"] else words

    named = [w for w in members(unit) if w not in STOP][:2]
    if not opening or not named:
        return False
    if members(opening)[: len(named)] != named:
        return True
    # "số lượng thành viên Ban … là đại diện người dân … không quá 05 người": the members who are
    # such, a part of the Ban whose whole is counted elsewhere ("có ít nhất là 05 thành viên"),
    # unless that part is what the question (`q`, folded) counts ("số đại diện người dân …")
    counted = list(itertools.takewhile(lambda w: w not in _COUNT_VERBS, opening))
    if "la" not in counted:
        return False
    part = [w for w in counted[counted.index("la") + 1 :] if w not in STOP][:2]
    return not part or not re.search(rf"\b{' '.join(part)}\b", q)


# Words that end the counted thing of "số lượng …" and start what is said of it
_COUNT_VERBS = {"do", "duoc", "nhung", "khong", "toi", "can", "theo", "tuy"}


def given_nowhere(question: str, unit: tuple[str, ...], texts: list[str]) -> bool:
    """A count of a thing named ("bao nhiêu Bằng khen", "bao nhiêu biên chế", `unit` folded) that
    none of the texts gives any figure of: the library does not say it. Lenient, to say so only
    when plain: the unit's first word, a figure in digits or in words, and any share counts."""
    if not unit or unit[0] in _NOT_COUNTED:
        return False
    if re.search(r"\bthu\s+(?:may|bao nhieu)\b", fold(question)):  # "lần thứ mấy": an ordinal, "XXI"
        return False
    counted = re.compile(rf"(?:\d[\d.,/]*|\b{_SPELLED_NUMBER})\s+(?:\(\w+(?:\s+\w+)*\)\s+)?{re.escape(unit[0])}\b")
    # a count may be given as a share of it ("trên 50% đại diện hộ gia đình" for "bao nhiêu hộ"),
    # or as a list to count ("Lãnh đạo Ban: 1. … 11. …", "nhiệm vụ: a) … b) …")
    return not any(
        counted.search(fold(t)) or _ANY_SHARE.search(fold(t)) or len(items.ITEM.findall(t)) >= 2 for t in texts
    )


# Words after "bao nhiêu" / "mấy" that are no unit a numeral counts: a share ("%", "phần trăm",
# "tỷ lệ"), an ordinal ("lần thứ mấy"), "mấy việc" (those matters), "bao nhiêu lần"
_NOT_COUNTED = {"%", "phan", "ty", "lan", "thu", "viec", "cai", "dieu", "loai", "muc", "cap", "khoan"}
_SPELLED_NUMBER = r"(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|tram|nghin|ngan|trieu)"  # folded: "ba nguyên tắc"
_ANY_SHARE = re.compile(r"\d\s*%|\bphan (?:hai|ba|tu|nam|tram)\b|\bmot nua\b|\bqua ban\b")
