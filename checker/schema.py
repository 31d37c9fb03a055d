"""Validate documents against the bundled JSON Schemas; every error located and worded in zh and en."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from checker import resources
from checker.errors import Problem
from checker.yamlload import Document


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    with open(resources.schemas_dir() / name, encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=None)
def validator(name: str):
    import jsonschema  # imported only when a document is invalid: it costs 50-100 ms of a cold start

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _leaves(error):
    """The most specific errors: for oneOf/anyOf, the branch that got furthest."""
    if error.context:
        best = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.schema_path)))
        depth = len(best.absolute_path)
        if depth > len(error.absolute_path):
            return [leaf for e in error.context if len(e.absolute_path) == depth for leaf in _leaves(e)]
    return [error]


def _problem_of(error, doc: Document) -> Problem:
    path = tuple(error.absolute_path)
    validator_name = error.validator
    params = {"value": _short(error.instance), "expected": _short(error.validator_value)}
    if validator_name == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        params["name"] = ", ".join(missing)
    elif validator_name in ("additionalProperties", "unevaluatedProperties"):
        extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        params["name"] = ", ".join(map(str, extras)) or "?"
        if extras:
            path = path + (extras[0],)
    elif validator_name == "type":
        params["expected"] = "/".join(error.validator_value) if isinstance(error.validator_value, list) else error.validator_value
    key = "schema." + validator_name if validator_name in _KNOWN else "schema.other"
    if key == "schema.type" and params["expected"] in ("integer", "number") and _NUMBER_AS_TEXT.match(str(error.instance)):
        key = "schema.number_as_text"  # "1,200户", "85%", "3 000": a number written as text
    if key == "schema.other":
        params["detail"] = error.message
    _, pos = doc.locate(path)
    line, col = pos if pos else (None, None)
    pointer = "/".join(str(p) for p in path) or "/"
    return Problem(doc.file, key, params, line, col, pointer)


_NUMBER_AS_TEXT = re.compile(r"^\s*[-+]?[\d,,. \u00a0]*\d[\d,,. \u00a0]*\s*\S{0,4}\s*$")

_KNOWN = {"required", "additionalProperties", "unevaluatedProperties", "type", "enum", "const", "format",
          "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
          "minItems", "maxItems", "uniqueItems", "oneOf", "anyOf", "not", "minProperties", "maxProperties"}


def _short(value, limit=60):
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=None)
def fast_validator(name: str):
    """jsonschema-rs: a yes/no answer in microseconds (jsonschema takes milliseconds on a dossier)."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_schema(name), validate_formats=True)


def validate(doc: Document, schema_name: str = "dossier.schema.json") -> list[Problem]:
    if fast_validator(schema_name).is_valid(doc.data):
        return []  # jsonschema, slower but with the error details we word and locate, runs only on invalid input
    problems = []
    for error in validator(schema_name).iter_errors(doc.data):
        for leaf in _leaves(error):
            problems.append(_problem_of(leaf, doc))
    unique = {(p.line or 0, p.column or 0, p.pointer, p.key, tuple(sorted(p.params.items()))): p for p in problems}
    return [unique[k] for k in sorted(unique)]
