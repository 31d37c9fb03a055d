"""How to fix a dossier value the schema refused (issue 12 §3): the nearest allowed value ("丰台" → 丰台区), a rate
written as a percentage (85 → 0.85), 是/否 for a boolean, the English key for a Chinese field name.

Each function gets a jsonschema error and returns ``(message key, params)`` for ``Problem.hint``, or ``()``."""
from __future__ import annotations

import difflib

_YES = {"是", "有", "对", "已", "已完成", "完成", "yes", "y", "true", "True", "TRUE", "Yes", "YES", "√", "✓"}
_NO = {"否", "无", "没有", "不", "未", "未完成", "no", "n", "false", "False", "FALSE", "No", "NO", "×", "✗"}


def suggest(error, extras: list) -> tuple:
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


def _nearest_enum(value, allowed) -> tuple:
    if not isinstance(value, str) or not value.strip():
        return ()
    options = [a for a in allowed if isinstance(a, str)]
    containing = sorted((a for a in options if value.strip() in a or a in value), key=len)
    match = containing[0] if containing else next(iter(difflib.get_close_matches(value, options, n=1, cutoff=0.6)), None)
    return ("hint.did_you_mean", {"value": match}) if match else ()


def _boolean(error) -> tuple:
    expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    if "boolean" not in expected or not isinstance(error.instance, str):
        return ()
    word = error.instance.strip()
    if word in _YES:
        return ("hint.boolean", {"value": "true", "word": word})
    if word in _NO:
        return ("hint.boolean", {"value": "false", "word": word})
    return ()


def _percentage(error) -> tuple:
    value = error.instance
    is_ratio = error.schema.get("x-unit") == "ratio" or error.validator_value == 1
    if is_ratio and isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value <= 100:
        ratio = round(value / 100, 6)
        return ("hint.percentage", {"value": value, "ratio": f"{ratio:g}"})
    return ()


def _properties(node, root, depth=0) -> dict:
    """name -> subschema of every property a schema node declares (through allOf/anyOf/oneOf and local $refs)."""
    if not isinstance(node, dict) or depth > 16:
        return {}
    found = dict(node.get("properties", {}))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key, []):
            found.update(_properties(sub, root, depth + 1))
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        found.update(_properties(root.get("$defs", {}).get(ref[len("#/$defs/"):], {}), root, depth + 1))
    return found


def short_label(node: dict) -> str:
    """A field's x-zh name without the explanation after it ("当前阶段:planning 规划设计…" → "当前阶段")."""
    label = node.get("x-zh", "") if isinstance(node, dict) else ""
    for mark in (":", ":", "(", "(", ";", ";"):  # the name, not its explanation
        label = label.split(mark)[0]
    return label.strip()


def _english_key(name: str, error) -> tuple:
    declared = _properties(error.schema, getattr(error, "_renovcheck_root", None) or {})
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


def field_labels(paths, lang: str) -> str:
    """Several fields as a zh report lists them (、 between them), or comma-separated paths in en."""
    return ("、" if lang == "zh" else ", ").join(field_label(p, lang) for p in paths)


def field_name(path: str) -> str:
    """The schema's x-zh label of a dotted dossier path ("" when it has none)."""
    return _labels().get(_generic(path), "") if path else ""


def _generic(path: str) -> str:
    return ".".join("*" if part.isdigit() else part for part in path.split("."))


_LABELS: dict = {}
_MEASURE_FIELDS = ("done", "not_needed", "reason", "date", "evidence", "note")


def _labels() -> dict:
    """generic dotted path (list indexes as *) -> the field's short x-zh label, for every field of the dossier schema."""
    if not _LABELS:
        from checker.inputs.resources import load_schema

        root = load_schema("dossier.schema.json")

        def walk(node, prefix, depth):
            if depth > 12:
                return
            for name, child in _properties(node, root).items():
                path = f"{prefix}.{name}" if prefix else name
                label = short_label(child) or short_label(_resolved(child, root))
                parent = _LABELS.get(prefix)
                if label and parent and name in _MEASURE_FIELDS:  # "完成或开始日期" alone says not of what
                    label = f"{parent}·{label}"
                if label:
                    _LABELS.setdefault(path, label)
                resolved = _resolved(child, root)
                walk(resolved, path, depth + 1)
                items = resolved.get("items") if isinstance(resolved, dict) else None
                if isinstance(items, dict):
                    walk(_resolved(items, root), path + ".*", depth + 1)

        walk(root, "", 0)
    return _LABELS


def _resolved(node, root) -> dict:
    if isinstance(node, dict) and node.get("$ref", "").startswith("#/$defs/"):
        return root.get("$defs", {}).get(node["$ref"][len("#/$defs/"):], {})
    return node if isinstance(node, dict) else {}
