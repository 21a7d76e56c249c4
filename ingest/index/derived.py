"""What a generation derives from its chunks, saved beside them so that nothing is derived twice.

Per generation, in its `lexical/` folder:
- the lexical index (`ingest.index.lexical`: vocabulary, term counts, postings);
- `rows.json`: per row of that index, the chunk id, and the references its
  passage cites; per document, its hash, file, file stat, row range and the
  abbreviations it defines. The bot opens an index from this alone, without
  reading every passage from Chroma;
- `registry_passages.json`: per document, the passages the directive
  registry reads (those that cite something, and the first, for its facts).

The next ingestion reuses all of it for the documents that did not change:
no file re-read when its size and modification time are the same, no
tokenizing, segmenting or citation parsing of an unchanged passage.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ingest.facts import DocumentFacts
from ingest.index.bm25 import Rows
from ingest.index.lexical import LexicalIndex, learn_abbreviations, passage_text
from ingest.language.citations import parse_citations
from ingest.language.legal import LegalPlace
from ingest.models import Passage

log = logging.getLogger(__name__)

ROWS_FILE = "rows.json"
REGISTRY_FILE = "registry_passages.json"


@dataclass
class DocRecord:
    """One document as a generation holds it."""

    doc_id: str
    doc_hash: str
    path: str
    start: int  # its rows in the lexical index: [start, end)
    end: int
    stat: list[int] | None = None  # file (and sidecar) size and mtime when read; None: always re-read
    abbreviations: dict[str, str] = field(default_factory=dict)  # the definitions its passages make


@dataclass(frozen=True)
class RowTable:
    """The saved `rows.json`: per document its record, per row the references cited."""

    docs: dict[str, DocRecord]
    ref_keys: dict[int, list[str]]

    @classmethod
    def load(cls, folder: Path | None) -> RowTable | None:
        if folder is None:
            return None
        try:
            rows = json.loads((folder / ROWS_FILE).read_text(encoding="utf-8"))
            docs = {d["doc_id"]: DocRecord(**d) for d in rows["docs"]}
            ref_keys = {int(row): list(keys) for row, keys in rows["ref_keys"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return cls(docs, ref_keys)


@dataclass
class Derived:
    """A generation's lexical index and row table."""

    lexical: LexicalIndex
    ids: list[str]  # chunk id of every row
    ref_keys: dict[int, list[str]]  # row -> the references its passage cites (rows citing none are absent)
    docs: dict[str, DocRecord]

    def __post_init__(self) -> None:
        self._row: dict[str, int] | None = None
        self._citing: dict[str, list[int]] | None = None

    def row_of(self, chunk_id: str) -> int | None:
        if self._row is None:
            self._row = {cid: i for i, cid in enumerate(self.ids)}
        return self._row.get(chunk_id)

    def rows_of_documents(self, doc_ids: Iterable[str]) -> np.ndarray:
        ranges = [np.arange(self.docs[d].start, self.docs[d].end) for d in doc_ids if d in self.docs]
        return np.concatenate(ranges) if ranges else np.zeros(0, dtype=np.int64)

    def rows_citing(self, keys: Iterable[str]) -> set[int]:
        if self._citing is None:
            citing: dict[str, list[int]] = defaultdict(list)
            for row, row_keys in self.ref_keys.items():
                for key in row_keys:
                    citing[key].append(row)
            self._citing = dict(citing)
        return {row for key in keys for row in self._citing.get(key, ())}

    # --- persistence ---------------------------------------------------------

    def save(self, folder: Path, registry_passages: dict[str, list[Passage]]) -> None:
        self.lexical.save(folder, self.ids)  # replaces the folder: the row files go in after it
        rows = {
            "ref_keys": {str(row): keys for row, keys in self.ref_keys.items()},
            "docs": [asdict(d) for d in self.docs.values()],
        }
        (folder / ROWS_FILE).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        kept = {doc_id: [_passage_json(p) for p in ps] for doc_id, ps in registry_passages.items()}
        (folder / REGISTRY_FILE).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def from_passages(cls, passages: Sequence[Passage]) -> Derived:
        """Derived anew from a generation's passages (in document order), where none was
        saved: a Chroma server keeps no files, or an index of an older format."""
        lexical = LexicalIndex.build([passage_text(p) for p in passages])
        ref_keys = {i: list(p.ref_keys) for i, p in enumerate(passages) if p.ref_keys}
        docs: dict[str, DocRecord] = {}
        for i, p in enumerate(passages):
            record = docs.setdefault(p.doc_id, DocRecord(p.doc_id, "", "", i, i))
            record.end = i + 1
        return cls(lexical, [p.chunk_id for p in passages], ref_keys, docs)

    @classmethod
    def load(cls, folder: Path | None, table: RowTable | None = None) -> Derived | None:
        """The saved data, or None (none saved, an older format, or unreadable: the caller
        rebuilds it). `table`: the row table, when the caller has read it already."""
        table = table or RowTable.load(folder)
        if folder is None or table is None:
            return None
        saved = LexicalIndex.load_with_ids(folder)
        if saved is None:
            return None
        lexical, ids = saved
        return cls(lexical, ids, table.ref_keys, table.docs)

    @staticmethod
    def load_registry_passages(folder: Path | None) -> dict[str, list[Passage]] | None:
        if folder is None:
            return None
        try:
            data = json.loads((folder / REGISTRY_FILE).read_text(encoding="utf-8"))
            return {doc_id: [_passage_from_json(p) for p in ps] for doc_id, ps in data.items()}
        except (OSError, ValueError, KeyError, TypeError):
            return None


