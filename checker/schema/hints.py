"""How to fix a dossier value the schema refused (issue 12 §3): the nearest allowed value ("丰台" → 丰台区), a rate
written as a percentage (85 → 0.85), 是/否 for a boolean, the English key for a Chinese field name.

Each function gets a jsonschema error and returns ``(message key, params)`` for ``Problem.hint``, or ``()``."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from checker.schema import index

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

Hint = tuple[()] | tuple[str, dict[str, object]]  # () or (message key, params): Problem.hint

_YES = {"是", "有", "对", "已", "已完成", "完成", "yes", "y", "true", "True", "TRUE", "Yes", "YES", "√", "✓"}
_NO = {"否", "无", "没有", "不", "未", "未完成", "no", "n", "false", "False", "FALSE", "No", "NO", "×", "✗"}


def suggest(error: ValidationError, extras: list[str]) -> Hint:
    validator = error.validator
    if validator == "enum":
        return _nearest_enum(error.instance, error.validator_value)
    if validator == "type":
        return _boolean(error)
    if validator in ("maximum", "exclusiveMaximum"):
        return _percentage(error)
    if validator in ("additionalProperties", "unevaluatedProperties") and extras:
        return _english_key(str(extras[0]), error)
    return ()


def _nearest_enum(value: object, allowed: list[object]) -> Hint:
    if not isinstance(value, str) or not value.strip():
        return ()
    options = [a for a in allowed if isinstance(a, str)]
    containing = sorted((a for a in options if value.strip() in a or a in value), key=len)
    match = containing[0] if containing else next(iter(difflib.get_close_matches(value, options, n=1, cutoff=0.6)), None)
    return ("hint.did_you_mean", {"value": match}) if match else ()


def _boolean(error: ValidationError) -> Hint:
    expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    if "boolean" not in expected or not isinstance(error.instance, str):
        return ()
    word = error.instance.strip()
    if word in _YES:
        return ("hint.boolean", {"value": "true", "word": word})
    if word in _NO:
        return ("hint.boolean", {"value": "false", "word": word})
    return ()


def _percentage(error: ValidationError) -> Hint:
    value = error.instance
    is_ratio = error.schema.get("x-unit") == "ratio" or error.validator_value == 1
    if is_ratio and isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value <= 100:
        ratio = round(value / 100, 6)
        return ("hint.percentage", {"value": value, "ratio": f"{ratio:g}"})
    return ()


def short_label(node: object) -> str:
    """A field's x-zh name without the explanation after it ("当前阶段:planning 规划设计…" → "当前阶段")."""
    label = node.get("x-zh", "") if isinstance(node, dict) else ""
    for mark in (":", ":", "(", "(", ";", ";"):  # the name, not its explanation
        label = label.split(mark)[0]
    return label.strip()


def _english_key(name: str, error: ValidationError) -> Hint:
    declared = index.properties(error.schema, getattr(error, "_renovcheck_root", None) or {})
    if not declared:
        return ()
    if name.isascii():
        match = next(iter(difflib.get_close_matches(name, list(declared), n=1, cutoff=0.75)), None)
        return ("hint.key", {"name": match, "label": short_label(declared[match]) or match}) if match else ()
    # a Chinese name: the field whose label is (or contains, or is contained in) it
    for key, node in declared.items():
        label = short_label(node)
        if label and (label == name or name in label or label in name):
            return ("hint.key", {"name": key, "label": label})
    labels = {short_label(node): key for key, node in declared.items() if short_label(node)}
    match = next(iter(difflib.get_close_matches(name, list(labels), n=1, cutoff=0.5)), None)
    return ("hint.key", {"name": labels[match], "label": match}) if match else ()


def field_label(path: str, lang: str) -> str:
    """A dotted dossier path as a zh report shows it: its x-zh label, then the path ("施工计划告知日期
    construction.plan_notice.date"); the path alone in en, or when the schema gives the field no label."""
    if lang != "zh" or not path:
        return path
    label = field_name(path)
    return f"{label} {path}" if label else path


def field_labels(paths: Iterable[str], lang: str) -> str:
    """Several fields as a zh report lists them (、 between them), or comma-separated paths in en."""
    return ("、" if lang == "zh" else ", ").join(field_label(p, lang) for p in paths)


def field_name(path: str) -> str:
    """The schema's x-zh label of a dotted dossier path ("" when it has none)."""
    return _labels().get(_generic(path), "") if path else ""


def _generic(path: str) -> str:
    return ".".join("*" if part.isdigit() else part for part in path.split("."))


_LABELS: dict[str, str] = {}
_MEASURE_FIELDS = ("done", "not_needed", "reason", "date", "evidence", "note")


def _labels() -> dict[str, str]:
    """generic dotted path (list indexes as *) -> the field's short x-zh label, for every field of the dossier schema."""
    if not _LABELS:
        from checker.inputs.resources import load_schema

        for path, declared, resolved in index.walk(load_schema("dossier.schema.json"), items="*"):
            if path[-1] == "*":
                continue  # a list's items are labelled by their fields
            label = short_label(declared) or short_label(resolved)
            parent = _LABELS.get(".".join(path[:-1]))
            if label and parent and path[-1] in _MEASURE_FIELDS:  # "完成或开始日期" alone says not of what
                label = f"{parent}·{label}"
            if label:
                _LABELS.setdefault(".".join(path), label)
    return _LABELS
