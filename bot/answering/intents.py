"""What a message is before it is a question: small talk, a question about the library
itself, or a question in English.

Hand-written rules: the phrases cadres greet, thank and say goodbye with are few,
and a message is small talk only when nothing else is left once they are removed,
so "Cảm ơn, cho hỏi KL120 yêu cầu gì?" is still a question.
"""

from __future__ import annotations

import re

from bot import wording
from ingest.language import vocabulary
from ingest.language.normalize import fold
from ingest.language.patterns import ARTICLE_WORD

_GREETING = r"xin chao|chao ban|chao bot|chao tro ly|chao|hello|hi|alo|hey|good morning|chao buoi sang"
_THANKS = r"cam on|cam on ban|thank you|thanks|thank|tks|thanks a lot|ok cam on"
_GOODBYE = r"tam biet|bye|goodbye|hen gap lai|chao nhe"
# Words that wrap small talk: "cảm ơn bạn nhiều nhé ạ".
_FILLER = {
    "ban", "bot", "tro", "ly", "nhieu", "nhe", "nha", "a", "rat", "em", "anh", "chi", "dong", "lam",
    "qua", "vay", "the", "oi", "ad", "admin", "minh", "toi", "you", "very", "much", "so", "ok", "okay", "vang",
    "da", "nhs", "ha", "too", "there", "all", "everyone", "moi", "nguoi",
}  # fmt: skip
_LIBRARY = re.compile(
    r"\b(?:ban|bot|tro ly|he thong)\b.*\b(?:tra loi duoc (?:nhung )?gi|biet (?:nhung )?gi|lam duoc (?:nhung )?gi|"
    r"giup duoc (?:nhung )?gi|co the (?:lam|tra loi) (?:nhung )?gi|tra loi nhung gi|hoi duoc (?:nhung )?gi|"
    r"tra loi (?:duoc )?(?:nhung )?(?:cau hoi|van de|linh vuc) (?:nao|gi))\b"
    r"|\b(?:kho|thu vien|he thong|ban)\b.*\b(?:co|gom|chua)\b.*\b(?:tai lieu|van ban)\b.*\b(?:nao|gi)\b"
    r"|\b(?:danh sach|liet ke)\b.*\b(?:tai lieu|van ban)\b"
    r"|^(?:co )?nhung tai lieu (?:nao|gi)\b"
    r"|\bwhat (?:documents|can you)\b"
)


# What small talk is answered with, by `small_talk`'s kind.
SMALL_TALK_REPLIES = {
    "greeting": wording.GREETING_REPLY,
    "thanks": wording.THANKS_REPLY,
    "goodbye": wording.GOODBYE_REPLY,
}


def small_talk(text: str) -> str | None:
    """ "greeting", "thanks" or "goodbye" when that is all the message says, or when it opens
    with thanks or goodbye and goes on without asking anything ("cảm ơn bạn, giải thích dễ hiểu
    lắm", "ok tạm biệt nhé, mai mình hỏi tiếp"), else None."""
    folded = fold(text)
    for kind, phrases in (("thanks", _THANKS), ("goodbye", _GOODBYE), ("greeting", _GREETING)):
        rest = re.sub(rf"\b(?:{phrases})\b", " ", folded)
        if rest != folded and not [w for w in re.findall(r"\w+", rest) if w not in _FILLER]:
            return kind
    for kind, phrases in (("thanks", _THANKS), ("goodbye", _GOODBYE)):
        opening = re.match(rf"\W*(?:(?:ok|okay|vang|da|thoi)\W+)?(?:{phrases})\b", folded)
        if opening and _says_only(folded[opening.end() :]):
            return kind
    return None


# What makes a message that opens with thanks a question still: an asking word (Vietnamese or
# English), a request to ask, a number or a document's article
_STILL_ASKS = re.compile(
    r"\?|\d|\b(?:gi|nao|sao|bao|may|ai|dau|khong|chua|co phai|cho hoi|xin hoi|hoi them|hoi ve|giup|lam on|dieu|"
    r"cho biet|liet ke|trinh bay|tom tat|neu|noi ro|huong dan|"
    r"what|how|who|when|where|which|why|about|tell|can|could|is|are|does|list|explain|describe|show|give)\b"
)
# A remark after thanks is short; a longer message is read as a question whatever its form
_REMARK_MOST_WORDS = 12


def _says_only(rest: str) -> bool:
    """Whether what follows thanks or goodbye is a remark, not a question, a request or a topic
    ("ok cảm ơn, nhiệm kỳ ban thanh tra nhân dân": a word of the domain is a topic asked)."""
    return (
        not _STILL_ASKS.search(rest)
        and len(re.findall(r"\w+", rest)) <= _REMARK_MOST_WORDS
        and not vocabulary.load().says_domain(rest)
    )


def asks_library(text: str) -> bool:
    """ "Bạn trả lời được gì?", "Kho có những tài liệu nào?": a question about the library itself."""
    return bool(_LIBRARY.search(fold(text)))


