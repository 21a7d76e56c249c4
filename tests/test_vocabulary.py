"""The domain vocabulary (issue 31, item 1): people's words add the texts' terms, as data."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.index.lexical import CURATED_ABBREVIATIONS
from ingest.language import vocabulary
from ingest.language.normalize import fold, words
from ingest.language.vocabulary import Vocabulary, builtin_entries, load, parse, unit_file, unit_vocabulary
from ingest.settings import Settings

BUILTIN = Vocabulary(list(builtin_entries()))


def _alternatives():
    for entry in builtin_entries():
        for word in entry.words:
            if not word.startswith("!"):
                yield word, entry


# Each entry tested: every alternative written in a question adds the entry's terms (unless the
# question says them already), or, for the index's one-token abbreviations, nothing twice; a
# `held` entry's terms stand for its words where a text says them, and are offered as such.
@pytest.mark.parametrize(("word", "entry"), list(_alternatives()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_entry_expands_its_words(word, entry):
    question = f"Thưa cán bộ, {word} thế nào"
    matched = [e for _, e in BUILTIN.matches(question)]
    assert entry in matched or any(len(fold(w).split()) > len(fold(word).split()) for e in matched for w in e.words), (
        f"{word!r} did not match"
    )
    expanded = BUILTIN.expand(question)
    assert expanded.startswith(question)  # the user's words stay, first
    if entry in matched and entry.held:
        assert any(terms == entry.terms for _, terms in BUILTIN.alternatives(question))
    elif entry in matched and not entry.token:
        said = " ".join(words(expanded))
        for term in entry.terms:
            assert " ".join(words(term)) in said


def test_builtin_vocabulary_is_a_few_hundred_entries_each_with_terms():
    entries = builtin_entries()
    assert len(entries) >= 200
    assert sum(len(e.words) for e in entries) >= 500
    assert all(e.terms for e in entries)


def test_issue_examples_expand_to_the_texts_terms():
    cases = {
        "Lệ làng có viết bằng tiếng dân tộc được không?": "hương ước",
        "Trưởng bản do ai bầu?": "Trưởng thôn",
        "Trưởng ấp làm sai thì bãi thế nào?": "cho thôi làm",
        "Họp xóm bao lâu một lần?": "hội nghị thôn, tổ dân phố",
        "Góp tiền làm đường thì ai quyết?": "đóng góp xây dựng cơ sở hạ tầng, công trình công cộng",
        "Nhà thầu rút ruột công trình thì ai giám sát?": "giám sát đầu tư của cộng đồng",
        "Dán lên bảng tin mấy ngày?": "niêm yết",
        "Tiền in tài liệu ai chi?": "kinh phí",
        "BTT xã có mấy người?": "Ban Thanh tra nhân dân",
        "Theo NĐ 59 thì sao?": "Nghị định",
    }
    for question, term in cases.items():
        assert term in BUILTIN.expand(question), question


def test_xa_hoi_does_not_expand_as_xa():
    assert "cấp xã" in BUILTIN.expand("Xã có phải công khai không?")
    assert BUILTIN.expand("Công tác xã hội hóa giáo dục") == "Công tác xã hội hóa giáo dục"
    assert BUILTIN.expand("Hợp tác xã") == "Hợp tác xã"


def test_unaccented_question_matches_but_quy_dinh_is_not_quy_dinh():
    assert "hương ước" in BUILTIN.expand("le lang co hieu luc khi nao")
    # folded, "quy định" is "quỹ đình" (a temple fund)
    assert "quỹ" not in BUILTIN.expand("Nghị định này quy định gì?")
    assert "quỹ" not in BUILTIN.expand("nghi dinh nay quy dinh gi")


def test_one_syllable_word_needs_its_accents():
    # folded, "bản" (a hamlet) is "ban" (a board) and "ấp" is the "áp" of "áp dụng"
    assert "thôn" not in BUILTIN.expand("Ban chỉ đạo ban hành kế hoạch")
    assert "thôn" not in BUILTIN.expand("Quy định này áp dụng cho ai?")
    assert "thôn" in BUILTIN.expand("Ấp của tôi họp mấy lần?")


def test_abbreviation_not_inside_a_document_number_nor_lower_case_two_letters():
    assert "(Nghị định)" not in BUILTIN.expand("Nghị định 59/2023/NĐ-CP nói gì")
    assert "Thông tư" not in BUILTIN.expand("tt xã có gì")  # "tt" is no abbreviation in lower case
    assert "Thông tư" in BUILTIN.expand("TT 04 hướng dẫn gì")
    assert "Ban Thanh tra nhân dân" in BUILTIN.expand("btt xã")  # three letters: not a syllable


def test_terms_already_said_are_not_added_again():
    question = "Hương ước, quy ước là gì, lệ làng là gì?"
    assert BUILTIN.terms(question) == []


def test_token_abbreviations_are_the_lexical_indexs_one_home():
    # the index's tokens come from the vocabulary's `token` lines; changing them needs a re-ingestion
    assert CURATED_ABBREVIATIONS == vocabulary.token_abbreviations()
    assert CURATED_ABBREVIATIONS["BTTND"] == "ban thanh tra nhân dân"
    assert len(CURATED_ABBREVIATIONS) == 25
    assert BUILTIN.terms("UBND xã") == ["cấp xã"]  # the lexical index writes UBND out itself


def test_unit_file_extends_and_bad_lines_are_skipped(tmp_path: Path, caplog):
    own = tmp_path / "tu-vung.tsv"
    own.write_text(
        "# từ của đơn vị\nnhà rông làng\tnhà văn hóa\nmột dòng hỏng\nKHP\tkhu phố\ttoken\n", encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING):
        words = unit_vocabulary(None, tmp_path)  # found beside the documents by its name
    assert "nhà văn hóa" in words.expand("Nhà rông làng ở đâu")
    assert "khu phố" in words.expand("KHP 3")
    assert not any(e.token for e in words.entries if "KHP" in e.words)  # never an index token
    assert "một dòng hỏng" in caplog.text
    # read again when it changes
    own.write_text("chòi canh\tnhà văn hóa\n", encoding="utf-8")
    assert "nhà văn hóa" in unit_vocabulary(None, tmp_path).expand("chòi canh")


def test_unit_file_missing_or_unreadable_keeps_the_builtin(tmp_path: Path, caplog):
    with caplog.at_level(logging.WARNING):
        words = unit_vocabulary(tmp_path / "khong-co.tsv", None)
    assert "hương ước" in words.expand("lệ làng")
    assert "unreadable" in caplog.text
    assert unit_file(None, tmp_path) is None
    bad = tmp_path / "tu-vung.tsv"
    bad.write_bytes(b"\xff\xfe\x00bad")
    assert "hương ước" in unit_vocabulary(None, tmp_path).expand("lệ làng")


def test_vocabulary_file_setting(tmp_path: Path):
    settings = Settings(_env_file=None, vocabulary_file=tmp_path / "x.tsv")  # type: ignore[call-arg]
    assert settings.vocabulary_file == tmp_path / "x.tsv"
    assert Settings(_env_file=None).vocabulary_file is None  # type: ignore[call-arg]


def test_parse_reports_unknown_flag():
    entries, problems = parse("a b\tc\tweird\n", "f")
    assert not entries and "unknown flag" in problems[0]


def test_a_held_term_holds_the_words_but_is_not_searched_for():
    """ "thôn" is a "cộng đồng dân cư" (Luật Điều 2): a passage saying the term holds the word, but
    adding so common a term to every question about a village would rank the community's rules first."""
    entries, problems = parse("thôn | tổ dân phố\tcộng đồng dân cư\theld\n", "f")
    assert not problems and entries[0].held
    words = Vocabulary(entries)
    assert words.expand("Hương ước của thôn cần bao nhiêu hộ?") == "Hương ước của thôn cần bao nhiêu hộ?"
    assert words.alternatives("Hương ước của thôn cần bao nhiêu hộ?") == [("thôn", ("cộng đồng dân cư",))]
    assert load().expand("họp thôn") == load().expand("họp thôn")  # the built-in entry parses
    assert any(e.held and "thôn" in e.words for e in load().entries)


