"""Compile rule conditions into durable-rules rulesets (its JSON form).

Conditions are three-valued (Kleene): each is compiled twice, T (surely true) and F (surely false); a
condition that is neither is unknown because a value it needs is absent. A rule becomes engine rules for

    pass            T(applies_when) and T(require)
    fail            T(applies_when) and F(require)
    not_applicable  F(applies_when)

and ``missing`` is the outcome when none of them fires. These are exclusive, so a dossier gets exactly one
outcome per rule; the engine wrapper checks that, and the pipeline checks that a ``missing`` outcome really
has an absent value behind it. A top-level "or" is split into one small engine rule per alternative, because
durable-rules refuses a condition of more than 32 expressions. Every engine condition also requires
``kind: dossier``, so no compiled rule can match the state object durable-rules re-asserts after each action
(the infinite loop in shared/notes/durable-rules.md).

What the engine cannot compare itself (date differences, regular expressions, list lengths) is computed
while building facts, as named values under ``calc``; the engine then compares those.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, Union

from checker.lang import conditions as c
from checker.lang.explain import Params
from checker.engine.limits import ALPHA_STACK_BUDGET, AlphaTree

JSONObject = dict[str, Any]  # durable-rules' JSON: a condition or a rule definition
Term = Union[JSONObject, tuple[str]]  # an engine condition, or ALWAYS / NEVER before they are simplified away
TF = tuple[Term, Term]  # (surely true, surely false)

ALWAYS: Term = ("always",)
NEVER: Term = ("never",)
FIRED_OUTCOMES = ("pass", "fail", "not_applicable")
MAX_DISJUNCTS = 16

_FLIP = {"eq": "ne", "ne": "eq", "lt": "gte", "gte": "lt", "gt": "lte", "lte": "gt"}
_ENGINE_OP = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}


class CompileError(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Derivation:
    """A value computed while building facts, stored at ``calc.<name>``."""

    name: str
    kind: str  # "days_between", "matches", "length", "quantifier"
    paths: tuple[str, ...]
    pattern: c.Value = ""  # the regular expression; for a quantifier, the quantifier with its parameters bound


@dataclass
class Partition:
    name: str
    definition: dict[str, JSONObject]  # engine rule name -> {"all": [...], "run": action}
    actions: dict[str, tuple[str, str]]  # action name -> (rule id, outcome)


@dataclass
class CompiledRulebook:
    partitions: list[Partition]
    derivations: list[Derivation]
    read_paths: set[str]  # dotted dossier paths the facts must carry with their values
    rule_ids: list[str] = field(default_factory=list)
    presence_paths: set[str] = field(default_factory=set)  # paths the engine only tests for existence


class CompilableRule(Protocol):
    """A rule as the compiler reads it (checker/rulebook/rules.py)."""

    @property
    def id(self) -> str: ...
    @property
    def force(self) -> str: ...
    @property
    def applies_when(self) -> c.Condition | None: ...
    @property
    def require(self) -> c.Condition: ...


def and_(parts: Iterable[Term]) -> Term:
    return _joined("$and", parts, neutral=ALWAYS, absorbing=NEVER)


def or_(parts: Iterable[Term]) -> Term:
    return _joined("$or", parts, neutral=NEVER, absorbing=ALWAYS)


def _joined(operator: str, parts: Iterable[Term], neutral: Term, absorbing: Term) -> Term:
    """``parts`` under "$and" or "$or", simplified: the neutral sentinel is dropped, the absorbing one decides."""
    kept = [p for p in parts if p is not neutral]
    if any(p is absorbing for p in kept):
        return absorbing
    if not kept:
        return neutral
    return kept[0] if len(kept) == 1 else {operator: kept}


class Compiler:
    def __init__(self) -> None:
        self.derivations: dict[tuple[str, tuple[str, ...], c.Value], Derivation] = {}
        self.read_paths: set[str] = set()
        self.presence_paths: set[str] = set()

    def derive(self, kind: str, paths: tuple[str, ...], pattern: c.Value = "") -> str:
        key = (kind, paths, pattern)
        if key not in self.derivations:
            self.derivations[key] = Derivation(f"v{len(self.derivations)}", kind, paths, pattern)
        return "calc." + self.derivations[key].name

    def tf(self, cond: c.Condition, params: Params, prefix: str = "") -> TF:
        """(T, F) engine conditions for ``cond``; ``prefix`` is "$i." inside a quantifier."""
        if isinstance(cond, c.All):
            parts = [self.tf(i, params, prefix) for i in cond.items]
            return and_([p[0] for p in parts]), or_([p[1] for p in parts])
        if isinstance(cond, c.Any):
            parts = [self.tf(i, params, prefix) for i in cond.items]
            return or_([p[0] for p in parts]), and_([p[1] for p in parts])
        if isinstance(cond, c.Not):
            t, f = self.tf(cond.item, params, prefix)
            return f, t
        if isinstance(cond, c.Quantifier):
            if prefix:
                raise CompileError("rule.nested_quantifier", path=cond.path)
            return self.quantifier(cond, params)
        if not isinstance(cond, c.LEAVES):
            raise TypeError(f"not a rule condition: {cond!r}")
        path = prefix + cond.path if prefix else cond.path
        if isinstance(cond, c.Stated):
            self.reads(prefix, presence=(cond.path,))
            return {"$ex": {path: 1}}, NEVER
        if isinstance(cond, c.MEASURE_LEAVES):
            return self.measure(cond, path, prefix)
        self.reads(prefix, values=(cond.path,))
        return self.compare(cond, path, params, prefix)

    def measure(self, cond: c.Done | c.Evidenced | c.NotNeeded, path: str, prefix: str) -> TF:
        """A measure's leaves. The dossier schema makes ``not_needed: true`` exclude ``done``, so the T and F
        conditions below never hold together."""
        self.reads(prefix, values=(cond.path + ".done", cond.path + ".not_needed"))
        done, not_needed = path + ".done", path + ".not_needed"
        refused = or_([{done: False}, {not_needed: True}])
        if isinstance(cond, c.Done):
            return {done: True}, refused
        if isinstance(cond, c.Evidenced):
            self.reads(prefix, presence=(cond.path + ".evidence",))
            return and_([{done: True}, {"$ex": {path + ".evidence": 1}}]), refused
        return {not_needed: True}, or_([{"$ex": {done: 1}}, {not_needed: False}])

    def reads(self, prefix: str, values: Iterable[str] = (), presence: Iterable[str] = ()) -> None:
        """Record the dossier paths a top-level condition reads: by value, or only whether they exist."""
        if not prefix:
            self.read_paths.update(values)
            self.presence_paths.update(presence)

    def compare(self, cond: c.Compare, path: str, params: Params, prefix: str) -> TF:
        value = c.resolve(cond.value, params)
        if cond.op == "matches":
            if prefix:
                raise CompileError("rule.derived_in_quantifier", path=cond.path)
            _check_regex(cond.value)
            name = self.derive("matches", (cond.path,), cond.value)
            return {name: True}, {name: False}
        if cond.op == "in":
            values = list(value)
            if not values:  # its "false" would need no value at all, so silence would read as false
                raise CompileError("rule.empty_in", path=cond.path)
            return or_([{path: v} for v in values]), and_([{"$neq": {path: v}} for v in values])
        if isinstance(value, c.DateRef):
            offset = c.resolve(value.offset, params)
            if not isinstance(offset, int) or isinstance(offset, bool):
                raise CompileError("rule.bad_offset", path=cond.path)
            if prefix:  # two dates of one item: checker/lang/quantifiers.py compares them
                return {path: True}, {path: False}
            self.read_paths.add(value.path)
            name = self.derive("days_between", (cond.path, value.path))
            bound = value.sign * offset
            return _op(cond.op, name, bound), _op(_FLIP[cond.op], name, bound)
        if isinstance(value, (list, tuple, dict)):
            raise CompileError("rule.bad_operand", path=cond.path)
        return _op(cond.op, path, value), _op(_FLIP[cond.op], path, value)

    def quantifier(self, cond: c.Quantifier, params: Params) -> TF:
        """A quantifier is evaluated in Python while facts are built (checker/lang/quantifiers.py) and the engine reads
        its value at ``calc``: durable-rules gets ``$or`` inside ``$iany``/``$iall`` wrong when the branches read
        different fields of the item (shared/notes/durable-rules.md). The item condition is still compiled here,
        for its compile-time checks."""
        from checker.lang import quantifiers

        self.read_paths.add(cond.path)
        self.tf(cond.require, params, "$i.")
        name = self.derive("quantifier", (cond.path,), quantifiers.bind(cond, params))
        return {name: True}, {name: False}


def _op(op: str, path: str, value: c.Value) -> JSONObject:
    if op == "eq":
        return {path: value}
    return {_ENGINE_OP[op]: {path: value}}


def _check_regex(pattern: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise CompileError("rule.bad_regex", pattern=pattern, reason=str(exc)) from None


def outcome_conditions(applies: c.Condition | None, require: c.Condition, params: Params,
                       compiler: Compiler) -> dict[str, Term]:
    ta, fa = compiler.tf(applies, params) if applies is not None else (ALWAYS, NEVER)
    tq, fq = compiler.tf(require, params)
    return {"pass": and_([ta, tq]), "fail": and_([ta, fq]), "not_applicable": fa}


def disjuncts(cond: Term) -> list[Term]:
    """Alternatives whose "or" is the condition, small enough for the engine's expression limit."""
    if cond is ALWAYS or cond is NEVER or not isinstance(cond, dict):
        return [cond]
    if "$or" in cond:
        return [d for part in cond["$or"] for d in disjuncts(part)]
    if "$and" in cond:
        product: list[list[Term]] = [[]]
        for part in cond["$and"]:
            product = [done + [d] for done in product for d in disjuncts(part)]
            if len(product) > MAX_DISJUNCTS:
                return [cond]
        return [and_(terms) for terms in product]
    return [cond]


