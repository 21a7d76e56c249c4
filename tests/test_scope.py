"""The setting a passage governs and the one a question asks about (issue 30, item 2):
a commune's question is answered from the commune's rules, another setting's kept after."""

from __future__ import annotations

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from bot import wording
from bot.answering.retrieval import prefer_scope
from bot.settings import BotSettings
from ingest.chunking import chunk_document
from ingest.errors import SettingsError
from ingest.facts import DocumentFacts
from ingest.language.legal import LegalPlace, LegalSource
from ingest.language.normalize import fold
from ingest.language.scope import SCOPES, asked_scope, fits, scope_of
from ingest.models import Passage
from ingest.readers.loaders import load_file
from ingest.settings import load_settings

SHARED = ROOT.parent / "shared" / "documents"
LAW_FILE = SHARED / "law" / "phapdien-de-muc-44.13-thuc-hien-dan-chu-o-co-so.md"
MTTQ_FILE = SHARED / "law" / "phapdien-de-muc-35.4-mat-tran-to-quoc-viet-nam.md"
needs_law = pytest.mark.skipif(not LAW_FILE.exists(), reason="../shared/documents is not beside the checkout")
LAW = "10/2022/QH15"


def _passages(path):
    doc = load_file(path, 20_000_000, strict=False)
    return [
        Passage(c.id, c.doc_id, c.position, c.text, 1.0, doc.facts, c.section, c.ref_keys, c.legal)
        for c in chunk_document(doc)
        if c.legal
    ]


@pytest.fixture(scope="module")
def law_passages() -> list[Passage]:
    return _passages(LAW_FILE)


def _article(passages: list[Passage], ref: str, number: int) -> Passage:
    return next(p for p in passages if p.legal and p.legal.source.ref == ref and p.legal.article == number)


def _key(passage: Passage) -> str | None:
    scope = scope_of(passage)
    return scope.key if scope else None


@needs_law
@pytest.mark.parametrize(
    ("ref", "article", "key"),
    [
        (LAW, 1, None),  # Chương I: applies everywhere
        (LAW, 36, "xa"),  # Chương II: Ban Thanh tra nhân dân ở xã, phường, thị trấn
        (LAW, 11, "xa"),
        (LAW, 60, "co_quan"),  # Chương III
        (LAW, 51, "co_quan"),  # Mục 2: "cán bộ, công chức, viên chức, người lao động" is still the agency's
        (LAW, 77, "dnnn"),  # Chương IV, Mục 1
        (LAW, 69, "dnnn"),
        (LAW, 82, "doanh_nghiep"),  # Chương IV, Mục 2: outside the State
        (LAW, 90, None),  # Chương VI
        ("59/2023/NĐ-CP", 14, "xa"),  # a decree: by its article's title
        ("59/2023/NĐ-CP", 22, "co_quan"),
        ("59/2023/NĐ-CP", 26, "dnnn"),
        ("59/2023/NĐ-CP", 28, None),
        ("61/2023/NĐ-CP", 11, "xa"),  # hương ước, quy ước of a community
        ("165/2018/TT-BQP", 5, "quan_doi"),  # by its issuer, whatever its title says
        ("165/2018/TT-BQP", 21, "quan_doi"),  # "Trách nhiệm của các cơ quan, đơn vị": the army's units
        ("67/2019/TT-BCA", 9, "cong_an"),
        ("126/2020/TT-BCA", 11, "cong_an"),  # "… Công an xã, phường, thị trấn …": the police's, not the commune's
    ],
)
def test_each_scope_is_detected_on_real_passages_of_the_law(law_passages, ref, article, key):
    assert _key(_article(law_passages, ref, article)) == key


@needs_law
def test_the_laws_chapters_and_sections_are_what_its_scopes_are_read_from(law_passages):
    law = [p for p in law_passages if p.legal and p.legal.source.ref == LAW]
    assert law and all(p.legal and p.legal.chapter for p in law)
    chapters = {
        p.legal.chapter.split(".")[0]: {_key(q) for q in law if q.legal and q.legal.chapter == p.legal.chapter}
        for p in law
        if p.legal and p.legal.chapter
    }
    assert chapters["Chương II"] == {"xa"} and chapters["Chương III"] == {"co_quan"}
    assert chapters["Chương IV"] == {"dnnn", "doanh_nghiep"} and chapters["Chương I"] == {None}


