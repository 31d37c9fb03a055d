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

from dataclasses import dataclass

from checker.lang import conditions as c
from checker.lang.explain import FALSE, TRUE, UNKNOWN, leaf_state
from checker.lang.paths import get_path, MISSING
from checker.rulebook.modebook import FactRef
from checker.modes.compile import fact_statement

_FLIP = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}


@dataclass(frozen=True)
class LeafStep:
    """One dossier leaf as read: what it compared, with which value and bound, and its state."""

    kind: str  # compare, presence, done, evidenced, quantifier
    path: str
    op: str  # eq ne lt lte gt gte in matches exists missing done evidenced every some
    value: object  # the dossier value (None when absent; the measure's done flag for measures)
    bound: object  # the value compared with (a literal, a parameter's value, a list for "in")
    param: str | None  # the parameter the bound comes from
    state: str
    absent: tuple  # dossier paths that were absent


@dataclass(frozen=True)
class Step:
    """A derived fact, or the statement at the top of a chain."""

    kind: str  # fact, statement
    name: str  # fact id, or statement name
    state: str


def state_of(value) -> str:
    return UNKNOWN if value is None else (TRUE if value else FALSE)


class Reader:
    def __init__(self, book, data: dict, truth: dict, params: dict):
        self.book = book
        self.data = data
        self.truth = truth  # statement name -> bool, as the engine derived it
        self.params = params
        self._states: dict = {}
        self._leaves: dict = {}
        self._reasons: dict = {}  # conditions live as long as the book: their ids are stable keys

    def fact_state(self, fact_id: str) -> str:
        return state_of(self.truth.get(fact_statement(fact_id)))

    def state(self, cond) -> str:
        key = id(cond)
        if key not in self._states:
            self._states[key] = self._state(cond)
        return self._states[key]

    def _state(self, cond) -> str:
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

    def leaf(self, cond) -> LeafStep:
        key = id(cond)
        if key not in self._leaves:
            self._leaves[key] = self._leaf(cond)
        return self._leaves[key]

    def _leaf(self, cond) -> LeafStep:
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

    def reasons(self, cond, want: str) -> list:
        """Chains (tuples, bottom-up, without the statement itself) that give ``cond`` the state ``want``."""
        key = (id(cond), want)
        if key not in self._reasons:
            self._reasons[key] = self._reasons_of(cond, want)
        return self._reasons[key]

    def _reasons_of(self, cond, want: str) -> list:
        if isinstance(cond, FactRef):
            fact = self.book.facts[cond.name]
            step = Step("fact", cond.name, want)
            return [chain + (step,) for chain in self.reasons(fact.when, want)]
        if isinstance(cond, c.Not):
            return self.reasons(cond.item, _FLIP[want])
        if isinstance(cond, (c.All, c.Any)):
            every = (isinstance(cond, c.All) and want == TRUE) or (isinstance(cond, c.Any) and want == FALSE)
            items = [item for item in cond.items if every or self.state(item) == want]
            chains = []
            for item in items:
                for chain in self.reasons(item, want):
                    if chain not in chains:
                        chains.append(chain)
            # "households given" only says which branch applies: news only when nothing else is said.
            news = [ch for ch in chains if not _given(ch[0])]
            return news or chains
        return [(self.leaf(cond),)]

    def explain(self, statement: str, cond) -> list:
        """Chains up to ``statement``, in the state the engine gave it."""
        want = state_of(self.truth.get(statement))
        top = Step("statement", statement, want)
        return [chain + (top,) for chain in self.reasons(cond, want)]


def _given(leaf) -> bool:
    return leaf.kind == "presence" and (leaf.op == "exists") == (leaf.state == TRUE)


def missing_paths(chains) -> list:
    """The dossier paths absent at the bottom of the unknown chains, in order, without repeats."""
    out = []
    for chain in chains:
        leaf = chain[0]
        if leaf.state == UNKNOWN:
            for path in leaf.absent or (leaf.path,):
                if path not in out:
                    out.append(path)
    return out
