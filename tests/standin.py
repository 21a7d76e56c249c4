"""A fast stand-in for the embedder, for building large indexes in tests and `make bench`.

The real model embeds about 10 passages a second on 2 cores: 100k passages
would take hours. The stand-in gives each text a fixed pseudo-random unit
vector (seeded by its hash), and reports the real model's identity and
dimension, so that the real model can open, query and update the index
built with it. Used only for the bulk; what is measured as the model's cost
uses the real one.
"""

from __future__ import annotations

import hashlib

import numpy as np

from ingest import IndexEmbeddings


class StandInEmbeddings(IndexEmbeddings):
    def __init__(self, real: IndexEmbeddings, dimension: int = 384):
        self.identity = real.identity
        self._dimension = dimension
        self.real = real

    @property
    def dimension(self) -> int:
        return self._dimension

    def _vector(self, text: str) -> list[float]:
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        v = np.random.default_rng(seed).standard_normal(self._dimension).astype(np.float32)
        return (v / np.linalg.norm(v)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
