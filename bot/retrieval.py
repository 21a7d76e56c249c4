"""Find the passages that answer a question, or say that none do.

Three signals: dense similarity (Chroma), BM25 over Vietnamese tokens
(ingest.lexical), and the document numbers a question names (only passages
mentioning them count). On the project's 87 eval questions the bundled
English MiniLM alone reaches Hit@3 0.69, lexical matching 1.00, so lexical
leads and dense breaks ties (weights per model below). Relevance is decided
by how much of the question's weighted words and word pairs a passage
contains, not by cosine scores, which this model keeps between 0.6 and 0.8
for on- and off-topic questions alike. An optional cross-encoder reorders the
best relevant candidates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from ingest import ChunkIndex, Passage, SentenceTransformerEmbeddings, Settings, normalize_text
from ingest.lexical import LexicalIndex, passage_text
from ingest.reranking import Reranker

log = logging.getLogger(__name__)


Mode = Literal["hybrid", "lexical", "dense", "hybrid+rerank"]

# Share of the dense signal in the hybrid score, per embedding model, chosen
# with `make eval` (weight sweep in BENCHMARKS.md). For the bundled English
# MiniLM, weights 0.2 to 0.5 all give the best ranking (Hit@1 0.99 against
# 0.97 for lexical alone, 0.54 for dense alone), never worse than lexical;
# 0.2, the lowest, leans most on the signal that handles Vietnamese.
# The multilingual models could not be measured here (no download); they
# embed Vietnamese properly, so they start at an even share: run `make eval`
# with the model configured and set RETRIEVAL_DENSE_WEIGHT from the sweep.
DENSE_WEIGHTS = {
    "sentence-transformers/all-MiniLM-L6-v2": 0.2,
    "all-MiniLM-L6-v2": 0.2,
    "intfloat/multilingual-e5-small": 0.5,
    "intfloat/multilingual-e5-base": 0.5,
    "intfloat/multilingual-e5-large": 0.5,
    "BAAI/bge-m3": 0.5,
}
DEFAULT_DENSE_WEIGHT = 0.3


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


class Retriever:
    """Hybrid retrieval over one index; loads the index's chunks once."""

    def __init__(self, index: ChunkIndex, embedder: SentenceTransformerEmbeddings, settings: Settings):
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.reranker = Reranker(settings) if settings.reranker_model else None
        self.passages = index.all_passages()
        ids = [p.chunk_id for p in self.passages]
        saved = LexicalIndex.load(index.lexical_dir, ids) if index.lexical_dir else None
        self.lexical = saved or LexicalIndex.build([passage_text(p) for p in self.passages])
        self._row = {p.chunk_id: i for i, p in enumerate(self.passages)}

    def retrieve(
        self, question: str, k: int | None = None, cited: set[str] | None = None, mode: Mode = "hybrid"
    ) -> Retrieval:
        """The k best relevant passages.

        `cited`: when the question names directives, the `ref_key`s they go by
        and the ids of the chunks that mention them; then only those passages
        count, however close others are. `mode` ranks by one signal alone
        ("lexical", "dense") for the evaluation harness, or reorders the fused
        candidates with the reranker ("hybrid+rerank", when one is configured).
        """
        k = k or self.settings.top_k
        n = len(self.passages)
        if n == 0 or cited == set():
            return Retrieval([], False, self.lexical)

        lexical = self.lexical.scores(question)
        lexical = lexical / lexical.max() if lexical.max() > 0 else lexical
        dense = np.zeros(n, dtype=np.float32)
        for p in self.index.query(self.embedder.embed_query(normalize_text(question)), min(n, max(50, 10 * k))):
            if p.chunk_id in self._row:  # an update may add chunks this retriever has not loaded
                dense[self._row[p.chunk_id]] = p.score
        w = {"lexical": 0.0, "dense": 1.0}.get(mode, dense_weight(self.settings))
        fused = (1 - w) * lexical + w * dense

        if cited is not None:  # a named document is answered from the passages citing it, never a neighbour
            keep = [i for i, p in enumerate(self.passages) if p.chunk_id in cited or cited & set(p.ref_keys)]
        elif mode == "dense":  # the embedding alone: it has no notion of "nothing relevant"
            keep = list(range(n))
        else:
            keep = [i for i in range(n) if self.lexical.coverage(question, i) >= self.settings.min_coverage]
        keep = sorted(keep, key=lambda i: -fused[i])
        scores = {i: float(fused[i]) for i in keep}
        if mode == "hybrid+rerank" and self.reranker is not None:
            head = keep[: self.settings.reranker_candidates]
            reranked = self.reranker.scores(question, [self.passages[i].text for i in head])
            scores.update(zip(head, reranked))
            keep = sorted(head, key=lambda i: -scores[i])
        relevant = [replace(self.passages[i], score=round(scores[i], 4)) for i in keep[:k]]
        return Retrieval(relevant, bool(relevant), self.lexical)
