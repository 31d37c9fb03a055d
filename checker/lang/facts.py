"""Build the engine's fact from a validated dossier: only the paths rules read, plus computed values."""
from __future__ import annotations

import re
from datetime import date

from checker.lang.paths import MISSING, get_path
from checker.lang.quantifiers import over


PRESENT = True  # what stands in the fact for a value the engine only tests for existence
_PRESENCE = "presence"


def _project(data, trie):
    out = {}
    for key, sub in trie.items():
        if not isinstance(data, dict) or key not in data:
            continue
        value = data[key]
        if sub is _PRESENCE:
            out[key] = PRESENT
        elif sub is None or not isinstance(value, dict):
            out[key] = value
        else:
            out[key] = _project(value, sub)
    return out


def projection_trie(paths, presence_paths=()) -> dict:
    """A nested dict of the path segments to keep; ``None`` marks a whole subtree, ``"presence"`` a value
    replaced by ``PRESENT`` (it keeps the facts small: the engine decodes the fact once per action)."""
    trie: dict = {}
    for dotted in sorted(paths):
        node = trie
        parts = dotted.split(".")
        for i, part in enumerate(parts):
            if i == len(parts) - 1:
                node[part] = None
            else:
                if node.get(part, {}) is None:
                    break
                node = node.setdefault(part, {})
    for dotted in sorted(presence_paths):
        node = trie
        parts = dotted.split(".")
        for i, part in enumerate(parts):
            if i == len(parts) - 1:
                node.setdefault(part, _PRESENCE)
            else:
                if node.get(part, {}) in (None, _PRESENCE):
                    break  # an ancestor is kept whole, or itself only tested for existence
                node = node.setdefault(part, {})
    return trie


def compute(derivation, data):
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
    def __init__(self, compiled):
        self.trie = projection_trie(compiled.read_paths, compiled.presence_paths)
        self.derivations = compiled.derivations

    def build(self, data: dict, sid: str) -> dict:
        fact = _project(data, self.trie)
        calc = {}
        for derivation in self.derivations:
            value = compute(derivation, data)
            if value is not MISSING:
                calc[derivation.name] = value
        fact["calc"] = calc
        fact["kind"] = "dossier"
        fact["sid"] = sid
        fact["id"] = "dossier"
        return fact
