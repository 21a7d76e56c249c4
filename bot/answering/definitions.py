"""Definitions: a question that asks what a term means, recognised by its form ("X là gì",
"X được hiểu như thế nào", "X nghĩa là gì", "thế nào là X", "khái niệm X"), and the sentences
of the library that define a term ("Cơ sở là xã, phường, thị trấn …", an item of a
"Giải thích từ ngữ" article, "X được hiểu là …").

The library's defining sentences are read once per index generation into a table of their
subjects (`Definitions`); a question's term finds the sentence whose subject it names most
closely. Hand-written forms: they are the few ways Vietnamese asks for a meaning, and a
question that matches none, or a term no sentence defines, is answered as before.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot import wording
from bot.answering import short_answer
from bot.answering.answer import Answer, Quotation, QuoteGroup, ShortAnswer, Source
from bot.answering.short_answer import clipped
from ingest.language.citations import Citation
from ingest.language.legal import body_start
from ingest.language.normalize import WORD, fold
from ingest.language.sentences import paragraph_spans, sentence_spans
from ingest.language.vocabulary import Vocabulary
from ingest.models import Passage
from ingest.registry import Directive, Registry

log = logging.getLogger(__name__)

# How a question asks for a meaning, folded. After the term: "X là gì", "X được hiểu như thế nào".
_ASKED_AFTER = re.compile(
    r"^(?P<term>.+?)\s+(?:"
    r"(?:co )?nghia la gi|la (?:gi|cai gi|khai niem gi)|"
    r"(?:duoc )?hieu (?:la gi|la the nao|la nhu the nao|nhu the nao|the nao|ra sao|nhu nao)|"
    r"duoc (?:dinh nghia|giai thich) (?:la gi|nhu the nao|the nao|ra sao)|duoc goi la gi"
    r")(?:\s+(?:vay|a|nhi|nhe|the|ha))*\s*$"
)
# … or before it: "thế nào là X", "khái niệm X", "định nghĩa X".
_ASKED_BEFORE = re.compile(
    r"^(?:(?:cho (?:minh |toi |em )?(?:hoi|biet)|xin hoi|hoi|giai thich(?: giup)?)\s+)?"
    r"(?:the nao (?:la|duoc goi la|duoc hieu la)|khai niem(?: ve)?|dinh nghia(?: ve| cua)?|"
    r"hieu the nao ve|hieu nhu the nao ve|giai thich(?: tu| khai niem| cum tu)?)\s+(?P<term>.+)$"
)
# Words around a term that are not the term: "hiện nay", "khái niệm", a document it is read in.
_TRAILING = re.compile(r"\s+(?:hien nay|bay gio|ngay nay|hien tai)$")
# "Vậy dân vận chính quyền là gì?": how a chat goes on, not the term (as typed: "thể chế" folds to "the che").
_OPENER = re.compile(r"^\s*(?:vậy|thế|còn)(?:\s+(?:còn|thì))?\s+(?!nào\b)", re.IGNORECASE)  # "Thế nào là …" asks
_LEADING = re.compile(r"^(?:khai niem|dinh nghia|tu|cum tu|thuat ngu)\s+")
_WITHIN = re.compile(
    r"\s+(?:trong|theo|tai|cua)\s+(?:luat|nghi dinh|thong tu|nghi quyet|ket luan|chi thi|quyet dinh|"
    r"van ban|phap luat|quy dinh|quy che)\b.*$"
)
# Syllables that do not tell one term from another.
_LIGHT = {"cua", "va", "cac", "nhung", "o", "ve", "la", "trong", "tai", "cho", "duoc", "mot"}
# A defining sentence: its subject (a short noun phrase opening the sentence), then "là" / "được hiểu là".
_DEFINING = re.compile(
    r"^(?P<subject>[^.;:()\"“”]{2,120}?)\s+(?:được hiểu là|có nghĩa là|là)\s+(?P<rest>\S.{8,})$", re.S
)
_ITEM_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-zđ][.)]|[-–•*+])\s+")
MAX_SUBJECT_WORDS = 12
# A subject must be named for at least this share of its syllables (measured on the dev set's
# five definitions: "Phản biện xã hội của Mặt trận" names 5 of the 10 of its defining subject).
MIN_SUBJECT_SHARE = 0.5


@dataclass(frozen=True)
class Definer:
    """A sentence that defines a term: where it is, its subject as written, the text from the subject on."""

    chunk_id: str
    doc_id: str
    subject: str
    sentence: str  # from the subject to the sentence's end, item number left out
    start: int  # where `sentence` starts in the passage's text
    legal: bool
    alternatives: tuple[frozenset[str], ...]  # the subject's syllables, whole and each of "X, Y" / "X và Y"


def asked_term(text: str) -> str | None:
    """The term a question asks the meaning of (folded), or None when it does not ask one by its form."""
    q = fold(_OPENER.sub("", text)).strip(" ?.!\"'“”")
    q = re.sub(r"[\"'“”‘’]", " ", q)
    q = " ".join(q.split())
    m = _ASKED_BEFORE.match(q) or _ASKED_AFTER.match(q)
    if m is None:
        return None
    term = _LEADING.sub("", _WITHIN.sub("", _TRAILING.sub("", m["term"].strip(" ,"))))
    term = re.sub(r"^(?:cho (?:minh |toi |em )?hoi|xin hoi)\s+", "", term)
    words = WORD.findall(term)
    if not words or len(words) > MAX_SUBJECT_WORDS or words[0] in ("nhung", "cac"):
        return None  # "Những hành vi bị nghiêm cấm … là gì?" asks for a list's items, not a meaning
    return " ".join(words)


def as_typed(text: str, term: str) -> str:
    """The folded `term` as the question writes it (with its accents), when it can be found there."""
    folded = fold(text)
    at = folded.find(term)
    return text[at : at + len(term)] if at != -1 and len(folded) == len(text) else term


def quoted_term(text: str) -> str | None:
    """A term the question sets in quotes ("Cơ sở" trong Luật …), folded: it is the term asked."""
    m = re.search(r"[\"“]([^\"”]{2,80})[\"”]", text)
    return " ".join(WORD.findall(fold(m[1]))) if m else None


def _syllables(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(fold(text)) if w not in _LIGHT)


def defining_sentences(passage: Passage) -> Iterable[Definer]:
    """The sentences of a passage that define their subject."""
    text = passage.text
    start = body_start(text) if passage.legal else 0
    body = text[start:]
    for span in [s for p in paragraph_spans(body) for s in sentence_spans(body, p)]:
        raw = body[span.start : span.end]
        mark = _ITEM_MARK.match(raw)
        lead = mark.end() if mark else 0
        sentence = raw[lead:].replace("**", "").strip()
        m = _DEFINING.match(sentence)
        if m is None or not sentence[:1].isupper():
            continue
        subject = m["subject"].strip()
        if len(subject.split()) > MAX_SUBJECT_WORDS:
            continue
        parts = [p for p in re.split(r",\s*|\s+và\s+|\s+hoặc\s+", subject) if p.strip()]
        alternatives = tuple(dict.fromkeys(a for a in (_syllables(subject), *map(_syllables, parts)) if a))
        if alternatives:
            yield Definer(
                passage.chunk_id,
                passage.doc_id,
                subject,
                " ".join(sentence.split()),
                start + span.start + lead,
                passage.legal is not None,
                alternatives,
            )


class Definitions:
    """The defining sentences of one index generation, by their subjects' syllables."""

    def __init__(self, passages: Iterable[Passage]):
        self.definers: list[Definer] = [d for p in passages for d in defining_sentences(p)]
        self._by_syllable: dict[str, list[int]] = {}
        for i, d in enumerate(self.definers):
            for syllable in frozenset().union(*d.alternatives):
                self._by_syllable.setdefault(syllable, []).append(i)
        log.info("definitions: %d defining sentences", len(self.definers))

    def find(self, terms: Iterable[str], within: set[str] | frozenset[str] = frozenset()) -> Definer | None:
        """The sentence that defines one of `terms` (folded; the first is the term as asked,
        the others its texts' terms from the vocabulary) most closely: every syllable of the
        term in its subject, the subject named for the largest share; in `within` (the
        documents the question names) first, then a legal text's, then the first written."""
        best: tuple[tuple[int, float, int, int], Definer] | None = None
        for rank, term in enumerate(terms):
            asked = _syllables(term)
            if not asked:
                continue
            pools = [set(self._by_syllable.get(s, ())) for s in asked]
            for i in set.intersection(*pools) if pools else set():
                d = self.definers[i]
                share = max((len(asked) / len(a) for a in d.alternatives if asked <= a), default=0.0)
                if share < MIN_SUBJECT_SHARE:
                    continue
                key = (int(d.doc_id in within or d.chunk_id in within), share, int(d.legal), -rank)
                if best is None or key > best[0]:
                    best = (key, d)
        return best[1] if best else None


