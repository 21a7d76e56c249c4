"""Who acts, or which body: the span of a sentence that answers "ai …?", "cơ quan nào …?".

The words standing where the question has "ai" / "<noun> nào", between the words around it in
the sentence (`_between`), or after "do"/"bởi" in the passive (`_agent`); a body or a person is
named with capitals from its first word or by a body's noun ("hội nghị người lao động"), never by
a clause's circumstance ("Trường hợp …", "Trong thời hạn …"). Hand-written for the same reason as
`short_answer`: no library reads these Vietnamese question forms.
"""

from __future__ import annotations

import re

from bot.answering.spans import STOP, Cut, find_run, fold_keep_case, word_spans
from ingest.language.normalize import fold

WHO = re.compile(r"\b(?:ai|nguoi nao)\b")
# The nouns a "<noun> nào" question asks a body or a place by (folded).
WHICH_NOUN = re.compile(
    r"co quan|to chuc|don vi|truong|huyen|tinh|xa|thanh pho|cap|ban|bo|so|hoi|nganh|dia phuong|cong chuc|can bo"
)
WHICH = re.compile(rf"\b(({WHICH_NOUN.pattern})) nao\b")
# What opens a clause capitalised, or like a body's noun, and names no one: "a) Ban hành quyết
# định …" (to issue), "Việc tổ chức cuộc họp …" (the holding of), a clause's title ("1. Thẩm
# quyền triệu tập, chủ trì …", "Trách nhiệm …", "Nội dung …").
_NOT_AGENTS = (
    ("ban", "hanh"), ("viec",), ("tham", "quyen"), ("trach", "nhiem"), ("nhiem", "vu"), ("quyen", "han"),
    ("noi", "dung"), ("hinh", "thuc"), ("trinh", "tu"), ("thu", "tuc"), ("thoi", "han"), ("dieu", "kien"),
    ("tieu", "chuan"), ("so", "luong"), ("thanh", "phan"), ("nguyen", "tac"),
)  # fmt: skip
_BODY_HEADS = (
    "nguoi ",
    "hoi nghi",
    "hoi dong",
    "co quan",
    "to chuc",
    "ban ",
    "uy ban",
    "cong dong",
    "tap the",
    "doan ",
    "chi huy ",
    "thu truong ",
    "lanh dao ",
    "cong chuc ",
    "can bo ",
)
# An office opens a name too ("Trưởng Ban công tác Mặt trận ở thôn, tổ dân phố", "Tổ trưởng …"):
# as written, with its accents, since folded "trưởng" is also "trường (hợp)"; so does a ministry or a
# department, whose name may hold a comma ("Bộ Văn hóa, Thể thao và Du lịch")
_OFFICE_HEADS = ("trưởng ", "phó trưởng ", "tổ trưởng ", "chủ tịch ", "bí thư ", "bộ ", "sở ", "đại diện ")
# Words that open a clause's circumstance, never who acts or which body ("Trường hợp không ban hành
# quyết định …", "Trong thời hạn 60 ngày kể từ ngày có quyết định …"), folded
_NOT_AN_AGENT = tuple(
    w + " "
    for w in (
        "truong hop", "trong", "sau khi", "truoc khi", "khi", "neu", "doi voi", "can cu", "theo", "viec",
        "ke tu", "tai", "hang nam", "dinh ky", "moi", "ngoai ra", "dong thoi",
    )
)  # fmt: skip
# What leads the verb asked without being it ("ai đứng ra triệu tập", "ai sẽ chủ trì", "ai là người
# ký", "ai có trách nhiệm công bố"), folded, after `STOP`: the text writes the verb alone. Not "làm":
# "ai làm Trưởng ban" is no "… để bầu Trưởng ban"
_LEAD_INS = (("dung", "ra"), ("trach", "nhiem"), ("tham", "quyen"), ("se",), ("phai",), ("nguoi",))
# Share of a case's words ("Trường hợp <case> thì <who> …") the question must say before its asking
# word for who acts in it to answer (of a later "; trường hợp …" clause, the words that set it apart
# from the rule before it, anywhere in the question): the case it tells (T02 of helper-43's probe
# holds 0.67), not another one (S002: 0.25).
CASE_TOLD = 0.5
# Words that tie a case's clause, not what sets it apart ("… để bầu, cho thôi làm …": "bầu", "thôi")
_CASE_LIGHT = {"de", "lam", "viec", "khi", "trong", "nay"}
_DUTY = re.compile(r"\s+(?:có\s+(?:trách nhiệm|nhiệm vụ|quyền hạn|quyền)|phải|cần)$", re.IGNORECASE)


