"""Find the passages that answer a question, or say that none do.

Three signals: dense similarity (Chroma), BM25 over Vietnamese tokens
(ingest.index.lexical), and the document numbers a question names (only passages
mentioning them count). Lexical leads the ranking and decides relevance, by
how much of the question's weighted words and word pairs a passage contains;
the dense signal (multilingual e5-small by default) reorders and rescues
long, reworded questions that share too few words to pass on coverage alone
(`DENSE_RESCUE`). The question the model embeds has its abbreviations
written out beside them ("MTTQ" → "mặt trận tổ quốc (MTTQ)"): the model has
not learned the abbreviations cadres use. On ALQAC 2023 fusion takes MRR@10
from 0.755 (lexical) and 0.898 (dense) to 0.933. An optional cross-encoder
reorders the best relevant candidates.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from ingest import ChunkIndex, IndexEmbeddings, Passage, Settings
from ingest.index.derived import Derived
from ingest.index.lexical import LexicalIndex
from ingest.index.reranking import Reranker
from ingest.language.citations import parse_citations, ref_key
from ingest.language.scope import Scope, fits, scope_of
from ingest.language.vocabulary import unit_vocabulary

log = logging.getLogger(__name__)


Mode = Literal["hybrid", "lexical", "dense", "hybrid+rerank"]

# Share of the dense signal in the hybrid score (rescaled over its candidates),
# per embedding model, chosen with `make eval` (sweep in BENCHMARKS.md). e5-small:
# 0 to 0.2 rank best on ALQAC (MRR@10 0.927 to 0.926, falling to 0.903 at 0.7),
# 0 to 0.5 equally on the seed sets; 0.2 keeps a say for meaning. MiniLM
# (English): 0.2 to 0.5 were best, 0.2 leaning most on the signal that reads
# Vietnamese. Models not measured start at an even share: run `make eval` and
# set RETRIEVAL_DENSE_WEIGHT from the sweep.
DENSE_WEIGHTS = {
    "sentence-transformers/all-MiniLM-L6-v2": 0.2,
    "all-MiniLM-L6-v2": 0.2,
    "intfloat/multilingual-e5-small": 0.2,
    "intfloat/multilingual-e5-base": 0.5,
    "intfloat/multilingual-e5-large": 0.5,
    "BAAI/bge-m3": 0.5,
}
DEFAULT_DENSE_WEIGHT = 0.3


# A passage below MIN_COVERAGE still counts as relevant when the model finds it
# this close in meaning and it holds at least RESCUE_MIN_COVERAGE of the
# question's words. Measured with e5-small (`make eval`): the off-topic
# questions of the eval sets come no closer than 0.873 to any passage, while
# the 12 ALQAC questions that coverage alone turned away (long statements
# with their choices) have their best passage at 0.89 to 0.95. Only for
# models measured so: MiniLM's similarities do not separate the two at all.
DENSE_RESCUE = {"intfloat/multilingual-e5-small": 0.90}
RESCUE_MIN_COVERAGE = 0.2
# Once some passage is relevant, others count too down to this share of the best
# coverage: a long question (a statement with its choices) covers little of
# itself anywhere, and its answer may cover less than a passage that repeats
# its words. Measured: ALQAC MRR@10 0.907 to 0.933, public law questions MRR
# 0.80 to 0.82, other sets unchanged; which questions are found does not change.
RELATIVE_COVERAGE = 0.6
# A question nothing in the library is near, neither in meaning nor in words, and that says
# none of the vocabulary's words (people's or the texts'), is outside the library's domain
# (weather, prices, football): the user is told what the assistant covers, not that "the
# library does not say" it. Measured with e5-small on 30 out-of-domain questions written by
# someone who saw no code (tests/data/qa_ood_dev.jsonl): their nearest passage sits at 0.815
# to 0.865 and covers at most 0.30 of their words; the in-domain questions of the dev sets that
# pass both bounds all name a vocabulary word. The same result for 0.87 to 0.88 and 0.30.
OUT_OF_DOMAIN = {"intfloat/multilingual-e5-small": 0.87}
OUT_OF_DOMAIN_COVERAGE = 0.30
# A question no passage is relevant to may still be asked in other words than the texts'
# ("dán ở trụ sở" for "niêm yết tại trụ sở"): the best-ranked passages that are this near in
# meaning and hold RESCUE_MIN_COVERAGE of its words are shown, labelled as nearest and not
# as an answer (`Retrieval.nearby`), unless a sentence of theirs passes every gate of a first
# line (`service`). Measured with e5-small on the people-style dev set: of
# the 11 reworded questions found by nothing, 7 have their passage ranked first or second,
# at 0.846 to 0.892; out-of-domain questions sit at 0.815 to 0.865 and are told so first.
NEARBY = {"intfloat/multilingual-e5-small": 0.86}
NEARBY_MOST = 2


# A phrase (up to 60 characters, whole words) said three times or more in a row, with a few
# separators between: "120-KL/TW; 120-KL/TW; …", "dân chủ dân chủ …" (numbers are left alone).
_REPEATED = re.compile(r"\b(\w(?:.{0,58}?\w)?)\b(?:\W{1,3}\1\b){2,}", re.DOTALL)
_PUNCTUATION_RUN = re.compile(r"([^\w\s])(?:\s*\1)+")


def embedded_question(question: str) -> str:
    """The question as the model should read it: each document it cites once, a phrase
    repeated in a row once, no combining marks (after NFC, Vietnamese letters are whole: a
    mark left over is a flood or a typo). What is embedded costs by its tokens
    (ingest.index.embeddings.MAX_QUERY_TOKENS); repeating adds cost, not meaning."""
    seen: set[str] = set()
    kept, at = [], 0
    for citation in parse_citations(question):  # cached: the question was parsed already
        key = ref_key(citation.ref)
        if key in seen:
            kept.append(question[at : citation.start])
            at = citation.end
        seen.add(key)
    text = "".join(kept) + question[at:]
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _REPEATED.sub(lambda m: m[1] if any(c.isalpha() for c in m[1]) else m[0], text)  # not 1.000.000.000
    return " ".join(_PUNCTUATION_RUN.sub(r"\1", text).split())


def dense_rescue(settings: Settings) -> float | None:
    """MIN_DENSE_SIMILARITY when set, else the measured value for the model (None: coverage alone decides)."""
    if settings.min_dense_similarity is not None:
        return settings.min_dense_similarity
    return DENSE_RESCUE.get(settings.embedding_model)


def dense_weight(settings: Settings) -> float:
    """RETRIEVAL_DENSE_WEIGHT when set, else the measured value for the model."""
    if settings.retrieval_dense_weight is not None:
        return settings.retrieval_dense_weight
    return DENSE_WEIGHTS.get(settings.embedding_model, DEFAULT_DENSE_WEIGHT)


@dataclass(frozen=True)
class Retrieval:
    passages: list[Passage]  # best first; empty when nothing is relevant
    found: bool
    lexical: LexicalIndex
    nearest: float = 1.0  # the model's similarity of the closest passage to the question as typed
    covered: float = 1.0  # the largest share of the question's words a passage holds
    nearby: tuple[Passage, ...] = ()  # when none is relevant: the nearest, shown as such unless one answers (`NEARBY`)
    referring: tuple[Passage, ...] = ()  # articles setting a found clause's figure by its number (`references`)


def load_derived(index: ChunkIndex) -> Derived:
    """The generation's saved lexical index and row table; derived from every passage
    when none was saved (a Chroma server keeps no files, or an index of an older format)."""
    saved = Derived.load(index.lexical_dir)
    if saved is not None and len(saved.ids) == index.count():
        return saved
    log.info("no saved lexical index for generation %s: building it from the passages", index.generation)
    return Derived.from_passages(index.all_passages())


class Retriever:
    """Hybrid retrieval over one index.

    Opening reads the saved lexical index (memory-mapped) and the row table,
    not the passages: those are fetched from Chroma for the few returned.
    Relevance (lexical coverage) is computed from the postings of the
    question's terms, so a question costs what its words occur in, not the
    size of the library.
    """

    def __init__(self, index: ChunkIndex, embedder: IndexEmbeddings, settings: Settings):
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.reranker = Reranker(settings) if settings.reranker_model else None
        self.derived = load_derived(index)
        self.lexical = self.derived.lexical

    def __len__(self) -> int:
        return len(self.derived.ids)

    def chunk_ids_of(self, doc_ids: set[str]) -> set[str]:
        """The chunks of these documents."""
        return {self.derived.ids[i] for i in self.derived.rows_of_documents(doc_ids)}

    def _dense(self, text: str, wanted: int) -> np.ndarray:
        """The model's similarity of each passage to the text; 0 beyond the `wanted` nearest."""
        dense = np.zeros(len(self), dtype=np.float32)
        for chunk_id, score in self.index.nearest(self.embedder.embed_query(text), min(len(self), wanted)):
            row = self.derived.row_of(chunk_id)
            if row is not None:
                dense[row] = score
        return dense

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        cited: set[str] | None = None,
        mode: Mode = "hybrid",
        focus: str | None = None,
        floor: float | None = None,
    ) -> Retrieval:
        """The k best relevant passages.

        `cited`: when the question names directives, the `ref_key`s they go by
        and the ids of the chunks that mention them; then only those passages
        count, however close others are. `focus`: what the question asks
        beyond the documents it names (`lookup.asked_focus`; None when their
        cards say it: "Nghị định 59 quy định gì?"); a passage of the named
        document must also cover it, MIN_COVERAGE of it or `floor`.
        `mode` ranks by one signal alone ("lexical", "dense") for the
        evaluation harness, or reorders the fused candidates with the
        reranker ("hybrid+rerank", when one is configured).
        """
        k = k or self.settings.top_k
        n = len(self)
        nearest = covered = 1.0  # measured only where relevance is decided (`out_of_domain`)
        near_rows: list[int] = []
        if n == 0 or cited == set():
            return Retrieval([], False, self.lexical)

        # the texts' terms for the people's words, added ("lệ làng" → "hương ước, quy ước");
        # relevance (coverage) stays on the user's own words
        words = unit_vocabulary(self.settings.vocabulary_file, self.settings.documents_dir)
        lexical = self.lexical.scores(words.expand(question))
        top = float(lexical.max())
        lexical = lexical / top if top > 0 else lexical
        embedded = self.lexical.expand(embedded_question(question))
        dense = self._dense(words.expand(embedded), max(50, 10 * k))
        # DENSE_RESCUE was measured on questions as typed; the added terms bring a near miss
        # closer (a police hospital's prices: 0.884 → 0.902), so relevance reads the typed one
        as_typed = dense if words.expand(embedded) == embedded else self._dense(embedded, max(50, 10 * k))
        w = {"lexical": 0.0, "dense": 1.0}.get(mode, dense_weight(self.settings))
        # Cosines of one model sit in a narrow band (e5: 0.78 to 0.95), so the dense
        # signal is rescaled over its candidates, as BM25 is over its maximum:
        # otherwise it adds nearly a constant and any weight below 1 ranks as BM25.
        near = dense > 0
        spread = np.zeros_like(dense)
        if near.any():
            low, high = float(dense[near].min()), float(dense[near].max())
            spread[near] = (dense[near] - low) / (high - low) if high > low else 1.0
        fused = (1 - w) * lexical + w * spread

        if cited is not None:  # a named document is answered from the passages citing it, never a neighbour
            rows = {r for r in (self.derived.row_of(c) for c in cited) if r is not None}
            keep = np.fromiter(rows | self.derived.rows_citing(cited), dtype=np.int64)
            if focus is not None and mode != "dense":
                # in the people's words too: "lượt người vào xem" is held by "lượt người truy cập"
                said = words.written_out(focus)
                covered_by = self.lexical.coverage_all(said, words.alternatives(said))
                keep = keep[covered_by[keep] >= (floor or self.settings.min_coverage)]
        elif mode == "dense":  # the embedding alone: it has no notion of "nothing relevant"
            keep = np.flatnonzero(dense)
        else:
            # the people's words count as said where a passage holds the texts' terms for them:
            # "lệ làng" is covered by "hương ước" (measured on the people-style dev set: 54 → 56 of
            # 132 pass, 14 more questions found; negatives declined 14/18 unchanged)
            plain = words.written_out(question)
            coverage = self.lexical.coverage_all(plain, words.alternatives(plain))
            related = coverage >= self.settings.min_coverage
            close = dense_rescue(self.settings) if mode != "lexical" else None
            if close is not None:  # near in meaning and sharing part of the words: a long, reworded question
                related |= (as_typed >= close) & (coverage >= RESCUE_MIN_COVERAGE)
            if related.any():
                related |= coverage >= RELATIVE_COVERAGE * float(coverage.max())
            keep = np.flatnonzero(related)
            nearest, covered = float(as_typed.max()), float(coverage.max())
            near_bound = NEARBY.get(self.settings.embedding_model)
            if not related.any() and near_bound is not None and mode != "lexical":
                best = [int(i) for i in np.argsort(-fused, kind="stable")[:3]]
                near_rows = [i for i in best if coverage[i] >= RESCUE_MIN_COVERAGE and as_typed[i] >= near_bound]
        wanted = self.settings.reranker_candidates if mode == "hybrid+rerank" and self.reranker else k
        # best first, ties in row (document) order, as a stable sort of the kept rows gives
        order = keep[np.lexsort((keep, -fused[keep]))][:wanted]
        chosen = [int(i) for i in order]
        scores = {i: float(fused[i]) for i in chosen}
        texts = self.index.passages([self.derived.ids[i] for i in chosen])
        chosen = [i for i in chosen if self.derived.ids[i] in texts]
        if mode == "hybrid+rerank" and self.reranker is not None:
            reranked = self.reranker.scores(question, [texts[self.derived.ids[i]].text for i in chosen])
            scores.update(zip(chosen, reranked))
            chosen = sorted(chosen, key=lambda i: -scores[i])
        relevant = [replace(texts[self.derived.ids[i]], score=round(scores[i], 4)) for i in chosen[:k]]
        near_ids = [self.derived.ids[i] for i in near_rows[:NEARBY_MOST]]
        near_texts = self.index.passages(near_ids) if near_ids else {}
        nearby = tuple(near_texts[c] for c in near_ids if c in near_texts)
        return Retrieval(relevant, bool(relevant), self.lexical, nearest, covered, nearby)


