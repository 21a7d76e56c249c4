"""Which document: "… để triển khai NQ nào của TW?", "áp dụng theo thông tư nào?", "có văn bản
nào quy định …?" answered by a document a sentence cites, its type and number as written.

The citation grammar (ingest.language.citations) reads what a sentence cites; of those, the ones
of the type asked ("Nghị quyết" for "NQ nào", any for "văn bản nào") that the question does not
name itself, the one written nearest the question's words. A citation without its symbol
("Nghị quyết 25") or with only a year is no document number to answer with.
"""

from __future__ import annotations

import re

from bot.answering.spans import STOP, Cut, context_score
from ingest.language.citations import Citation, parse_citations
from ingest.language.doc_types import ABBREVIATED_TYPES, TYPES
from ingest.language.normalize import fold

# How far after a decision's number the type it issues is looked for ("… ngày 25/02/2016 của BTV
# Tỉnh ủy về Quy định …": a date and an issuer between).
_ISSUING_REACH = 80
_TYPE_WORDS = sorted([*TYPES, *(set(ABBREVIATED_TYPES) - {"da"}), "van ban"], key=len, reverse=True)
# The type word a "<type> nào" question asks by (folded); "số nào" allowed between ("kế hoạch số nào").
QUESTION = re.compile(rf"\b({'|'.join(_TYPE_WORDS)})\s+(?:so\s+)?nao\b")
# "Tỉnh có ra quy định riêng về … không?", "có ban hành văn bản … không?": whether a document was
# issued is answered by the document. Only after a verb of issuing ("Luật có quy định … không"
# asks what the law says), or "có văn bản".
_ISSUED = re.compile(rf"\b(?:(?:ra|ban hanh)\s+(?:mot\s+)?({'|'.join(_TYPE_WORDS)})|co\s+(van ban))\b")


def _asking(question: str) -> tuple[re.Match[str], str] | None:
    """Where the (folded) question asks for a document, and the type word it asks by."""
    if m := QUESTION.search(question):
        return m, m[1]
    if (m := _ISSUED.search(question)) and re.search(r"\bkhong\W*$", question):
        return m, m[1] or m[2]
    return None


def asked(question: str) -> bool:
    """Whether the question (folded) asks which document, or whether one was issued."""
    return _asking(question) is not None


def asked_words(folded: list[str]) -> set[int]:
    """The indexes of the words that ask ("NQ nào", "văn bản số nào", "ra quy định"): not the subject's."""
    text = " ".join(folded)
    found = _asking(text)
    if found is None:
        return set()
    first = len(text[: found[0].start()].split())
    return set(range(first, first + len(found[0][0].split())))


def cut(question: str, sentence: str) -> Cut | None:
    """The document of the type asked that `sentence` cites nearest the question's words, or None."""
    q = fold(question)
    found = _asking(q)
    if found is None:
        return None
    m, word = found
    wanted = TYPES.get(word) or ABBREVIATED_TYPES.get(word)  # None: "văn bản nào", any type
    named = {c.number.lstrip("0") for c in parse_citations(question)}
    words = {w for w in re.findall(r"\w+", q[: m.start()] + " " + q[m.end() :]) if w not in STOP}
    cited = [
        (context_score(sentence, c.start, c.end, words), -i, c)
        for i, c in enumerate(parse_citations(sentence))
        if c.symbol and _of_type(c, wanted, sentence) and c.number.lstrip("0") not in named
    ]
    if not cited:
        return None
    return Cut(max(cited, key=lambda f: (f[0], f[1]))[2].text)


def _of_type(citation: Citation, wanted: str | None, sentence: str) -> bool:
    """The citation is of the type asked, or a decision issuing one: "Quyết định số 184-QĐ/TU …
    về (ban hành) Quy định trách nhiệm …" is the "quy định" a province made."""
    if wanted is None or citation.type == wanted:
        return True
    after = fold(sentence[citation.end : citation.end + _ISSUING_REACH])
    return citation.type == "Quyết định" and bool(re.search(rf"\b(?:ban hanh|ve)\W+{fold(wanted)}\b", after))
