"""Yes-no questions that give the figure to be judged ("Xã có 4 thôn thì bầu BTTND 7 người được
không?", "gửi dự thảo trước 10 ngày thì có đúng quy định không?"): the figure is asked openly
("… bầu BTTND bao nhiêu người?"), answered as any figure question (`first_line`), and the
verdict is the question's figure held against the rule's bound ("tối đa 05": 7 is not allowed).

Written here: the bounds are the texts' own words, read as `counts` reads them; no library
knows them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering import counts, short_answer
from ingest.language.doc_types import ABBREVIATED_TYPES, TYPES
from ingest.language.normalize import fold
from ingest.language.patterns import DATE_PHRASE, NUMBERED_NAME

# The figure a question gives for what it asks: a number and the word it counts
_GIVEN = re.compile(r"(?<![\w/.,-])(\d{1,4})(?![.,]\d)\s+(\w+)")
# Words before a number that make it no figure to judge: a document's or an article's number
# ("Nghị định 59", "Điều 12"), a date's or a clock's part ("ngày 15 tháng 3", "lúc 7 giờ")
_NOT_FIGURE = {"so", "dieu", "khoan", "diem", "muc", "chuong", "ngay", "thang", "nam", "luc"}
# … or a document type typed short ("NĐ 59", "CT 30"); not "da" (Đề án), which "đã 20 ngày" folds to
_NOT_FIGURE |= set(ABBREVIATED_TYPES) - {"da"}
# … or a figure said only roughly or compared ("quá 30 ngày", "chưa đủ 30 ngày", "gần 10 người"):
# which side of it is meant is not said
_ROUGH = {"qua", "vuot", "du", "toi", "gan", "khoang", "hon", "tren", "duoi", "chung", "tam", "hang"}
# … or what the part of a whole did not do ("30 hộ phản đối", "30 hộ vắng"): a rule counts those who agree
_AGAINST = re.compile(r"^\s*(?:\w+\s+){0,1}(?:phan doi|khong|vang|chua|bo)\b")
# "có phải … không", "bắt buộc": whether it must be so; a bound allows, it does not oblige
_OBLIGED = re.compile(r"\b(?:co phai|phai|bat buoc|can phai|buoc phai)\b")
_UPPER = re.compile(
    r"\b(?:toi da|khong qua|nhieu nhat|khong vuot qua|trong thoi han|trong vong|duoi|it hon|tro xuong)\b"
)
_LOWER = re.compile(r"\b(?:it nhat|toi thieu|khong it hon|khong duoi|tro len|tren)\b")
_DEADLINE = re.compile(r"\bcham nhat\b")
# A time limit is the whole rule of when; a count may have a floor and a cap in two places.
_TIME = re.compile(r"\b(?:ngay|thang|nam|gio|tuan|quy)\b")
_HAS = {"co", "gom", "voi"}  # "hơn", "trên", "dưới", "khoảng" are `_ROUGH`, refused before
_RANGE = re.compile(r"\btu\s+(\d+)\s+(?:\w+\s+){0,3}?den\s+(\d+)")


@dataclass(frozen=True)
class Threshold:
    """The figure a yes-no gives to be judged, and the open question asking for the rule's."""

    value: int  # the figure the question gives ("7" of "bầu … 7 người")
    stem: str  # the question with that figure asked: "… bầu BTTND xã bao nhiêu người?"
    before: bool  # the figure is a lead time ("trước 10 ngày")
    of: int | None = None  # the whole it is part of, counted alike ("Thôn 80 hộ, có 45 hộ …")
    delay: bool = False  # how long after an act ("sau 20 ngày", "20 ngày sau"): held against a deadline only
    cases: tuple[tuple[int, str], ...] = ()  # the other figures it gives, unit folded: the case asked ("4 thôn")
    unit: str = ""  # the word it counts, folded ("nguoi", "ngay")


