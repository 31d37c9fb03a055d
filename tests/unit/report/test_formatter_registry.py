"""Every output — check, diff, recommend, coverage — is a formatter of report/'s one registry (issue 11 §3)."""
import json

import pytest

from checker.check.diff import compare
from checker.report import OUTPUTS, ReportContext, formats, formatter
from checker.rulebook import coverage as cov
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "gucheng-nanlu.yaml"


@pytest.mark.parametrize("kind, name", [(kind, name) for kind in OUTPUTS for name in OUTPUTS[kind]])
def test_every_registered_output_loads(kind, name):
    assert callable(formatter(name, kind).render)
    assert name in formats(kind)


@pytest.mark.parametrize("name", formats("diff"))
def test_a_diff_renders_through_the_registry(checker, rulebook, name):
    result = checker.check_file(str(SAMPLE), "gucheng-nanlu.yaml")
    out = formatter(name, "diff").render(compare(result, result, "shall"), ReportContext(rulebook, lang="en"))
    assert isinstance(out, str) and out
    if name == "json":
        assert json.loads(out)["format"] == "renovcheck-diff"


@pytest.mark.parametrize("name", formats("coverage"))
def test_the_coverage_renders_through_the_registry(rulebook, name):
    out = formatter(name, "coverage").render(cov.coverage(cov.load_catalog(), rulebook), ReportContext(rulebook))
    assert "REQ-CON-01" in out


@pytest.mark.parametrize("name", formats("recommend"))
def test_a_recommendation_renders_through_the_registry(name):
    from checker.modes.recommend import Recommender
    from checker.inputs.yamlload import load_file
    from checker.report.recommend_report import RecommendContext, render

    recommender = Recommender()
    rec = recommender.recommend(load_file(str(SAMPLE)).data, "gucheng-nanlu.yaml")
    out = formatter(name, "recommend").render(rec, RecommendContext(recommender.book, "en"))
    assert out == render(name, rec, recommender.book, "en")
