"""The MODE-01 advisory in every check format, and `recommend` output with dossier text made inert (issue 11 §3).

The advisory is advice for the reviewer (renovcheck recommend gives its reasons), never a gap: every human and
machine format shows it, none counts it as a failure (the spreadsheets too: tests/unit/report/test_mode_advisory_formats.py).
"""
import json
import xml.etree.ElementTree as ET

import pytest

from checker.check.pipeline import Checker
from checker.inputs.yamlload import load_file
from checker.modes.recommend import Recommender
from checker.report import BINARY_FORMATS, FORMATS, ReportContext, formatter
from checker.report.recommend_report import render as render_recommendation
from checker.rulebook import rules as rb
from tests.conftest import SAMPLES

ADVISED = SAMPLES / "liupukang-1.yaml"  # declares the professional mode, which the guide's words do not advise here
SHOWN = [name for name in FORMATS if name not in BINARY_FORMATS and name != "rectification-csv"]


@pytest.fixture(scope="module")
def checked():
    book = rb.load()
    result = Checker(book).check_file(str(ADVISED), "liupukang-1.yaml")
    assert [a.id for a in result.advisories] == ["MODE-01"]
    return book, result


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", SHOWN)
def test_every_format_shows_the_mode_advisory(checked, name, lang):
    book, result = checked
    out = formatter(name).render([result], ReportContext(book, lang=lang))
    assert "MODE-01" in out
    declared = "professional"
    assert declared in out  # the declared mode, as the advisory names it
    if name in ("json", "sarif", "gitlab"):
        json.loads(out)
    if name == "junit":
        ET.fromstring(out)


def test_the_advisory_is_information_in_machine_formats(checked):
    book, result = checked
    ctx = ReportContext(book, lang="en")
    sarif = json.loads(formatter("sarif").render([result], ctx))["runs"][0]
    advised = [r for r in sarif["results"] if r["ruleId"] == "MODE-01"]
    assert len(advised) == 1 and advised[0]["kind"] == "informational" and advised[0]["level"] == "none"
    assert sarif["tool"]["driver"]["rules"][advised[0]["ruleIndex"]]["id"] == "MODE-01"
    gitlab = [i for i in json.loads(formatter("gitlab").render([result], ctx)) if i["check_name"] == "MODE-01"]
    assert len(gitlab) == 1 and gitlab[0]["severity"] == "info"
    github = [line for line in formatter("github").render([result], ctx).splitlines() if "MODE-01" in line]
    assert len(github) == 1 and github[0].startswith("::notice ")
    junit = ET.fromstring(formatter("junit").render([result], ctx))
    assert [p.get("name") for p in junit.iter("property") if "MODE-01" in p.get("value", "")] == ["advisory.MODE-01"]
    assert sum(int(s.get("failures")) for s in junit.iter("testsuite")) == sum(
        1 for f in result.findings if f.is_gap(ctx.fail_on))


HOSTILE = "\x1b[31mred\x1b[0m [click](https://evil.example) @team #12 <b>x</b> \u202eevil\u202c"


@pytest.fixture(scope="module")
def hostile_recommendation():
    recommender = Recommender()
    data = load_file(str(ADVISED)).data
    data["project"]["name"] = HOSTILE
    data["project"]["id"] = "ID\x1b]0;title\x07"
    return recommender, recommender.recommend(data, "dossier\x1b[2J.yaml")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_recommend_text_is_inert(hostile_recommendation, lang):
    recommender, rec = hostile_recommendation
    out = render_recommendation("text", rec, recommender.book, lang)
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\x1b[31mred" in out  # shown, not acted on


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_recommend_markdown_is_inert(hostile_recommendation, lang):
    recommender, rec = hostile_recommendation
    out = render_recommendation("markdown", rec, recommender.book, lang)
    assert "\x1b" not in out and "\u202e" not in out
    assert "[click](https://evil.example)" not in out  # no live link
    assert "<b>" not in out and " @team" not in out  # no HTML, no mention


def test_recommend_json_keeps_the_dossier_text_as_data(hostile_recommendation):
    recommender, rec = hostile_recommendation
    doc = json.loads(render_recommendation("json", rec, recommender.book, "en"))
    assert doc["project"]["name"] == HOSTILE  # JSON escapes it; a program reads the dossier's own words