@pytest.mark.skipif(not MTTQ_FILE.exists(), reason="../shared/documents is not beside the checkout")
def test_the_fatherland_fronts_law_and_its_finance_circulars_apply_everywhere():
    keys = {_key(p) for p in _passages(MTTQ_FILE) if p.legal and p.legal.source.type in ("Luật", "Thông tư")}
    assert keys == {None}


@needs_law
def test_ban_thanh_tra_o_xa_term_comes_from_the_communes_article_not_the_state_enterprises(law_passages):
    """Found: "Ban Thanh tra nhân dân ở xã nhiệm kỳ mấy năm?" → "02 năm", Điều 77 (state-owned
    enterprises), with a quotation of Thông tư 165/2018/TT-BQP; for a commune it is Điều 36."""
    ranked = [
        _article(law_passages, LAW, 77),
        _article(law_passages, "165/2018/TT-BQP", 5),
        _article(law_passages, LAW, 60),
        _article(law_passages, LAW, 36),
        _article(law_passages, LAW, 1),
    ]
    for question in ("Ban Thanh tra nhân dân ở xã nhiệm kỳ mấy năm?", "ban thanh tra nhan dan o xa nhiem ky may nam"):
        ordered = prefer_scope(ranked, asked_scope(question))
        assert [(p.legal.source.ref, p.legal.article) for p in ordered if p.legal] == [
            (LAW, 36),
            (LAW, 1),
            (LAW, 77),
            ("165/2018/TT-BQP", 5),
            (LAW, 60),
        ]
    # a question naming no setting keeps the ranking, unless the unit set its own
    assert prefer_scope(ranked, asked_scope("Ban Thanh tra nhân dân nhiệm kỳ mấy năm?")) == ranked
    assert prefer_scope(ranked, asked_scope("Ban Thanh tra nhân dân nhiệm kỳ mấy năm?", "xa"))[0] == ranked[3]
    # the question's own setting wins over the unit's
    assert asked_scope("Ban Thanh tra nhân dân ở doanh nghiệp nhà nước nhiệm kỳ mấy năm?", "xa") == SCOPES["dnnn"]


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("Ban Thanh tra nhân dân ở xã nhiệm kỳ mấy năm?", "xa"),
        ("ban thanh tra nhan dan o xa nhiem ky may nam", "xa"),
        ("BAN THANH TRA NHÂN DÂN Ở XÃ GỒM MẤY NGƯỜI?", "xa"),
        ("Ủy ban nhân dân cấp xã phải công khai những gì?", "xa"),
        ("uy ban nhan dan cap xa phai cong khai gi", "xa"),
        ("Trưởng thôn được bầu thế nào?", "xa"),
        ("Hội nghị ở tổ dân phố họp mấy lần một năm?", "xa"),
        ("Thực hiện dân chủ ở phường có gì khác?", "xa"),
        ("Cán bộ, công chức, viên chức được bàn những việc gì?", "co_quan"),
        ("Ban Thanh tra nhân dân ở cơ quan, đơn vị do ai bầu?", "co_quan"),
        ("Hội nghị người lao động ở doanh nghiệp nhà nước tổ chức khi nào?", "dnnn"),
        ("hoi nghi nguoi lao dong o doanh nghiep nha nuoc", "dnnn"),
        ("Doanh nghiệp ngoài nhà nước có phải thực hiện dân chủ không?", "ngoai_nha_nuoc"),
        ("cong ty tu nhan co phai to chuc hoi nghi nguoi lao dong khong", "ngoai_nha_nuoc"),
        ("Doanh nghiệp có vốn đầu tư nước ngoài có phải tổ chức hội nghị không?", "ngoai_nha_nuoc"),
        ("Quyền của tù nhân trong trại giam là gì?", "cong_an"),  # "tù nhân" is no "tư nhân"
        ("Trưởng thôn tự nhận khuyết điểm trước ai?", "xa"),
        ("Người lao động được tham gia ý kiến những gì?", "doanh_nghiep"),
        ("Hội đồng quân nhân có nhiệm vụ gì?", "quan_doi"),
        ("hoi dong quan nhan co nhiem vu gi", "quan_doi"),
        ("Thông tư của BQP về dân chủ trong Quân đội?", "quan_doi"),
        ("Cán bộ, chiến sĩ Công an xã không được làm gì?", "cong_an"),
        ("cong an xa khong duoc lam gi", "cong_an"),
        ("Quy ước của khu phố do ai công nhận?", "xa"),
        ("Cơ quan nhà nước có bao nhiêu người thì phải bầu Ban Thanh tra nhân dân?", "co_quan"),
        ("Cơ quan nhà nước có thẩm quyền quyết định gì ở xã?", "xa"),  # the commune is named, the body is any
        ("Người lao động ở công ty nhà nước được giám sát gì?", "dnnn"),
        ("Ở trại giam, việc công khai làm thế nào?", "cong_an"),
        ("nhiệm kỳ BTTND ở trường học là mấy năm?", "co_quan"),  # a public school: đơn vị sự nghiệp
        ("truong tieu hoc to chuc hoi nghi vien chuc khi nao", "co_quan"),
        ("Trường hợp nào thì bầu bổ sung?", None),  # "trường hợp" is no school
        ("Thực hiện dân chủ ở cơ sở là gì?", None),
        ("Ban Thanh tra nhân dân nhiệm kỳ mấy năm?", None),
    ],
)
def test_asked_scope_with_and_without_accents(question, key):
    scope = asked_scope(question)
    assert (scope.key if scope else None) == key