def body(question: str, sentence: str, asked: str) -> Cut | None:
    """A body, a person or a place: the words of the sentence that stand where the question
    has "ai" / "<noun> nào", between the words around it; a noun the question names
    ("huyện nào") is looked for with the capitalized name after it."""
    q = fold(question)
    which = WHICH.search(q)
    if which:
        noun = which[1]
        m = re.search(
            # a pair of fields ("công chức Văn hóa - Xã hội"), else capitalised words ("huyện Mỹ Hào")
            rf"\b(?i:{re.escape(noun)})\s+([A-Z]\w*(?:\s+[a-z]\w*)?\s+-\s+[A-Z]\w*(?:\s+[a-z]\w*)?|(?:[A-Z]\w*\s*){{1,6}})",
            fold_keep_case(sentence),
        )
        if m and noun not in ("cap", "ban", "bo", "cong chuc", "can bo"):  # a person by their role, not first named
            return Cut(sentence[m.start() : m.end()].strip(" ,;."))
    wh = which or WHO.search(q)
    assert wh is not None
    before, after = q[: wh.start()], q[wh.end() :]
    # "… do Trưởng thôn, Tổ trưởng tổ dân phố triệu tập; trường hợp cuộc họp để bầu, cho thôi làm Trưởng
    # thôn … thì do Trưởng Ban công tác Mặt trận … triệu tập": the case the question tells is answered
    told = next((case for case in _cases(sentence, q)), None)
    sentence = told or sentence
    # "do ai chủ trì", and "ai bầu" answered in the passive ("… do hội nghị người lao động bầu")
    tries = (_agent, _between) if re.search(r"\bdo\s*$", before) else (_between, _agent)
    for find in tries:
        found = find(before, after, sentence) if find is _agent else _between(before, after, sentence, bool(told))
        # a body or a person is named with capitals ("Ban Thường vụ", "Nguyễn Văn Linh") from its first word,
        # or by a body's noun ("hội nghị người lao động", "người đứng đầu cơ quan"); else it is not one.
        # (str.isupper, not a range like À-Ỹ, which holds the lowercase letters "á", "đ" too.)
        if found is not None and which:
            found = _whole_name(which[1], sentence, found)
        if (
            found is not None
            and (found.text[:1].isupper() or fold(found.text).startswith(_BODY_HEADS))
            and not any(tuple(fold(found.text).split()[: len(w)]) == w for w in _NOT_AGENTS)
        ):
            return found
    return None


def _whole_name(noun: str, sentence: str, cut: Cut) -> Cut:
    """A name with a comma in it, whole from the noun the question asks by ("Bộ nào" and "Bộ
    Văn hóa, Thể thao và Du lịch", not "Thể thao và Du lịch"), up to the "là" that begins what
    the sentence says of it ("… là cơ quan chịu trách nhiệm")."""
    at = sentence.find(cut.text)
    if at < 0:
        return cut
    heads = list(re.finditer(rf"\b{noun[:1].upper()}{noun[1:]}\b", fold_keep_case(sentence[:at])))
    start = at
    if (
        heads
        and len(sentence[heads[-1].start() : at].split()) <= 6
        and not re.search(r"[.;:()]", sentence[heads[-1].start() : at])
    ):
        start = heads[-1].start()
    text = re.split(r"\s+là\s+", sentence[start : at + len(cut.text)], maxsplit=1)[0].strip(" ,;.")
    return Cut(text) if text else cut


def _agent(before: str, after: str, sentence: str) -> Cut | None:
    """Who does what the question asks, in the passive: the words between "do" (or "bởi") and
    the question's verb in the sentence ("… do người đứng đầu cơ quan, đơn vị chủ trì")."""
    words = word_spans(sentence)
    folded = [fold(w[0]) for w in words]
    asked = _asked_words(after, folded)
    right = asked[:2]
    stop = find_run(folded, right, 0) if right else None
    if stop is None and right:
        stop = find_run(folded, right[:1], 0)
    for skip in (1, 2):  # the verb after a lead-in the text does not write ("ai đứng ra chủ trì")
        if stop is None and len(asked) >= skip + 2:
            stop = find_run(folded, asked[skip : skip + 2], 0)
    if not stop:
        return None
    for j in range(stop - 1, max(-1, stop - 16), -1):
        if folded[j] in ("do", "boi"):
            opened = sentence.rfind("(", 0, words[j].start())
            if (
                opened > sentence.rfind(")", 0, words[j].start())
                and ")" in sentence[words[j].end() : words[stop].start()]
            ):
                # "Tổ bầu cử (do Chủ tịch … thành lập) triệu tập": that "do" is inside the remark; who
                # does the verb is the name the remark is about, before its bracket
                k = next((i for i in range(j, 0, -1) if words[i - 1].end() <= opened < words[i].start()), 0)
                return (
                    Cut(sentence[words[_clause_start(sentence, words, k - 1)].start() : words[k - 1].end()])
                    if k
                    else None
                )
            return Cut(sentence[words[j + 1].start() : words[stop - 1].end()]) if stop - j > 1 else None
    return None


