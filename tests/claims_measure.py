"""Measurements behind bot.answering.claims, run by hand: `python tests/claims_measure.py [LIBRARY]`.

1. Every sentence of the library's paragraphs, copied with "[1]" under its own paragraph, must be
   kept: the count dropped is the check's false alarms on verbatim text.
2. The paraphrase share (PARAPHRASE_SHARE) of a copy, of a reworded copy (reordered, a fifth of
   its words dropped, two common words added) and of a sentence set under another document's
   paragraph, as percentiles.
"""

from __future__ import annotations

import collections
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answering.claims import PARAPHRASE_SHARE, _sentences, _words, paraphrase_share  # noqa: E402
from bot.answering.verification import verify  # noqa: E402

FILLER = ["tỉnh", "cán bộ", "nhân dân", "thực hiện", "quy định", "cơ sở", "công tác", "đảm bảo"]


def paragraphs(folders: list[Path]) -> list[tuple[str, str]]:
    return [
        (p.name, q)
        for folder in folders
        for p in sorted(folder.rglob("*.md"))
        for q in p.read_text(encoding="utf-8").split("---", 2)[-1].split("\n\n")
        if len(q) >= 80
    ]


def verbatim(paras: list[tuple[str, str]]) -> None:
    total, reasons = 0, collections.Counter[str]()
    for _, para in paras:
        for s in (s.strip() for s in _sentences(para)):
            if len(s) < 30 or "[" in s:
                continue
            total += 1
            kept, report = verify((s[:-1] if s[-1] in ".;:" else s) + " [1].", [para])
            if not kept:
                reasons[report.reasons[0][:140]] += 1
    print(f"verbatim copies: {total}, dropped {sum(reasons.values())}")
    for reason, n in reasons.most_common(10):
        print(f"  {n} × {reason}")


def shares(paras: list[tuple[str, str]]) -> None:
    rng = random.Random(7)
    picked = rng.sample([p for p in paras if len(p[1]) > 300], min(300, len(paras)))
    own, reworded, foreign = [], [], []
    for name, para in picked:
        sentences = [s for s in _sentences(para) if len(_words(s.lower())) >= 6]
        if not sentences:
            continue
        s = rng.choice(sentences)
        own.append(paraphrase_share(s, _sentences(para)))
        words = s.split()
        rng.shuffle(words)
        reworded.append(
            paraphrase_share(" ".join(words[: len(words) * 4 // 5] + rng.sample(FILLER, 2)), _sentences(para))
        )
        foreign.append(paraphrase_share(s, _sentences(rng.choice([q for n, q in picked if n != name]))))
    for label, xs in (("copy", own), ("reworded copy", reworded), ("other document", foreign)):
        xs.sort()
        pct = [xs[int(f * (len(xs) - 1))] for f in (0.05, 0.5, 0.95)]
        above = sum(x >= PARAPHRASE_SHARE for x in xs) / len(xs)
        print(
            f"{label:15s} n={len(xs)} p5={pct[0]:.2f} p50={pct[1]:.2f} p95={pct[2]:.2f} ≥{PARAPHRASE_SHARE}: {above:.0%}"
        )


if __name__ == "__main__":
    paras = paragraphs([ROOT / "corpus", *(Path(a) for a in sys.argv[1:])])
    verbatim(paras)
    shares(paras)
