"""One parameter registry (rules/parameters.yaml): every threshold declared exactly once, under one global name,
read by the rules and by the mode book alike, so that a profile moves `check` and `recommend` together."""
import hashlib
import json

import pytest

from checker.rulebook import parameters as registry
from checker.rulebook import profiles
from checker.inputs import resources
from checker.model.errors import InputError
from checker.rulebook import modebook as mb
from checker.modes.recommend import Recommender
from checker.check.pipeline import Checker
from checker.rulebook.rules import example_dossier
from checker.inputs.yamlload import Document, load_file

# Comparisons with a literal number that are not thresholds, each with why (anything else must be a parameter).
NOT_THRESHOLDS = {
    ("CON-09", "construction.resident_observers.count", 1): "“有居民监督员” asks for at least one; no number to tune",
    ("CON-13", "construction.complaints.received", 0): "no complaint received: nothing to settle; no number to tune",
    ("CON-13", "construction.complaints.resolved", 0): "none settled yet: no settling time to judge; no number to tune",
    ("CON-13", "construction.complaints.unresolved", 0): "none open: no complaint overdue; no number to tune",
}


def _walk(node, owner, found):
    """(owner, path, operator, operand) of every comparison in a condition tree."""
    if isinstance(node, dict):
        for op in ("eq", "ne", "lt", "lte", "gt", "gte", "in"):
            if op in node and "path" in node:
                found.append((owner, node["path"], op, node[op]))
        for value in node.values():
            _walk(value, owner, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, owner, found)
    return found


def _sources():
    """Every rule and mode-book entry, as raw YAML, with its owner's name."""
    rules_dir = resources.rules_dir()
    manifest = load_file(str(rules_dir / "rulebook.yaml")).data
    for name in manifest["files"]:
        for rule in load_file(str(rules_dir / name)).data["rules"]:
            yield rule["id"], rule
    modes = load_file(str(rules_dir / "modes.yaml")).data
    for section in ("facts", "modes", "obligations"):
        for entry in modes[section]:
            yield f"modes.yaml:{entry['id']}", entry


def test_no_rule_or_mode_fact_declares_a_parameter_of_its_own():
    owners = [owner for owner, raw in _sources() if "parameters" in raw]
    assert owners == []


def test_each_threshold_is_declared_exactly_once_and_used(rulebook):
    declared = registry.load().parameters
    used = {}
    for owner, raw in _sources():
        for _, _, _, operand in _walk({k: v for k, v in raw.items() if k != "examples"}, owner, []):
            if isinstance(operand, dict) and "param" in operand:
                used.setdefault(operand["param"], set()).add(owner)
    text = json.dumps([raw for _, raw in _sources()], ensure_ascii=False)
    for name in declared:
        assert f'{{"param": "{name}"}}' in text, f"{name} is declared but nothing uses it"
    assert set(used) <= set(declared)
    # the same notion of the guide is one parameter: "large", "small", "fees hard to collect" in rules (through
    # the mode book's facts, {fact: ID}) and in the mode book
    for name in ("large_scale_households", "small_scale_households", "fee_collection_difficult_rate"):
        assert any(o.startswith("modes.yaml:") for o in used[name]), name
        assert any(name in rule.parameters for rule in rulebook.rules), name


def test_every_literal_number_compared_in_a_condition_is_not_a_threshold():
    literals = {(owner, path, operand) for owner, raw in _sources()
                for owner, path, _, operand in _walk({k: v for k, v in raw.items() if k != "examples"}, owner, [])
                if isinstance(operand, (int, float)) and not isinstance(operand, bool)}
    assert literals == set(NOT_THRESHOLDS)


def test_numeric_parameters_have_bounds_and_the_default_lies_within():
    for p in registry.load().parameters.values():
        if isinstance(p.default, (int, float)):
            assert p.minimum is not None and p.maximum is not None, p.name
            assert p.minimum <= p.default <= p.maximum, p.name


