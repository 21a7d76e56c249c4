"""`make eval`: retrieval and answer quality on the project's eval set, every mode in one run.

Questions: tests/data/qa_public.jsonl (the shared public set) and
tests/data/qa_own.jsonl (written for this project). Prints one table and
writes it, with the command and the machine, into BENCHMARKS.md between the
eval markers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cadre_eval  # noqa: E402  (tests/ is the script's folder)
import outline_eval  # noqa: E402
import people_eval  # noqa: E402

from bot.render.text import answer_text  # noqa: E402
from bot.settings import get_settings  # noqa: E402
from ingest import ingest, normalize_text  # noqa: E402

DATA = ROOT / "tests" / "data"
MODES = ("lexical", "dense", "hybrid")
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
K = 10


SETS = {
    "seed articles, public": "qa_public.jsonl",
    "seed articles, own": "qa_own.jsonl",
    "law, public": "qa_law_public.jsonl",
    "law, own": "qa_law_own.jsonl",
    "law, public 2 (others' questions and near misses)": "qa_law_public2.jsonl",
}
# Everything is asked of one index holding the corpus and the real documents
# beside the checkout, as a unit's library would hold them (cached: re-ingesting
# only what changed).
SHARED_DOCUMENTS = ROOT.parent / "shared" / "documents"
MIXED_INDEX = ROOT / "data" / "eval" / "mixed"


def load_questions(name: str) -> list[dict]:
    return [json.loads(l) for l in (DATA / name).read_text(encoding="utf-8").splitlines() if l.strip()]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def evaluate(service, questions: list[dict], mode: str, full: bool = False) -> dict[str, float]:
    """Figures for one set; `full`: asked of the full library (corpus and ../shared/documents),
    where a question the seed articles cannot answer may be answerable (`found_full`)."""
    hits1 = hits3 = rr = ranked = facts_ok = facts_n = dir_ok = dir_n = 0
    neg_ok = neg_n = false_abstain = 0
    latencies = []
    for case in questions:
        answer = service.ask(case["q"], k=K, mode=mode)
        latencies.append(answer.timings_ms["total"])
        if not (case.get("found_full", case["found"]) if full else case["found"]):
            neg_n += 1
            neg_ok += not answer.found
            continue
        false_abstain += not answer.found
        if case["phrase"]:
            ranked += 1
            phrase = normalize_text(case["phrase"])
            shown = people_eval.ranked_sources(answer)
            rank = next((i for i, s in enumerate(shown, 1) if phrase in normalize_text(s.text)), None)
            hits1 += rank == 1
            hits3 += rank is not None and rank <= 3
            rr += 1 / rank if rank else 0
        if case["facts"]:
            facts_n += 1
            text = normalize_text(answer_text(answer) + "\n" + "\n".join(s.facts.author or "" for s in answer.sources))
            facts_ok += all(normalize_text(f) in text for f in case["facts"])
        if case.get("directives"):
            dir_n += 1
            resolved = {d.ref for d in answer.directives if d.in_corpus}
            dir_ok += set(case["directives"]) <= resolved
    return {
        "Hit@1": hits1 / ranked,
        "Hit@3": hits3 / ranked,
        "MRR": rr / ranked,
        "facts": facts_ok / facts_n,
        "directives": dir_ok / dir_n if dir_n else 1.0,
        "abstention": neg_ok / neg_n if neg_n else 1.0,
        "false_abstentions": false_abstain,
        "p50_ms": pct(latencies, 0.5),
        "p95_ms": pct(latencies, 0.95),
    }


def table(results: dict[tuple[str, str], dict[str, float]]) -> str:
    lines = [
        "| set | mode | Hit@1 | Hit@3 | MRR | facts in answer | directives resolved | negatives abstained | false abstentions | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (name, mode), r in results.items():
        lines.append(
            f"| {name} | {mode} | {r['Hit@1']:.2f} | {r['Hit@3']:.2f} | {r['MRR']:.2f} | {r['facts']:.2f} | {r['directives']:.2f} "
            f"| {r['abstention']:.2f} | {r['false_abstentions']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |"
        )
    return "\n".join(lines)


def evaluate_alqac(settings, weights) -> tuple[dict[str, dict[str, float]], dict[float, dict[str, float]], int]:
    """The product's retrieval on ALQAC 2023, by mode and by dense weight, with the bm25s baseline."""
    import alqac

    from bot.answering.service import QAService

    folder, ids = alqac.write_corpus()
    settings = settings.model_copy(update={"chroma_path": alqac.WORK / "index", "corpus_dir": folder})
    report = ingest(settings, progress=True)
    print(f"ALQAC index: {report.summary()}", flush=True)
    service = QAService(settings)
    cases = alqac.cases()

    def run(mode: str) -> tuple[dict[str, float], int]:
        ranks, abstained = [], 0
        for case in cases:
            retrieval = service.retriever.retrieve(case.text, 30, None, mode)
            abstained += not retrieval.found
            ranks.append(alqac.article_ranks([p.doc_id for p in retrieval.passages], ids, case.gold))
        return alqac.metrics(ranks), abstained

    results = {}
    for mode in MODES:
        results[mode], abstained = run(mode)
        results[mode]["abstained"] = abstained
    # The ranking alone, every article a candidate: what the relevance decision costs on
    # questions a plain ranker never declines.
    service.retriever.settings = settings.model_copy(update={"min_coverage": 0.0})
    ranking, declined = run("hybrid")
    results["hybrid, ranking only"] = ranking | {"abstained": declined}
    service.retriever.settings = settings
    results["bm25s baseline"] = alqac.bm25s_baseline() | {"abstained": 0}
    sweep = {}
    for w in weights:
        service.retriever.settings = settings.model_copy(update={"retrieval_dense_weight": w})
        sweep[w], _ = run("hybrid")
    return results, sweep, len(cases)


