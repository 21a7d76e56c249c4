"""Questions in, answers out: the one entry point the CLI (and later the bot) call."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.answer import ASK_PROMPT, Answer, compose
from bot.lookup import Resolution, lookup, resolve_citation
from bot.retrieval import Mode, Retriever
from ingest import (
    ChunkIndex,
    InvalidQuestionError,
    QcdcError,
    Registry,
    SentenceTransformerEmbeddings,
    Settings,
    ingest,
    normalize_text,
    open_store,
)
from ingest.citations import parse_citations
from ingest.normalize import has_surrogates, has_words, lexical_tokens

log = logging.getLogger(__name__)


def validate_question(question: str, max_chars: int) -> str:
    """The question as it will be answered, or InvalidQuestionError saying why not."""
    if has_surrogates(question):  # bytes that are not UTF-8, from a terminal or a script
        raise InvalidQuestionError(
            "question is not valid UTF-8",
            user_message="Câu hỏi có ký tự không hợp lệ (không phải UTF-8): hãy gõ lại bằng bộ gõ tiếng Việt Unicode.",
        )
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


@dataclass(frozen=True)
class _Loaded:
    """One index generation, ready to answer from."""

    index: ChunkIndex
    retriever: Retriever
    registry: Registry


class QAService:
    """Holds the model, the index and the retriever; answers many questions.

    Before each question it checks whether an ingestion (in this process or
    another) has activated a new index generation, and moves to it: a
    long-running bot never needs a restart to see new documents.
    """

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
        self.store = open_store(settings, self.db)
        if build_if_missing and not self.store.is_current():  # missing, or made by an older version
            log.info("no current index at %s: building it from %s", self.store.location, settings.corpus_dir)
            ingest(settings, db=self.db, embedder=self.embedder)
        self._loaded = self._load()
        self._retired: list[ChunkIndex] = []
        self._switching = threading.Lock()
        self._refused: dict[str, Any] | None = None
        self.generator = None
        if settings.llm_provider:
            from bot.generation import Generator  # LangChain's chat integrations load only when used

            self.generator = Generator(settings)

    def _load(self) -> _Loaded:
        index = self.store.open_active()
        try:
            index.check_model(self.settings.embedding_model)
            return _Loaded(index, Retriever(index, self.embedder, self.settings), index.load_registry())
        except BaseException:
            index.close()
            raise

    @property
    def index(self) -> ChunkIndex:
        return self._loaded.index

    @property
    def retriever(self) -> Retriever:
        return self._loaded.retriever

    @property
    def registry(self) -> Registry:
        return self._loaded.registry

    def refresh(self) -> bool:
        """Move to the active generation if it is newer; whether it moved.

        A generation that cannot be loaded is logged and the current one kept.
        The one replaced is closed only at the next switch, so that a question
        being answered from it in another thread finishes.
        """
        if self._newer() is None:
            return False
        with self._switching:
            info = self._newer()
            if info is None:
                return False
            try:
                fresh = self._load()
            except QcdcError as exc:
                self._refused = info  # not retried at every question, only once the pointer changes again
                log.warning("keeping index generation %s: %s", self._loaded.index.generation, exc)
                return False
            for old in self._retired:
                old.close()
            self._retired = [self._loaded.index]
            self._loaded = fresh
            log.info("now answering from index generation %s", fresh.index.generation)
            return True

    def _newer(self) -> dict[str, Any] | None:
        """The index pointer, when it names another generation than the one loaded (and not one refused)."""
        try:
            info = self.store.pointer()
        except Exception as exc:  # a server gone away: keep serving what is loaded
            log.warning("cannot read the index pointer: %s", exc)
            return None
        if not info or info.get("generation") == self._loaded.index.generation or info == self._refused:
            return None
        return info

    def lookup(self, query: str) -> Resolution:
        """A directive by number (exact, partial or unaccented)."""
        self.refresh()
        return lookup(validate_question(query, self.settings.max_question_chars), self.registry)

    def ask(self, question: str, k: int | None = None, mode: Mode | None = None) -> Answer:
        started = time.perf_counter()
        text = validate_question(question, self.settings.max_question_chars)
        self.refresh()
        loaded = self._loaded  # one generation for the whole answer, even if another is activated meanwhile
        citations = parse_citations(text)
        if not citations and not lexical_tokens(text, question=True):
            # "Cho hỏi", "Ai?", "là gì": how a conversation opens, not a question yet
            answer = Answer(question=question, answer=ASK_PROMPT, found=False)
            answer.timings_ms = {"total": round((time.perf_counter() - started) * 1000, 1)}
            return answer
        resolutions = [resolve_citation(c, loaded.registry) for c in citations]
        cited: set[str] | None = None
        if resolutions:
            named = [d for r in resolutions for d in r.directives + r.candidates]
            cited = {key for d in named for key in d.keys} | {m.chunk_id for d in named for m in d.mentions}
            primary = {d.primary["doc_id"] for d in named if d.primary}  # the directive's own text answers first-hand
            cited |= {p.chunk_id for p in loaded.retriever.passages if p.doc_id in primary}
        mode = mode or ("hybrid+rerank" if loaded.retriever.reranker else "hybrid")
        retrieval = loaded.retriever.retrieve(text, k, cited, mode)
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