def out_of_domain(retrieval: Retrieval, settings: Settings, says_domain: Callable[[], bool]) -> bool:
    """Whether a question that found nothing is outside the library's domain (`OUT_OF_DOMAIN`):
    no passage near in meaning or in words, and none of the vocabulary's words said
    (`says_domain`, asked last: most questions are settled by the retrieval's own figures)."""
    bound = OUT_OF_DOMAIN.get(settings.embedding_model)
    if bound is None or retrieval.found:
        return False
    return retrieval.nearest < bound and retrieval.covered < OUT_OF_DOMAIN_COVERAGE and not says_domain()


def prefer_scope(passages: list[Passage], asked: Scope | None) -> list[Passage]:
    """The passages of the asked setting and the general ones first, other settings' after,
    each group in its own order (a stable reorder; nothing dropped).

    "Ban Thanh tra nhân dân ở xã nhiệm kỳ mấy năm?" must be answered from the commune's
    article (Điều 36), not from the state-owned enterprise's (Điều 77, "02 năm") that ranks
    as close; another setting's rule stays, after, for whoever labels it
    (`wording.applies_to`). `asked`: `scope.asked_scope(question, settings.unit_scope)`."""
    if asked is None:
        return list(passages)
    fitting = [fits(scope_of(p), asked) for p in passages]
    return [p for p, f in zip(passages, fitting, strict=True) if f] + [
        p for p, f in zip(passages, fitting, strict=True) if not f
    ]
