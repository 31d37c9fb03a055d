"""What-if: ``--set PATH=VALUE`` on a deep copy of the dossier, validated again, then compared.

VALUE is read as a YAML scalar by the project's own loader (numbers, booleans, text; a date stays text);
``null`` (or nothing after ``=``) removes the field. The dossier file is only ever read.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from checker.schema import validation as schema
from checker.model.errors import InputError, Problem
from checker.lang.paths import get_path, MISSING
from checker.inputs.yamlload import Document, load_text
from checker.lang.paths import Data

if TYPE_CHECKING:
    from checker.modes.explain import Chain
    from checker.modes.recommend import Recommendation

_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
SOURCE = "--set"


@dataclass(frozen=True)
class Assignment:
    text: str  # as given, PATH=VALUE
    path: str
    value: Data  # a scalar; None: remove the field


def parse(text: str) -> Assignment:
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not _PATH.match(path):
        raise InputError([Problem(SOURCE, "recommend.set_syntax", {"value": text})])
    if "\n" in raw or "\r" in raw:
        raise InputError([Problem(SOURCE, "recommend.set_value", {"value": text, "reason": "newline"})])
    try:
        doc = load_text("v: " + raw if raw.strip() else "v: null", SOURCE)
    except InputError as exc:
        reason = exc.problems[0].render("en").split(": ", 1)[-1]
        raise InputError([Problem(SOURCE, "recommend.set_value", {"value": text, "reason": reason})]) from None
    value = doc.data.get("v") if isinstance(doc.data, dict) and list(doc.data) == ["v"] else MISSING
    if value is MISSING or isinstance(value, (dict, list)):
        raise InputError([Problem(SOURCE, "recommend.set_value", {"value": text, "reason": "not a single value"})])
    return Assignment(text, path, value)


def apply(data: Data, assignments: Iterable[Assignment], file: str) -> tuple[Data, list[tuple[Assignment, Data]]]:
    """(changed copy, [(assignment, previous value or None)]); the copy is checked against the dossier schema."""
    changed = copy.deepcopy(data)
    previous = []
    for a in assignments:
        before = get_path(changed, a.path)
        previous.append((a, None if before is MISSING else copy.deepcopy(before)))
        _set(changed, a)
    problems = schema.validate(Document(file, changed, {}))
    if problems:
        raise InputError([Problem(f"{file} ({SOURCE})", p.key, p.params, None, None, p.pointer) for p in problems])
    return changed, previous


def _set(data: Data, a: Assignment) -> None:
    parts = a.path.split(".")
    node = data
    for depth, part in enumerate(parts[:-1]):
        node = _step(node, part, a, depth, create=a.value is not None)
        if node is None:
            return  # removing below an absent parent: nothing to remove
    last = parts[-1]
    if isinstance(node, list):
        index = _index(node, last, a, len(parts) - 1)
        if a.value is None:
            del node[index]
        else:
            node[index] = a.value
    elif isinstance(node, dict):
        if a.value is None:
            node.pop(last, None)
        else:
            node[last] = a.value
    else:
        _not_container(a, len(parts) - 1)


def _step(node: Data, part: str, a: Assignment, depth: int, create: bool) -> Data:
    if isinstance(node, dict):
        if part not in node:
            if not create:
                return None
            node[part] = {}
        child = node[part]
    elif isinstance(node, list):
        child = node[_index(node, part, a, depth)]
    else:
        _not_container(a, depth)
    if not isinstance(child, (dict, list)):
        _not_container(a, depth + 1)
    return child


def _index(node: list[Data], part: str, a: Assignment, depth: int) -> int:
    if not part.isdigit() or int(part) >= len(node):
        at = ".".join(a.path.split(".")[:depth + 1])
        raise InputError([Problem(SOURCE, "recommend.set_index", {"value": a.text, "path": at, "count": len(node)})])
    return int(part)


def _not_container(a: Assignment, depth: int) -> NoReturn:
    at = ".".join(a.path.split(".")[:depth])
    raise InputError([Problem(SOURCE, "recommend.set_not_container", {"value": a.text, "path": at})])


@dataclass
class ModeChange:
    mode: str
    fit_before: str
    fit_after: str
    rank_before: int
    rank_after: int
    because: list[Chain]  # chains of the new fit that pass through something that changed


@dataclass
class WhatIf:
    assignments: list[tuple[Assignment, Data]]  # with the previous value
    before: Recommendation  # of the dossier as it is
    after: Recommendation  # of the changed copy
    changes: list[ModeChange]  # in the new ranking order
    facts: list[tuple[str, str, str]]  # (fact id, before, after)
    statements: list[tuple[str, bool | None, bool | None]]  # mode statements that changed


def compare(before: Recommendation, after: Recommendation,
            assignments: list[tuple[Assignment, Data]]) -> WhatIf:
    changed_facts = [(fid, before.facts[fid], after.facts[fid]) for fid in after.facts
                     if before.facts[fid] != after.facts[fid]]
    changed_paths = {a.path for a, _ in assignments}
    moved = {fid for fid, _, _ in changed_facts}

    def touches(chain: Chain) -> bool:
        for step in chain:
            if step.kind == "fact" and getattr(step, "name", None) in moved:
                return True
            if getattr(step, "param", None) in changed_paths:  # --set of a parameter: the bound moved
                return True
            path = getattr(step, "path", None)
            if path and any(path == p or path.startswith(p + ".") or p.startswith(path + ".") for p in changed_paths):
                return True
        return False

    changes = []
    for mode in after.modes:
        old = before.mode(mode.id)
        if (old.fit, old.rank, old.confirmed) != (mode.fit, mode.rank, mode.confirmed):
            chains = [ch for ch in mode.because + mode.preference if touches(ch)]
            if not chains and (old.fit, old.confirmed) != (mode.fit, mode.confirmed):
                chains = mode.because
            changes.append(ModeChange(mode.id, old.fit, mode.fit, old.rank, mode.rank, chains))
    statements = [(name, before.truth.get(name), after.truth.get(name)) for name in sorted(set(before.truth) | set(after.truth))
                  if name.startswith("mode:") and before.truth.get(name) != after.truth.get(name)]
    return WhatIf(assignments, before, after, changes, changed_facts, statements)
