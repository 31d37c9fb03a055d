"""Build the engine's fact from a validated dossier: only the paths rules read, plus computed values."""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Protocol, Union

from checker.lang import conditions as c
from checker.lang.paths import MISSING, Data, get_path
from checker.lang.quantifiers import over


PRESENT = True  # what stands in the fact for a value the engine only tests for existence
_PRESENCE = "presence"

# path segment -> deeper segments; None keeps the whole value, "presence" only whether it exists
Trie = dict[str, Union["Trie", None, str]]
Fact = dict[str, Data]  # what the engine is given for one dossier


class Derivation(Protocol):
    """A value computed while building facts (checker/engine/compiler.py makes them)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def paths(self) -> tuple[str, ...]: ...
    @property
    def pattern(self) -> c.Value: ...


class Projection(Protocol):
    """What a compiled rulebook tells the fact builder: the paths to keep and the values to compute."""

    @property
    def read_paths(self) -> Collection[str]: ...
    @property
    def presence_paths(self) -> Collection[str]: ...
    @property
    def derivations(self) -> Sequence[Derivation]: ...  # read only: a compiled rulebook's own list satisfies it


def _project(data: Data, trie: Trie) -> Fact:
    out: Fact = {}
    for key, sub in trie.items():
        if not isinstance(data, dict) or key not in data:
            continue
        value = data[key]
        if sub is _PRESENCE:
            out[key] = PRESENT
        elif isinstance(sub, dict) and isinstance(value, dict):
            out[key] = _project(value, sub)
        else:
            out[key] = value
    return out


def projection_trie(paths: Iterable[str], presence_paths: Iterable[str] = ()) -> Trie:
    """A nested dict of the path segments to keep; ``None`` marks a whole subtree, ``"presence"`` a value
    replaced by ``PRESENT`` (it keeps the facts small: the engine decodes the fact once per action)."""
    trie: Trie = {}
    for dotted in sorted(paths):
        node = trie
        parts = dotted.split(".")
        for i, part in enumerate(parts):
            if i == len(parts) - 1:
                node[part] = None
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    break  # an ancestor is kept whole
                node = child
    for dotted in sorted(presence_paths):
        node = trie
        parts = dotted.split(".")
        for i, part in enumerate(parts):
            if i == len(parts) - 1:
                node.setdefault(part, _PRESENCE)
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    break  # an ancestor is kept whole, or itself only tested for existence
                node = child
    return trie


def compute(derivation: Derivation, data: Data) -> Data:
    if derivation.kind == "days_between":
        left, right = (get_path(data, p) for p in derivation.paths)
        if not isinstance(left, str) or not isinstance(right, str):
            return MISSING
        try:
            return (date.fromisoformat(left) - date.fromisoformat(right)).days
        except ValueError:
            return MISSING
    value = get_path(data, derivation.paths[0])
    if derivation.kind == "length":
        return len(value) if isinstance(value, list) else MISSING
    if derivation.kind == "matches":
        return bool(re.fullmatch(derivation.pattern, value)) if isinstance(value, str) else MISSING
    if derivation.kind == "quantifier":
        state = over(derivation.pattern, value)
        return MISSING if state is None else state
    raise ValueError(derivation.kind)


class FactBuilder:
    def __init__(self, compiled: Projection) -> None:
        self.trie = projection_trie(compiled.read_paths, compiled.presence_paths)
        self.derivations = compiled.derivations

    def build(self, data: Data, sid: str) -> Fact:
        fact = _project(data, self.trie)
        calc: dict[str, Data] = {}
        for derivation in self.derivations:
            value = compute(derivation, data)
            if value is not MISSING:
                calc[derivation.name] = value
        fact["calc"] = calc
        fact["kind"] = "dossier"
        fact["sid"] = sid
        fact["id"] = "dossier"
        return fact