def test_a_registry_default_outside_its_bounds_is_refused(tmp_path):
    text = (resources.rules_dir() / "parameters.yaml").read_text(encoding="utf-8")
    (tmp_path / "parameters.yaml").write_text(text.replace("    maximum: 180\n", "    maximum: 5\n", 1),
                                              encoding="utf-8")
    with pytest.raises(InputError) as exc:
        registry.load(tmp_path)
    [problem] = exc.value.problems
    assert problem.key == "param.out_of_range" and problem.params["name"] == "notice_days" and problem.line


# 1,000 households in good condition collecting 90 % of fees, moderately keen to govern themselves, run by a
# property company. Large by the registry's 500 households; not large for a district that says 1,200.
COMMUNITY = {"community": {"households": 1000, "base_condition": "good", "fee_collection_rate": 0.9,
                           "self_governance_willingness": "moderate"},
             "operations": {"mode": "professional"}}


def _both(rulebook, profile_text, tmp_path):
    book = rulebook
    if profile_text is not None:
        path = tmp_path / "district.yaml"
        path.write_text(profile_text, encoding="utf-8")
        import copy

        book = copy.copy(rulebook)
        book.profile = profiles.load_profile(str(path), rulebook)
    data = example_dossier(book, {"dossier": COMMUNITY})
    result = Checker(book).check_document(Document("x.yaml", data, {}))
    modes = mb.load().with_parameters(book.param_values())
    rec = Recommender(modes).recommend(data)
    return {f.rule_id: f.outcome for f in result.findings}, rec


def test_a_profile_changes_check_and_recommend_alike(rulebook, tmp_path):
    outcomes, rec = _both(rulebook, None, tmp_path)
    assert rec.facts["large_scale"] == "true" and rec.mode("professional").fit == "recommended"
    assert outcomes["OPS-07"] == "pass"
    outcomes, rec = _both(rulebook, "name: big\nparameters:\n  large_scale_households: 1200\n", tmp_path)
    assert rec.facts["large_scale"] == "false" and rec.mode("professional").fit != "recommended"
    # not large: the guide recommends or permits no mode for this community, so OPS-07 has nothing to ask
    assert outcomes["OPS-07"] == "not_applicable"


def test_recommend_takes_a_profile_on_the_command_line(cli, tmp_path):
    dossier = tmp_path / "d.json"
    from checker.rulebook import rules as rb

    dossier.write_text(json.dumps(example_dossier(rb.load(), {"dossier": COMMUNITY})), encoding="utf-8")
    profile = tmp_path / "big.yaml"
    profile.write_text("name: big\nparameters:\n  large_scale_households: 1200\n", encoding="utf-8")
    plain = json.loads(cli("recommend", dossier, "--format", "json").stdout)
    district = cli("recommend", dossier, "--format", "json", "--profile", profile)
    assert district.returncode == 0, district.stderr
    district = json.loads(district.stdout)

    def fit(doc, mode):
        return next(m["fit"] for m in doc["ranking"] if m["mode"] == mode)

    def value(doc, name):
        return next(p["value"] for p in doc["parameters"] if p["name"] == name)

    assert fit(plain, "professional") == "recommended" and fit(district, "professional") != "recommended"
    assert value(plain, "large_scale_households") == 500 and value(district, "large_scale_households") == 1200
    assert plain["profile"] is None
    assert district["profile"] == {"name": "big", "sha256": hashlib.sha256(profile.read_bytes()).hexdigest()}
    text = cli("recommend", dossier, "--profile", profile, "--lang", "en").stdout
    assert f"Profile: big (file sha256 {district['profile']['sha256']})" in text
    bad = cli("recommend", dossier, "--profile", tmp_path / "nope.yaml", "--lang", "en")
    assert bad.returncode == 2 and bad.stdout == "" and "no such profile file" in bad.stderr
