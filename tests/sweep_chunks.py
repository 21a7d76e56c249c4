"""The size of legal passages, chosen by measurement: the law sets at several
`ARTICLE_MAX_CHARS`, each on its own index of the full library (corpus and
../shared/documents). Slow (one full embedding per size); its table is kept
in BENCHMARKS.md ("The legal base"). Run: .venv/bin/python tests/sweep_chunks.py 800 1500 3000
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import evaluate as E  # noqa: E402

import ingest.chunking as chunking  # noqa: E402
from bot.answering.service import QAService  # noqa: E402
from bot.settings import get_settings  # noqa: E402
from ingest import ingest  # noqa: E402


def main(sizes: list[int]) -> None:
    rows = ["| passage size (chars) | passages | set | Hit@1 | Hit@3 | MRR | facts |", "|---|---|---|---|---|---|---|"]
    for size in sizes:
        chunking.ARTICLE_MAX_CHARS = size
        settings = get_settings().model_copy(update={"chroma_path": ROOT / "data" / "eval" / f"sweep-{size}"})
        report = ingest(settings, [E.SHARED_DOCUMENTS / "law", E.SHARED_DOCUMENTS / "other"])
        service = QAService(settings)
        for name in ("law, public", "law, own"):
            r = E.evaluate(service, E.load_questions(E.SETS[name]), "hybrid", full=True)
            rows.append(
                f"| {size} | {report.chunks_total} | {name} | {r['Hit@1']:.2f} | {r['Hit@3']:.2f} | {r['MRR']:.2f} | {r['facts']:.2f} |"
            )
            print(rows[-1], flush=True)
    print("\n".join(rows))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [800, 1500, 3000])
