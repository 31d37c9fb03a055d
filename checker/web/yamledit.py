"""Changing a YAML file without losing what a person wrote: comments, key order and quoting survive (ruamel.yaml's
round trip). The workbench writes a dossier only this way, and only to a new file or one the user chose to edit.
"""
from __future__ import annotations

import io
import os
import tempfile
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a person's long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str) -> Any:  # the person's YAML, round-trip types (CommentedMap, CommentedSeq, scalars)
    document = _yaml().load(text)
    return document if document is not None else CommentedMap()


def dump(document: object) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def set_path(document: Any, dotted: str, value: object) -> None:
    """Set (or, with None, remove) the value at a dotted path; absent parents are created as mappings, a parent
    left empty by a removal is removed too (an empty mapping would say something the person did not)."""
    parts = dotted.split(".")
    trail = [document]
    node = document
    for part in parts[:-1]:
        if isinstance(node, list):
            index = int(part)
            if index >= len(node):
                if value is None:
                    return
                node.append(CommentedMap())
            child = node[index]
        else:
            if part not in node:
                if value is None:
                    return
                node[part] = CommentedMap()
            child = node[part]
        node = child
        trail.append(node)
    last = parts[-1]
    if isinstance(node, list):
        index = int(last)
        if value is None:
            if index < len(node):
                del node[index]
        elif index < len(node):
            node[index] = value
        else:
            node.append(value)
    elif value is None:
        node.pop(last, None)
    elif node.get(last) != value or type(node.get(last)) is not type(value):
        node[last] = value
    for depth in range(len(parts) - 1, 0, -1):  # prune mappings a removal left empty
        parent, child = trail[depth - 1], trail[depth]
        if len(child):
            break
        key = parts[depth - 1]
        if isinstance(parent, list):
            del parent[int(key)]
        else:
            parent.pop(key, None)


def write_new(path: str, content: str) -> None:
    """Write a file that must not exist yet (O_EXCL): nothing is ever overwritten by accident."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)


def replace(path: str, content: str) -> None:
    """Replace a file atomically (a temporary file in the same folder, then rename)."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".renovcheck-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def free_name(folder: str, stem: str, suffix: str = ".yaml") -> str:
    """``stem.yaml`` in ``folder``, or ``stem-2.yaml``, ``stem-3.yaml`` … whichever does not exist yet."""
    candidate, n = os.path.join(folder, stem + suffix), 1
    while os.path.lexists(candidate):
        n += 1
        candidate = os.path.join(folder, f"{stem}-{n}{suffix}")
    return candidate
