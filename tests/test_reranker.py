"""The optional reranker, with a tiny cross-encoder the test builds itself (no download)."""

from __future__ import annotations

import pytest

from ingest.index.reranking import Reranker

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory) -> str:
    """A 1-layer BERT with random weights and a small word-piece vocabulary, saved as a CrossEncoder."""
    import torch
    from sentence_transformers import CrossEncoder
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-cross-encoder")
    words = "ket luan nghi quyet chi thi qcdc dan van tinh uy thu ngan sach ty dong bao nhieu".split()
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]), encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True, strip_accents=True)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(words) + 5, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=512, num_labels=1)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    CrossEncoder(str(folder), device="cpu").save(str(folder))
    return str(folder)


@pytest.fixture(scope="module")
def reranking_service(corpus_settings, tiny_cross_encoder):
    from bot.answering.service import QAService

    return QAService(corpus_settings.model_copy(update={"reranker_model": tiny_cross_encoder}))


def test_reranker_orders_the_sources(reranking_service, tiny_cross_encoder, corpus_settings):
    question = "Năm dân vận chính quyền"
    answer = reranking_service.ask(question)
    assert answer.found and len(answer.sources) >= 2
    reranker = Reranker(corpus_settings.model_copy(update={"reranker_model": tiny_cross_encoder}))
    expected = reranker.scores(question, [s.text for s in answer.sources])
    assert [s.score for s in answer.sources] == pytest.approx(expected, abs=1e-4)
    assert [s.score for s in answer.sources] == sorted((s.score for s in answer.sources), reverse=True)


def test_reranker_keeps_abstention_and_named_directives(reranking_service):
    assert not reranking_service.ask("Giá vàng hôm nay?").found
    answer = reranking_service.ask("Kết luận 120-KL/TW yêu cầu gì?")
    assert answer.found and all("120-KL/TW" in s.text for s in answer.sources)


def test_missing_reranker_is_a_clear_error(corpus_settings, tmp_path):
    from ingest.errors import EmbeddingModelError

    broken = Reranker(corpus_settings.model_copy(update={"reranker_model": str(tmp_path / "nope")}))
    with pytest.raises(EmbeddingModelError):
        broken.scores("q", ["t"])
