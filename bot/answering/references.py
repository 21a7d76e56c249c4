"""The clauses a legal sentence names by number, read with it.

"Quyết định của cộng đồng dân cư về nội dung quy định tại khoản 1 và khoản 2 Điều 15 của Luật
này được thông qua khi có từ hai phần ba …" rules on road contributions, which Điều 15 khoản 1
names ("mức đóng góp xây dựng cơ sở hạ tầng, công trình công cộng") and the sentence never
writes: a question in those words must reach it, and its first line must count them as said.
Only references by clause, within the same document ("khoản 5 Điều 15 của Luật này", "khoản 2
Điều này") or to a law held in the same document by its name (a decree's "các nội dung thuộc khoản
1, 2, 3 Điều 15 của Luật Thực hiện dân chủ ở cơ sở"): a whole article referred to says too much to
stand for one sentence's subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from bot.answering.answer import Referred, Source
from bot.answering.lru import SizedLRU
from ingest.language.legal import LegalPlace, body_start
from ingest.language.normalize import fold
from ingest.language.patterns import IN_TEXT_CLAUSES, LAW_CLAUSES, clause_text
from ingest.models import Passage

# Passages naming a retrieved clause read for its figure, at most, per clause passage (the best covering the question).
REFERRING_MOST = 3
# Retrieved passages whose clauses are looked up among the references, best first.
REFERRED_IN = 3

Key = tuple[str, int, str]  # the document's number, the article, the clause


# A clause named as what the sentence rules on ("Quyết định … về nội dung quy định tại khoản 5
# Điều 15", "công việc quy định tại khoản 6 Điều 15"), not as where a time, a form or a figure is
# set ("kể từ ngày kết thúc thời gian vận động đóng góp quy định tại khoản 2 Điều này" is about
# handing relief out, not about how long the appeal runs).
_ABOUT = re.compile(
    r"(?:nội dung|công việc|việc|vấn đề|trường hợp|đối tượng|thông tin)\s+(?:(?:đã\s+)?(?:được\s+)?quy định tại|thuộc)\s+$",
    re.IGNORECASE,
)


def clauses_referred(text: str, own_article: int | None) -> list[tuple[int, str]]:
    """(article, clause) of each clause the text names within its own document as what it rules
    on (`_ABOUT`), in order."""
    found: list[tuple[int, str]] = []
    for m in IN_TEXT_CLAUSES.finditer(text):
        if not _ABOUT.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        article = int(m["article"]) if m["article"] else own_article
        if article is None:
            continue
        for clause in re.findall(r"\d+", m["clauses"]):
            if (article, clause) not in found:
                found.append((article, clause))
    return found


def clauses_named(text: str, place: LegalPlace, laws: Mapping[str, str]) -> list[Key]:
    """(document, article, clause) of each clause the text names as what it rules on: of its own
    document, or of a law `laws` holds (its folded name → its number)."""
    found = [(place.source.ref, article, clause) for article, clause in clauses_referred(text, place.article)]
    for m in LAW_CLAUSES.finditer(text):
        if not _ABOUT.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        law = fold(m["law"])
        ref = next((laws[name] for name in sorted(laws, key=len, reverse=True) if law.startswith(name)), None)
        if ref is None:
            continue  # a law the document does not hold: nothing to read
        for clause in re.findall(r"\d+", m["clauses"]):
            if (key := (ref, int(m["article"]), clause)) not in found:
                found.append(key)
    return found


def laws_of(passages: Iterable[Passage]) -> dict[str, str]:
    """The laws among a document's passages, by folded name: "luat thuc hien dan chu o co so" → "10/2022/QH15"."""
    named = {
        (p.legal.source.name, p.legal.source.ref)
        for p in passages
        if p.legal is not None and p.legal.source.type == "Luật" and p.legal.source.name
    }
    return {fold(name): ref for name, ref in named}  # each name folded once, not once per passage


def _article_body(passages: Iterable[Passage], ref: str, article: int) -> str:
    return "\n\n".join(
        p.text[body_start(p.text) :]
        for p in passages
        if p.legal is not None and p.legal.source.ref == ref and p.legal.article == article
    )


