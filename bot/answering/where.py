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

from bot.answering.spans import STOP, Cut, context_score, find_run
from ingest.language.normalize import fold

QUESTION = re.compile(
    r"\b(?:o|tai|nam o|dat o) dau\b(?! (?:nam|thang|tien|ky|nhiem))|\b(?:noi|cho|dia diem|dia chi) nao\b"
    r"|^\W*dia chi\b.*\bla gi\b|\bo cho nao\b"
)
_MOST_WORDS = 24
# How many words before a place the verb asked is looked for ("niêm yết công khai tại …").
_REACH = 10
# After "tại"/"ở": what points into a text, a time or a manner, not a place (folded, first words).
_NOT_PLACE = re.compile(
    r"(?:dieu|khoan|diem|muc|chuong|phu luc|mau|nghi dinh|luat|thong tu|quyet dinh|nghi quyet|van ban"
    r"|cac dieu|cac khoan|quy dinh|thoi diem|thoi ky|giai doan|muc do|day|tren day|duoi day|cap do)\b"
)
_ADDRESS_ASKED = re.compile(r"\b(?:tru so|dia chi)\b")
_OFFICE = {"tru", "so", "dia", "chi"}  # an address follows these words
_LEADS = {"tai", "o", "nhung", "cac", "mot", "so", "den", "ve"}
# "dân chủ ở cơ sở", "QCDC ở xã": the setting of a name, not a place where something is done
# ("thực hiện QCDC tại Trường …" is one).
_NAMED_LEVEL = re.compile(r"(?:dan chu|qcdc)\s*$")
_CALLED = re.compile(r"\(sau đây (?:gọi chung|gọi tắt|gọi) là [^()]{1,60}\)", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:tại|ở)\s+(?=\w)", re.IGNORECASE)
# "105B phố Quán Thánh", "số 46 đường Tràng Thi": a number, then a street's noun and its Name.
_ADDRESS = re.compile(r"(?<![\w/])(?:số\s+)?\d+[A-Z]?\s+(?:phố|đường|ngõ|ngách)\s+[A-ZĐ]\w*", re.IGNORECASE)
# Where a place ends: a clause stop, or the words that open what follows it (a purpose, a time,
# a manner, a condition): "tại nhà văn hóa thôn để Nhân dân biết", "… chậm nhất 05 ngày".
_ENDS = re.compile(
    r"[.;:()|“”\"]|,\s*(?=\d)|\s(?:để|trong thời hạn|chậm nhất|kể từ|khi|nếu|theo|trước khi|sau khi|thì|và phải|bằng|"
    r"với|trong thời gian|trong vòng|ít nhất|(?:hằng|hàng|mỗi) (?:năm|quý|tháng|tuần|ngày)|đến khi|cho đến|"
    r"phải|được|là|chủ trì|trả lời|và cập nhật)\s",
    re.IGNORECASE,
)


def asked(question: str) -> bool:
    """Whether the question (folded) asks where."""
    return bool(QUESTION.search(question))


def cut(question: str, sentence: str) -> Cut | None:
    """The place in `sentence` written after what the question asks the place of, or None.

    The anchor is the verb before "ở đâu" ("… được niêm yết", "… làm việc"), as a run when it
    is two words: a place without it within reach before is another thing's ("tại cụm dân cư" of
    whoever presides there, "Ban Thanh tra nhân dân ở xã" of a Ban). An office's address ("trụ sở
    … ở đâu") is a street address after the words of the office. Of the rest, the place nearest
    the question's words wins."""
    q = fold(question)
    asked_at = QUESTION.search(q)
    if asked_at is None:
        return None
    typed = re.findall(r"\w+", q[: asked_at.start()])
    while typed and typed[-1] in _LEADS:  # "… tại những nơi nào": the words before the asking ones
        typed.pop()
    words = [w for w in typed if w not in STOP]
    if not words:
        return None
    # an office's address is a street address, never where something is posted "tại trụ sở …"
    address = _ADDRESS_ASKED.search(q[: asked_at.start()]) is not None
    verb = typed[-2:] if len(typed) >= 2 and not set(typed[-2:]) & STOP else words[-1:]
    found = []
    for i, (start, end, more) in enumerate(_places(sentence, address)):
        before = re.findall(r"\w+", fold(sentence[:start]))[-_REACH:]
        near = (
            context_score(sentence[:end], start, end, {*words[:2], *words[-2:], *_OFFICE})
            if address
            else find_run(before, verb, 0) is not None
        )
        if near:
            found.append((context_score(sentence, start, end, set(words)), -i, start, end, more))
    if not found:
        return None
    *_, start, end, more = max(found)
    place = re.sub(r"\s+(?:và|hoặc)$", "", sentence[start:end].strip(" ,"))  # "… cộng đồng và [ít nhất …]"
    return Cut(place + (" …" if more else ""))


def _places(sentence: str, address: bool = False) -> list[tuple[int, int, bool]]:
    spans = [_to_end(sentence, m.start(), m.start()) for m in _ADDRESS.finditer(sentence)]
    for m in [] if address else _PLACE.finditer(sentence):
        after = fold(sentence[m.end() : m.end() + 40])
        named = m[0].lower().startswith("ở") and _NAMED_LEVEL.search(fold(sentence[: m.start()]))
        if _NOT_PLACE.match(after) or named:
            continue
        if sentence[: m.start()].count("“") > sentence[: m.start()].count("”"):
            continue  # inside a title in quotes ("… thực hiện QCDC ở xã, phường, thị trấn giai đoạn …")
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
