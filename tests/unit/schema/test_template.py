"""`renovcheck init`: a template a person can fill in line by line, in the language asked for."""
import re

import pytest
import yaml

from checker.schema import template
from checker.model.errors import InputError
from checker.schema.validation import validate
from checker.inputs.resources import load_schema
from checker.inputs.yamlload import load_text

FIELD_LINE = re.compile(r"^(\s*)# (- |[a-z_0-9]+:)")
SYNTAX_KEYS = ("input.syntax", "input.tab_indent", "input.too_deep", "input.root_not_mapping")


def _units(node, found):
    if isinstance(node, dict):
        if "x-unit" in node:
            found.add(node["x-unit"])
        for value in node.values():
            _units(value, found)
    elif isinstance(node, list):
        for value in node:
            _units(value, found)
    return found


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _uncomment(lines, index):
    """The template with line ``index`` and the commented lines of its parent fields uncommented."""
    out = list(lines)
    depth = _indent(lines[index])
    out[index] = lines[index].replace("# ", "", 1)
    for up in range(index - 1, -1, -1):
        if depth == 0:
            break
        match = FIELD_LINE.match(lines[up]) or re.match(r"^(\s*)([a-z_0-9]+:)", lines[up])
        if match and _indent(lines[up]) < depth and not lines[up].lstrip().startswith("# -"):
            depth = _indent(lines[up])
            out[up] = lines[up].replace("# ", "", 1)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_is_a_valid_dossier(lang):
    doc = load_text(template.render(lang), "template.yaml")
    assert validate(doc) == []


def test_every_unit_of_the_schema_has_a_label_in_both_languages():
    units = _units(load_schema("dossier.schema.json"), set())
    assert units - set(template.UNIT_LABELS) == set()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_uncommenting_any_field_with_its_parents_stays_valid_yaml(lang):
    lines = template.render(lang).split("\n")
    fields = [i for i, line in enumerate(lines) if FIELD_LINE.match(line)]
    assert len(fields) > 80  # the measure shape is described once; lists show one item
    for index in fields:
        body = "\n".join(_uncomment(lines, index))
        yaml.safe_load(body)  # raises on a syntax error
        try:
            load_text(body, "template.yaml")
        except InputError as exc:  # pragma: no cover - only reached on a regression
            keys = [p.key for p in exc.problems]
            assert not set(keys) & set(SYNTAX_KEYS), (lines[index], keys)


def test_an_uncommented_field_left_empty_is_refused_with_its_line():
    lines = template.render("zh").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip() == "# households:")
    doc = load_text("\n".join(_uncomment(lines, index)), "template.yaml")
    problems = validate(doc)
    assert [p.line for p in problems] == [index + 1]


def test_list_fields_show_their_item_fields():
    text = template.render("en")
    assert re.search(r"# - \{name: , operator: ", text)


def test_measure_shape_is_described_once():
    text = template.render("zh")
    assert text.count("#   done:") == 1
    assert text.count("note: 说明") == 1


def test_english_template_has_english_comments_and_chinese_one_chinese():
    zh, en = template.render("zh"), template.render("en")
    assert "# Project identifier" in en and "项目编号" not in en
    assert "# 项目编号" in zh and "Project identifier" not in zh


def test_chinese_comments_have_no_english_words_except_identifiers():
    schema = load_schema("dossier.schema.json")
    identifiers = set(re.findall(r'"([a-z_0-9]+)"', str(schema).replace("'", '"')))
    identifiers |= {"true", "false", "renovcheck", "schemas", "dossier", "schema", "json", "measure", "YYYY", "MM",
                    "DD", "sha256", "SHA", "evidence"}
    for line in template.render("zh").split("\n"):
        if not line.lstrip().startswith("#") or FIELD_LINE.match(line):
            continue
        line = re.sub(r"\b[A-Z]{3,4}-\d{2}\b", "", line)  # rule ids are identifiers
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", line)) - identifiers
        assert not words, (line, words)


def test_template_passes_yamllint_with_the_relaxed_config():
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    config = YamlLintConfig(template.YAMLLINT_CONFIG)
    for lang in ("zh", "en"):
        problems = list(linter.run(template.render(lang), config))
        assert problems == [], problems[:5]
