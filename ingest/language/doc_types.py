"""Document types as texts write them: type words, the abbreviations people type,
the codes of symbols ("KL" in "120-KL/TW"), and whether words that fold to a type
word are written as one. The tables the citation grammar (ingest.language.citations) is built on.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.language.normalize import fold

# Type words, folded → as written. Longer phrases first, so "Thông báo kết
# luận" is not read as "Thông báo".
TYPES = {
    "thong bao ket luan": "Thông báo kết luận",
    "chuong trinh phoi hop": "Chương trình phối hợp",
    "chuong trinh hanh dong": "Chương trình hành động",
    "nghi quyet lien tich": "Nghị quyết liên tịch",
    "thong tu lien tich": "Thông tư liên tịch",
    "nghi quyet": "Nghị quyết",
    "ket luan": "Kết luận",
    "chi thi": "Chỉ thị",
    "quyet dinh": "Quyết định",
    "quy dinh": "Quy định",
    "thong bao": "Thông báo",
    "de an": "Đề án",
    "ke hoach": "Kế hoạch",
    "chuong trinh": "Chương trình",
    "huong dan": "Hướng dẫn",
    "quy che": "Quy chế",
    "phap lenh": "Pháp lệnh",
    "nghi dinh": "Nghị định",
    "thong tu": "Thông tư",
    "cong van": "Công văn",
    "cong dien": "Công điện",
    "dieu le": "Điều lệ",
    "bao cao": "Báo cáo",
    "luat": "Luật",
}
# Abbreviated types people type in questions ("KL 120", "NQ 25"); only with a bare number.
ABBREVIATED_TYPES = {
    "nq": "Nghị quyết",
    "kl": "Kết luận",
    "ct": "Chỉ thị",
    "qd": "Quyết định",
    "tb": "Thông báo",
    "kh": "Kế hoạch",
    "hd": "Hướng dẫn",
    "nd": "Nghị định",
    "tt": "Thông tư",
    "da": "Đề án",
}
# The type a symbol's code stands for, when the text writes no type word.
CODE_TYPES = {
    "KL": "Kết luận",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "TB": "Thông báo",
    "TBKL": "Thông báo kết luận",
    "ĐA": "Đề án",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "CTPH": "Chương trình phối hợp",
    "HD": "Hướng dẫn",
    "QC": "Quy chế",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh",
    "CV": "Công văn",
    "CĐ": "Công điện",
    "BC": "Báo cáo",
}
# Symbol parts written with Đ or in mixed case, keyed by their folded upper
# form, so "217-qd/tw" and "217-QĐ/TW" get one spelling.
CODE_SPELLING = {fold(code).upper(): code for code in CODE_TYPES} | {
    "BCSDUBND": "BCSĐUBND",
    "BCSD": "BCSĐ",
    "DU": "ĐU",
    "HDND": "HĐND",
    "TTDT": "TTĐT",
    "DUK": "ĐUK",
}
# "văn bản số 01": a document of unstated type (matches any type on lookup).
GENERIC = "van ban"
# "KL120", "NQ25", "NĐ59/2023": the abbreviations most typed, glued to the number (two digits or more).
GLUED = "nq|kl|ct|qd|nd|tt"


def _marks(ch: str) -> tuple[str, set[str]]:
    """A letter's base (đ as d) and its diacritics (đ's stroke as one)."""
    nfd = unicodedata.normalize("NFD", ch.lower())
    stroke = {"đ"} if nfd[0] == "đ" else set()
    return ("d" if stroke else nfd[0]), set(nfd[1:]) | stroke


def written_as_type(written: str, folded: str) -> bool:
    """Whether words that fold to a type word (or its abbreviation) are written as one.

    Folding merges ordinary words into type words: "để ăn" and "dễ ăn" fold
    to "de an" (Đề án), "tối đa" ends in "da" (ĐA). A type word may be typed
    without its accents, or some of them ("Nghi quyêt"), never with others;
    an abbreviation carries no accent, and one that could be a syllable
    (it has a vowel: "ĐA") is written in capitals.
    """
    if folded in ABBREVIATED_TYPES or folded in GLUED.split("|"):
        if any(_marks(ch)[1] - {"đ"} for ch in written):
            return False
        return written.isupper() or not re.search(r"[aeiouy]", folded)
    word = "văn bản" if folded == GENERIC else TYPES.get(folded)
    if word is None or len(word) != len(written):
        return True
    for w, t in zip(written, word):
        (w_base, w_marks), (t_base, t_marks) = _marks(w), _marks(t)
        if w_base != t_base or not w_marks <= t_marks:
            return False
    return True
