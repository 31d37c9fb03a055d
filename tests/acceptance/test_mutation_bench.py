"""bench/mutation.py's machinery, on a tiny module: each mutant is a different, valid program, and a transplanted
mutant changes the behaviour of functions that other modules imported by name. (The bench itself takes minutes
and is run by hand; its figures are in the report of issue 9.)"""
import ast
import importlib.util
import sys
import types

from tests.conftest import ROOT

SOURCE = '''"""doc"""
LIMIT = 3
TABLE = {"a": 1}


def over(value, bound=LIMIT):
    """doc"""
    if value is None or not value:
        return False
    return value > bound and value - 1 != 0


class Box:
    def big(self, value):
        return value in (TABLE["a"], 2) or value >= 10
'''


def _bench():
    spec = importlib.util.spec_from_file_location("mutation_bench", ROOT / "bench" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutation_bench", module)  # dataclasses look their module up there
    spec.loader.exec_module(sys.modules["mutation_bench"])
    return sys.modules["mutation_bench"]


def test_every_kind_of_mutant_is_made_and_each_is_a_different_valid_program():
    bench = _bench()
    found = bench.mutants("tiny", SOURCE)
    kinds = {m.kind for m in found}
    assert kinds == {"compare", "boolean", "not", "arithmetic", "constant", "return"}
    assert not any("doc" in m.change for m in found)  # docstrings are left alone
    programs = {bench._apply(SOURCE, m) for m in found}
    assert len(programs) == len(found) and ast.unparse(ast.parse(SOURCE)) not in programs
    for program in programs:
        compile(program, "tiny.py", "exec")


def test_a_transplanted_mutant_reaches_names_imported_elsewhere(tmp_path):
    bench = _bench()
    path = tmp_path / "tiny_target.py"
    path.write_text(SOURCE, encoding="utf-8")
    module = types.ModuleType("tiny_target")
    module.__file__ = str(path)
    exec(compile(SOURCE, str(path), "exec"), module.__dict__)
    sys.modules["tiny_target"] = module
    try:
        over, box = module.over, module.Box()  # as `from tiny_target import over` holds them
        assert over(5) is True and box.big(2) is True
        flipped = next(m for m in bench.mutants("tiny", SOURCE) if m.change == "Gt->GtE")
        bench._transplant(module, bench._apply(SOURCE, flipped))
        assert over(3) is True  # 3 >= LIMIT now
        table = next(m for m in bench.mutants("tiny", SOURCE) if m.kind == "constant" and m.change == "1->2")
        bench._transplant(module, bench._apply(SOURCE, table))
        assert module.TABLE == {"a": 2} and box.big(1) is False
    finally:
        del sys.modules["tiny_target"]
