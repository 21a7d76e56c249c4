"""The layers of `bot/`, held: a module imports only from its own layer or the layers below it.

Every import counts, those inside functions and under TYPE_CHECKING included: an import moved
into a function to dodge a cycle is still an upward dependency. The layers, lowest first, are
declared here and in ARCHITECTURE.md; a module belongs to the longest prefix that names it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. The records a question produces sit at the bottom of answering; renderers are
# pure functions of those records (no I/O), below the core, which journals the text a user saw;
# channels and the command line adapt the core to a medium.
LAYERS: list[tuple[str, ...]] = [
    ("bot", "bot.settings", "bot.sources", "bot.wording"),
    ("bot.answering.answer", "bot.answering.card", "bot.answering.verification", "bot.answering.claims"),
    ("bot.answering",),
    ("bot.outlines", "bot.operations"),
    ("bot.render",),
    ("bot.core",),
    ("bot.channels", "bot.cli", "bot.__main__"),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: str) -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


def imported(path: Path, known: set[str]) -> Iterator[tuple[int, str]]:
    """(line, module) for every import of a project module, wherever it is in the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from bot.x import y` imports module bot.x.y when y is a module, else bot.x
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                yield node.lineno, name


def layer(module: str) -> int:
    best = max(((len(p), i) for i, prefixes in enumerate(LAYERS) for p in prefixes if module == p or module.startswith(p + ".")))
    return best[1]


def graph() -> dict[str, set[str]]:
    mods = modules("bot") | modules("ingest")
    known = set(mods)
    edges = {m: {dep for _, dep in imported(p, known) if dep != m} for m, p in mods.items()}
    edges["ingest"] = set()  # its imports name the lazy exports for type checkers only (PEP 562)
    return edges


def test_every_module_of_bot_has_a_declared_layer():
    for m in modules("bot"):
        assert layer(m) >= 0, m


def test_no_module_of_bot_imports_from_a_higher_layer():
    mods = modules("bot")
    known = set(mods) | set(modules("ingest"))
    upward = [
        f"{m}:{line} imports {dep} (layer {layer(dep)} > {layer(m)})"
        for m, path in mods.items()
        for line, dep in imported(path, known)
        if dep.startswith("bot") and layer(dep) > layer(m)
    ]
    assert upward == []


def test_ingest_never_imports_bot():
    assert [(m, d) for m, deps in graph().items() if m.startswith("ingest") for d in deps if d.startswith("bot")] == []


def test_no_import_cycles():
    deps = graph()
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in deps.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(deps):
        if v not in index:
            visit(v)
    assert cycles == []


@pytest.mark.parametrize(
    ("module", "dep", "allowed"),
    [("bot.render.text", "bot.core.recording", False), ("bot.core.recording", "bot.render.text", True),
     ("bot.answering.answer", "bot.answering.compose", False), ("bot.channels.zalo.app", "bot.core.assistant", True)],
)
def test_the_layer_rule_itself(module, dep, allowed):
    assert (layer(dep) <= layer(module)) is allowed
