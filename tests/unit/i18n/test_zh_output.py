"""Issue 12 §3: a Chinese report contains no English word except identifiers (field paths, keys and enum values of
the dossier schema, rule ids, command and flag names) and file names — in every human-readable format."""
import html
import json
import re

import pytest
from click.testing import CliRunner

from checker.cli import cli
from tests.conftest import ROOT, SAMPLES

FORMATS = ["text", "concise", "markdown", "html", "rectification-md", "rectification-csv", "rectification-html"]
# Names a reader types: the program, its commands and the flags a report tells them to use.
COMMAND_WORDS = {"renovcheck", "check", "recommend", "rules", "show", "all"}
# The language switch names each language in its own words ("中文 / English"), as every bilingual page does.
LANGUAGE_NAMES = {"English"}
# Structure of the medium, not words for a reader (Markdown's collapsible blocks; CSV is read by software).
MARKUP = re.compile(r"<[^>]+>")
WORD = re.compile(r"-{0,2}[A-Za-z][A-Za-z0-9_./:@-]*")
# A remedy says which YAML literal to write ("设 whole_process 为 true"): what the reader types, like a key.
YAML_LITERAL = re.compile(r"为 ?(true|false)\b")


def _schema_identifiers() -> set:
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                found.add(key)
                if key == "enum":
                    found.update(v for v in value if isinstance(v, str))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((ROOT / "schemas" / "dossier.schema.json").read_text(encoding="utf-8")))
    return found


IDENTIFIERS = _schema_identifiers() | COMMAND_WORDS | LANGUAGE_NAMES


def english_words(document: str) -> list:
    words = []
    for token in WORD.findall(YAML_LITERAL.sub(" ", MARKUP.sub(" ", html.unescape(document)))):
        if any(ch in token for ch in "._/:@-") or any(ch.isdigit() for ch in token):
            continue  # a path, file name, rule id, date or flag (--reviewer)
        if token in IDENTIFIERS or token.lower() in IDENTIFIERS:
            continue
        words.append(token)
    return words


def _zh_only(document: str, fmt: str) -> str:
    """The HTML report carries both languages and shows one; the English spans are not the zh reader's text."""
    if fmt.endswith("html"):
        document = re.sub(r'<(span|p|div|li|td|th|option)[^>]*lang="en"[^>]*>.*?</\1>', " ", document, flags=re.S)
        document = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", document, flags=re.S)
        document = re.sub(r'data-en="[^"]*"', " ", document)
    return document


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_chinese_report_has_no_english_words(fmt, tmp_path):
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["check", str(SAMPLES), "--as-of", "2026-11-25", "--format", fmt, "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    words = english_words(_zh_only(out.read_text(encoding="utf-8"), fmt))
    assert words == [], sorted(set(words))


def test_the_scan_finds_an_english_word():
    assert english_words("档案取值: 覆盖全过程 = false,判定线 shall") == ["false", "shall"]
    assert english_words("设 whole_process 为 true,可用 --reviewer 填写") == []
    assert english_words("施工计划告知日期 construction.plan_notice.date = 2023-02-25 (CON-01)") == []


def test_rules_show_gives_each_example_in_both_languages_and_outcomes_in_words():
    out = CliRunner().invoke(cli, ["rules", "show", "CON-01"]).stdout
    examples = out.split("示例:")[1].splitlines()[1:]
    assert examples and all(" / " in line and line.rstrip().endswith(("符合", "不符合", "缺少材料", "不适用"))
                            for line in examples), examples
    assert "notice_days = 7 天(假设)" in out.replace(" (", "(") and "问题(不符合)" in out.replace(" (", "(")
