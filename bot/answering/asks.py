"""What a question asks, read once: the kind of answer, the quantity and unit asked, the subject
it is asked of, the setting, negation. Composition and the short answer read this record
instead of folding and matching the question again.

Hand-written: Vietnamese questions put the asked quantity before "bao nhiêu" / "mấy"
("nhiệm kỳ mấy năm", "được phụ cấp bao nhiêu tiền") and the subject before it; no parser
for that ships offline. The words are data (`MEASURES`, `_ASKING`): a general rule over them,
never one question's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.answering import bodies, choices, short_answer, thresholds, which_document
from bot.answering.choices import Choice
from bot.answering.thresholds import Threshold
from ingest.language.citations import parse_citations
from ingest.language.doc_types import TYPES
from ingest.language.normalize import fold
from ingest.language.scope import Scope, asked_scope, setting_adjuncts

# The quantities a figure question may ask of a subject (folded). When the question names one,
# the sentence that answers must name it too: "nhiệm kỳ" is not "thời hạn" of another act,
# "phụ cấp" is not a figure of the same body's membership. Longest first.
MEASURES = (
    "sinh hoat phi", "thang diem", "so thanh vien", "so luong", "do tuoi", "hieu luc", "nhiem ky",
    "thoi han", "thoi gian", "phu cap", "boi duong", "thu lao", "kinh phi", "muc phat", "xu phat",
    "ty le", "tien luong", "muc luong", "muc ho tro", "muc chi", "tien cong", "phat", "luong", "diem",
)  # fmt: skip
# Words that fold onto a measure's and are not it, as typed ("lượng" of "chất lượng", "lực lượng"
# is not "lương"; "phát" of "phát động" is not "phạt") or, without accents, the compounds they make.
_NOT_MEASURES = re.compile(
    r"\b(?:\w+ lượng|phát \w+|(?:chat|luc|so|khoi|trong|dung|san) luong|phat (?:trien|dong|hien|huy|sinh|hanh|bieu))\b"
)
# Units that name money: a figure that answers "bao nhiêu tiền" is written in đồng.
_MONEY = {"tien", "dong", "trieu", "nghin", "ngan"}
# Words that ask or hold a question together, not what it is about, as written with accents;
# a word typed without accents is compared folded (then "co" may be "có" or "cơ": it is left out).
_ASKING_WORDS = (
    "bao nhiêu mấy khi nào gì ai đâu sao thế như làm có không chưa phải được là thì sẽ cần của và ở các những "
    "với cho về tại trong theo để đã đang bị hay hoặc tôi mình chúng ta em anh chị hỏi xin à nhé vậy mà một "
    "mỗi từ đến sau trước lúc ngày tháng năm lâu tối đa thiểu ít nhất hơn tổng số tất cả này đó kia ấy chừng người ra lên "
    "vào biết muốn hiện nay còn nữa rồi vẫn cũng đều trên dưới thuộc việc ạ ơi thời "
    "gian hạn nếu thưa cho hỏi giúp dịp thường "
    # a chat's own words, which no rule says: "bão lũ vừa rồi", "mn" (mọi người), "e" (em), "ae" (anh
    # em), who the asker is ("bố em là ủy viên …"); not "đi", "nhỉ", "hả": typed without marks
    # they are "di" (di dời), "nhi" (thiếu nhi), "ha" (hectares)
    "vừa mọi e ae dạ vâng bố mẹ"
)
_ASKING = set(_ASKING_WORDS.split())
_ASKING_FOLDED = {fold(w) for w in _ASKING}
# Typed with their marks, a chat's closing particles ask too ("… theo từng cụm dân cư hả mn?", "… nhỉ?")
_ASKING |= {"hả", "nhỉ"}
# "bao nhiêu một tháng": a rate, not the unit of the figure.
_PER = {"mot", "moi", "hang", "1"}  # "bao nhiêu 1 tháng" typed with the digit
# The bounds a figure is asked with, wherever they stand ("chậm nhất trước … mấy ngày").
_BOUNDS = {"cham nhat", "som nhat", "toi da", "toi thieu", "it nhat"}
# Verbs that only lead to what a doer is asked to do: "ai đứng ra chủ trì", "ai chịu trách nhiệm tổ chức".
_LIGHT_ROLES = {"dung", "chiu trach nhiem", "trach nhiem", "tham quyen", "dam nhan", "dam nhiem", "duoc giao"}
# Words before "ai" that make it the object of the verb before them ("thống nhất với ai").
_PREPOSITIONS = {"voi", "cho", "cua", "cung", "toi", "den", "len"}
# Verbs that carry no subject of their own: "Ai ký?", "Có không?" say nothing yet to look up.
_BARE = {"ky", "ban", "hanh", "noi", "lam", "thuc", "hien", "ap", "dung", "gom", "yeu", "cau", "tra", "loi", "giai",
         "thich", "cho", "biet", "xem", "tim", "hoi", "duoc", "khong", "ok", "vang", "u", "a"}  # fmt: skip
# Words that end a document's name in a question ("Luật … có hiệu lực", "Nghị định … quy định gì").
_NAME_ENDS = {"co", "la", "do", "quy", "duoc", "ve", "thi", "nao", "gi", "gom", "yeu", "nam", "ngay", "so", "can"}
# Words that are grammar in these places, not what the question is about (folded): "hằng năm"
# (how often: the period itself is an asking word), "thì mới hợp lệ", "phải có … mới hợp lệ"
# (only then: the correlative of an earlier "phải"/"cần", unless "mới" ends the question or a
# demonstrative follows it, where it is "new": "nông thôn mới", "quy định mới này").
_PARTICLE_BEFORE = {"hang": {"nam", "thang", "quy", "tuan", "ngay", "ky"}}
_PARTICLE_AFTER = {"moi": {"thi"}, "mới": {"thì"}}
_CORRELATIVE = {"moi": {"phai", "can"}, "mới": {"phải", "cần"}}
_DEMONSTRATIVES = {"nay", "do", "ay", "kia"}
# When, not what: "tính đến 9 tháng đầu năm 2018", "cuối năm", "6 tháng đầu năm", "đến nay" (its numbers are
# never a subject's words either); left out of the subject like a setting.
_TIME_ADJUNCT = re.compile(
    r"\btính\s+(?:đến|từ)(?=\s+(?:ngày|tháng|quý|năm|nay|hết|cuối|đầu|giữa|\d))"
    r"|(?:\b\d+\s+)?\b(?:tháng|quý)\s+(?:đầu|cuối)\s+năm(?:\s+\d{4})?"
    r"|\b(?:đầu|cuối|giữa)\s+năm(?:\s+\d{4})?"
    r"|\b(?:đến|tới)\s+(?:nay|giờ|bây giờ|hiện nay|hiện tại)\b",  # "từ đầu năm đến giờ"
    re.IGNORECASE,
)
# The noun a "… ở chỗ nào / nơi nào / địa điểm nào?" asks by (folded, from it up to "nào").
_WHERE_NOUN = re.compile(r"(?:cho|noi) nao(?: \w+)?|dia (?:diem|chi) nao|(?:diem|chi) nao(?: \w+)?")
# A guess closing an open question: ", có phải … không?", ", phải là … ko?", ", đúng là … chứ?"
_GUESS = re.compile(
    r"[,;]\s*(?:vậy\s+)?(?:có\s+)?(?:phải|đúng)\s+(?:là\s+)?[^,;?]{2,60}?\s+(?:không|ko|k|chứ|hả|à)\s*\??\s*$",
    re.IGNORECASE,
)
# A sentence of a question told in several: up to ".", "!", "?" or ";" and the space after it.
_SENTENCE = re.compile(r"(?:[^.!?;]|[.!?;](?!\s|$))*(?:[.!?;]+(?=\s|$)|$)")  # "3.000.000 đồng" is one
# An aside in brackets: the asker's situation, not what is asked.
_ASIDE = re.compile(r"\([^()]{3,}\)")
_NEGATED = re.compile(r"\b(?:khong duoc|khong phai|khong can|khong co|chua duoc|nghiem cam|cam)\b")


@dataclass(frozen=True)
class Asks:
    """One question, understood: `kind` as `short_answer.kind` ("number", "date", "duration",
    "who", "yesno", "definition"… or None), `measure` the quantity named ("nhiem ky"), `unit`
    the words after "bao nhiêu"/"mấy" ("nam", "tien mot ngay"), `subject` the remaining words
    it is about (runs of words as typed), `negated` when it asks of a prohibition."""

    text: str
    kind: str | None
    measure: str | None
    unit: tuple[str, ...]
    subject: tuple[str, ...]
    negated: bool
    cited: tuple[str, ...] = ()  # the numbers of the documents it names ("114" of KL 114)
    scope: Scope | None = None  # the setting asked, else the unit's (`UNIT_SCOPE`)
    # the people's words it types, with the texts' terms that stand for each (`Vocabulary.alternatives`)
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # an either-or's options; the rest of the analysis is of the question asked openly (`choices`)
    choice: Choice | None = None
    # a yes-no's own figure to judge; the rest of the analysis is of the figure asked (`thresholds`)
    threshold: Threshold | None = None
    # the subject's runs in the sentence that asks, when a story is told around it (else empty)
    focus: tuple[str, ...] = ()
    # the sentence that asks, when a story is told around it (else "")
    told: str = ""
    # what "ai" / "cơ quan nào" is asked to do: the run after it, else the one before ("ai chủ trì"); a
    # sentence answers saying one of these
    role: tuple[str, ...] = ()

    @property
    def looked_up(self) -> bool:
        """Whether the question is looked up as asked openly (`text`): the figure it gives, or one
        of the two it offers, is not the text's."""
        return self.threshold is not None or (self.choice is not None and self.choice.figures)

    @property
    def figure(self) -> bool:
        return self.kind in ("number", "date", "duration", "period", "frequency")

    @property
    def slot(self) -> bool:
        """A figure asked of something by name ("nhiệm kỳ mấy năm", "bao nhiêu tiền"): a question
        the library either states or does not, with nothing in between worth a first line. Not a
        place ("ở đâu"): declared unstated whenever no place was cut, 8 of the 26 "where" questions
        the library answers would be told it does not (measured), for 3 of 6 negatives declined."""
        return self.figure and (self.measure is not None or self.money)

    @property
    def money(self) -> bool:
        return bool(self.unit) and self.unit[0] in _MONEY

    @property
    def content_free(self) -> bool:
        """Nothing asked about: "Có không?", "Ai ký?" (a follow-up is read in its context first)."""
        return not self.cited and all(fold(w) in _BARE for run in self.subject for w in run.split())

    def in_texts_words(self) -> str:
        """The question with each of the people's words it types replaced by the texts' first term."""
        text = self.text
        for typed, terms in self.alternatives:
            text = text.replace(typed, terms[0], 1)
        return text

    def asked_phrase(self) -> str:
        """What was asked, in the question's own words, for "Kho tài liệu hiện có không nêu …"."""
        return self.text.rstrip(" ?.!")