# English → the Vietnamese the documents use. Longest phrases first; a hand-made
# glossary of the domain, since no translation model runs offline here.
_GLOSSARY = {
    "law on implementation of grassroots democracy": "Luật Thực hiện dân chủ ở cơ sở",
    "law on grassroots democracy": "Luật Thực hiện dân chủ ở cơ sở",
    "grassroots democracy regulation": "quy chế dân chủ ở cơ sở",
    "grassroots democracy": "dân chủ ở cơ sở",
    "democracy regulation": "quy chế dân chủ",
    "people's inspection board": "Ban Thanh tra nhân dân",
    "people's inspection committee": "Ban Thanh tra nhân dân",
    "inspection board": "Ban Thanh tra nhân dân",
    "community investment supervision board": "Ban giám sát đầu tư của cộng đồng",
    "investment supervision": "giám sát đầu tư của cộng đồng",
    "fatherland front": "Mặt trận Tổ quốc",
    "people's committee": "Ủy ban nhân dân",
    "people's council": "Hội đồng nhân dân",
    "year of government mass mobilization": "Năm dân vận chính quyền",
    "year of government mass mobilisation": "Năm dân vận chính quyền",
    "government mass mobilization": "dân vận chính quyền",
    "government mass mobilisation": "dân vận chính quyền",
    "mass mobilization commission": "Ban Dân vận",
    "mass mobilisation commission": "Ban Dân vận",
    "mass mobilization committee": "Ban Dân vận",
    "mass mobilisation committee": "Ban Dân vận",
    "provincial party committee": "Tỉnh ủy",
    "city party committee": "Thành ủy",
    "district party committee": "Huyện ủy",
    "mass mobilization": "dân vận",
    "mass mobilisation": "dân vận",
    "plan number": "kế hoạch số nào",
    "meeting the new rural standards": "đạt chuẩn nông thôn mới",  # not a "meeting" (hội nghị)
    "meet the new rural standards": "đạt chuẩn nông thôn mới",
    "new rural standards": "chuẩn nông thôn mới",
    "new rural": "nông thôn mới",
    "steering committee": "Ban chỉ đạo",
    "take effect": "có hiệu lực",
    "come into force": "có hiệu lực",
    "comes into force": "có hiệu lực",
    "in force": "có hiệu lực",
    "effective": "có hiệu lực",
    "how many additional": "thêm bao nhiêu",
    "how many more": "thêm bao nhiêu",
    "how many new": "thêm bao nhiêu",
    "first nine months": "9 tháng đầu năm",
    "first six months": "6 tháng đầu năm",
    "recognised": "được công nhận",
    "recognized": "được công nhận",
    "how many": "bao nhiêu",
    "how much": "bao nhiêu",
    "how long": "bao lâu",
    "when": "khi nào",
    "who": "ai",
    "which agency": "cơ quan nào",
    "which district": "huyện nào",
    "members": "thành viên",
    "member": "thành viên",
    "term of office": "nhiệm kỳ",
    "term": "nhiệm kỳ",
    "citizens": "công dân",
    "citizen": "công dân",
    "rights": "quyền",
    "obligations": "nghĩa vụ",
    "duties": "nhiệm vụ",
    "tasks": "nhiệm vụ",
    "solutions": "giải pháp",
    "limitations": "hạn chế",
    "shortcomings": "hạn chế",
    "prohibited acts": "hành vi bị nghiêm cấm",
    "prohibited": "nghiêm cấm",
    "publicize": "công khai",
    "publicized": "công khai",
    "disclose": "công khai",
    "disclosed": "công khai",
    "public disclosure": "công khai",
    "dialogue": "đối thoại",
    "employees": "người lao động",
    "workers": "người lao động",
    "enterprises": "doanh nghiệp",
    "enterprise": "doanh nghiệp",
    "state-owned": "nhà nước",
    "commune": "xã",
    "communes": "xã",
    "ward": "phường",
    "village": "thôn",
    "residential group": "tổ dân phố",
    "residents": "nhân dân",
    "conclusion": "Kết luận",
    "resolution": "Nghị quyết",
    "directive": "Chỉ thị",
    "decree": "Nghị định",
    "budget revenue": "thu ngân sách",
    "exports": "xuất khẩu",
    "export": "xuất khẩu",
    "investment projects": "dự án đầu tư",
    "hung yen": "Hưng Yên",
    "bac ninh": "Bắc Ninh",
    "meeting": "hội nghị",
    "voters": "cử tri",
    "supervise": "giám sát",
    "supervision": "giám sát",
    "inspection": "thanh tra",
}
_ENGLISH_WORDS = {
    "what", "how", "who", "when", "which", "where", "why", "is", "are", "does", "do", "the", "of", "in", "on",
    "a", "an", "many", "much", "have", "has", "must", "can", "should", "according", "to", "about", "for", "and",
}  # fmt: skip
_REF = re.compile(rf"\b\d{{1,4}}(?:/\d{{4}})?[-/][A-Za-zĐđ/-]+\b|{ARTICLE_WORD}")


def english(text: str) -> str | None:
    """A question in English as the documents' Vietnamese words (glossary terms, document numbers
    kept), or None when the text is not English or no term of it is known."""
    words = re.findall(r"[A-Za-z']+|[^\x00-\x7f]+", text)
    if not words or any(not w.isascii() for w in words):
        return None
    lowered = [w.lower() for w in words]
    if sum(w in _ENGLISH_WORDS for w in lowered) < 2:
        return None
    rest = " " + " ".join(re.findall(r"[a-z0-9'-]+", text.lower())) + " "
    found: list[tuple[int, str]] = []
    for phrase in sorted(_GLOSSARY, key=len, reverse=True):
        at = rest.find(f" {phrase} ")
        if at != -1:
            found.append((at, _GLOSSARY[phrase]))
            rest = rest[:at] + " " + "#" * len(phrase) + " " + rest[at + len(phrase) + 2 :]
    refs = [(text.find(m[0]), m[0].replace("Article", "Điều")) for m in _REF.finditer(text)]
    terms = [t for _, t in sorted(found + refs)]
    if not any(t for _, t in found):
        return None
    return " ".join(dict.fromkeys(terms)) + "?"
