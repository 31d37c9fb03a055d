"""Load rules/modes.yaml: schema first (schemas/modes.schema.json), then what a schema cannot check —
unique ids, facts that exist and do not depend on themselves, parameters declared in the registry
(rules/parameters.yaml, shared with the rulebook), every dossier path read by a condition present in the dossier
schema and labelled under ``inputs``."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from checker.lang import conditions as c
from checker.rulebook import parameters as registry
from checker.inputs import resources
from checker.schema import validation as schema
from checker.schema.index import dossier_index
from checker.model.errors import InputError, Problem
from checker.i18n.messages import pick
from checker.lang.conditions import MAX_CONDITION_DEPTH, MAX_EXPANDED_DEPTH
from checker.inputs.yamlload import Document, Limits, Path as DocPath, load_file
from checker.schema.validation import YAMLObject, YAMLValue

Texts = dict[str, str]  # zh, en
Condition = c.Condition
ReportProblem = Callable[..., None]  # problem(key, where, **params)

MODES_FILE = "modes.yaml"
# the four mode ids, used everywhere (JSON, tests, docs), and the fit levels, best first
MODE_IDS = ("professional", "community_trusteeship", "social_organization", "owner_self_management")
FITS = ("recommended", "permitted", "possible", "not_advised")


@dataclass(frozen=True)
class FactRef(c.Condition):
    """A leaf naming a derived fact: true, false, or unknown as the engine derived it."""

    name: str


@dataclass
class Parameter(registry.Parameter):
    owner: str = ""  # the first fact that uses it


@dataclass
class Fact:
    id: str
    title: Texts
    title_false: Texts
    description: Texts
    citation: YAMLObject
    parameters: dict[str, Parameter]  # the registry entries its condition uses
    when: Condition | None
    raw_when: YAMLValue = None  # the condition as written (or derived), for {fact: ID} in the rulebook
    derived: str = ""  # "supported", "fits.MODE", "fits.declared" when the loader wrote the condition


@dataclass
class Mode:
    id: str
    name: Texts
    force: str
    service: Texts
    citation: YAMLObject
    recommended_when: Condition | None  # when the guide supports it: recommended_when, or permitted_when for a may-mode
    not_advised_when: Condition | None
    preferred_when: Condition | None  # None when the mode has no preference
    preference: YAMLObject
    obligations: list[str]
    support: str = "recommended"  # "recommended" (建议/鼓励) or "permitted" (可): what recommended_when means
    not_advised_reading: Texts = field(default_factory=dict)  # says that not advising is our reading


@dataclass
class Obligation:
    id: str
    title: Texts
    citation: YAMLObject
    shown_when: Condition | None


@dataclass
class ModeBook:
    inputs: YAMLObject  # dotted path -> {"label": {zh, en}, "values": {...}}
    facts: dict[str, Fact]  # in file order (dependencies first after loading)
    modes: dict[str, Mode]  # in MODE_IDS order
    obligations: dict[str, Obligation]
    parameters: dict[str, Parameter]  # the registry entries the facts use
    registry: registry.Registry  # every parameter, including those only rules use
    file: str = ""
    overrides: dict[str, c.Value] = field(default_factory=dict)  # parameter -> value, replacing defaults
    profile: dict[str, str] | None = None  # {"name", "sha256"} of a profile other than the guide as written

    def param_values(self) -> dict[str, c.Value]:
        values = {name: p.default for name, p in self.parameters.items()}
        values.update(self.overrides)
        return values

    def label(self, path: str, lang: str) -> str:
        spec = self.inputs.get(path)
        return pick(spec["label"], lang) if spec else path

    def value_label(self, path: str, value: YAMLValue, lang: str) -> str | None:
        spec = self.inputs.get(path) or {}
        names = spec.get("values") or {}
        if isinstance(value, str) and value in names:
            return pick(names[value], lang)
        return None

    def expand(self, node: YAMLValue) -> YAMLValue:
        """A condition with every ``{fact: ID}`` replaced by that fact's condition, recursively: what the
        rulebook loader compiles, so a rule and ``recommend`` evaluate one definition."""
        if isinstance(node, dict):
            if "fact" in node:
                return self.expand(self.facts[node["fact"]].raw_when)
            return {key: self.expand(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self.expand(value) for value in node]
        return node

    def with_parameters(self, overrides: Mapping[str, c.Value], profile: dict[str, str] | None = None) -> ModeBook:
        """The book with ``overrides`` (registry names, e.g. a profile's) in force; names it does not use are
        ignored, since a profile may set parameters that only rules use."""
        unknown = sorted(set(overrides) - set(self.registry.parameters))
        if unknown:
            raise InputError([Problem(self.registry.file, "param.unknown",
                                      {"name": ", ".join(unknown), "known": ", ".join(self.registry.parameters)})])
        overrides = {name: value for name, value in overrides.items() if name in self.parameters}
        return ModeBook(self.inputs, self.facts, self.modes, self.obligations, self.parameters, self.registry,
                        self.file, dict(self.overrides, **overrides), profile or self.profile)


def parse_condition(node: YAMLObject) -> Condition:
    """The rule condition language (checker.lang.conditions) plus ``{fact: NAME}`` leaves."""
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


def _mentions_fact(node: YAMLValue) -> bool:
    if isinstance(node, dict):
        return "fact" in node or any(_mentions_fact(v) for v in node.values())
    if isinstance(node, list):
        return any(_mentions_fact(v) for v in node)
    return False


def fact_refs(cond: Condition) -> set[str]:
    return {leaf.name for leaf in c.atoms(cond) if isinstance(leaf, FactRef)}


def dossier_paths(cond: Condition) -> set[str]:
    """Every dossier path a condition reads (quantified paths by their list)."""
    found = set()
    for leaf in c.atoms(cond):
        if isinstance(leaf, FactRef):
            continue
        found.add(leaf.path)  # type: ignore[attr-defined]  # every leaf but a FactRef, and a quantifier, has one
        if isinstance(leaf, c.Compare) and isinstance(leaf.value, c.DateRef):
            found.add(leaf.value.path)
    return found


def load(directory: Path | None = None) -> ModeBook:
    directory = Path(directory or resources.rules_dir())
    doc = load_file(str(directory / MODES_FILE), Limits(max_bytes=2 * 1024 * 1024))
    problems = schema.validate(doc, "modes.schema.json")
    if problems:
        raise InputError(problems)
    data, file = schema.accepted(doc), doc.file
    shared = registry.load(directory)
    declared = shared.parameters
    problems = []

    def problem(key: str, where: DocPath, **params: object) -> None:
        line = doc.positions.get(where, (None, None))[0]
        problems.append(Problem(file, key, params, line, 1 if line else None))

    seen: dict[str, str] = {}
    for section in ("facts", "obligations", "modes"):
        for index, raw in enumerate(data[section]):
            if raw["id"] in seen:
                problem("modes.duplicate_id", (section, index), id=raw["id"])
            seen[raw["id"]] = section
    mode_ids = [m["id"] for m in data["modes"]]
    if tuple(mode_ids) != MODE_IDS:
        problem("modes.mode_order", ("modes",), expected=", ".join(MODE_IDS))

    derived = {raw["derived"]: raw["id"] for raw in data["facts"] if "derived" in raw}
    parameters: dict[str, Parameter] = {}
    facts: dict[str, Fact] = {}
    for index, raw in enumerate(data["facts"]):
        where = ("facts", index)
        params = {}
        raw_when = raw["when"] if "when" in raw else _derived_when(raw["derived"], derived, data["modes"])
        if raw_when is None:
            problem("modes.derived_incomplete", where, id=raw["id"], needs=", ".join(_DERIVED_KINDS))
            continue
        when = _parse(raw_when, raw["id"], where, problem)
        for name in sorted(c.params_used(when)) if when is not None else ():
            if name not in declared:
                problem("modes.unknown_param", where, name=name, id=raw["id"])
                continue
            if name not in parameters:
                parameters[name] = Parameter(**vars(declared[name]), owner=raw["id"])
            params[name] = parameters[name]
        facts[raw["id"]] = Fact(raw["id"], raw["title"], raw["title_false"], raw["description"], raw["citation"],
                                params, when, raw_when, raw.get("derived", ""))

    obligations: dict[str, Obligation] = {}
    for index, raw in enumerate(data["obligations"]):
        shown = _parse(raw["shown_when"], raw["id"], ("obligations", index), problem)
        if shown is not None and fact_refs(shown):
            problem("modes.fact_in_obligation", ("obligations", index), id=raw["id"])
        obligations[raw["id"]] = Obligation(raw["id"], raw["title"], raw["citation"], shown)

    modes: dict[str, Mode] = {}
    for index, raw in enumerate(data["modes"]):
        where = ("modes", index)
        conds: dict[str, Condition | None] = {}
        for key in ("recommended_when", "permitted_when", "not_advised_when", "preferred_when"):
            conds[key] = _parse(raw[key], raw["id"], where, problem) if key in raw else None
        support = "permitted" if "permitted_when" in raw else "recommended"
        for name in raw["obligations"]:
            if name not in obligations:
                problem("modes.unknown_obligation", where, id=raw["id"], name=name)
        modes[raw["id"]] = Mode(raw["id"], raw["name"], raw["force"], raw["service"], raw["citation"],
                                conds[f"{support}_when"], conds["not_advised_when"], conds["preferred_when"],
                                raw.get("preference") or {}, list(raw["obligations"]), support,
                                raw["not_advised_reading"])

    conditions = [(f.id, ("facts", i), f.when) for i, f in enumerate(facts.values())]
    conditions += [(o.id, ("obligations", i), o.shown_when) for i, o in enumerate(obligations.values())]
    for i, m in enumerate(modes.values()):
        conditions += [(m.id, ("modes", i), cond) for cond in (m.recommended_when, m.not_advised_when,
                                                                m.preferred_when) if cond is not None]
    known_paths = set(dossier_index().nodes)  # the paths lint accepts in a rule
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
        limit = MAX_EXPANDED_DEPTH if facts.get(owner) and facts[owner].derived else MAX_CONDITION_DEPTH
        if c.depth(cond) > limit:  # derived facts are written by the loader, a little deeper
            problem("modes.too_deep", where, id=owner, limit=limit)
    for path in sorted(set(data["inputs"]) - known_paths):
        problem("modes.unknown_path", ("inputs", path), id="inputs", path=path)
    if problems:
        raise InputError(problems)
    ordered = _dependency_order(facts, file, doc)
    return ModeBook(dict(data["inputs"]), ordered, modes, obligations, parameters, shared, file)


_DERIVED_KINDS = ("supported", "supported.declared", "not_advised.declared") + tuple(
    f"fits.{m}" for m in MODE_IDS) + ("fits.declared",)
SUPPORTED_HERE = "supported"
DECLARED_MODE = "operations.mode"
# true when a mode is declared, unknown otherwise (never false); one engine expression, where `in` would be four
DECLARED = {"path": DECLARED_MODE, "matches": ".+"}


def _derived_when(kind: str, derived: dict[str, str], modes_raw: list[YAMLObject]) -> YAMLObject | None:
    """The condition of a derived fact, written from the modes — the one definition of a mode's fit:

        supported             some mode is recommended or permitted here (the guide's words)
        supported.declared    the declared mode (operations.mode) is recommended or permitted here
        not_advised.declared  the declared mode is one we advise against (our reading)
        fits.MODE             MODE is recommended or permitted here, or (no mode is, and MODE is not advised)
        fits.declared         the same for the declared mode, built from the three facts above

    A fact about the declared mode picks each mode's condition by operations.mode (modes with the same condition
    share one branch), so it is unknown when no mode is declared and equals the MODE fact for the declared MODE.
    None when a derived fact it builds on is not declared (every kind must be)."""
    if any(k not in derived for k in _DERIVED_KINDS):
        return None
    by_id = {m["id"]: m for m in modes_raw}
    if set(by_id) != set(MODE_IDS):
        return None
    support = {mid: m.get("recommended_when", m.get("permitted_when")) for mid, m in by_id.items()}
    not_advised = {mid: m["not_advised_when"] for mid, m in by_id.items()}
    nothing_supported = {"not": {"fact": derived[SUPPORTED_HERE]}}
    if kind == SUPPORTED_HERE:
        return {"any": [cond for _, cond in _grouped(support)]}
    if kind in ("supported.declared", "not_advised.declared"):
        # "or no mode is declared" is unknown when none is and false when one is: a fact about the declared
        # mode is unknown without one (the picked branch alone would be false), and otherwise that mode's fact
        picked = _picked_by_declared_mode(support if kind == "supported.declared" else not_advised)
        return {"any": [picked, {"not": DECLARED}]}
    target = kind.split(".", 1)[1]
    if target == "declared":
        return {"all": [DECLARED, {"any": [
            {"fact": derived["supported.declared"]},
            {"all": [nothing_supported, {"not": {"fact": derived["not_advised.declared"]}}]}]}]}
    return {"any": [support[target], {"all": [nothing_supported, {"not": not_advised[target]}]}]}


def _picked_by_declared_mode(conds: dict[str, YAMLValue]) -> YAMLObject:
    return {"any": [{"all": [{"path": DECLARED_MODE, "in": modes} if len(modes) > 1
                             else {"path": DECLARED_MODE, "eq": modes[0]}, cond]}
                    for modes, cond in _grouped(conds)]}


def _grouped(conds: dict[str, YAMLValue]) -> list[tuple[list[str], YAMLValue]]:
    """(the modes that have it, condition) for each distinct condition, in MODE_IDS order."""
    import json

    groups: dict[str, tuple[list[str], YAMLValue]] = {}
    for mid in MODE_IDS:
        key = json.dumps(conds[mid], sort_keys=True, ensure_ascii=False)
        groups.setdefault(key, ([], conds[mid]))[0].append(mid)
    return list(groups.values())


def _parse(node: YAMLObject, owner: str, where: DocPath, problem: ReportProblem) -> Condition | None:
    try:
        return parse_condition(node)
    except ValueError:
        problem("modes.fact_in_quantifier", where, id=owner)
        return None


def _dependency_order(facts: dict[str, Fact], file: str, doc: Document) -> dict[str, Fact]:
    """Facts with the ones they build on first; a cycle is refused (it could never be derived)."""
    ordered: dict[str, Fact] = {}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            index = list(facts).index(name)
            line = doc.positions.get(("facts", index), (None, None))[0]
            raise InputError([Problem(file, "modes.fact_cycle", {"cycle": " → ".join(trail + [name])}, line, 1)])
        state[name] = "visiting"
        when = facts[name].when
        for dep in sorted(fact_refs(when) if when is not None else ()):
            visit(dep, trail + [name])
        state[name] = "done"
        ordered[name] = facts[name]

    for name in facts:
        visit(name, [])
    return ordered