def understand(text: str, unit_scope: str = "", places: frozenset[str] = frozenset()) -> Asks:
    """The analysis of a normalized question; `unit_scope`: the unit's setting when it names none;
    `places`: the folded names of the library's places ("can tho"), whole names even where their
    first word, opening the question, is an asking word ("Cần Thơ chấm điểm …"). An either-or is
    read as the open question its choice leaves ("… do ai …?"), with its options kept; a yes-no
    giving its own figure ("… bầu 7 người được không?") as the figure asked, the figure kept."""
    if (choice := choices.read(text)) is not None:
        return replace(_understand(choice.stem, unit_scope, places), choice=choice)
    if (threshold := thresholds.read(text)) is not None:
        return replace(_understand(threshold.stem, unit_scope, places), threshold=threshold)
    guess = _GUESS.search(text)
    if guess and not re.search(r"\d", guess[0]) and short_answer.kind(text) not in (None, "yesno"):
        # "ai công nhận kết quả bầu, có phải Mặt trận phường ko?": the asker's guess after the question
        # is for the answer to bear out or not, no subject a sentence must hold
        return _understand(text[: guess.start()] + "?", unit_scope, places)
    return _understand(text, unit_scope, places)


def _understand(text: str, unit_scope: str, places: frozenset[str]) -> Asks:
    q = fold(text)
    kind = short_answer.kind(text)
    words = re.findall(r"\w+", text)
    folded = [fold(w) for w in words]
    asking = _asking_at(folded) if kind in ("number", "duration") else None
    unit: tuple[str, ...] = ()
    if asking is not None and kind == "number":
        after = folded[asking[1] :]
        if after[:1] and after[0] not in _PER:
            # the counted noun: "ngày", "phần trăm", "thành viên"; it ends at a word that ties the clause
            unit = (after[0], *[w for w in after[1:2] if w not in _ASKING_FOLDED])
    # the quantity named before the question word, not a unit after it ("mấy điểm", "thời điểm", "địa điểm"),
    # nor the question word's own noun ("trong khoảng thời gian nào" asks a period)
    named = re.sub(r"\b(?:thoi|dia) diem\b|\bthoi gian nao\b", " ", " ".join(folded[: asking[0]] if asking else folded))
    for m in _NOT_MEASURES.finditer(" ".join(w.lower() for w in words)):  # "chất lượng" is no "lương"
        named = named[: m.start()] + " " * (m.end() - m.start()) + named[m.end() :]
    measure = next((m for m in MEASURES if re.search(rf"\b{m}\b", named)), None)
    skip = set(measure.split()) if measure else set()
    # The subject keeps the words as typed (accents decide "phạt" from "phát"), in runs: a word
    # left out breaks the run, so no word pair is made that the question does not say.
    citations = parse_citations(text)
    cited_spans = [(c.start, c.end) for c in citations]
    # "Ở cơ quan nhà nước thì …": where it asks is the setting (`scope`), matched against the
    # passage's setting, not words a sentence must hold
    cited_spans += setting_adjuncts(text)
    cited_spans += [m.span() for m in _TIME_ADJUNCT.finditer(text)]
    which_noun = _which_noun(folded) if kind == "which" else set()
    which_noun |= which_document.asked_words(folded) if kind == "document" else set()
    runs: list[list[str]] = [[]]
    # a story told around the question ("Trưởng thôn bên em xin nghỉ … Vậy trong bao lâu …?"): the
    # runs of the sentence that asks are its focus
    told = _asked_sentence(text, _word_start(text, asking))
    asides = [a.span() for a in _ASIDE.finditer(text)]
    focus: list[list[str]] = [[]]
    firsts: dict[int, int] = {}  # the index of each run's first word
    lowered = [w.lower() for w in words]
    in_name = False  # inside a document's name: "Luật thực hiện dân chủ ở cơ sở" is one subject
    end = 0  # where the word before ended
    for i, m in enumerate(re.finditer(r"\w+", text)):
        word = m[0]
        gap, end = text[end : m.start()], m.end()
        plain = folded[i] == word.lower()
        asked_here = asking is not None and asking[0] <= i < asking[1] + len(unit)
        asked_here |= " ".join(folded[i : i + 2]) == "quy dinh" or " ".join(folded[i - 1 : i + 1]) == "quy dinh"
        # "chậm nhất trước ngày làm việc mấy ngày": the bound of the figure asked, apart from its "mấy"
        asked_here |= asking is not None and bool(
            {" ".join(folded[i : i + 2]), " ".join(folded[i - 1 : i + 1])} & _BOUNDS
        )
        # "đồng chí" addresses the one asked; "đồng" alone is of "cộng đồng", "đồng ý"
        asked_here |= "dong chi" in (" ".join(folded[i : i + 2]), " ".join(folded[max(i - 1, 0) : i + 1]))
        asked_here |= i in which_noun  # "cơ quan nào bãi bỏ": the body is what is asked, not a word to find
        asked_here |= kind == "where" and _WHERE_NOUN.fullmatch(" ".join(folded[i : i + 3])) is not None
        if word[:1].isupper() and any(" ".join(folded[i : i + n]) in TYPES for n in (1, 2, 3)):
            in_name = True
        elif in_name and (folded[i] in _NAME_ENDS or asked_here):
            in_name = False
        # "Ban Thanh tra", "Cần Thơ": a name is kept whole; opening the question only as a place
        opens_place = i == 0 and word[:1].isupper() and any(" ".join(folded[:n]) in places for n in (2, 3))
        # a capital opening a sentence of a story ("… rồi. Vậy …", "… quỹ. Cuộc họp …") names nothing
        opens = i == 0 or re.search(r"[.!?;]\s+$", gap) is not None  # not "TP.HCM"
        is_name = in_name or (not opens and word[:1].isupper()) or opens_place
        # typed with accents, the words must be these ("mời" is no "mới", "cán" no "cần")
        said = lowered if not plain else folded
        particle = folded[i + 1 : i + 2] and folded[i + 1] in _PARTICLE_BEFORE.get(folded[i], ())
        particle = particle or (i > 0 and said[i - 1] in _PARTICLE_AFTER.get(said[i], ()))
        particle = (
            particle
            or bool(
                folded[i + 1 : i + 2]
                and folded[i + 1] not in _DEMONSTRATIVES
                and folded[i - 2 : i] != ["nong", "thon"]  # "nông thôn mới" is a name of its own
                and _CORRELATIVE.get(said[i], set()) & set(said[:i])
            )
        )
        if (
            (asked_here and not in_name)
            or (particle and not is_name)
            or (not is_name and (word.lower() in _ASKING if not plain else folded[i] in _ASKING_FOLDED))
            or folded[i] in skip
            or any(c.isdigit() for c in word)
            or any(a <= m.start() < b for a, b in cited_spans)  # documents named are resolved, not matched
        ):
            runs.append([])
            focus.append([])
        else:
            if re.search(r"[.!?;]\s|[()]", gap):  # no run across sentences or into an aside
                runs.append([])
                focus.append([])
            if not runs[-1]:
                firsts[len(runs) - 1] = i
            if opens and i > 0 and not is_name and word[1:] == word[1:].lower():
                word = word.lower()  # "… việc với đơn vị em. Bên em là …": no name to find itself
            runs[-1].append(word)
            if _in_focus(told, asides, m.start()):
                focus[-1].append(word)
            else:
                focus.append([])
    subject = tuple(" ".join(r) for r in runs if r)
    cited = tuple(c.number for c in citations)
    scope = asked_scope(text, unit_scope)
    focused = tuple(" ".join(r) for r in focus if r) if told is not None else ()
    role = (
        _role(folded, which_noun, [(firsts[k], " ".join(r)) for k, r in enumerate(runs) if r])
        if kind in ("who", "which")
        else ()
    )
    told_text = text[told[0] : told[1]].strip() if told is not None and focused else ""
    return Asks(
        text,
        kind,
        measure,
        unit,
        subject,
        bool(_NEGATED.search(q)),
        cited,
        scope,
        focus=focused,
        told=told_text,
        role=role,
    )


