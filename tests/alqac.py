"""ALQAC 2023 (`../shared/alqac/`) as a peer benchmark for `make eval`.

The 2,249 articles are read in place and written as one text file each under
`data/eval/alqac/` (ignored by git: never committed), then ingested by the
product's own pipeline into an index kept there, so that a second run embeds
nothing. Questions: the 100 of train.json, each with one gold article; a
multiple-choice question is asked with its choices, as the dataset's notes
suggest. Ranking is by article: the passages returned are collapsed to
their articles, best first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ALQAC = ROOT.parent / "shared" / "alqac"
WORK = ROOT / "data" / "eval" / "alqac"


@dataclass(frozen=True)
class Case:
    text: str
    gold: str  # "law@article"


def available() -> bool:
    return (ALQAC / "all_articles_2023.json").is_file()


def articles() -> dict[str, str]:
    return json.loads((ALQAC / "all_articles_2023.json").read_text(encoding="utf-8"))


def cases() -> list[Case]:
    rows = json.loads((ALQAC / "train.json").read_text(encoding="utf-8"))
    out = []
    for row in rows:
        text = row["text"]
        if row.get("choices"):
            text += "\n" + "\n".join(f"{k}. {v}" for k, v in row["choices"].items())
        gold = row["relevant_articles"][0]
        out.append(Case(text, f"{gold['law_id']}@{gold['article_id']}"))
    return out


def file_id(i: int) -> str:
    return f"alqac-{i:04d}"


def write_corpus() -> tuple[Path, dict[str, str]]:
    """The articles as text files (first line: law and article, then the text); doc id -> key."""
    folder = WORK / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    ids = {}
    for i, (key, text) in enumerate(sorted(articles().items())):
        law, number = key.rsplit("@", 1)
        title, _, body = text.partition("\n\n")
        content = f"{law} — Điều {number}. {title}\n\n{body}\n"
        path = folder / f"{file_id(i)}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
        ids[file_id(i)] = key
    return folder, ids


def article_ranks(doc_ids: list[str], ids: dict[str, str], gold: str, k: int = 10) -> int | None:
    """1-based rank of the gold article among the distinct articles of a result list (top k)."""
    seen: list[str] = []
    for doc_id in doc_ids:
        key = ids.get(doc_id)
        if key and key not in seen:
            seen.append(key)
    top = seen[:k]
    return top.index(gold) + 1 if gold in top else None


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "Hit@1": sum(r == 1 for r in ranks if r) / n,
        "Hit@3": sum(r <= 3 for r in ranks if r) / n,
        "Hit@10": sum(r <= 10 for r in ranks if r) / n,
        "MRR@10": sum(1 / r for r in ranks if r) / n,
    }


def bm25s_baseline(k: int = 10) -> dict[str, float]:
    """Plain bm25s over the whole articles, lower-cased words: the bar to beat."""
    import bm25s

    corpus = articles()
    keys = sorted(corpus)
    texts = [corpus[key] for key in keys]
    tokenize = lambda s: re.findall(r"\w+", s.lower())  # noqa: E731
    retriever = bm25s.BM25()
    retriever.index([tokenize(t) for t in texts], show_progress=False)
    ranks = []
    for case in cases():
        scores = retriever.get_scores(tokenize(case.text))
        top = [keys[i] for i in np.argsort(-scores)[:k]]
        ranks.append(top.index(case.gold) + 1 if case.gold in top else None)
    return metrics(ranks)
