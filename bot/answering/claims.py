"""The claims of one generated sentence, checked against the sentences it cites.

`verification.unsupported` asks whether each fact occurs anywhere in the cited text; this asks
whether it holds there. A figure must stand in a cited sentence with the same unit (the word
after it: "tỷ đồng", "%", "lần", "xã") and measure the same thing (the content words before it,
back to the clause's start: "thu ngân sách" is not "thu nội địa"), with the same polarity
("không đạt" is not "đạt"). "Điều N" must be an article there, not the "9" of "9 tháng"; a law
named by its title must be named so; an issuer stated for a document number ("do Ban Bí thư ban
hành") must be the one the source gives that number; a superlative or a comparison ("cao nhất
cả nước", "đứng đầu") must be the source's; a date's role (issued, in force) must not be
another's; a negated phrase must be negated there, and the reverse. A sentence with nothing to
check passes only as a close paraphrase (`PARAPHRASE_SHARE` of its content words in the one or
two cited sentences nearest it). With an extractive short answer, a figure stated for the same
measured thing must be the short answer's.

Hand-written for the same reason as `verification`: no library reads Vietnamese figures with
their units and the words they measure. Every pattern is linear and runs on text that
`verification.verify` has already normalized and cut to a bounded length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.language.citations import parse_citations, same_number
from ingest.language.normalize import fold, normalize_text
from ingest.language.patterns import (
    ARTICLE_REF,
    DAY_MONTH,
    DAY_MONTH_YEAR,
    ISO_DATE,
    LINK_IN_TEXT,
    MONTH_YEAR,
    PLACE_NUMBER,
    YEAR_SPAN,
)
from ingest.language.sentences import split_sentences

# Measured by tests/claims_measure.py over corpus/ and the shared library (300 paragraphs): a
# sentence copied from its passage keeps all its content words in the cited sentences; one
# reordered, a fifth of its words dropped and two common words added keeps 0.78 or more for 95%
# of them (99% at 0.6 or more); one set under another document's passage keeps 0.38 or less for
# 95% of them (1% at 0.6 or more). Of 4,045 sentences copied verbatim with [1], none is dropped.
PARAPHRASE_SHARE = 0.6
# Two lists of measured words name the same thing when this share of the shorter one is shared
# (and, both longer than a word, a pair of adjacent words: "xuất khẩu" is not "sản xuất").
MEASURED_SHARE = 0.6
MAX_MEASURED = 6  # content words read back from a figure

_TOKEN = re.compile(r"(?P<fig>(?<![\w/.,-])\d+(?:[.,]\d+)*(?: ?%)?(?![\w/-]))|(?P<word>[^\W\d_]+)|(?P<stop>[,;:()])")
_SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_UNIT_SAME = {"vnđ": "đồng", "vnd": "đồng", "đ": "đồng", "phần": "%", "usd": "usd", "đô": "usd"}
_TIME_UNITS = {"năm", "tháng", "ngày", "tuần", "quý", "giờ", "phút"}
_NOT_QUANTITY = {"năm", "khóa", "khoá", "số", "ngày", "tháng", "thứ"}  # "năm 2018", "khóa 12"
_NEGATORS = {"không", "chưa", "chẳng", "chả"}
_NOT_NEGATOR_AFTER = {"phòng", "hàng", "hay", "hoặc"}  # "phòng không", "có … hay không"
# "không gian", "không chỉ … mà còn", "không ngừng": not a negation of what follows.
_NOT_NEGATED = {"gian", "khí", "chỉ", "những", "ngừng", "quân", "phận", "phải"}
# Function words, time words and verbs of reporting: not what a figure measures, not content.
_STOP_WORDS = (
    "và là của có được các những một cho trong với về này đó đã sẽ đang để theo tại từ đến tới khi thì mà như "
    "cũng nhằm bị do vì nên hay hoặc trên dưới sau trước ra vào lên rất đều còn vẫn ở thêm khoảng gần đạt tổng "
    "số năm tháng ngày quý tuần đầu cuối giai đoạn nay gồm bao nhiêu hơn nữa lại chỉ ấy nào chúng tôi đây"
)
_STOP = frozenset(_STOP_WORDS.split())
_SUPERLATIVE = re.compile(
    r"\b(?:cao|thấp|lớn|nhỏ|nhiều|ít|tốt|mạnh|nhanh|sớm|kém|xuất sắc)\s+nhất\b|\b(?:đứng|dẫn|hàng)\s+đầu\b"
    r"|\bcả\s+nước\b|\btoàn\s+quốc\b|\bkỷ\s+lục\b|\bđầu\s+tiên\b|\bduy\s+nhất\b|\bgấp\s+\w+\s+lần\b"
    r"|\b(?:cao|thấp|nhiều|ít|lớn|nhỏ|tốt|nhanh)\s+hơn\b|\bvượt\s+(?:xa|mức|kế\s+hoạch|chỉ\s+tiêu)\b"
)
_LAW_TITLE = re.compile(r"\bLuật\s+([A-ZĐÀ-Ỹ][^\W\d_]*(?:\s+[^\W\d_]+)?)")
_WHEN = r"(?:\s+(?:đã|vừa|mới|đang|chính thức|sẽ))*"  # "Bộ Tài chính vừa ban hành": not the issuer's name
_ISSUED_BY = re.compile(rf"^\s*,?\s*do\s+((?:[^\W\d_]+\s+){{0,6}}?[^\W\d_]+){_WHEN}\s+(?:ban hành|ký|thông qua)\b")
_ISSUED_BEFORE = re.compile(rf"\b([A-ZĐÀ-Ỹ][^\W\d_]*(?:\s+[^\W\d_]+){{0,5}}?){_WHEN}\s+(?:ban hành|ký|thông qua)\s*$")
_ROLES = {
    "issued": re.compile(r"\b(?:ban hành|ký|thông qua)\b"),
    "in force": re.compile(r"\b(?:hiệu lực|thi hành|áp dụng)\b"),
}
_NOT_UNITS = (_STOP - _TIME_UNITS) | _NEGATORS  # "9 tháng" has a unit, "8 và" has none
_DATES = (DAY_MONTH_YEAR, ISO_DATE, MONTH_YEAR, DAY_MONTH, YEAR_SPAN)


@dataclass(frozen=True)
class Figure:
    """One figure of a sentence and what it says of it."""

    value: float  # with its scale: "8.331 tỷ" is 8.331e12
    number: float  # as written: 8.331
    written: str
    unit: str  # the word after it ("đồng", "xã", "lần") or "%"; "" when none is written
    measured: tuple[str, ...]  # the content words before it, in order
    after: tuple[str, ...]  # and those after it in its clause, its unit first ("95 xã đạt chuẩn …")
    negated: bool  # "không đạt 8.331 tỷ"
    start: int  # where it is in the sentence (lower-cased, normalized)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", text) if w not in _STOP and w not in _NEGATORS]


def _value(written: str) -> float | None:
    raw = written.rstrip("% ")
    if raw.count(",") > 1:
        return None
    try:
        return float(raw.replace(".", "").replace(",", "."))
    except ValueError:
        return None


def _masked(text: str) -> str:
    """`text` lower-cased, its dates, document numbers, places and links blanked (same length)."""
    spans = [(c.start, c.end) for c in parse_citations(text)]
    spans += [m.span() for p in (*_DATES, PLACE_NUMBER, LINK_IN_TEXT) for m in p.finditer(text)]
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars).lower()


@lru_cache(maxsize=512)
def figures(sentence: str) -> tuple[Figure, ...]:
    """The figures of one (normalized) sentence that are quantities, with unit and measured words."""
    tokens = [(m.lastgroup or "", m.group(), m.start()) for m in _TOKEN.finditer(_masked(sentence))]
    found: list[Figure] = []
    owned: set[int] = set()  # the scale and unit words of a figure: not what the next one measures
    for i, (kind, tok, start) in enumerate(tokens):
        if kind != "fig" or (value := _value(tok)) is None:
            continue
        before = tokens[i - 1][1] if i else ""
        unit, j = ("%" if tok.endswith("%") else ""), i + 1
        number = value
        if not unit and j < len(tokens) and tokens[j][1] in _SCALES:
            value *= _SCALES[tokens[j][1]]
            owned.add(j)
            j += 1
        if not unit and j < len(tokens) and tokens[j][0] == "word" and tokens[j][1] not in _NOT_UNITS:
            unit = _UNIT_SAME.get(tokens[j][1], tokens[j][1])
            owned.add(j)
        if before in _NOT_QUANTITY or (not unit and re.fullmatch(r"(?:19|20)\d\d", tok)):
            continue  # a year, a term, a number as a name
        measured, negated = _measured(tokens, i, owned)
        found.append(Figure(value, number, tok, unit, measured, _after(tokens, i), negated, start))
    return tuple(found)


def _after(tokens: list[tuple[str, str, int]], i: int) -> tuple[str, ...]:
    """The content words after figure `i`, to the end of its clause or the next figure."""
    words: list[str] = []
    for kind, tok, _ in tokens[i + 1 : i + 1 + 3 * MAX_MEASURED]:
        if kind != "word" or len(words) >= MAX_MEASURED:
            break
        if tok not in _STOP and tok not in _NEGATORS and tok not in _SCALES:
            words.append(tok)
    return tuple(words)


def _measured(tokens: list[tuple[str, str, int]], i: int, owned: set[int]) -> tuple[tuple[str, ...], bool]:
    """The content words before figure `i`, back to its clause's start, and whether they negate it.

    A comma ends the clause once two words are read ("xuất khẩu đạt 3,1 tỷ USD, tăng 12,7%" has
    12,7% measure "xuất khẩu … tăng"), any other mark at once ("; có thêm 8 xã": nothing said)."""
    words: list[str] = []
    negated = False
    for j in range(i - 1, -1, -1):
        kind, tok, _ = tokens[j]
        if len(words) >= MAX_MEASURED:
            break
        if kind == "stop":
            if tok != "," or len(words) >= 2:
                break
        elif kind == "word" and j not in owned:
            if tok in _NEGATORS and _is_negator([t for _, t, _ in tokens[max(0, j - 1) : j + 2]], min(j, 1)):
                negated = True
            elif tok not in _STOP and tok not in _NEGATORS and tok not in _SCALES:
                words.append(tok)
    return tuple(reversed(words)), negated


def _pairs(words: tuple[str, ...] | list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


def same_thing(said: tuple[str, ...] | list[str], source: tuple[str, ...]) -> bool:
    """Whether two lists of measured words name the same thing (either empty: nothing to tell apart)."""
    if not said or not source:
        return True
    shared = set(said) & set(source)
    if len(shared) < MEASURED_SHARE * min(len(set(said)), len(set(source))):
        return False
    return min(len(said), len(source)) < 2 or bool(_pairs(said) & _pairs(source))


def _sentences(text: str) -> list[str]:
    return [normalize_text(s) for part in text.split("\n") for s in split_sentences(part) if s.strip()]


def _measures(said: Figure, held: Figure, sentence_words: list[str]) -> bool:
    """Whether figure `said` measures what `held` does: by the words before it, else by those of
    its sentence (nothing before it) or of its clause ("Tỉnh có 95 xã đạt chuẩn nông thôn mới")."""
    if same_thing(said.measured or sentence_words, held.measured):
        return True
    return bool(said.after) and same_thing(said.measured + said.after, held.measured)


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), 1.0)


def _figure_claims(sentence: str, cited: list[str]) -> str | None:
    said_words = _words(_masked(sentence))
    held = [f for s in cited for f in figures(s)]
    for fig in figures(sentence):
        same_value = [f for f in held if _equal(f.value, fig.value)]
        if not same_value:
            if scaled := [f for f in held if _equal(f.number, fig.number)]:  # "139 dự án" said as "139 tỷ"
                return (
                    f"figure {fig.written} as {fig.value:g} (the cited text has {scaled[0].written} {scaled[0].unit})"
                )
            continue  # `unsupported` has judged it already (a figure inside a date, a number in words)
        units = [f for f in same_value if not fig.unit or f.unit == fig.unit]
        if not units:
            return f"figure {fig.written} {fig.unit} (the cited text has {fig.written} {same_value[0].unit or 'alone'})"
        if fig.unit not in _TIME_UNITS:
            units = [f for f in units if _measures(fig, f, said_words)]
            if not units:
                return f"figure {fig.written} said of “{' '.join(fig.measured)}”, not what it measures there"
        if all(f.negated != fig.negated for f in units):
            return f"figure {fig.written} {'negated' if fig.negated else 'stated'} against the cited text"
    return None


def _short_answer(sentence: str, short: Figure | None) -> str | None:
    if short is None or short.unit in _TIME_UNITS:
        return None
    said_words = _words(_masked(sentence))
    for fig in figures(sentence):
        if _equal(fig.value, short.value):
            continue
        if (fig.unit or short.unit) and fig.unit != short.unit:
            continue
        if short.measured and _measures(fig, short, said_words):
            return f"figure {fig.written} where the short answer says {short.written} {short.unit}"
    return None


def short_figure(short: str, passage: str) -> Figure | None:
    """The figure an extractive short answer ("8.331 tỷ đồng") quotes, read in its passage."""
    if not short.strip():
        return None
    wanted = normalize_text(short).lower()
    for sentence in _sentences(passage):
        at = sentence.lower().find(wanted)
        if at >= 0:
            return next((f for f in figures(sentence) if at <= f.start < at + len(wanted)), None)
    return None


def _documents(sentence: str, source: str) -> str | None:
    """Articles as articles, laws by their title, issuers as the source gives them."""
    said = {m["article"] for m in ARTICLE_REF.finditer(fold(sentence))}
    if missing := said - {m["article"] for m in ARTICLE_REF.finditer(fold(source))}:
        return f"article Điều {sorted(missing)[0]}"
    for m in _LAW_TITLE.finditer(sentence):
        if "luat " + fold(m[1]) not in fold(source):
            return f"law “Luật {m[1]}”"
    known = parse_citations(source)
    for c in parse_citations(sentence):
        after, before = (
            _ISSUED_BY.match(sentence[c.end : c.end + 80]),
            _ISSUED_BEFORE.search(sentence[max(0, c.start - 60) : c.start]),
        )
        issuer = c.issuer or (after and after[1]) or (before and before[1])
        if not issuer:
            continue
        same = [k for k in known if same_number(k.number, c.number) and (not c.type or not k.type or k.type == c.type)]
        stated = [k.issuer for k in same if k.issuer]
        if stated and not any(same_thing(_issuer(issuer), _issuer(s)) and _close(issuer, s) for s in stated):
            return f"issuer “{issuer}” of {c.ref} (the cited text says {stated[0]})"
        if not stated and not _near(issuer, c.number, source):
            return f"issuer “{issuer}” of {c.ref}, which the cited text does not give"
    return None


def _issuer(name: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[^\W\d_]+", fold(name)) if w not in {"khoa", "dang", "cua", "nuoc"})


def _close(said: str, stated: str) -> bool:
    a, b = set(_issuer(said)), set(_issuer(stated))
    return bool(a and b) and len(a & b) >= MEASURED_SHARE * min(len(a), len(b))


def _near(issuer: str, number: str, source: str) -> bool:
    """Whether every word of `issuer` is written within 120 characters of `number` in `source`."""
    folded, words = fold(source), set(_issuer(issuer))
    for m in re.finditer(rf"(?<!\d)0*{re.escape(number.lstrip('0') or '0')}(?!\d)", folded):
        if words <= set(re.findall(r"[^\W\d_]+", folded[max(0, m.start() - 120) : m.end() + 120])):
            return True
    return False


def _roles(text: str) -> dict[str, set[str]]:
    """Each date's roles, read in the 40 characters before it or from the citation it dates."""
    roles: dict[str, set[str]] = {}
    for m in DAY_MONTH_YEAR.finditer(text):
        window = text[max(0, m.start() - 40) : m.start()].lower()
        day, month, year = m[1] or m[4], m[2] or m[5], m[3] or m[6]
        key = f"{year}-{int(month):02d}-{int(day):02d}"
        roles.setdefault(key, set()).update(r for r, p in _ROLES.items() if p.search(window))
    for c in parse_citations(text):
        if c.date:
            roles.setdefault(c.date, set()).add("issued")
    return roles


