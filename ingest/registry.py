"""The directive registry: one entry per distinct document the corpus cites.

Built (`ingest.registry_build`) from the citations in every indexed chunk, merged when they
agree (same number and symbol, compatible date, same locality for local symbols), then
corrected by `corpus/directives.yaml`. Numbers are reused (25-NQ/TW
exists for 2003, 2008 and 2013; every province has its own 01-ĐA/TU), so an
entry's identity is its reference plus its date and, for local symbols, the
locality of the documents that cite it.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.language.citations import ref_key
from ingest.language.normalize import fold, inside_spans
from ingest.links import DirectiveLink, PrimaryText

log = logging.getLogger(__name__)

# Central issuers: Party symbols ending in /TW; State symbols of the
# Government, the Prime Minister, the National Assembly and the ministries
# (B…). Everything else (TU, HU, ĐU, BDVTU, UBND, HĐND, S…) is local: its
# numbers are per province, city or district.
_CENTRAL_STATE = re.compile(r"^(?:CP|TTG|QH\d*|UBTVQH\d*|B[A-Z]{1,8}|TANDTC|VKSNDTC|KTNN|NHNN|MTTQVN)$")
# Words left out of a name's initials, as people abbreviate ("thực hiện dân chủ ở cơ sở" → THDCCS).
_NOT_INITIALS = {"o", "va", "cua", "ve", "cac", "trong"}
# The country an official name ends with, which people leave out ("Luật Mặt trận Tổ quốc").
_COUNTRY = " viet nam"


@dataclass
class Mention:
    doc_id: str
    title: str
    chunk_id: str
    sentence: str
    text: str  # the mention as written


@dataclass
class Directive:
    ref: str
    type: str | None
    number: str
    symbol: str | None
    date: str | None
    issuer: str | None
    term: str | None
    locality: str | None  # set for local symbols (TU, HU, UBND, …): whose document it is
    subject: str | None
    aliases: list[str] = field(default_factory=list)
    url: str | None = None
    note: str | None = None
    relations: list[DirectiveLink] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    primary: PrimaryText | None = None  # when the corpus holds its own text
    name: str | None = None  # a legal text's own name: "Luật Thực hiện dân chủ ở cơ sở"
    in_force: str | None = None  # ISO date, as its notes state
    articles: dict[str, list[str]] = field(default_factory=dict)  # "12" → chunk ids, for its own text
    article_titles: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return "|".join([ref_key(self.ref), self.date or "", self.locality or ""])

    @property
    def keys(self) -> set[str]:
        return {ref_key(self.ref), *(ref_key(a) for a in self.aliases)}

    @property
    def held(self) -> bool:
        """Whether the library holds its own text (not only what cites it)."""
        return bool(self.primary or self.articles)

    @property
    def names(self) -> list[str]:
        """Names people call it by, besides its number: its own name, or the name a text gives it
        beside its number ("Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13"); that name without
        "thực hiện" ("Luật dân chủ ở cơ sở") or without the country ("Luật Mặt trận Tổ quốc");
        each one's initials ("Luật THDCCS", "Luật MTTQ"); and its type with its subject."""
        found = [self.name] if self.name else self.stated_names()
        if self.type and self.subject:
            found.append(f"{self.type} {self.subject}")
        for name in list(found):
            if self.type and fold(name).startswith(fold(self.type) + " "):
                rest = name[len(self.type) + 1 :]
                shorter = [rest]
                if fold(rest).startswith("thuc hien "):
                    shorter.append(rest[10:])
                if fold(rest).endswith(_COUNTRY) and len(rest.split()) > 4:
                    shorter.append(rest[: -len(_COUNTRY)])
                for short in shorter:
                    found.append(f"{self.type} {short}")
                    initials = "".join(w[0] for w in fold(short).split() if w not in _NOT_INITIALS and w[0].isalpha())
                    if len(initials) >= 4 and len(short.split()) <= 8:
                        found.append(f"{self.type} {initials}")
        return [n for n in dict.fromkeys(found) if len(n.split()) >= 2]

    def stated_names(self) -> list[str]:
        """Names the citing sentences write before its number: "… của Luật Mặt trận Tổ quốc Việt Nam
        số 75/2015/QH13" names Luật 75/2015/QH13. Only a name in capitals after its type word."""
        if not self.type:
            return []
        kind = re.escape(self.type)
        found = []
        for m in self.mentions:
            said = re.search(
                rf"\b{kind}\s+(?P<name>[A-ZĐÀ-Ỹ][^\s,;:()“”\"]*(?:\s+[^\s,;:()“”\"]+){{0,9}}?)\s+số\s+{re.escape(m.text)}",
                m.sentence,
            )
            if said and not re.search(r"\d", said["name"]):
                found.append(f"{self.type} {said['name']}")
        return found

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Directive:
        data = dict(data)
        data["mentions"] = [Mention(**m) for m in data.get("mentions", [])]
        data["relations"] = [DirectiveLink(**r) for r in data.get("relations", [])]
        data["primary"] = PrimaryText(**data["primary"]) if data.get("primary") else None
        return cls(**data)