@pytest.mark.parametrize(
    "question",
    [
        "Mặt trận giám sát và phản biện xã hội như thế nào?",
        "mat tran giam sat va phan bien xa hoi nhu the nao",
        "Các tổ chức chính trị - xã hội có trách nhiệm gì?",
        "Hợp tác xã có phải thực hiện quy chế dân chủ không?",
        "Quy định này áp dụng thế nào?",
        "quy dinh nay ap dung the nao",
        "Đồng chí ở xa có được góp ý trực tuyến không?",  # "xa" (far), written with accents around it
        "Cơ quan nào công nhận kết quả?",  # "cơ quan" alone is any body, not the agencies' chapter
    ],
)
def test_xa_hoi_and_other_lookalikes_are_not_a_commune(question):
    assert asked_scope(question) is None


# Words that name no setting, accented, to build questions around a setting's phrase.
_FILLER = st.lists(
    st.sampled_from(
        ["Ban", "Thanh tra", "nhân dân", "nhiệm kỳ", "mấy", "năm", "công khai", "những", "gì", "bàn", "quyết định"]
    ),
    max_size=5,
)
_PHRASES = {
    "xa": ["ở xã", "cấp xã", "thôn", "tổ dân phố", "xã, phường, thị trấn", "cộng đồng dân cư"],
    "co_quan": ["ở cơ quan", "cơ quan, đơn vị", "đơn vị sự nghiệp công lập"],
    "dnnn": ["doanh nghiệp nhà nước"],
    "doanh_nghiep": ["doanh nghiệp", "tổ chức có sử dụng lao động"],
    "ngoai_nha_nuoc": ["ngoài nhà nước", "doanh nghiệp tư nhân"],
    "quan_doi": ["Quân đội", "Hội đồng quân nhân", "Bộ Quốc phòng"],
    "cong_an": ["Công an", "Công an nhân dân", "Cảnh sát"],
}


@given(
    before=_FILLER,
    after=_FILLER,
    key_phrase=st.sampled_from([(k, p) for k, ps in _PHRASES.items() for p in ps]),
    social=st.booleans(),
)
def test_a_setting_named_anywhere_is_found_with_or_without_accents_and_xa_hoi_never_is(
    before, after, key_phrase, social
):
    key, phrase = key_phrase
    words = [*before, phrase, *after] + (["xã hội"] if social else [])
    question = " ".join(words) + "?"
    assert asked_scope(question) == SCOPES[key]
    assert asked_scope(fold(question)) == SCOPES[key]
    assert asked_scope(" ".join([*before, "phản biện xã hội", *after])) is None


