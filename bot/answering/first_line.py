"""The first line, given only when the sentence it is cut from says it.

A cadre reads the first line and acts on it, so a wrong one is worse than none. A span cut
by `short_answer.cut` becomes the first line only when its sentence, read with the heading
of its article or document, names the question's subject (`subject.names_subject`), names
the quantity asked ("nhiệm kỳ", "phụ cấp") with the figure in that role (not the day another
text stops applying), and gives money in đồng when money is asked.
Otherwise the answer has quotations and no first line; for a quantity asked by name that no
passage states, the answer says the library does not state it (`stated`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from bot import wording
from bot.answering import choices, levels, references, short_answer, thresholds
from bot.answering.answer import ShortAnswer, Source
from bot.answering.asks import Asks, names_measure, states_money
from bot.answering.spans import digits
from bot.answering.subject import decides, earlier_in_paragraph, names_subject
from ingest.index.lexical import LexicalIndex
from ingest.language.normalize import fold
from ingest.language.patterns import DATE_PHRASE, NUMBERED_NAME
from ingest.language.scope import fits, scope_of
from ingest.language.sentences import paragraph_spans, sentence_spans
from ingest.models import Passage

# An either-or is decided by the first of this many best sentences that says its subject.
CHOICE_CANDIDATES = 3
# Passages searched for a sentence that states the quantity asked, best first.
STATED_IN = 5
# Two sentences of different passages sharing this share of their words (figures aside) are one
# provision written for two cases ("Trong thời hạn 05 / 03 ngày làm việc, kể từ ngày nhận được
# phản ánh …" under "Bãi bỏ" and "Tạm ngừng"): when their figures differ, the question has not
# said which case it asks, and no first line is given. Measured on the people dev, cadre, law and
# seed sets: that pair shares 0.97; the other 16 disagreeing candidates share at most 0.59 (two
# pages telling one merger), most under 0.4 (a Ban's 05 members beside its Phó Trưởng ban's 02).
TWIN_SIMILARITY = 0.8
# A figure whose nearest words before it end or deny the quantity ("hết hiệu lực từ ngày …").
_ENDED = re.compile(r"\b(?:het|khong con|cham dut|bai bo|thay the)\b")


# What opens the list of members a count is made of, right after the figure ("05 thành viên gồm:")
_MEMBERS = re.compile(r"\s*,?\s*(?:bao gồm|gồm có|gồm)\b", re.IGNORECASE)


# Units of time, which a sentence names before its figure in passing ("kể từ ngày …")
_TIME_UNITS = {"ngay", "thang", "nam", "tuan", "quy", "gio", "phut", "lan", "ky"}


# Bounds a figure is given with (folded): a question for the latest day is not answered by a floor.
_UPPER = re.compile(r"\b(?:cham nhat|toi da|khong qua|nhieu nhat|khong vuot qua)\b")
_LOWER = re.compile(r"\b(?:it nhat|toi thieu|khong it hon|khong duoi)\b")


def _premise_unmet(question: str, cut: str) -> bool:
    """The question takes as given a figure of the unit the answer counts ("… 11 thành viên?")
    that the answer's figures are not: it asks of a case the rule does not have."""
    bare = re.sub(r"\s+tro (?:len|xuong)$", "", fold(cut))  # "từ 100 người trở lên" counts "người"
    unit = re.findall(r"\d+\s+([a-z]+(?: [a-z]+)?)", bare)  # folded: letters only
    if not unit:
        return False
    given = {int(m[1]) for m in re.finditer(rf"(\d+)\s+{re.escape(unit[-1])}\b", fold(question))}
    said = [int(n) for n in re.findall(r"\d+", cut)]
    if len(said) == 2 and re.search(r"\bden\b", fold(cut)):  # "từ 03 đến 09": every figure between
        said = list(range(said[0], said[1] + 1))
    return bool(given) and not given & set(said)


def _lead_time(sentence: str, cut: str) -> bool:
    """The figure says how early something is done: "… 02 ngày trước khi tổ chức cuộc họp"."""
    at = sentence.find(cut)
    return at >= 0 and fold(sentence[at + len(cut) :]).lstrip(" ,").startswith("truoc")


def _stage(text: str) -> str | None:
    """Whether a text speaks of what comes after an act ("sau khi được công nhận") or before one."""
    folded = fold(text)
    after, before = "sau khi" in folded, "truoc khi" in folded
    return "after" if after and not before else "before" if before and not after else None


