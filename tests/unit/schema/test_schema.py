"""The dossier schema itself: every field described in zh and en with a unit."""
import json

from tests.conftest import ROOT


def _fields(node, path=""):
    for name, child in node.get("properties", {}).items():
        yield f"{path}{name}", child
        yield from _fields(child, f"{path}{name}.")
        if "items" in child:
            yield from _fields(child["items"], f"{path}{name}[].")
    for part in node.get("allOf", []):
        yield from _fields(part, path)


def test_every_field_has_zh_en_and_unit():
    schema = json.loads((ROOT / "schemas" / "dossier.schema.json").read_text(encoding="utf-8"))
    nodes = list(_fields(schema)) + [(f"$defs.{k}", v) for k, v in schema["$defs"].items()]
    nodes += [(f"$defs.{k}.{n}", c) for k, v in schema["$defs"].items() for n, c in _fields(v)]
    assert len(nodes) > 100
    for path, node in nodes:
        assert node.get("description") and node.get("x-zh") and node.get("x-unit"), path


def test_three_states_of_a_measure_are_distinct(checker, rulebook):
    from checker.rulebook.rules import example_dossier
    from checker.inputs.yamlload import Document

    def outcome_of(fragment):
        data = example_dossier(rulebook, {"dossier": {"construction": fragment}})
        found = checker.check_document(Document("x", data, {})).findings
        return next(f.outcome for f in found if f.rule_id == "CON-06")

    assert outcome_of({"materials_disclosure": {"done": True, "evidence": [{"file": "a.jpg"}]}}) == "pass"
    assert outcome_of({"materials_disclosure": {"done": False}}) == "fail"
    assert outcome_of({}) == "missing"
