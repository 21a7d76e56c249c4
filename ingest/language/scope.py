"""The setting a legal passage governs, and the setting a question asks about.

The Law on grassroots democracy (10/2022/QH15) governs each setting in its own
chapter: Chương II the commune (xã, phường, thị trấn), Chương III agencies and
units (cơ quan, đơn vị), Chương IV employers, Mục 1 state-owned enterprises
and Mục 2 the others; Chương I, V and VI apply everywhere. The Pháp điển places
decrees and circulars under those chapters, but an article of a decree is
read back without the Law's chapter (ingest.readers.phapdien keeps the
chapters for the Law's own articles), so its setting comes from its issuer
(a circular of the Ministry of Defence, …-BQP, is the army's; of the Ministry
of Public Security, …-BCA, the police's) or from its title ("Ban Thanh tra
nhân dân ở doanh nghiệp nhà nước"). A Ban Thanh tra nhân dân has a different
term in a commune (Điều 36) and in a state-owned enterprise (Điều 77): a
question about one must not be answered from the other.

The words are data (`SCOPES`); matching is on folded text (`normalize.fold`)
so questions typed without accents match, with the few traps listed beside
the words ("xã hội" is not a commune, "áp dụng" is not an "ấp").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from ingest.facts import DocumentFacts
from ingest.language.legal import LegalPlace
from ingest.language.normalize import fold, normalize_text


@dataclass(frozen=True)
class Scope:
    """A setting the law governs separately: its key (`UNIT_SCOPE`), its label for wording."""

    key: str
    label: str  # "Quy định này áp dụng cho {label}"
    broader: str | None = None  # the key of a setting that includes this one (dnnn within doanh_nghiep)
    follows_broader: bool = False  # the broader setting's own rules apply here too (ngoai_nha_nuoc)


@dataclass(frozen=True)
class _Words:
    """How a setting is written. `strong` words name the place ("ở xã", "doanh nghiệp nhà nước");
    `weak` ones name its people ("người lao động", "quân nhân") and lose to a strong word
    of another setting ("hội nghị người lao động ở doanh nghiệp nhà nước")."""

    scope: Scope
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()


XA = Scope("xa", "xã, phường, thị trấn")
CO_QUAN = Scope("co_quan", "cơ quan, đơn vị")
DOANH_NGHIEP = Scope("doanh_nghiep", "doanh nghiệp, tổ chức có sử dụng lao động")
DNNN = Scope("dnnn", "doanh nghiệp nhà nước", broader="doanh_nghiep")
# Chương IV, Mục 2: the non-state sector keeps to Chương I and the labour law, not Mục 1's rules
NGOAI_NN = Scope(
    "ngoai_nha_nuoc", "doanh nghiệp, tổ chức thuộc khu vực ngoài Nhà nước", broader="doanh_nghiep", follows_broader=True
)
QUAN_DOI = Scope("quan_doi", "lực lượng vũ trang (Quân đội)")
CONG_AN = Scope("cong_an", "lực lượng vũ trang (Công an nhân dân)")

# Words as the Law, its decrees and the circulars write them (checked against the Pháp điển
# đề mục 44.13 and 35.4). Longer phrases win over the words inside them ("công an xã" is
# the police's, "doanh nghiệp nhà nước" is not any enterprise).
_VOCABULARY: tuple[_Words, ...] = (
    _Words(
        XA,
        strong=(
            "xã, phường, thị trấn",
            "xã",
            "phường",
            "thị trấn",
            "cấp xã",
            "thôn",
            "tổ dân phố",
            "khu phố",
            "khu dân cư",
            "cộng đồng dân cư",
            "ấp",
            "xóm",
            "làng",
            "thôn, bản",
            "buôn, bản",
            "làng, bản",
            "bản, làng",
            "hương ước",
        ),
        # "Nhân dân" as the actor of the Law's Chương II titles ("Những nội dung Nhân dân bàn và
        # quyết định", "… Nhân dân tham gia ý kiến", "kiểm tra, giám sát của Nhân dân"); alone it is
        # also in names of every setting ("Ban Thanh tra nhân dân", "Công an nhân dân")
        weak=(
            "trưởng thôn",
            "tổ trưởng tổ dân phố",
            "hộ gia đình",
            "nhân dân ở cơ sở",
            # "bàn" whole with "và quyết định": folded, "nhân dân bàn" is "(Ủy ban) nhân dân ban (hành)"
            "nhân dân bàn và quyết định",
            "nhân dân được bàn và quyết định",
            "nhân dân bàn, quyết định",
            "nhân dân tham gia ý kiến",
            "nhân dân được tham gia ý kiến",
            "nhân dân được kiểm tra",
            "nhân dân thực hiện kiểm tra",
            "giám sát của nhân dân",
        ),  # fmt: skip
    ),
    _Words(
        CO_QUAN,
        strong=(
            "cơ quan, đơn vị",
            "ở cơ quan",
            "tại cơ quan",
            "trong cơ quan",
            "cơ quan hành chính",
            "đơn vị sự nghiệp",
            "đơn vị sự nghiệp công lập",
            "hội nghị cán bộ, công chức",
            # public schools are đơn vị sự nghiệp công lập (a school's staff hold its conference)
            "trường học",
            "nhà trường",
            "trường mầm non",
            "trường tiểu học",
            "trường trung học",
            "trường phổ thông",
        ),
        # "cơ quan nhà nước (có thẩm quyền)" is also any authority a commune's rule names: weak
        weak=("cán bộ, công chức, viên chức", "công chức", "viên chức", "cơ quan nhà nước"),
    ),
    _Words(DNNN, strong=("doanh nghiệp nhà nước", "dnnn", "công ty nhà nước")),
    _Words(
        NGOAI_NN,
        strong=(
            # whole phrases: "tư nhân" alone folds onto "tù nhân" (a prisoner), "tự nhận"
            "ngoài nhà nước",
            "doanh nghiệp ngoài nhà nước",
            "công ty ngoài nhà nước",
            "khu vực ngoài nhà nước",
            "doanh nghiệp tư nhân",
            "công ty tư nhân",
            "có vốn đầu tư nước ngoài",
            "doanh nghiệp có vốn đầu tư nước ngoài",
            "công ty có vốn đầu tư nước ngoài",
            "doanh nghiệp fdi",
        ),
    ),
    _Words(
        DOANH_NGHIEP,
        strong=(
            "doanh nghiệp",
            "công ty",
            "tổ chức có sử dụng lao động",
            "thuê mướn, sử dụng lao động",
            "có sử dụng lao động",
            "hợp đồng lao động",
            "nơi làm việc",
        ),
        weak=("người lao động",),
    ),
    _Words(
        QUAN_DOI,
        strong=(
            "quân đội",
            "quân đội nhân dân",
            "bộ quốc phòng",
            "bqp",
            "đơn vị quân đội",
            "hội đồng quân nhân",
            "đại hội quân nhân",
            "quốc phòng",
            "bộ đội",
        ),
        weak=("quân nhân", "công nhân quốc phòng"),
    ),
    _Words(
        CONG_AN,
        strong=(
            "công an",
            "công an nhân dân",
            "công an xã",
            "bộ công an",
            "bca",
            "cảnh sát",
            "cơ sở giam giữ",
            "trại giam",
            "trại tạm giam",
            "nhà tạm giữ",
        ),
    ),
)

SCOPES: dict[str, Scope] = {w.scope.key: w.scope for w in _VOCABULARY}

# Phrases holding a setting's word without naming the setting: a match inside one does not count.
# A match that starts inside one does not count either: "(Hội đồng) nhân dân bàn và quyết định" is
# a council's vote, not the commune's people's.
_NOT_A_SETTING = (
    "xã hội", "hợp tác xã", "xã viên", "áp dụng", "áp lực", "áp đặt", "phường hội",
    "ủy ban nhân dân", "hội đồng nhân dân", "ban thanh tra nhân dân", "tòa án nhân dân", "viện kiểm sát nhân dân",
)  # fmt: skip

# Issuers whose texts govern one setting, by the code in a number ("…/TT-BQP") or by name.
_ISSUERS = {"BQP": QUAN_DOI, "BCA": CONG_AN}
_ISSUER_NAMES = {"bộ quốc phòng": QUAN_DOI, "bộ công an": CONG_AN}


def _pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as whole folded words; a comma may have spaces either side."""
    words = fold(phrase).replace(",", " , ").split()
    body = r"\s+".join(re.escape(w) for w in words).replace(r"\s+,\s+", r"\s*,\s*")
    return re.compile(rf"(?<!\w){body}(?!\w)")


