"""Which document: "… để triển khai NQ nào của TW?", "áp dụng theo thông tư nào?", "có văn bản
nào quy định …?" answered by a document a sentence cites, its type and number as written.

The citation grammar (ingest.language.citations) reads what a sentence cites; of those, the ones
of the type asked ("Nghị quyết" for "NQ nào", any for "văn bản nào") that the question does not
name itself, the one the question's words describe (`cut`). A citation without its symbol
("Nghị quyết 25") is no document number to answer with.
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
# Words that ask about any document, saying nothing of which one.
_GENERIC = {"quy", "dinh", "ban", "hanh", "huong", "dan", "theo", "ap", "dung", "thuc", "hien", "cua", "nao", "gi"}
_TYPE_WORDS = sorted([*TYPES, *(set(ABBREVIATED_TYPES) - {"da"}), "van ban"], key=len, reverse=True)
# The type word a "<type> nào" question asks by (folded); "số nào" allowed between ("kế hoạch số nào").
QUESTION = re.compile(rf"\b({'|'.join(_TYPE_WORDS)})\s+(?:so\s+)?nao\b")


def _asking(question: str) -> tuple[re.Match[str], str] | None:
    """Where the (folded) question asks for a document, and the type word it asks by. Not "có ra
    / ban hành … không": measured on probes, the document a sentence cites beside a province was
    as often the Politburo's or another plan's as the province's own."""
    m = QUESTION.search(question)
    return (m, m[1]) if m else None


def asked(question: str) -> bool:
    """Whether the question (folded) asks which document."""
    return _asking(question) is not None


def asked_words(folded: list[str]) -> set[int]:
    """The indexes of the words that ask ("NQ nào", "văn bản số nào"): not the subject's."""
    text = " ".join(folded)
    found = _asking(text)
    if found is None:
        return set()
    first = len(text[: found[0].start()].split())
    return set(range(first, first + len(found[0][0].split())))


def cut(question: str, sentence: str) -> Cut | None:
    """The document of the type asked that `sentence` cites and that the question's words
    describe, or None.

    Each cited document is read with its own words, up to the next document the sentence cites
    ("Nghị quyết số 26-NQ/TW … về tập trung xây dựng đội ngũ cán bộ các cấp"); the question's words
    must be there (not only "quy định", "ban hành"), and every number the question gives ("Hội nghị
    Trung ương 4", "Nghị quyết 26") too: a plan "thực hiện Nghị quyết số 18" is no answer for 26."""
    q = fold(question)
    found = _asking(q)
    if found is None:
        return None
    m, word = found
    wanted = TYPES.get(word) or ABBREVIATED_TYPES.get(word)  # None: "văn bản nào", any type
    named = {c.number.lstrip("0") for c in parse_citations(question)}
    rest = q[: m.start()] + " " + q[m.end() :]
    words = {w for w in re.findall(r"\w+", rest) if w not in STOP and w not in _GENERIC and not w.isdigit()}
    numbers = {n.lstrip("0") for n in re.findall(r"\b\d{1,3}\b", rest)}  # ordinals, numbers; no year
    if not words:
        return None  # "Thông tư nào quy định?": nothing says which
    citations = parse_citations(sentence)
    scored = []
    for i, c in enumerate(citations):
        if not c.symbol or not _of_type(c, wanted, sentence) or c.number.lstrip("0") in named:
            continue
        own = fold(sentence[c.start : _own_end(sentence, citations, i)])
        said = set(re.findall(r"\w+", own))
        if numbers - {w.lstrip("0") for w in said} - named:
            continue
        scored.append((len(words & said), context_score(sentence, c.start, c.end, words), -i, c))
    if not scored:
        return None
    best = max(scored, key=lambda f: f[:3])
    if best[0] == 0 and len(scored) > 1:
        return None  # several documents and none described by the question's words
    return Cut(best[3].text)


def _own_end(sentence: str, citations: list[Citation], i: int) -> int:
    """Where a cited document's own words end: at the next document cited or the clause's end."""
    start = citations[i].end
    later = [c.start for c in citations[i + 1 :] if c.start >= start]
    later += [start + m.start() for m in re.finditer(r"[;.](?:\s|$)", sentence[start:])]
    return min(later or [len(sentence)])


def _of_type(citation: Citation, wanted: str | None, sentence: str) -> bool:
    """The citation is of the type asked, or a decision issuing one: "Quyết định số 184-QĐ/TU …
    về (ban hành) Quy định trách nhiệm …" is the "quy định" a province made."""
    if wanted is None or citation.type == wanted:
        return True
    after = fold(sentence[citation.end : citation.end + _ISSUING_REACH])
    return citation.type == "Quyết định" and bool(re.search(rf"\b(?:ban hanh|ve)\W+{fold(wanted)}\b", after))