def _role(folded: list[str], which_noun: set[int], runs: list[tuple[int, str]]) -> tuple[str, ...]:
    """The run of the subject a who / which question asks the doer of: the first after its asking
    word ("ai chủ trì", "ai đứng ra chủ trì", "cơ quan nào ban hành"), else the last before it ("… do ai")."""
    # the last "ai": a story before the question may say "không ai muốn làm …"
    at = min(which_noun, default=max((i for i, w in enumerate(folded) if w == "ai"), default=None))
    if at is None:
        return ()
    after = [run for start, run in runs if start > at and fold(run) not in _LIGHT_ROLES]
    before = [run for start, run in runs if start < at]
    if at and folded[at - 1] in _PREPOSITIONS:
        # "thống nhất với ai trước khi đưa …": the one agreed with, or who brings it ("phối hợp với cơ
        # quan nào xây dựng …"): either
        return tuple(after[:1] + before[-1:])
    return tuple(after[:1] or before[-1:])


def _word_start(text: str, asking: tuple[int, int] | None) -> int | None:
    """Where the asking word is in the text (`asking` counts words)."""
    if asking is None:
        return None
    return next((m.start() for i, m in enumerate(re.finditer(r"\w+", text)) if i == asking[0]), None)


def _asked_sentence(text: str, at: int | None) -> tuple[int, int] | None:
    """The span of the sentence that asks, when the question is told in more than one: the one
    holding the asking word, else the first that ends with "?"; None for one sentence."""
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if re.search(r"\w", m[0])]
    if len(spans) < 2:
        return (0, len(text)) if _ASIDE.search(text) else None
    if at is not None:
        return next((span for span in spans if span[0] <= at < span[1]), None)
    return next((span for span in spans if text[span[0] : span[1]].rstrip().endswith("?")), None)


