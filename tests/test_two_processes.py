"""The index under two processes: `python -m ingest` in one, answering in another.

Ingestion runs as a real separate process (so Chroma's per-process state is
really separate); this test process plays the bot.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, make_settings

from bot.render.text import answer_text
from ingest import ingest, open_index
from ingest.index.generations import LocalStore

pytestmark = pytest.mark.integration

QUESTION = "Mô hình nuôi ong mật ở xã Tân Dân là gì?"
NOTE = (
    "Ghi chép về mô hình dân vận khéo ở xã Tân Dân\n\n"
    "Xã Tân Dân xây dựng mô hình dân vận khéo nuôi ong mật: hội viên phụ nữ hướng dẫn nhau "
    "nuôi ong mật, bán mật ong qua hợp tác xã và góp quỹ giúp hộ nghèo.\n"
)
OTHER = "Ban Dân vận tham mưu thực hiện Quy chế dân chủ ở cơ sở như thế nào?"


def start_ingest(settings, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "CHROMA_PATH": str(settings.chroma_path),
        "CORPUS_DIR": str(settings.corpus_dir),
        "CHROMA_HOST": "",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "--quiet", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def new_generation_dirs(db: Path, known: set[str]) -> set[str]:
    return LocalStore(db).generations() - known


@pytest.fixture
def served(tmp_path, corpus_copy, embedder):
    """An index of the corpus, and a service answering from it."""
    from bot.answering.service import QAService

    settings = make_settings(tmp_path, corpus_copy)
    ingest(settings, embedder=embedder)
    return settings, QAService(settings, build_if_missing=False, embedder=embedder)


def test_answers_continue_during_ingestion_and_see_it_without_restart(served, corpus_copy):
    settings, service = served
    assert not any(s.doc_id == "ghi-chu-tan-dan" for s in service.ask(QUESTION).sources)
    (corpus_copy / "ghi-chu-tan-dan.txt").write_text(NOTE, encoding="utf-8")
    proc = start_ingest(settings)
    answered = 0
    while proc.poll() is None:
        answer = service.ask(OTHER)
        assert answer.found and answer.sources
        answered += 1
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "1 mới" in out and answered > 0
    answer = service.ask(QUESTION)  # the same service object: no restart
    assert answer.found and answer.sources[0].doc_id == "ghi-chu-tan-dan"
    assert "ong mật" in answer_text(answer)


@pytest.mark.parametrize("moment", ["writing", "finishing"])
def test_killed_ingestion_leaves_a_whole_index(served, corpus_copy, embedder, moment):
    """SIGKILL the ingestion process as soon as its new generation appears
    ("writing"), or once its BM25 index is saved, near the end ("finishing").
    Whenever it dies, readers get a complete index: the old one or the new."""
    settings, service = served
    before = service.index.count()
    db = settings.chroma_path
    known = new_generation_dirs(db, set())
    (corpus_copy / "ghi-chu-tan-dan.txt").write_text(NOTE, encoding="utf-8")
    proc = start_ingest(settings, "--rebuild")
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        fresh = new_generation_dirs(db, known)
        marker = "chroma.sqlite3" if moment == "writing" else "lexical"
        if any((db / g / marker).exists() for g in fresh):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    proc.wait(timeout=60)
    killed = proc.returncode == -signal.SIGKILL
    assert killed or moment == "finishing", "the ingestion ended before it could be killed"

    index = open_index(settings)
    assert index.count() in (before, before + 1)  # the old index, or the whole new one
    answer = service.ask(OTHER)
    assert answer.found and answer.sources
    # The next run finishes the job and clears what the killed one left.
    report = ingest(settings, embedder=embedder)
    assert not report.failures
    assert service.ask(QUESTION).sources[0].doc_id == "ghi-chu-tan-dan"
    assert len(new_generation_dirs(db, set())) <= 2


def test_a_new_generation_that_cannot_be_loaded_leaves_the_current_one_serving(served, corpus_copy, embedder):
    settings, service = served
    serving = service.index.generation
    (corpus_copy / "ghi-chu-tan-dan.txt").write_text(NOTE, encoding="utf-8")
    ingest(settings, embedder=embedder)
    pointer = settings.chroma_path / "qcdc-index.json"
    info = json.loads(pointer.read_text(encoding="utf-8"))
    pointer.write_text(json.dumps({**info, "embedding_model": "intfloat/multilingual-e5-small"}), encoding="utf-8")
    assert service.refresh() is False and service.index.generation == serving  # logged, not raised
    assert service.ask(OTHER).found
    pointer.write_text(json.dumps(info), encoding="utf-8")
    assert service.refresh() is True and service.ask(QUESTION).sources[0].doc_id == "ghi-chu-tan-dan"
