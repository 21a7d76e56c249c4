"""Review questions whose answers the text states: a figure or time limit to fill in, the body
that decides or is responsible, the items of a list an article names, a document's date.

Every question is made from one sentence of a source (`Fact`), its answer a span of that
sentence, its distractors other values of the same kind in the same document. A question
the text does not answer is never made; when fewer can be made than were asked, the outline
says how many and why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.outlines.outline import QuizItem, strip_label
from ingest.language.normalize import fold
from ingest.language.patterns import DATE, SLASH_DATE, WRITTEN_DATE

# A figure with what it counts: "30 (ba mươi) ngày", "05 thành viên", "50%". Not a
# document number ("10/2022/QH15"), an article ("Điều 23") or a date.
_FIGURE = re.compile(
    r"(?<![\w/.,-])(?<!tháng\s)(?<!ngày\s)(?P<num>\d+(?:[.,]\d+)?)(?P<words>\s*\([^()\d]{2,30}\))?\s*"
    r"(?P<unit>%|ngày làm việc|ngày|tháng|năm|giờ|người|thành viên|lần|hộ gia đình|hộ|xã|thôn|đại biểu|phần trăm|tỷ đồng|triệu đồng)"
    r"(?![\w/])(?!\s*\d)"  # "tháng 4 năm 2018", "ngày 26 tháng 11" are dates, not figures
)
_WHO = re.compile(
    r"^(?P<who>[A-ZĐÀ-Ỹ][^;:.()]{2,90}?)\s+(?P<verb>có trách nhiệm|chịu trách nhiệm|quyết định|chủ trì|triệu tập|"
    r"phê duyệt|công nhận|ban hành)\s+(?P<rest>[^;:]{10,}?)\.?$"
)
# The one who acts is a body or an office: its head word, folded. A sentence that opens
# otherwise ("Chấp hành quyết định …", "Trường hợp …") has no subject to ask about.
_ACTOR = re.compile(
    r"^(?:uy ban|ubnd|hoi dong|ban |truong (?:thon|ban|doan|phong|bo phan)|to truong|chu tich|pho chu tich|nguoi dung dau|mat tran|cong doan|"
    r"chinh phu|bo |bo truong|co quan|thu truong|nguoi su dung lao dong|dang uy|cap uy|thanh tra|kiem toan|"
    r"quoc hoi|doan |hoi |nhan dan|cong dong dan cu|ban chap hanh|ban thuong vu|tinh uy|huyen uy|thu tuong)"
)
_DATE_OF = rf"\s*(?:,\s*)?ngày\s+({SLASH_DATE}|{WRITTEN_DATE})"  # "… 10/2022/QH15, ngày 10/11/2022"
_LETTERS = "ABCD"
MAX_STEM = 320  # characters of a sentence shown in a question


@dataclass(frozen=True)
class Fact:
    """A quoted sentence that may become a question; `according`: "Theo Điều 33 Luật …"."""

    text: str
    key: str
    according: str
    where: str | None = None


@dataclass(frozen=True)
class ListFact:
    """An article (a paragraph) that lists items under a title: "Nghĩa vụ của công dân …"."""

    title: str
    items: tuple[str, ...]
    key: str
    according: str
    where: str | None = None


def figure_questions(fact: Fact, pool: list[str]) -> list[QuizItem]:
    out = []
    for m in _FIGURE.finditer(fact.text):
        answer = m.group()
        others = _values(_FIGURE, pool, lambda o, m=m: o["unit"] == m["unit"] and o["num"] != m["num"])
        stem = _stem(fact.text, m.start(), m.end())
        choices = _choices(answer, others, key=lambda v: _number(v))
        if choices:
            question = f"{fact.according}, chọn giá trị đúng điền vào chỗ trống: “{stem}”"
        else:
            question = f"{fact.according}, điền vào chỗ trống: “{stem}”"
        out.append(QuizItem(question, answer, fact.key, "figure", (fact.text,), fact.where, choices))
    return out


def who_question(fact: Fact, pool: list[str]) -> QuizItem | None:
    m = _who(fact.text)
    if m is None:
        return None
    answer = m["who"]
    found = [x["who"] for x in map(_who, pool) if x is not None]
    others = [w for w in dict.fromkeys(found) if fold(w) != fold(answer)]
    question = f"{fact.according}, chủ thể nào {m['verb']} {m['rest']}?"
    return QuizItem(question, answer, fact.key, "who", (fact.text,), fact.where, _choices(answer, others))


def list_question(fact: ListFact) -> QuizItem:
    title = fact.title[0].lower() + fact.title[1:]
    answer = "; ".join(item.rstrip(" .;") for item in fact.items)
    return QuizItem(f"{fact.according}, hãy nêu {title}.", answer, fact.key, "list", fact.items, fact.where)


def date_question(name: str, ref: str, fact: Fact, pool: list[str]) -> QuizItem | None:
    """The date a sentence gives a document right after its number ("120-KL/TW ngày 07/01/2016")."""
    m = re.search(re.escape(ref) + _DATE_OF, fact.text)
    if m is None:
        return None
    answer = m[1]
    others = [d for d in dict.fromkeys(x.group() for s in pool for x in DATE.finditer(s)) if d != answer]
    choices = _choices(answer, others)
    return QuizItem(f"{name} được ban hành ngày nào?", answer, fact.key, "date", (fact.text,), fact.where, choices)


def make_quiz(
    facts: list[Fact], lists: list[ListFact], pools: dict[str, list[str]], wanted: int, dated: Sequence[QuizItem] = ()
) -> tuple[list[QuizItem], str | None]:
    """Up to `wanted` questions, kinds taken in turn and spread over the facts; a note when fewer."""
    if wanted <= 0:
        return [], None
    by_kind: dict[str, list[QuizItem]] = {"date": list(dated), "who": [], "figure": [], "list": []}
    for fact in facts:
        pool = pools.get(fact.key, [])
        if item := who_question(fact, pool):
            by_kind["who"].append(item)
        by_kind["figure"] += figure_questions(fact, pool)[:1]
    by_kind["list"] = [list_question(f) for f in lists]
    by_kind = {kind: _spread(items, wanted) for kind, items in by_kind.items()}
    chosen: list[QuizItem] = []
    seen: set[tuple[str, str]] = set()  # one question per answer of a kind: not "Ủy ban nhân dân cấp xã" thrice
    while len(chosen) < wanted and any(by_kind.values()):
        for kind in ("date", "figure", "who", "list"):
            while by_kind[kind]:
                item = by_kind[kind].pop(0)
                if (kind, fold(item.answer)) not in seen:
                    seen.add((kind, fold(item.answer)))
                    chosen.append(item)
                    break
            if len(chosen) >= wanted:
                break
    note = None
    if len(chosen) < wanted:
        note = (
            f"Chỉ lập được {len(chosen)}/{wanted} câu hỏi: các đoạn được trích chỉ nêu chừng ấy số liệu, thời hạn, "
            "chủ thể, danh mục hoặc ngày ban hành có đáp án trong văn bản; đề cương không đặt câu hỏi mà văn bản "
            "không trả lời."
        )
    return chosen, note


def _spread(items: list[QuizItem], count: int) -> list[QuizItem]:
    """Items reordered so that the first `count` are spread over the whole text, not its first articles."""
    if len(items) <= count:
        return items
    picks = list(dict.fromkeys(i * len(items) // count for i in range(count)))
    return [items[i] for i in picks] + [x for i, x in enumerate(items) if i not in set(picks)]


def letter(i: int) -> str:
    return _LETTERS[i]


def _who(sentence: str) -> re.Match[str] | None:
    m = _WHO.match(strip_label(sentence))
    # "… được Ủy ban … quyết định": the subject is acted on, not acting.
    if m is None or not _ACTOR.match(fold(m["who"])) or re.search(r"\b(?:duoc|bi|do|tu minh)\b", fold(m["who"])):
        return None
    return m


def _values(pattern: re.Pattern[str], pool: list[str], keep) -> list[str]:
    return list(dict.fromkeys(m.group() for s in pool for m in pattern.finditer(s) if keep(m)))


def _choices(answer: str, others: list[str], key=None) -> tuple[str, ...]:
    """The answer and three distractors of the same document, or none (a short-answer question)."""
    distinct = [o for o in dict.fromkeys(others) if fold(o) != fold(answer)]
    if len(distinct) < 3:
        return ()
    if key is not None:  # the values nearest the answer: plausible, not absurd
        target = key(answer)
        distinct.sort(key=lambda v: (abs(key(v) - target), key(v)))
    options = [answer, *distinct[:3]]
    return tuple(sorted(options, key=key) if key is not None else sorted(options, key=fold))


def _number(value: str) -> float:
    m = re.match(r"\d+(?:[.,]\d+)?", value)
    return float(m.group().replace(",", ".")) if m else 0.0


def _stem(sentence: str, start: int, end: int) -> str:
    """The sentence with the answer blanked, cut to the clauses around it when long."""
    text = f"{sentence[:start]}……{sentence[end:]}"
    if len(text) <= MAX_STEM:
        return text
    at = start
    left = max(text.rfind("; ", 0, at), text.rfind(": ", 0, at))
    right = min((i for i in (text.find("; ", at), text.find(". ", at)) if i != -1), default=len(text))
    piece = text[left + 2 if left != -1 else 0 : right]
    if len(piece) > MAX_STEM:
        piece = text[max(0, at - MAX_STEM // 2) : at + MAX_STEM // 2]
    return f"…{piece.strip()}…" if piece != text else piece
