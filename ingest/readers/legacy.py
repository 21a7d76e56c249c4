"""Vietnamese text in the legacy TCVN3 (ABC) and VNI-Windows encodings, to Unicode.

Older official documents were typed with .VnTime (TCVN3) or VNI-Times fonts:
the bytes are Latin-1 letters that those fonts draw as Vietnamese. Read as
Windows-1252, or copied out of such a PDF or Word file, they show up as
"Quy chÕ d©n chñ" or "Quy cheá daân chuû". No maintained Python package on
PyPI converts them (UniKey's converter is a desktop tool), so the two tables
are here, after UniKey's vnconv charset tables.

Limits: TCVN3 capitals with tone marks were drawn by separate fonts
(.VnTimeH) from the lower-case codes, so in plain text they cannot be told
apart and come out in lower case; the capitals Ă Â Đ Ê Ô Ơ Ư are converted.
"""

from __future__ import annotations

import re

# TCVN3 single-byte codes, in the order of the Unicode letters below.
_TCVN3 = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦"
_TCVN3_UNICODE = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
TCVN3_TABLE = str.maketrans(dict(zip(_TCVN3, _TCVN3_UNICODE)))

# VNI-Windows: a base letter followed by a mark character, or one character.
# Upper-case letters take the upper-case mark characters.
_VNI_MARKS = {  # mark (lower, upper) -> combining marks it stands for
    ("ù", "Ù"): "\u0301",  # sắc
    ("ø", "Ø"): "\u0300",  # huyền
    ("û", "Û"): "\u0309",  # hỏi
    ("õ", "Õ"): "\u0303",  # ngã
    ("ï", "Ï"): "\u0323",  # nặng
    ("â", "Â"): "\u0302",  # circumflex
    ("ê", "Ê"): "\u0306",  # breve
    ("á", "Á"): "\u0302\u0301",
    ("à", "À"): "\u0302\u0300",
    ("å", "Å"): "\u0302\u0309",
    ("ã", "Ã"): "\u0302\u0303",
    ("ä", "Ä"): "\u0302\u0323",
    ("é", "É"): "\u0306\u0301",
    ("è", "È"): "\u0306\u0300",
    ("ú", "Ú"): "\u0306\u0309",
    ("ü", "Ü"): "\u0306\u0303",
    ("ë", "Ë"): "\u0306\u0323",
}
_VNI_SINGLE = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
    "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ",
    "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip


def _vni_pairs() -> dict[str, str]:
    import unicodedata

    pairs: dict[str, str] = {}
    for (lower, upper), marks in _VNI_MARKS.items():
        circumflex_or_breve = marks[0] in "\u0302\u0306"
        for base in "aeouy":
            if circumflex_or_breve and (base in "uy" or (marks[0] == "\u0306" and base != "a")):
                continue  # no such letter (ê, ô and â only; ă only)
            for b, m in ((base, lower), (base.upper(), upper)):
                pairs[b + m] = unicodedata.normalize("NFC", b + marks)
        for horned, plain in (("ô", "o\u031b"), ("ö", "u\u031b")):  # ơ, ư with a tone
            if not circumflex_or_breve:
                pairs[horned + lower] = unicodedata.normalize("NFC", plain + marks)
                pairs[horned.upper() + upper] = unicodedata.normalize("NFC", plain.upper() + marks)
    return pairs


VNI_TABLE = {**_VNI_SINGLE, **_vni_pairs()}
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))

# What each encoding shows when read as Windows-1252: in Unicode Vietnamese
# these almost never occur, in legacy text they are most marked letters.
_TCVN3_MARKERS = set("¸µ¶·¹¨©ª«®¬­¦§¤¥¢£¡")
_VNI_PAIRS = re.compile(r"[aeouyAEOUY][øùúûõïöôøœ]|[aeo][âá]")
_UNICODE_ONLY = re.compile(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]")


# A Vietnamese syllable, diacritics folded: initial consonant, vowels, final.
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
_WORD = re.compile(r"[^\W\d_]+")


def _vietnamese_share(text: str) -> float:
    """Share of the accented words in `text` that are Vietnamese syllables ("nạve" is not)."""
    from ingest.language.normalize import fold

    accented = [w for w in _WORD.findall(text[:20_000]) if not w.isascii()]
    if not accented:
        return 0.0
    return sum(bool(_SYLLABLE.fullmatch(fold(w))) for w in accented) / len(accented)


def detect(text: str) -> str | None:
    """'TCVN3' or 'VNI' when `text` looks like legacy Vietnamese read as Windows-1252, else None.

    A guess from the marker characters is kept only when the converted text
    reads as Vietnamese syllables: Latin-1 French or German ("naïve", "Noël")
    has the same characters but not the same words.
    """
    letters = sum(ch.isalpha() for ch in text) or 1
    guess = None
    if sum(ch in _TCVN3_MARKERS for ch in text) / letters > 0.03:
        guess = "TCVN3"
    elif len(_VNI_PAIRS.findall(text)) / letters > 0.03 and not _UNICODE_ONLY.search(text):
        guess = "VNI"
    if guess and _vietnamese_share(to_unicode(text[:20_000], guess)) < 0.8:
        return None
    return guess


def to_unicode(text: str, encoding: str) -> str:
    """Convert text in `encoding` ('TCVN3' or 'VNI') to Unicode (NFC)."""
    if encoding == "TCVN3":
        return text.translate(TCVN3_TABLE)
    if encoding == "VNI":
        return _VNI_PATTERN.sub(lambda m: VNI_TABLE[m[0]], text)
    raise ValueError(f"unknown legacy encoding {encoding!r}")
