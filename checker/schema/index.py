"""JSON Schema nodes read through their local ``$ref`` and ``allOf``: the one place a schema is walked.

Every reader of a schema (the dossier index below, the template, the web form, field labels and hints, the engine's
fact-width bound, the mode book's paths, the review's date fields) goes through these functions, so that they all
agree on what a node means:

- a ``$ref`` is a local JSON pointer (``#/$defs/measure``); the keys written beside it win over its target's (a
  measure's own label over the generic one), chains are followed;
- ``resolve`` merges an ``allOf``'s properties into the node: the parts' in the order written, then the node's own,
  which win;
- ``properties`` lists every property a node may have, through ``$ref``, ``allOf``, ``anyOf`` and ``oneOf``: the
  node's own first, the nearest declaration winning.

A ``$ref`` that points nowhere in the document reads as an empty schema: our schemas are checked by the tests, and a
hint or a label must never turn a user's mistake into a traceback. Why not the ``referencing`` library:
docs/architecture.md (Dependencies).
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

Schema = dict[str, Any]  # one node of a JSON Schema, as parsed from JSON
Path = tuple[str, ...]

REVIEW_AS_OF = "review.as_of"  # reserved: the reviewer's judgement date, put into the facts by the pipeline
REVIEW_NODE: Schema = {"type": "string", "format": "date", "description": "The reviewer's judgement date (--as-of)",
                       "x-zh": "审查基准日期(--as-of)", "x-unit": "date"}

MAX_DEPTH = 16  # deeper than any schema of ours; stops a reference cycle instead of looping on it
_BRANCHES = ("allOf", "anyOf", "oneOf")


def lookup(root: Schema, ref: object) -> Schema:
    """The node a local reference (``#/$defs/measure``, RFC 6901 pointer) points at in ``root``; {} if none."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return {}
    target: Any = root
    for token in ref[1:].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and token in target:
            target = target[token]
        elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
            target = target[int(token)]
        else:
            return {}
    return target if isinstance(target, dict) else {}


def deref(node: object, root: Schema) -> Schema:
    """``node`` with its ``$ref`` followed (through chains); the keys beside a ``$ref`` win over its target's.
    Anything but an object (``true``, a stray value) reads as {}."""
    for _ in range(MAX_DEPTH):
        if not (isinstance(node, dict) and "$ref" in node):
            break
        node = {**lookup(root, node["$ref"]), **{k: v for k, v in node.items() if k != "$ref"}}
    return node if isinstance(node, dict) else {}


def resolve(node: object, root: Schema, depth: int = 0) -> Schema:
    """``node`` as one object: its ``$ref`` followed and its ``allOf`` parts' properties merged in (own win)."""
    node = deref(node, root)
    if "allOf" not in node or depth > MAX_DEPTH:
        return node
    merged: Schema = {}
    for part in node["allOf"]:
        merged.update(resolve(part, root, depth + 1).get("properties", {}))
    merged.update(node.get("properties", {}))
    return dict(node, properties=merged)


def properties(node: object, root: Schema, depth: int = 0) -> dict[str, Schema]:
    """name -> subschema (as written) of every property ``node`` declares, through ``$ref``, ``allOf``, ``anyOf`` and
    ``oneOf``: its own first, then those of its reference and its branches; the nearest declaration wins."""
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        return {}
    found: dict[str, Schema] = dict(node.get("properties", {}))
    inherited = [lookup(root, node["$ref"])] if "$ref" in node else []
    inherited += [sub for key in _BRANCHES for sub in node.get(key, [])]
    for sub in inherited:
        for name, child in properties(sub, root, depth + 1).items():
            found.setdefault(name, child)
    return found


def walk(root: Schema, items: str | None = None, max_depth: int = 12) -> Iterator[tuple[Path, Schema, Schema]]:
    """(path, node as written, node resolved) of every property below ``root``, depth first in schema order,
    through ``properties``. With ``items`` (``"*"``), a list's items are walked too, their path part ``items``;
    without it a list is a leaf."""

    def visit(node: Schema, path: Path, depth: int) -> Iterator[tuple[Path, Schema, Schema]]:
        if depth > max_depth:
            return
        for name, child in properties(node, root).items():
            resolved = resolve(child, root)
            yield path + (name,), child, resolved
            yield from visit(resolved, path + (name,), depth + 1)
        if items is not None and isinstance(node.get("items"), dict):
            item = resolve(node["items"], root)
            yield path + (items,), node["items"], item
            yield from visit(item, path + (items,), depth + 1)

    return visit(resolve(root, root), (), 0)


class SchemaIndex:
    """The dossier schema as dotted paths: each path's schema node, resolved (used by lint to check rule paths and
    by messages to label and format values)."""

    def __init__(self, root: Schema, node: Schema | None = None):
        self.root = root
        self.nodes: dict[str, Schema] = {}
        self._walk(root if node is None else node, "", 0)

    def _walk(self, node: Schema, prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        for name, child in resolve(node, self.root).get("properties", {}).items():
            path = f"{prefix}{name}"
            resolved = resolve(child, self.root)
            self.nodes[path] = resolved
            self._walk(resolved, path + ".", depth + 1)

    def get(self, path: str) -> Schema | None:
        return self.nodes.get(path)

    def items(self, path: str) -> SchemaIndex | None:
        """The index of a list's items (for every/some), or None when ``path`` is not a list."""
        node = self.get(path)
        if not node or node.get("type") != "array" or not isinstance(node.get("items"), dict):
            return None
        return SchemaIndex(self.root, node["items"])

    def node(self, dotted: str) -> Schema | None:
        """The schema node of a dotted path that may pass through list items by index (``a.b.1.c``)."""
        if dotted == REVIEW_AS_OF:
            return REVIEW_NODE
        index: SchemaIndex | None = self
        prefix = ""
        parts = dotted.split(".")
        for i, part in enumerate(parts):
            if part.isdigit():
                index = index.items(prefix.rstrip(".")) if index is not None else None
                if index is None:
                    return None
                prefix = ""
                if i == len(parts) - 1:
                    return None
                continue
            prefix += part + "."
        return index.get(prefix.rstrip(".")) if prefix and index is not None else None


@lru_cache(maxsize=1)
def dossier_index() -> SchemaIndex:
    """The index of the bundled dossier schema (read once; treat it as read-only)."""
    from checker.inputs.resources import load_schema

    return SchemaIndex(load_schema("dossier.schema.json"))