@dataclass
class Registry:
    directives: list[Directive]
    unresolved: list[Mention]
    # (folded name, entry) for `named_in`, made at its first call: a question must not fold every
    # name again. The registry is complete by then (`build_registry` and `from_json` return it so).
    _names: list[tuple[str, Directive]] | None = field(default=None, init=False, repr=False, compare=False)

    def find(self, key: str) -> list[Directive]:
        """Entries whose reference or alias has this key."""
        return [d for d in self.directives if key in d.keys]

    def named_in(self, text: str) -> list[Directive]:
        """Entries whose name the text writes ("Luật Thực hiện dân chủ ở cơ sở", "luat thdccs"),
        with or without diacritics; the longest name wins where two overlap."""
        chosen: list[Directive] = []
        for _, _, d in self._name_hits(_name_key(text)):
            if d not in chosen:
                chosen.append(d)
        return chosen

    def without_names(self, words: list[str]) -> list[str]:
        """The words (as written) less the names of known entries: "Luật THDCCS có hiệu lực…" → "có hiệu lực…"."""
        named = inside_spans([fold(w) for w in words], lambda line: [(a, b) for a, b, _ in self._name_hits(line)])
        return [w for w, gone in zip(words, named) if not gone]

    def _name_hits(self, folded: str) -> list[tuple[int, int, Directive]]:
        """Where names occur in a folded text, left to right; the longest where two overlap."""
        if self._names is None:
            self._names = [(_name_key(name), d) for d in self.directives for name in d.names]
        hits: list[tuple[int, int, Directive]] = []
        for key, d in self._names:
            at = folded.find(key)
            if at != -1:
                hits.append((at, at + len(key), d))
        # where two entries share a name ("Luật Mặt trận Tổ quốc Việt Nam" of 1999 and of 2015), the one held
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0]), not h[2].held))
        chosen: list[tuple[int, int, Directive]] = []
        end = -1
        for hit in hits:
            if hit[0] >= end - 1:
                chosen.append(hit)
                end = hit[1]
        return chosen

    def to_json(self) -> str:
        data = {
            "directives": [d.to_json() for d in self.directives],
            "unresolved": [asdict(m) for m in self.unresolved],
        }
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str | None) -> Registry:
        if not text:
            return cls([], [])
        data = json.loads(text)
        return cls(
            [Directive.from_json(d) for d in data["directives"]],
            [Mention(**m) for m in data["unresolved"]],
        )


def _name_key(text: str) -> str:
    """Folded words between spaces, punctuation dropped: " luat thdccs " matches inside a question."""
    return " " + " ".join(re.sub(r"[^\w/-]+", " ", fold(text)).split()) + " "


def is_local(symbol: str | None) -> bool:
    """Whether a symbol's issuer is a local body (its number is per province or city)."""
    if not symbol:
        return True
    if not re.match(r"\d{4}/", symbol) and "/" in symbol:  # Party style "KL/TW", "KH/BDVTU-BCSĐUBND"
        return "TW" not in fold(symbol.split("/", 1)[1]).upper().split("-")
    issuer = fold(symbol.rsplit("/", 1)[-1].split("-")[-1]).upper()  # State style "2016/TT-BTC", "QĐ-UBND"
    return not _CENTRAL_STATE.match(issuer)