def registry_subset(passages: Sequence[Passage], cites: Sequence[bool]) -> list[Passage]:
    """The passages of one document that the registry reads: those citing something, and the first."""
    return [p for i, (p, c) in enumerate(zip(passages, cites)) if c or i == 0]


def _passage_json(p: Passage) -> dict[str, Any]:
    return {
        "chunk_id": p.chunk_id,
        "doc_id": p.doc_id,
        "position": p.position,
        "text": p.text,
        "facts": p.facts.to_metadata(),
        "section": p.section,
        "ref_keys": list(p.ref_keys),
        "legal": p.legal.to_metadata() if p.legal else None,
    }


def _passage_from_json(data: dict[str, Any]) -> Passage:
    return Passage(
        chunk_id=data["chunk_id"],
        doc_id=data["doc_id"],
        position=int(data["position"]),
        text=data["text"],
        score=1.0,
        facts=DocumentFacts.from_metadata(data["facts"], default_title=data["doc_id"]),
        section=data.get("section", ""),
        ref_keys=tuple(data.get("ref_keys", ())),
        legal=LegalPlace.from_metadata(data["legal"]) if data.get("legal") else None,
    )


@dataclass
class Fresh:
    """A document embedded in this run, with what the derived data need of it."""

    doc_id: str
    doc_hash: str
    path: str
    stat: list[int] | None
    passages: list[Passage]
    cites: list[bool]  # per passage: whether it cites a document (the registry reads those)


def derive(
    fresh: list[Fresh],
    kept: set[str],
    previous: Derived | None,
    previous_registry: dict[str, list[Passage]] | None,
    read_kept: Callable[[set[str]], list[Passage]],
    stored: dict[str, tuple[str, str]],
) -> tuple[Derived, dict[str, list[Passage]]]:
    """The new generation's derived data: the fresh documents' computed, the kept ones' carried over.

    A kept document's rows are reused when the abbreviations the corpus
    defines are the same as before (they shape every passage's tokens);
    otherwise, or when the previous generation saved nothing to reuse, its
    passages are read back (`read_kept`) and tokenized again. `stored`: every
    stored document's hash and file, as the index's metadata tell them.
    """
    by_id = {f.doc_id: f for f in fresh}
    carried = (
        previous if previous is not None and previous_registry is not None and kept <= previous.docs.keys() else None
    )
    reread: dict[str, list[Passage]] | None = None

    def reread_kept() -> dict[str, list[Passage]]:
        nonlocal reread
        if reread is None:
            reread = {}
            for p in read_kept(kept):
                reread.setdefault(p.doc_id, []).append(p)
        return reread

    defines = {f.doc_id: learn_abbreviations(passage_text(p) for p in f.passages) for f in fresh}
    for doc_id in kept:
        defines[doc_id] = (
            carried.docs[doc_id].abbreviations
            if carried is not None
            else learn_abbreviations(passage_text(p) for p in reread_kept().get(doc_id, []))
        )
    abbreviations: dict[str, str] = {}
    for doc_id in sorted(defines):  # as one scan of every passage in document order would find them
        for abbr, expansion in defines[doc_id].items():
            abbreviations.setdefault(abbr, expansion)

    tokenizer = LexicalIndex.empty(abbreviations)
    if carried is not None and carried.lexical.abbreviations != tokenizer.abbreviations:
        carried = None  # the same passages would give other tokens: all are tokenized again
    if carried is not None:
        tokenizer.vocab = dict(carried.lexical.vocab)  # grows only: the kept rows' term ids stay valid

    parts: list[Rows] = []
    ids: list[str] = []
    ref_keys: dict[int, list[str]] = {}
    docs: dict[str, DocRecord] = {}
    registry: dict[str, list[Passage]] = {}
    for doc_id in sorted(defines):
        start = len(ids)
        if carried is not None and doc_id not in by_id:
            assert previous_registry is not None
            before = carried.docs[doc_id]
            parts.append(carried.lexical.rows.take(np.arange(before.start, before.end)))
            ids += carried.ids[before.start : before.end]
            ref_keys.update(
                (start + row - before.start, carried.ref_keys[row])
                for row in range(before.start, before.end)
                if row in carried.ref_keys
            )
            docs[doc_id] = replace(before, start=start, end=len(ids), abbreviations=defines[doc_id])
            registry[doc_id] = previous_registry.get(doc_id, [])
            continue
        if doc_id in by_id:
            f = by_id[doc_id]
            passages, cites = f.passages, f.cites
            docs[doc_id] = DocRecord(doc_id, f.doc_hash, f.path, start, start + len(passages), f.stat)
        else:
            passages = reread_kept().get(doc_id, [])
            cites = [bool(p.ref_keys) or _cites(p) for p in passages]
            doc_hash, path = stored.get(doc_id, ("", ""))
            stat = previous.docs[doc_id].stat if previous is not None and doc_id in previous.docs else None
            docs[doc_id] = DocRecord(doc_id, doc_hash, path, start, start + len(passages), stat)
        docs[doc_id].abbreviations = defines[doc_id]
        parts.append(tokenizer.tokenize([passage_text(p) for p in passages]))
        ids += [p.chunk_id for p in passages]
        ref_keys.update((start + i, list(p.ref_keys)) for i, p in enumerate(passages) if p.ref_keys)
        registry[doc_id] = registry_subset(passages, cites)
    lexical = LexicalIndex(tokenizer.vocab, Rows.concat(parts), abbreviations)
    return Derived(lexical, ids, ref_keys, docs), registry


def _cites(p: Passage) -> bool:
    return bool(parse_citations(p.text))
