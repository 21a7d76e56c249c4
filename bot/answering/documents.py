"""Questions about one document named by number or name: what it is about ("Thông báo số 666 về
việc gì?", "Thông tư 92/2020/TT-BCA áp dụng cho đâu?"), who issued it ("KL 114 do cơ quan nào
ban hành?").

What a text the library holds governs is said by its scope article ("Phạm vi điều chỉnh") and
the sentence there that says it ("Nghị định này quy định về …"); what a text it only cites is
about, by its card and the sentences that name it.

The issuer is a fact of the document's card, read from the sentence that cites it
("Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư Trung ương"); the first line is that
issuer when a quoted sentence states it, never a body the same sentence gives another
document ("Quyết định số 819-QĐ/TU … của Ban Thường vụ Tỉnh ủy"). Hand-written forms:
the few ways a question asks who issued something.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answering.answer import Answer, ShortAnswer
from ingest.language.normalize import WORD, fold
from ingest.registry import Directive

MAX_SHORT = 250

# "do cơ quan nào ban hành", "ai ký", "ban hành bởi ai", "cơ quan ban hành là ai" (folded); not "của cơ quan
# nào" alone, which asks whose duty a rule is as often as whose document it is.
_ISSUER_ASKED = re.compile(
    r"\b(?:(?:co quan|don vi|to chuc|ban|cap) nao|ai)\s+(?:ban hanh|ky|ra|soan thao)\b"
    r"|\b(?:ban hanh|ky|ra) boi (?:ai|co quan nao)\b"
    r"|\bco quan ban hanh\b"
)


# "…, về nội dung gì?", "và về việc gì": the question asks what it is about too.
_SUBJECT_TOO = re.compile(r"\b(?:ve|la) (?:(?:noi dung|viec|van de|chuyen) )?gi\b")


def asks_issuer(text: str) -> bool:
    """Whether a question asks who issued a document."""
    return bool(_ISSUER_ASKED.search(fold(text)))


def issuer_line(text: str, answer: Answer, named: list[Directive]) -> Answer:
    """The answer with the named document's issuer as its first line when the question asks who
    issued it and a quoted source states that issuer; else with no first line rather than a
    body the quoted sentence names for something else. Unchanged for other questions."""
    if len(named) != 1 or not asks_issuer(text) or not answer.found:
        return answer
    issuer = named[0].issuer
    if issuer and answer.short is not None and _words(issuer) in _words(answer.short.text):
        return answer
    said = next((s for s in answer.sources if issuer and _words(issuer) in _words(s.text)), None) if issuer else None
    if not issuer or said is None:
        return replace(answer, short=None)
    subject = named[0].subject
    if subject and _SUBJECT_TOO.search(fold(text)) and _words(subject) in _words(said.text):
        return replace(answer, short=ShortAnswer(f"{issuer}, về {subject}", said.n))  # both, as that sentence says
    return replace(answer, short=ShortAnswer(issuer, said.n))


def _words(text: str) -> str:
    """Folded words only, one space apart: a header's "**ỦY BAN NHÂN DÂN**\\nTHÀNH PHỐ …" reads as written in a sentence."""
    return " " + " ".join(WORD.findall(fold(text))) + " "


# What a question asks when it asks what a document is about, folded syllables: "nói về chuyện gì",
# "quy định về việc gì", "là quy chế gì", "áp dụng cho đâu", "trong lĩnh vực nào", "phạm vi điều chỉnh".
_ABOUT_WORDS = (
    "noi ve chuyen viec van de dung gi la quy dinh huong dan ap cho dau doi tuong nao linh vuc pham vi "
    "dieu chinh cai cap den chu yeu nhung cac trong thi sao the"
)
_ABOUT = frozenset(_ABOUT_WORDS.split())
# The article that says what a legal text governs, by its title: "Phạm vi điều chỉnh (, đối tượng áp dụng)".
_SCOPE_TITLE = re.compile(r"^pham vi dieu chinh")
# "Nghị định này quy định về …", "Thông tư này hướng dẫn …": the sentence saying what the text governs.
_SCOPE_SENTENCE = re.compile(r"\bnay\s+(?:quy dinh|huong dan)\b")


def asks_about(focus: str, d: Directive) -> bool:
    """Whether what a question asks beyond a document's number or name (`lookup.question_focus`)
    is only what it is about ("về việc gì", "áp dụng cho đâu"), the words of its card set aside."""
    card = " ".join(x for x in (d.type, d.name, d.subject, d.issuer) if x)
    told = set(WORD.findall(fold(card)))
    return set(WORD.findall(fold(focus))) <= _ABOUT | told


def scope_article(d: Directive) -> int:
    """The article of a legal text that says what it governs: titled "Phạm vi điều chỉnh", else its first."""
    titled = [int(n) for n, title in d.article_titles.items() if _SCOPE_TITLE.match(fold(title)) and n in d.articles]
    return min(titled or [int(n) for n in d.articles])


def about_line(answer: Answer, d: Directive) -> Answer:
    """The first line of "X về việc gì?": for a text the library holds, its quoted sentence that says
    what it governs ("Nghị định này quy định về …"); for one it only cites, its subject as a quoted
    sentence states it. No first line when neither is quoted."""
    if not answer.found:
        return answer
    if d.articles:
        for group in answer.groups:
            for q in group.quotes:
                if _SCOPE_SENTENCE.search(fold(q.text)):
                    text = re.sub(r"^\s*\d{1,2}[.)]\s*", "", q.text).rstrip(" .;")
                    text = text if len(text) <= MAX_SHORT else text[:MAX_SHORT].rsplit(" ", 1)[0] + "…"
                    return replace(answer, short=ShortAnswer(text, q.source))
        return answer
    if d.subject:
        said = next((s for s in answer.sources if _words(d.subject) in _words(s.text)), None)
        if said is not None:
            return replace(answer, short=ShortAnswer(d.subject, said.n))
    return answer