def term_variants(term: str, vocabulary: Vocabulary) -> list[str]:
    """The term as asked, then with the texts' terms the vocabulary gives for its words
    ("luật mttq" → "luật mặt trận tổ quốc")."""
    variants = [term]
    for typed, entry in vocabulary.matches(term):
        at = fold(term).find(fold(typed))
        if at == -1:
            continue
        for written in entry.terms:
            variants.append(f"{term[:at]}{fold(written)}{term[at + len(typed) :]}")
    return list(dict.fromkeys(variants))


def titled(answer: Answer, term: str) -> bool:
    """Whether the answer's first source is an article or a document whose title names the term
    ("Nguyên tắc thực hiện dân chủ ở cơ sở là gì?" and Điều 3 of that title): the title is its answer."""
    if not answer.sources:
        return False
    top = answer.sources[0]
    title = top.legal.article_title if top.legal else top.facts.title
    return _syllables(term) <= _syllables(title)


def undefined(answer: Answer, term: str) -> Answer:
    """An answer to "X là gì?" when no sentence defines X: said so above the passages that name
    it, with no first line (a sentence that only names X does not say what X is)."""
    if not answer.found or titled(answer, fold(term)):
        return answer
    answer.notes = [wording.no_definition(term), *answer.notes]
    answer.short = None
    return answer


