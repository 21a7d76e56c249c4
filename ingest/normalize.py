"""Vietnamese text normalization: one home, used on documents and questions alike.

`normalize_text` is what gets indexed and embedded; the original text is kept
for display. `fold` is the diacritic-insensitive form used for lexical matching.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces scraped pages carry (no-break, thin, figure, ideographic…) become a
# plain space; zero-width characters and the BOM disappear.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_RUN = re.compile(r"[ ]{2,}")

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# Old-style tone placement on open "oa", "oe", "uy" syllables (hoà, khoẻ, thuỷ)
# moves to the first vowel (hòa, khỏe, thủy), the placement most current
# official text uses. "qu" + y keeps its mark on y (quý), and a closed syllable
# (hoàng, huyện) is the same in both styles, hence the look-arounds. Written by
# hand: no maintained library does only this without re-spacing the text.
_OLD_TONE_OA_OE = re.compile(rf"([oO])([aAeE])([{_TONES}])(?![^\W_])")
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
    text = unicodedata.normalize("NFC", text)
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


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Folded word tokens (syllables, for Vietnamese), numbers included."""
    return _WORD.findall(fold(text))


def has_words(text: str) -> bool:
    """Whether the text has at least one letter or digit (not only punctuation or emoji)."""
    return any(ch.isalnum() for ch in text)


# Words that shape a question but carry no topic ("… là gì?", "bao nhiêu",
# "ai là tác giả"), removed from questions before lexical matching. Folded.
_QUESTION_PHRASES = re.compile(
    r"\b(?:la gi|la ai|ai la|tac gia|bai viet|bai bao|cho biet|cho hoi|nhu the nao|the nao|"
    r"bao nhieu|bao gio|khi nao|o dau|tai sao|vi sao|ra sao|yeu cau gi|quy dinh gi|"
    r"noi dung gi|van de gi|ngay nao|nam nao|nao|gi|ai|a|nhe|vay)\b"
)


def lexical_tokens(text: str, *, question: bool = False) -> list[str]:
    """Tokens for lexical matching: folded syllables, accented syllables, folded bigrams.

    Folded syllables let "nghi quyet" find "nghị quyết"; accented ones (marked
    "~") make a question typed with accents prefer exact accents; bigrams
    keep "dân chủ" apart from "chủ" and "dân" scattered in a passage.
    """
    norm = normalize_text(text).lower()
    accented = _WORD.findall(norm)
    folded = [fold(w) for w in accented]
    if question:
        kept = _QUESTION_PHRASES.sub(" ", " ".join(folded)).split()
        if kept:  # keep the accented forms of the words that remain, in order
            remaining = iter(kept)
            want = next(remaining, None)
            pairs = []
            for f, a in zip(folded, accented):
                if f == want:
                    pairs.append((f, a))
                    want = next(remaining, None)
            folded, accented = [f for f, _ in pairs], [a for _, a in pairs]
    tokens = folded + ["~" + a for a, f in zip(accented, folded) if a != f]
    tokens += [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
    return tokens
