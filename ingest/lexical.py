"""Lexical (BM25) matching over the index's chunks, diacritic-insensitive.

Built in memory from the chunks Chroma holds, so it is always in step with
the index. BM25 itself comes from bm25s; the tokens from
`normalize.lexical_tokens` (its default tokenizer drops one-letter
Vietnamese syllables such as "ở").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import bm25s
import numpy as np

from ingest.normalize import lexical_tokens


class LexicalIndex:
    """BM25 scores and IDF-weighted coverage of a question over passages."""

    def __init__(self, texts: Sequence[str]):
        self._tokens = [set(lexical_tokens(t)) for t in texts]
        self._bm25 = bm25s.BM25()
        if texts:
            self._bm25.index([lexical_tokens(t) for t in texts], show_progress=False)
        n = len(texts)
        df = Counter(tok for toks in self._tokens for tok in toks)
        # Lucene-style IDF; a token found nowhere gets the highest weight, so a
        # question about something absent scores a low coverage.
        self._idf = {tok: math.log(1 + (n - c + 0.5) / (c + 0.5)) for tok, c in df.items()}
        self._idf_unseen = math.log(1 + (n + 0.5) / 0.5)

    def __len__(self) -> int:
        return len(self._tokens)

    def scores(self, question: str) -> np.ndarray:
        if not self._tokens:
            return np.zeros(0, dtype=np.float32)
        tokens = lexical_tokens(question, question=True)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._idf_unseen)

    def coverage(self, question: str, i: int) -> float:
        """Share of the question's IDF weight (folded words) that passage i contains."""
        return self._coverage(question, self._tokens[i])

    def text_coverage(self, question: str, text: str) -> float:
        """The same coverage for any text (a sentence), with this corpus's IDF."""
        return self._coverage(question, set(lexical_tokens(text)))

    def _coverage(self, question: str, present: set[str]) -> float:
        words = {t for t in lexical_tokens(question, question=True) if "_" not in t and t[0] != "~"}
        total = sum(self.idf(w) for w in words)
        return sum(self.idf(w) for w in words if w in present) / total if total else 0.0
