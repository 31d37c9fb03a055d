"""Mutation testing of the condition language, the compiler and the explanation (issue 9 §8).

    python bench/mutation.py                       # all three modules, every mutant
    python bench/mutation.py --module explain --budget 20 --timeout 60

Each mutant changes one thing in one module — a comparison operator (== !=, < <=, > >=, in / not in, is / is not),
a boolean operator (and / or), a removed ``not``, a constant (True / False, a number + 1, a string changed), an
arithmetic operator (+ -, * /), or a returned value (``return None``) — and the module's fast tests run against
it; a mutant is killed when they fail (or time out). The script prints the score per module and every surviving
mutant. Mutants that cannot change behaviour are listed in bench/mutation_equivalent.txt with the reason; they are
shown as equivalent and left out of the score.

How it runs: a copy of the checkout in a temporary folder; a parent process imports ``checker`` from there and
collects the tests once, then forks one child per mutant, which gives the module's functions the mutated code
(each function object keeps its identity, so ``from … import`` elsewhere sees the mutant) and runs pytest in
process. No network, no extra dependency. A bench script, not a unit test: it takes minutes; do not run it while others run long suites.
"""
from __future__ import annotations

import argparse
import ast
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = Path(__file__).resolve().parent / "mutation_equivalent.txt"

# module -> (file, fast tests that read it, ordered quickest first so that most mutants die early)
MODULES = {
    "conditions": ("checker/lang/conditions.py",
                   ["tests/unit/engine/test_compiler.py", "tests/unit/lang/test_quantifiers.py",
                    "tests/properties/test_condition_trees.py", "tests/unit/rulebook/test_rulebook.py",
                    "tests/unit/rulebook/test_examples.py"]),
    "compiler": ("checker/engine/compiler.py",
                 ["tests/unit/engine/test_compiler.py", "tests/properties/test_condition_trees.py",
                  "tests/unit/engine/test_engine.py"]),
    "explain": ("checker/lang/explain.py",
                ["tests/unit/engine/test_compiler.py", "tests/properties/test_condition_trees.py",
                 "tests/unit/check/test_list_findings.py", "tests/unit/rulebook/test_examples.py"]),
}
_COPIED = ("checker", "tests", "rules", "schemas", "sample_projects", "pyproject.toml")

_COMPARE_SWAP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
                 ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BINOP_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}


@dataclass
class Mutant:
    module: str
    index: int  # position of the node in ast.walk order
    line: int
    kind: str
    change: str
    text: str = ""  # the source line, stripped: keys survive edits elsewhere in the module
    column: int = 0
    function: str = ""  # the enclosing function (or class, or module)

    def key(self) -> str:
        return f"{self.module} | {self.function} | {self.text} | {self.kind} {self.change} @{self.column}"

    def shown(self) -> str:
        return f"{self.module}:{self.line}  {self.text}  [{self.kind} {self.change} @{self.column}]"


def _docstrings(tree) -> set:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _skipped(tree) -> set:
    """Nodes no mutant touches: docstrings, annotations, imports."""
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.AnnAssign, ast.arg)) and getattr(node, "annotation", None) is not None:
            skip |= {id(n) for n in ast.walk(node.annotation)}
        if isinstance(node, ast.FunctionDef) and node.returns is not None:
            skip |= {id(n) for n in ast.walk(node.returns)}
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.JoinedStr)):
            skip |= {id(n) for n in ast.walk(node)}
    return skip