def test_vocabulary_is_packaged():
    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert '"ingest.language" = ["*.tsv"]' in text
    assert vocabulary.DATA_FILE.is_file()


@given(st.text(max_size=200))
def test_expansion_only_adds(question):
    """Whatever is typed, the user's words stay first and at most MAX_TERMS terms are added."""
    expanded = BUILTIN.expand(question)
    assert expanded.startswith(question)
    assert len(BUILTIN.terms(question)) <= vocabulary.MAX_TERMS


@given(
    st.sampled_from(
        ["xã hội", "hợp tác xã", "áp dụng", "văn bản", "biên bản", "bản thân", "quy định", "nhà nước", "ủng hộ"]
    )
)
def test_common_words_never_fire(phrase):
    """Words that hold a vocabulary word but mean something else add nothing, with or without
    accents, at the start, middle or end of a question."""
    for question in (phrase, f"Về {phrase} thì sao", f"{phrase} là gì"):
        for typed in (question, fold(question)):
            assert BUILTIN.terms(typed) == [], typed


# On the Law's page (the law_service index): what the added terms must not change.


def test_added_terms_do_not_rescue_a_near_miss(law_service, monkeypatch):
    """Relevance reads the question as typed: the near misses of the dev set are declined or
    found alike with and without the vocabulary (the added terms brought 'Bệnh viện công an …
    niêm yết giá dịch vụ …' above DENSE_RESCUE on the full library)."""
    from conftest import load_jsonl

    questions = [c["q"] for c in load_jsonl("qa_people_dev.jsonl") if c["found"] is False]
    questions.append("Bệnh viện công an phải niêm yết giá dịch vụ trước bao nhiêu ngày khi tăng giá?")
    with_terms = [law_service.retriever.retrieve(q).found for q in questions]
    monkeypatch.setattr(Vocabulary, "expand", lambda self, question: question)
    assert [law_service.retriever.retrieve(q).found for q in questions] == with_terms


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("Công dân có quyền gì trong thực hiện DCCS?", "Công dân có quyền gì trong thực hiện dân chủ ở cơ sở?"),
        ("BGSĐTCCĐ tối đa bao nhiêu người?", "Ban Giám sát đầu tư của cộng đồng tối đa bao nhiêu người?"),
        ("BGSĐTCĐ có mấy người?", "Ban Giám sát đầu tư của cộng đồng có mấy người?"),  # one C, as often typed
        ("Ủy viên UB MTTQ tỉnh", "Ủy viên Ủy ban MTTQ tỉnh"),  # a token abbreviation stays: the index holds it
        ("Nghị định 59/2023/NĐ-CP quy định gì?", "Nghị định 59/2023/NĐ-CP quy định gì?"),  # a number's symbol
        ("lệ làng có cần duyệt không", "lệ làng có cần duyệt không"),  # people's words only add terms
    ],
)
def test_abbreviations_are_written_out_for_relevance(question, written):
    assert load().written_out(question) == written


def test_written_out_with_tokens_writes_every_abbreviation_typed_in_capitals():
    words = load()
    assert words.written_out("ủy viên MTTQ cấp tỉnh", tokens=True) == "ủy viên mặt trận tổ quốc cấp tỉnh"
    assert words.written_out("mttq", tokens=True) == "mttq"  # lower case is no abbreviation


def test_a_phrase_starting_inside_another_stands_for_its_own_words_too():
    # "góp tiền làm đường" took "đường", and "bê tông" was held by no term of the texts
    found = dict(BUILTIN.alternatives("Thôn góp tiền làm đường bê tông cần bao nhiêu hộ đồng ý?"))
    assert "góp tiền làm đường" in found and "đường bê tông" in found
    # retrieval's expansion reads each word once, as before
    assert [typed for typed, _ in BUILTIN.matches("góp tiền làm đường bê tông")] == ["góp tiền làm đường"]
