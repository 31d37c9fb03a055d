"""Compile the mode book into one durable-rules ruleset that forward-chains.

Every *statement* — a derived fact, a mode's recommended / not_advised / preferred, an obligation being shown —
has a three-valued condition. It is compiled twice, T (surely true) and F (surely false), into disjunctive
normal form: a list of conjunctions, each a set of constraints on the dossier fact plus a set of derived facts
required true or false. Each conjunction becomes one engine rule joining the dossier fact with those derived
facts; its action asserts the statement's own derived fact, so statements built on it fire in the same call.

Dossier leaves are compiled by the rule compiler (``checker.engine.compiler.Compiler.tf``), so they mean exactly what
they mean in the rulebook: an absent value is neither T nor F, and stays unknown up the chain. Every engine
condition carries a positive discriminator (``kind: dossier`` or ``kind: derived``), never a bare absence test
(which would match the engine's own state object and loop forever).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from checker.lang import conditions as c
from checker.engine.compiler import ALWAYS, NEVER, CompileError, Compiler, Derivation, JSONObject, Term, disjuncts
from checker.lang.explain import Params
from checker.rulebook.modebook import FactRef, ModeBook

RULESET = "renovcheck_modes"
MAX_CONJUNCTIONS = 64
MAX_EXPRESSIONS = 30  # durable-rules refuses more than 32 expressions in one condition (error 113)


@dataclass(frozen=True)
class Conjunction:
    exprs: tuple[JSONObject, ...]  # engine expressions on the dossier fact
    facts: frozenset[tuple[str, bool]]  # (statement name, value) the derived facts it joins


_TRUE = Conjunction((), frozenset())


@dataclass
class CompiledModes:
    definition: dict[str, JSONObject]  # the ruleset: engine rule name -> {"all": [...], "run": action}
    actions: dict[str, tuple[str, bool]]  # action name -> (statement name, value)
    statements: list[str]  # statement names, facts in dependency order first
    read_paths: dict[str, str]  # dotted path -> "value" or "presence": what the engine's fact carries
    derivations: list[Derivation]
    rule_count: int = 0
    conditions: dict[str, c.Condition | None] = field(default_factory=dict)  # statement name -> parsed condition


def fact_statement(fact_id: str) -> str:
    return f"fact:{fact_id}"


def mode_statement(mode_id: str, which: str) -> str:
    return f"mode:{mode_id}:{which}"


def obligation_statement(obligation_id: str) -> str:
    return f"obligation:{obligation_id}"


def statements_of(book: ModeBook) -> dict[str, c.Condition | None]:
    """Statement name -> condition, in an order where every fact comes before what builds on it."""
    out: dict[str, c.Condition | None] = {fact_statement(f.id): f.when for f in book.facts.values()}
    for mode in book.modes.values():
        out[mode_statement(mode.id, "recommended")] = mode.recommended_when
        out[mode_statement(mode.id, "not_advised")] = mode.not_advised_when
        if mode.preferred_when is not None:
            out[mode_statement(mode.id, "preferred")] = mode.preferred_when
    for obligation in book.obligations.values():
        out[obligation_statement(obligation.id)] = obligation.shown_when
    return out


class _DNF:
    def __init__(self, params: Params) -> None:
        self.params = params
        self.compiler = Compiler()

    def tf(self, cond: c.Condition | None) -> tuple[list[Conjunction], list[Conjunction]]:
        """(T, F) as lists of Conjunctions."""
        if cond is None:  # only in a mode book that failed to load
            raise CompileError("modes.bad_condition")
        if isinstance(cond, FactRef):
            name = fact_statement(cond.name)
            return ([Conjunction((), frozenset({(name, True)}))], [Conjunction((), frozenset({(name, False)}))])
        if not _has_fact(cond):
            t, f = self.compiler.tf(cond, self.params)
            return _from_engine(t), _from_engine(f)
        if isinstance(cond, c.Not):
            surely, surely_not = self.tf(cond.item)
            return surely_not, surely
        if not isinstance(cond, (c.All, c.Any)):
            raise CompileError("modes.bad_condition")
        parts = [self.tf(item) for item in cond.items]
        if isinstance(cond, c.All):
            return _product([p[0] for p in parts]), _union([p[1] for p in parts])
        if isinstance(cond, c.Any):
            return _union([p[0] for p in parts]), _product([p[1] for p in parts])
        raise CompileError("modes.bad_condition")


def engine_reads(cond: c.Condition | None) -> dict[str, str]:
    """What the engine needs of the dossier for ``cond``: {path: "value" | "presence"}."""
    out: dict[str, str] = {}
    if cond is None:
        return out
    for leaf in c.atoms(cond):
        if isinstance(leaf, FactRef):
            continue
        if isinstance(leaf, c.Stated):
            out.setdefault(leaf.path, "presence")
        elif isinstance(leaf, c.MEASURE_LEAVES):
            out[leaf.path + ".done"] = "value"
            out[leaf.path + ".not_needed"] = "value"
            if isinstance(leaf, c.Evidenced):
                out.setdefault(leaf.path + ".evidence", "presence")
        elif isinstance(leaf, c.Quantifier):
            out[leaf.path] = "value"
        elif isinstance(leaf, c.Compare):
            out[leaf.path] = "value"
            if isinstance(leaf.value, c.DateRef):
                out[leaf.value.path] = "value"
    return out


def _has_fact(cond: c.Condition) -> bool:
    return any(isinstance(leaf, FactRef) for leaf in c.atoms(cond))


def _from_engine(cond: Term) -> list[Conjunction]:
    if cond is NEVER:
        return []
    if cond is ALWAYS:
        return [_TRUE]
    return [Conjunction((d,), frozenset()) if isinstance(d, dict) else _TRUE
            for d in disjuncts(cond) if d is not NEVER]


def _union(lists: Iterable[list[Conjunction]]) -> list[Conjunction]:
    out: list[Conjunction] = []
    for items in lists:
        for item in items:
            if item not in out:
                out.append(item)
    return out


def _product(lists: Iterable[list[Conjunction]]) -> list[Conjunction]:
    out = [_TRUE]
    for items in lists:
        merged: list[Conjunction] = []
        for left, right in itertools.product(out, items):
            facts = left.facts | right.facts
            if any((name, not value) in facts for name, value in facts):
                continue  # needs a fact both true and false: can never fire
            conj = Conjunction(left.exprs + right.exprs, facts)
            if conj not in merged:
                merged.append(conj)
        out = merged
        if len(out) > MAX_CONJUNCTIONS:
            raise CompileError("modes.too_many_alternatives", limit=MAX_CONJUNCTIONS)
    return out


def _engine_rule(conj: Conjunction, action: str) -> JSONObject:
    exprs = [{"kind": "dossier"}, *conj.exprs]
    if len(exprs) > MAX_EXPRESSIONS:
        raise CompileError("modes.too_many_expressions", limit=MAX_EXPRESSIONS)
    match = exprs[0] if len(exprs) == 1 else {"$and": exprs}
    joined: list[JSONObject] = [{"m": match}]
    for index, (name, value) in enumerate(sorted(conj.facts)):
        joined.append({f"f{index}": {"$and": [{"kind": "derived"}, {"name": name}, {"value": value}]}})
    return {"all": joined, "run": action}


def compile_book(book: ModeBook) -> CompiledModes:
    params = book.param_values()
    dnf = _DNF(params)
    statements = statements_of(book)
    definition: dict[str, JSONObject] = {}
    actions: dict[str, tuple[str, bool]] = {}
    for index, (name, cond) in enumerate(statements.items()):
        try:
            t, f = dnf.tf(cond)
        except CompileError as exc:
            exc.params.setdefault("rule", name)
            raise
        for value, conjunctions in ((True, t), (False, f)):
            action = f"s{index}_{'t' if value else 'f'}"
            actions[action] = (name, value)
            for alt, conj in enumerate(conjunctions):
                definition[f"{action}_{alt}"] = _engine_rule(conj, action)
    read: dict[str, str] = {}
    for cond in statements.values():
        for path, how in engine_reads(cond).items():
            if read.get(path) != "value":
                read[path] = how
    return CompiledModes(definition, actions, list(statements), read,
                         list(dnf.compiler.derivations.values()), len(definition), statements)
