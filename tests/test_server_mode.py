"""CHROMA_HOST/CHROMA_PORT: a real `chroma run` server on 127.0.0.1, shared by processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, make_settings

from bot.render.text import answer_text
from ingest import IndexStateError, ingest, open_store
from ingest.index.generations import ServerStore

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """`chroma run` (installed with chromadb) on a free local port, for this module."""
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("chroma run did not start")
            time.sleep(0.2)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_ingest_and_ask_through_the_server(chroma_server, tmp_path, corpus_copy, embedder):
    from bot.answering.service import QAService

    settings = make_settings(tmp_path, corpus_copy, chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = ingest(settings, embedder=embedder)
    assert report.new == 2 and report.chunks_total > 20 and report.directives > 10
    assert not (tmp_path / "chroma").exists()  # nothing written locally
    service = QAService(settings, build_if_missing=False, embedder=embedder)
    answer = service.ask("Kết luận 120-KL/TW yêu cầu gì?")
    assert answer.found and answer.directives and "120-KL/TW" in answer_text(answer)

    # Another process, configured only by the environment, answers from the same index.
    env = {**os.environ, "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(chroma_server), "CORPUS_DIR": str(corpus_copy)}
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "Ai là tác giả bài viết về phối hợp dân vận ở Bắc Ninh?"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["sources"][0]["doc_id"] == "bacninh-phoi-hop-dan-van"

    # An update is seen by the running service; old generations are dropped on the server.
    (corpus_copy / "ghi-chu.txt").write_text("Ghi chú\n\nXã Tân Dân nuôi ong mật theo mô hình dân vận khéo.\n", encoding="utf-8")
    assert ingest(settings, embedder=embedder).new == 1
    assert service.ask("Xã Tân Dân nuôi ong mật?").sources[0].doc_id == "ghi-chu"
    assert len(open_store(settings).generations()) == 2


def test_one_writer_at_a_time_on_the_server(chroma_server):
    store = ServerStore("127.0.0.1", chroma_server)
    with store.lock():
        with pytest.raises(IndexStateError, match="another ingestion"):
            with store.lock():
                pass
    with store.lock():  # released
        pass


def test_a_lock_left_by_a_dead_writer_is_taken_over(chroma_server):
    store = ServerStore("127.0.0.1", chroma_server)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    store._client.create_collection(
        "qcdc-ingest-lock", metadata={"host": socket.gethostname(), "pid": int(dead.stdout), "started": time.time()}
    )
    with store.lock():
        pass


def test_unreachable_server_is_a_clear_error(tmp_path):
    settings = make_settings(tmp_path, chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(IndexStateError, match="cannot reach the Chroma server") as info:
        open_store(settings)
    assert "CHROMA_HOST" in info.value.for_user()
