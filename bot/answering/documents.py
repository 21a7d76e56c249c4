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
from collections.abc import Callable
from dataclasses import replace

from bot.answering.answer import Answer, ShortAnswer, Source
from bot.answering.short_answer import clipped
from ingest.facts import document_name
from ingest.language.citations import parse_citations, ref_key
from ingest.language.doc_types import TYPES
from ingest.language.normalize import WORD, fold
from ingest.registry import Directive, Registry

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
    if not issuer:
        return replace(answer, short=None)
    said = next((s for s in answer.sources if _states_issuer(issuer, s.text) or _own_issuer(s, named[0])), None)
    if said is None:
        return replace(answer, short=None)
    subject = named[0].subject
    if subject and _SUBJECT_TOO.search(fold(text)) and _words(subject) in _words(said.text):
        return replace(answer, short=ShortAnswer(f"{issuer}, về {subject}", said.n))  # both, as that sentence says
    return replace(answer, short=ShortAnswer(issuer, said.n))


def _own_issuer(source: Source, directive: Directive) -> bool:
    """A passage of the document itself states its issuer in its note ("Luật số 10/2022/QH15 của Quốc hội")."""
    legal = source.legal
    return legal is not None and legal.source.issuer == directive.issuer and ref_key(legal.source.ref) in directive.keys


# Words a body's own name follows ("của Quốc hội", "được Quốc hội … thông qua"), folded; after
# another word it may be the tail of a longer name ("Ủy ban Thường vụ Quốc hội").
_BEFORE_A_BODY = frozenset({"cua", "do", "duoc", "boi", "va", "voi", "la", "tai", "thay", "mat", "theo"})


def _states_issuer(issuer: str, text: str) -> bool:
    """Whether a text names the issuer itself, not as the tail of a longer body's name: "Ủy ban
    Thường vụ Quốc hội" does not say "Quốc hội" (`_BEFORE_A_BODY`)."""
    wanted = [fold(w) for w in WORD.findall(issuer)]
    words = WORD.findall(text)
    folded = [fold(w) for w in words]
    n = len(wanted)
    return bool(wanted) and any(
        folded[i : i + n] == wanted and (i == 0 or folded[i - 1] in _BEFORE_A_BODY) for i in range(len(words) - n + 1)
    )


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
                    text = clipped(text)
                    return replace(answer, short=ShortAnswer(text, q.source))
        return answer
    if d.subject:
        said = next((s for s in answer.sources if _words(d.subject) in _words(s.text)), None)
        if said is not None:
            return replace(answer, short=ShortAnswer(d.subject, said.n))
    return answer


# "Văn bản nào …", "Thông tư nào …": the question asks which document says something (folded).
_WHICH_DOCUMENT = re.compile(r"\b(van ban|" + "|".join(sorted(TYPES, key=len, reverse=True)) + r") nao\b")
# A document's name must hold this share of the question's weight (`text_coverage` without word
# pairs, the issuer's words counted when the question names its issuer), and the next name less by
# MARGIN. Measured: "Văn bản nào của Bộ Công an quy định … tuyển sinh vào ngành công an?" 0.805 for
# Thông tư 44/2021/TT-BCA against 0.349 next; "Thông tư nào quy định dân chủ trong cơ sở y tế công
# an?" 1.0 against 0.637; "… mức sinh hoạt phí của ủy viên Ủy ban MTTQ?" 0.825 and 0.809 (two
# texts, so none is named); "Văn bản nào quy định về Ban Thanh tra nhân dân?" 0.369 (none).
MIN_NAME_COVERAGE = 0.7
MARGIN = 0.15


def which_document(text: str, registry: Registry, coverage: Callable[[str, str], float]) -> Directive | None:
    """The held document a "văn bản nào … quy định …" question describes by its name, when one
    name (with its issuer) covers the question clearly better than any other; else None. A type
    asked ("Thông tư nào") keeps to that type."""
    folded = fold(text)
    asked = _WHICH_DOCUMENT.search(folded)
    if asked is None or len(folded) != len(text):
        return None
    kind = TYPES.get(asked[1])
    rest = f"{text[: asked.start()]} {text[asked.end() :]}"
    scored = sorted(
        (
            (coverage(rest, f"{d.names[0]} {d.issuer or ''}"), d)
            for d in registry.directives
            if d.held and d.names and (kind is None or d.type == kind)
        ),
        key=lambda s: -s[0],
    )
    if not scored or scored[0][0] < MIN_NAME_COVERAGE:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN:
        return None
    return scored[0][1]


def named_line(answer: Answer, d: Directive) -> Answer:
    """The first line of "văn bản nào …?": the document's type and number, from the quoted source
    of its own text (whose heading names it)."""
    own = next((s for s in answer.sources if s.legal is not None and s.legal.source.ref == d.ref), None)
    if own is None or not answer.found:
        return answer
    return replace(answer, short=ShortAnswer(document_name(d.type, d.ref), own.n))


def no_other_line(text: str, answer: Answer) -> Answer:
    """The answer to "văn bản nào …?" without a first line that names no document: "văn bản nào"
    asks a document, and a body cut from a sentence ("bản và gửi đến cơ quan") is no answer."""
    if answer.short is None or not _WHICH_DOCUMENT.search(fold(text)) or parse_citations(answer.short.text):
        return answer
    return replace(answer, short=None)
