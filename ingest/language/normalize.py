"""Vietnamese text normalization: one home, used on documents and questions alike.

`normalize_text` is what gets indexed and embedded; the original text is kept
for display. `fold` is the diacritic-insensitive form used for lexical matching.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

# Spaces scraped pages carry (no-break, thin, figure, ideographic…) become a
# plain space; zero-width characters, the BOM and bidirectional overrides disappear.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
_SPACE_RUN = re.compile(r"[ ]{2,}")
# Control characters (C0 but tab and line breaks, DEL, C1 but NEL, and the
# two noncharacters XML refuses): PDF extraction and scrapes leave them;
# Word files and terminals choke on them. The separators (vertical tab, form
# feed, \x1c-\x1f, NEL) are line breaks. Unicode's Bidi_Control characters
# (marks, embeddings, overrides, isolates) go too: U+202E in a DOCX or web
# page title displays its letters reversed ("spoofing"); Vietnamese never needs them.
_BIDI = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(rf"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffe\uffff{_BIDI}]")
_SEPARATOR = re.compile(r"[\x0b\x0c\x1c-\x1f\x85]")
# Lone surrogates: what Python makes of bytes that are not UTF-8 in argv and file names.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Whether `text` came from bytes that were not UTF-8 (argv, file names)."""
    return _SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """Text as it enters the product (documents, metadata): no control
    characters, separators as line breaks, no lone surrogates; everything
    else as written. What remains is valid in XML (Word files) and harmless
    in a terminal."""
    return _SURROGATE.sub("\ufffd", _SEPARATOR.sub("\n", _CONTROL.sub("", text)))


def printable(text: str) -> str:
    """One line safe for a terminal or a log: control characters and line
    breaks escaped, bytes that were not UTF-8 shown as \\xNN. For file names
    and other text a user did not write (a name with a newline must not forge
    a line of output)."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# Old-style tone placement on open "oa", "oe", "uy" syllables (hoà, khoẻ, thuỷ)
# moves to the first vowel (hòa, khỏe, thủy), the placement most current
# official text uses. "qu" + y keeps its mark on y (quý), and a closed syllable
# (hoàng, huyện) is the same in both styles, hence the look-arounds. Written by
# hand: no maintained library does only this without re-spacing the text.
# NFD puts a dot below before a breve or circumflex ("ặ" is a, dot, breve): that vowel is "ă",
# whose mark it is, so "hoặc" stays (it became "họăc").
_OLD_TONE_OA_OE = re.compile(rf"([oO])([aAeE])([{_TONES}])(?![^\W_]|[\u0302\u0306])")
_OLD_TONE_UY = re.compile(rf"(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W_])")


def canonical_tones(text: str) -> str:
    """Rewrite old-style tone placement (uỷ, hoà, khoá) to the new style (ủy, hòa, khóa)."""
    nfd = unicodedata.normalize("NFD", text)
    nfd = _OLD_TONE_OA_OE.sub(r"\1\3\2", nfd)
    nfd = _OLD_TONE_UY.sub(r"\1\3\2", nfd)
    return unicodedata.normalize("NFC", nfd)


def normalize_text(text: str) -> str:
    """NFC, canonical tone marks, plain spaces, single spaces, trimmed lines.

    Paragraph breaks (blank lines) survive so chunking can still see them.
    """
    text = unicodedata.normalize("NFC", clean_text(text))
    text = _ZERO_WIDTH.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = canonical_tones(text)
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def fold(text: str) -> str:
    """Lower-case, diacritics removed, đ→d: how people type without accents."""
    nfd = unicodedata.normalize("NFD", normalize_text(text).lower())
    stripped = "".join(ch for ch in nfd if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


@functools.lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """`fold` of one word, cached: a language has a few thousand syllables, and matching
    folds every word of every sentence it weighs (most of a warm answer's time without it)."""
    return fold(word)


WORD = re.compile(r"[^\W_]+")  # a syllable or a number

# Syllables written with a final i or y alike, one a spelling of the other ("qui/quy chế",
# "tỉ/tỷ lệ", "kĩ/kỹ năng", "lí/lý do", "bác sĩ/sỹ"): an initial consonant and the vowel alone.
_IY = re.compile(r"(?:qu|[bdhklmnrstv])[iíìỉĩị]")
_TO_Y = str.maketrans("iíìỉĩị", "yýỳỷỹỵ")


def same_iy(syllable: str) -> str:
    """The y spelling of a syllable that may end in i or y (lower case, folded or not)."""
    return syllable.translate(_TO_Y) if _IY.fullmatch(syllable) else syllable


def words(text: str) -> list[str]:
    """Folded word tokens (syllables, for Vietnamese), numbers included."""
    return WORD.findall(fold(text))


def inside_spans(folded: Sequence[str], find: Callable[[str], Iterable[tuple[int, int]]]) -> list[bool]:
    """For folded words, whether each starts inside a span that `find` gives on the line
    " w1 w2 … " (one space between and either side, so a phrase is found whole-word)."""
    starts, line = [], " "
    for w in folded:
        starts.append(len(line))
        line += w + " "
    spans = list(find(line))
    return [any(a <= at < b for a, b in spans) for at in starts]


def has_words(text: str) -> bool:
    """Whether the text has at least one letter or digit (not only punctuation or emoji)."""
    return any(ch.isalnum() for ch in text)