def definition_answer(question: str, definer: Definer, passage: Passage, base: Answer) -> Answer:
    """The answer to a definition question: the defining sentence quoted first, and as the
    first line (verbatim, cut at a word when long); the cards and notes of `base`, the
    answer composed the usual way, are kept, its quotations counted as related."""
    source = Source.from_passage(1, passage)
    line = clipped(definer.sentence.rstrip(" .;"))
    quoted = {definer.chunk_id}
    return Answer(
        question,
        True,
        short=ShortAnswer(line, 1),
        cards=base.cards,
        groups=[QuoteGroup(source, (Quotation(definer.sentence, 1),))],
        sources=[source],
        related=len({s.chunk_id for s in base.retrieved} - quoted),
        notes=base.notes,
        retrieved=[
            source,
            *[s.renumbered(i + 2) for i, s in enumerate(r for r in base.retrieved if r.chunk_id not in quoted)],
        ],
        directives=base.directives,
    )


def asked(
    text: str,
    citations: Sequence[Citation],
    registry: Registry,
    named: list[Directive],
    vocabulary: Vocabulary,
    library: Callable[[], Definitions],
) -> tuple[str | None, Definer | None]:
    """The term a question asks the meaning of, unless it is a document it names ("Luật THDCCS
    là gì?" asks what that law is about), and the sentence that defines it, in the documents
    the question names first. `library`: the defining sentences, read on first use."""
    # a term in quotes is the one asked ("khẳng định nào là đúng về “Đại diện hộ gia đình”?"),
    # unless the question asks a figure of it: "có bao nhiêu mô hình “Dân vận khéo”?" asks a count
    quoted = quoted_term(text) if short_answer.figure(text) is None else None
    term = quoted or asked_term(text)
    if term is None:
        return None, None
    cited = {w for c in citations for w in WORD.findall(fold(c.text))}
    if not [w for w in registry.without_names(WORD.findall(term)) if w not in cited]:
        return None, None
    within = {d.primary.doc_id for d in named if d.primary} | {
        c for d in named for cs in d.articles.values() for c in cs
    }
    return term, library().find(term_variants(term, vocabulary), within)


def answered(
    asked_text: str, answer: Answer, term: str | None, definer: Definer | None, passage: Passage | None
) -> Answer:
    """The answer to "X là gì?" / "X được hiểu như thế nào?" from the sentence that defines X
    (`passage`, the one holding it); said so when none does; `answer` as it was when it asks no
    definition."""
    if term is None:
        return answer
    if definer is None:
        return undefined(answer, as_typed(asked_text, term))  # as the user typed it
    return answer if passage is None else definition_answer(answer.question, definer, passage, answer)