def _date_roles(sentence: str, source: str) -> str | None:
    known = _roles(source)
    for date, roles in _roles(sentence).items():
        if roles and known.get(date) and not roles & known[date]:
            return f"date {date} as {sorted(roles)[0]} (the cited text: {sorted(known[date])[0]})"
    return None


def _is_negator(words: list[str], i: int) -> bool:
    """Whether `words[i]` negates what follows: not "phòng không", "hàng không", "không gian"."""
    return (
        words[i] in _NEGATORS
        and not (i and words[i - 1] in _NOT_NEGATOR_AFTER)
        and not (i + 1 < len(words) and words[i + 1] in _NOT_NEGATED)
    )


def _clause_words(text: str) -> list[str]:
    """The words of `text`, lower case, and its punctuation marks: a pair never spans one."""
    return re.findall(r"[^\W\d_]+|[,;:.()]", text.lower())


def _negations(words: list[str]) -> set[tuple[str, str]]:
    """The word pairs a negator stands before in its clause ("chưa được công khai": ("được", "công"))."""
    return {
        (words[i + 1], words[i + 2])
        for i in range(len(words) - 2)
        if _is_negator(words, i) and words[i + 1][0].isalpha() and words[i + 2][0].isalpha()
    }


def _plain(words: list[str]) -> set[tuple[str, str]]:
    """The word pairs of a clause no negator stands before."""
    return {
        (a, b)
        for i, (a, b) in enumerate(zip(words, words[1:], strict=False))
        if a[0].isalpha() and b[0].isalpha() and not (i and _is_negator(words, i - 1))
    }


