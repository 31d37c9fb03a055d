"""Validate documents against the bundled JSON Schemas; every error located and worded in zh and en."""
from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from checker.inputs.resources import load_schema  # noqa: F401  (callers read schemas through this module)
from checker.schema import hints, index
from checker.model.errors import Problem, Wording
from checker.inputs.yamlload import Document

if TYPE_CHECKING:  # imported at run time only for an invalid document (see validator)
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


# At most this many problems are shown per file, then "and N more": a list of 199,000 bad items would otherwise
# take seconds and megabytes of messages. Errors beyond the budget are not even counted ("more than N").
MAX_PROBLEMS = 50
_COUNT_BUDGET = 1_000

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def real_date(value: object) -> bool:
    """The one meaning of format "date" for both validators: YYYY-MM-DD naming a day that exists, year 0001 on
    (jsonschema-rs alone accepts year 0000)."""
    if not isinstance(value, str):
        return True  # formats apply to strings only
    if not _DATE.fullmatch(value):
        return False
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _ecma_pattern(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern for Python's ``re``: ``$`` ends the text (Python's ``$`` also matches
    before a final newline, so "ABC\\n" passed ``^[A-Z]+$`` in jsonschema while jsonschema-rs refused it)."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=None)
def validator(name: str) -> Validator:
    import jsonschema  # imported only when a document is invalid: it costs 50-100 ms of a cold start

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)

    def pattern(validator_: Validator, patrn: str, instance: object, _schema: index.Schema) -> Iterator[ValidationError]:
        if isinstance(instance, str) and not re.search(_ecma_pattern(patrn), instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")

    agreeing = jsonschema.validators.extend(cls, {"pattern": pattern})
    formats = jsonschema.FormatChecker()
    formats.checks("date")(real_date)
    return agreeing(schema, format_checker=formats)


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The most specific errors: for oneOf/anyOf, the branch that got furthest."""
    if error.context:
        best = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.schema_path)))
        depth = len(best.absolute_path)
        if depth > len(error.absolute_path):
            return [leaf for e in error.context if len(e.absolute_path) == depth for leaf in _leaves(e)]
    return [error]


def _problem_of(error: ValidationError, doc: Document) -> Problem | None:
    path = tuple(error.absolute_path)
    validator_name = error.validator
    params: dict[str, object] = {"value": _short(error.instance), "expected": _short(error.validator_value)}
    if validator_name == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        params["name"] = ", ".join(missing)
    elif validator_name in ("additionalProperties", "unevaluatedProperties"):
        extras = _undeclared(error)
        if not extras and validator_name == "unevaluatedProperties":
            return None  # every field is declared: the value that failed has its own message
        params["name"] = ", ".join(map(str, extras)) or "?"
        if extras:
            path = path + (extras[0],)
    elif validator_name == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        params["expected"] = Wording("|".join("type." + t for t in types))  # worded: 是/否, 整数, 日期 …
    elif validator_name == "format" and error.validator_value in ("date", "date-time", "uri", "email"):
        params["expected"] = Wording("type." + error.validator_value)
    key = "schema." + validator_name if validator_name in _KNOWN else "schema.other"
    if key == "schema.type" and set(error.validator_value if isinstance(error.validator_value, list)
                                    else [error.validator_value]) & {"integer", "number"} \
            and _NUMBER_AS_TEXT.match(str(error.instance)):
        key = "schema.number_as_text"  # "1,200户", "85%", "3 000": a number written as text
    if key == "schema.other":
        params["detail"] = error.message
    _, pos = doc.locate(path)
    line, col = pos if pos else (None, None)
    pointer = "/".join(str(p) for p in path) or "/"
    return Problem(doc.file, key, params, line, col, pointer, hints.suggest(error, extras_of(error, validator_name)))


def extras_of(error: ValidationError, validator_name: str) -> list[str]:
    return _undeclared(error) if validator_name in ("additionalProperties", "unevaluatedProperties") else []


def _undeclared(error: ValidationError) -> list[str]:
    """The fields of an object that its schema does not know. For unevaluatedProperties, fields a failing
    subschema declares count as known: a bad value in a measure is one message about that value, not "unknown
    field date, done, evidence, note" as well (issue 9 §7)."""
    if not isinstance(error.instance, dict):
        return []
    known = set(error.schema.get("properties", {}))
    if error.validator == "unevaluatedProperties":
        known |= set(index.properties(error.schema, _root_of(error)))
    return sorted(str(k) for k in set(error.instance) - known)


def _root_of(error: ValidationError) -> index.Schema:
    return getattr(error, "_renovcheck_root", None) or {}


_NUMBER_AS_TEXT = re.compile(r"^\s*[-+]?[\d,,. \u00a0]*\d[\d,,. \u00a0]*\s*\S{0,4}\s*$")

_KNOWN = {"required", "additionalProperties", "unevaluatedProperties", "type", "enum", "const", "format",
          "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
          "minItems", "maxItems", "uniqueItems", "oneOf", "anyOf", "not", "minProperties", "maxProperties"}


def _short(value: object, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=None)
def fast_validator(name: str) -> Any:  # a jsonschema_rs validator (the package has no type information)
    """jsonschema-rs: a yes/no answer in microseconds (jsonschema takes milliseconds on a dossier)."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_schema(name), validate_formats=True, formats={"date": real_date})


YAMLValue = Any  # a value as parsed from YAML or JSON (mapping, list, string, number, boolean, null)
YAMLObject = dict[str, YAMLValue]  # a mapping as parsed: its shape is what its schema says


def accepted(doc: Document) -> YAMLObject:
    """The data of a document ``validate`` found no problem in: a mapping, as every schema of ours has at its root."""
    return cast(YAMLObject, doc.data)


def validate(doc: Document, schema_name: str = "dossier.schema.json") -> list[Problem]:
    """Every problem of ``doc`` (at most MAX_PROBLEMS, then one saying how many more), sorted by position.

    jsonschema-rs decides; jsonschema, slower but with the details we word and locate, runs only on invalid input.
    When jsonschema finds nothing to word, the document is still invalid: jsonschema-rs's errors are located and
    reported as they are (fail closed)."""
    fast = fast_validator(schema_name)
    if fast.is_valid(doc.data):
        return []
    root = load_schema(schema_name)
    unique: dict[tuple[object, ...], Problem] = {}
    errors = validator(schema_name).iter_errors(doc.data)
    budget_left = _COUNT_BUDGET
    for error in errors:
        budget_left -= 1
        for leaf in _leaves(error):
            leaf._renovcheck_root = root
            problem = _problem_of(leaf, doc)
            if problem is not None:
                unique.setdefault(_sort_key(problem), problem)
        if budget_left == 0:
            break
    exhausted = budget_left == 0 and next(errors, None) is not None
    if not unique:
        for error in itertools.islice(fast.iter_errors(doc.data), MAX_PROBLEMS + 1):
            _, pos = doc.locate(tuple(error.instance_path))
            line, col = pos if pos else (None, None)
            pointer = "/".join(str(p) for p in error.instance_path) or "/"
            problem = Problem(doc.file, "schema.rejected", {}, line, col, pointer)
            unique.setdefault(_sort_key(problem), problem)
    problems = [unique[k] for k in sorted(unique)]
    if len(problems) > MAX_PROBLEMS or exhausted:
        more = len(problems) - MAX_PROBLEMS
        key = "input.more_problems_than" if exhausted else "input.more_problems"
        problems = problems[:MAX_PROBLEMS] + [Problem(doc.file, key, {"count": max(more, 0)})]
    return problems


def _sort_key(p: Problem) -> tuple[object, ...]:
    return (p.line or 0, p.column or 0, p.pointer, p.key, tuple(sorted((k, str(v)) for k, v in p.params.items())))
