"""Look directives up by number: exact, partial ("kl 120", "Nghị quyết 25", "120") or unaccented.

An exact number hits exactly; a number shared by several documents (reused
numbers, local symbols of different provinces, or a bare number that fits
several types) lists the candidates with what tells them apart; a number the
corpus never cites is said to be absent. Never a semantic neighbour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot import wording
from bot.answering.card import directive_card
from ingest.facts import document_name
from ingest.language.citations import Citation, parse_citations, ref_key, same_number
from ingest.language.legal import body_start
from ingest.language.normalize import WORD, fold
from ingest.language.patterns import ARTICLE_REF, clause_text
from ingest.language.tokens import lexical_tokens
from ingest.models import Passage
from ingest.registry import Directive, Registry


@dataclass(frozen=True)
class ArticleRef:
    """An article (and clause) a question or lookup names."""

    article: int
    clause: str | None = None


def article_ref(text: str) -> ArticleRef | None:
    """The article a text names ("Điều 12", "khoản 2 Điều 5", "dieu 36"), or None."""
    m = ARTICLE_REF.search(fold(text))  # folded: diacritics do not matter
    if not m:
        return None
    return ArticleRef(int(m["article"]), m["before"] or m["after"])


@dataclass
class Resolution:
    """What one mention (or a whole lookup query) refers to."""

    query: str
    directives: list[Directive] = field(default_factory=list)  # exactly one when resolved
    candidates: list[Directive] = field(default_factory=list)  # several when ambiguous
    ref: str = ""  # the reference as parsed, canonical ("120-KL/TW", or "120" alone)
    type: str | None = None
    article: ArticleRef | None = None  # the article asked for, when one is
    passages: list[Passage] = field(default_factory=list)  # that article's text (or clause), filled by the service

    @property
    def found(self) -> bool:
        return len(self.directives) == 1 and (self.article is None or bool(self.passages))

    @property
    def missing_article(self) -> bool:
        """An article the document does not have ("Điều 120" of a law of 91 articles)."""
        return len(self.directives) == 1 and self.article is not None and not self.article_chunks()

    def article_chunks(self) -> list[str]:
        """The chunk ids of the article asked for, in order."""
        if self.article is None or len(self.directives) != 1:
            return []
        return list(self.directives[0].articles.get(str(self.article.article), []))

    def article_message(self) -> str:
        """What to say of a missing article: plainly, with how many the document has."""
        d = self.directives[0]
        name = d.name or document_name(d.type, d.ref)
        assert self.article is not None
        if not d.articles:
            return wording.article_without_text(name, self.article.article)
        return wording.article_missing(
            f"{name} ({d.ref})", self.article.article, len(d.articles), max(map(int, d.articles))
        )

    @property
    def unknown(self) -> bool:
        return not self.directives and not self.candidates


def resolve_citation(c: Citation, registry: Registry) -> Resolution:
    """The registry entries one parsed mention can mean."""
    if c.symbol:
        matches = registry.find(c.key)
        if len(matches) > 1 and c.date:
            matches = [d for d in matches if d.date == c.date] or matches
    else:
        matches = [
            d for d in registry.directives if same_number(d.number, c.number) and (c.type is None or d.type == c.type)
        ]
    return _result(c.text, matches, ref=c.ref, type=c.type)


def _result(query: str, matches: list[Directive], **parsed: Any) -> Resolution:
    if len(matches) == 1:
        return Resolution(query, directives=matches, **parsed)
    return Resolution(query, candidates=matches, **parsed)


def resolve_names(text: str, registry: Registry, known: list[Resolution] | None = None) -> list[Resolution]:
    """Documents the text names by their name ("Luật Thực hiện dân chủ ở cơ sở", "Luật THDCCS"),
    other than those already resolved by number."""
    seen = {d.id for r in known or [] for d in r.directives + r.candidates}
    # A number the library lacks decides over a name: "Luật THDCCS số 15/2023/QH15" is not Luật 10/2022/QH15.
    numbered = {fold(r.type) for r in known or [] if r.unknown and r.type}
    return [
        Resolution(d.name or d.ref, directives=[d], ref=d.ref, type=d.type)
        for d in registry.named_in(text)
        if d.id not in seen and fold(d.type or "") not in numbered
    ]


# What a document's card already says (its date, issuer, subject, force, what it implements),
# and the words a question wraps a document in ("theo", "số", "quy định"). Folded syllables.
_DOCUMENT_FACT_WORDS = (
    "theo so ngay nam thang ban hanh ky cua ve quy dinh noi dung van de hieu luc thi tu khi dieu khoa "
    "la co ke hoach thuc hien nghi quyet va nhung cac sanh "  # "so sánh": the cards side by side
    "duoc do vao "  # "được ban hành vào ngày nào", "do ai ký"
    "viec chuyen cai gi huong dan co quan"  # "về việc gì", "hướng dẫn về việc gì", "cơ quan nào ban hành"
)
_DOCUMENT_FACTS = frozenset(_DOCUMENT_FACT_WORDS.split())


def question_focus(text: str, citations: Sequence[Citation], registry: Registry) -> str:
    """What a question asks beyond the documents it names, as written: "Luật THDCCS có hiệu lực
    từ ngày nào?" → "có hiệu lực từ ngày nào". Relevance is judged on it, so that the name
    alone never makes a passage of that document an answer."""
    kept, at = [], 0
    for c in sorted(citations, key=lambda c: c.start):
        kept.append(text[at : c.start])
        at = max(at, c.end)
    kept.append(text[at:])
    # numbers left beside a reference are its date or year ("ngày 14/8/2023", "năm 2011")
    found = registry.without_names([w for w in WORD.findall(" ".join(kept)) if not w.isdigit()])
    # "của Bộ Chính trị", "khóa XII", "về công tác dân vận": part of the reference
    said = [WORD.findall(fold(c.issuer)) for c in citations if c.issuer]
    said += [["khoa", *WORD.findall(fold(c.term))] for c in citations if c.term]
    said += [["ve", *WORD.findall(fold(c.subject))] for c in citations if c.subject]
    # "Quy chế số 01 … là quy chế gì?": the type the question names again is the card's
    said += [WORD.findall(fold(c.type)) for c in citations if c.type]
    folded = [fold(w) for w in found]
    drop: set[int] = set()
    for phrase in said:
        for i in range(len(folded) - len(phrase) + 1):
            if folded[i : i + len(phrase)] == phrase:
                drop |= set(range(i - (i > 0 and folded[i - 1] == "cua"), i + len(phrase)))
    return " ".join(w for i, w in enumerate(found) if i not in drop)


def asked_focus(text: str, citations: Sequence[Citation], registry: Registry) -> str | None:
    """`question_focus`, or None when it asks nothing the named documents' cards do not say
    ("KL 120 ban hành ngày nào?", "Điều 12 … quy định gì?"): then every passage of theirs counts."""
    focus = question_focus(text, citations, registry)
    return None if asks_document_facts(focus) else focus


def asks_document_facts(focus: str) -> bool:
    """Whether what is asked beyond a document's name is what its card says ("ban hành ngày nào?")."""
    return {t for t in lexical_tokens(focus, question=True) if "_" not in t and t[0] != "~"} <= _DOCUMENT_FACTS