def _fake(i: int, key: str | None) -> Passage:
    """A passage of a given setting: its chapter as the Law titles it, or none (general)."""
    chapters = {
        "xa": "Chương II. THỰC HIỆN DÂN CHỦ Ở XÃ, PHƯỜNG, THỊ TRẤN",
        "co_quan": "Chương III. THỰC HIỆN DÂN CHỦ Ở CƠ QUAN, ĐƠN VỊ",
        "doanh_nghiep": "Chương IV. THỰC HIỆN DÂN CHỦ Ở TỔ CHỨC CÓ SỬ DỤNG LAO ĐỘNG",
        "dnnn": "Chương IV. THỰC HIỆN DÂN CHỦ Ở TỔ CHỨC CÓ SỬ DỤNG LAO ĐỘNG",
        "ngoai_nha_nuoc": "Chương IV. THỰC HIỆN DÂN CHỦ Ở TỔ CHỨC CÓ SỬ DỤNG LAO ĐỘNG",
    }
    sections = {
        "dnnn": "Mục 1. THỰC HIỆN DÂN CHỦ Ở DOANH NGHIỆP NHÀ NƯỚC",
        "ngoai_nha_nuoc": "Mục 2. THỰC HIỆN DÂN CHỦ Ở KHU VỰC NGOÀI NHÀ NƯỚC",
    }
    refs = {"quan_doi": "165/2018/TT-BQP", "cong_an": "67/2019/TT-BCA"}
    place = LegalPlace(
        LegalSource("Luật", refs.get(key or "", LAW)),
        article=i + 1,
        article_title="Điều khoản",
        chapter=chapters.get(key or "", "Chương I. NHỮNG QUY ĐỊNH CHUNG"),
        section=sections.get(key or ""),
    )
    return Passage(f"c{i}", "law", i, "…", 1.0, DocumentFacts(title="Luật"), legal=place)


_KEYS = st.sampled_from([None, *SCOPES])


@given(keys=st.lists(_KEYS, max_size=12), asked=_KEYS)
def test_prefer_scope_is_a_stable_permutation(keys, asked):
    passages = [_fake(i, k) for i, k in enumerate(keys)]
    assert [_key(p) for p in passages] == keys  # the fakes are read as the setting they stand for
    scope = SCOPES[asked] if asked else None
    ordered = prefer_scope(passages, scope)
    assert sorted(p.chunk_id for p in ordered) == sorted(p.chunk_id for p in passages)
    fitting = [fits(scope_of(p), scope) for p in ordered]
    assert fitting == sorted(fitting, reverse=True)  # every fitting passage before every other
    for group in (True, False):
        kept = [p.position for p, f in zip(ordered, fitting, strict=True) if f is group]
        assert kept == sorted(kept)  # each group in its original order
    if scope is None:
        assert ordered == passages


def test_a_state_enterprises_rule_answers_a_question_about_enterprises_but_not_the_reverse():
    assert fits(SCOPES["dnnn"], SCOPES["doanh_nghiep"])
    assert not fits(SCOPES["doanh_nghiep"], SCOPES["dnnn"])
    assert not fits(SCOPES["dnnn"], SCOPES["xa"]) and fits(None, SCOPES["xa"])


def test_a_state_enterprises_rule_does_not_answer_a_question_about_the_non_state_sector():
    # Điều 82 sends the non-state sector to Chương I and the labour law, not to Mục 1's rules
    assert not fits(SCOPES["dnnn"], SCOPES["ngoai_nha_nuoc"])
    assert fits(SCOPES["doanh_nghiep"], SCOPES["ngoai_nha_nuoc"]) and fits(None, SCOPES["ngoai_nha_nuoc"])
    assert fits(SCOPES["ngoai_nha_nuoc"], SCOPES["doanh_nghiep"])


def test_scope_survives_the_indexs_metadata():
    """What an index reads back (LegalPlace.from_metadata) still holds the chapter and section."""
    place = _fake(76, "dnnn").legal
    assert place is not None
    back = LegalPlace.from_metadata(place.to_metadata())
    assert back is not None and back.chapter == place.chapter and back.section == place.section
    assert _key(Passage("c", "law", 0, "…", 1.0, DocumentFacts(title="Luật"), legal=back)) == "dnnn"


def test_a_documents_metadata_gives_its_setting_when_it_names_one():
    def key(title: str, ref: str | None = None) -> str | None:
        scope = scope_of(Passage("c", "d", 0, "…", 1.0, DocumentFacts(title=title, ref=ref)))
        return scope.key if scope else None

    assert key("Hướng dẫn tổ chức hội nghị tập thể quân nhân về thực hiện quy chế dân chủ ở cơ sở") == "quan_doi"
    assert key("Mức kinh phí hỗ trợ hoạt động của Ban Thanh tra nhân dân cấp xã") == "xa"
    assert key("Quy chế dân chủ ở xã, ở cơ quan và ở doanh nghiệp") is None  # several: general
    assert key("Dân chủ tại Việt Nam") is None
    assert key("Hướng dẫn", ref="12/2020/TT-BCA") == "cong_an"


