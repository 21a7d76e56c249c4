"""A conversation's short memory: a follow-up question is read in the light of the last exchanges.

Three kinds of follow-up are understood, and rewritten into a question that
stands alone (shown to the user as "Hiểu câu hỏi là: …"):
- "còn Bắc Ninh thì sao?": the previous question, with its place or name replaced;
- "nói rõ hơn ý (2)": the second item of the list the previous answer gave;
- "điều đó / văn bản đó có hiệu lực từ khi nào?": the document the previous answer was about.
A memory holds a few exchanges and forgets them after some minutes of silence.
Hand-written: these are the few patterns of a chat, and a rewrite that misses
leaves the question as typed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import re
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.answering.answer import Answer
from bot.answering.asks import understand
from bot.answering.levels import LEVEL
from bot.answering.lru import MAX_MEMORY_BYTES, SizedLRU
from bot.answering.question import ASCII_NUMBER
from ingest.facts import document_name
from ingest.language.citations import parse_citations
from ingest.language.doc_types import TYPES
from ingest.language.normalize import fold
from ingest.language.patterns import ARTICLE_REF
from ingest.language.scope import scope_in, setting_adjuncts

_AGAIN = re.compile(
    r"^\s*(?:(?:thế|vậy|the|vay)\s+)?(?:còn|con)\s+(?P<x>.+?)(?:\s+(?:thì|thi)\s+(?:sao|thế nào|the nao|ra sao))?\s*\??\s*$"
    r"|^\s*(?P<y>.+?)\s+(?:thì|thi)\s+(?:sao|thế nào|the nao|ra sao)\s*\??\s*$",
    re.IGNORECASE,
)
_ITEM = re.compile(r"\b(?:y|muc|diem|phan|noi dung|gach)\s*(?:thu\s*)?\(?([0-9]{1,2})\)?")  # ASCII digits only
# "văn bản đó", "kế hoạch đó", "điều đó", "nó", "ở đó": the document the previous answer was about.
# Every document type is a noun that may point back (`TYPES`), with its kind (`_KIND`).
_THAT = re.compile(
    r"\b(?:(?P<noun>dieu|van ban|viec|van de|noi dung|cai|"
    + "|".join(sorted(TYPES, key=len, reverse=True))
    + r")\s+(?P<dem>do|nay|tren|ay)|(?P<there>o|tai) (?P<at>do)|no)\b"
)
# How a chat goes on from the last answer without naming its topic again ("Nếu để chậm thì …",
# "Thế có huyện nào …", "Vậy ở trung ương thì …"): folded, at the start of the question.
_GOES_ON = re.compile(r"^(?:the|vay|neu|con|the con|vay con|the thi|vay thi|roi|the neu|vay neu)\b")
# The words of a chat's follow-up that are not its topic: openers, "thì", asking words (folded).
_CHAT_WORDS = {
    "the", "vay", "neu", "con", "roi", "thi", "o", "tai", "duoc", "la", "co", "bao", "nhieu", "may", "gi", "nao",
    "sao", "ai", "dau", "lau", "khi",
}  # fmt: skip
# At most this many words of a follow-up not in the question before it: it names nothing of its own
# ("Vậy nhiệm kỳ bao lâu?", "Thế ai bầu?").
OWN_WORDS = 2
# "là gì", "nghĩa là gì", "được hiểu như thế nào": a term's meaning asked, a topic of its own.
_DEFINES = re.compile(r"\bla gi\b|\bnghia la\b|\bhieu (?:nhu )?the nao\b|\bkhai niem\b")
# "ban đó", "hội nghị này": a body the previous question named (a word, then "đó"/"này"/"ấy").
_NAME_THAT = re.compile(r"\b(?P<noun>\w+)\s+(?P<dem>do|nay|ay)\b")
# The words that point back, as written with accents: "do" is also "by" ("do ai ký"), "nay" "now".
_POINTING = {"đó", "này", "trên", "ấy"}
# How many words ("vậy", "thế còn") may open a question before what it asks about.
_OPENING_WORDS = 2
# "còn điều 13 thì sao?": another article (or clause) of the document asked before.
_ARTICLE_ONLY = re.compile(
    r"^(?:(?:khoan\s+[0-9]{1,3}\s*,?\s*)?dieu\s+[0-9]{1,3}(?:\s*,?\s*khoan\s+[0-9]{1,3})?|khoan\s+[0-9]{1,3})$"
)
_PLACE_NOUNS = (
    ("thanh", "pho"),
    ("thi", "xa"),
    ("thi", "tran"),
    ("tinh",),
    ("huyen",),
    ("quan",),
    ("xa",),
    ("phuong",),
)
_FOLDED_PLACE_NOUN = re.compile(r"\b(?:" + "|".join(" ".join(p) for p in _PLACE_NOUNS) + r")\b")
# Where a question's topic ends: "Thu ngân sách | 9 tháng … đạt bao nhiêu", "Ban thanh tra | có mấy người".
_PREDICATE = {
    "dat", "la", "co", "duoc", "tang", "giam", "gom", "bao", "may", "nhu", "the", "ra", "trong", "nam", "thang",
    "quy", "phai", "can", "do", "vao", "tu", "den",
}  # fmt: skip
MAX_ITEM_WORDS = 30


@dataclass(frozen=True)
class Continued:
    """What a follow-up without a topic of its own goes on from: what the last answer quoted, in
    order, and the question it answered, which says what "đó" is. A legal passage stands for its
    law (`laws`, by number), not for the Pháp điển đề mục that holds forty other texts."""

    documents: tuple[str, ...]  # doc_ids of the articles and reports quoted
    laws: tuple[str, ...]  # "75/2015/QH13"
    question: str
    pointing: bool  # says "đó"/"này" of it ("kế hoạch đó"), not only goes on ("Thế …", "Vậy …")


@dataclass(frozen=True)
class Turn:
    question: str  # as understood
    answer: Answer
    at: float

    @property
    def size(self) -> int:
        """Bytes the turn takes, as pickled (what PTB's state file stores of it, too)."""
        return len(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))