def _bound(text: str) -> str | None:
    folded = fold(text)
    return "upper" if _UPPER.search(folded) else "lower" if _LOWER.search(folded) else None


@dataclass(frozen=True)
class Candidate:
    source: int  # index into the pool
    start: int  # where the sentence starts in the source's text
    sentence: str
    coverage: float


def sentence_at(text: str, at: int) -> tuple[int, str] | None:
    """The whole sentence a quoted clause belongs to (never past its paragraph), with its start."""
    for para in paragraph_spans(text):
        for span in sentence_spans(text, para) if para.start <= at < para.end else ():
            if span.start <= at < span.end:
                return span.start, " ".join(text[span.start : span.end].split())
    return None


def _in_role(asks: Asks, sentence: str, cut: str) -> bool:
    """The figure is said of the measure asked: written after it ("báo cáo … hàng quý, 06 tháng,
    năm, nhiệm kỳ" gives no term), not of another thing the measure owns ("thời gian còn lại của
    nhiệm kỳ là từ 06 tháng": "A của B là N" says N of A), not for an act that ends ("hết hiệu lực từ …")."""
    if not asks.measure:
        return True
    at = sentence.find(cut)
    before = fold(sentence[:at] if at >= 0 else sentence)
    if _ENDED.search(" ".join(before.split()[-6:])):
        return False
    # the words up to the figure's end: "trong thời hạn 03 tháng" names its measure in the cut
    words = re.findall(r"\w+", fold(sentence[: at + len(cut)]) if at >= 0 else before)
    measure = asks.measure.split()
    said = [i for i in range(len(words) - len(measure) + 1) if words[i : i + len(measure)] == measure]
    if not said:
        return asks.measure not in fold(sentence)  # named only after the figure: another figure's list
    return not (said[-1] > 0 and words[said[-1] - 1] == "cua")


def gated_cut(asks: Asks, sentence: str, source: Source, lexical: LexicalIndex) -> short_answer.Cut | None:
    """The span that answers, when the sentence says it of the subject and in the role asked."""
    cut = short_answer.cut(asks.text, sentence)
    if cut is None and asks.kind in ("which", "who"):
        # a body found beside the words as the text says them: "làm cùng cơ quan nào" is "phối hợp với"
        cut = short_answer.cut(asks.in_texts_words(), sentence)
    if cut is None or not cut.text:
        return None
    asked, said = levels.asked(asks.text), levels.of(sentence)
    if (asked and said and not asked & said) or not fits(scope_of(source), asks.scope):
        return None  # a figure of another level, a rule of another setting
    if asks.kind == "yesno":
        return cut if decides(asks, sentence, source, lexical) else None
    if not asks.figure:
        return cut if names_subject(asks, sentence, source, lexical, every_run=asks.kind == "where") else None
    if not (names_measure(asks, sentence) and states_money(asks, cut.text) and _in_role(asks, sentence, cut.text)):
        return None
    if _premise_unmet(asks.text, cut.text):
        return None  # "… phải bầu Ban Thanh tra 11 thành viên?": the rule says from 03 to 09
    asked_bound, given_bound = _bound(asks.text), _bound(cut.text)
    if given_bound == "upper" and _lead_time(sentence, cut.text) and re.search(r"\bcham nhat\b", fold(cut.text)):
        # "chậm nhất 10 ngày trước ngày họp" is at least 10 days before it: asked "chậm nhất" or "ít
        # nhất" before the meeting, it answers both
        given_bound = asked_bound
    if asked_bound and given_bound and asked_bound != given_bound:
        return None  # "chậm nhất bao nhiêu ngày" is not "ít nhất là 20 ngày"
    if _lead_time(sentence, cut.text) and "truoc" not in fold(asks.text):
        return None  # "ít nhất 02 ngày trước khi tổ chức cuộc họp" is how early, not how long
    asked_stage, said_stage = _stage(asks.text), _stage(earlier_in_paragraph(source, sentence) + " " + sentence)
    if asked_stage and said_stage and asked_stage != said_stage:
        return None  # the days a draft is posted "trước khi" the vote are not those "sau khi" it is recognised
    if _said_of_another_part(asks, sentence, cut.text, lexical):
        return None
    if _counts_another(asks, sentence, cut.text):
        return None
    # the members a count is made of are not what it counts: "thành lập Tổ phát phiếu … từ 03 đến 05
    # thành viên gồm: đại diện thôn, …, Ban công tác Mặt trận …" gives no size of that Ban
    at = sentence.find(cut.text)
    members = _MEMBERS.match(sentence, at + len(cut.text)) if at >= 0 else None
    counted = sentence[: members.end()] if members else sentence
    return cut if names_subject(asks, counted, source, lexical) else None