def lookup(query: str, registry: Registry) -> Resolution:
    """Resolve what a user typed to look a directive (or one of its articles) up."""
    result = _lookup_document(query, registry)
    result.article = article_ref(query)
    return result


def _lookup_document(query: str, registry: Registry) -> Resolution:
    cites = parse_citations(query)
    if cites:
        return resolve_citation(cites[0], registry)
    if named := resolve_names(query, registry):
        return named[0]
    text = query.strip()
    if re.fullmatch(r"[0-9]{1,5}", text):  # just a number: any type
        return _result(query, [d for d in registry.directives if same_number(d.number, text)], ref=text)
    # A symbol without its number ("KL/TW") or a partial reference ("120-KL")
    key = ref_key(text)
    if key:
        partial = [d for d in registry.directives if any(k.startswith(key) or key in k for k in d.keys)]
        if partial:
            return _result(query, partial, ref=text)
    return Resolution(query, ref=text)


def lookup_json(result: Resolution) -> dict[str, Any]:
    data: dict[str, Any] = {
        "query": result.query,
        "found": result.found,
        "directives": [directive_card(d).to_json() for d in result.directives],
        "candidates": [directive_card(d).to_json() for d in result.candidates],
    }
    if result.article is not None:
        data["article"] = {
            "article": result.article.article,
            "clause": result.article.clause,
            "citation": article_citation(result),
            "text": article_text(result) or None,
            "message": result.article_message() if result.missing_article else None,
        }
    return data


def article_citation(result: Resolution) -> str | None:
    """The citation of the article (or clause) shown: "Điều 12, khoản 1, Luật … (10/2022/QH15), hiệu lực từ …"."""
    if not result.passages or result.passages[0].legal is None or result.article is None:
        return None
    place = result.passages[0].legal
    return replace(place, clause=result.article.clause).citation()


def article_text(result: Resolution) -> str:
    """The article in full (its heading once, then every passage's text), or the clause asked for."""
    if not result.passages:
        return ""
    first = result.passages[0]
    heading = first.text[: body_start(first.text)].strip() if first.legal else ""
    text = "\n\n".join(p.text[body_start(p.text) :] if p.legal else p.text for p in result.passages)
    if result.article is not None and result.article.clause:
        clause = clause_text(text, result.article.clause)
        text = clause or text
    return f"{heading}\n\n{text}".strip()


def distinct_citations(citations: tuple[Citation, ...]) -> list[Citation]:
    """Each document a question cites once, as first written: a question of 99 "120-KL/TW;"
    resolved each against the whole registry (a quarter of a second)."""
    seen: set[tuple[str | None, str, str | None]] = set()
    out = []
    for c in citations:
        if (c.type, c.key, c.date) not in seen:
            seen.add((c.type, c.key, c.date))
            out.append(c)
    return out
