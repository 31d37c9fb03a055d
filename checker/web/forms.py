"""Form fields made from the dossier schema (labels ``x-zh``/``description``, units ``x-unit``, enums), the values
a form sends read as the CLI reads ``--set`` values, and the schema's messages placed at their field.

Shared by the planner's what-if (checker/web/planner.py) and the dossier form (checker/web/editor.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from checker.schema import index, validation as schema
from checker.lang.paths import MISSING
from checker.model.errors import InputError, Problem
from checker.modes import whatif
from checker.schema.template import UNIT_LABELS

KINDS = ("integer", "number", "boolean", "enum", "date", "text")


@lru_cache(maxsize=1)
def root() -> dict:
    return schema.load_schema("dossier.schema.json")


def resolve(node: dict) -> dict:
    """A schema node with ``$ref`` followed and ``allOf`` properties merged (checker/schema/index.py)."""
    return index.resolve(node, root())


def node_at(path: str) -> dict | None:
    """The schema node of a dotted path (``community.households``; list items as ``0``)."""
    node = resolve(root())
    for part in path.split("."):
        if node.get("type") == "array" and part.isdigit():
            node = resolve(node.get("items", {}))
        else:
            node = node.get("properties", {}).get(part)
            if node is None:
                return None
            node = resolve(node)
    return node


@dataclass(frozen=True)
class Field:
    path: str  # dotted
    kind: str  # one of KINDS
    label: dict  # {"zh", "en"}
    unit: str  # x-unit
    options: tuple = ()  # enum values
    required: bool = False
    # enum value -> its name, {"zh"[, "en"]}: a value without one is shown as it is
    option_names: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False)

    def label_in(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("zh") or self.path

    def option_label(self, value: object, lang: str) -> str:
        """An enum value as a choice shows it: its name in the page's language, else the value itself."""
        names = self.option_names.get(value, {}) if isinstance(value, str) else {}
        return names.get(lang) or str(value)

    def unit_in(self, lang: str) -> str:
        if self.kind in ("boolean", "enum", "text", "date") or self.unit in ("-", "id", "text"):
            return ""
        return UNIT_LABELS.get(self.unit, {}).get(lang, "")


def field_of(path: str, node: dict, required: bool = False) -> Field:
    kind = "text"
    if "enum" in node:
        kind = "enum"
    elif node.get("type") in ("integer", "number", "boolean"):
        kind = node["type"]
    elif node.get("format") == "date":
        kind = "date"
    return Field(path, kind, label_of(node, path), node.get("x-unit", "-"), tuple(node.get("enum", ())), required,
                 option_names(node))


def option_names(node: dict) -> dict[str, dict[str, str]]:
    """Each enum value's name: the schema's ``x-labels`` ({zh, en}); else, in Chinese only, the name its ``x-zh``
    text gives the value ("当前阶段:planning 规划设计、construction 施工…" → planning: 规划设计)."""
    declared = node.get("x-labels") or {}
    described = node.get("x-zh", "")
    names: dict[str, dict[str, str]] = {}
    for value in node.get("enum", ()):
        if not isinstance(value, str):
            continue
        if isinstance(declared.get(value), dict):
            names[value] = declared[value]
        elif value.isascii() and (named := re.search(rf"(?<![\w]){re.escape(value)} ([^、,,;;::()()]+)", described)):
            names[value] = {"zh": named.group(1).strip()}
    return names


def label_of(node: dict, path: str) -> dict[str, str]:
    """A schema node's label: ``x-zh`` in Chinese, its ``description`` in English (the path when it has none)."""
    return {"zh": node.get("x-zh", path), "en": node.get("description", path)}


def field_at(path: str) -> Field | None:
    node = node_at(path)
    return field_of(path, node) if node is not None else None


def read_value(field: Field, raw: str) -> object:
    """The value a form control sent, as ``--set PATH=VALUE`` reads it (numbers, booleans); text stays text.
    "" means nothing said (the field is left out). Raises InputError (the CLI's own message) when unreadable."""
    raw = raw.strip() if field.kind != "text" else raw
    if raw == "" or (field.kind == "text" and not raw.strip()):
        return None
    if field.kind in ("text", "enum", "date"):
        return raw
    return whatif.parse(f"{field.path}={raw}").value


def shown(value: object) -> str:
    """A dossier value as a form control shows it: nothing said is empty, booleans as ``--set`` writes them."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def message_at(problem: Problem, lang: str) -> str:
    """A schema problem's message without the file and pointer in front: the form shows it at its field."""
    shown = problem.render(lang)
    head = problem.file + (f":{problem.line}:{problem.column or 1}" if problem.line is not None else "") + ": "
    if shown.startswith(head):
        shown = shown[len(head):]
    if problem.pointer and shown.startswith(problem.pointer + ": "):
        shown = shown[len(problem.pointer) + 2:]
    return shown


def dotted(pointer: str) -> str:
    return pointer.strip("/").replace("/", ".")


def problems_by_field(exc_or_problems: InputError | list[Problem], lang: str) -> dict[str, list[str]]:
    """{dotted path: [message]} of an InputError or a list of problems."""
    problems = exc_or_problems.problems if isinstance(exc_or_problems, InputError) else exc_or_problems
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(dotted(p.pointer), []).append(message_at(p, lang))
    return out
