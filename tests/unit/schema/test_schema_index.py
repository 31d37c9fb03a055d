"""checker/schema/index.py: the one reader of ``$ref`` and ``allOf`` (issue 11), and that nothing else reads them."""
import io
import tokenize
from pathlib import Path

from checker.schema import index, template
from checker.web import forms

CHECKER = Path(__file__).resolve().parents[3] / "checker"

ROOT = {
    "$defs": {
        "base": {"type": "object", "description": "generic", "properties": {"done": {"type": "boolean"}}},
        "alias": {"$ref": "#/$defs/base", "x-unit": "measure"},
        "loop": {"$ref": "#/$defs/loop"},
        "a/b": {"type": "integer"},
        "choice": {"oneOf": [{"properties": {"x": {"type": "string"}}}, {"properties": {"y": {"type": "string"}}}]},
    },
    "type": "object",
    "properties": {
        "own": {"$ref": "#/$defs/alias", "description": "its own label"},
        "merged": {"allOf": [{"$ref": "#/$defs/base"}], "properties": {"extra": {"type": "string"}}},
        "items": {"type": "array", "items": {"$ref": "#/$defs/base"}},
    },
}


def test_keys_beside_a_ref_win_over_its_target_through_chains():
    node = index.deref(ROOT["properties"]["own"], ROOT)
    assert node["description"] == "its own label" and node["x-unit"] == "measure" and node["type"] == "object"
    assert "$ref" not in node


def test_a_reference_that_points_nowhere_or_loops_reads_as_empty_or_stops():
    assert index.deref({"$ref": "#/$defs/none"}, ROOT) == {}
    assert index.deref({"$ref": "other.json#/x"}, ROOT) == {}
    assert index.deref(True, ROOT) == {}
    assert "$ref" in index.deref({"$ref": "#/$defs/loop"}, ROOT)  # stopped, not looping
    assert index.lookup(ROOT, "#/$defs/a~1b") == {"type": "integer"}


def test_resolve_merges_allof_properties_parts_first_own_last():
    node = index.resolve(ROOT["properties"]["merged"], ROOT)
    assert list(node["properties"]) == ["done", "extra"]


def test_properties_go_through_every_branch_own_first():
    node = {"$ref": "#/$defs/choice", "properties": {"z": {}}, "allOf": [{"properties": {"z": {"type": "x"}}}]}
    found = index.properties(node, ROOT)
    assert list(found) == ["z", "x", "y"] and found["z"] == {}  # the nearest declaration wins


def test_walk_reaches_list_items_only_when_asked():
    assert ("items", "*", "done") in {p for p, _, _ in index.walk(ROOT, items="*")}
    assert all("*" not in p for p, _, _ in index.walk(ROOT))
    assert set(index.SchemaIndex(ROOT).nodes) == {"own", "own.done", "merged", "merged.done", "merged.extra", "items"}


def test_a_referenced_measure_is_labelled_with_its_own_words_in_the_form_and_the_template():
    # the template's old resolver dropped the keys beside $ref: the form showed the generic measure text
    node = forms.node_at("construction.pipeline_survey")
    assert node["x-zh"] == "提前做好管线普查"
    assert "maintenance_contract: 设备维护合同" in template.render("zh")


def _ref_literals(path: Path) -> int:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return sum(1 for t in tokens if t.type == tokenize.STRING and t.string.strip("'\"") == "$ref")


def test_no_module_but_the_index_reads_ref():
    readers = [str(p.relative_to(CHECKER)) for p in sorted(CHECKER.rglob("*.py")) if _ref_literals(p)]
    assert readers == ["schema/index.py"]
