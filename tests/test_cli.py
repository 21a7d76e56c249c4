"""The command lines end to end, as separate processes: messages and exit codes, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT


def run(args, tmp_path, settings=None, stdin=b"", **env):
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    if settings is not None:
        environ |= {"CHROMA_PATH": str(settings.chroma_path), "CORPUS_DIR": str(settings.corpus_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", *args], input=stdin, capture_output=True, cwd=tmp_path, env=environ, timeout=300
    )
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "Traceback" not in out + err, err
    return proc.returncode, out, err


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "trống"), ("   ", "trống"), ("x" * 10_000, "quá dài"), ("?!… ...", "không có chữ"), ("🙂🙏🎉", "không có chữ")],
)
def test_bad_question_is_one_clear_line(tmp_path, question, message):
    code, out, err = run(["bot", "ask", question], tmp_path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_bad_question_in_json_mode_is_json(tmp_path):
    code, out, _ = run(["bot", "ask", "", "--json"], tmp_path)
    assert code == 2 and json.loads(out)["error"]


@pytest.mark.integration
def test_ask_answers_with_sources(corpus_settings, tmp_path):
    code, out, err = run(["bot", "ask", "Kết luận 120-KL/TW yêu cầu gì?"], tmp_path, corpus_settings)
    assert code == 0, err
    assert "120-KL/TW" in out and "[1]" in out and "Nguồn:" in out
    assert "danvanhungyen.vn" in out and "không rõ địa chỉ bài viết" in out


@pytest.mark.integration
def test_stdin_mode_builds_missing_index_and_survives_bad_lines(tmp_path):
    from conftest import make_settings

    settings = make_settings(tmp_path)
    stdin = "Thu ngân sách 9 tháng đầu năm 2018 đạt bao nhiêu?\n\n".encode() + b"\xff\xfe bad\n" + "Trưởng thôn được phụ cấp bao nhiêu?\n".encode()
    code, out, err = run(["bot", "ask", "--json"], tmp_path, settings, stdin=stdin)
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r.get("found") for r in rows] == [True, False, False]
    assert "8.331 tỷ đồng" in rows[0]["answer"] and rows[0]["sources"]
    assert "error" in rows[1] and "UTF-8" in rows[1]["error"]
    assert "error" not in rows[2] and rows[2]["sources"] == []
    assert code == 1 and "dòng 3" in err and "đang xây dựng" in err
    assert (settings.chroma_path / "qcdc-index.json").exists()


@pytest.mark.integration
def test_ingest_cli_reports_bad_files_and_model_mismatch(corpus_settings, tmp_path, corpus_copy):
    (corpus_copy / "empty.md").write_text("", encoding="utf-8")
    env = {"CHROMA_PATH": str(tmp_path / "db"), "CORPUS_DIR": str(corpus_copy)}
    code, out, err = run(["ingest", "--quiet"], tmp_path, **env)
    assert code == 1 and "2 mới" in out
    assert err.startswith("tệp lỗi: ") and err.count("empty.md") == 1

    code, out, err = run(["ingest"], tmp_path, corpus_settings, EMBEDDING_MODEL="sentence-transformers/all-MiniLM-L6-v2")
    assert code == 2 and "--rebuild" in err and err.count("\n") == 1
    code, _, err = run(["bot", "ask", "QCDC là gì?"], tmp_path, corpus_settings, EMBEDDING_MODEL="sentence-transformers/all-MiniLM-L6-v2")
    assert code == 2 and "--rebuild" in err


@pytest.mark.parametrize("command", [["bot", "ask", "QCDC là gì?"], ["ingest"]])
@pytest.mark.parametrize(("name", "value"), [("TOP_K", "many"), ("LOG_LEVEL", "chatty")])
def test_invalid_setting_is_one_clear_line(tmp_path, command, name, value):
    code, out, err = run(command, tmp_path, **{name: value})
    assert code == 2 and name in err and err.count("\n") == 1
