"""Incremental ingestion on a temporary Chroma with the real model."""

from __future__ import annotations

import json

import pytest

from conftest import make_settings
from ingest import ChunkIndex, ModelMismatchError, ingest
from ingest.errors import IndexStateError
from ingest.index import POINTER_FILE, ingestion_lock

pytestmark = pytest.mark.integration

HY = "hungyen-tham-muu-qcdc"
BN = "bacninh-phoi-hop-dan-van"


@pytest.fixture
def built(tmp_path, corpus_copy, embedder):
    settings = make_settings(tmp_path, corpus_copy)
    report = ingest(settings, embedder=embedder)
    return settings, report


def ids_of(settings, doc_id):
    return {p.chunk_id for p in ChunkIndex.open(settings.chroma_path).chunks_of(doc_id)}


def test_first_run_indexes_every_document(built):
    settings, report = built
    assert (report.new, report.changed, report.unchanged, report.removed) == (2, 0, 0, 0)
    assert report.chunks_embedded == report.chunks_total > 20
    info = json.loads((settings.chroma_path / POINTER_FILE).read_text())
    assert info["embedding_model"] == settings.embedding_model and info["dimension"] == 384


def test_rerun_embeds_nothing(built, embedder):
    settings, first = built
    again = ingest(settings, embedder=embedder)
    assert (again.unchanged, again.chunks_embedded, again.chunks_total) == (2, 0, first.chunks_total)
    assert first.cards_embedded == first.directives > 10 and again.cards_embedded == 0


def test_editing_a_document_replaces_its_chunks(built, embedder, corpus_copy):
    settings, _ = built
    before_hy, before_bn = ids_of(settings, HY), ids_of(settings, BN)
    path = corpus_copy / "articles" / f"{HY}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn bổ sung về Mô hình dân vận khéo ở xã Tân Dân.\n", encoding="utf-8")
    report = ingest(settings, embedder=embedder)
    assert (report.changed, report.unchanged) == (1, 1)
    after = ChunkIndex.open(settings.chroma_path).chunks_of(HY)
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


def test_model_mismatch_is_reported(built, embedder):
    settings, _ = built
    other = settings.model_copy(update={"embedding_model": "intfloat/multilingual-e5-small"})
    with pytest.raises(ModelMismatchError, match="--rebuild"):
        ingest(other, embedder=embedder)


def test_rebuild_starts_over_and_keeps_serving(built, embedder):
    settings, first = built
    old = json.loads((settings.chroma_path / POINTER_FILE).read_text())["collection"]
    report = ingest(settings, rebuild=True, embedder=embedder)
    assert report.rebuilt and report.chunks_embedded == first.chunks_total
    index = ChunkIndex.open(settings.chroma_path)
    assert index.name != old and index.count() == first.chunks_total


def test_bad_file_is_reported_and_the_rest_ingested(tmp_path, corpus_copy, embedder):
    (corpus_copy / "broken.md").write_text("no front matter here", encoding="utf-8")
    (corpus_copy / "dup.md").write_text((corpus_copy / "articles" / f"{HY}.md").read_text(encoding="utf-8"), encoding="utf-8")
    report = ingest(make_settings(tmp_path, corpus_copy), embedder=embedder)
    assert report.new == 2
    failed = dict(report.failures)
    assert set(failed) == {str(corpus_copy / "broken.md"), str(corpus_copy / "dup.md")}
    assert "front matter" in failed[str(corpus_copy / "broken.md")]
    assert "already used" in failed[str(corpus_copy / "dup.md")]


class Killed(Exception):
    pass


class DiesAfter:
    """An embedder that stops the process (raises) on its n-th call: a kill mid-ingestion."""

    def __init__(self, real, calls):
        self.real, self.calls = real, calls
        self.dimension = real.dimension

    def embed_documents(self, texts):
        self.calls -= 1
        if self.calls < 0:
            raise Killed
        return self.real.embed_documents(texts)


def test_killed_rebuild_leaves_the_old_index_serving(built, embedder):
    settings, first = built
    with pytest.raises(Killed):
        ingest(settings, rebuild=True, embedder=DiesAfter(embedder, 1))
    index = ChunkIndex.open(settings.chroma_path)
    assert index.count() == first.chunks_total
    assert ingest(settings, embedder=embedder).unchanged == 2


def test_killed_update_is_repaired_on_the_next_run(built, embedder, corpus_copy, monkeypatch):
    settings, _ = built
    for name in (HY, BN):
        path = corpus_copy / "articles" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nThêm một đoạn.\n", encoding="utf-8")
    with pytest.raises(Killed):
        ingest(settings, embedder=DiesAfter(embedder, 1))
    # the document not yet re-embedded still answers from its old version
    assert ids_of(settings, BN) and ids_of(settings, HY)
    report = ingest(settings, embedder=embedder)
    assert report.changed + report.repaired >= 1 and report.chunks_embedded > 0
    manifest = ChunkIndex.open(settings.chroma_path).manifest()
    assert all(len(state.hashes) == 1 for state in manifest.values())
    assert ingest(settings, embedder=embedder).chunks_embedded == 0


def test_half_written_version_is_rewritten(built, embedder):
    settings, _ = built
    index = ChunkIndex.open(settings.chroma_path)
    victim = sorted(index.chunks_of(HY), key=lambda p: p.position)[-1]
    index._collection.delete(ids=[victim.chunk_id])  # as if killed before the last batch
    report = ingest(settings, embedder=embedder)
    assert report.repaired == 1
    assert victim.chunk_id in ids_of(settings, HY)


def test_second_writer_is_refused(built):
    settings, _ = built
    with ingestion_lock(settings.chroma_path):
        with pytest.raises(IndexStateError, match="another ingestion"):
            with ingestion_lock(settings.chroma_path):
                pass


def test_a_broken_edit_keeps_the_last_good_version(built, embedder, corpus_copy):
    settings, _ = built
    before = ids_of(settings, BN)
    (corpus_copy / "articles" / f"{BN}.md").write_text("---\nid: [broken\n---\n", encoding="utf-8")
    report = ingest(settings, embedder=embedder)
    assert report.removed == 0 and len(report.failures) == 1
    assert ids_of(settings, BN) == before


def test_old_index_format_is_rebuilt(built, embedder):
    settings, first = built
    pointer = settings.chroma_path / POINTER_FILE
    info = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**info, "format": 1}))
    report = ingest(settings, embedder=embedder)
    assert report.rebuilt and report.chunks_embedded == first.chunks_total


def test_answering_rebuilds_an_index_of_an_older_version(built):
    from bot.service import QAService

    settings, _ = built
    pointer = settings.chroma_path / POINTER_FILE
    pointer.write_text(json.dumps({**json.loads(pointer.read_text()), "format": 1}))
    service = QAService(settings)
    assert service.registry.directives and service.ask("Kết luận 120-KL/TW yêu cầu gì?").directives
