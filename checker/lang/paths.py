"""Reading a dotted path out of a dossier; ``MISSING`` when it is absent (silence reads as missing)."""
from __future__ import annotations

from typing import Any

Data = Any  # a dossier or a part of one, as parsed from YAML or JSON: dicts, lists, strings, numbers, booleans

MISSING: Any = object()  # compared by identity; typed Any so that it can stand wherever a value can


def get_path(data: Data, dotted: str) -> Data:
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return MISSING
        node = node[part]
    return node


def get_indexed(data: Data, dotted: str) -> Data:
    """The value at a dotted path whose numeric parts index lists (``a.0.b``); ``MISSING`` when absent."""
    node = data
    for part in dotted.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return MISSING
    return node


def has_path(data: Data, dotted: str) -> bool:
    return get_path(data, dotted) is not MISSING


def lookup(data: Data, dotted: str, default: Data = None) -> Data:
    value = get_path(data, dotted)
    return default if value is MISSING else value
