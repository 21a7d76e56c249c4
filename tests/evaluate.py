"""`make eval`: retrieval and answer quality on the project's eval set, every mode in one run.

Questions: tests/data/qa_public.jsonl (the shared public set) and
tests/data/qa_own.jsonl (written for this project). Prints one table and
writes it, with the command and the machine, into BENCHMARKS.md between the
eval markers.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import get_settings  # noqa: E402
from ingest import ingest, normalize_text  # noqa: E402

DATA = ROOT / "tests" / "data"
MODES = ("lexical", "dense", "hybrid")
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
K = 10


def load_questions() -> list[dict]:
    rows = []
    for name in ("qa_public.jsonl", "qa_own.jsonl"):
        rows += [json.loads(l) for l in (DATA / name).read_text(encoding="utf-8").splitlines() if l.strip()]
    return rows


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def evaluate(service, questions: list[dict], mode: str) -> dict[str, float]:
    hits1 = hits3 = rr = ranked = facts_ok = facts_n = dir_ok = dir_n = 0
    neg_ok = neg_n = false_abstain = 0
    latencies = []
    for case in questions:
        answer = service.ask(case["q"], k=K, mode=mode)
        latencies.append(answer.timings_ms["total"])
        if not case["found"]:
            neg_n += 1
            neg_ok += not answer.found
            continue
        false_abstain += not answer.found
        if case["phrase"]:
            ranked += 1
            phrase = normalize_text(case["phrase"])
            rank = next((i for i, s in enumerate(answer.sources, 1) if phrase in normalize_text(s.text)), None)
            hits1 += rank == 1
            hits3 += rank is not None and rank <= 3
            rr += 1 / rank if rank else 0
        if case["facts"]:
            facts_n += 1
            text = normalize_text(answer.answer + "\n" + "\n".join(s.facts.author or "" for s in answer.sources))
            facts_ok += all(normalize_text(f) in text for f in case["facts"])
        if case["directives"]:
            dir_n += 1
            resolved = {d["ref"] for d in answer.directives if d["in_corpus"]}
            dir_ok += set(case["directives"]) <= resolved
    return {
        "Hit@1": hits1 / ranked, "Hit@3": hits3 / ranked, "MRR": rr / ranked,
        "facts": facts_ok / facts_n, "directives": dir_ok / dir_n if dir_n else 1.0,
        "abstention": neg_ok / neg_n if neg_n else 1.0, "false_abstentions": false_abstain,
        "p50_ms": pct(latencies, 0.5), "p95_ms": pct(latencies, 0.95),
    }


def table(results: dict[str, dict[str, float]], n: int, negatives: int) -> str:
    lines = [
        "| mode | Hit@1 | Hit@3 | MRR | facts in answer | directives resolved | negatives abstained | false abstentions | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, r in results.items():
        lines.append(
            f"| {mode} | {r['Hit@1']:.2f} | {r['Hit@3']:.2f} | {r['MRR']:.2f} | {r['facts']:.2f} | {r['directives']:.2f} "
            f"| {r['abstention']:.2f} | {r['false_abstentions']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    from benchmark import machine, write_section

    from bot.retrieval import dense_weight
    from bot.service import QAService

    questions = load_questions()
    with tempfile.TemporaryDirectory() as tmp:
        settings = get_settings().model_copy(update={"chroma_path": Path(tmp) / "chroma"})
        ingest(settings)
        service = QAService(settings)
        for case in questions[:5]:  # warm-up: first calls pay for lazy initialisation
            service.ask(case["q"])
        modes = MODES + (("hybrid+rerank",) if settings.reranker_model else ())
        results = {mode: evaluate(service, questions, mode) for mode in modes}
        sweep = {}
        for w in WEIGHTS:
            service.retriever.settings = settings.model_copy(update={"retrieval_dense_weight": w})
            sweep[w] = evaluate(service, questions, "hybrid")
    negatives = sum(not q["found"] for q in questions)
    text = table(results, len(questions), negatives)
    sweep_text = "\n".join(
        ["| dense weight | Hit@1 | Hit@3 | MRR |", "|---|---|---|---|"]
        + [f"| {w} | {r['Hit@1']:.2f} | {r['Hit@3']:.2f} | {r['MRR']:.2f} |" for w, r in sweep.items()]
    )
    print(text, sweep_text, sep="\n\n")
    write_section(
        "eval",
        f"""## Retrieval and answer quality (`make eval`)

Run by `make eval` (`tests/evaluate.py`) on {machine()}.
Model: `{settings.embedding_model}`; hybrid weight of the dense signal: {dense_weight(settings)};
{len(questions)} questions ({len(questions) - negatives} answerable, {negatives} negatives) from
`tests/data/qa_public.jsonl` and `tests/data/qa_own.jsonl`; top {K} sources per question.
Hit@k and MRR: the expected phrase in the k-th source or better. Facts: every expected fact in the
answer text. Negatives: questions the corpus cannot answer, which must get `found: false`.
Modes rank by one signal or both; lexical and hybrid decide relevance by lexical coverage,
dense alone has no such notion (it never abstains unless a named directive is unknown).

{text}

Hybrid ranking by the weight of the dense signal (the rest is BM25), same questions:

{sweep_text}
""",
    )


if __name__ == "__main__":
    main()
