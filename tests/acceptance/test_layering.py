"""The architecture of checker/ as a test over its import graph (built with ast, every import, lazy ones too).

Layers are sub-packages, lowest first; a module imports only from its own layer or a lower one, modules import
each other without cycles, and no module imports another module's underscore name.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "checker"
LAYERS = ("text", "i18n", "model", "inputs", "schema", "lang", "engine", "rulebook", "modes", "check", "report", "store", "web", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of a checker module, lazy ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "checker"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "checker":
                continue
            plain = []
            for a in node.names:  # `from checker.engine import driver` imports the module checker.engine.driver
                if f"{source}.{a.name}" in MODULES:
                    found.append((f"{source}.{a.name}", [], node.lineno))
                else:
                    plain.append(a.name)
            if plain or source not in ("checker",):
                found.append((source, plain, node.lineno))
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> int | None:
    """Index of a module's layer; None for the package root (``__version__``) and ``checker.__main__``."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] == "__main__":
        return None
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else -1


def test_every_module_lives_in_a_layer():
    flat = [m for m in MODULES if m.count(".") == 1 and m not in ("checker.__main__",) and m.split(".")[1] not in LAYERS]
    assert flat == [], f"modules outside the layer packages {LAYERS}: {flat}"
    assert sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()) == sorted(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_lives_there_and_what_it_may_import(layer):
    doc = ast.get_docstring(ast.parse((ROOT / layer / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "May import" in doc and len(doc.split("May import")[0].strip()) > 20, doc


def test_layers_import_only_downwards():
    upward = []
    for module, imports in GRAPH.items():
        own = _layer(module)
        for target, _names, line in imports:
            if target not in MODULES:
                upward.append(f"{module}:{line} imports {target}, which does not exist")
                continue
            theirs = _layer(target)
            if target.endswith("__main__") or (own is not None and theirs is not None and theirs > own):
                upward.append(f"{module}:{line} ({LAYERS[own] if own is not None else 'root'}) imports {target}")
            if own is None and module == "checker" and target != "checker":
                upward.append(f"checker/__init__.py:{line} imports {target}: the package root stays empty")
    assert not upward, "\n".join(upward)


# Cycles that landed before this test, each to be removed by its owner; the test fails when one is gone too, so
# the list only shrinks. (web/'s three went when its page helpers moved to checker/web/pages.py.)
KNOWN_CYCLES: list = []


def test_no_import_cycles():
    edges = {m: sorted({t for t, _n, _l in imports if t in MODULES and t != m}) for m, imports in GRAPH.items()}
    cycles = []
    state: dict = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for target in edges[node]:
            if state.get(target) == "open":
                cycles.append(" → ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[node] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [])
    assert cycles == KNOWN_CYCLES, "\n".join(cycles)


def test_no_underscore_name_is_imported_from_another_module():
    private = [f"{module}:{line} takes {name} from {target}"
               for module, imports in GRAPH.items() for target, names, line in imports
               for name in names if name.startswith("_") and not name.startswith("__")]
    assert not private, "\n".join(private)


def test_the_graph_is_real():
    """The checks above would pass on an empty graph: the known edges must be in it."""
    targets = {t for t, _n, _l in GRAPH["checker.check.pipeline"]}
    assert {"checker.engine.driver", "checker.lang.facts", "checker.text.inert"} <= targets
    assert _layer("checker.cli.common") > _layer("checker.report") > _layer("checker.check.pipeline")
