"""Load rules/modes.yaml: schema first (schemas/modes.schema.json), then what a schema cannot check —
unique ids, facts that exist and do not depend on themselves, parameters declared in the registry
(rules/parameters.yaml, shared with the rulebook), every dossier path read by a condition present in the dossier
schema and labelled under ``inputs``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from checker import conditions as c
from checker import parameters as registry
from checker import resources, schema
from checker.errors import InputError, Problem
from checker.messages import pick
from checker.modes import MODE_IDS
from checker.rulebook import MAX_CONDITION_DEPTH
from checker.yamlload import Limits, load_file

MODES_FILE = "modes.yaml"


@dataclass(frozen=True)
class FactRef:
    """A leaf naming a derived fact: true, false, or unknown as the engine derived it."""

    name: str


@dataclass
class Parameter(registry.Parameter):
    owner: str = ""  # the first fact that uses it


@dataclass
class Fact:
    id: str
    title: dict
    title_false: dict
    description: dict
    citation: dict
    parameters: dict  # name -> Parameter: the registry entries its condition uses
    when: object


@dataclass
class Mode:
    id: str
    name: dict
    force: str
    service: dict
    citation: dict
    recommended_when: object
    not_advised_when: object
    preferred_when: object  # None when the mode has no preference
    preference: dict
    obligations: list


@dataclass
class Obligation:
    id: str
    title: dict
    citation: dict
    shown_when: object


@dataclass
class ModeBook:
    inputs: dict  # dotted path -> {"label": {zh, en}, "values": {...}}
    facts: dict  # id -> Fact, in file order (dependencies first after loading)
    modes: dict  # id -> Mode, in MODE_IDS order
    obligations: dict  # id -> Obligation
    parameters: dict  # name -> Parameter: the registry entries the facts use
    registry: registry.Registry  # every parameter, including those only rules use
    file: str = ""
    overrides: dict = field(default_factory=dict)  # parameter -> value, replacing defaults

    def param_values(self) -> dict:
        values = {name: p.default for name, p in self.parameters.items()}
        values.update(self.overrides)
        return values

    def label(self, path: str, lang: str) -> str:
        spec = self.inputs.get(path)
        return pick(spec["label"], lang) if spec else path

    def value_label(self, path: str, value, lang: str):
        spec = self.inputs.get(path) or {}
        names = spec.get("values") or {}
        if isinstance(value, str) and value in names:
            return pick(names[value], lang)
        return None

    def with_parameters(self, overrides: dict) -> "ModeBook":
        """The book with ``overrides`` (registry names, e.g. a profile's) in force; names it does not use are
        ignored, since a profile may set parameters that only rules use."""
        unknown = sorted(set(overrides) - set(self.registry.parameters))
        if unknown:
            raise InputError([Problem(self.registry.file, "param.unknown",
                                      {"name": ", ".join(unknown), "known": ", ".join(self.registry.parameters)})])
        overrides = {name: value for name, value in overrides.items() if name in self.parameters}
        return ModeBook(self.inputs, self.facts, self.modes, self.obligations, self.parameters, self.registry,
                        self.file, dict(self.overrides, **overrides))


def parse_condition(node):
    """The rule condition language (checker.conditions) plus ``{fact: NAME}`` leaves."""
    if not _mentions_fact(node):
        return c.parse(node)
    if "fact" in node:
        return FactRef(node["fact"])
    if "all" in node:
        return c.All(tuple(parse_condition(n) for n in node["all"]))
    if "any" in node:
        return c.Any(tuple(parse_condition(n) for n in node["any"]))
    if "not" in node:
        return c.Not(parse_condition(node["not"]))
    raise ValueError("a fact cannot be named inside every/some")


def _mentions_fact(node) -> bool:
    if isinstance(node, dict):
        return "fact" in node or any(_mentions_fact(v) for v in node.values())
    if isinstance(node, list):
        return any(_mentions_fact(v) for v in node)
    return False


def fact_refs(cond) -> set:
    return {leaf.name for leaf in c.atoms(cond) if isinstance(leaf, FactRef)}


def dossier_paths(cond) -> set:
    """Every dossier path a condition reads (quantified paths by their list)."""
    found = set()
    for leaf in c.atoms(cond):
        if isinstance(leaf, FactRef):
            continue
        found.add(leaf.path)
        if isinstance(leaf, c.Compare) and isinstance(leaf.value, c.DateRef):
            found.add(leaf.value.path)
    return found


def load(directory: Path | None = None) -> ModeBook:
    directory = Path(directory or resources.rules_dir())
    doc = load_file(str(directory / MODES_FILE), Limits(max_bytes=2 * 1024 * 1024))
    problems = schema.validate(doc, "modes.schema.json")
    if problems:
        raise InputError(problems)
    data, file = doc.data, doc.file
    shared = registry.load(directory)
    declared = shared.parameters
    problems = []

    def problem(key, where, **params):
        line = doc.positions.get(where, (None, None))[0]
        problems.append(Problem(file, key, params, line, 1 if line else None))

    seen: dict = {}
    for section in ("facts", "obligations", "modes"):
        for index, raw in enumerate(data[section]):
            if raw["id"] in seen:
                problem("modes.duplicate_id", (section, index), id=raw["id"])
            seen[raw["id"]] = section
    mode_ids = [m["id"] for m in data["modes"]]
    if tuple(mode_ids) != MODE_IDS:
        problem("modes.mode_order", ("modes",), expected=", ".join(MODE_IDS))

    parameters, facts = {}, {}
    for index, raw in enumerate(data["facts"]):
        where = ("facts", index)
        params = {}
        when = _parse(raw["when"], raw["id"], where, problem)
        for name in sorted(c.params_used(when)) if when is not None else ():
            if name not in declared:
                problem("modes.unknown_param", where, name=name, id=raw["id"])
                continue
            if name not in parameters:
                parameters[name] = Parameter(**vars(declared[name]), owner=raw["id"])
            params[name] = parameters[name]
        facts[raw["id"]] = Fact(raw["id"], raw["title"], raw["title_false"], raw["description"], raw["citation"],
                                params, when)

    obligations = {}
    for index, raw in enumerate(data["obligations"]):
        shown = _parse(raw["shown_when"], raw["id"], ("obligations", index), problem)
        if shown is not None and fact_refs(shown):
            problem("modes.fact_in_obligation", ("obligations", index), id=raw["id"])
        obligations[raw["id"]] = Obligation(raw["id"], raw["title"], raw["citation"], shown)

    modes = {}
    for index, raw in enumerate(data["modes"]):
        where = ("modes", index)
        conds = {}
        for key in ("recommended_when", "not_advised_when", "preferred_when"):
            conds[key] = _parse(raw[key], raw["id"], where, problem) if key in raw else None
        for name in raw["obligations"]:
            if name not in obligations:
                problem("modes.unknown_obligation", where, id=raw["id"], name=name)
        modes[raw["id"]] = Mode(raw["id"], raw["name"], raw["force"], raw["service"], raw["citation"],
                                conds["recommended_when"], conds["not_advised_when"], conds["preferred_when"],
                                raw.get("preference") or {}, list(raw["obligations"]))

    conditions = [(f.id, ("facts", i), f.when) for i, f in enumerate(facts.values())]
    conditions += [(o.id, ("obligations", i), o.shown_when) for i, o in enumerate(obligations.values())]
    for i, m in enumerate(modes.values()):
        conditions += [(m.id, ("modes", i), cond) for cond in (m.recommended_when, m.not_advised_when,
                                                                m.preferred_when) if cond is not None]
    known_paths = _schema_paths()
    for owner, where, cond in conditions:
        if cond is None:
            continue
        for name in sorted(fact_refs(cond) - set(facts)):
            problem("modes.unknown_fact", where, id=owner, name=name)
        for path in sorted(dossier_paths(cond)):
            if path not in known_paths:
                problem("modes.unknown_path", where, id=owner, path=path)
            elif path not in data["inputs"]:
                problem("modes.unlabelled_input", where, id=owner, path=path)
        if c.depth(cond) > MAX_CONDITION_DEPTH:
            problem("modes.too_deep", where, id=owner, limit=MAX_CONDITION_DEPTH)
    for path in sorted(set(data["inputs"]) - known_paths):
        problem("modes.unknown_path", ("inputs", path), id="inputs", path=path)
    if problems:
        raise InputError(problems)
    ordered = _dependency_order(facts, file, doc)
    return ModeBook(dict(data["inputs"]), ordered, modes, obligations, parameters, shared, file)


def _parse(node, owner, where, problem):
    try:
        return parse_condition(node)
    except ValueError:
        problem("modes.fact_in_quantifier", where, id=owner)
        return None


def _dependency_order(facts: dict, file: str, doc) -> dict:
    """Facts with the ones they build on first; a cycle is refused (it could never be derived)."""
    ordered, state = {}, {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            index = list(facts).index(name)
            line = doc.positions.get(("facts", index), (None, None))[0]
            raise InputError([Problem(file, "modes.fact_cycle", {"cycle": " → ".join(trail + [name])}, line, 1)])
        state[name] = "visiting"
        for dep in sorted(fact_refs(facts[name].when)):
            visit(dep, trail + [name])
        state[name] = "done"
        ordered[name] = facts[name]

    for name in facts:
        visit(name, [])
    return ordered


def _schema_paths() -> set:
    """Every dotted path the dossier schema defines (objects and leaves), $refs and allOf followed."""
    root = schema.load_schema("dossier.schema.json")
    found = set()

    def resolve(node):
        while "$ref" in node:
            node = root["$defs"][node["$ref"].split("/")[-1]]
        return node

    def walk(node, prefix, depth):
        if depth > 12:
            return
        node = resolve(node)
        props = dict(node.get("properties", {}))
        for part in node.get("allOf", []):
            props.update(resolve(part).get("properties", {}))
        for name, child in props.items():
            path = f"{prefix}{name}"
            found.add(path)
            walk(child, path + ".", depth + 1)

    walk(root, "", 0)
    return found
