"""The chains behind each statement, read from the dossier leaf by leaf and from the engine's derived facts.

The engine decides every statement; this module never overrides it. It reads each dossier leaf
(``checker.lang.explain.leaf_state``) and each derived fact as the engine derived it, combines them with the same
Kleene logic to check it agrees with the engine (a disagreement is an engine error, not a verdict), and walks
down from a statement to the leaves that decided it:

    all  true → every item;          false → the false items;   unknown → the unknown items
    any  true → the true items;      false → every item;        unknown → the unknown items
    not  → the item, with the state flipped

Each chain runs bottom-up: a dossier leaf, the derived facts it passes through, the statement at the top.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Union

from checker.lang import conditions as c
from checker.lang.explain import FALSE, TRUE, UNKNOWN, Params, leaf_state
from checker.lang.paths import Data, get_path, MISSING
from checker.engine.driver import Results
from checker.rulebook.modebook import FactRef, ModeBook
from checker.modes.compile import fact_statement

_FLIP = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}


@dataclass(frozen=True)
class LeafStep:
    """One dossier leaf as read: what it compared, with which value and bound, and its state."""

    kind: str  # compare, presence, done, evidenced, quantifier
    path: str
    op: str  # eq ne lt lte gt gte in matches exists missing done evidenced every some
    value: Data  # the dossier value (None when absent; the measure's done flag for measures)
    bound: Data  # the value compared with (a literal, a parameter's value, a list for "in"; for a date, a dict)
    param: str | None  # the parameter the bound comes from
    state: str
    absent: tuple[str, ...]  # dossier paths that were absent


@dataclass(frozen=True)
class Step:
    """A derived fact, or the statement at the top of a chain."""

    kind: str  # fact, statement
    name: str  # fact id, or statement name
    state: str


Chain = tuple[Union[LeafStep, Step], ...]  # bottom-up: a dossier leaf, the derived facts it passes through, the top


def state_of(value: bool | None) -> str:
    return UNKNOWN if value is None else (TRUE if value else FALSE)


class Reader:
    def __init__(self, book: ModeBook, data: Data, truth: Results, params: Params) -> None:
        self.book = book
        self.data = data
        self.truth = truth  # statement name -> bool, as the engine derived it
        self.params = params
        self._states: dict[int, str] = {}
        self._leaves: dict[int, LeafStep] = {}
        self._reasons: dict[tuple[int, str], list[Chain]] = {}  # conditions live as long as the book: stable ids

    def fact_state(self, fact_id: str) -> str:
        return state_of(self.truth.get(fact_statement(fact_id)))

    def state(self, cond: c.Condition | None) -> str:
        if cond is None:
            raise TypeError("a statement without a condition")  # only in a mode book that failed to load
        key = id(cond)
        if key not in self._states:
            self._states[key] = self._state(cond)
        return self._states[key]

    def _state(self, cond: c.Condition) -> str:
        if isinstance(cond, FactRef):
            return self.fact_state(cond.name)
        if isinstance(cond, c.Not):
            return _FLIP[self.state(cond.item)]
        if isinstance(cond, (c.All, c.Any)):
            states = {self.state(item) for item in cond.items}
            decisive, other = (FALSE, TRUE) if isinstance(cond, c.All) else (TRUE, FALSE)
            if decisive in states:
                return decisive
            return UNKNOWN if UNKNOWN in states else other
        return leaf_state(cond, self.data, self.params)[0]

    def leaf(self, cond: c.Condition) -> LeafStep:
        key = id(cond)
        if key not in self._leaves:
            self._leaves[key] = self._leaf(cond)
        return self._leaves[key]

    def _leaf(self, cond: c.Condition) -> LeafStep:
        state, _read, absent = leaf_state(cond, self.data, self.params)
        if isinstance(cond, c.Quantifier):
            return LeafStep("quantifier", cond.path, "every" if cond.every else "some", None, None, None, state,
                            tuple(absent))
        if isinstance(cond, c.Stated):
            value = get_path(self.data, cond.path)
            return LeafStep("presence", cond.path, "exists",
                            None if value is MISSING else value, None, None, state, tuple(absent))
        if isinstance(cond, (c.Done, c.Evidenced)):
            done = get_path(self.data, cond.path + ".done")
            kind = "done" if isinstance(cond, c.Done) else "evidenced"
            return LeafStep(kind, cond.path, kind, None if done is MISSING else done, None, None, state,
                            tuple(absent))
        if not isinstance(cond, c.Compare):  # leaf_state has refused anything else
            raise TypeError(f"not a dossier leaf: {cond!r}")
        value = get_path(self.data, cond.path)
        bound = c.resolve(cond.value, self.params)
        param = cond.value.name if isinstance(cond.value, c.Param) else None
        if isinstance(bound, c.DateRef):
            other = get_path(self.data, bound.path)
            bound = {"path": bound.path, "value": None if other is MISSING else other,
                     "days": bound.sign * c.resolve(bound.offset, self.params)}
        elif isinstance(bound, tuple):
            bound = list(bound)
        return LeafStep("compare", cond.path, cond.op, None if value is MISSING else value, bound, param, state,
                        tuple(absent))

    def reasons(self, cond: c.Condition | None, want: str) -> list[Chain]:
        """Chains (tuples, bottom-up, without the statement itself) that give ``cond`` the state ``want``."""
        if cond is None:
            raise TypeError("a statement without a condition")  # only in a mode book that failed to load
        key = (id(cond), want)
        if key not in self._reasons:
            self._reasons[key] = self._reasons_of(cond, want)
        return self._reasons[key]

    def _reasons_of(self, cond: c.Condition, want: str) -> list[Chain]:
        if isinstance(cond, FactRef):
            fact = self.book.facts[cond.name]
            step = Step("fact", cond.name, want)
            return [chain + (step,) for chain in self.reasons(fact.when, want)]
        if isinstance(cond, c.Not):
            return self.reasons(cond.item, _FLIP[want])
        if isinstance(cond, (c.All, c.Any)):
            every = (isinstance(cond, c.All) and want == TRUE) or (isinstance(cond, c.Any) and want == FALSE)
            items = [item for item in cond.items if every or self.state(item) == want]
            chains: list[Chain] = []
            for item in items:
                for chain in self.reasons(item, want):
                    if chain not in chains:
                        chains.append(chain)
            # "households given" only says which branch applies: news only when nothing else is said.
            news = [ch for ch in chains if not _given(ch[0])]
            return news or chains
        return [(self.leaf(cond),)]

    def explain(self, statement: str, cond: c.Condition | None) -> list[Chain]:
        """Chains up to ``statement``, in the state the engine gave it."""
        want = state_of(self.truth.get(statement))
        top = Step("statement", statement, want)
        return [chain + (top,) for chain in self.reasons(cond, want)]


def _given(leaf: LeafStep | Step) -> bool:
    return isinstance(leaf, LeafStep) and leaf.kind == "presence" and (leaf.op == "exists") == (leaf.state == TRUE)


def missing_paths(chains: Iterable[Chain]) -> list[str]:
    """The dossier paths absent at the bottom of the unknown chains, in order, without repeats."""
    out: list[str] = []
    for chain in chains:
        leaf = chain[0]
        if isinstance(leaf, LeafStep) and leaf.state == UNKNOWN:
            for path in leaf.absent or (leaf.path,):
                if path not in out:
                    out.append(path)
    return out
