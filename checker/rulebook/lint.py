"""Quality gates for the rulebook (``renovcheck rules lint``).

Beyond what loading already refuses (the rule schema, duplicate ids, parameters missing from the registry, a
default outside its bounds or not saying whether it is an assumption), lint checks that every dossier path a rule
reads exists in the dossier schema with a fitting kind (a measure for done/evidenced, a list for every/some,
allowed values for comparisons), that texts and citation phrases are not blank, that every registry parameter is
used by a rule or a mode fact, that every rule compiles, that the
catalogue is consistent with the rules and covers them, that every bundled profile is valid, and — when the guide
text is at hand — that every citation phrase is verbatim in it.

For "less information can only give missing" (tests/properties/test_invariant.py) it refuses the old two-valued
leaves (``exists``/``missing``), a requirement that holds when every list it quantifies is stated empty (unless the rule
declares ``empty_list_passes``: it forbids an event), an example whose outcome changes other than into ``missing``
when any one key of its dossier is removed, and a rule without a pass, a fail (may: not_taken) and a "nothing
said" example (an empty dossier fragment: missing, or not_applicable). Messages and remedies may hold only known
placeholders and never a bare parameter id.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
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
from checker.inputs.yamlload import Limits, Path as DocPath, load_file
from checker.lang.explain import Params
from checker.lang.paths import Data
from checker.schema.index import Schema
from checker.schema.validation import YAMLObject, YAMLValue
from checker.lang import conditions as c
from checker.lang.explain import FALSE, TRUE, UNKNOWN, decide
from checker.lang.placeholders import PLACEHOLDER, placeholders, unknown_placeholders

GUIDE_NAME = "ch7-interpretation.zh.txt"
_RULE_LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_nodes=2_000_000)


@dataclass
class LintResult:
    problems: list[Problem]
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
    legacy = _legacy_leaves(directory)
    try:
        book = rb.load(directory)
    except InputError as exc:
        return LintResult(legacy + exc.problems)
    problems: list[Problem] = []
    positions = _rule_positions(book)
    fields = SchemaIndex(schema.load_schema("dossier.schema.json"))
    for rule in book.rules:
        problems += _texts(rule)
        problems += _paths(rule, fields, positions.get(rule.id, {}))
        problems += _placeholders(rule, book, fields)
        problems += _example_kinds(rule)
        vacuous = _vacuous(rule)
        problems += [vacuous] if vacuous else []
        problems += _example_replay(rule, book)
    try:
        compiled = compile_rules(book.rules, book.params_for)
    except CompileError as exc:
        failed = book.get(str(exc.params.get("rule", "")))
        problems.append(Problem(failed.source if failed else str(directory), exc.key, exc.params,
                                failed.line if failed else None, 1))
    else:  # conditions that could match the engine's state object, and the engine's measured limits
        for issue in engine_safety.check_compiled(compiled, schema.load_schema("dossier.schema.json")):
            owner = book.get(issue.rule_id or "")
            problems.append(Problem(owner.source if owner else str(directory), issue.key, issue.params,
                                    owner.line if owner else None, 1))
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
        problems += [Problem(unreferenced.source, "catalog.unreferenced_rule", {"rule": unreferenced.id},
                             unreferenced.line, 1)
                     for unreferenced in (book.rule(rule_id) for rule_id in result.unreferenced)]
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


def _texts(rule: rb.Rule) -> list[Problem]:
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


def _citations(book: rb.Rulebook, guide: Path) -> list[Problem]:
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

Positions = dict[DocPath, tuple[int, int]]  # a path inside a rule -> (line, column)


def _rule_positions(book: rb.Rulebook) -> dict[str, Positions]:
    """rule id -> {path inside the rule (tuple): (line, column)}, read again from the rule files."""
    out = {}
    for path in sorted({r.source for r in book.rules}):
        doc = load_file(path, _RULE_LIMITS)
        for index, raw in enumerate(schema.accepted(doc).get("rules", [])):
            prefix = ("rules", index)
            out[raw.get("id")] = {k[2:]: v for k, v in doc.positions.items() if k[:2] == prefix}
    return out


def _paths(rule: rb.Rule, fields: SchemaIndex, positions: Positions) -> list[Problem]:
    out = []

    def problem(key: str, where: DocPath, **params: object) -> None:
        line, column = positions.get(where, (rule.line, 1))
        out.append(Problem(rule.source, key, dict(params, rule=rule.id), line, column))

    def walk(raw: YAMLObject, where: DocPath, index: SchemaIndex, prefix: str) -> None:
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


def _fits(literal: YAMLValue, node: Schema) -> bool:
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


def _expected(node: Schema) -> str:
    if "enum" in node:
        return "/".join(map(str, node["enum"]))
    return str(node.get("type", "?"))


# ── what can break "less information can only give missing" ──────────────────────────────────────────────────

_LEGACY_LEAVES = ("exists", "missing")


def _legacy_leaves(directory: Path) -> list[Problem]:
    """``{path: P, exists: true}`` / ``{path: P, missing: true}`` anywhere in the rule files or the mode book: the
    loader refuses them by schema; this names them and says what to write instead."""
    try:
        manifest = load_file(str(directory / "rulebook.yaml"), _RULE_LIMITS)
        listing = manifest.data if isinstance(manifest.data, dict) else {}  # load_file refuses any other root
        names = list(listing.get("files") or []) + ["modes.yaml"]
    except InputError:
        return []
    out = []
    for name in names:
        if not (directory / name).is_file():
            continue
        try:
            doc = load_file(str(directory / name), _RULE_LIMITS)
        except InputError:
            continue  # the loader reports it
        owner: list[str | None] = [None]

        def walk(node: YAMLValue, where: DocPath) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("id"), str):
                    owner[0] = node["id"]
                leaf = next((k for k in _LEGACY_LEAVES if k in node), None)
                if leaf is not None and isinstance(node.get("path"), str):
                    line, column = doc.positions.get(where + (leaf,), (None, None))
                    out.append(Problem(doc.file, "rule.legacy_presence",
                                       {"rule": owner[0] or "?", "path": node["path"], "leaf": leaf}, line, column))
                for key, value in node.items():
                    walk(value, where + (key,))
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    walk(value, where + (index,))

        walk(doc.data, ())
    return out


def _quantified(cond: c.Condition | None) -> list[c.Quantifier]:
    return [leaf for leaf in c.atoms(cond) if isinstance(leaf, c.Quantifier)] if cond is not None else []


def _possible(cond: c.Condition, empty: set[str]) -> set[str]:
    """The states ``cond`` can take when every list in ``empty`` is stated empty and every other leaf is free
    (leaves read as independent: a superset of what the dossier can give)."""
    if isinstance(cond, (c.All, c.Any)):
        parts = [_possible(item, empty) for item in cond.items]
        strong = FALSE if isinstance(cond, c.All) else TRUE
        weak = TRUE if strong == FALSE else FALSE
        out: set[str] = set()
        if any(strong in p for p in parts):
            out.add(strong)
        if all(weak in p for p in parts):
            out.add(weak)
        if all(p & {weak, UNKNOWN} for p in parts) and any(UNKNOWN in p for p in parts):
            out.add(UNKNOWN)
        return out
    if isinstance(cond, c.Not):
        flip = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}
        return {flip[s] for s in _possible(cond.item, empty)}
    if isinstance(cond, c.Quantifier) and cond.path in empty:
        return {TRUE} if cond.every else {FALSE}  # an explicit empty list: every is true, some is false
    if isinstance(cond, c.Stated):
        return {TRUE, UNKNOWN}
    return {TRUE, FALSE, UNKNOWN}


def _vacuous(rule: rb.Rule) -> Problem | None:
    """A requirement that can hold when every list it quantifies is stated empty, in a rule that can apply then:
    an empty list says nothing happened, and it must never satisfy a rule that asks for something to happen."""
    lists = {q.path for q in _quantified(rule.require)}
    if not lists or rule.raw.get("empty_list_passes"):
        return None
    lists |= {q.path for q in _quantified(rule.applies_when)}
    if rule.applies_when is not None and TRUE not in _possible(rule.applies_when, lists):
        return None
    if TRUE not in _possible(rule.require, lists):
        return None
    return Problem(rule.source, "rule.vacuous_require", {"rule": rule.id, "lists": ", ".join(sorted(lists))},
                   rule.line, 1)


def _rule_texts(rule: rb.Rule) -> list[tuple[str, str, str]]:
    texts = [("remedy", rule.remedy)]
    message = rule.message
    texts += [("message", message)] if "zh" in message else [(f"message.{k}", v) for k, v in message.items()]
    return [(part, lang, str(text.get(lang, ""))) for part, text in texts for lang in ("zh", "en")]


def _placeholders(rule: rb.Rule, book: rb.Rulebook, fields: SchemaIndex) -> list[Problem]:
    """Messages and remedies: every ``{…}`` a known placeholder, naming a parameter the rule uses, a dossier path,
    or a field of the list the rule quantifies; and no parameter id written out (the reader would see the id,
    not the value a profile sets)."""
    out = []
    lists = [fields.items(q.path) for q in _quantified(rule.require) + _quantified(rule.applies_when)]
    ids = sorted(book.registry.parameters, key=len, reverse=True)
    for part, lang, text in _rule_texts(rule):
        where = {"rule": rule.id, "field": f"{part}.{lang}"}
        for written in unknown_placeholders(text):
            out.append(Problem(rule.source, "rule.unknown_placeholder", dict(where, placeholder=written), rule.line, 1))
        for kind, argument in placeholders(text):
            checks: dict[str, Callable[[str], bool]] = {
                "param": lambda a: a in rule.parameters,
                "value": lambda a: a == REVIEW_AS_OF or fields.get(a) is not None,
                "item": lambda a: any(items is not None and items.get(a) is not None for items in lists),
                "absent": lambda a: True}
            known = checks[kind](argument)
            if not known:
                out.append(Problem(rule.source, "rule.unknown_placeholder",
                                   dict(where, placeholder=f"{{{kind}:{argument}}}"), rule.line, 1))
        bare = PLACEHOLDER.sub("", text)
        for name in ids:
            if re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", bare):
                out.append(Problem(rule.source, "rule.parameter_id_in_text", dict(where, name=name), rule.line, 1))
    return out


NOTHING_SAID = "nothing said"  # the kind of example whose dossier adds nothing to the rulebook's example base


def _example_kinds(rule: rb.Rule) -> list[Problem]:
    """A rule shows a pass, a fail (for a may-rule: the option not taken) and what silence gives (an example
    whose dossier is empty: ``missing``, or ``not_applicable`` where the base's stated facts say it is not due)."""
    outcomes = {e["outcome"] for e in rule.examples}
    silent = [e for e in rule.examples if not e["dossier"]]
    wanted = [("pass", "pass" in outcomes), ("not_taken" if rule.force == "may" else "fail",
                                             ("not_taken" if rule.force == "may" else "fail") in outcomes),
              (NOTHING_SAID, any(e["outcome"] in ("missing", "not_applicable") for e in silent))]
    return [Problem(rule.source, "rule.example_lacking", {"rule": rule.id, "kind": kind}, rule.line, 1)
            for kind, present in wanted if not present]


def _outcome(rule: rb.Rule, data: Data, params: Params, require: c.Condition) -> str:
    applies = decide(rule.applies_when, data, params).state if rule.applies_when is not None else TRUE
    if applies != TRUE:
        return "not_applicable" if applies == FALSE else "missing"
    state = decide(require, data, params).state
    failed = "not_taken" if rule.force == "may" else "fail"
    return {TRUE: "pass", FALSE: failed, UNKNOWN: "missing"}[state]


def _example_replay(rule: rb.Rule, book: rb.Rulebook) -> list[Problem]:
    """Each example's dossier with each mapping key removed, one at a time: the rule's outcome stays, or becomes
    ``missing`` (the invariant of tests/properties/test_invariant.py, on the examples, with the explanation's
    evaluator)."""
    out = []
    require = c.with_evidence(rule.require) if rule.force == "shall" else rule.require
    for example in rule.examples:
        params = dict(book.params_for(rule))
        params.update({k: v for k, v in (example.get("parameters") or {}).items() if k in params})
        data = rb.example_dossier(book, example)
        data["review"] = {"as_of": example.get("as_of") or book.example_as_of or "2000-01-01"}
        try:
            before = _outcome(rule, data, params, require)
            for path in _key_paths(data):
                if path[0] == "review":
                    continue
                after = _outcome(rule, _without(data, path), params, require)
                if after not in (before, "missing"):
                    out.append(Problem(rule.source, "rule.example_not_monotone",
                                       {"rule": rule.id, "name": example["name"], "path": ".".join(map(str, path)),
                                        "before": before, "after": after}, rule.line, 1))
                    break
        except (TypeError, KeyError, ValueError):
            continue  # an example that is not a valid dossier: `rules test` reports it
    return out


def _key_paths(node: Data, path: DocPath = ()) -> Iterator[DocPath]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,)
            yield from _key_paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _key_paths(value, path + (index,))


def _without(data: Data, path: DocPath) -> Data:
    head, *rest = path
    if not rest:
        return {k: v for k, v in data.items() if k != head}
    copied = list(data) if isinstance(data, list) else dict(data)
    copied[head] = _without(data[head], tuple(rest))
    return copied
