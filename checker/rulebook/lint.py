"""Quality gates for the rulebook (``renovcheck rules lint``).

Beyond what loading already refuses (the rule schema, duplicate ids, parameters missing from the registry, a
default outside its bounds or not saying whether it is an assumption), lint checks that every dossier path a rule
reads exists in the dossier schema with a fitting kind (a measure for done/evidenced, a list for every/some,
allowed values for comparisons), that texts and citation phrases are not blank, that every registry parameter is
used by a rule or a mode fact, that every rule compiles, that the
catalogue is consistent with the rules and covers them, that every bundled profile is valid, and — when the guide
text is at hand — that every citation phrase is verbatim in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checker.rulebook import coverage as cov
from checker.engine import safety as engine_safety
from checker.rulebook import parameters as registry
from checker.rulebook import profiles
from checker.inputs import resources
from checker.schema import validation as schema
from checker.rulebook import rules as rb
from checker.engine.compiler import CompileError, compile_rules
from checker.model.errors import InputError, Problem
from checker.schema.index import REVIEW_AS_OF, REVIEW_NODE, SchemaIndex
from checker.inputs.yamlload import Limits, load_file

GUIDE_NAME = "ch7-interpretation.zh.txt"
_RULE_LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_nodes=2_000_000)


@dataclass
class LintResult:
    problems: list
    rules: int = 0
    requirements: int = 0
    profiles: int = 0
    guide: str | None = None  # the guide file citations were checked against, if any


def default_guide() -> Path | None:
    """The guide next to a source checkout (../shared/guide/), when it is there."""
    candidate = Path(resources.rules_dir()).resolve().parent.parent / "shared" / "guide" / GUIDE_NAME
    return candidate if candidate.is_file() else None


def lint(directory: Path | None = None, guide: Path | None = None) -> LintResult:
    directory = Path(directory or resources.rules_dir())
    try:
        book = rb.load(directory)
    except InputError as exc:
        return LintResult(exc.problems)
    problems = []
    positions = _rule_positions(book)
    fields = SchemaIndex(schema.load_schema("dossier.schema.json"))
    for rule in book.rules:
        problems += _texts(rule)
        problems += _paths(rule, fields, positions.get(rule.id, {}))
    try:
        compiled = compile_rules(book.rules, book.params_for)
    except CompileError as exc:
        rule = book.get(exc.params.get("rule", ""))
        problems.append(Problem(rule.source if rule else str(directory), exc.key, exc.params,
                                rule.line if rule else None, 1))
    else:  # conditions that could match the engine's state object, and the engine's measured limits
        for issue in engine_safety.check_compiled(compiled, schema.load_schema("dossier.schema.json")):
            rule = book.get(issue.rule_id or "")
            problems.append(Problem(rule.source if rule else str(directory), issue.key, issue.params,
                                    rule.line if rule else None, 1))
    try:
        from checker.rulebook import modebook as mode_book

        problems += registry.unused(book.registry, book, mode_book.load(directory))
    except InputError as exc:
        problems += exc.problems
    if guide is not None:
        problems += _citations(book, guide)
    requirements = 0
    try:
        catalog = cov.load_catalog(directory)
    except InputError as exc:
        problems += exc.problems
    else:
        requirements = len(catalog.requirements)
        result = cov.coverage(catalog, book)
        problems += result.problems
        problems += [Problem(rule.source, "catalog.unreferenced_rule", {"rule": rule.id}, rule.line, 1)
                     for rule in (book.get(rule_id) for rule_id in result.unreferenced)]
        if guide is not None:
            text = guide.read_text(encoding="utf-8")
            for kind, entries in (("requirements", catalog.requirements), ("context", catalog.context)):
                for index, entry in enumerate(entries):
                    if entry["phrase"] not in text:
                        line, column = catalog.where(kind, index, "phrase")
                        problems.append(Problem(catalog.file, "catalog.phrase_not_found",
                                                {"id": entry["id"], "phrase": entry["phrase"]}, line, column))
    bundled = sorted((directory / profiles.PROFILE_DIR).glob("*.yaml"))
    for path in bundled:
        try:
            profiles.load_profile(str(path), book)
        except InputError as exc:
            problems += exc.problems
    return LintResult(problems, len(book.rules), requirements, len(bundled), str(guide) if guide else None)


def _texts(rule) -> list[Problem]:
    out = []
    message = rule.message
    texts = [("title", rule.title), ("remedy", rule.remedy)]
    # a message is one {zh, en} text, or one per outcome ({fail: {zh, en}, missing: …})
    texts += [("message", message)] if "zh" in message else [(f"message.{k}", v) for k, v in message.items()]
    for part, text in texts:
        for lang in ("zh", "en"):
            if not str(text.get(lang, "")).strip():
                out.append(Problem(rule.source, "rule.blank_text", {"rule": rule.id, "field": f"{part}.{lang}"},
                                   rule.line, 1))
    for key in ("section", "phrase"):
        if not str(rule.citation.get(key, "")).strip():
            out.append(Problem(rule.source, "rule.blank_citation", {"rule": rule.id, "field": key}, rule.line, 1))
    return out


def _citations(book, guide: Path) -> list[Problem]:
    text = guide.read_text(encoding="utf-8")
    out = []
    for rule in book.rules:
        for key in ("phrase", "case"):
            value = rule.citation.get(key)
            if value and value not in text:
                out.append(Problem(rule.source, "rule.citation_not_found", {"rule": rule.id, "phrase": value},
                                   rule.line, 1))
    return out


# ── dossier paths ────────────────────────────────────────────────────────────────────────────────────────────

def _rule_positions(book) -> dict:
    """rule id -> {path inside the rule (tuple): (line, column)}, read again from the rule files."""
    out = {}
    for path in sorted({r.source for r in book.rules}):
        doc = load_file(path, _RULE_LIMITS)
        for index, raw in enumerate(doc.data.get("rules", [])):
            prefix = ("rules", index)
            out[raw.get("id")] = {k[2:]: v for k, v in doc.positions.items() if k[:2] == prefix}
    return out


def _paths(rule, fields: SchemaIndex, positions: dict) -> list[Problem]:
    out = []

    def problem(key, where, **params):
        line, column = positions.get(where, (rule.line, 1))
        out.append(Problem(rule.source, key, dict(params, rule=rule.id), line, column))

    def walk(raw, where, index: SchemaIndex, prefix: str):
        if "all" in raw or "any" in raw:
            key = "all" if "all" in raw else "any"
            for i, item in enumerate(raw[key]):
                walk(item, where + (key, i), index, prefix)
            return
        if "not" in raw:
            walk(raw["not"], where + ("not",), index, prefix)
            return
        if "stated" in raw:
            if index.get(raw["stated"]) is None and not (not prefix and raw["stated"] == REVIEW_AS_OF):
                problem("rule.unknown_path", where + ("stated",), path=prefix + raw["stated"])
            return
        for key in ("done", "evidenced", "not_needed"):
            if key in raw:
                node = index.get(raw[key])
                if node is None:
                    problem("rule.unknown_path", where + (key,), path=prefix + raw[key])
                elif "done" not in node.get("properties", {}):
                    problem("rule.not_a_measure", where + (key,), path=prefix + raw[key])
                return
        for key in ("every", "some"):
            if key in raw:
                items = index.items(raw[key])
                if items is None:
                    code = "rule.unknown_path" if index.get(raw[key]) is None else "rule.not_a_list"
                    problem(code, where + (key,), path=prefix + raw[key])
                    return
                walk(raw["require"], where + ("require",), items, prefix + raw[key] + "[].")
                return
        path = raw["path"]
        node = REVIEW_NODE if not prefix and path == REVIEW_AS_OF else index.get(path)
        if node is None:
            problem("rule.unknown_path", where + ("path",), path=prefix + path)
            return
        for op in ("eq", "ne", "lt", "lte", "gt", "gte", "in"):
            if op not in raw:
                continue
            value = raw[op]
            if isinstance(value, dict) and "path" in value:  # a date; inside every/some, of the same item
                if index.get(value["path"]) is None and not (not prefix and value["path"] == REVIEW_AS_OF):
                    problem("rule.unknown_path", where + (op, "path"), path=prefix + value["path"])
                continue
            if isinstance(value, dict):  # a parameter: checked where profiles and examples use it
                continue
            for literal in (value if isinstance(value, list) else [value]):
                if not _fits(literal, node):
                    problem("rule.bad_literal", where + (op,), path=prefix + path, value=literal,
                            expected=_expected(node))

    for key in ("applies_when", "require"):
        if key in rule.raw:
            walk(rule.raw[key], (key,), fields, "")
    return out


def _fits(literal, node: dict) -> bool:
    if "enum" in node:
        return literal in node["enum"]
    kind = node.get("type")
    if kind == "boolean":
        return isinstance(literal, bool)
    if kind in ("integer", "number"):
        return isinstance(literal, (int, float)) and not isinstance(literal, bool)
    if kind == "string":
        return isinstance(literal, str)
    return True


def _expected(node: dict) -> str:
    if "enum" in node:
        return "/".join(map(str, node["enum"]))
    return str(node.get("type", "?"))