def main() -> None:
    from benchmark import machine, write_section

    from bot.answering.retrieval import dense_weight
    from bot.answering.service import QAService

    sets = {name: load_questions(file) for name, file in SETS.items() if (DATA / file).exists()}
    results: dict[tuple[str, str], dict[str, float]] = {}
    sweeps: dict[str, dict[float, dict[str, float]]] = {}
    if True:
        settings = get_settings().model_copy(update={"chroma_path": MIXED_INDEX})
        shared = [SHARED_DOCUMENTS / "law", SHARED_DOCUMENTS / "other"]
        report = ingest(settings, [p for p in shared if p.exists()], progress=True)
        print(f"eval index: {report.summary()}", flush=True)
        service = QAService(settings)
        for case in sets[next(iter(sets))][:5]:  # warm-up: first calls pay for lazy initialisation
            service.ask(case["q"])
        modes = MODES + (("hybrid+rerank",) if settings.reranker_model else ())
        for name, questions in sets.items():
            for mode in modes:
                results[(name, mode)] = evaluate(service, questions, mode, full=True)
            sweeps[name] = {}
            for w in WEIGHTS:
                service.retriever.settings = settings.model_copy(update={"retrieval_dense_weight": w})
                sweeps[name][w] = evaluate(service, questions, "hybrid", full=True)
            service.retriever.settings = settings
        cadre = cadre_eval.evaluate(service, cadre_eval.load())
        people = {
            name: people_eval.evaluate(service, people_eval.load(file)) for name, file in people_eval.SETS.items()
        }
        outline_rows, outline_problems = outline_eval.evaluate(service)
    text = table(results)
    outline_text = "\n".join(
        [
            f"Lecture outlines (`tests/outline_eval.py`, same index, {outline_eval.QUIZ} questions asked, "
            f"build time over {outline_eval.RUNS} runs):",
            "",
            *outline_rows,
            "",
            "Problems: " + ("; ".join(outline_problems) if outline_problems else "none") + ".",
        ]
    )
    checks = ", ".join(f"{c} {ok}/{n}" for c, (ok, n) in cadre["checks"].items() if n)
    cadre_text = (
        f"Cadre-style questions (`tests/data/qa_cadre_own.jsonl`, same index): {cadre['passed']} of "
        f"{cadre['cases']} pass every check ({cadre['passed'] / cadre['cases']:.0%}); by check: {checks}. "
        f"Failing: {'; '.join(cadre['failed']) or 'none'}."
    )
    people_text = "\n".join(
        [
            *people_eval.HEADER,
            *[people_eval.row(name, f) for name, f in people.items()],
            "",
            "Wrong first lines: "
            + ("; ".join(f"{name}: {', '.join(f.wrong)}" for name, f in people.items() if f.wrong) or "none")
            + ".",
        ]
    )
    sweep_rows = ["| set | dense weight | Hit@1 | Hit@3 | MRR |", "|---|---|---|---|---|"]
    for name, sweep in sweeps.items():
        sweep_rows += [
            f"| {name} | {w} | {r['Hit@1']:.2f} | {r['Hit@3']:.2f} | {r['MRR']:.2f} |" for w, r in sweep.items()
        ]
    alqac_text = "ALQAC 2023 was not found beside the checkout (`../shared/alqac/`); not run."
    import alqac

    if alqac.available():
        peer, peer_sweep, n = evaluate_alqac(get_settings(), WEIGHTS)
        alqac_text = "\n".join(
            [
                f"ALQAC 2023: {n} questions, 2,249 articles of 17 laws, ranked by article (top 10).",
                "",
                "| retrieval | Hit@1 | Hit@3 | Hit@10 | MRR@10 | abstained |",
                "|---|---|---|---|---|---|",
                *[
                    f"| {mode} | {r['Hit@1']:.2f} | {r['Hit@3']:.2f} | {r['Hit@10']:.2f} | {r['MRR@10']:.3f} | {r['abstained']} |"
                    for mode, r in peer.items()
                ],
                "",
                "| ALQAC, dense weight | Hit@1 | Hit@3 | Hit@10 | MRR@10 |",
                "|---|---|---|---|---|",
                *[
                    f"| {w} | {r['Hit@1']:.2f} | {r['Hit@3']:.2f} | {r['Hit@10']:.2f} | {r['MRR@10']:.3f} |"
                    for w, r in peer_sweep.items()
                ],
            ]
        )
    sweep_text = "\n".join(sweep_rows)
    print(text, cadre_text, people_text, outline_text, sweep_text, alqac_text, sep="\n\n")
    counts = ", ".join(
        f"{name}: {len(q)} questions ({sum(not c['found'] for c in q)} negatives)" for name, q in sets.items()
    )
    write_section(
        "eval",
        f"""## Retrieval and answer quality (`make eval`)

Run by `make eval` (`tests/evaluate.py`) on {machine()}.
Model: `{service.embedder.identity}`; hybrid weight of the dense signal: {dense_weight(settings)};
{counts}; top {K} sources per question.
Hit@k and MRR: the expected phrase in the k-th source or better. Facts: every expected fact in the
answer text. Negatives: questions the corpus cannot answer, which must get `found: false`.
Modes rank by one signal or both; lexical and hybrid decide relevance by lexical coverage,
dense alone has no such notion (it never abstains unless a named directive is unknown).

{text}

{cadre_text}
A case passes when every expectation it states holds: the answer found or not (small talk: a reply,
`found: null`), the expected passage among the first three sources cited, the expected short answer,
every list item, the expected note (a follow-up read in context, a spelling offered, no full text).

Questions in people's words (`tests/people_eval.py`, same index): the own cadre set, the public cadre
set of `../shared/eval/`, and 264 questions written by someone who never read the code, split before
any change into a development part (tuned on) and a held-out part (only measured), and the 44
"verdicts" questions (yes-no, yes-no against a figure the question gives, either-or, lists) written the
same way and split alike. A first line is wrong when it lacks a word the case expects (for a yes-no,
when it does not open with the verdict expected), or is given at all to a question the library cannot
answer; agreement: the same first passage and first line when the question is typed without accents,
with the usual abbreviations, or with two letters swapped.

{people_text}

{outline_text}

Hybrid ranking by the weight of the dense signal (the rest is BM25), same questions:

{sweep_text}

{alqac_text}
""",
    )


if __name__ == "__main__":
    main()
