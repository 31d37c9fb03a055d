"""The positional YAML loader: values as written, positions, and refusal of unsafe or broken input."""
import pytest

from checker.model.errors import InputError
from checker.inputs.yamlload import Limits, load_text, decode


def problem(text, **kw):
    with pytest.raises(InputError) as exc:
        load_text(text, "d.yaml", **kw)
    return exc.value.problems[0]


def test_values_stay_as_written():
    doc = load_text("a: 2024-03-01\nb: '7'\nc: 7\nd: 0.5\ne: true\nf: ~\n", "d.yaml")
    assert doc.data == {"a": "2024-03-01", "b": "7", "c": 7, "d": 0.5, "e": True, "f": None}


def test_positions_are_one_based_and_point_at_values():
    doc = load_text("project:\n  name: 甲\n  tags: [x, y]\n", "d.yaml")
    assert doc.positions[("project",)] == (2, 3)
    assert doc.positions[("project", "name")] == (2, 9)
    assert doc.positions[("project", "tags", 1)] == (3, 13)


def test_locate_falls_back_to_nearest_present_parent():
    doc = load_text("project:\n  name: 甲\n", "d.yaml")
    assert doc.locate(("project", "dates", "construction_start")) == (("project",), (2, 3))


def test_duplicate_key_is_refused_with_both_lines():
    p = problem("project:\n  name: a\n  name: b\n")
    assert (p.key, p.line, p.column, p.params["first_line"]) == ("input.duplicate_key", 3, 3, 2)


def test_unclosed_flow_sequence_names_line():
    p = problem("community: [unclosed\n")
    assert p.key == "input.syntax" and p.line == 2


def test_python_tag_is_refused():
    p = problem("a: !!python/object:os.system x\n")
    assert p.key == "input.tag" and p.line == 1


def test_alias_bomb_is_stopped():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    assert problem(bomb).key == "input.too_many_nodes"


def test_small_aliases_are_fine():
    doc = load_text("a: &x {k: 1}\nb: *x\n", "d.yaml")
    assert doc.data["b"] == {"k": 1}


def test_depth_limit():
    assert problem("a: " + "[" * 80 + "]" * 80 + "\n").key == "input.too_deep"


def test_root_must_be_mapping():
    assert problem("[1, 2]\n").key == "input.root_not_mapping"


def test_empty_and_comment_only_files():
    assert problem("").key == "input.empty"
    assert problem("# nothing\n").key == "input.empty"


def test_multiple_documents_refused():
    assert problem("a: 1\n---\nb: 2\n").key == "input.multiple_documents"


def test_non_finite_numbers_refused():
    assert problem("a: .nan\n").key == "input.non_finite"


def test_long_string_refused():
    assert problem("a: " + "x" * 50 + "\n", limits=Limits(max_string=10)).key == "input.string_too_long"


def test_gbk_is_reported_as_not_utf8_and_accepted_with_encoding():
    raw = "名称: 玉桥\n".encode("gbk")
    with pytest.raises(InputError) as exc:
        decode(raw, "d.yaml")
    assert exc.value.problems[0].key == "input.not_utf8"
    assert decode(raw, "d.yaml", "gbk").startswith("名称")


def test_bom_is_accepted():
    assert decode("\ufeffa: 1\n".encode("utf-8"), "d.yaml") == "a: 1\n"


def test_binary_is_refused():
    with pytest.raises(InputError) as exc:
        decode(b"\x00\x01\x02", "d.bin")
    assert exc.value.problems[0].key == "input.binary"


def test_json_is_read_with_positions():
    doc = load_text('{\n  "a": {"b": 1}\n}\n', "d.json")
    assert doc.data == {"a": {"b": 1}} and doc.positions[("a", "b")] == (2, 14)


def test_json_numbers_with_exponents_are_numbers():
    doc = load_text('{"a": 1e-300, "b": 1.5e3, "c": -2E+2, "d": "1e5"}\n', "d.json")
    assert doc.data == {"a": 1e-300, "b": 1500.0, "c": -200.0, "d": "1e5"}