@dataclass(frozen=True)
class _Term:
    phrase: str
    scope: Scope
    strong: bool
    pattern: re.Pattern[str]

    @property
    def single(self) -> bool:
        return " " not in self.phrase and "," not in self.phrase


_TERMS = tuple(
    _Term(phrase, w.scope, strong, _pattern(phrase))
    for w in _VOCABULARY
    for strong, phrases in ((True, w.strong), (False, w.weak))
    for phrase in phrases
)
_TRAPS = tuple(_pattern(p) for p in _NOT_A_SETTING)


@lru_cache(maxsize=512)
def _fold_char(ch: str) -> str:
    return fold(ch) or ch if ch.isalpha() else ch


def _mentions(text: str) -> list[tuple[int, int, _Term]]:
    """Every setting word in `text` (start, end, term), longest first where they overlap.

    One-syllable words fold onto common other words ("xa" far, "thon" slim, "lang"): they
    match without accents only when the whole text is written without them, else as written."""
    text = normalize_text(text).lower()
    folded = "".join(_fold_char(ch) for ch in text)  # one character per character, so spans agree
    unaccented = folded == text
    traps = [(m.start(), m.end()) for t in _TRAPS for m in t.finditer(folded)]
    found: list[tuple[int, int, _Term]] = []
    for term in _TERMS:
        for m in term.pattern.finditer(folded):
            a, b = m.span()
            if any(ta <= a < tb for ta, tb in traps):  # inside a trap, or starting in one
                continue
            if term.single and not unaccented and text[a:b] != term.phrase:
                continue  # "xa" (far) in an accented question is not "xã"
            found.append((a, b, term))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, _Term]] = []
    for a, b, term in found:
        if not any(ka <= a and b <= kb for ka, kb, _ in kept):
            kept.append((a, b, term))
    return sorted(kept, key=lambda f: f[0])


