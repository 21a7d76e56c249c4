"""The clauses a legal sentence names by number, read with it.

"Quyết định của cộng đồng dân cư về nội dung quy định tại khoản 1 và khoản 2 Điều 15 của Luật
này được thông qua khi có từ hai phần ba …" rules on road contributions, which Điều 15 khoản 1
names ("mức đóng góp xây dựng cơ sở hạ tầng, công trình công cộng") and the sentence never
writes: a question in those words must reach it, and its first line must count them as said.
Only references by clause within the same document ("khoản 5 Điều 15 của Luật này", "khoản 2
Điều này"): a whole article referred to says too much to stand for one sentence's subject.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from bot.answering.answer import Referred, Source
from ingest.language.legal import body_start
from ingest.language.patterns import IN_TEXT_CLAUSES, clause_text
from ingest.models import Passage

# Passages added after a retrieved clause that refer to it, at most (the best covering the question).
REFERRING_MOST = 2
# Retrieved passages whose clauses are looked up among the references, best first.
REFERRED_IN = 3

Key = tuple[str, int, str]  # the document's number, the article, the clause


# A clause named as what the sentence rules on ("Quyết định … về nội dung quy định tại khoản 5
# Điều 15", "công việc quy định tại khoản 6 Điều 15"), not as where a time, a form or a figure is
# set ("kể từ ngày kết thúc thời gian vận động đóng góp quy định tại khoản 2 Điều này" is about
# handing relief out, not about how long the appeal runs).
_ABOUT = re.compile(
    r"(?:nội dung|công việc|việc|vấn đề|trường hợp|đối tượng|thông tin)\s+(?:đã\s+)?(?:được\s+)?quy định tại\s+$",
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


def _article_body(passages: Iterable[Passage], ref: str, article: int) -> str:
    return "\n\n".join(
        p.text[body_start(p.text) :]
        for p in passages
        if p.legal is not None and p.legal.source.ref == ref and p.legal.article == article
    )


def read_with(source: Source, chunks_of: Callable[[str], list[Passage]]) -> Source:
    """The source with the text of each clause of its own document it refers to."""
    legal = source.legal
    if legal is None:
        return source
    wanted = clauses_referred(source.text[source.body_start :], legal.article)
    if not wanted:
        return source
    passages = chunks_of(source.doc_id)
    referred = []
    for article in dict.fromkeys(a for a, _ in wanted):
        body = _article_body(passages, legal.source.ref, article)
        for a, clause in wanted:
            if a == article and (text := clause_text(body, clause)):
                referred.append(Referred(article, clause, text))
    return replace(source, referred=tuple(referred))


def referred_in(sentence: str, source: Source) -> str:
    """What the clauses the sentence names say (their texts, from `read_with`), or ""."""
    if not source.referred or source.legal is None:
        return ""
    wanted = set(clauses_referred(sentence, source.legal.article))
    return " . ".join(r.text for r in source.referred if (r.article, r.clause) in wanted)


class Referring:
    """Which passages refer to each clause of their document: built once per index generation
    from every legal passage (a scan of the library, as learning its spellings is)."""

    def __init__(self, passages: Iterable[Passage]):
        self.by_clause: dict[Key, list[str]] = {}
        for p in passages:
            if p.legal is None:
                continue
            for article, clause in clauses_referred(p.text[body_start(p.text) :], p.legal.article):
                self.by_clause.setdefault((p.legal.source.ref, article, clause), []).append(p.chunk_id)

    def of(self, passage: Passage) -> list[str]:
        """The chunks that refer to a clause this passage holds (its own chunk left out)."""
        legal = passage.legal
        if legal is None:
            return []
        body = passage.text[body_start(passage.text) :]
        clauses = re.findall(r"(?m)^(\d{1,3})\.\s", body) or ([legal.clause] if legal.clause else [])
        found = [
            c
            for clause in clauses
            for c in self.by_clause.get((legal.source.ref, legal.article, clause), [])
            if c != passage.chunk_id
        ]
        return list(dict.fromkeys(found))


_BUILT: dict[str, Referring] = {}
_BUILDING = threading.Lock()


def referring_of(generation: str, passages: Callable[[], Iterable[Passage]]) -> Referring:
    """The references of an index generation, built on first use and kept while it is active."""
    with _BUILDING:
        if generation not in _BUILT:
            _BUILT.clear()
            _BUILT[generation] = Referring(passages())
        return _BUILT[generation]


def referring_passages(
    passages: Sequence[Passage],
    referring: Referring,
    fetch: Callable[[list[str]], dict[str, Passage]],
    covered: Callable[[str], float],
    floor: float,
) -> list[Passage]:
    """For each of the best REFERRED_IN passages, the passages of other articles that refer to a
    clause of it and, read with that clause, cover the question (`covered`) at least `floor`: at
    most REFERRING_MOST each, the best covering first."""
    have = {p.chunk_id for p in passages}
    added: list[Passage] = []
    for passage in passages[:REFERRED_IN]:
        ids = [c for c in referring.of(passage) if c not in have]
        found = fetch(ids) if ids else {}
        other = [p for c in ids if (p := found.get(c)) and p.legal and p.legal.article != _article(passage)]
        scored = [(covered(p.text + " . " + _clauses_of(passage, p)), p) for p in other]
        for score, p in sorted(scored, key=lambda s: -s[0])[:REFERRING_MOST]:
            if score >= floor:
                added.append(p)
                have.add(p.chunk_id)
    return added


def _article(passage: Passage) -> int | None:
    return passage.legal.article if passage.legal else None


def _clauses_of(passage: Passage, referring: Passage) -> str:
    """The clauses of `passage` that `referring` names."""
    assert passage.legal is not None and referring.legal is not None
    body = passage.text[body_start(passage.text) :]
    named = clauses_referred(referring.text[body_start(referring.text) :], referring.legal.article)
    texts = [clause_text(body, c) or "" for a, c in named if a == passage.legal.article]
    return " . ".join(t for t in texts if t) or body
