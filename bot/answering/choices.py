"""Either-or questions ("… do MTTQ xã hay UBND xã ra quyết định?", "nhiệm kỳ 2 năm hay 5
năm?"): the two options typed, and the question they leave when the choice is asked as an open
one ("… do ai ra quyết định?", "… bao nhiêu năm?"). The open question is answered as any other
(`first_line`); its answer stands only when it says one option and not the other.

Written here rather than taken from a parser: no Vietnamese parser ships with the project, and
the form is narrow (two options joined by "hay" at the end of the question)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.index.lexical import LexicalIndex
from ingest.language.normalize import fold

# "hay" joining two options; not "có … hay không", "hay chưa" (a yes-no), nor "hay là" (a rewording)
_OR = re.compile(r"\s+hay\s+(?!(?:không|ko|k|chưa|là|bị)\b)", re.IGNORECASE)  # "hay bị hoãn": often
# Where the first option starts: after the word that introduces what is chosen ("do", "là", "thì"…)
_LEADS = {"do", "la", "thi", "boi", "cua", "tu", "tai", "o", "vao", "hoac", "bang", "ngay"}
MAX_OPTION_WORDS = 7
_ASKING = re.compile(r"\b(?:ai|nao|gi|j|khong|ko|chua|bao nhieu|may|sao|the nao)\b")
# "2 năm hay 5 năm", "18/11 hay 3/2": options that are figures, with the unit after the number
_FIGURE = re.compile(r"(\d+(?:/\d+)*)(?:\s+(\w+))?")
# The answer says an option when it holds this share of the option's own words (those the other
# option does not share), as word pairs too, and the other option's at most the second share.
SAID = 0.8
NOT_SAID = 0.4


@dataclass(frozen=True)
class Choice:
    options: tuple[str, str]  # as typed: ("MTTQ xã", "UBND xã"), ("2 năm", "5 năm")
    stem: str  # the question with the choice asked openly: "… do ai ra quyết định thành lập?"
    figures: bool  # the options are figures ("2 năm"), compared by number


def read(text: str) -> Choice | None:
    """The choice a question offers, or None."""
    found = list(_OR.finditer(text))
    if not found:
        return None
    hay = found[-1]  # "giơ tay hay bỏ phiếu kín là do người chủ trì hay do người dự họp quyết?"
    before, after = text[: hay.start()], text[hay.end() :].rstrip(" ?.!")
    figure_a = re.search(rf"{_FIGURE.pattern}$", before)
    figure_b = _FIGURE.match(after)
    if figure_a and figure_b:
        if re.search(r"\d[.,]\d|/\d{4}", before[figure_a.start() - 2 :] + " " + after[: figure_b.end() + 2]):
            return None  # a decimal ("2,5 năm") or a document's number ("59/2023") is no option
        if figure_a[2] and figure_b[2] and fold(figure_a[2]) != fold(figure_b[2]):
            return None  # "1 tháng 1 lần hay 3 tháng 1 lần": the options are longer than one figure
        unit = figure_b[2] or figure_a[2] or ""
        date = "/" in figure_a[1] + figure_b[1]
        # "mỗi năm 1 lần hay 2 lần" asks how often ("bao lâu một lần"), answered "mỗi năm một lần"
        asked = "ngày nào" if date else "bao lâu một lần" if fold(unit) == "lan" else f"bao nhiêu {unit}".strip()
        stem = f"{before[: figure_a.start()].rstrip()} {asked}{after[figure_b.end() :]}?"
        first = figure_a[0] if figure_a[2] or not figure_b[2] else f"{figure_a[1]} {figure_b[2]}"  # "1 hay 2 năm"
        return Choice((first, figure_b[0]), stem, True)
    # a question that asks something else too ("… hay bỏ phiếu kín, ai quyết định?", "Bài hát nào
    # hay …", "có … gì không hay cứ mặc kệ?") offers no choice between names
    if _ASKING.search(fold(text[: hay.start()] + " " + text[hay.end() :])):
        return None
    words = before.split()
    start = len(words)
    while start > 0 and len(words) - start < MAX_OPTION_WORDS and fold(words[start - 1]).strip(",") not in _LEADS:
        if words[start - 1].endswith(","):
            break
        start -= 1
    if start == 0 or fold(words[start - 1]).strip(",") not in _LEADS:
        return None  # "… tăng hay giảm": no word says where the first option starts
    option_a = words[start:]
    rest = after.split(",")[0].split()
    if rest and fold(rest[0]) == fold(words[start - 1]):
        rest = rest[1:]  # "do người chủ trì hay do người dự họp": the lead said again
    if rest and fold(rest[0]) in [fold(w) for w in option_a[1:]]:  # "thực hiện theo luật này hay theo …"
        option_a = option_a[[fold(w) for w in option_a].index(fold(rest[0])) :]
    # as long as the first, what follows being the question's own ("… ra quyết định thành lập"),
    # unless little follows ("theo luật này hay theo luật lao động")
    option_b = rest if len(rest) <= len(option_a) + 2 else rest[: len(option_a)]
    if not option_a or not option_b:
        return None
    stem = " ".join([*words[: len(words) - len(option_a)], "ai", *rest[len(option_b) :]]) + "?"
    return Choice((" ".join(option_a), " ".join(option_b)), stem, False)


def picks(choice: Choice, answer: str, lexical: LexicalIndex) -> str | None:
    """The option the open question's answer says, or None when it says both, neither or another."""
    if choice.figures:
        said = _numbers(answer)
        # an option's unit must be the answer's ("1 tháng" is not "01 năm"), and only one option said
        units = [o for o in choice.options if _unit_said(o, answer)]
        hits = [o for o in units if _numbers(o) and _numbers(o) == said[: len(_numbers(o))]]
        hits = hits or [o for o in units if _numbers(o) and set(_numbers(o)) <= set(said)]
        both = all(_numbers(o) and set(_numbers(o)) <= set(said) for o in choice.options)
        return hits[0] if len(hits) == 1 and not both else None
    a, b = choice.options
    own_a = " ".join(w for w in a.split() if fold(w) not in {fold(x) for x in b.split()})
    own_b = " ".join(w for w in b.split() if fold(w) not in {fold(x) for x in a.split()})
    if not own_a or not own_b:
        return None
    said_a, said_b = (lexical.text_coverage(o, answer, pairs=True) for o in (own_a, own_b))
    if said_a >= SAID and said_b <= NOT_SAID:
        return a
    if said_b >= SAID and said_a <= NOT_SAID:
        return b
    return None


# Numbers written in words ("mỗi năm một lần"); not "năm", which is also "year".
_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


def _unit_said(option: str, answer: str) -> bool:
    """Whether the answer counts what the option counts ("2 năm" and "02 năm"); a date has none."""
    words = [w for w in re.findall(r"\w+", fold(option)) if not w.isdigit()]
    return all(re.search(rf"\b{w}\b", fold(answer)) for w in words)


def _numbers(text: str) -> list[int]:
    return [
        int(t) if t.isdigit() else _WORDS[t]
        for t in re.findall(r"\d{1,4}|\w+", text.lower())
        if t.isdigit() or t in _WORDS
    ]