def action_name(rule_id: str, outcome: str) -> str:
    return f"{rule_id.replace('-', '_')}__{outcome}"


def policy_require(require: c.Condition, force: str) -> c.Condition:
    """The evidence policy, in one place: under an effective force of shall a done-claim counts only with evidence
    (``{done: P}`` is compiled as ``{evidenced: P}``, so a bare claim is ``missing``); under should and may a bare
    claim passes, and the finding says "claimed without evidence" (checker/check/pipeline.py)."""
    return c.with_evidence(require) if force == "shall" else require


def compile_rules(rules: Sequence[CompilableRule], params_for: Callable[[Any], Params],
                  force_for: Callable[[Any], str] | None = None) -> CompiledRulebook:
    """``rules``: parsed rules in report order; ``params_for(rule)``: its parameter values after any profile;
    ``force_for(rule)``: its effective force after any profile (default: the rule's own). A ``may`` rule is a
    permission: where its requirement is false the outcome is ``not_taken``, never ``fail``.

    Rules are packed into partitions (one durable ruleset each) in report order, a rule's engine rules always
    together, as long as the partition's alpha network stays within ``ALPHA_STACK_BUDGET`` (see
    checker/engine/limits.py: the engine refuses a fact whose matching fans out wider than 64 nodes).
    """
    compiler = Compiler()
    partitions: list[Partition] = []
    definition: dict[str, JSONObject] = {}
    actions: dict[str, tuple[str, str]] = {}
    tree = AlphaTree()

    def close_partition() -> None:
        nonlocal definition, actions, tree
        if definition:
            partitions.append(Partition(f"renovcheck_{len(partitions)}", definition, actions))
        definition, actions, tree = {}, {}, AlphaTree()

    for rule in rules:
        force = force_for(rule) if force_for is not None else rule.force
        try:
            conds = outcome_conditions(rule.applies_when, policy_require(rule.require, force), params_for(rule),
                                       compiler)
        except CompileError as exc:
            exc.params.setdefault("rule", rule.id)
            raise
        engine_rules: dict[str, JSONObject] = {}
        rule_actions: dict[str, tuple[str, str]] = {}
        for outcome in FIRED_OUTCOMES:
            action = action_name(rule.id, outcome)
            rule_actions[action] = (rule.id, "not_taken" if outcome == "fail" and force == "may" else outcome)
            alternatives = [d for d in disjuncts(conds[outcome]) if d is not NEVER]
            for index, cond in enumerate(alternatives):
                match = {"kind": "dossier"} if cond is ALWAYS else {"$and": [{"kind": "dossier"}, cond]}
                engine_rules[f"{action}__{index}"] = {"all": [{"m": match}], "run": action}
        created = [c for r in engine_rules.values() for c in tree.add(r["all"][0]["m"])]
        if tree.stack_bound() > ALPHA_STACK_BUDGET and definition:
            AlphaTree.undo(created)
            close_partition()
            for r in engine_rules.values():
                tree.add(r["all"][0]["m"])
        if tree.stack_bound() > ALPHA_STACK_BUDGET:
            raise CompileError("rule.engine_limit", rule=rule.id,
                               detail=f"alpha fan-out {tree.stack_bound()} > {ALPHA_STACK_BUDGET}")
        definition.update(engine_rules)
        actions.update(rule_actions)
    close_partition()
    return CompiledRulebook(partitions, list(compiler.derivations.values()), compiler.read_paths,
                            [r.id for r in rules], compiler.presence_paths)
