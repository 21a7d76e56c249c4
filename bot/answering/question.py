"""A question as the service answers it: validated once, normalized, its citations parsed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.errors import InvalidQuestionError
from ingest.language.citations import Citation, parse_citations
from ingest.language.doc_types import ABBREVIATED_TYPES
from ingest.language.normalize import fold, has_surrogates, has_words, normalize_text
from ingest.language.vocabulary import Vocabulary

# A number a user types ("/nguon 2", "ý (3)", "--chapter 2"): ASCII digits only. str.isdigit()
# and \d accept "²" or "٣", which int() refuses or reads as another number.
ASCII_NUMBER = re.compile(r"[0-9]{1,6}")
# Chat shorthand for the words a question is phrased with ("đc" → "được", "j" → "gì"), read as
# those words: typed as is, each is a rare word no passage holds (it drags a question's coverage
# down) and hides the question's form ("những nội dung j"). Function words only, and lower case
# only: "k" (a legal point), "kg", "nd" (nhân dân or nội dung) and "CT" stay as typed.
TEXTED = {
    "j": "gì", "gj": "gì", "đc": "được", "dc": "được", "ko": "không", "k0": "không", "hok": "không",
    "khum": "không", "khg": "không", "ntn": "như thế nào", "bn": "bao nhiêu", "bnh": "bao nhiêu",
    "bnhiu": "bao nhiêu", "bnhieu": "bao nhiêu", "bnhiêu": "bao nhiêu",
    "ng": "người", "cx": "cũng", "vs": "với", "trc": "trước", "mn": "mọi người", "nx": "nữa",
}  # fmt: skip
_TEXTED = re.compile(r"(?<![\w/-])(" + "|".join(sorted(TEXTED, key=len, reverse=True)) + r")(?![\w/-])")


@dataclass(frozen=True)
class Question:
    asked: str  # as typed, shown back to the user
    text: str  # normalized, chat shorthand read as words: what is matched and embedded
    citations: tuple[Citation, ...]  # the documents it names

    @classmethod
    def parse(cls, asked: str, max_chars: int) -> Question:
        """The question, or InvalidQuestionError saying why it cannot be answered."""
        text = _TEXTED.sub(lambda m: TEXTED[m[1]], validate_question(asked, max_chars))
        return cls(asked, text, tuple(parse_citations(text)))


# The kind a place's name opens with in the registry ("tỉnh Hưng Yên"): not part of its initials.
_PLACE_KIND = re.compile(r"^(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+", re.IGNORECASE)
# Initials are a place only where a place is said: after "ở", "tại", "tỉnh", "thành phố", "TP",
# "của", or a Party committee ("Tỉnh ủy HY", "Thành ủy BN"); elsewhere "HN" is a hội nghị, "CB" a cán bộ.
_INITIALS = re.compile(r"\b((?:ở|tại|tỉnh|phố|TP|của|ủy|uỷ) )([A-ZĐ]{2,3})(?![\w/-])(?!\s*\d)", re.IGNORECASE)


def places_written_out(text: str, localities: Iterable[str], vocabulary: Vocabulary) -> str:
    """The question with a library place typed by its initials written out ("ở HY" → "ở Hưng
    Yên"): people type a province so, and its report's sentences count the place as said only by
    its name. Only capitals, only the initials of exactly one place of the library, and none
    already a document's type or an abbreviation of the vocabulary ("CT" is Chỉ thị, not Cần Thơ)."""

    def taken(typed: str) -> bool:
        return fold(typed) in ABBREVIATED_TYPES or any(True for _ in vocabulary.matches(typed))

    names = {_PLACE_KIND.sub("", n).strip() for n in localities} - {""}
    by_initials: dict[str, list[str]] = {}
    for name in names:
        by_initials.setdefault("".join(fold(w)[0] for w in name.split()).upper(), []).append(name)

    def written(m: re.Match[str]) -> str:
        typed = m[2]
        found = by_initials.get(fold(typed).upper(), []) if typed.isupper() else []
        return m[1] + (found[0] if len(found) == 1 and not taken(typed) else typed)

    return _INITIALS.sub(written, text)


def validate_question(question: str, max_chars: int) -> str:
    """The question as it will be answered, or InvalidQuestionError saying why not."""
    if has_surrogates(question):  # bytes that are not UTF-8, from a terminal or a script
        raise InvalidQuestionError(
            "question is not valid UTF-8",
            user_message="Câu hỏi có ký tự không hợp lệ (không phải UTF-8): hãy gõ lại bằng bộ gõ tiếng Việt Unicode.",
        )
    text = normalize_text(question)
    if not text:
        raise InvalidQuestionError("empty question", user_message="Câu hỏi trống: hãy nhập nội dung cần hỏi.")
    if len(text) > max_chars:
        raise InvalidQuestionError(
            f"question of {len(text)} characters (limit {max_chars})",
            user_message=f"Câu hỏi quá dài ({len(text)} ký tự; tối đa {max_chars}): hãy hỏi ngắn gọn hơn.",
        )
    if not has_words(text):
        raise InvalidQuestionError(
            "question has no letters or digits",
            user_message="Câu hỏi không có chữ hay số nào: hãy nhập câu hỏi bằng lời.",
        )
    return text


def user_number(text: str) -> int | None:
    """The number a user typed (ASCII digits, at most six), or None for anything else."""
    return int(text) if ASCII_NUMBER.fullmatch(text) else None
