"""Incremental ingestion on a temporary Chroma with the real model."""

from __future__ import annotations

import json

import pytest
from conftest import make_settings

from ingest import ModelMismatchError, embedding_identity, ingest, open_index, open_store
from ingest.errors import IndexStateError
from ingest.index.generations import POINTER_FILE
from ingest.settings import MINILM_MODEL

pytestmark = pytest.mark.integration

HY = "hungyen-tham-muu-qcdc"
BN = "bacninh-phoi-hop-dan-van"


@pytest.fixture
def built(tmp_path, corpus_copy, embedder):
    settings = make_settings(tmp_path, corpus_copy)
    report = ingest(settings, embedder=embedder)
    return settings, report


def active(settings):
    return open_index(settings)


def ids_of(settings, doc_id):
    return {p.chunk_id for p in active(settings).chunks_of(doc_id)}


def generations(settings):
    return sorted(open_store(settings).generations())


def test_first_run_indexes_every_document(built):
    settings, report = built
    assert (report.new, report.changed, report.unchanged, report.removed) == (2, 0, 0, 0)
    assert report.chunks_embedded == report.chunks_total > 20
    info = json.loads((settings.chroma_path / POINTER_FILE).read_text())
    assert info["embedding_model"] == embedding_identity(settings) and info["dimension"] == 384


def test_rerun_embeds_nothing(built, embedder):
    settings, first = built
    again = ingest(settings, embedder=embedder)
    assert (again.unchanged, again.chunks_embedded, again.chunks_total) == (2, 0, first.chunks_total)
    assert first.directives == again.directives > 10


def test_editing_a_document_replaces_its_chunks(built, embedder, corpus_copy):
    settings, _ = built
    before_hy, before_bn = ids_of(settings, HY), ids_of(settings, BN)
    path = corpus_copy / "articles" / f"{HY}.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nĐoạn bổ sung về Mô hình dân vận khéo ở xã Tân Dân.\n", encoding="utf-8"
    )
    report = ingest(settings, embedder=embedder)
    assert (report.changed, report.unchanged) == (1, 1)
    after = active(settings).chunks_of(HY)
    assert not ({p.chunk_id for p in after} & before_hy)  # old version gone
    assert "xã Tân Dân" in after[-1].text
    assert ids_of(settings, BN) == before_bn  # the other document untouched


def test_deleting_a_document_removes_its_chunks(built, embedder, corpus_copy):
    settings, first = built
    (corpus_copy / "articles" / f"{BN}.md").unlink()
    report = ingest(settings, embedder=embedder)
    assert report.removed == 1
    assert ids_of(settings, BN) == set()
    assert report.chunks_total == len(ids_of(settings, HY)) < first.chunks_total


def test_a_document_read_again_comes_from_memory_until_a_write(built):
    """`chunks_of` keeps a document it has read (an answer reads its top article's document
    again and again); a caller's changes never reach the kept copy, and a write forgets it."""
    settings, _ = built
    index = active(settings)
    first = index.chunks_of(HY)
    expected = list(first)
    first.clear()  # the caller's list, not the kept one
    assert index.chunks_of(HY) == expected and len(expected) > 5
    index.delete_documents({HY})  # a write (here on the fixture's throwaway generation)
    assert index.chunks_of(HY) == []


def test_model_mismatch_is_reported(built, embedder):
    settings, _ = built
    other = settings.model_copy(update={"embedding_model": MINILM_MODEL})
    with pytest.raises(ModelMismatchError, match="--rebuild"):
        ingest(other)  # the check comes before any model is loaded


def test_rebuild_starts_over_and_keeps_serving(built, embedder):
    settings, first = built
    old = json.loads((settings.chroma_path / POINTER_FILE).read_text())["generation"]
    report = ingest(settings, rebuild=True, embedder=embedder)
    assert report.rebuilt and report.chunks_embedded == first.chunks_total
    index = active(settings)
    assert index.generation != old and index.count() == first.chunks_total
    assert generations(settings) == sorted([old, index.generation])  # the old one, for readers mid-question


def test_only_the_previous_generation_is_kept(built, embedder, corpus_copy):
    settings, _ = built
    first = active(settings).generation
    for n in range(3):
        path = corpus_copy / "articles" / f"{BN}.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\nĐoạn thêm số {n}.\n", encoding="utf-8")
        ingest(settings, embedder=embedder)
    kept = generations(settings)
    assert len(kept) == 2 and first not in kept and active(settings).generation in kept


