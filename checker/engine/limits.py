"""durable-rules 2.0.28's hard limits, as measured on this machine, and a model of its alpha network to stay below them.

Measured with small scripts (see the README's engine traps table):

- error 113: a condition of more than 32 expressions is refused.
- error 303 (MAX_STACK_SIZE): while matching one fact, the engine keeps the alpha nodes still to visit on a stack of
  64 entries; the 65th matching sibling overflows it (64 rules testing 64 different properties of one fact all
  matching: fine; 65: error 303). The number of engine rules as such is not the limit: 1,000 of ours in one ruleset
  load and run.
- error 302: a fact of more than 254 properties, counting nested objects' properties (flattened) and the engine's own
  ``sid`` and ``id``, is refused; a list counts as one property whatever its length (1,000 items: fine).

The alpha network is a prefix tree: each engine rule's top-level "and" is a sequence of expressions, and rules that
begin with the same expressions share those nodes (durable's ``findAlpha`` reuses a child with the same property,
operator and value). When a node matches, all its matching children are pushed at once, and the last pushed is
visited first, so the stack can hold ``children(n) - 1`` entries for every node ``n`` on the current path plus the
children of the deepest. ``alpha_stack_bound`` computes that, as if every child could match at once: an upper bound.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

Expression = Any  # one durable-rules JSON condition (a dict), or a part of one

MAX_EXPRESSIONS_PER_CONDITION = 32  # error 113 above this
ALPHA_STACK_SIZE = 64  # error 303 above this
MAX_FACT_PROPERTIES = 254  # error 302 above this
ALPHA_STACK_BUDGET = 56  # what the compiler allows a partition: the measured limit less a margin


def expression_sequence(condition: Expression) -> list[Expression]:
    """The expressions of a condition's top-level "and", flattened, in order."""
    if isinstance(condition, dict) and list(condition) == ["$and"]:
        out: list[Expression] = []
        for part in condition["$and"]:
            out.extend(expression_sequence(part))
        return out
    return [condition]


def count_expressions(condition: Expression) -> int:
    """How many expressions the engine counts in a condition (for the limit of 32)."""
    if isinstance(condition, dict):
        if len(condition) == 1:
            key, value = next(iter(condition.items()))
            if key in ("$and", "$or"):
                return sum(count_expressions(part) for part in value)
            if key in ("$iall", "$iany"):
                return 1 + sum(count_expressions(part) for part in value.values())
        return len(condition)
    return 1


Node = dict[str, "Node"]  # an expression (as JSON text) -> the expressions that follow it


class AlphaTree:
    """A model of one ruleset's alpha network, built rule by rule."""

    def __init__(self) -> None:
        self.root: Node = {}

    def add(self, condition: Expression) -> list[tuple[Node, str]]:
        """Add one engine rule's condition; returns what was created, for ``undo``."""
        created: list[tuple[Node, str]] = []
        node = self.root
        for expression in expression_sequence(condition):
            key = json.dumps(expression, sort_keys=True, ensure_ascii=False)
            if key not in node:
                node[key] = {}
                created.append((node, key))
            node = node[key]
        return created

    @staticmethod
    def undo(created: list[tuple[Node, str]]) -> None:
        for parent, key in reversed(created):
            del parent[key]

    def stack_bound(self) -> int:
        return _bound(self.root)


def _bound(node: Node) -> int:
    if not node:
        return 0
    children = len(node)
    return max(children, max(children - 1 + _bound(child) for child in node.values()))


def alpha_stack_bound(conditions: Iterable[Expression]) -> int:
    tree = AlphaTree()
    for condition in conditions:
        tree.add(condition)
    return tree.stack_bound()