def _counts_another(asks: Asks, sentence: str, figure: str) -> bool:
    """The figure counts another noun of its unit, named after the subject and before the figure:
    "tổ chức cuộc họp Ban công tác Mặt trận … để quyết định danh sách chính thức những người ứng cử
    (ít nhất 01 người)" counts the candidates, not the Ban, asked "Ban … gồm bao nhiêu người?"."""
    at = sentence.find(figure)
    unit = re.search(r"\d+\s+([^\W\d]+(?: [^\W\d]+)?)\s*$", fold(figure))
    if at < 0 or unit is None or unit[1].split()[0] in _TIME_UNITS or not asks.subject:
        return False  # "kể từ ngày …" before "15 ngày" names no other thing of days
    noun = rf"\b{unit[1]}\b"
    if re.search(noun, re.sub(rf"\b(?:bao nhieu|may)\s+{unit[1]}\b", " ", fold(asks.text))):
        return False  # the question names that noun itself: "danh sách … người ứng cử có ít nhất mấy người"
    before = fold(sentence[:at])
    ends = []
    for run in asks.subject:  # a run as typed, else its opening words ("Ban công tác Mặt trận [gồm]")
        said = fold(run).split()
        found = next((f for n in range(len(said), 1, -1) if (f := _last_end(" ".join(said[:n]), before))), None)
        ends += [found] if found else []
    # the noun itself, not another figure of that unit ("từ 09 người trở lên thì … không quá 02 người")
    return bool(ends) and re.search(rf"(?<!\d\s){noun}", before[max(ends) :]) is not None


def _last_end(words: str, text: str) -> int | None:
    ends = [m.end() for m in re.finditer(rf"\b{re.escape(words)}\b", text)]
    return ends[-1] if ends else None


def _said_of_another_part(asks: Asks, sentence: str, figure: str, lexical: LexicalIndex) -> bool:
    """A sentence of parts, each with its figure ("niêm yết … ít nhất là 15 ngày; thông báo trên các
    phương tiện thông tin đại chúng: 3 số …"), gives the figure in a part that says less of the
    subject than another: the notice board's days are no answer for the radio. A part that names
    nothing of the subject goes on about the first part's ("Trưởng thôn do … bầu; nhiệm kỳ 05 năm"),
    and a part without a figure (a date, an article's number aside) is no rival."""
    at = sentence.find(figure)
    if at < 0 or ";" not in sentence or not asks.subject:
        return False
    spans, start = [], 0
    for m in re.finditer(r";\s", sentence):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    parts = [sentence[a:b] for a, b in spans]
    mine = max(i for i, (a, _) in enumerate(spans) if a <= at)  # the part the figure was cut from
    subject = " , ".join(asks.subject)

    def said(part: str) -> float:
        return lexical.text_coverage(subject, part, pairs=False, alternatives=asks.alternatives)

    own = said(parts[mine]) or said(parts[0] + " " + parts[mine])
    return any(
        said(p) > own and re.search(r"\d", DATE_PHRASE.sub(" ", NUMBERED_NAME.sub(" ", p)))
        for i, p in enumerate(parts)
        if i != mine
    )