class Conversation:
    """The last `turns` exchanges of one chat or session, forgotten after `ttl` seconds of silence."""

    def __init__(
        self, turns: int = 3, ttl: float = 900.0, clock: Callable[[], float] = time.time
    ):  # wall time: a memory persists across restarts
        self.ttl = ttl
        self.clock = clock
        self.turns: deque[Turn] = deque(maxlen=max(turns, 1))
        self.sizes: deque[int] = deque(maxlen=self.turns.maxlen)  # each turn's `size`, kept beside it

    def __setstate__(self, state: dict[str, object]) -> None:
        """A memory from the state file; one saved before sizes were kept gets them."""
        self.__dict__.update(state)
        if "sizes" not in state:
            turns = state.get("turns")
            self.sizes = deque()  # turns of another shape: dropped by bot.channels.telegram.state, not failed on here
            if isinstance(turns, deque) and all(isinstance(t, Turn) for t in turns):
                self.sizes = deque((t.size for t in turns), maxlen=turns.maxlen)

    @property
    def size(self) -> int:
        """Bytes the remembered turns take (see `Turn.size`)."""
        return sum(self.sizes)

    def last(self) -> Turn | None:
        if self.turns and self.clock() - self.turns[-1].at > self.ttl:
            self.turns.clear()
            self.sizes.clear()
        return self.turns[-1] if self.turns else None

    def record(self, question: str, answer: Answer) -> None:
        """Remember an answered exchange, without the passages retrieved but not cited
        (a follow-up reads the quotations, sources and documents, never those)."""
        if answer.found:
            turn = Turn(question, dataclasses.replace(answer, retrieved=[]), self.clock())
            self.turns.append(turn)
            self.sizes.append(turn.size)

    def understand(self, text: str, places: frozenset[str] = frozenset()) -> str | None:
        """The follow-up as a question that stands alone, or None when it is not one
        (or there is nothing before it). `places`: folded place names the library knows."""
        last = self.last()
        if last is None:
            return None
        folded = fold(text)
        if m := _ITEM.search(folded):
            return _item(last.answer, int(m[1]))
        if m := _AGAIN.match(text):
            other = (m["x"] or m["y"]).strip(" ?")
            if _ARTICLE_ONLY.match(fold(other)):
                return _other_article(last, other)
            if len(other.split()) <= 6:
                return _replace_name(last.question, other, places)
        if (level := _other_level(text, folded, last.question)) is not None:
            return level
        if (carried := _carried(text, folded, last.question)) is not None:
            return carried
        if len(folded) != len(text):  # folding moved letters: spans of `folded` are not the text's
            return None
        if (m := _THAT.search(folded)) and _points_back(text, m):
            subject = _subject(last, TYPES.get(m["noun"] or ""))
            if subject:
                said = f"trong {subject}" if m["there"] else subject
                return (text[: m.start()] + said + text[m.end() :]).strip()
        for m in _NAME_THAT.finditer(folded):  # "ban đó": the name the previous question gave
            if _points_back(text, m) and (name := _name_in(last.question, m["noun"])):
                return _with_setting((text[: m.start()] + name + text[m.end() :]).strip(), last.question)
        return None

    def continued(self, text: str) -> Continued | None:
        """The last exchange when the question goes on from it without a topic of its own ("Nếu
        để chậm thì phải tổ chức trong tháng nào?", "kế hoạch đó bắt đầu từ tháng mấy?" when the
        answer named no plan): the service looks in its documents first. None otherwise."""
        last = self.last()
        if last is None:
            return None
        folded = fold(text)
        # "đó", "này" typed with their accents: without, "do" and "nay" are as often "by" and "now"
        pointing = len(folded) == len(text) and any(
            text[m.start("dem") : m.end("dem")].lower() in _POINTING
            for m in (*_THAT.finditer(folded), *_NAME_THAT.finditer(folded))
            if m["dem"]
        )
        if not (_GOES_ON.match(folded) or pointing) or not last.answer.sources:
            return None
        sources = last.answer.sources
        return Continued(
            tuple(dict.fromkeys(s.doc_id for s in sources if s.legal is None)),
            tuple(dict.fromkeys(s.legal.source.ref for s in sources if s.legal is not None)),
            last.question,
            pointing,
        )


