"""Past chromadb's ceiling: an index of more than 32,766 passages is built, updated and served.

chromadb 1.5.9's `get()` without a limit fails above 32,766 records ("too many
SQL variables", chroma-core/chroma#7687); every bulk read is paged. Vectors
come from a stand-in (tests/standin.py): what is tested is the storage.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings
from standin import StandInEmbeddings

from bot.answering.service import QAService
from ingest import ingest, open_index

pytestmark = pytest.mark.integration

FILES, ARTICLES = 34, 1000
PASSAGES = FILES * (ARTICLES + 1)  # one per article, and the title line: 34,034


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    for f in range(FILES):
        articles = "\n\n".join(
            f"Điều {a + 1}. Quy định {f}-{a} về công khai thông tin ở thôn số {a}, tổ dân phố số {f}."
            for a in range(ARTICLES)
        )
        (folder / f"van-ban-{f:02d}.txt").write_text(f"Văn bản mô phỏng số {f}\n\n{articles}\n", encoding="utf-8")


def test_an_index_past_32766_passages_is_built_updated_and_served(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    settings = make_settings(tmp_path, corpus)
    standin = StandInEmbeddings(embedder)
    first = ingest(settings, embedder=standin)
    assert not first.failures and first.chunks_total == PASSAGES > 32_766

    index = open_index(settings)
    try:
        assert len(index.all_passages()) == index.count() == first.chunks_total  # paged reads
        assert len(index.manifest()) == FILES
    finally:
        index.close()

    edited = corpus / "van-ban-07.txt"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nĐiều 1001. Quy định riêng về hồ chứa nước Khe Lim.\n", encoding="utf-8"
    )
    update = ingest(settings, embedder=standin)
    assert (update.changed, update.unchanged, update.new) == (1, FILES - 1, 0)
    assert update.chunks_embedded == ARTICLES + 2 and update.chunks_total == first.chunks_total + 1
    assert ingest(settings, embedder=standin).chunks_embedded == 0  # a rerun re-reads and re-embeds nothing

    service = QAService(settings, embedder=standin)
    answer = service.ask("hồ chứa nước Khe Lim")
    assert answer.found and answer.sources[0].doc_id == "van-ban-07"
    assert "Khe Lim" in answer.sources[0].text
