"""Build the engine's fact from a validated dossier: only the paths rules read, plus computed values."""
from __future__ import annotations

import re
from datetime import date

_MISSING = object()


def get_path(data, dotted: str):
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def get_indexed(data, dotted: str):
    """The value at a dotted path whose numeric parts index lists (``a.0.b``); ``_MISSING`` when absent."""
    node = data
    for part in dotted.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def has_path(data, dotted: str) -> bool:
    return get_path(data, dotted) is not _MISSING


def lookup(data, dotted: str, default=None):
    value = get_path(data, dotted)
    return default if value is _MISSING else value


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


def _compute(derivation, data):
    if derivation.kind == "days_between":
        left, right = (get_path(data, p) for p in derivation.paths)
        if not isinstance(left, str) or not isinstance(right, str):
            return _MISSING
        try:
            return (date.fromisoformat(left) - date.fromisoformat(right)).days
        except ValueError:
            return _MISSING
    value = get_path(data, derivation.paths[0])
    if derivation.kind == "length":
        return len(value) if isinstance(value, list) else _MISSING
    if derivation.kind == "matches":
        return bool(re.fullmatch(derivation.pattern, value)) if isinstance(value, str) else _MISSING
    if derivation.kind == "quantifier":
        from checker.quantifiers import over  # it reads paths with this module's get_path

        state = over(derivation.pattern, value)
        return _MISSING if state is None else state
    raise ValueError(derivation.kind)


class FactBuilder:
    def __init__(self, compiled):
        self.trie = projection_trie(compiled.read_paths, compiled.presence_paths)
        self.derivations = compiled.derivations

    def build(self, data: dict, sid: str) -> dict:
        fact = _project(data, self.trie)
        calc = {}
        for derivation in self.derivations:
            value = _compute(derivation, data)
            if value is not _MISSING:
                calc[derivation.name] = value
        fact["calc"] = calc
        fact["kind"] = "dossier"
        fact["sid"] = sid
        fact["id"] = "dossier"
        return fact