def _polarity(sentence: str, cited: list[str]) -> str | None:
    """Each clause negates what the cited sentence nearest it negates, and only that."""
    for clause in re.split(r"[,;:]", sentence.lower()):
        said = _clause_words(clause)
        near = _clause_words(_nearest(clause, cited, 1, sentence)[0]) if cited else []
        if added := _negations(said) - _negations(near):
            return f"negation “{' '.join(sorted(added)[0])}” the cited text does not make"
        # negated there and never stated plainly there, yet stated plainly here
        if dropped := (_negations(near) - _plain(near)) & _plain(said):
            return f"“{' '.join(sorted(dropped)[0])}” stated where the cited text negates it"
    return None


def _nearest(sentence: str, cited: list[str], k: int, whole: str = "") -> list[str]:
    """The `k` cited sentences sharing the most content words with `sentence` (then with the
    `whole` sentence it is a clause of), in their order."""
    said, around = set(_words(sentence.lower())), set(_words(whole.lower()))

    def shared(i: int) -> tuple[int, int]:
        words = set(_words(cited[i].lower()))
        return -len(said & words), -len(around & words)

    best = sorted(range(len(cited)), key=shared)[:k]
    return [cited[i] for i in sorted(best)]


def paraphrase_share(sentence: str, cited: list[str]) -> float:
    """The share of `sentence`'s content words found in the one or two cited sentences nearest it."""
    said = set(_words(sentence.lower()))
    if not said:
        return 1.0
    near = {w for s in _nearest(sentence, cited, 2) for w in _words(s.lower())}
    return len(said & near) / len(said)


def check(sentence: str, cited_text: str, checkable: bool, short: Figure | None = None) -> str | None:
    """Why `sentence` (normalized, citations removed) does not hold in `cited_text`; None when it does."""
    cited_text = normalize_text(cited_text)
    cited = _sentences(cited_text)
    for phrase in (m.group() for m in _SUPERLATIVE.finditer(sentence.lower())):
        if phrase not in cited_text.lower():
            return f"“{phrase}”, which the cited text does not say"
    reason = (
        _documents(sentence, cited_text)
        or _date_roles(sentence, cited_text)
        or _figure_claims(sentence, cited)
        or _short_answer(sentence, short)
        or _polarity(sentence, cited)
    )
    if reason or checkable:
        return reason
    share = paraphrase_share(sentence, cited)
    return (
        None if share >= PARAPHRASE_SHARE else f"nothing to check and only {share:.0%} of its words in the cited text"
    )
