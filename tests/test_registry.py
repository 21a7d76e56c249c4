"""The registry built from the real corpus."""

import pytest

from ingest import open_index
from ingest.errors import CorpusError
from ingest.facts import DocumentFacts
from ingest.language.citations import ref_key
from ingest.links import DirectiveLink
from ingest.overrides import load_overrides
from ingest.registry import is_local
from ingest.registry_build import build_registry

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def registry(corpus_settings):
    return open_index(corpus_settings).load_registry()


def one(registry, ref):
    from ingest.language.citations import ref_key

    (d,) = registry.find(ref_key(ref))
    return d


def test_list_members_share_their_date(registry):
    assert one(registry, "217-QĐ/TW").date == one(registry, "218-QĐ/TW").date == "2013-12-12"
    assert one(registry, "217-QĐ/TW").issuer == "Bộ Chính trị"


def test_central_directive_with_subject(registry):
    d = one(registry, "25-NQ/TW")
    assert (d.type, d.date, d.locality) == ("Nghị quyết", "2013-06-03", None)
    assert d.subject == "Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới"


def test_local_symbols_are_scoped_to_the_citing_locality(registry):
    assert one(registry, "02-NQ/TU").locality == "thành phố Bắc Ninh"
    assert one(registry, "01-ĐA/TU").locality == "tỉnh Hưng Yên"
    assert one(registry, "120-KL/TW").locality is None


def test_short_form_joins_the_full_mention_in_the_same_document(registry):
    d = one(registry, "02-NQ/TU")
    assert len(d.mentions) == 2 and any(m.text == "Nghị quyết 02" for m in d.mentions)


def test_every_mention_knows_its_document_chunk_and_sentence(registry):
    d = one(registry, "120-KL/TW")
    (m,) = d.mentions
    assert m.doc_id == "hungyen-tham-muu-qcdc" and m.chunk_id.startswith("hungyen-tham-muu-qcdc:")
    assert "120-KL/TW" in m.sentence


def test_relations(registry):
    assert DirectiveLink("implements", "18-NQ/TW") in one(registry, "88-KH/TU").relations
    assert DirectiveLink("implemented_by", "88-KH/TU") in one(registry, "18-NQ/TW").relations
    assert DirectiveLink("continues", "01-ĐA/TU") in one(registry, "227-TB/TU").relations


def test_overrides_merge_aliases_and_add_facts(registry):
    d = one(registry, "01-CTPH/BDVTU-BCSĐUBND")
    assert d.ref == "01-CTr/BDVTU-BCSĐUBND" and d.date == "2017-05-29" and len(d.mentions) == 2
    quy_che = [x for x in registry.directives if x.ref == "01" and x.type == "Quy chế"]
    assert len(quy_che) == 1 and quy_che[0].date == "2016-04-22" and quy_che[0].locality == "thành phố Bắc Ninh"


def test_nothing_is_left_unresolved_in_the_corpus(registry):
    assert registry.unresolved == []
    assert len(registry.directives) == 19


def test_chunks_carry_their_refs_as_a_filter(corpus_settings):
    passages = open_index(corpus_settings).all_passages()
    citing = [p for p in passages if ref_key("217-QD/TW") in p.ref_keys]
    assert len(citing) == 1 and "217- QĐ/TW" in citing[0].text
    assert all("120-KL/TW" in p.text for p in passages if ref_key("120-KL/TW") in p.ref_keys)


def test_is_local():
    assert not is_local("KL/TW") and not is_local("2015/NĐ-CP") and not is_local("2007/PL-UBTVQH11")
    assert is_local("ĐA/TU") and is_local("KH/BDVTU-BCSĐUBND") and is_local("QĐ-UBND")


def test_bare_mentions_without_a_match_are_unresolved():
    from ingest.models import Passage

    p = Passage(
        "d:h:0000", "d", 0, "Thực hiện Chỉ thị 99 của Tỉnh ủy.", 1.0, DocumentFacts(title="T", locality="tỉnh X")
    )
    registry = build_registry([p])
    assert registry.directives == [] and [m.text for m in registry.unresolved] == ["Chỉ thị 99"]


def test_bad_overrides_file(tmp_path):
    (tmp_path / "directives.yaml").write_text("- ref: 120-KL/TW\n  url: not-a-link\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="url"):
        load_overrides(tmp_path)
    (tmp_path / "directives.yaml").write_text("- ref: 120-KL/TW\n  titel: typo\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="titel"):
        load_overrides(tmp_path)