def _in_focus(told: tuple[int, int] | None, asides: list[tuple[int, int]], at: int) -> bool:
    """A word of the sentence that asks, not of an aside in brackets ("(bên em là đơn vị …)")."""
    return told is not None and told[0] <= at < told[1] and not any(a <= at < b for a, b in asides)


def _which_noun(folded: list[str]) -> set[int]:
    """The indexes of the noun a "<noun> nào" question asks by ("cơ quan nào", "cấp nào")."""
    for i, w in enumerate(folded):
        if w == "nao" and i:
            for n in (2, 1):
                if i - n >= 0 and bodies.WHICH_NOUN.fullmatch(" ".join(folded[i - n : i])):
                    return set(range(i - n, i))
    return set()


def _asking_at(folded: list[str]) -> tuple[int, int] | None:
    """Where the figure is asked: the words of the last "bao nhiêu" / "mấy" / "bao lâu" / "tối đa"."""
    found = None
    for i, w in enumerate(folded):
        pair = " ".join(folded[i : i + 2])
        if pair in ("bao nhieu", "bao lau", "toi da", "toi thieu", "it nhat", "cham nhat", "som nhat"):
            found = (found[0], i + 2) if found and found[1] == i else (i, i + 2)  # "chậm nhất bao nhiêu"
        elif w == "may":
            found = (i, i + 1)
    if found and " ".join(folded[max(found[0] - 2, 0) : found[0]]) == "trong vong":
        found = (found[0] - 2, found[1])  # "trong vòng bao lâu": within, the period asked
    if found and found[1] < len(folded) and " ".join(folded[found[1] : found[1] + 2]) == "bao nhieu":
        found = (found[0], found[1] + 2)  # "tối thiểu bao nhiêu"
    elif found and found[1] < len(folded) and folded[found[1]] == "may":
        found = (found[0], found[1] + 1)  # "ít nhất mấy", "chậm nhất mấy ngày"
    return found


def names_measure(asks: Asks, sentence: str) -> bool:
    """Whether a sentence names the quantity asked (always, when none is named)."""
    if asks.measure is None:
        return True
    said = fold(sentence)
    if asks.measure == "hieu luc":  # the date a text takes effect, not the one another stops
        return bool(re.search(r"\b(?:co|bat dau co|phat sinh) hieu luc\b|\bhieu luc (?:thi hanh|ke tu|tu)\b", said))
    # "số thành viên" is written "số lượng thành viên" as often
    measure = re.sub(r"^so ", "so (?:luong )?", asks.measure)
    return bool(re.search(rf"\b{measure}\b", said))


def states_money(asks: Asks, cut: str) -> bool:
    """A money question is answered only by a sum in đồng."""
    return not asks.money or bool(re.search(r"\bdong\b", fold(cut)))
