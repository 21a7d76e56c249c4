"""A question typed without accents (or partly), given back its accents from the library's
own writing: "ND 59 co hieu luc tu ngay nao" → "ND 59 có hiệu lực từ ngày nào", so that it is
embedded, matched and cut exactly as the same question typed with accents.

Each unaccented word takes the spelling the library writes it with, chosen among the
spellings folding to it by a bigram model of the library's passages (Viterbi over the
question): "co quan" → "cơ quan" but "co hieu luc" → "có hiệu lực". A word typed with accents,
a number, an abbreviation ("UBND") or a word the library never writes stays as typed.
Hand-written: no Vietnamese diacritic restorer is installed, and the vocabulary must be the
library's own (document names, its terms), not a general corpus's.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.index.chunk_store import ChunkIndex
from ingest.language.normalize import WORD, fold, normalize_text
from ingest.language.vocabulary import builtin_entries

# Spellings of one folded word tried, commonest first ("co": có, các? no: có, cơ, cô, cố, cỏ, cổ…)
MAX_SPELLINGS = 8
# A question is typed without accents when at most this share of its words carry a mark; one
# typed with accents is kept as typed, its plain words ("thu chi", "bao") included.
MARKED_AT_MOST = 0.2
# A word typed with accents is spelt otherwise only when its neighbours make the other form this
# much likelier (natural log): the marks typed are the user's own evidence. Measured on the dev
# sets' accented questions: at 12, 9 words changed, all typos ("quyết đinh", "bâu", "hôi nghị");
# at 10 also "bạn" → "ban", at 8 "muốn" → "mượn". On the held-out sets: 5 changed, all typos.
RESPELL_MARGIN = 12.0
# How people ask, which documents seldom write ("bao nhiêu", "mấy ngày", "bà con"): counted as if
# the library wrote each of them this many times, so that "bao nhieu" is not "báo nhiêu".
ASKING_WEIGHT = 20
# The vocabulary's phrases, how people type ("họp dân", "họp thôn"), counted this many times: once,
# "hop dan" opening a question was "hợp dân" (the texts write "hợp" far more often than "họp").
# Measured on the dev sets' 276 questions typed with accents, folded and restored: words right
# 95.15% (1) → 95.33% (5), 95.44% (10), 95.33% (20); whole questions 162 → 163, 166, 166. On
# the held-out sets' 165: 95.01% and 86 questions for 1 and 10 alike.
VOCABULARY_WEIGHT = 10
ASKING = (
    "bao nhiêu", "có bao nhiêu", "bao lâu", "bao giờ", "bao nhiêu lâu", "có mấy", "mấy người", "mấy ngày", "mấy năm",
    "mấy tháng", "mấy lần", "mấy thành viên", "mấy điểm", "mấy phần trăm", "gồm mấy", "tối đa mấy",
    "ít nhất mấy", "trong mấy", "ở đâu", "khi nào", "lúc nào", "ngày nào", "tháng nào", "năm nào",
    "nào", "những gì", "cái gì", "việc gì", "là gì", "làm gì", "về gì", "thế nào", "như thế nào",
    "ra sao", "vì sao", "tại sao", "làm sao", "thì sao", "có phải", "có không", "được không",
    "phải không", "hay không", "không", "có được", "ai là", "do ai", "những ai", "thì ai", "ai quyết",
    "ai ký", "ai chủ trì", "bà con", "anh em", "người dân", "cho hỏi", "xin hỏi", "cảm ơn", "còn",
    "thì phải", "mà", "nhé", "vậy", "đâu", "họp", "họp thôn", "cuộc họp", "có hiệu lực",
    # when, as people say it in a chat ("hom nay" is not "hòm này")
    "hôm nay", "hôm qua", "ngày mai", "năm nay", "tháng này", "tuần này", "bây giờ", "hiện nay",
    # how people name Hồ Chí Minh, which the texts write "Chủ tịch Hồ Chí Minh", "Người"
    "bác hồ", "bác hồ dạy", "bác hồ nói", "theo bác", "bác dạy", "lời bác", "bác nói", "bác căn dặn",
    # how a chat goes on, which the texts write otherwise: "thì can" is "thì cần", not "cán";
    # "trang đó" not "trang do"; "nhà tôi" not "nhà tới"; "mới được" not "mọi được"
    "cần bao nhiêu", "cần mấy", "cần những gì", "cần có", "thì cần", "có cần", "mới được", "thì mới",
    "mới thông qua", "mới đúng", "mới hợp lệ", "có đúng", "đúng không", "đúng quy định", "đúng luật",
    "thì", "thì có", "thế còn", "thế thì", "văn bản đó", "ban đó", "kế hoạch đó", "quy chế đó",
    "trang đó", "ngày đó", "mô hình đó", "việc đó", "ở đó", "nhà tôi", "thôn tôi", "xóm tôi", "cho tôi",
    "cho em hỏi", "cho mình hỏi", "cho tôi hỏi", "đồng chí", "đồng chí ơi", "đứng ra", "có còn", "ký ngày",
    "ai viết", "viết bằng", "lên xã", "lên phường", "ở xã", "ở phường", "đang làm", "mỗi năm", "mỗi tháng",
    "dán thông báo", "dán ở", "để đó", "ngày sau", "không ạ", "vậy ạ", "nào ạ", "gì ạ", "trường mầm non",
    "doanh nghiệp tư nhân", "tư nhân", "bị phạt", "phạt bao nhiêu", "phạt tiền",
)  # fmt: skip
# Words are neighbours within a stretch of words, spaces and commas ("xã, phường"), in the
# passages and the question alike
_STRETCH = re.compile(r"[^\W_]+(?:[ \t]*,?[ \t]+[^\W_]+)*")


@dataclass
class Spellings:
    """How the library writes its words: each written form (lower case) and each pair of
    neighbouring forms, counted; the forms of each folded word, commonest first; how many
    different words follow each form."""

    words: Counter[str] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    forms: dict[str, list[str]] = field(default_factory=dict)
    size: int = 0  # words in all
    followers: Counter[str] = field(default_factory=Counter)

    @classmethod
    def learn(cls, texts: Iterable[str]) -> Spellings:
        """From the passages, how people ask (`ASKING`) and the vocabulary's words on both sides
        (people's words are how people type: "lệ làng", "họp xóm", which the texts never write)."""
        words: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for text in itertools.chain(texts, ASKING * ASKING_WEIGHT, _vocabulary_phrases() * VOCABULARY_WEIGHT):
            for stretch in _STRETCH.findall(normalize_text(text).lower()):
                seq = WORD.findall(stretch)
                words.update(seq)
                pairs.update(zip(seq, seq[1:]))
        by_fold: dict[str, list[str]] = {}
        for form in words:
            if form.isalpha():
                by_fold.setdefault(fold(form), []).append(form)
        forms = {f: sorted(v, key=lambda w: -words[w])[:MAX_SPELLINGS] for f, v in by_fold.items()}
        followers = Counter(before for before, _ in pairs)
        return cls(words, pairs, forms, sum(words.values()), followers)

    def step(self, before: str | None, form: str) -> float:
        """log P(form | the word before), a bigram of the library's text smoothed towards the
        form's own frequency by Witten-Bell: a word the library follows with few others ("cơ"
        → quan, sở, chế) leaves little room for a pair it never writes, one followed by many
        ("có") leaves much. Measured on the dev sets' 365 questions typed with accents, folded
        and restored: words right 94.4% → 95.2% (Dirichlet smoothing, the best of 1 to 300),
        95.9% with the vocabulary learnt; whole questions right 61% → 67%."""
        alone = (self.words[form] + 0.5) / (self.size + 1.0)
        if before is None:
            return math.log(alone)
        weight = max(self.followers[before], 1)
        return math.log((self.pairs[(before, form)] + weight * alone) / (self.words[before] + weight))


def _vocabulary_phrases() -> list[str]:
    """Every phrase of the project's vocabulary, people's words and the texts' terms, each once
    (a trap's words too: they are how people say it; abbreviations stay as typed anyway)."""
    return [p.lstrip("!") for e in builtin_entries() for p in (*e.words, *e.terms)]


def _as_typed(typed: str, opening: bool = False) -> bool:
    """A word kept as typed: with a mark (typed with accents), a number, an abbreviation, a capital
    ("loại I"); one capital letter opening the question is a word ("O xã" is "Ở xã")."""
    capital = typed.isupper() and not (opening and len(typed) == 1)
    return not typed.isascii() or not typed.isalpha() or capital


def typed_with_accents(question: str) -> bool:
    """Whether more than `MARKED_AT_MOST` of the question's words carry a mark."""
    words = [w for w in WORD.findall(question) if w.isalpha()]
    return sum(not w.isascii() for w in words) > MARKED_AT_MOST * len(words)


def restore(question: str, spellings: Spellings) -> str:
    """The question with each unaccented word spelt as the library most likely writes it there;
    a question typed with accents as it is."""
    if typed_with_accents(question):
        return question
    out, at = [], 0
    for m in _STRETCH.finditer(question):
        opening = not question[: m.start()].strip()
        out.append(question[at : m.start()] + _restore_stretch(m[0], spellings, opening))
        at = m.end()
    return "".join(out) + question[at:]


def _restore_stretch(stretch: str, spellings: Spellings, opening: bool = False) -> str:
    matches = list(WORD.finditer(stretch))
    options: list[list[str]] = []
    for i, m in enumerate(matches):
        typed = m[0]
        forms = [] if _as_typed(typed, opening and i == 0) else spellings.forms.get(typed.lower(), [])
        options.append(forms or [typed.lower()])
    # Viterbi: best[j] = (score, path) of the best spelling sequence ending in options[i][j]
    best: list[tuple[float, list[str]]] = [(0.0, [])]
    previous: list[str | None] = [None]
    for forms in options:
        known = forms[0] in spellings.words
        row = []
        for form in forms:
            row.append(
                max(
                    (
                        score + (spellings.step(before, form) if known else 0.0),
                        path + [form],
                    )
                    for (score, path), before in zip(best, previous)
                )
            )
        best = row
        previous = [form if known else None for form in forms]
    chosen = max(best)[1]
    out, at = [], 0
    for m, form in zip(matches, chosen):
        typed = m[0]
        if len(form) == len(typed):  # each letter in the case it was typed in
            form = "".join(f.upper() if t.isupper() else f for t, f in zip(typed, form))
        else:
            form = typed
        out.append(stretch[at : m.start()] + form)
        at = m.end()
    return "".join(out) + stretch[at:]


_LEARNT: dict[str, Spellings] = {}  # the spellings of the generation last asked about
_LEARNING = threading.Lock()


def spellings_of(index: ChunkIndex) -> Spellings:
    """The spellings of an index generation's passages, learnt on the first question typed
    without accents (about a second for a thousand passages) and kept while it is active."""
    with _LEARNING:
        if index.generation not in _LEARNT:
            _LEARNT.clear()
            _LEARNT[index.generation] = Spellings.learn(p.text for p in index.all_passages())
        return _LEARNT[index.generation]


def unslipped(question: str, spellings: Spellings) -> str:
    """The question with two neighbouring letters typed the wrong way round put back ("ngihệp" →
    "nghiệp"), in a word of four letters or more that the library never writes, when exactly one
    such swap gives a word it writes. Only swaps: a letter dropped or added could as well be
    another word the library happens not to hold."""

    def fix(m: re.Match[str]) -> str:
        typed = m[0]
        word = typed.lower()
        if len(word) < 4 or not word.isalpha() or typed.isupper() or _known(word, spellings):
            return typed
        swaps = {typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :] for i in range(len(typed) - 1)}
        found = [w for w in swaps if _known(w.lower(), spellings)]  # a letter's case moves with it
        return found[0] if len(found) == 1 else typed

    return WORD.sub(fix, question)