def test_bad_file_is_reported_and_the_rest_ingested(tmp_path, corpus_copy, embedder):
    (corpus_copy / "broken.md").write_text("no front matter here", encoding="utf-8")
    (corpus_copy / "dup.md").write_text(
        (corpus_copy / "articles" / f"{HY}.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = ingest(make_settings(tmp_path, corpus_copy), embedder=embedder)
    assert report.new == 2
    failed = dict(report.failures)
    assert set(failed) == {str(corpus_copy / "broken.md"), str(corpus_copy / "dup.md")}
    assert "thông tin đầu tệp" in failed[str(corpus_copy / "broken.md")]  # reasons are for Vietnamese operators
    assert "đã dùng cho" in failed[str(corpus_copy / "dup.md")]


class Killed(Exception):
    pass


class DiesAfter:
    """An embedder that stops the process (raises) after n calls: a kill mid-ingestion, once the
    new generation exists (cloned or created) and before it is complete."""

    def __init__(self, real, calls):
        self.real, self.calls = real, calls
        self.dimension, self.identity = real.dimension, real.identity

    def embed_documents(self, texts):
        self.calls -= 1
        if self.calls < 0:
            raise Killed
        return self.real.embed_documents(texts)


def test_killed_rebuild_leaves_the_old_index_serving(built, embedder):
    settings, first = built
    serving = active(settings).generation
    with pytest.raises(Killed):
        ingest(settings, rebuild=True, embedder=DiesAfter(embedder, 0))
    index = active(settings)
    assert index.generation == serving and index.count() == first.chunks_total
    assert generations(settings) == [serving]  # the unfinished one is dropped
    assert ingest(settings, embedder=embedder).unchanged == 2


def test_killed_update_changes_nothing_until_the_next_run(built, embedder, corpus_copy):
    settings, _ = built
    before = {doc: ids_of(settings, doc) for doc in (HY, BN)}
    for name in (HY, BN):
        path = corpus_copy / "articles" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nThêm một đoạn.\n", encoding="utf-8")
    with pytest.raises(Killed):
        ingest(settings, embedder=DiesAfter(embedder, 0))
    assert {doc: ids_of(settings, doc) for doc in (HY, BN)} == before  # old versions, whole
    report = ingest(settings, embedder=embedder)
    assert report.changed == 2 and report.chunks_embedded > 0
    assert all("Thêm một đoạn." in active(settings).chunks_of(doc)[-1].text for doc in (HY, BN))
    assert ingest(settings, embedder=embedder).chunks_embedded == 0


def test_generations_left_by_a_killed_process_are_dropped(built, embedder, corpus_copy):
    settings, _ = built
    orphan = settings.chroma_path / "qcdc-20260101-000000-1-abcd"
    orphan.mkdir()
    (orphan / "chroma.sqlite3").write_bytes(b"half written")
    path = corpus_copy / "articles" / f"{BN}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThêm một đoạn.\n", encoding="utf-8")
    ingest(settings, embedder=embedder)
    assert not orphan.exists()


def test_second_writer_is_refused(built):
    settings, _ = built
    store = open_store(settings)
    with store.lock():
        with pytest.raises(IndexStateError, match="another ingestion"):
            with store.lock():
                pass


def test_a_broken_edit_keeps_the_last_good_version(built, embedder, corpus_copy):
    settings, _ = built
    before = ids_of(settings, BN)
    (corpus_copy / "articles" / f"{BN}.md").write_text("---\nid: [broken\n---\n", encoding="utf-8")
    report = ingest(settings, embedder=embedder)
    assert report.removed == 0 and len(report.failures) == 1
    assert ids_of(settings, BN) == before


def test_old_index_format_is_rebuilt_and_its_files_removed(built, embedder):
    settings, first = built
    pointer = settings.chroma_path / POINTER_FILE
    info = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({"format": 2, "collection": "chunks-20250101-000000-1"}))
    legacy = [settings.chroma_path / name for name in ("chroma.sqlite3", "qcdc-registry-chunks-1.json")]
    for path in legacy:
        path.write_text("{}")
    report = ingest(settings, embedder=embedder)
    assert report.rebuilt and report.chunks_embedded == first.chunks_total
    assert not any(path.exists() for path in legacy)
    assert active(settings).generation != info["generation"]