def read(text: str) -> Threshold | None:
    """The figure a yes-no question gives to be judged, or None (no figure; a question of
    obligation, which a bound does not answer; one denied: "không được quá …")."""
    if short_answer.kind(text) != "yesno":
        return None
    folded = fold(text)
    if _OBLIGED.search(folded) or re.search(r"\bkhong (?:duoc|phai|can)\b", folded):
        return None
    blanked = DATE_PHRASE.sub(lambda m: " " * len(m[0]), NUMBERED_NAME.sub(lambda m: " " * len(m[0]), text))
    found = [m for m in _GIVEN.finditer(blanked) if not _named_number(blanked, m.start())]
    if not found or re.search(r"\d[.,]\d", blanked):
        return None  # no figure, or one with decimals, read as two numbers
    last = found[-1]  # the figure nearest the verdict asked ("… 7 người được không?")
    said_before = fold(text[: last.start()]).split()[-2:]
    if set(said_before) & _ROUGH:
        return None
    wholes = [int(m[1]) for m in found[:-1] if fold(m[2]) == fold(last[2]) and int(m[1]) > int(last[1])]
    whole = wholes[0] if len(wholes) == 1 else None
    if whole is not None and _AGAINST.match(fold(text[last.end() :])):
        return None
    # what a body has ("Cơ quan chỉ có 7 người thì …", "hơn 300 hộ") is the case a rule is for,
    # not the figure it bounds; only a part of a whole the question gives is judged so
    if said_before and said_before[-1] in _HAS and whole is None:
        return None
    stem = text[: last.start()] + "bao nhiêu " + text[last.start(2) :]
    stem = re.sub(r"\s*(?:thì\s+)?(?:có\s+)?(?:được|đúng[^?]*|hợp lệ|hợp pháp)?\s+(?:không|ko|k)\s*\??\s*$", "?", stem)
    before = fold(text[max(0, last.start() - 8) : last.start()]).strip().endswith("truoc")
    delay = said_before[-1:] == ["sau"] or fold(text[last.end() :]).split()[:1] == ["sau"]
    cases = tuple((int(m[1]), fold(m[2])) for m in found[:-1] if fold(m[2]) != fold(last[2]))
    return Threshold(int(last[1]), stem, before, whole, delay, cases, fold(last[2]))


def _named_number(text: str, at: int) -> bool:
    """Whether the number at `at` names a document, an article or a date's part, not a figure."""
    before = fold(text[:at]).split()[-4:]
    if not before:
        return False
    return before[-1] in _NOT_FIGURE or any(before[-len(t.split()) :] == t.split() for t in TYPES)