def _between(before: str, after: str, sentence: str, case_told: bool = False) -> Cut | None:
    """The words of the sentence between the last words of `before` and the first of `after`
    (both folded question text); with only one side found, up to punctuation."""
    words = word_spans(sentence)
    folded = [fold(w[0]) for w in words]
    left = [w for w in re.findall(r"\w+", before) if w not in STOP][-2:]
    asked = _asked_words(after, folded)
    right = asked[:2]
    start = find_run(folded, left, 0)
    listed = (
        start is not None
        and 0 < start + len(left) < len(words)
        and words[start][0][:1].isupper()
        and sentence[words[start + len(left) - 1].end() : words[start + len(left)].start()].strip() == ","
        and words[start + len(left)][0][:1].isupper()
    )
    start = start + len(left) if start is not None else None
    stop = find_run(folded, right, start or 0) if right else None
    if listed and stop is not None:
        # "do Trưởng thôn, Tổ trưởng tổ dân phố triệu tập" of "… cho thôi làm trưởng thôn, vậy ai triệu
        # tập?": the name the question ends on is one of a list, no word before who acts
        return None
    if stop is None and start is not None:
        # the verb asked written before what the question says first ("… thì ai là người triệu
        # tập?" of "Trưởng Ban … triệu tập … để cho thôi làm Trưởng thôn"): who is before the verb
        for skip in (0, 1):  # the verb, or after one word ("là người triệu tập"); not its object
            verb = asked[skip : skip + 2]
            earlier = find_run(folded, verb, 0) if len(verb) == 2 else None
            if earlier is not None and earlier < start:
                start, stop = None, earlier
                break
    # where the body is, at the centre ("cơ quan nào ở trung ương chịu trách nhiệm"): two words the text
    # need not write; a local level ("ở huyện") it must
    if start is None and stop is None and re.match(r"\s*o trung uong\b", after) and len(asked) >= 4:
        stop = find_run(folded, asked[2:4], 0)
    if start is None and stop is None:
        return None
    if start is None:
        assert stop is not None
        start = _clause_start(sentence, words, stop)
        if start == stop:
            return None  # the verb opens its clause ("b) Công nhận kết quả bầu …"): who acts is not in it
        # the passive: "Ban … được Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã quyết định thành lập"
        # answers "cơ quan nào quyết định thành lập": who acts stands after "được" / "do" / "bởi"
        marker = next((j for j in range(stop - 1, start, -1) if words[j][0].lower() in ("được", "do", "bởi")), None)
        if marker is not None and stop - marker > 1:
            start = marker + 1
        elif stop > 0 and words[stop - 1][0].lower() in ("được", "bị"):
            return None  # passive, no one named: "Việc cho thôi làm … được quyết định tại cuộc họp"
        elif (
            not words[start][0][:1].isupper()
            and start > 0
            and sentence[words[start - 1].end() : words[start].start()].strip() == ","
        ):
            # a name with a comma in it ("Ban Chấp hành Công đoàn cơ quan, đơn vị"): from its capital
            earlier = _clause_start(sentence, words, start - 1)
            named = " ".join(w[0] for w in words[earlier:start])
            if named[:1].isupper() and _names_body(named) and start - earlier <= 10:
                start = earlier
        elif words[start][0][:1].isupper() and start > 0:
            # names listed with commas ("Trưởng thôn, Tổ trưởng tổ dân phố triệu tập"): all of them,
            # never an opening phrase ("Trường hợp cần thiết, …", "Tại hội nghị, …", "Hằng năm, …")
            while start > 0 and sentence[words[start - 1].end() : words[start].start()].strip() == ",":
                earlier = _clause_start(sentence, words, start - 1)
                # the list opened by who acts in the passive: "Cuộc họp … do Trưởng thôn, Tổ trưởng … triệu tập"
                agent = next((j for j in range(start - 1, earlier - 1, -1) if folded[j] in ("do", "boi")), None)
                earlier = agent + 1 if agent is not None else earlier
                named = " ".join(w[0] for w in words[earlier:start])
                if not named[:1].isupper() or start - earlier > 4 or not _names_body(named):
                    break
                start = earlier
                if agent is not None:
                    break
    if start >= len(words):
        return None  # the words before "ai" end the sentence: nothing stands after them
    if stop is None or stop <= start:
        stop = start + 1
        while stop < len(words) and not _boundary(sentence, words[stop - 1].end(), words[stop].start()):
            stop += 1
    # "Trường hợp Trưởng thôn … đồng thời là … thì Chủ tịch … triệu tập": who acts is after "thì" (as
    # written: folded it is also "thi hành"), in the case the question tells ("Trưởng thôn bên em kiêm
    # luôn trưởng ban công tác mặt trận thôn …"), not in another ("Trường hợp các địa phương chưa ban hành …")
    then = max((k for k in range(start, stop) if words[k][0].lower() == "thì"), default=None)
    if then is not None:
        opened = words[_clause_start(sentence, words, start)].start()
        # told before the asking word: a bare "Ai xem xét việc cho thôi làm …?" tells no case ("Trường hợp
        # cuộc họp không thống nhất được …")
        if not case_told and not _told(_case_words(sentence[opened : words[then].start()]), before):
            return None
        start = then + 1
    while start < stop and folded[start] in STOP:
        start += 1
    if (
        0 < start < stop
        and words[start][0][:1].isupper()
        and sentence[words[start - 1].end() : words[start].start()].strip() == ","
        and any(w[0][:1].isupper() for w in words[max(0, start - 3) : start])
    ):
        return None  # the end of a name with a comma in it ("… với Bộ Văn hóa, Thể thao và Du lịch chỉ đạo")
    # "Ủy ban nhân dân cấp xã có (thẩm quyền …)": a verb typed in lower case, not "(Sơn) La"
    while stop > start and folded[stop - 1] in STOP and words[stop - 1][0].islower():
        stop -= 1
    if start >= stop or stop - start > 14 or (" ".join(folded[start:stop]) + " ").startswith(_NOT_AN_AGENT):
        return None
    # "Ủy ban … cấp xã có trách nhiệm (công nhận …)": the duty's words are not the body's name
    return Cut(_DUTY.sub("", sentence[words[start].start() : words[stop - 1].end()]))


