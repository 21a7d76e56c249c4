import datetime as dt
import re

import pytest
from conftest import CORPUS, ROOT

from ingest.errors import CorpusError
from ingest.readers.corpus import FrontMatter, discover, parse_document, read_document

GOOD = "---\nid: mot-bai\ntitle: Một bài\nurl: null\n---\n\nNội dung.\n"


def test_the_corpus_holds_the_two_articles_with_their_stated_facts():
    docs = {d.id: d for d in map(read_document, discover([CORPUS]))}
    assert set(docs) == {"hungyen-tham-muu-qcdc", "bacninh-phoi-hop-dan-van"}
    hy, bn = docs["hungyen-tham-muu-qcdc"], docs["bacninh-phoi-hop-dan-van"]
    assert (hy.facts.site, hy.facts.url, hy.facts.published, hy.facts.title_source) == ("danvanhungyen.vn", None, None, "article")
    assert (bn.facts.site, bn.facts.url, bn.facts.published, bn.facts.title_source) == (None, None, dt.date(2018, 7, 31), "editorial")
    assert hy.facts.locality == "tỉnh Hưng Yên" and bn.facts.locality == "thành phố Bắc Ninh"
    assert all(d.facts.kind == "article" for d in docs.values())


def test_no_document_invents_an_address():
    for path in discover([CORPUS]):
        assert read_document(path).facts.url is None, "the exact addresses are not known"


def test_readme_documents_every_front_matter_field():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for name in FrontMatter.model_fields:
        assert re.search(rf"`{name}`", readme), name


def test_parse_minimal_document():
    doc = parse_document(GOOD, "x.md")
    assert (doc.id, doc.title, doc.body, doc.facts.kind) == ("mot-bai", "Một bài", "Nội dung.", "article")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Không có front matter.", "no YAML front matter"),
        ("---\nid: [unclosed\n---\nx", "not valid YAML"),
        ("---\n- a list\n---\nx", "must be a YAML mapping"),
        ("---\nid: a-b\n---\nx", "title"),
        ("---\nid: a-b\ntitle: T\nauthr: typo\n---\nx", "authr"),
        ("---\nid: Bad Id\ntitle: T\n---\nx", "id must be"),
        ("---\nid: a-b\ntitle: T\nurl: danvanhungyen.vn\n---\nx", "http"),
        ("---\nid: a-b\ntitle: T\npublished: 31/7/2018\n---\nx", "published"),
        ("---\nid: a-b\ntitle: T\n---\n   \n", "no text"),
    ],
)
def test_invalid_documents_say_what_is_wrong(text, message):
    with pytest.raises(CorpusError, match=re.escape(message)):
        parse_document(text, "bad.md")


def test_non_utf8_file_is_a_corpus_error(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("---\nid: a-b\ntitle: Tỉnh\n---\nx".encode("utf-16"))
    with pytest.raises(CorpusError, match="not UTF-8"):
        read_document(path)


def test_discover_skips_readme_and_hidden_files(tmp_path):
    (tmp_path / "README.md").write_text("x")
    (tmp_path / ".draft").mkdir()
    (tmp_path / ".draft" / "a.md").write_text(GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(GOOD)
    assert [p.name for p in discover([tmp_path])] == ["b.md"]
    with pytest.raises(CorpusError):
        list(discover([tmp_path / "missing"]))


def test_corpus_has_no_seed_noise():
    for path in discover([CORPUS]):
        body = read_document(path).body
        for noise in ("Bài viết khác", "Các bài mới nhất", "Số lượt xem", "Thống kê truy cập", "Copyright"):
            assert noise not in body
    assert (ROOT / "corpus" / "README.md").exists()
