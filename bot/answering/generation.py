"""Generated answers through LangChain: prompt | chat model | parser, then verification.

Optional: only when LLM_PROVIDER is set. The passages go to the model
numbered as in the sources list and fenced as untrusted document text. What
comes back is verified sentence by sentence (bot.answering.verification); if too little
survives, or the model fails in any way (timeout, connection, rate limit,
empty reply), the extractive answer stands. The user is always answered.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, cast

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from bot import wording
from bot.answering.answer import Answer, Source
from bot.answering.prompts import Prompts, load_prompts
from bot.answering.verification import Verification, verify
from bot.settings import BotSettings
from ingest.errors import SettingsError

log = logging.getLogger(__name__)

# A generated answer replaces the extractive one only when at least this
# share of its sentences survive verification (and at least one does).
MIN_KEPT_SHARE = 0.5
FENCE_OPEN, FENCE_CLOSE = "<<<TÀI LIỆU", "TÀI LIỆU>>>"


def make_chat_model(settings: BotSettings) -> BaseChatModel:
    """The configured chat model through init_chat_model, without retries (we fall back instead)."""
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {
        "temperature": settings.llm_temperature,
        "timeout": settings.llm_timeout,
        "max_retries": 0,
    }
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if settings.llm_api_key:
        kwargs["api_key"] = settings.llm_api_key.get_secret_value()
    elif settings.llm_provider == "openai":
        kwargs["api_key"] = "not-needed"  # local OpenAI-compatible servers accept any key
    try:
        # With a model name it is a chat model, not the configurable wrapper init_chat_model's type also allows.
        return cast(BaseChatModel, init_chat_model(settings.llm_model, model_provider=settings.llm_provider, **kwargs))
    except Exception as exc:  # unknown provider, missing integration package, bad arguments
        raise SettingsError(
            f"cannot set up LLM_PROVIDER={settings.llm_provider!r} LLM_MODEL={settings.llm_model!r}: {exc}",
            user_message="Cấu hình mô hình ngôn ngữ (LLM_PROVIDER, LLM_MODEL) không dùng được; xem .env.example.",
        ) from exc


def passages_block(sources: list[Source]) -> str:
    """The passages, numbered, each fenced as untrusted text."""
    blocks = []
    for s in sources:
        by = f" — {s.facts.author}" if s.facts.author else ""
        text = s.text.replace(FENCE_CLOSE, "TÀI LIỆU»»").replace(FENCE_OPEN, "««TÀI LIỆU")  # no way out of the fence
        blocks.append(f"[{s.n}] Nguồn: {s.facts.title}{by}\n{FENCE_OPEN}\n{text}\n{FENCE_CLOSE}")
    return "\n\n".join(blocks)


def card_lines(answer: Answer) -> list[str]:
    """The directive cards the extractive answer opens with, read from its data."""
    return [wording.card_line(c.document.summary) for c in answer.cards if c.document is not None]


def card_block(cards: list[str]) -> str:
    return ("Thẻ văn bản (từ sổ đăng ký văn bản của hệ thống):\n" + "\n".join(cards) + "\n\n") if cards else ""


@dataclass
class Generated:
    answer: Answer
    generate_ms: float
    verify_ms: float


class Generator:
    """Runs the chain with a deadline and verifies what comes back."""

    def __init__(self, settings: BotSettings, model: BaseChatModel | None = None, prompts: Prompts | None = None):
        self.settings = settings
        self.prompts = prompts or load_prompts(settings.prompts_dir)
        model = model or make_chat_model(settings)
        self.answer_chain: Runnable = self.prompts.answer | model | StrOutputParser()
        self.directive_chain: Runnable = self.prompts.directive | model | StrOutputParser()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")
        self._failures_logged: set[str] = set()

    def improve(self, answer: Answer, keep_numbers: bool = False) -> Generated:
        """The verified generated answer, or `answer` unchanged (generator "extractive").

        The model reads every relevant passage (`answer.retrieved`); the sources of the
        result are those its kept sentences cite, renumbered in order of citation
        (`keep_numbers`: as numbered in `retrieved`, for a caller that lists them itself)."""
        pool = answer.retrieved or answer.sources
        if not answer.found or not pool:
            return Generated(answer, 0.0, 0.0)
        card = card_block(card_lines(answer))
        chain = self.directive_chain if card else self.answer_chain
        inputs = {"question": answer.question, "card": card, "passages": passages_block(pool)}
        started = time.perf_counter()
        try:
            future = self._pool.submit(chain.invoke, inputs)
            text = future.result(timeout=self.settings.llm_timeout + 1)
        except Exception as exc:  # noqa: BLE001 - timeout, connection, rate limit, server error: fall back
            self._log_failure(exc)
            return Generated(answer, (time.perf_counter() - started) * 1000, 0.0)
        generated = time.perf_counter()
        short = answer.short.text if answer.short else ""  # a generated figure must not contradict it
        cut = next((s.text for s in answer.sources if answer.short and s.n == answer.short.source), "")
        kept, report = verify(text or "", [s.text for s in pool], card, short=short, short_passage=cut)
        verified = time.perf_counter()
        timings = ((generated - started) * 1000, (verified - generated) * 1000)
        surviving = report.checked - report.dropped
        if not kept or surviving < MIN_KEPT_SHARE * max(report.checked, 1):
            log.info(
                "generated answer failed verification (%d of %d sentences dropped)", report.dropped, report.checked
            )
            answer.verification = report
            return Generated(answer, *timings)
        if keep_numbers:
            return Generated(
                dataclasses.replace(answer, generated=kept, generator="llm", verification=report), *timings
            )
        return Generated(_renumbered(answer, kept, pool, report), *timings)

    def _log_failure(self, exc: BaseException) -> None:
        kind = type(exc).__name__
        if kind not in self._failures_logged:  # once per kind of failure, not once per question
            self._failures_logged.add(kind)
            log.warning("LLM unavailable (%s: %s); answering extractively", kind, str(exc)[:200] or "timeout")
        else:
            log.debug("LLM failed again (%s)", kind)


def _renumbered(answer: Answer, kept: str, pool: list[Source], report: Verification) -> Answer:
    """The generated answer with only the passages it cites as sources, numbered as cited
    (the short answer's passage kept among them)."""
    numbers: dict[int, int] = {}
    for m in re.finditer(r"\[(\d+)\]", kept):
        if 1 <= int(m[1]) <= len(pool):
            numbers.setdefault(int(m[1]), len(numbers) + 1)
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{numbers[int(m[1])]}]" if int(m[1]) in numbers else m[0], kept)
    short = answer.short
    if short is not None:
        chunk = next((s.chunk_id for s in answer.sources if s.n == short.source), None)
        rank = next((s.n for s in pool if s.chunk_id == chunk), None)
        if rank is None:
            short = None
        else:
            short = dataclasses.replace(short, source=numbers.setdefault(rank, len(numbers) + 1))
    sources = [pool[rank - 1].renumbered(n) for rank, n in numbers.items()]
    return dataclasses.replace(
        answer,
        generated=text,
        short=short,
        sources=sorted(sources, key=lambda s: s.n),
        related=len(pool) - len(sources),
        generator="llm",
        verification=report,
    )


__all__ = ["Generator", "Generated", "Verification", "make_chat_model"]
