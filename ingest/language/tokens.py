"""Tokens for BM25: folded syllables, accented syllables, word pairs, abbreviations.

Vietnamese words are mostly two syllables ("dân chủ"), so word pairs stand in
for a word segmenter, which was slower and no better on the eval sets.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.language.normalize import WORD, fold, fold_word, inside_spans, normalize_text, same_iy

# Words that shape a question but carry no topic ("… là gì?", "bao nhiêu",
# "ai là tác giả", "làm sao để … hơn?"), removed from questions before lexical
# matching. Folded.
_QUESTION_PHRASES = re.compile(
    r"\b(?:la gi|la ai|ai la|tac gia|bai viet|bai bao|cho biet|cho hoi|nhu the nao|the nao|"
    r"bao nhieu|bao lau|bao gio|khi nao|o dau|tai sao|vi sao|ra sao|lam sao(?: de)?|lam the nao de|yeu cau gi|quy dinh gi|"
    r"noi dung gi|van de gi|ngay nao|nam nao|hien nay|(?:hay|phai) khong|khong(?= $)|hon(?= $)|nao|gi|ai|a|nhe|vay)\b"
)
# "mấy" ("how many"): removed as typed with its accent, or without any ("may" in
# a question typed without accents); "máy" (a machine) stays.
_HOW_MANY = {"mấy", "may"}


Abbreviations = dict[tuple[str, ...], str]  # folded expansion words -> folded abbreviation

# Abbreviations of plain phrases, read as their words rather than as one token
# (unlike `lexical.CURATED_ABBREVIATIONS`): the texts say "nông thôn mới" and
# "cán bộ, công chức" as words that also stand apart ("nông thôn", "công chức"),
# and a token would hide them from those questions. None is a Vietnamese syllable,
# so a question may type them in lower case.
WRITTEN_OUT = {
    "NTM": "nông thôn mới",
    "CBCCVC": "cán bộ, công chức, viên chức",
    "CBCC": "cán bộ, công chức",
    "CCVC": "công chức, viên chức",
    "KTXH": "kinh tế - xã hội",
    "KT-XH": "kinh tế - xã hội",
    "CTXH": "chính trị - xã hội",
    "CT-XH": "chính trị - xã hội",
    "HTCT": "hệ thống chính trị",
    "CTDV": "công tác dân vận",
    "DVK": "dân vận khéo",
    "GPMB": "giải phóng mặt bằng",
    "CCHC": "cải cách hành chính",
    "TTHC": "thủ tục hành chính",
    "ANTT": "an ninh trật tự",
    "ĐBQH": "đại biểu quốc hội",
}
_BY_FOLD = {fold(k).upper(): v for k, v in WRITTEN_OUT.items()}  # "dbqh" typed without its Đ too
_WRITTEN_OUT = re.compile(
    r"(?<![\w-])(" + "|".join(sorted({*WRITTEN_OUT, *_BY_FOLD}, key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE,
)


def written_out(text: str, question: bool = False) -> str:
    """The text with `WRITTEN_OUT` abbreviations replaced by their words; in a text only
    as written in capitals, in a question as typed."""

    def words(m: re.Match[str]) -> str:
        typed = m[0]
        return _BY_FOLD[fold(typed).upper()] if question or typed.isupper() else typed

    return _WRITTEN_OUT.sub(words, text)


def lexical_tokens(text: str, *, question: bool = False, abbreviations: Abbreviations | None = None) -> list[str]:
    """Tokens for lexical matching: folded syllables, accented syllables, folded bigrams.

    Folded syllables let "nghi quyet" find "nghị quyết"; accented ones (marked
    "~") make a question typed with accents prefer exact accents; bigrams
    stand in for two-syllable words, keeping "dân chủ" apart from "chủ" and
    "dân" scattered in a passage. With `abbreviations`, an expansion ("quy chế
    dân chủ") and its abbreviation ("QCDC", or "qcdc" typed in a question)
    become one token "#qcdc".
    """
    raw = WORD.findall(written_out(normalize_text(text), question))
    pairs = [(fold_word(w), w.lower(), w) for w in raw]
    runs = [pairs]
    if question:
        runs = _without_question_words(pairs)
    runs = [[(same_iy(f), same_iy(a), w) for f, a, w in run] for run in runs]  # "qui" is "quy"
    if not abbreviations:
        return _run_tokens(runs)
    contracted = [_contract(run, abbreviations, question) for run in runs]
    tokens = [t for _, nested in contracted for t in nested] + _run_tokens([run for run, _ in contracted])
    if question:
        return tokens
    # A passage keeps the words an abbreviation stands for beside its token: "người lao động"
    # is "#nld" and still "lao động", which a question says without "người" (its asking word);
    # "UBND" as written gives "ủy ban nhân dân"'s words too. Each token once: the words outside
    # any abbreviation are already counted.
    spelled = _run_tokens([_spelled_out(run, abbreviations) for run in runs])
    return tokens + list((Counter(spelled) - Counter(tokens)).elements())


def _run_tokens(runs: list[list[tuple[str, str, str]]]) -> list[str]:
    """Folded syllables, accented ones, then folded pairs within each run."""
    tokens: list[str] = []
    for run in runs:
        tokens += [f for f, _, _ in run]
    for run in runs:
        tokens += ["~" + a for f, a, _ in run if a != f and f[0] != "#"]
    for run in runs:  # a pair never bridges a removed "bao nhiêu": "có mấy người" gives no "có_người"
        folded = [f for f, _, _ in run]
        tokens += [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
    return tokens


def _spelled_out(pairs: list[tuple[str, str, str]], abbreviations: Abbreviations) -> list[tuple[str, str, str]]:
    """The run with each abbreviation written in capitals replaced by its (folded) words."""
    if not any(written.isupper() for _, _, written in pairs):
        return pairs  # most sentences write none; the reverse map is built only for those that do
    expansions = {abbr: words for words, abbr in abbreviations.items()}
    out: list[tuple[str, str, str]] = []
    for folded, accented, written in pairs:
        words = expansions.get(folded) if written.isupper() and len(written) >= 2 else None
        out += [(w, w, w) for w in words] if words else [(folded, accented, written)]
    return out


def _without_question_words(pairs: list[tuple[str, str, str]]) -> list[list[tuple[str, str, str]]]:
    """The runs of words left between the question's phrasing ("là gì", "bao lâu", "mấy")."""
    removed = inside_spans([f for f, _, _ in pairs], lambda line: (m.span() for m in _QUESTION_PHRASES.finditer(line)))
    runs: list[list[tuple[str, str, str]]] = [[]]
    for pair, gone in zip(pairs, removed):
        if gone or (pair[1] in _HOW_MANY and pair[1] == pair[2].lower()):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(pair)
    return [run for run in runs if run]


def _contract(
    pairs: list[tuple[str, str, str]], abbreviations: Abbreviations, question: bool
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The run with abbreviations and their expansions as one token each (longest first),
    and the abbreviations nested in those: "Ủy ban Mặt trận Tổ quốc" is "#ubmttq" and
    also "#mttq", so that a question about the MTTQ finds its committees."""
    known = set(abbreviations.values())
    longest = max((len(k) for k in abbreviations), default=0)
    firsts = {k[0] for k in abbreviations}  # most words start no expansion: skip their lookups
    run = [f for f, _, _ in pairs]
    out: list[tuple[str, str, str]] = []
    nested: list[str] = []
    i = 0
    while i < len(pairs):
        folded, _, written = pairs[i]
        # An abbreviation as written: upper case in text; in a question also
        # lower case when it is long enough not to be a syllable ("qcdc", not "tu").
        if folded in known and (written.isupper() or (question and len(folded) >= 3)) and len(written) >= 2:
            out.append(("#" + folded, "#" + folded, written))
            # its expansion, looked up only here: rebuilding the reverse map on every call
            # would cost each passage and each quoted sentence, most of which write none
            expansion = next((words for words, abbr in abbreviations.items() if abbr == folded), ())
            nested += _inside(expansion, abbreviations)
            i += 1
            continue
        for n in range(min(longest, len(pairs) - i) if folded in firsts else 0, 1, -1):
            words = tuple(run[i : i + n])
            abbr = abbreviations.get(words)
            if abbr:
                out.append(("#" + abbr, "#" + abbr, abbr))
                nested += _inside(words, abbreviations)
                i += n
                break
        else:
            out.append(pairs[i])
            i += 1
    return out, nested


def _inside(words: tuple[str, ...], abbreviations: Abbreviations) -> list[str]:
    """The abbreviations whose expansion is a shorter run inside these words."""
    return [
        "#" + abbreviations[words[i : i + n]]
        for n in range(len(words) - 1, 1, -1)
        for i in range(len(words) - n + 1)
        if words[i : i + n] in abbreviations
    ]
