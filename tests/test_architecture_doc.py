"""ARCHITECTURE.md cannot drift: it names every module and package there is, and only those."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def modules(package: str) -> set[str]:
    """Dotted names below the package, as the document's tables write them ("answering.compose")."""
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT / package).with_suffix("").parts
        if parts[-1] not in ("__init__", "__main__"):
            names.add(".".join(parts))
    return names


def named(package: str) -> set[str]:
    """The first cell of every table row in the section "## `package/`" (up to the next "## ")."""
    section = re.search(rf"^## `{package}/`.*?(?=^## |\Z)", DOC, re.M | re.S)
    assert section, f"ARCHITECTURE.md has no section for {package}/"
    return set(re.findall(r"^\| `([\w.]+)` \|", section.group(0), re.M))


@pytest.mark.parametrize("package", ["bot", "ingest"])
def test_every_module_is_named_and_every_name_exists(package):
    real, doc = modules(package), named(package)
    assert sorted(real - doc) == [], "modules missing from ARCHITECTURE.md"
    assert sorted(doc - real) == [], "ARCHITECTURE.md names modules that do not exist"


@pytest.mark.parametrize("package", ["bot", "ingest"])
def test_every_subpackage_says_what_it_is_in_one_line(package):
    for init in sorted((ROOT / package).rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and doc.splitlines()[0].strip(), init
        folder = init.parent.relative_to(ROOT).as_posix()
        assert f"`{folder}/`" in DOC, f"ARCHITECTURE.md does not show {folder}/"


def test_paths_in_the_docs_exist():
    """A path to a module in the project's documents ("bot/render/text.py") names a file that is there."""
    for name in ("ARCHITECTURE.md", "README.md", "HUONG_DAN.md", "corpus/README.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for path in set(re.findall(r"\b((?:bot|ingest)/[\w/]+\.py)\b", text)):
            assert (ROOT / path).is_file(), f"{name} names {path}"
