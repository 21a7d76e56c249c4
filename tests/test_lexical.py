from ingest.index.lexical import LexicalIndex, learn_abbreviations, segment

TEXTS = [
    "Thực hiện Quy chế dân chủ (QCDC) ở cơ sở, Ban Dân vận tham mưu giúp Ban Thường vụ (BTV) Tỉnh ủy.",
    "Thu ngân sách đạt 8.331 tỷ đồng, đánh giá kết quả; huyện Mỹ Hào đạt chuẩn nông thôn mới.",
    "Quán triệt Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về QCDC.",
]


def test_learns_the_abbreviations_the_corpus_defines():
    assert learn_abbreviations(TEXTS) == {"QCDC": "quy chế dân chủ", "BTV": "ban thường vụ"}
    assert learn_abbreviations(["Ủy ban nhân dân (UBND) tỉnh", "một câu (ABC) không khớp"]) == {
        "UBND": "ủy ban nhân dân"
    }


def test_abbreviation_and_expansion_are_one_token():
    index = LexicalIndex.build(TEXTS)
    assert "#qcdc" in index.tokens("quy chế dân chủ là gì", question=True)
    assert "#qcdc" in index.tokens("qcdc", question=True)
    assert "#mttq" in index.tokens("vai trò của mặt trận tổ quốc")  # curated
    assert "#tu" not in index.tokens("tu", question=True)  # short ones only as written in capitals


def test_an_abbreviation_nested_in_a_longer_one_is_found_too():
    index = LexicalIndex.empty()
    committee = index.tokens("Trách nhiệm của Ủy ban Mặt trận Tổ quốc Việt Nam các cấp")
    assert "#ubmttq" in committee and "#mttq" in committee  # a question about the MTTQ finds its committees
    assert "#mttq" in index.tokens("UBMTTQ xã", question=True)
    assert "#mttq" in index.tokens("Mặt trận Tổ quốc Việt Nam") and "#mttqvn" in index.tokens(
        "Mặt trận Tổ quốc Việt Nam"
    )
    assert "#ubmttq" not in index.tokens("Mặt trận Tổ quốc")  # not the other way round


def test_a_passage_keeps_the_words_its_abbreviations_stand_for():
    # a question says "lao động" without "người" (an asking word): the passage's "người lao động"
    # is "#nld" and still its words, and "UBND" as written is also "ủy ban nhân dân"
    index = LexicalIndex.empty({"NLĐ": "người lao động"})
    passage = index.tokens("Hội nghị người lao động do UBND xã tổ chức")
    assert {"#nld", "lao", "dong", "lao_dong", "#ubnd", "uy_ban", "nhan_dan", "dan_xa", "#ubnd_xa"} <= set(passage)
    assert passage.count("hoi") == 1 and passage.count("hoi_nghi") == 1  # the other words once, as before
    asked = index.tokens("hội nghị người lao động do ai tổ chức", question=True)
    assert "#nld" in asked and "lao" not in asked  # a question keeps its one token
    assert (
        index.text_coverage("hội nghị , lao động", "Hội nghị người lao động do ban lãnh đạo tổ chức", pairs=False)
        == 1.0
    )


def test_the_embedded_question_has_its_abbreviations_written_out():
    index = LexicalIndex.empty()
    assert index.expand("MTTQ các cấp làm gì trong THDCCS?") == (
        "mặt trận tổ quốc (MTTQ) các cấp làm gì trong thực hiện dân chủ ở cơ sở (THDCCS)?"
    )
    assert index.expand("qcdc ở xã") == "quy chế dân chủ (qcdc) ở xã"  # typed in lower case
    assert index.expand("Tu ban, tu do") == "Tu ban, tu do"  # a syllable, not "TU"
    assert index.expand("") == ""


def test_unaccented_question_finds_accented_text_and_accents_are_preferred():
    index = LexicalIndex.build(TEXTS)
    assert index.scores("thu ngan sach dat bao nhieu").argmax() == 1
    accented = index.tokens("Thu ngân sách", question=True)
    assert "~ngân" in accented and "ngan" in accented


def test_document_numbers_and_words_are_tokens():
    tokens = LexicalIndex.empty().tokens("Nghị định 15/2020/NĐ-CP về quy chế dân chủ")
    assert "@15/2020/ND-CP" in tokens and "w:nghi_dinh" in tokens
    assert "15/2020/NĐ-CP" not in " ".join(segment("Nghị định 15/2020/NĐ-CP"))


def test_word_pairs_stop_folded_collisions():
    index = LexicalIndex.build(TEXTS)
    assert index.coverage("Tỷ giá đô la Mỹ hôm nay", 1) < 0.38
    assert index.coverage("Thu ngân sách đạt bao nhiêu tỷ đồng?", 1) > 0.6


def test_saved_index_loads_only_for_the_same_chunks(tmp_path):
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path / "lex", ["a", "b", "c"])
    loaded = LexicalIndex.load(tmp_path / "lex", ["a", "b", "c"])
    assert loaded is not None and loaded.abbreviations == index.abbreviations
    assert list(loaded.scores("quy chế dân chủ")) == list(index.scores("quy chế dân chủ"))
    assert LexicalIndex.load(tmp_path / "lex", ["a", "b"]) is None
    assert LexicalIndex.load(tmp_path / "missing", ["a"]) is None


def test_abbreviations_of_plain_phrases_are_read_as_their_words():
    index = LexicalIndex.build(TEXTS)
    typed = index.tokens("xã đạt chuẩn NTM", question=True)
    assert {"nong", "thon", "moi", "thon_moi"} <= set(typed) and "ntm" not in typed
    assert set(index.tokens("cbccvc", question=True)) == set(
        index.tokens("cán bộ, công chức, viên chức", question=True)
    )
    assert index.coverage("Huyện nào đạt chuẩn NTM?", 1) == index.coverage("Huyện nào đạt chuẩn nông thôn mới?", 1)
    assert index.expand("Xây dựng NTM") == "Xây dựng nông thôn mới"
    assert index.expand("vai trò của dbqh") == index.expand("vai trò của ĐBQH") == "vai trò của đại biểu quốc hội"
    assert "ntm" in index.tokens("ntm", question=False)  # in a text only as written in capitals


def test_the_frame_of_a_how_question_is_not_its_topic():
    index = LexicalIndex.empty()
    tokens = index.tokens("Làm sao để chính quyền gần dân hơn?", question=True)
    assert "de" not in tokens and "hon" not in tokens and "gan_dan" in tokens
    assert "hon" in index.tokens("hơn 2 năm qua", question=True)  # "hơn" opening a phrase stays


def test_a_local_report_is_matched_on_its_place():
    from ingest.facts import DocumentFacts
    from ingest.index.lexical import passage_text
    from ingest.models import Passage

    said = "có thêm 8 xã được công nhận đạt chuẩn nông thôn mới"
    elsewhere = DocumentFacts(title="Phát huy vai trò tham mưu")
    there = DocumentFacts(title="Phát huy vai trò tham mưu", locality="tỉnh Hưng Yên")
    texts = [passage_text(Passage(f"{i}:0", str(i), 0, said, 1.0, f)) for i, f in enumerate((elsewhere, there))]
    index = LexicalIndex.build(texts)
    assert index.scores("Hưng Yên có bao nhiêu xã đạt chuẩn nông thôn mới?").argmax() == 1