def test_answering_rebuilds_an_index_of_an_older_version(built):
    from bot.answering.service import QAService

    settings, _ = built
    pointer = settings.chroma_path / POINTER_FILE
    pointer.write_text(json.dumps({**json.loads(pointer.read_text()), "format": 1}))
    service = QAService(settings)
    assert service.registry.directives and service.ask("Kết luận 120-KL/TW yêu cầu gì?").directives


def test_an_update_reads_and_derives_only_what_changed(built, embedder, corpus_copy, monkeypatch):
    """Unchanged files are not read again (same size and time); unchanged passages are not tokenized again."""
    from ingest.index import lexical
    from ingest.readers import reading

    settings, first = built
    real_load, real_tokens = reading.load_file, lexical.LexicalIndex.tokens
    read, tokenized = [], []
    monkeypatch.setattr(
        reading, "load_file", lambda path, *a, **kw: read.append(path.name) or real_load(path, *a, **kw)
    )
    monkeypatch.setattr(
        lexical.LexicalIndex,
        "tokens",
        lambda self, text, *a, **k: tokenized.append(text) or real_tokens(self, text, *a, **k),
    )
    assert ingest(settings, embedder=embedder).unchanged == 2 and read == [] and tokenized == []

    path = corpus_copy / "articles" / f"{HY}.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nĐoạn bổ sung về hòm thư góp ý ở thôn Đông.\n", encoding="utf-8"
    )
    report = ingest(settings, embedder=embedder)
    assert (report.changed, report.unchanged) == (1, 1) and read == [f"{HY}.md"]
    assert len(tokenized) == report.chunks_embedded == len(ids_of(settings, HY))
    assert report.chunks_total == len(ids_of(settings, HY)) + len(ids_of(settings, BN))
    # the kept document's rows still answer: its passages are found by their words
    from bot.answering.service import QAService

    answer = QAService(settings, embedder=embedder).ask("hòm thư góp ý ở thôn Đông")
    assert answer.found and answer.sources[0].doc_id == HY
    assert QAService(settings, embedder=embedder).ask("Bắc Ninh phối hợp công tác dân vận").found


def test_a_generation_without_saved_derived_data_is_served_and_updated(built, embedder, corpus_copy):
    """An index written before the derived data existed (or with them lost): the bot rebuilds
    the lexical index from the passages, and an update re-embeds only what changed, once."""
    import shutil

    from bot.answering.service import QAService

    settings, _ = built
    index = active(settings)
    shutil.rmtree(index.lexical_dir)
    index.close()
    assert QAService(settings, embedder=embedder).ask("Kết luận 120-KL/TW yêu cầu gì?").found

    path = corpus_copy / "articles" / f"{BN}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn thêm về tổ hòa giải.\n", encoding="utf-8")
    report = ingest(settings, embedder=embedder)
    assert (report.changed, report.unchanged) == (1, 1) and report.chunks_embedded == len(ids_of(settings, BN))
    again = ingest(settings, embedder=embedder)
    assert again.chunks_embedded == 0 and again.unchanged == 2
    assert QAService(settings, embedder=embedder).ask("tổ hòa giải").sources[0].doc_id == BN


def test_a_new_tokenization_re_derives_the_lexical_index_without_re_embedding(built, embedder, monkeypatch):
    """After an upgrade that changes how passages are tokenized, the next ingestion writes the
    lexical index again (otherwise every start of the bot would rebuild it in memory)."""
    from ingest import pipeline
    from ingest.index import lexical
    from ingest.index.lexical import LexicalIndex

    settings, first = built
    monkeypatch.setattr(lexical, "LEXICAL_FORMAT", 99)
    monkeypatch.setattr(pipeline, "LEXICAL_FORMAT", 99)
    index = active(settings)
    assert LexicalIndex.load(index.lexical_dir) is None  # the saved one is of the old format
    index.close()
    report = ingest(settings, embedder=embedder)
    assert report.chunks_embedded == 0 and report.unchanged == 2
    index = active(settings)
    assert LexicalIndex.load(index.lexical_dir) is not None and index.count() == first.chunks_total
