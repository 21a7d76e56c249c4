"""Questions in, answers out: the one entry point the CLI (and later the bot) call."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from bot.answer import Answer, compose
from bot.lookup import Resolution, lookup, resolve_citation
from bot.retrieval import Mode, Retriever
from ingest import (
    ChunkIndex,
    InvalidQuestionError,
    SentenceTransformerEmbeddings,
    Settings,
    ingest,
    normalize_text,
)
from ingest.citations import parse_citations
from ingest.index import index_is_current
from ingest.normalize import has_words

log = logging.getLogger(__name__)


def validate_question(question: str, max_chars: int) -> str:
    """The question as it will be answered, or InvalidQuestionError saying why not."""
    text = normalize_text(question)
    if not text:
        raise InvalidQuestionError("empty question", user_message="Câu hỏi trống: hãy nhập nội dung cần hỏi.")
    if len(text) > max_chars:
        raise InvalidQuestionError(
            f"question of {len(text)} characters (limit {max_chars})",
            user_message=f"Câu hỏi quá dài ({len(text)} ký tự; tối đa {max_chars}): hãy hỏi ngắn gọn hơn.",
        )
    if not has_words(text):
        raise InvalidQuestionError(
            "question has no letters or digits",
            user_message="Câu hỏi không có chữ hay số nào: hãy nhập câu hỏi bằng lời.",
        )
    return text


class QAService:
    """Holds the model, the index and the retriever; answers many questions."""

    def __init__(
        self,
        settings: Settings,
        db: Path | None = None,
        *,
        build_if_missing: bool = True,
        embedder: SentenceTransformerEmbeddings | None = None,
    ):
        self.settings = settings
        self.db = db or settings.chroma_path
        self.embedder = embedder or SentenceTransformerEmbeddings(settings)
        if build_if_missing and not index_is_current(self.db):  # missing, or made by an older version
            log.info("no current index at %s: building it from %s", self.db, settings.corpus_dir)
            ingest(settings, db=self.db, embedder=self.embedder)
        self.index = ChunkIndex.open(self.db)
        self.index.check_model(settings.embedding_model)
        self.retriever = Retriever(self.index, self.embedder, settings)
        self.registry = self.index.load_registry()
        self.generator = None
        if settings.llm_provider:
            from bot.generation import Generator  # LangChain's chat integrations load only when used

            self.generator = Generator(settings)

    def lookup(self, query: str) -> Resolution:
        """A directive by number (exact, partial or unaccented)."""
        return lookup(validate_question(query, self.settings.max_question_chars), self.registry)

    def ask(self, question: str, k: int | None = None, mode: Mode | None = None) -> Answer:
        started = time.perf_counter()
        text = validate_question(question, self.settings.max_question_chars)
        resolutions = [resolve_citation(c, self.registry) for c in parse_citations(text)]
        cited: set[str] | None = None
        if resolutions:
            named = [d for r in resolutions for d in r.directives + r.candidates]
            cited = {key for d in named for key in d.keys} | {m.chunk_id for d in named for m in d.mentions}
            primary = {d.primary["doc_id"] for d in named if d.primary}  # the directive's own text answers first-hand
            cited |= {p.chunk_id for p in self.retriever.passages if p.doc_id in primary}
        mode = mode or ("hybrid+rerank" if self.retriever.reranker else "hybrid")
        retrieval = self.retriever.retrieve(text, k, cited, mode)
        retrieved = time.perf_counter()
        answer = compose(text, retrieval, resolutions)
        composed = time.perf_counter()
        timings = {"retrieve": round((retrieved - started) * 1000, 1), "answer": round((composed - retrieved) * 1000, 1)}
        if self.generator is not None:
            generated = self.generator.improve(answer)
            answer = generated.answer
            timings |= {"generate": round(generated.generate_ms, 1), "verify": round(generated.verify_ms, 2)}
        answer.question = question
        answer.timings_ms = timings | {"total": round((time.perf_counter() - started) * 1000, 1)}
        return answer