def _other_level(text: str, folded: str, previous: str) -> str | None:
    """The previous question at the level the follow-up names, when it names no topic of its
    own: "Vậy ở trung ương thì được bao nhiêu?" after "Ủy viên Ủy ban MTTQ cấp tỉnh được hỗ trợ
    … bao nhiêu?" asks it of the Ủy ban at the centre."""
    asked, before = list(LEVEL.finditer(folded)), list(LEVEL.finditer(fold(previous)))
    if not _GOES_ON.match(folded) or len(asked) != 1 or len(before) != 1 or asked[0][0] == before[0][0]:
        return None
    if len(folded) != len(text) or len(fold(previous)) != len(previous):
        return None  # folding moved letters: spans of the folded text are not the text's
    if _new_words(LEVEL.sub(" ", folded), previous):
        return None  # a topic of its own ("Ở cấp huyện thì được vận động trong bao lâu?")
    level = text[asked[0].start() : asked[0].end()]
    return previous[: before[0].start()] + level + previous[before[0].end() :]


def _new_words(folded: str, previous: str) -> set[str]:
    """The follow-up's words (folded) that are neither chat words nor the previous question's."""
    return set(re.findall(r"\w+", folded)) - _CHAT_WORDS - set(re.findall(r"\w+", fold(previous)))


def _carried(text: str, folded: str, previous: str) -> str | None:
    """A follow-up that names nothing of its own, asked of the names the previous question gave:
    "Vậy nhiệm kỳ bao lâu?" after "Ban Thanh tra nhân dân ở xã có bao nhiêu thành viên?" is
    "Vậy nhiệm kỳ bao lâu (Ban Thanh tra nhân dân) ở xã, phường, thị trấn?"."""
    if not _GOES_ON.match(folded) or _DEFINES.search(folded):
        return None  # "Vậy dân vận chính quyền là gì?" asks a term of its own
    if len(_new_words(folded, previous)) > OWN_WORDS or any(w[:1].isupper() for w in text.split()[1:]):
        return None
    # a name, not a question's first word: two capitals ("Ban Thanh tra nhân dân") or an abbreviation
    names = [
        " ".join(words[next(i for i, w in enumerate(words) if w[:1].isupper()) :])  # "bầu Ban …" → "Ban …"
        for words in (run.split() for run in understand(previous).subject)
        if sum(w[:1].isupper() for w in words) >= 2 or any(w.isupper() and len(w) > 1 for w in words)
    ]
    if not names:
        return None
    return _with_setting(f"{text.strip().rstrip(' ?')} ({', '.join(names)})?", previous)