def _changes(node):
    """(kind, description, function that mutates a copy of the node in place) for one node."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _COMPARE_SWAP:
                new = _COMPARE_SWAP[type(op)]
                yield "compare", f"{type(op).__name__}->{new.__name__}", \
                    (lambda n, i=i, new=new: n.ops.__setitem__(i, new()))
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield "boolean", f"{type(node.op).__name__}->{new.__name__}", (lambda n, new=new: setattr(n, "op", new()))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not", "drop not", None  # replaced by its operand: see _apply
    elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAP:
        new = _BINOP_SWAP[type(node.op)]
        yield "arithmetic", f"{type(node.op).__name__}->{new.__name__}", (lambda n, new=new: setattr(n, "op", new()))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield "constant", f"{value}->{not value}", (lambda n: setattr(n, "value", not n.value))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield "constant", f"{value!r}->{value + 1!r}", (lambda n: setattr(n, "value", n.value + 1))
        elif isinstance(value, str):
            yield "constant", f"{value[:30]!r}->'X'+…", (lambda n: setattr(n, "value", "X" + n.value))
    elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        yield "return", "return None", (lambda n: setattr(n, "value", ast.Constant(None)))


def mutants(module: str, source: str) -> list[Mutant]:
    tree = ast.parse(source)
    lines = source.splitlines()
    skip = _skipped(tree)
    owner = {}
    for scope in ast.walk(tree):
        if isinstance(scope, (ast.FunctionDef, ast.ClassDef)):
            for inner in ast.walk(scope):
                owner[id(inner)] = scope.name  # walk is breadth first: inner scopes overwrite outer ones
    found = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        line = getattr(node, "lineno", 0)
        for kind, change, _ in _changes(node):
            text = lines[line - 1] if line else ""
            column = getattr(node, "col_offset", 0) - (len(text) - len(text.lstrip()))
            found.append(Mutant(module, index, line, kind, change, text.strip(), column, owner.get(id(node), "")))
    seen: dict = {}
    for mutant in found:  # the same line written twice in one function: number the later ones
        key = mutant.key()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            mutant.text += f"  #{seen[key]}"
    return found


def _apply(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    target = nodes[mutant.index]
    for kind, change, mutate in _changes(target):
        if (kind, change) != (mutant.kind, mutant.change):
            continue
        if kind == "not":
            for parent in nodes:
                for field, value in ast.iter_fields(parent):
                    if value is target:
                        setattr(parent, field, target.operand)
                    elif isinstance(value, list) and any(v is target for v in value):
                        value[[i for i, v in enumerate(value) if v is target][0]] = target.operand
        else:
            mutate(target)
        return ast.unparse(ast.fix_missing_locations(tree))
    raise ValueError(mutant)


def _transplant(module, source: str) -> None:
    """Give the already imported ``module`` the behaviour of ``source``: each function keeps its identity (other
    modules hold it through ``from … import``) and takes the mutated code, defaults included; module-level values
    are replaced (dicts in place)."""
    fresh = {"__name__": module.__name__, "__file__": module.__file__}
    exec(compile(source, module.__file__, "exec"), fresh)

    def swap(old, new):
        if getattr(old, "__code__", None) is not None and getattr(new, "__code__", None) is not None \
                and old.__code__.co_filename == module.__file__:
            old.__code__, old.__defaults__, old.__kwdefaults__ = new.__code__, new.__defaults__, new.__kwdefaults__

    for name, new in fresh.items():
        old = module.__dict__.get(name)
        if name.startswith("__") or old is None:
            continue
        if isinstance(new, type) and isinstance(old, type):
            for attr, value in vars(new).items():
                target = vars(old).get(attr)
                inner = getattr(value, "__func__", getattr(value, "fget", value))
                swap(getattr(target, "__func__", getattr(target, "fget", target)), inner)
        elif callable(new) and hasattr(new, "__code__"):
            swap(old, new)
        elif isinstance(old, dict) and isinstance(new, dict):
            old.clear()
            old.update(new)
        elif not callable(new) and not isinstance(new, type(module)):
            module.__dict__[name] = new


def _run_tests(module_name: str, source: str | None, tests: list, timeout: float) -> str:
    """"killed", "survived" or "timeout": the tests run in a forked child with ``module_name`` given ``source``
    (None: unchanged)."""
    pid = os.fork()
    if pid == 0:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            import importlib

            import pytest

            if source is not None:
                _transplant(importlib.import_module(module_name), source)
            code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-W", "ignore", "-o", "addopts=", *tests])
            os._exit(int(code))
        except BaseException:
            os._exit(99)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return {0: "survived", 99: "error"}.get(code, "killed")  # 99: the mutant could not be put in place
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.02)


def _preload(work: Path, tests: list) -> None:
    """Import checker from the copy and the test modules once (a collection run), for every child to inherit."""
    os.chdir(work)
    sys.path[:0] = [str(work), str(work / "tests")]
    import pytest

    saved = os.dup(1), os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-W", "ignore", "-o", "addopts=", *tests])
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)


def _equivalent() -> dict:
    """key -> reason, from bench/mutation_equivalent.txt (``module | source line | kind change  # reason``)."""
    out = {}
    if EQUIVALENT_FILE.exists():
        for line in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, reason = line.rpartition("  # ")  # the source line itself may hold a comment
                out[key.strip()] = reason.strip()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES), help="default: all")
    parser.add_argument("--budget", type=int, default=0, help="at most this many mutants per module (0: all)")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per mutant (a timeout kills it)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args(argv)
    modules = args.module or sorted(MODULES)
    equivalent = _equivalent()
    with tempfile.TemporaryDirectory(prefix="renovcheck-mutation-") as tmp:
        work = Path(tmp) / "repo"
        work.mkdir()
        for name in _COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
            else:
                shutil.copy2(source, work / name)
        if not args.list:
            _preload(work, sorted({t for m in modules for t in MODULES[m][1]}))
        summary = []
        for module in modules:
            relative, tests = MODULES[module]
            original = (ROOT / relative).read_text(encoding="utf-8")
            found = mutants(module, original)
            if args.budget:
                found = found[:: max(1, len(found) // args.budget)][: args.budget]
            if args.list:
                for m in found:
                    print(m.shown())
                continue
            started = time.monotonic()
            module_name = relative[:-3].replace("/", ".")
            baseline = _run_tests(module_name, None, tests, args.timeout * 2)
            if baseline != "survived":
                print(f"{module}: the tests fail without any mutant ({baseline}); nothing measured")
                return 2
            results = {"killed": [], "timeout": [], "survived": [], "equivalent": [], "error": []}
            for mutant in found:
                try:
                    mutated = _apply(original, mutant)
                except (ValueError, SyntaxError):
                    continue
                if mutant.key() in equivalent:
                    results["equivalent"].append(mutant)
                    continue
                results[_run_tests(module_name, mutated, tests, args.timeout)].append(mutant)
            judged = len(found) - len(results["equivalent"]) - len(results["error"])
            killed = len(results["killed"]) + len(results["timeout"])
            score = 100.0 * killed / judged if judged else 100.0
            summary.append((module, relative, len(found), killed, len(results["survived"]),
                            len(results["equivalent"]), score, time.monotonic() - started))
            print(f"\n{relative}: {len(found)} mutants, {killed} killed ({len(results['timeout'])} by timeout), "
                  f"{len(results['survived'])} survived, {len(results['equivalent'])} equivalent: "
                  f"score {score:.1f} %", flush=True)
            for mutant in results["survived"]:
                print(f"  survived  {mutant.shown()}", flush=True)
            for mutant in results["error"]:
                print(f"  not run (could not be put in place)  {mutant.shown()}", flush=True)
            for mutant in results["equivalent"]:
                print(f"  equivalent  {mutant.shown()}  ({equivalent[mutant.key()]})", flush=True)
        if summary:
            print("\nmodule       mutants  killed  survived  equivalent  score   seconds")
            for module, _, total, killed, survived, same, score, seconds in summary:
                print(f"{module:<12} {total:>7} {killed:>7} {survived:>9} {same:>11}  {score:5.1f} %  {seconds:7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