def test_unit_scope_invalid_value_is_a_clear_settings_error(monkeypatch):
    monkeypatch.setenv("UNIT_SCOPE", "truong_hoc")
    with pytest.raises(SettingsError) as err:
        load_settings(BotSettings)
    assert "UNIT_SCOPE" in str(err.value) and "xa, co_quan" in str(err.value)
    assert "UNIT_SCOPE" in err.value.user_message
    for value, key in (("XA", "xa"), (" dnnn ", "dnnn"), ("", "")):
        monkeypatch.setenv("UNIT_SCOPE", value)
        assert load_settings(BotSettings).unit_scope == key


def test_another_settings_rule_is_labelled_with_its_setting():
    assert wording.applies_to(SCOPES["dnnn"].label) == "Quy định này áp dụng cho doanh nghiệp nhà nước."
    assert wording.applies_to(SCOPES["xa"].label) == "Quy định này áp dụng cho xã, phường, thị trấn."


# --- where a question asks, as against what it asks about ----------------------------------------


def test_a_setting_after_o_tai_trong_is_where_the_question_asks():
    from ingest.language.scope import setting_adjuncts

    text = "Ở cơ quan nhà nước thì Ban Thanh tra nhân dân có bao nhiêu thành viên?"
    assert [text[a:b] for a, b in setting_adjuncts(text)] == ["Ở cơ quan nhà nước"]
    text = "Hội nghị người lao động tại doanh nghiệp nhà nước do ai tổ chức?"
    assert [text[a:b] for a, b in setting_adjuncts(text)] == ["tại doanh nghiệp nhà nước"]
    assert setting_adjuncts("Hương ước do ai công nhận?") == []  # a topic, not a place asked at
    # the words of one setting listed after one "ở", overlapping or after a comma, are all where it asks
    text = "Ban Thanh tra nhân dân ở cơ quan, đơn vị sự nghiệp công lập gồm bao nhiêu thành viên?"
    assert [text[a:b] for a, b in setting_adjuncts(text)] == ["ở cơ quan, đơn vị sự nghiệp công lập"]
    # after a comma, a capitalised word or a word of no setting opens what is asked of the setting
    text = "Tại xã, Trưởng thôn do ai bầu?"
    assert [text[a:b] for a, b in setting_adjuncts(text)] == ["Tại xã"]
    text = "Tại thôn, tổ dân phố thì ai tổ chức hội nghị?"
    assert [text[a:b] for a, b in setting_adjuncts(text)] == ["Tại thôn, tổ dân phố"]
    # a bracket saying what the setting is belongs to where it asks
    text = "Nhiệm kỳ BTTND ở trường học (đơn vị sự nghiệp) là mấy năm?"
    assert [text[a:b] for a, b in setting_adjuncts(text)] == ["ở trường học (đơn vị sự nghiệp"]
    # two settings: which one it asks is not plain, both stay words to be found
    assert setting_adjuncts("Ban thanh tra nhân dân ở xã có mấy người ở doanh nghiệp nhà nước?") == []


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("Những nội dung nào nhân dân được bàn và quyết định?", "xa"),
        ("nhan dan tham gia y kien nhung gi", "xa"),
        ("Ủy ban nhân dân ban hành quyết định nào?", None),  # folded, "nhân dân ban" is not "bàn"
        ("Ủy ban nhân dân kiểm tra việc gì?", None),
        ("Ban Thanh tra nhân dân có nhiệm vụ gì?", None),  # a name of every setting
        ("Hội đồng nhân dân bàn và quyết định những gì?", None),  # a council's vote (a review found)
        ("Ban Thanh tra nhân dân được kiểm tra những gì?", None),
        ("Người lao động ở doanh nghiệp nhà nước được bàn và quyết định những việc gì?", "dnnn"),
    ],
)
def test_nhan_dan_as_the_laws_actor_is_the_communes_setting(question, key):
    """Found by a new cadre's question: "Những nội dung nào nhân dân được bàn và quyết định?" got a
    military guide's list, labelled whole; "Nhân dân" is the actor of the Law's Chương II titles."""
    found = asked_scope(question)
    assert (found.key if found else None) == key