def place_names(localities: Iterable[str]) -> frozenset[str]:
    """Folded place names without their kind ("tỉnh Hưng Yên" → "hung yen"), as `understand` matches them."""
    return frozenset(_FOLDED_PLACE_NOUN.sub("", fold(n)).strip() for n in localities) - {""}


def _item(answer: Answer, number: int) -> str | None:
    """The text of item `number` of the list the answer gave (the first words of it)."""
    for group in answer.groups:
        items = group.quotes[1:] if group.listed else group.quotes
        if 1 <= number <= len(items):
            text = re.sub(r"^\(?\d{1,2}[.)]\s*", "", items[number - 1].text)
            return " ".join(text.split()[:MAX_ITEM_WORDS])
    return None


def _replace_name(previous: str, other: str, places: frozenset[str]) -> str:
    """The previous question with what `other` stands in for replaced by it: a place the
    library knows, a place of the same kind ("còn phường thì sao?"), a proper name, else
    the topic it opens with ("Thu ngân sách 9 tháng …" → "xuất khẩu 9 tháng …")."""
    setting, where = scope_in(other), setting_adjuncts(previous)
    if setting is not None and len(where) == 1 and scope_in(previous) != setting:  # "ở xã" → "ở doanh nghiệp nhà nước"
        at = other if re.match(r"(?:o|tai|trong)\s", fold(other)) else f"ở {other}"
        return previous[: where[0][0]] + at + previous[where[0][1] :]
    words = list(re.finditer(r"\w+", previous))
    folded = [fold(w[0]) for w in words]

    def swap(start: int, stop: int) -> str:
        return previous[: words[start].start()] + other + previous[words[stop - 1].end() :]

    for place in sorted(places, key=len, reverse=True):  # a place the library knows, typed in any case
        n = len(place.split())
        for i in range(len(words) - n + 1):
            if " ".join(folded[i : i + n]) == place:
                return swap(i, i + n)

    def name_end(stop: int) -> int:  # past the capitalized words from `stop` on
        while stop < len(words) and words[stop][0][0].isupper():
            stop += 1
        return stop

    asked = re.sub(r"^(?:o|tai)\s+", "", fold(other))
    if _FOLDED_PLACE_NOUN.match(asked):  # "xã" → "(ở) phường"
        for i in range(len(words)):
            kind = next((p for p in _PLACE_NOUNS if tuple(folded[i : i + len(p)]) == p), None)
            if kind:
                start = i - 1 if i and folded[i - 1] in ("o", "tai") and asked != fold(other) else i
                return swap(start, name_end(i + len(kind)))
    for i in range(1, len(words)):  # a proper name: capitalized words not opening the question
        if words[i][0][0].isupper():
            return swap(i, name_end(i))
    end = next((i for i, w in enumerate(folded) if w in _PREDICATE or ASCII_NUMBER.fullmatch(w)), 0)
    if 0 < end <= 6:
        return swap(0, end)
    return f"{previous.rstrip(' ?')} {other}?"


def _subject(turn: Turn, kind: str | None = None) -> str | None:
    """What the previous answer was about: the document it named, or the legal text it quoted;
    for "kế hoạch đó" (`kind` "Kế hoạch"), the first document of that type it named or quoted."""
    named = [d for d in turn.answer.directives if d.in_corpus]
    if kind is not None:
        same = [d for d in named if d.type == kind]
        if same:
            return same[0].name or document_name(same[0].type, same[0].ref)
        # one the library holds no text of, named by the question before ("Theo TT 04/2025/TT-BTC
        # thì …" then "thông tư đó có hiệu lực từ ngày nào?"): its number, never another's
        cited = [c for c in parse_citations(turn.question) if c.type == kind and c.symbol]
        return document_name(kind, cited[0].ref) if cited else None
    asked = [d for d in named if d.role == "asked"]
    if asked:
        d = asked[0]
        return d.name or document_name(d.type, d.ref, fallback="văn bản")
    return next((s.name for s in turn.answer.sources if s.is_legal), None)


