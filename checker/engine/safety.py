"""Static safety checks of compiled rulesets, run by ``renovcheck rules lint`` and by the tests.

Each check stands for a trap of durable-rules 2.0.28 measured on this machine (checker/engine/limits.py):

- every engine condition requires ``kind: dossier`` in its top-level "and" (or is exactly that test), so that no
  rule can match the engine's own state object ``{"sid", "id", "$s"}`` — a bare negation would (the infinite loop
  of shared/notes/durable-rules.md; the engine wrapper also refuses such a match at run time);
- no condition tests ``sid``, ``id``, ``$s``, or ``kind`` other than by equality with ``dossier``;
- no condition has more than 32 expressions (error 113);
- no ruleset's alpha network can fan out wider than the engine's stack of 64 (error 303);
- no fact can carry more than 254 properties (error 302).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from checker.engine.limits import ALPHA_STACK_SIZE, MAX_EXPRESSIONS_PER_CONDITION, MAX_FACT_PROPERTIES, alpha_stack_bound, count_expressions, expression_sequence
from checker.lang.facts import projection_trie
from checker.engine.compiler import CompiledRulebook
from checker.engine.limits import Expression
from checker.lang.facts import Trie
from checker.schema.index import Schema, resolve

DISCRIMINATOR = {"kind": "dossier"}
STATE_PROPERTIES = ("sid", "id", "$s")
_OPERATORS = ("$lt", "$lte", "$gt", "$gte", "$neq", "$ex", "$nex", "$mt", "$iall", "$iany")


@dataclass(frozen=True)
class SafetyIssue:
    key: str  # a message key (checker/i18n/messages.py)
    params: dict[str, object] = field(default_factory=dict)
    rule_id: str | None = None  # the rule concerned, when there is one


def _tested_properties(condition: Expression) -> Iterator[tuple[str, str, Expression]]:
    """(property path, operator, value) of every expression in an engine condition."""
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key in ("$and", "$or"):
                for part in value:
                    yield from _tested_properties(part)
            elif key in ("$iall", "$iany"):
                for path, inner in value.items():
                    yield path, key, inner
            elif key in _OPERATORS:
                for path, operand in value.items():
                    yield path, key, operand
            else:
                yield key, "$eq", value


def check_condition(name: str, condition: Expression, rule_id: str | None = None) -> list[SafetyIssue]:
    issues = []
    params: dict[str, object] = {"name": name, "rule": rule_id or "-"}
    if DISCRIMINATOR not in expression_sequence(condition):
        issues.append(SafetyIssue("engine_safety.no_discriminator", params, rule_id))
    for path, operator, value in _tested_properties(condition):
        head = path.split(".")[0]
        if head in STATE_PROPERTIES:
            issues.append(SafetyIssue("engine_safety.state_property", dict(params, property=path), rule_id))
        elif head == "kind" and (operator, value) != ("$eq", "dossier"):
            issues.append(SafetyIssue("engine_safety.state_property", dict(params, property=path), rule_id))
    count = count_expressions(condition)
    if count > MAX_EXPRESSIONS_PER_CONDITION:
        issues.append(SafetyIssue("engine_safety.too_many_expressions",
                                  dict(params, count=count, limit=MAX_EXPRESSIONS_PER_CONDITION), rule_id))
    return issues


def fact_property_bound(compiled: CompiledRulebook, dossier_schema: Schema | None = None) -> int:
    """How many properties a fact can have at most, counted as the engine counts them (nested ones included)."""
    trie = projection_trie(compiled.read_paths, compiled.presence_paths)

    def size(node: Trie, path: tuple[str, ...]) -> int:
        total = 0
        for key, sub in node.items():
            total += 1
            if isinstance(sub, dict):
                total += size(sub, path + (key,))
            elif sub is None and dossier_schema is not None:
                total += _schema_object_size(dossier_schema, path + (key,))
        return total

    derived = len(compiled.derivations)
    return size(trie, ()) + (1 + derived) + 3  # calc and its values; kind, sid, id


def _schema_object_size(root: Schema, path: tuple[str, ...]) -> int:
    """Properties below ``path`` when the schema says it is an object (lists count as one property)."""
    node = _schema_at(root, path)
    if node is None or resolve(node, root).get("type") != "object":
        return 0

    def count(node: Schema) -> int:
        total = 0
        for sub in resolve(node, root).get("properties", {}).values():
            total += 1
            if resolve(sub, root).get("type") == "object":
                total += count(sub)
        return total

    return count(node)


def _schema_at(root: Schema, path: tuple[str, ...]) -> Schema | None:
    node = root
    for part in path:
        props = resolve(node, root).get("properties", {})
        if part not in props:
            return None
        node = props[part]
    return node


def check_compiled(compiled: CompiledRulebook, dossier_schema: Schema | None = None) -> list[SafetyIssue]:
    """Every safety issue of a compiled rulebook (``checker.engine.compiler.compile_rules``)."""
    issues: list[SafetyIssue] = []
    for partition in compiled.partitions:
        conditions = []
        for name, rule in partition.definition.items():
            action = rule.get("run")
            rule_id = partition.actions[action][0] if action in partition.actions else None
            for term in rule.get("all", ()):
                for condition in term.values():
                    conditions.append(condition)
                    issues += check_condition(name, condition, rule_id)
        bound = alpha_stack_bound(conditions)
        if bound > ALPHA_STACK_SIZE:
            issues.append(SafetyIssue("engine_safety.alpha_stack",
                                      {"partition": partition.name, "bound": bound, "limit": ALPHA_STACK_SIZE}))
    width = fact_property_bound(compiled, dossier_schema)
    if width > MAX_FACT_PROPERTIES:
        issues.append(SafetyIssue("engine_safety.fact_too_wide", {"count": width, "limit": MAX_FACT_PROPERTIES}))
    return issues
