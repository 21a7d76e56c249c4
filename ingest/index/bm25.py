"""BM25 over term ids, stored as arrays that an update filters and appends to.

Written here rather than taken from bm25s, which the project used before:
bm25s bakes the corpus's IDF and mean length into every stored score, so one
changed document meant indexing every passage again (11.6 s at 100k passages
on 2 cores), and it keeps no per-passage record to reuse. Here the stored
data are raw term counts in two layouts: per passage (`Rows`, which an update
filters and appends to) and per term (postings, which a query reads). Scores
follow bm25s's default "lucene" variant (k1 1.5, b 0.75), computed at query
time over the postings of the question's terms only, so a question costs
what its terms occur in, not the size of the library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

K1, B = 1.5, 0.75
_ROW_FILES = ("row_terms", "row_counts", "row_offsets")
_POSTING_FILES = ("post_rows", "post_tf", "post_offsets", "row_length")


@dataclass(frozen=True)
class Rows:
    """Per passage, its distinct term ids and their counts (compressed sparse rows)."""

    terms: np.ndarray  # int32
    counts: np.ndarray  # int32
    offsets: np.ndarray  # int64, one more than the rows

    @classmethod
    def empty(cls) -> Rows:
        return cls(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(1, np.int64))

    @classmethod
    def from_term_lists(cls, lists: Sequence[Sequence[int]]) -> Rows:
        terms, counts, offsets = [], [], [0]
        for ids in lists:
            unique, count = np.unique(np.asarray(ids, dtype=np.int32), return_counts=True)
            terms.append(unique)
            counts.append(count.astype(np.int32))
            offsets.append(offsets[-1] + len(unique))
        if not terms:
            return cls.empty()
        return cls(np.concatenate(terms), np.concatenate(counts), np.asarray(offsets, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def take(self, rows: np.ndarray) -> Rows:
        """These rows, in this order (vectorised: no loop over passages)."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        sizes = ends - starts
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        # index of every kept entry: its row's start plus its place within the row
        within = np.arange(offsets[-1], dtype=np.int64) - np.repeat(offsets[:-1], sizes)
        picked = np.repeat(starts, sizes) + within
        return Rows(self.terms[picked], self.counts[picked], offsets)

    @staticmethod
    def concat(parts: Sequence[Rows]) -> Rows:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Rows.empty()
        shifts = np.cumsum([0] + [int(p.offsets[-1]) for p in parts[:-1]])
        offsets = np.concatenate([[0]] + [p.offsets[1:] + s for p, s in zip(parts, shifts)])
        return Rows(
            np.concatenate([p.terms for p in parts]),
            np.concatenate([p.counts for p in parts]),
            offsets.astype(np.int64),
        )

    def save(self, folder: Path) -> None:
        for name, array in zip(_ROW_FILES, (self.terms, self.counts, self.offsets)):
            np.save(folder / f"{name}.npy", array)

    @classmethod
    def load(cls, folder: Path) -> Rows:
        terms, counts, offsets = (np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ROW_FILES)
        return cls(terms, counts, offsets)


class Bm25:
    """Postings (term → passages and counts) and passage lengths; scores and document frequencies."""

    def __init__(self, post_rows: np.ndarray, post_tf: np.ndarray, post_offsets: np.ndarray, row_length: np.ndarray):
        self.post_rows = post_rows
        self.post_tf = post_tf
        self.post_offsets = post_offsets
        self.row_length = row_length
        self.n = len(row_length)
        mean = float(row_length.mean()) if self.n else 1.0
        self._norm = (K1 * (1 - B + B * np.asarray(row_length, dtype=np.float32) / max(mean, 1e-9))).astype(np.float32)

    @classmethod
    def from_rows(cls, rows: Rows, n_terms: int) -> Bm25:
        n = len(rows)
        row_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(rows.offsets))
        order = np.argsort(rows.terms, kind="stable")  # stable: each term's passages stay in row order
        post_offsets = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows.terms, minlength=n_terms), out=post_offsets[1:])
        length = np.bincount(row_of, weights=rows.counts, minlength=n).astype(np.float32)
        return cls(row_of[order], np.asarray(rows.counts)[order], post_offsets, length)

    @property
    def n_terms(self) -> int:
        return len(self.post_offsets) - 1

    def rows_with(self, term: int) -> np.ndarray:
        if term >= self.n_terms:
            return self.post_rows[:0]
        return self.post_rows[self.post_offsets[term] : self.post_offsets[term + 1]]

    def df(self, term: int) -> int:
        return 0 if term >= self.n_terms else int(self.post_offsets[term + 1] - self.post_offsets[term])

    def idf(self, df: int) -> float:
        """Lucene's IDF; a term found nowhere gets the highest weight."""
        return float(np.log(1 + (self.n - df + 0.5) / (df + 0.5)))

    def scores(self, terms: Sequence[int]) -> np.ndarray:
        """The BM25 score of every passage for these term ids (repeats count, as in bm25s)."""
        out = np.zeros(self.n, dtype=np.float32)
        for term in terms:
            if term >= self.n_terms:
                continue
            start, end = self.post_offsets[term], self.post_offsets[term + 1]
            if start == end:
                continue
            rows, tf = self.post_rows[start:end], self.post_tf[start:end].astype(np.float32)
            out[rows] += self.idf(int(end - start)) * tf / (tf + self._norm[rows])
        return out

    def save(self, folder: Path) -> None:
        for name, array in zip(_POSTING_FILES, (self.post_rows, self.post_tf, self.post_offsets, self.row_length)):
            np.save(folder / f"{name}.npy", array)

    @classmethod
    def load(cls, folder: Path) -> Bm25:
        """Memory-mapped: a start reads none of the postings; a question pages in those of its terms."""
        arrays = [np.load(folder / f"{name}.npy", mmap_mode="r") for name in _POSTING_FILES]
        return cls(*arrays)