@lru_cache(maxsize=4096)  # the same chapter and article titles come back with every question
def scope_in(text: str) -> Scope | None:
    """The setting `text` names: a strong word before a weak one, then the first named."""
    mentions = _mentions(text)
    if not mentions:
        return None
    strong = [m for m in mentions if m[2].strong]
    return (strong or mentions)[0][2].scope


# "ở", "tại", "trong" before a setting: it is where the question asks, not what it asks about.
_AT = re.compile(r"(?:^|\s)(?:o|tai|trong)\s+$")


def setting_adjuncts(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that say where it asks ("Ở cơ quan nhà nước thì …", "… tại doanh nghiệp"):
    a setting's words after "ở", "tại", "trong", the preposition included. None when the text
    names two settings ("… ở xã … ở doanh nghiệp nhà nước": which one it asks is not plain), or
    when normalizing it changes its length (its spans would not be the text's)."""
    mentions = _mentions(text)
    named = {t.scope for _, _, t in mentions}
    named -= {s for s in named if any(n.broader == s.key for n in named)}  # "người lao động" of a DNNN
    if len(normalize_text(text)) != len(text) or len(named) > 1:
        return []
    folded = "".join(_fold_char(ch) for ch in text.lower())
    spans: list[tuple[int, int]] = []
    for a, b, term in mentions:
        at = _AT.search(folded[:a])
        if at:
            spans.append((at.start() + (1 if folded[at.start()].isspace() else 0), b))
        elif spans and (
            a <= spans[-1][1]
            or (term.strong and not text[a : a + 1].isupper() and _LISTED.fullmatch(folded[spans[-1][1] : a]))
        ):
            # "ở cơ quan, đơn vị sự nghiệp công lập"; not "Tại xã, Trưởng thôn …", "ở cơ quan, viên chức …"
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
    return spans


# Between two settings' words listed after one "ở": a comma or "và", "hoặc", or an opening
# bracket ("ở trường học (đơn vị sự nghiệp)": the second says what the first is)
_LISTED = re.compile(r"\s*(?:,|\(|,?\s+(?:va|hoac))\s*")


def asked_scope(question: str, unit: str = "") -> Scope | None:
    """The setting a question asks about ("ở xã", "cấp xã", "thôn", "doanh nghiep nha nuoc"),
    else the unit's own (`UNIT_SCOPE`, a key of `SCOPES`; empty: none); "xã hội" names none."""
    return scope_in(question) or SCOPES.get(unit)


class _Passage(Protocol):
    """What `scope_of` reads of an `ingest.models.Passage` (a protocol: models imports this package)."""

    @property
    def legal(self) -> LegalPlace | None: ...

    @property
    def facts(self) -> DocumentFacts: ...


def issuer_scope(ref: str, issuer: str | None = None) -> Scope | None:
    """The setting of a document by who issued it: "165/2018/TT-BQP" is the army's."""
    for code in re.split(r"[-/]", ref.upper()):
        if code in _ISSUERS:
            return _ISSUERS[code]
    return _ISSUER_NAMES.get((issuer or "").strip().lower())


def place_scope(place: LegalPlace) -> Scope | None:
    """The setting an article governs: its issuer, else its section within its chapter, else its title."""
    by_issuer = issuer_scope(place.source.ref, place.source.issuer)
    if by_issuer:
        return by_issuer
    chapter = scope_in(_title_of(place.chapter)) if place.chapter else None
    section = scope_in(_title_of(place.section)) if place.section else None
    if section and (chapter is None or section.broader == chapter.key or section == chapter):
        return section
    if chapter:
        return chapter
    return scope_in(place.article_title)


def document_scope(facts: DocumentFacts) -> Scope | None:
    """The setting of a whole document, from its metadata: its number's issuer, else the one
    setting its title names ("Hướng dẫn tổ chức hội nghị tập thể quân nhân …"); a title
    naming several settings ("… ở xã, cơ quan và doanh nghiệp") is general."""
    by_issuer = issuer_scope(facts.ref or "")
    if by_issuer:
        return by_issuer
    named = {m[2].scope for m in _mentions(facts.title)}
    return named.pop() if len(named) == 1 else None


def scope_of(passage: _Passage) -> Scope | None:
    """The setting a passage governs; None when it applies everywhere.

    A legal passage by its place in the law (`place_scope`), any other by its document's
    metadata (`document_scope`)."""
    return place_scope(passage.legal) if passage.legal else document_scope(passage.facts)


def fits(scope: Scope | None, asked: Scope | None) -> bool:
    """Whether a passage of `scope` answers a question about `asked`: a general rule does
    everywhere, a setting's rule in that setting and in any setting that includes it; the
    broader setting's rule in one that follows it (all employers' in the non-state sector,
    which its own Mục 2 sends back to them)."""
    return (
        scope is None
        or asked is None
        or scope == asked
        or scope.broader == asked.key
        or (asked.follows_broader and scope.key == asked.broader)
    )


def scope_setting(value: str | None) -> Scope | None:
    """`UNIT_SCOPE` read: empty is none; an unknown key is refused with the keys there are."""
    key = (value or "").strip().lower()
    if not key:
        return None
    if key not in SCOPES:
        raise ValueError(f"{value!r} is not a setting; use one of {', '.join(SCOPES)}, or leave it empty")
    return SCOPES[key]


def _title_of(label: str) -> str:
    """ "Chương II. THỰC HIỆN DÂN CHỦ Ở XÃ, PHƯỜNG, THỊ TRẤN" → its title, in lower case."""
    return label.split(". ", 1)[1].lower() if ". " in label else ""
