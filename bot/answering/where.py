"""Where: the place a "… ở đâu?" question asks, cut verbatim out of a sentence.

A place is written after "tại" or "ở" ("niêm yết công khai tại nhà văn hóa thôn, tổ dân phố"),
or as a street address ("105B phố Quán Thánh, phường Quán Thánh"). The same words also point
into a text ("tại Điều 15 của Luật này", "theo mẫu tại Phụ lục"), at a time ("tại thời điểm"),
or are part of a fixed name ("dân chủ ở cơ sở"): none of these is a place. Of the places a
sentence holds, the one written next to the question's words is taken (a sentence may say where
two things happen). Hand-written: no library reads these Vietnamese forms.
"""

from __future__ import annotations

import re

from bot.answering.spans import STOP, Cut, context_score
from ingest.language.normalize import fold

QUESTION = re.compile(
    r"\b(?:o|tai|nam o|dat o) dau\b(?! (?:nam|thang|tien|ky|nhiem))|\b(?:noi|cho|dia diem|dia chi) nao\b"
    r"|^\W*dia chi\b.*\bla gi\b|\bo cho nao\b"
)
_MOST_WORDS = 24
# After "tại"/"ở": what points into a text, a time or a manner, not a place (folded, first words).
_NOT_PLACE = re.compile(
    r"(?:dieu|khoan|diem|muc|chuong|phu luc|mau|nghi dinh|luat|thong tu|quyet dinh|nghi quyet|van ban"
    r"|cac dieu|cac khoan|quy dinh|thoi diem|thoi ky|giai doan|muc do|day|tren day|duoi day|cap do)\b"
)
_CALLED = re.compile(r"\(sau đây (?:gọi chung|gọi tắt|gọi) là [^()]{1,60}\)", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:tại|ở)\s+(?=\w)", re.IGNORECASE)
# "105B phố Quán Thánh", "số 46 đường Tràng Thi": a number, then a street's noun and its Name.
_ADDRESS = re.compile(r"(?<![\w/])(?:số\s+)?\d+[A-Z]?\s+(?:phố|đường|ngõ|ngách)\s+[A-ZĐ]\w*", re.IGNORECASE)
# Where a place ends: a clause stop, or the words that open what follows it (a purpose, a time,
# a manner, a condition): "tại nhà văn hóa thôn để Nhân dân biết", "… chậm nhất 05 ngày".
_ENDS = re.compile(
    r"[.;:()|“”\"]|\s(?:để|trong thời hạn|chậm nhất|kể từ|khi|nếu|theo|trước khi|sau khi|thì|và phải|bằng|"
    r"với|trong thời gian|trong vòng|ít nhất|(?:hằng|hàng|mỗi) (?:năm|quý|tháng|tuần|ngày)|đến khi|cho đến)\s",
    re.IGNORECASE,
)


def asked(question: str) -> bool:
    """Whether the question (folded) asks where."""
    return bool(QUESTION.search(question))


def cut(question: str, sentence: str) -> Cut | None:
    """The place in `sentence` written after what the question asks the place of, or None.

    The anchors are the first and the last words before "ở đâu" ("Hương ước … được niêm yết"):
    the thing and its verb. A place with neither within reach before it is another thing's
    ("tại cụm dân cư" of whoever presides there); of the rest, the nearest to them wins."""
    q = fold(question)
    asked_at = QUESTION.search(q)
    if asked_at is None:
        return None
    words = [w for w in re.findall(r"\w+", q[: asked_at.start()]) if w not in STOP]
    anchors = set(words[:2] + words[-2:])
    found = []
    for i, (start, end, more) in enumerate(_places(sentence)):
        near = context_score(sentence[:end], start, end, anchors)  # before the place only
        if near > 0:
            found.append((near, context_score(sentence, start, end, set(words)), -i, start, end, more))
    if not found:
        return None
    *_, start, end, more = max(found)
    return Cut(sentence[start:end].strip(" ,") + (" …" if more else ""))


def _places(sentence: str) -> list[tuple[int, int, bool]]:
    spans = [_to_end(sentence, m.start(), m.start()) for m in _ADDRESS.finditer(sentence)]
    for m in _PLACE.finditer(sentence):
        after = fold(sentence[m.end() : m.end() + 40])
        if _NOT_PLACE.match(after) or (after.startswith("co so") and fold(sentence[: m.start()]).endswith("dan chu")):
            continue
        spans.append(_to_end(sentence, m.start(), m.end()))
    return [s for s in spans if s is not None]


def _to_end(sentence: str, start: int, body: int) -> tuple[int, int, bool] | None:
    """The place from `start` to where it ends; a long list of places up to its last comma
    within _MOST_WORDS words, marked as cut short. None when nothing follows."""
    stop = _ENDS.search(sentence, body)
    end = stop.start() if stop else len(sentence)
    words = list(re.finditer(r"\S+", sentence[body:end]))
    if not words:
        return None
    if len(words) > _MOST_WORDS:
        within = sentence[body : body + words[_MOST_WORDS - 1].end()]
        comma = within.rfind(",")
        if comma <= 0:
            return None  # no end in sight: a clause, not a place
        return start, body + comma, True
    if stop and (named := _CALLED.match(sentence, end)):
        end = named.end()  # "… khối phố (sau đây gọi chung là khu dân cư)": the name they go by
    return start, end, False