def _known(word: str, spellings: Spellings) -> bool:
    """Whether the library writes the word, as typed or (typed without accents) in some spelling."""
    return spellings.words[word] > 0 or (word.isascii() and word in spellings.forms)


def restore_from(index: ChunkIndex, question: str) -> str:
    """The question spelt as the index's passages write it: a swapped pair of letters put back
    (`unslipped`), then its accents (`restore`) when it was typed without them."""
    spellings = spellings_of(index)
    question = unslipped(question, spellings)
    return respelt(question, spellings) if typed_with_accents(question) else restore(question, spellings)


def respelt(question: str, spellings: Spellings) -> str:
    """A question typed with accents, each word whose mark was set wrong or left out ("quyết
    đinh", "bâu", "hôi nghị") spelt as the library writes it there: the form of its folded letters
    that its neighbours make far likelier than the one typed (`RESPELL_MARGIN`); else as typed."""
    matches = list(WORD.finditer(question))
    words = [m[0].lower() for m in matches]
    out, at = [], 0
    for i, m in enumerate(matches):
        typed = m[0]
        form = typed
        if typed.isalpha() and not typed.isupper():  # an abbreviation or a number stays as typed
            lower = typed.lower()
            if forms := spellings.forms.get(fold(lower)):
                before = words[i - 1] if i else None
                after = words[i + 1] if i + 1 < len(words) else None

                def score(f: str, before: str | None = before, after: str | None = after) -> float:
                    known = after is not None and after in spellings.words
                    return spellings.step(before, f) + (spellings.step(f, after) if known and after else 0.0)

                best = max(forms, key=score)
                if len(best) == len(typed) and score(best) - score(lower) > RESPELL_MARGIN:
                    form = "".join(b.upper() if t.isupper() else b for t, b in zip(typed, best))
        out.append(question[at : m.start()] + form)
        at = m.end()
    return "".join(out) + question[at:]
