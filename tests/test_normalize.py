import unicodedata

import pytest

from ingest.language.normalize import canonical_tones, fold, has_words, normalize_text
from ingest.language.tokens import lexical_tokens


def test_decomposed_unicode_becomes_nfc():
    decomposed = unicodedata.normalize("NFD", "Quy chế dân chủ ở cơ sở")
    assert decomposed != "Quy chế dân chủ ở cơ sở"
    assert normalize_text(decomposed) == "Quy chế dân chủ ở cơ sở"


def test_odd_spaces_and_zero_width_characters():
    assert normalize_text("giúp\u00a0BTV  Tỉnh\u202fủy\u200b chỉ\tđạo ") == "giúp BTV Tỉnh ủy chỉ đạo"


def test_paragraph_breaks_survive():
    assert normalize_text("Một.\n\n\n\nHai.\r\nBa.") == "Một.\n\nHai.\nBa."


@pytest.mark.parametrize(
    ("old", "new"),
    [("Tỉnh uỷ", "Tỉnh ủy"), ("hoà", "hòa"), ("khoá XVII", "khóa XVII"), ("thuỷ", "thủy"),
     ("khoẻ", "khỏe"), ("UỶ BAN", "ỦY BAN"), ("Hoà Bình", "Hòa Bình")],
)
def test_old_tone_placement_is_made_canonical(old, new):
    assert canonical_tones(old) == new
    assert normalize_text(old) == new


@pytest.mark.parametrize("word", ["quý", "quỷ", "hoàng", "huyện", "khuỷu", "thuyền", "ủy", "hoặc", "ngoặc", "Hoặc"])
def test_words_already_canonical_are_left_alone(word):
    assert canonical_tones(word) == word


def test_fold_removes_diacritics_and_d_stroke():
    assert fold("Đảng bộ Tỉnh Ủy") == "dang bo tinh uy"
    assert fold("nghị quyết") == fold("nghi quyet")


def test_has_words():
    assert has_words("QCDC?")
    assert not has_words("?!… 🙂🙂 ---")


def test_lexical_tokens_match_with_or_without_accents():
    accented = set(lexical_tokens("Nghị quyết về đội ngũ cán bộ"))
    plain = lexical_tokens("nghi quyet ve doi ngu", question=True)
    assert set(plain) <= accented
    # the accented question also carries exact-accent tokens
    assert "~nghị" in lexical_tokens("nghị quyết", question=True)


def test_question_words_are_dropped_from_questions_only():
    q = lexical_tokens("Kết luận 120 yêu cầu gì?", question=True)
    assert "gi" not in q and "ket" in q and "120" in q
    assert "gi" in lexical_tokens("yêu cầu gì")


def test_word_pairs_never_bridge_the_words_that_shape_a_question():
    tokens = lexical_tokens("Ban Thanh tra nhân dân ở xã có mấy người?", question=True)
    assert "co_nguoi" not in tokens and "may" not in tokens and "nguoi" in tokens
    assert "may_bay" in lexical_tokens("Giá vé máy bay", question=True)  # "máy" is not "mấy"
    assert "bao_lau" not in lexical_tokens("Nhiệm kỳ là bao lâu?", question=True)


def test_a_syllable_typed_with_accents_must_be_found_with_them():
    from ingest.index.lexical import LexicalIndex

    index = LexicalIndex.build(["Phát phiếu lấy ý kiến hộ gia đình.", "Mức phạt vi phạm hành chính."])
    assert index.coverage("mức phạt", 0) < index.coverage("mức phạt", 1)
    assert index.coverage("muc phat", 0) > 0  # typed without accents: either may be meant


def test_i_and_y_spellings_of_a_syllable_are_one_token():
    from ingest.index.lexical import LexicalIndex
    from ingest.language.normalize import same_iy

    assert [same_iy(s) for s in ("qui", "quí", "tỉ", "kĩ", "lí", "si")] == ["quy", "quý", "tỷ", "kỹ", "lý", "sy"]
    assert [same_iy(s) for s in ("khi", "thi", "gi", "ai", "quyết")] == ["khi", "thi", "gi", "ai", "quyết"]
    index = LexicalIndex.build(["Quy chế dân chủ ở cơ sở.", "Tỷ lệ hộ gia đình văn hóa đạt 90%."])
    assert index.coverage("qui chế dân chủ", 0) == index.coverage("quy chế dân chủ", 0) == 1.0
    assert index.coverage("tỉ lệ hộ gia đình văn hóa", 1) == 1.0  # typed with accents, the other spelling
    assert "vi" not in index.tokens("Vì sao?", question=True)  # "vì sao" still shapes the question