def verdict(threshold: Threshold, figure: str, sentence: str) -> str | None:
    """ "Có" when the question's figure keeps within the rule's bound, "Không" when it does not,
    None when the rule's figure has no bound to hold it against or is not one number."""
    at = sentence.find(figure)
    # the bound may be written just before the figure cut ("chậm nhất là | 15 ngày")
    said_before = " ".join(fold(sentence[:at]).split()[-3:]) if at > 0 else ""
    after = fold(sentence[at + len(figure) :]).lstrip(" ,") if at >= 0 else ""
    folded = f"{said_before} {fold(figure)}"
    if then := re.match(r"tro (?:len|xuong)\b", after):  # "từ hai phần ba … trở lên"
        folded += " " + then[0]
    if after.startswith("truoc") != threshold.before:
        return None  # how early ("trước 10 ngày") is held only against how early ("… 15 ngày trước")
    time = _TIME.search(fold(figure))
    if _TIME.fullmatch(threshold.unit) and (time is None or time[0] != threshold.unit):
        return None  # "1 tháng" is not compared with "30 ngày", nor "2 tháng" with "45 ngày"
    share = _share(folded)  # "trên 50%", "hai phần ba": of the whole the question gives
    count = share is None and time is None
    if count:
        # a count's rule may be of one case ("Đối với xã có dưới 05 thôn … tối đa 05 thành viên"):
        # it answers only the case the question gives, and only if that case meets its condition
        said = fold(sentence)
        stated = [n for n, unit in threshold.cases if re.search(rf"\d+\s+{re.escape(unit)}\b", said)]
        case = stated[:1] if len(stated) == 1 else []
        if counts.condition_unmet(sentence[: max(at, 0)], case, None):
            return None
    if m := _RANGE.search(folded):
        low, high = int(m[1]), int(m[2])
        return "Có" if low <= threshold.value <= high else "Không"
    value: float = threshold.value
    if share is not None:
        if threshold.of is None:
            return None
        value, rule = threshold.value / threshold.of, share
    else:
        numbers = [int(n) for n in re.findall(r"\d+", figure)]
        if len(numbers) != 1:
            return None
        rule = numbers[0]
    if _DEADLINE.search(folded):  # "chậm nhất 15 ngày trước khi …": at least that early
        ok = value >= rule if threshold.before else value <= rule
    elif _UPPER.search(re.sub(r"\bkhong (?:it hon|duoi)\b", " ", folded)):  # "không ít hơn" is a floor
        strict = re.search(r"\b(?:duoi|it hon)\b", folded) is not None
        ok = value < rule if strict else value <= rule
    elif _LOWER.search(folded):
        if threshold.delay:
            return None  # "ít nhất là 20 ngày" is how long a notice stays up, not how soon it goes up
        strict = re.search(r"\btren\b", folded) is not None and "khong" not in folded.split()
        ok = value > rule if strict else value >= rule
    else:
        return None  # a figure with no bound ("nhiệm kỳ 05 năm"): equal or not, asked otherwise
    if count and (ok or not case):
        # a count within one bound ("tối đa 05") may be outside another the library states
        # elsewhere ("có ít nhất là 05 thành viên"), and a bound may be of a part ("… là đại diện
        # người dân … không quá 05 người"): only a breach of a rule for the case the question
        # gives ("có dưới 05 thôn … tối đa 05 thành viên" for "xã có 4 thôn") is certain
        return None
    return "Có" if ok else "Không"


_FRACTION = re.compile(r"\b(mot|hai|ba|bon) phan (hai|ba|tu|bon|nam)\b")
_COUNT = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}


def _share(folded: str) -> float | None:
    """A share a rule states, as a fraction: "50%" → 0.5, "hai phần ba" → 2/3."""
    if m := re.search(r"(\d+(?:[.,]\d+)?)\s*%", folded):
        return float(m[1].replace(",", ".")) / 100
    if m := _FRACTION.search(folded):
        return _COUNT[m[1]] / _COUNT[m[2]]
    return None


_BOUND_WORDS = re.compile(
    r"(?:chậm nhất|tối đa|tối thiểu|ít nhất|không quá|không ít hơn|nhiều nhất|trong thời hạn|trong vòng)(?:\s+là)?\s*$",
    re.IGNORECASE,
)


def stated(figure: str, sentence: str) -> str:
    """The rule's figure with its bound written before the cut ("chậm nhất là 15 ngày") and the
    "trước" after it that makes it a lead time."""
    at = sentence.find(figure)
    if at < 0:
        return figure
    bound = _BOUND_WORDS.search(sentence[max(0, at - 30) : at])
    start = at - (len(sentence[max(0, at - 30) : at]) - bound.start()) if bound else at
    end = at + len(figure)
    if lead := re.match(r"[\s,]*trước\b", sentence[end:], re.IGNORECASE):
        end += lead.end()
    return sentence[start:end].strip()


def given(threshold: Threshold) -> str:
    """The question's figure as held against the rule: "7", "45/80 (56%)"."""
    if threshold.of:
        return f"{threshold.value}/{threshold.of} ({round(100 * threshold.value / threshold.of)}%)"
    return str(threshold.value)
