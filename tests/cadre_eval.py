"""The cadre-style question set (`tests/data/qa_cadre_own.jsonl`): how an answer is judged.

A case passes when every expectation it states holds:
- `found`: true (answered), false (nothing found) or null (small talk, the library listing);
- `phrase`: in one of the first three sources the answer cites;
- `short`: in the answer's first lines (`first_lines`: one, or one per clause of a compound question);
- `items`: every one in the answer's text (a whole list, the library listing);
- `note`: in the answer's notes or its "Có phải …?" suggestion.
A `session` is several turns asked in one conversation; its last turn carries the expectations.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.answering.conversation import Conversation
from bot.render.text import answer_text
from ingest.language.normalize import normalize_text

FILE = Path(__file__).parent / "data" / "qa_cadre_own.jsonl"
CHECKS = ("found", "phrase", "short", "items", "note")


def load() -> list[dict]:
    return [json.loads(line) for line in FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def as_list(value) -> list[str]:
    """`short` is one string in the own set, a list in the public sets."""
    return [value] if isinstance(value, str) else list(value or [])


# A yes-no's expected "có" / "không" is the verdict the first line opens with, not a word anywhere
# in it ("có" is in "Cơ quan, đơn vị có từ 07 …" whatever the verdict).
VERDICTS = {"có": "Có:", "không": "Không:"}


def says_short(short: list[str], first_lines) -> bool:
    """Whether the first lines (one per clause of a compound question) hold every expected word."""
    n = normalize_text
    if len(short) == 1 and short[0].strip().lower() in VERDICTS:
        return any(line.line.startswith(VERDICTS[short[0].strip().lower()]) for line in first_lines)
    said = " ".join(line.line for line in first_lines)
    return all(n(s) in n(said) for s in short)


def check(answer, expect: dict) -> dict[str, bool]:
    """Each check the case states → whether it held, for the answer to its (last) question."""
    n = normalize_text
    results: dict[str, bool] = {}
    if "found" in expect:
        results["found"] = answer.found is expect["found"]
    if expect.get("phrase"):
        results["phrase"] = any(n(expect["phrase"]) in n(s.text) for s in answer.sources[:3])
    if short := as_list(expect.get("short")):
        results["short"] = says_short(short, answer.first_lines)
    if expect.get("items"):
        text = n(answer_text(answer))
        results["items"] = all(n(item) in text for item in expect["items"])
    if expect.get("note"):
        results["note"] = n(expect["note"]) in n(" ".join(answer.notes) + " " + (answer.suggestion or ""))
    return results


def judge(service, case: dict) -> dict[str, bool]:
    """Each check the case states → whether it held. A `session` is asked turn by turn; a
    `context` (the public sets' follow-ups) is asked first in the same conversation."""
    turns = case.get("session") or ([{"q": case["context"]}, case] if case.get("context") else [case])
    conversation = Conversation() if len(turns) > 1 else None
    for turn in turns:
        answer = service.ask(turn["q"], conversation=conversation)
    return check(answer, turns[-1])


def evaluate(service, cases: list[dict]) -> dict[str, object]:
    """Pass rate, each check's rate, and the failing cases' ids."""
    passed, failed = 0, []
    by_check = {c: [0, 0] for c in CHECKS}
    for case in cases:
        results = judge(service, case)
        for check, ok in results.items():
            by_check[check][0] += ok
            by_check[check][1] += 1
        if all(results.values()):
            passed += 1
        else:
            failed.append(f"{case['id']} ({', '.join(c for c, ok in results.items() if not ok)})")
    return {"cases": len(cases), "passed": passed, "checks": by_check, "failed": failed}