def document_pointed(text: str) -> str | None:
    """The document type a question points back to ("thông tư đó", "kế hoạch này", typed with
    accents), as written; None when it names none that way."""
    folded = fold(text)
    if len(folded) != len(text):
        return None
    for m in _THAT.finditer(folded):
        # what the question asks about, opening it ("thông tư đó có hiệu lực …", "vậy kế hoạch này
        # …"); not "thực hiện QCDC theo luật này hay …", where "this law" is the one at hand
        opens = len(folded[: m.start()].split()) <= _OPENING_WORDS
        if opens and m["noun"] in TYPES and m["dem"] and text[m.start("dem") : m.end("dem")].lower() in _POINTING:
            return TYPES[m["noun"]]
    return None


def _points_back(text: str, m: re.Match[str]) -> bool:
    """Whether the word matched as "đó" / "này" points back: written so, or in a text typed
    without any accent (then "do" may be "đó")."""
    word = next((g for g in ("dem", "at") if m.groupdict().get(g)), None)
    if word is None:  # "nó"
        return True
    typed = text[m.start(word) : m.end(word)].lower()
    return typed in _POINTING or fold(text) == text.lower()


def _name_in(previous: str, noun: str) -> str | None:
    """The name in `previous` that opens with `noun` (folded) and a capital: "ban" → "Ban Thanh tra
    nhân dân", the run of words it heads up to a word that asks or ties the clause (`asks`)."""
    for run in understand(previous).subject:
        words = run.split()
        if words[0][:1].isupper() and fold(words[0]) == noun and len(words) > 1:
            return run
    # or what the previous question asked of, named with that noun: "Ngày đó" after "Ngày truyền
    # thống của Mặt trận … là ngày nào?" (the asking words leave it out of the subject)
    stops = _PREDICATE | _CHAT_WORDS
    for clause in re.split(r"[,;?!.:]", previous):
        words = clause.split()
        folded = [fold(w) for w in words]
        if noun not in folded:
            continue
        start = folded.index(noun)
        if start + 1 >= len(words) or not words[start + 1].isalpha():
            continue  # "Ngày 18 tháng 11": a date, not a name
        # up to a word that asks or links, typed in lower case: "Việt Nam" is no "năm"
        end = next((i for i in range(start + 1, len(words)) if folded[i] in stops and words[i].islower()), len(words))
        if end - start > 1 and words[start][:1].isupper():
            return " ".join(words[start:end])
    return None


def _with_setting(question: str, previous: str) -> str:
    """The question with the setting the previous one named ("ở doanh nghiệp nhà nước"), when it names none."""
    before = scope_in(previous)
    if before is None or scope_in(question) is not None or scope_in(f"ở {before.label}") != before:
        return question
    return f"{question.rstrip(' ?')} ở {before.label}?"


def _other_article(turn: Turn, other: str) -> str | None:
    """ "còn điều 13 thì sao?": the previous question with its article replaced, or, when it named
    none, the article asked of the legal text the previous answer quoted ("Điều 13 Luật …")."""
    previous = turn.question
    m = ARTICLE_REF.search(fold(previous))
    asked = other[:1].upper() + other[1:]
    if m is not None and len(fold(previous)) == len(previous):
        return previous[: m.start()] + asked + previous[m.end() :]
    subject = _subject(turn)
    return f"{asked} {subject} quy định gì?" if subject else None


class Conversations:
    """The memories of many chats or sessions, the least recently used dropped beyond `limit`
    memories or `max_bytes` together. A session is kept under a digest of its key: a key is
    whatever a caller sends (a JSON line's "session"), of any length."""

    def __init__(self, turns: int = 3, ttl: float = 900.0, limit: int = 10_000, max_bytes: int = MAX_MEMORY_BYTES):
        self.turns, self.ttl, self.limit, self.max_bytes = turns, ttl, limit, max_bytes
        self._by_key: SizedLRU[bytes, Conversation] = SizedLRU(limit, max_bytes, lambda c: c.size)

    @staticmethod
    def digest(key: str) -> bytes:
        """16 bytes for any key (lone surrogates from JSON escapes included)."""
        return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    @property
    def size(self) -> int:
        """Bytes the memories take (their turns; keys are 16 bytes each)."""
        return self._by_key.size

    def get(self, key: str) -> Conversation:
        """The session's memory (a new one for a new key); see `SizedLRU.get`."""
        return self._by_key.get(self.digest(key), lambda: Conversation(self.turns, self.ttl))
