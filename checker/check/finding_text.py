"""The message and remedy of one finding, with their placeholders filled in.

Placeholders (``rules lint`` checks that each names a known parameter or dossier path):

    {param:NAME}   the parameter's value in force, with its unit, marked when the value is our assumption
    {value:PATH}   the dossier value at PATH, formatted by the schema's unit (ratio 0.92 → 92%, booleans 是/否)
    {item:PATH}    PATH inside the list item that decided the outcome (``{item:name}``)
    {absent}       the fields the dossier does not state, each by its label

A rule's ``message`` is either one {zh, en} text for every gap (the original shape), or one text per outcome:
``{fail: {zh, en}, missing: {zh, en}, not_taken: {zh, en}}``.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checker.lang.paths import MISSING, Data, get_indexed
from checker.lang.placeholders import PLACEHOLDER
from checker.schema.hints import short_label
from checker.schema.index import Schema, SchemaIndex

if TYPE_CHECKING:
    from checker.rulebook.parameters import Parameter
    from checker.rulebook.rules import Rule, Rulebook

Texts = dict[str, str]  # {"zh": …, "en": …}

ASSUMPTION_MARK = {"zh": "(本工具的假设,可由配置调整)", "en": " (our assumption; a profile can change it)"}
NOT_STATED = {"zh": "未说明", "en": "not stated"}
_BOOLEAN = {"zh": ("是", "否"), "en": ("yes", "no")}
_LIST_SEPARATOR = {"zh": "、", "en": ", "}
# unit -> (zh, en) word written after a number; units not listed are written as they are
_UNIT_WORDS = {
    "day": ("天", "days"), "days": ("天", "days"), "households": ("户", "households"), "buildings": ("栋", "buildings"),
    "persons": ("人", "persons"), "complaints": ("件", "complaints"), "m²": ("平方米", "m²"), "year": ("年", ""),
    "meetings": ("次", "meetings"), "items": ("项", "items"),
}
_NO_WORD_UNITS = ("-", "text", "id", "enum", "list", "list of enum", "date", "date (YYYY-MM-DD)", "boolean", "ratio",
                  "path", "hex", "version", "page", "measure", "list of evidence")


def message_template(rule: Rule, outcome: str) -> Texts | None:
    """The {zh, en} message a finding with this outcome shows (None for pass and not_applicable)."""
    message = rule.message
    if "zh" in message:
        return message if outcome in ("fail", "missing", "not_taken") else None
    return message.get(outcome)


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def format_value(value: Data, unit: str | Texts | None, lang: str, labels: dict[str, Data] | None = None) -> str:
    """A value for a reader: ratios as percentages, booleans as 是/否 (yes/no), enum values by their label."""
    if isinstance(unit, dict):
        word = unit.get(lang) or unit.get("zh") or ""
        return f"{_number(value)} {word}".strip() if not isinstance(value, (list, dict)) else str(value)
    if isinstance(value, bool):
        return _BOOLEAN[lang][0 if value else 1]
    if isinstance(value, list):
        return _LIST_SEPARATOR[lang].join(format_value(v, unit, lang, labels) for v in value)
    if isinstance(value, dict):
        return "…"
    if labels and isinstance(value, str) and value in labels:
        label = labels[value]
        if isinstance(label, dict):
            return label.get(lang) or label.get("zh") or value
        return str(label)
    if isinstance(value, (int, float)):
        if unit == "ratio":
            return f"{_number(round(value * 100, 4))}%"
        words = _UNIT_WORDS.get(unit or "")
        if words is not None:
            word = words[0 if lang == "zh" else 1]
            return f"{_number(value)} {word}".rstrip() if lang == "en" or not word else f"{_number(value)} {word}"
        return _number(value)
    return str(value)


def item_prefix(path: str) -> str | None:
    """``operations.new_facilities.1`` for ``operations.new_facilities.1.maintainer``: the deciding list item."""
    parts = path.split(".")
    for i in range(len(parts) - 1, -1, -1):
        if parts[i].isdigit():
            return ".".join(parts[: i + 1])
    return None




class FindingText:
    """Renders the texts of findings; one per Checker (the dossier schema's labels are read once, when needed)."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self._index: SchemaIndex | None = None

    @property
    def index(self) -> SchemaIndex:
        if self._index is None:
            from checker.schema import validation as schema
            self._index = SchemaIndex(schema.load_schema("dossier.schema.json"))
        return self._index

    def parameter(self, rule: Rule, name: str) -> Parameter | None:
        """The declaration of a parameter: the rule's own, or the rulebook's registry."""
        found = (getattr(rule, "parameters", None) or {}).get(name)
        if found is None:
            found = (getattr(self.rulebook, "parameters", None) or {}).get(name)
        return found

    def label(self, path: str, lang: str) -> str:
        """A field's name for a reader: the schema's x-zh (zh) or description (en), else its dotted path."""
        node = self.index.node(path)
        if node is None:
            return path
        text = short_label(node) if lang == "zh" else node.get("description")
        return f"{text}({path})" if lang == "zh" and text else (f"{text} ({path})" if text else path)

    def value(self, data: Data, path: str, lang: str) -> str:
        value = get_indexed(data, path)
        return NOT_STATED[lang] if value is MISSING else self.shown(path, value, lang)

    def shown(self, path: str, value: Data, lang: str) -> str:
        """A value the dossier gives at ``path``, for a reader (the schema's unit and labels at that path)."""
        node: Schema = self.index.node(path) or {}
        return format_value(value, node.get("x-unit"), lang, node.get("x-labels"))

    def render(self, template: str, lang: str, rule: Rule, data: Data, params: dict[str, Data], main: str,
               absent: list[str]) -> str:
        if "{" not in template:
            return template

        def fill(match: re.Match[str]) -> str:
            kind, argument = match.group(1), match.group(2)
            if match.group(3):
                return _LIST_SEPARATOR[lang].join(self.label(p, lang) for p in absent) or NOT_STATED[lang]
            if kind == "param":
                declared = self.parameter(rule, argument)
                if argument not in params:
                    return match.group(0)
                unit = declared.unit if declared is not None else None
                text = format_value(params[argument], unit, lang)
                return text + (ASSUMPTION_MARK[lang] if declared is not None and declared.assumption else "")
            if kind == "item":
                prefix = item_prefix(main or "")
                return self.value(data, f"{prefix}.{argument}", lang) if prefix else NOT_STATED[lang]
            return self.value(data, argument, lang)

        return PLACEHOLDER.sub(fill, template)

    def texts(self, rule: Rule, outcome: str, data: Data, params: dict[str, Data], main: str,
              absent: list[str]) -> dict[str, Texts]:
        """{"message": {zh, en} or absent, "remedy": {zh, en}} for one finding (``outcome`` before waivers)."""
        out: dict[str, Texts] = {}
        message = message_template(rule, outcome)
        for part, template in (("message", message), ("remedy", rule.remedy)):
            if template is None:
                continue
            out[part] = {lang: self.render(template.get(lang) or template.get("zh", ""), lang, rule, data, params,
                                           main, absent) for lang in ("zh", "en")}
        return out
