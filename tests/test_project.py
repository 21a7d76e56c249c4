"""Project rules that can drift: documented settings, layering, the README's commands."""

import ast
import re

from conftest import ROOT

from bot.settings import BotSettings as Settings


def test_every_setting_is_documented_in_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", example, flags=re.M))
    assert {name.upper() for name in Settings.model_fields} == documented


def test_ingest_never_imports_bot():
    for path in (ROOT / "ingest").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "bot" or n.startswith("bot.") for n in names), path.name


def test_readme_opens_with_the_two_commands():
    lines = [l for l in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if l.strip()]
    commands = [l.strip() for l in lines[:12] if l.strip().startswith("make ")]
    assert commands[:2] == ['make ask Q="Kết luận 120-KL/TW yêu cầu gì?"', "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