def _cases(sentence: str, question: str) -> list[str]:
    """The clauses after the first that open a case of their own ("; trường hợp … thì …") the question
    (folded) tells, by the words that set the case apart from the rule before it."""
    clauses = sentence.split(";")
    rule = _case_words(clauses[0])
    cases = []
    for clause in clauses[1:]:
        then = re.search(r"\bthì\b", clause)
        opens_case = then and re.match(r"\s*(?:trường hợp|đối với)\b", clause, re.IGNORECASE)
        if opens_case and then and _told(_case_words(clause[: then.start()]) - rule, question):
            cases.append(clause.strip())
    return cases


def _case_words(text: str) -> set[str]:
    """What a case says (folded), without what opens it ("trường hợp", "đối với") and the words that tie it."""
    opened = re.sub(r"\b(?:truong hop|doi voi)\b", " ", fold(text))
    return {w for w in re.findall(r"\w+", opened) if w not in STOP and w not in _CASE_LIGHT}


def _told(case: set[str], question: str) -> bool:
    return bool(case) and len(case & set(re.findall(r"\w+", question))) >= CASE_TOLD * len(case)


def _asked_words(after: str, folded: list[str]) -> list[str]:
    """The words after "ai" / "<noun> nào" (folded), from the verb asked: the lead-ins the sentence
    (`folded`) does not write dropped."""
    asked = [w for w in re.findall(r"\w+", after) if w not in STOP]
    while lead := next(
        (
            w
            for w in _LEAD_INS
            if tuple(asked[: len(w)]) == w and len(asked) > len(w) and find_run(folded, list(w), 0) is None
        ),
        None,
    ):
        asked = asked[len(lead) :]
    return asked


def _names_body(text: str) -> bool:
    """Whether the words open a body's or an office's name ("Ban Chấp hành …", "Trưởng thôn")."""
    return fold(text + " ").startswith(_BODY_HEADS) or (text.lower() + " ").startswith(_OFFICE_HEADS)


def _clause_start(sentence: str, words: list[re.Match[str]], at: int) -> int:
    """The first word of the clause word `at` is in (back to a comma, a stop or a bracket)."""
    while at > 0 and not _boundary(sentence, words[at - 1].end(), words[at].start()):
        at -= 1
    return at


def _boundary(sentence: str, end: int, start: int) -> bool:
    return bool(re.search(r"[,.;:()]", sentence[end:start]))