def first_line(
    asks: Asks, candidates: Sequence[Candidate], pool: Sequence[Source], lexical: LexicalIndex
) -> ShortAnswer | None:
    """The answer in one line from the best candidate sentence that says it (pool indexes;
    renumbered by the caller). A "tác giả" question is answered by the stated author."""
    if asks.kind is None:
        return None
    if asks.kind == "author":
        top = pool[candidates[0].source] if candidates else pool[0]
        return ShortAnswer(top.facts.author, candidates[0].source) if top.facts.author and candidates else None
    ranked = sorted(candidates, key=lambda c: -c.coverage)
    if asks.choice and not asks.choice.figures:
        return _chosen(asks, ranked, pool, lexical)
    cuts = []
    for c in ranked[:1] if asks.kind == "yesno" else ranked:
        cut = gated_cut(asks, c.sentence, pool[c.source], lexical)
        if cut is not None:
            cuts.append((cut, c))
    if not cuts:
        return None
    # the best sentence's figure, unless another's fits the unit asked better ("mấy người" of
    # a Ban: "05 thành viên", not the "02 người" its Phó Trưởng ban may number)
    # then the sentence naming the subject as typed: "Đại hội quân nhân … 5 năm hai lần", not
    # "Hội đồng quân nhân mỗi tháng họp 1 lần" (ranked first, sharing "quân nhân")
    # and one given with the bound asked: "chậm nhất bao lâu" is "chậm nhất sau 3 ngày", not a bare
    # "định kỳ 7 ngày" of a sentence that says "chậm nhất" of something else
    asked = _bound(asks.text)
    cut, chosen = max(
        cuts,
        key=lambda c: (c[0].fit, bool(asked) and _bound(c[0].text) == asked, _names_as_typed(asks, c[1].sentence)),
    )
    if asks.figure and any(_twin(asks, chosen, other, cut.text, its.text, pool) for its, other in cuts):
        return None
    said = [levels.Figure(its.text, c.source, c.start, c.sentence) for its, c in cuts]
    if asks.figure and not levels.asked(asks.text) and levels.other(chosen.sentence, cut.text, said):
        # "Mức sinh hoạt phí bao nhiêu?": 460.000 đồng at the centre, 230.000 in a province: each
        # level's figure, when one passage gives them, else none of them
        line = levels.each(said)
        return ShortAnswer(*line) if line else None
    if asks.kind == "where" and len({fold(its.text) for its, _ in cuts}) > 1:
        return None  # "Niêm yết công khai ở đâu?": each text posts its own things somewhere else
    if asks.choice and choices.picks(asks.choice, cut.text, lexical) is None:
        return None  # an either-or is answered only by one of its options
    if asks.threshold:  # the question's own figure held against the rule's bound
        held = thresholds.verdict(asks.threshold, cut.text, chosen.sentence)
        if any(thresholds.verdict(asks.threshold, its.text, other.sentence) != held for its, other in cuts):
            return None  # every sentence answering the open question must give the same verdict
        grounds = wording.held_against(thresholds.stated(cut.text, chosen.sentence), thresholds.given(asks.threshold))
        return ShortAnswer(grounds, chosen.source, held) if held else None
    return ShortAnswer(cut.text, chosen.source, cut.verdict)


def _chosen(
    asks: Asks, ranked: Sequence[Candidate], pool: Sequence[Source], lexical: LexicalIndex
) -> ShortAnswer | None:
    """An either-or of names ("MTTQ xã hay UBND xã"): the option that the best sentence saying the
    subject names, and not the other, with that sentence as its grounds."""
    assert asks.choice is not None
    for c in ranked[:CHOICE_CANDIDATES]:
        source = pool[c.source]
        if not fits(scope_of(source), asks.scope) or not names_subject(asks, c.sentence, source, lexical):
            continue
        picked = choices.picks(asks.choice, c.sentence, lexical)
        return ShortAnswer(short_answer.clipped(c.sentence), c.source, picked) if picked else None
    return None


def _twin(asks: Asks, chosen: Candidate, other: Candidate, figure: str, its: str, pool: Sequence[Source]) -> bool:
    """One provision written for two cases, giving different figures (`TWIN_SIMILARITY`), and
    the question names the case of neither heading over the other's ("bãi bỏ", "tạm ngừng")."""
    if pool[chosen.source].chunk_id == pool[other.source].chunk_id or digits(figure) == digits(its):
        return False
    a, b = (_letter_words(c.sentence) for c in (chosen, other))
    if not (a and b) or len(a & b) / len(a | b) < TWIN_SIMILARITY:
        return False
    mine, theirs = (_letter_words(pool[c.source].text[: pool[c.source].body_start]) for c in (chosen, other))
    asked = _letter_words(asks.text)
    return not (asked & (mine - theirs) and not asked & (theirs - mine))


def _names_as_typed(asks: Asks, sentence: str) -> int:
    said = fold(sentence)
    return sum(1 for run in asks.subject if len(run.split()) > 1 and fold(run) in said)


def _letter_words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d]+", fold(text)))


def other_setting(asks: Asks, source: Source) -> str | None:
    """The label of the setting a first line's rule governs when the question named none
    ("Quy định này áp dụng cho doanh nghiệp nhà nước"), else None."""
    scope = scope_of(source)
    return wording.applies_to(scope.label) if scope is not None and asks.scope is None else None