def read_with(source: Source, chunks_of: Callable[[str], list[Passage]]) -> Source:
    """The source with the text of each clause it refers to, of its own document or of a law its
    document holds."""
    legal = source.legal
    text = source.text[source.body_start :]
    if legal is None or not (IN_TEXT_CLAUSES.search(text) or LAW_CLAUSES.search(text)):
        return source
    passages = chunks_of(source.doc_id)
    laws = laws_of(passages)
    wanted = clauses_named(text, legal, laws)
    named = {ref: name for name, ref in laws.items() if ref != legal.source.ref}
    referred = []
    for ref, article in dict.fromkeys((r, a) for r, a, _ in wanted):
        body = _article_body(passages, ref, article)
        for r, a, clause in wanted:
            if (r, a) == (ref, article) and (said := clause_text(body, clause)):
                referred.append(Referred(ref, article, clause, said, named.get(ref, "")))
    return replace(source, referred=tuple(referred))


def referred_in(sentence: str, source: Source) -> str:
    """What the clauses the sentence names say (their texts, from `read_with`), or ""."""
    if not source.referred or source.legal is None:
        return ""
    laws = {r.law: r.ref for r in source.referred if r.law}
    wanted = set(clauses_named(sentence, source.legal, laws))
    return " . ".join(r.text for r in source.referred if (r.ref, r.article, r.clause) in wanted)


# The documents whose references are kept (per index generation), least recently used dropped.
DOCUMENTS_KEPT = 32
_TABLES: SizedLRU[tuple[str, str], dict[Key, list[Passage]]] = SizedLRU(DOCUMENTS_KEPT)


def _table(generation: str, doc_id: str, chunks_of: Callable[[str], list[Passage]]) -> dict[Key, list[Passage]]:
    """Which passages of a document name each of its clauses, read from the document's passages
    (kept: a document is read once per generation, never the whole library)."""

    def read() -> dict[Key, list[Passage]]:
        table: dict[Key, list[Passage]] = {}
        passages = chunks_of(doc_id)
        laws = laws_of(passages)
        for p in passages:
            if p.legal is not None:
                for key in clauses_named(p.text[body_start(p.text) :], p.legal, laws):
                    table.setdefault(key, []).append(p)
        return table

    return _TABLES.get((generation, doc_id), read)


def _clauses_held(passage: Passage) -> list[str]:
    """The clauses a passage holds: those opening its lines, else the one its place says."""
    assert passage.legal is not None
    body = passage.text[body_start(passage.text) :]
    return re.findall(r"(?m)^(\d{1,3})\.\s", body) or ([passage.legal.clause] if passage.legal.clause else [])


def referring_passages(
    passages: Sequence[Passage],
    generation: str,
    chunks_of: Callable[[str], list[Passage]],
    covered: Callable[[str], float],
    floor: float,
) -> list[Passage]:
    """For each of the best REFERRED_IN passages, the passages of other articles of its document
    that name a clause of it as what they rule on and, read with that clause, cover the question
    (`covered`) at least `floor`: at most REFERRING_MOST each, the best covering first."""
    have = {p.chunk_id for p in passages}
    added: list[Passage] = []
    for passage in passages[:REFERRED_IN]:
        legal = passage.legal
        if legal is None:
            continue
        table = _table(generation, passage.doc_id, chunks_of)
        naming = [p for c in _clauses_held(passage) for p in table.get((legal.source.ref, legal.article, c), [])]
        unique = {p.chunk_id: p for p in naming}.values()
        other = [p for p in unique if p.chunk_id not in have and _place(p) != (legal.source.ref, legal.article)]
        scored = [(covered(p.text + " . " + _clauses_of(passage, p)), p) for p in other]
        for score, p in sorted(scored, key=lambda s: -s[0])[:REFERRING_MOST]:
            if score >= floor:
                added.append(p)
                have.add(p.chunk_id)
    return added


def _place(passage: Passage) -> tuple[str, int] | None:
    return (passage.legal.source.ref, passage.legal.article) if passage.legal else None


def _clauses_of(passage: Passage, referring: Passage) -> str:
    """The clauses of `passage` that `referring` names."""
    assert passage.legal is not None and referring.legal is not None
    body = passage.text[body_start(passage.text) :]
    laws = laws_of([passage])
    named = clauses_named(referring.text[body_start(referring.text) :], referring.legal, laws)
    texts = [clause_text(body, c) or "" for r, a, c in named if (r, a) == _place(passage)]
    return " . ".join(t for t in texts if t) or body
