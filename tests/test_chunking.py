import re

from conftest import CORPUS

from ingest.chunking import MAX_CHARS, chunk_document, chunk_spans
from ingest.language.normalize import normalize_text
from ingest.language.sentences import split_sentences
from ingest.readers.corpus import discover, parse_document, read_document

DOCS = [read_document(p) for p in discover([CORPUS])]


def test_chunks_are_spans_of_the_original_body():
    for doc in DOCS:
        for c in chunk_document(doc):
            assert doc.body[c.char_start : c.char_end] == c.text
            assert c.text_norm == normalize_text(c.text)
            assert c.doc_id == doc.id and c.doc_hash == doc.content_hash


def test_chunk_sizes_stay_within_bounds():
    for doc in DOCS:
        chunks = chunk_document(doc)
        assert len(chunks) > 5
        assert all(len(c.text) <= MAX_CHARS for c in chunks)
        assert all(len(c.text) >= 150 for c in chunks), [len(c.text) for c in chunks]
        assert [c.position for c in chunks] == list(range(len(chunks)))
        assert all(c.n_chunks == len(chunks) for c in chunks)


def test_no_text_is_lost_between_chunks():
    for doc in DOCS:
        joined = re.sub(r"\s+", "", "".join(c.text for c in chunk_document(doc)))
        assert joined == re.sub(r"\s+", "", doc.body)


def test_numbered_items_stay_whole():
    doc = next(d for d in DOCS if d.id == "hungyen-tham-muu-qcdc")
    items = re.findall(r"^\(\d\).*$", doc.body, flags=re.M)
    assert len(items) == 7
    chunks = chunk_document(doc)
    for item in items:
        assert any(item in c.text for c in chunks), item[:40]


def test_sentence_split_keeps_numbers_dates_and_abbreviations():
    text = "Trụ sở ở TP. Hưng Yên. Thu ngân sách đạt 8.331 tỷ đồng, ngày 06/7/2016. “Năm dân vận” được ký. (2) Tiếp tục."
    assert split_sentences(text) == [
        "Trụ sở ở TP. Hưng Yên.",
        "Thu ngân sách đạt 8.331 tỷ đồng, ngày 06/7/2016.",
        "“Năm dân vận” được ký.",
        "(2) Tiếp tục.",
    ]


def test_overlong_sentence_is_cut_at_clauses():
    sentence = "; ".join(f"nhiệm vụ số {i} về công tác dân vận ở cơ sở" for i in range(80)) + "."
    spans = chunk_spans(sentence)
    assert len(spans) > 1 and all(s.end - s.start <= MAX_CHARS for s in spans)


def test_short_lead_in_joins_the_next_paragraph():
    doc = parse_document(
        "---\nid: a-b\ntitle: T\n---\nCần tập trung các giải pháp sau:\n\n" + "(1) " + "Tiếp tục làm tốt. " * 20,
        "x.md",
    )
    chunks = chunk_document(doc)
    assert len(chunks) == 1 and chunks[0].text.startswith("Cần tập trung")