def outranked(asks: Asks, source: int, pool: Sequence[Source], quoted: set[int]) -> bool:
    """A first line of a setting the question did not name, while a quoted passage ranked above
    it, of another setting, speaks of the same measure: "nhiệm kỳ BTTND bao lâu" is answered first
    at the commune ("theo nhiệm kỳ của Trưởng thôn"), so an agency's "02 năm" is no first line."""
    mine = scope_of(pool[source])
    if asks.scope is not None or asks.measure is None or mine is None:
        return False
    return any(scope_of(pool[i]) != mine and names_measure(asks, pool[i].text) for i in quoted if i < source)


def nearest(asks: Asks, pool: Sequence[Source], lexical: LexicalIndex, most: int = 2) -> list[Candidate]:
    """When the quantity asked is not stated: the sentences of the best passages that speak of
    it for the subject all the same ("Nhiệm kỳ của Ban Thanh tra nhân dân theo nhiệm kỳ của
    Trưởng thôn"), to quote as the nearest provision."""
    if asks.measure is None:
        return []
    found = []
    for i, source in enumerate(pool[:STATED_IN]):
        if not fits(scope_of(source), asks.scope):
            continue
        for start, sentence in _body_sentences(source):
            if names_measure(asks, sentence) and names_subject(asks, sentence, source, lexical):
                found.append(Candidate(i, start, sentence, 1.0))
    # a sentence about the quantity names it first ("Nhiệm kỳ của … theo …"), not in passing
    return sorted(found, key=lambda c: fold(c.sentence).find(asks.measure or ""))[:most]


def _body_sentences(source: Source) -> list[tuple[int, str]]:
    text = source.text
    return [
        (span.start, " ".join(text[span.start : span.end].split()))
        for para in paragraph_spans(text)
        if para.end > source.body_start  # the heading is context, not a statement
        for span in sentence_spans(text, para)
    ]


def stating(asks: Asks, pool: Sequence[Source], among: Iterable[int], lexical: LexicalIndex) -> Iterator[Candidate]:
    """Each sentence of the sources `among` (pool indexes) that states what is asked of the subject,
    in order, read as asked for (`stated` stops at the first)."""
    return (
        Candidate(i, start, sentence, 1.0)
        for i in among
        for start, sentence in _body_sentences(pool[i])
        if gated_cut(asks, sentence, pool[i], lexical) is not None
    )


def stated(asks: Asks, pool: Sequence[Source], lexical: LexicalIndex) -> Candidate | None:
    """A sentence of the best passages that states the quantity asked of the subject, or None
    when none does: the library does not say it."""
    return next(stating(asks, pool, range(min(STATED_IN, len(pool))), lexical), None)


def by_number(
    asks: Asks,
    pool: list[Source],
    referring: Sequence[Passage],
    chunks_of: Callable[[str], list[Passage]],
    lexical: LexicalIndex,
) -> tuple[ShortAnswer | None, Candidate | None]:
    """No first line from the passages found: an article that sets the figure of a clause found by
    the clause's number may give it ("… khoản 5 Điều 15 … có hiệu lực kể từ ngày …"), with the
    sentence it is cut from. Its source joins the pool only when it does, so that nothing else
    reads it. Of the sentences that state it, those saying most of the subject answer ("phạm vi
    toàn xã": the commune-wide rule, not the village's beside it), only when they agree on the
    figure (in words too: "hai phần ba" is not "quá nửa")."""
    first = len(pool)
    pool += [references.read_with(Source.from_passage(first + i + 1, p), chunks_of) for i, p in enumerate(referring)]
    said = list(stating(asks, pool, range(first, len(pool)), lexical))
    subject = " , ".join(asks.subject)
    held = [lexical.text_coverage(subject, c.sentence, pairs=False, alternatives=asks.alternatives) for c in said]
    best = [c for c, h in zip(said, held, strict=True) if h == max(held)]
    figures = {
        digits(cut.text) or fold(cut.text)
        for c in best
        if (cut := gated_cut(asks, c.sentence, pool[c.source], lexical))
    }
    short = first_line(asks, best, pool, lexical) if len(figures) == 1 else None
    cut_from = [c for c in best if short is not None and c.source == short.source and short.text in c.sentence]
    if short is None or not cut_from:
        del pool[first:]
        return None, None
    return short, cut_from[0]
