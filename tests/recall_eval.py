"""Recall of the expected passage on the people-style dev questions (issue 31, item 4): not a test.

For each question the library should answer (`found: true`), is its `phrase` in one of the ten
passages retrieved (recall@10) and in one of the first three (Hit@3)? Overall and for the
paraphrased questions alone (`kind == "paraphrase"`), whose words are not the texts'. The
near-miss negatives (`found: false`) must stay declined: an expansion that makes one "found" is a
regression. Run against the eval index of the full library:

    .venv/bin/python tests/recall_eval.py [--index data/eval/mixed] [--set qa_people_dev.jsonl] [--misses] [--no-vocabulary]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.language.normalize import normalize_text  # noqa: E402


def _has(phrase: str, texts: list[str]) -> bool:
    n = " ".join(normalize_text(phrase).lower().split())
    return any(n in " ".join(normalize_text(t).lower().split()) for t in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="data/eval/mixed")
    parser.add_argument("--set", default="qa_people_dev.jsonl")
    parser.add_argument("--misses", action="store_true", help="list the questions whose passage is not in the ten")
    parser.add_argument(
        "--no-vocabulary", action="store_true", help="questions as typed: the figures before the vocabulary"
    )
    args = parser.parse_args()
    if "heldout" in args.set:
        sys.exit("the held-out set measures generalisation: not for tuning")

    from bot.answering.conversation import Conversation
    from bot.answering.service import QAService
    from bot.settings import get_settings

    if args.no_vocabulary:
        from ingest.language.vocabulary import Vocabulary

        Vocabulary.expand = lambda self, question: question  # type: ignore[method-assign]
    service = QAService(get_settings().model_copy(update={"chroma_path": ROOT / args.index, "top_k": 10}))
    cases = [json.loads(line) for line in (ROOT / "tests" / "data" / args.set).read_text().splitlines() if line]
    tally = {"all": [0, 0, 0], "paraphrase": [0, 0, 0]}  # questions, in the ten, in the first three
    negatives = [0, 0]  # asked, declined
    misses = []
    for case in cases:
        conversation = Conversation() if case.get("context") else None
        if case.get("context"):
            service.ask(case["context"], conversation=conversation)
        answer = service.ask(case["q"], conversation=conversation)
        if case["found"] is False:
            negatives[0] += 1
            negatives[1] += answer.found is not True
            if answer.found:
                misses.append(f"NEGATIVE FOUND {case['id']}: {case['q']}")
            continue
        if not case["found"] or not case.get("phrase"):
            continue
        texts = [s.text for s in (answer.retrieved or answer.sources)]
        ten, three = _has(case["phrase"], texts[:10]), _has(case["phrase"], texts[:3])
        for key in ("all", case["kind"]) if case["kind"] == "paraphrase" else ("all",):
            tally[key][0] += 1
            tally[key][1] += ten
            tally[key][2] += three
        if not ten:
            misses.append(f"miss {case['id']} ({case['kind']}): {case['q']}")
    for key, (n, ten, three) in tally.items():
        print(f"{key:11s} n={n:3d}  recall@10 {ten / max(n, 1):.3f} ({ten})  Hit@3 {three / max(n, 1):.3f} ({three})")
    print(f"negatives declined {negatives[1]}/{negatives[0]}")
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
