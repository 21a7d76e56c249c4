"""The citation grammar: mentions of Party and State documents by number.

A mention reads: type word ("Kết luận", "Chỉ thị", …), often "số", the number
and symbol ("120-KL/TW", "34/2007/PL-UBTVQH11") or a bare number ("Quy chế
số 01", "Kết luận 120", "KL 120"), then perhaps a date, "của" + issuer,
"(khóa XII)" and "về" + subject. Matching runs on a folded copy of the text
(no diacritics, lower case) that keeps a character-for-character map to the
input, so unaccented, decomposed and oddly spaced text parse alike and spans
point into the text as given. Hand-written: no public parser knows Party
document numbers.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import asdict, dataclass

from ingest.language.doc_types import (
    ABBREVIATED_TYPES,
    CODE_SPELLING,
    CODE_TYPES,
    GENERIC,
    GLUED,
    TYPES,
    written_as_type,
)
from ingest.language.normalize import fold, normalize_text
from ingest.language.patterns import FOLDED_DATE, iso_date

_TYPE_RE = "|".join(sorted(map(re.escape, [*TYPES, GENERIC]), key=len, reverse=True))
_ABBR_RE = "|".join(ABBREVIATED_TYPES)
_SYM = r"[a-z][a-z0-9]*"
_PARTY = rf"\d{{1,5}}\s?[-–]\s?{_SYM}\s?/\s?{_SYM}(?:\s?-\s?{_SYM})*"
_STATE = rf"\d{{1,5}}(?:/\d{{4}})?/{_SYM}(?:-{_SYM})*"
_REF = rf"(?<![\w/.,-])(?:{_PARTY}|{_STATE})(?![\w/])"
# A bare number is a document number only right after a type word, and not
# when a unit follows it ("Kế hoạch 5 năm", "Chương trình 10 phút").
_UNIT = r"nam|thang|ngay(?!\s+\d)|tuan|phut|gio|%|ty|trieu|nghin|nguoi|xa|huyen|dong|lan|muc|so|diem|km|ha"
_BARE = rf"\d{{1,4}}(?![\w/.,%-]*\d)(?![\w/%-])(?!\s*(?:{_UNIT})\b)"
_MENTION = re.compile(
    rf"(?<![a-z])(?:(?P<type>{_TYPE_RE})(?:\s+so(?:\s+hieu)?)?\s*:?\s*)?(?P<ref>{_REF})"
    rf"|(?<![a-z])(?P<btype>{_TYPE_RE}|{_ABBR_RE})(?:\s+(?P<so>so))?\s+(?P<bare>{_BARE}|\d{{1,4}}(?=/(?:19|20)\d\d(?![\w/])))"
    rf"|(?<![a-z0-9])(?P<gtype>{GLUED})(?P<gbare>\d{{2,4}}(?![\w/.,%-]*\d)(?![\w/%-])|\d{{2,4}}(?=/(?:19|20)\d\d(?![\w/])))"
)
# "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15": the type word opens the name before "số".
_NAMED_TYPE = re.compile(rf"(?<![a-z])(?P<type>{_TYPE_RE})\s[^,;.()\n]{{3,80}}?\s+so\s*:?\s*$")
_DATE_AFTER = re.compile(rf"\s*[,(]?\s*(?:ngay|ban hanh ngay|ky ngay)?\s*(?:{FOLDED_DATE})")
_DATE_BEFORE = re.compile(
    rf"ngay\s+(?:{FOLDED_DATE})\s*,\s*(?P<iss>[^,;.]{{3,80}}?)\s+(?:da\s+)?(?:ra|ban hanh|ky)\s+$"
)
_ISSUER = re.compile(r"\s*,?\s*(?:cua|giua)\s+")  # "giữa A và B": a joint programme's parties
_ISSUER_END = re.compile(
    rf"[,;.(“”\"\n]|\s-\s|\s(?:ve|khoa|ngay|nham|tai|nam \d{{4}}|giai doan|da|va cac)\s|\s(?:va\s)?(?:{_TYPE_RE})\b"
)
_TERM = re.compile(r"\s*\(?\s*khoa\s+(?P<term>[ivxlc]+)\b\s*\)?")
_SUBJECT = re.compile(r"\s*,?\s*ve\s+(?:viec\s+)?")
_SUBJECT_END = re.compile(rf"\sva\s+(?:{_TYPE_RE})\s+(?:so\s+)?\d")
_LIST_GAP = re.compile(r"\s*(?:,|;|va|và)?\s*$")
_CONTINUES = re.compile(r"^tiep tuc\b")
_IMPLEMENTS = re.compile(r"\b(?:thuc hien|trien khai|cu the hoa)\b")
_REVIEWS = re.compile(r"\b(?:so ket|tong ket)\b")


@dataclass(frozen=True)
class Citation:
    """One mention of a document in a text."""

    start: int  # span in the text as given
    end: int
    text: str
    type: str | None
    ref: str  # "120-KL/TW", "34/2007/PL-UBTVQH11", or "01" when no symbol is written
    number: str
    symbol: str | None
    date: str | None  # ISO
    issuer: str | None
    term: str | None
    subject: str | None
    subject_span: tuple[int, int] | None = None  # where the subject is, to find relations

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("subject_span")
        return data

    @property
    def key(self) -> str:
        return ref_key(self.ref)


@dataclass(frozen=True)
class Relation:
    """What one cited document says it does with another."""

    source: Citation
    kind: str  # "implements", "continues", "reviews"
    target: Citation


def _prepare(text: str) -> tuple[str, str, list[int]]:
    """NFC text with plain spaces, its folded twin (same length), and the map to input offsets.

    A run of whitespace of any kind becomes one space, so that no pattern
    ever sees more than one in a row: every `\\s*` in the grammar then
    matches at most one character, and matching stays linear in the length
    of the text (long space or control-character runs once took minutes).
    """
    chars: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        if cluster in ("\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"):
            i = j
            continue
        for ch in cluster:
            if ch.isspace() or unicodedata.category(ch) == "Cc":
                if chars and chars[-1] == " ":
                    continue  # the space already written stands for the whole run
                ch = " "
            chars.append(ch)
            offsets.append(i)
        i = j
    offsets.append(n)
    norm = "".join(chars)
    folded = "".join(_fold_char(ch) for ch in norm)
    return norm, folded, offsets


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


@functools.lru_cache(maxsize=4096)  # pure, and called per journal row by /thieu (8,000 calls for a handful of refs)
def canonical_ref(ref: str) -> str:
    """One spelling: no spaces, hyphens for dashes, symbol parts in their usual case (QĐ, CTr, QĐi)."""
    compact = re.sub(r"\s+", "", normalize_text(ref)).replace("–", "-")
    parts = re.split(r"([-/])", compact)
    out = []
    for i, part in enumerate(parts):
        if i == 0 or part in "-/" or part.isdigit():
            out.append(part)
        else:
            out.append(CODE_SPELLING.get(fold(part).upper(), part.upper()))
    return "".join(out)


def ref_key(ref: str) -> str:
    """The matching key: canonical, folded (QĐ = QD), upper case."""
    return fold(canonical_ref(ref)).upper()


def same_number(a: str, b: str) -> bool:
    """Document numbers compare without leading zeros ("05" is "5")."""
    return a.lstrip("0") == b.lstrip("0")


def find_refs(text: str) -> list[str]:
    """Canonical references in order of appearance (repeats kept; bare numbers left out)."""
    return [c.ref for c in parse_citations(text) if c.symbol]


def _iso(m: re.Match[str]) -> str | None:
    d, mth, y = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
    return iso_date(y, mth, d)


def _clean(text: str) -> str | None:
    text = normalize_text(text).strip(" ,;:-–")
    return text or None


def _subject(norm: str, folded: str, pos: int) -> tuple[str | None, tuple[int, int] | None, int]:
    m = _SUBJECT.match(folded, pos)
    if not m:
        return None, None, pos
    start = m.end()
    if start < len(norm) and norm[start] in '“"':
        close = norm.find("”" if norm[start] == "“" else '"', start + 1)
        if close != -1:
            return _clean(norm[start + 1 : close]), (start, close + 1), close + 1
    end = start
    limit = min(len(norm), start + 250)
    if nxt := _SUBJECT_END.search(folded, start, limit):  # "… và Nghị quyết số 55/…": the next document
        limit = nxt.start()
    while end < limit:
        ch = norm[end]
        if ch in ";(\n" or (ch == "." and (end + 1 >= len(norm) or norm[end + 1] == " ")):
            break
        end += 1
    return _clean(norm[start:end]), (start, end), end


def parse_citations(text: str) -> list[Citation]:
    """Every document mention in `text`, in order.

    Cached: chunking, the registry and the BM25 tokens all read a chunk's
    citations, and the grammar is the costliest step of ingestion after embedding.
    """
    return list(_parse_cached(text))


@functools.lru_cache(maxsize=8192)
def _parse_cached(text: str) -> tuple[Citation, ...]:
    return tuple(_parse(text))


def _parse(text: str) -> list[Citation]:
    norm, folded, offsets = _prepare(text)
    found: list[dict] = []
    for m in _MENTION.finditer(folded):
        if m["ref"]:
            ref = canonical_ref(norm[m.start("ref") : m.end("ref")])
            number = re.match(r"\d+", ref)[0]  # type: ignore[index]
            symbol = ref[len(number) + 1 :]
            type_word = TYPES.get(m["type"]) if m["type"] else None
            if type_word and not written_as_type(norm[m.start("type") : m.end("type")], m["type"]):
                type_word = None  # ordinary words before a symbol, which then says the type
            if type_word is None:  # "(số 227 - TB/TU)": the symbol's code says the type
                code = next((p for p in re.split(r"[/-]", symbol) if not p.isdigit()), "")
                type_word = CODE_TYPES.get(code)
            if type_word is None and (named := _NAMED_TYPE.search(folded, max(0, m.start() - 90), m.start())):
                type_word = TYPES.get(named["type"])
        else:
            bare, btype = ("bare", m["btype"]) if m["bare"] else ("gbare", m["gtype"])
            if not m["so"] and (btype == GENERIC or re.fullmatch(r"(?:19|20)\d\d", m[bare])):
                continue  # "kế hoạch 2018" is a year; "văn bản 5" no number
            word = "btype" if m["bare"] else "gtype"
            if not written_as_type(norm[m.start(word) : m.end(word)], btype):
                continue  # "tối đa 2" is not "ĐA 2", "để ăn 2" not "Đề án 2"
            ref = number = norm[m.start(bare) : m.end(bare)]
            symbol = None
            type_word = TYPES.get(btype) or ABBREVIATED_TYPES.get(btype)
        pos = m.end()
        if not m["ref"] and folded[pos : pos + 1] == "/":  # "Nghị định 59/2023": the number and its year
            pos += 5
        date = None
        if dm := _DATE_AFTER.match(folded, pos):
            date, pos = _iso(dm), dm.end()
        issuer = term = None
        if im := _ISSUER.match(folded, pos):
            stop = _ISSUER_END.search(folded, im.end(), im.end() + 102)  # an issuer is at most 100 characters
            end = stop.start() if stop else len(folded)
            if 0 < end - im.end() <= 100:
                issuer, pos = _clean(norm[im.end() : end]), end
        if tm := _TERM.match(folded, pos):
            term, pos = tm["term"].upper(), tm.end()
        if date is None and (dm := _DATE_AFTER.match(folded, pos)):  # "của X ngày …"
            date, pos = _iso(dm), dm.end()
        if date is None:
            window_start = max(0, m.start() - 120)
            if bm := _DATE_BEFORE.search(folded[window_start : m.start()]):
                date = _iso(bm)
                issuer = issuer or _clean(norm[window_start + bm.start("iss") : window_start + bm.end("iss")])
        subject, subject_span, _ = _subject(norm, folded, pos)
        found.append(
            {
                "start": m.start(),
                "end": m.end(),
                "type": type_word,
                "ref": ref,
                "number": number,
                "symbol": symbol,
                "date": date,
                "issuer": issuer,
                "term": term,
                "subject": subject,
                "subject_span": subject_span,
            }
        )
    # A list sharing one date, issuer and subject ("Quyết định số 217- QĐ/TW,
    # Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị"): the facts
    # stated after the last item apply to each item with the same symbol.
    for a, b in zip(reversed(found[:-1]), reversed(found[1:])):
        if (
            a["date"] is None
            and a["issuer"] is None
            and a["symbol"]
            and a["symbol"] == b["symbol"]
            and _LIST_GAP.match(folded[a["end"] : b["start"]])
        ):
            a.update(date=b["date"], issuer=b["issuer"], term=b["term"], subject=b["subject"])
    return [
        Citation(
            start=offsets[c["start"]],
            end=offsets[c["end"]],
            text=text[offsets[c["start"]] : offsets[c["end"]]],
            type=c["type"],
            ref=c["ref"],
            number=c["number"],
            symbol=c["symbol"],
            date=c["date"],
            issuer=c["issuer"],
            term=c["term"],
            subject=c["subject"],
            subject_span=(offsets[c["subject_span"][0]], offsets[c["subject_span"][1]]) if c["subject_span"] else None,
        )
        for c in found
    ]


def find_relations(text: str, citations: list[Citation] | None = None) -> list[Relation]:
    """X "thực hiện" / "tiếp tục thực hiện" / "sơ kết" Y, when Y is named in X's subject."""
    citations = parse_citations(text) if citations is None else citations
    relations = []
    for x in citations:
        if not x.subject_span:
            continue
        lo, hi = x.subject_span
        head = fold(text[lo:hi])
        for y in citations:
            if y is x or not (lo <= y.start < hi) or y.key == x.key:
                continue
            before = fold(text[lo : y.start])
            if _CONTINUES.match(head) and _IMPLEMENTS.search(before):
                kind = "continues"
            elif _REVIEWS.search(before):
                kind = "reviews"
            elif _IMPLEMENTS.search(before):
                kind = "implements"
            else:
                continue
            relations.append(Relation(x, kind, y))
    return relations
