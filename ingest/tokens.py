"""Tokens for BM25: folded syllables, accented syllables, word pairs, abbreviations.

Vietnamese words are mostly two syllables ("dân chủ"), so word pairs stand in
for a word segmenter, which was slower and no better on the eval sets.
"""

from __future__ import annotations

import re

from ingest.normalize import WORD, fold, normalize_text

# Words that shape a question but carry no topic ("… là gì?", "bao nhiêu",
# "ai là tác giả"), removed from questions before lexical matching. Folded.
_QUESTION_PHRASES = re.compile(
    r"\b(?:la gi|la ai|ai la|tac gia|bai viet|bai bao|cho biet|cho hoi|nhu the nao|the nao|"
    r"bao nhieu|bao gio|khi nao|o dau|tai sao|vi sao|ra sao|yeu cau gi|quy dinh gi|"
    r"noi dung gi|van de gi|ngay nao|nam nao|nao|gi|ai|a|nhe|vay)\b"
)


Abbreviations = dict[tuple[str, ...], str]  # folded expansion words -> folded abbreviation


def lexical_tokens(text: str, *, question: bool = False, abbreviations: Abbreviations | None = None) -> list[str]:
    """Tokens for lexical matching: folded syllables, accented syllables, folded bigrams.

    Folded syllables let "nghi quyet" find "nghị quyết"; accented ones (marked
    "~") make a question typed with accents prefer exact accents; bigrams
    stand in for two-syllable words, keeping "dân chủ" apart from "chủ" and
    "dân" scattered in a passage. With `abbreviations`, an expansion ("quy chế
    dân chủ") and its abbreviation ("QCDC", or "qcdc" typed in a question)
    become one token "#qcdc".
    """
    raw = WORD.findall(normalize_text(text))
    pairs = [(fold(w), w.lower(), w) for w in raw]
    if question:
        kept = _QUESTION_PHRASES.sub(" ", " ".join(f for f, _, _ in pairs)).split()
        remaining = iter(kept)
        want = next(remaining, None)
        chosen = []
        for pair in pairs:
            if pair[0] == want:
                chosen.append(pair)
                want = next(remaining, None)
        pairs = chosen
    if abbreviations:
        pairs = _contract(pairs, abbreviations, question)
    folded = [f for f, _, _ in pairs]
    tokens = folded + ["~" + a for f, a, _ in pairs if a != f and f[0] != "#"]
    tokens += [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
    return tokens


def _contract(
    pairs: list[tuple[str, str, str]], abbreviations: Abbreviations, question: bool
) -> list[tuple[str, str, str]]:
    known = set(abbreviations.values())
    longest = max((len(k) for k in abbreviations), default=0)
    out: list[tuple[str, str, str]] = []
    i = 0
    while i < len(pairs):
        folded, _, written = pairs[i]
        # An abbreviation as written: upper case in text; in a question also
        # lower case when it is long enough not to be a syllable ("qcdc", not "tu").
        if folded in known and (written.isupper() or (question and len(folded) >= 3)) and len(written) >= 2:
            out.append(("#" + folded, "#" + folded, written))
            i += 1
            continue
        for n in range(min(longest, len(pairs) - i), 1, -1):
            abbr = abbreviations.get(tuple(f for f, _, _ in pairs[i : i + n]))
            if abbr:
                out.append(("#" + abbr, "#" + abbr, abbr))
                i += n
                break
        else:
            out.append(pairs[i])
            i += 1
    return out
