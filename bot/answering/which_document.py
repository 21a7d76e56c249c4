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
from ingest.language.citations import parse_citations
from ingest.language.doc_types import ABBREVIATED_TYPES, TYPES
from ingest.language.normalize import fold

_TYPE_WORDS = sorted([*TYPES, *(set(ABBREVIATED_TYPES) - {"da"}), "van ban"], key=len, reverse=True)
# The type word a "<type> nào" question asks by (folded); "số nào" allowed between ("kế hoạch số nào").
QUESTION = re.compile(rf"\b({'|'.join(_TYPE_WORDS)})\s+(?:so\s+)?nao\b")


def asked(question: str) -> bool:
    """Whether the question (folded) asks which document."""
    return bool(QUESTION.search(question))


def asked_words(folded: list[str]) -> set[int]:
    """The indexes of the words that ask ("NQ nào", "văn bản số nào"): not the subject's."""
    text = " ".join(folded)
    m = QUESTION.search(text)
    if m is None:
        return set()
    first = len(text[: m.start()].split())
    return set(range(first, first + len(m[0].split())))


def cut(question: str, sentence: str) -> Cut | None:
    """The document of the type asked that `sentence` cites nearest the question's words, or None."""
    q = fold(question)
    m = QUESTION.search(q)
    if m is None:
        return None
    wanted = TYPES.get(m[1]) or ABBREVIATED_TYPES.get(m[1])  # None: "văn bản nào", any type
    named = {c.number.lstrip("0") for c in parse_citations(question)}
    words = {w for w in re.findall(r"\w+", q[: m.start()] + " " + q[m.end() :]) if w not in STOP}
    found = [
        (context_score(sentence, c.start, c.end, words), -i, c)
        for i, c in enumerate(parse_citations(sentence))
        if c.symbol and (wanted is None or c.type == wanted) and c.number.lstrip("0") not in named
    ]
    if not found:
        return None
    return Cut(max(found, key=lambda f: (f[0], f[1]))[2].text)
