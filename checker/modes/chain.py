"""Forward chaining for the mode book through the one C-core driver (checker/engine/driver.py).

The dossier fact carries only what the mode book's conditions read (``project``): values for comparisons, ``done``
for measures, and ``true`` in place of anything only tested for existence, so its size does not depend on the
dossier's notes or evidence lists; computed values (``calc``) as for the rulebook. ``ChainingEngine`` derives
every statement to a fixpoint in one reused session and leaves it empty; ``Engine`` runs it in a forked child with
the same per-dossier time limit as ``check``: the guards against the engine's traps are the driver's.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping

from checker.engine.driver import DEFAULT_TIME_LIMIT, ChainingEngine, Engine
from checker.lang.facts import compute
from checker.lang.paths import MISSING, get_path
from checker.modes.compile import RULESET, CompiledModes
from checker.engine.driver import Results
from checker.engine.compiler import JSONObject
from checker.lang.facts import Fact
from checker.lang.paths import Data


def project(data: Data, reads: Mapping[str, str]) -> Fact:
    """The dossier values at ``reads`` ({dotted path: "value" or "presence"}), nested as in the dossier;
    a path only tested for existence carries ``true``."""
    out: Fact = {}
    for dotted in sorted(reads):
        value = get_path(data, dotted)
        if value is MISSING:
            continue
        if reads[dotted] == "presence":
            value = True
        node = out
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = copy.deepcopy(value)
    return out


class ChainEngine:
    """The mode book's statements for one dossier at a time: statement name -> True/False (absent = unknown)."""

    def __init__(self, compiled: CompiledModes, time_limit: float = DEFAULT_TIME_LIMIT,
                 isolated: bool | None = None) -> None:
        self.compiled = compiled
        self.time_limit = time_limit
        self.engine = Engine(compiled, time_limit, isolated, core=ChainingEngine(compiled, RULESET))

    def fact(self, data: Data) -> Fact:
        fact = project(data, self.compiled.read_paths)
        calc: dict[str, Data] = {}
        for derivation in self.compiled.derivations:
            value = compute(derivation, data)
            if value is not MISSING:
                calc[derivation.name] = value
        if self.compiled.derivations:
            fact["calc"] = calc
        fact["kind"] = "dossier"
        return fact

    def run(self, data: Data) -> Results:
        return self.engine.run(self.fact(data))

    def leftover_facts(self) -> list[JSONObject]:
        """Facts still held by the session (a test checks this stays empty)."""
        return self.engine.leftover_facts()

    def close(self) -> None:
        self.engine.close()
