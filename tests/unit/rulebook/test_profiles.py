"""Profiles: the bundled ones load; the example district profile changes a parameter and a force and the outcomes
and gaps change with it; a bad profile is refused with file:line:column and exit 2."""
import copy
import json

import pytest

from checker.rulebook import profiles
from checker.model.errors import InputError
from checker.check.pipeline import Checker
from checker.rulebook.rules import example_dossier
from checker.inputs.yamlload import Document
from tests.conftest import ROOT, SAMPLES

DISTRICT = ROOT / "rules" / "profiles" / "example-district.yaml"

# A completed project told 10 days before works began, with chat groups but no offline channel.
FRAGMENT = {
    "construction": {"plan_notice": {"done": True, "date": "2024-03-22", "evidence": [{"file": "notice.pdf"}]}},
    "governance": {"online_channel": {"done": True}, "offline_channel": {"done": False}},
}


def _findings(book, fragment=FRAGMENT):
    data = example_dossier(book, {"dossier": fragment})
    result = Checker(book).check_document(Document("x.yaml", data, {}))
    return {f.rule_id: f for f in result.findings}


def _with_profile(rulebook, given):
    book = copy.copy(rulebook)
    book.profile = profiles.load_profile(str(given), rulebook)
    return book


def test_bundled_profiles_load(rulebook):
    default = profiles.load_profile("default", rulebook)
    assert default.name == "default" and default.overrides() == []
    district = profiles.load_profile("example-district", rulebook)
    assert district.parameters == {"notice_days": 14, "evaluation_due_days": 180}
    assert district.forces == {"GOV-03": "shall"}
    assert district.overrides() == ["GOV-03.force=shall", "evaluation_due_days=180", "notice_days=14"]


# (rule, default outcome, default force, district outcome, district force): what the district profile changes.
CHANGES = [
    ("CON-01", "pass", "shall", "fail", "shall"),  # parameter: 10 days' notice is enough for 7, not for 14
    ("GOV-03", "fail", "should", "fail", "shall"),  # force: the same fail becomes a shall gap
]


@pytest.mark.parametrize("rule,before,before_force,after,after_force", CHANGES, ids=[c[0] for c in CHANGES])
def test_district_profile_changes_outcome_and_gap(rulebook, rule, before, before_force, after, after_force):
    plain = _findings(rulebook)[rule]
    district = _findings(_with_profile(rulebook, DISTRICT))[rule]
    assert (plain.outcome, plain.force) == (before, before_force)
    assert (district.outcome, district.force) == (after, after_force)
    assert not plain.is_gap("shall") and district.is_gap("shall")


def test_default_profile_changes_nothing(rulebook):
    plain = _findings(rulebook)
    default = _findings(_with_profile(rulebook, "default"))
    assert {k: (f.outcome, f.force) for k, f in plain.items()} == {k: (f.outcome, f.force) for k, f in default.items()}


def test_check_with_profile_reports_it_and_its_overrides(cli, tmp_path):
    dossier = tmp_path / "d.json"
    from checker.rulebook import rules as rb

    dossier.write_text(json.dumps(example_dossier(rb.load(), {"dossier": FRAGMENT}), ensure_ascii=False),
                       encoding="utf-8")
    plain = json.loads(cli("check", dossier, "--format", "json").stdout)
    district = json.loads(cli("check", dossier, "--format", "json", "--profile", "example-district").stdout)
    assert plain["profile"] == {"name": "default", "overrides": [], "sha256": None, "changes": []}
    assert district["profile"]["name"] == "example-district"
    assert district["profile"]["overrides"] == ["GOV-03.force=shall", "evaluation_due_days=180", "notice_days=14"]

    def gaps(doc):
        return {f["rule_id"] for f in doc["dossiers"][0]["findings"] if f["gap"]}

    assert gaps(district) - gaps(plain) == {"CON-01", "GOV-03"}
    text = cli("check", dossier, "--profile", str(DISTRICT), "--lang", "en").stdout
    assert "Profile: example-district (file sha256 " in text and "rule GOV-03 force: " in text


def test_profile_given_as_default_matches_no_profile_byte_for_byte(cli):
    plain = cli("check", SAMPLES, "--format", "json")
    default = cli("check", SAMPLES, "--format", "json", "--profile", "default")
    assert plain.returncode == default.returncode and plain.stdout == default.stdout


def test_profile_reaches_worker_processes(cli):
    one = cli("check", SAMPLES, "--format", "json", "--profile", "example-district", "--jobs", "1")
    two = cli("check", SAMPLES, "--format", "json", "--profile", "example-district", "--jobs", "2")
    assert one.stdout == two.stdout and '"example-district"' in one.stdout


# (profile text, expected "line:column", expected message key): each bad profile is refused, located.
BAD_PROFILES = [
    ("name: x\nforces:\n  GOV-03: must\n", "3:11", "schema.enum"),
    ("name: x\nparameters:\n  notice_dayz: 14\n", "3:16", "param.unknown"),
    ("name: x\nparameters:\n  CON-01: {notice_days: 14}\n", "3:11", "profile.per_rule_parameters"),
    ("name: x\nforces:\n  EVA-77: shall\n", "3:11", "profile.unknown_rule"),
    ("name: x\nparameters:\n  household_file_coverage: 1.5\n", "3:28", "param.out_of_range"),
    ("name: x\nparameters:\n  notice_days: -1\n", "3:16", "param.out_of_range"),
    ("name: x\nparameters:\n  notice_days: 181\n", "3:16", "param.out_of_range"),
    ("name: x\nparameters:\n  large_scale_households: 1000000\n", "3:27", "param.out_of_range"),
    ("name: x\nparameters:\n  notice_days: 14.5\n", "3:16", "param.bad_type"),
    ("name: x\nparameters:\n  large_scale_households: [500]\n", "3:27", "param.bad_type"),
    ("name: x\nparameters:\n  small_scale_households: 600\n", "3:27", "param.above"),
    ("name: x\nparameters:\n  large_scale_households: 200\n", "3:27", "param.above"),
    ("name: x\ncolour: red\n", "2:9", "schema.additionalProperties"),
    ("parameters: {}\n", "1:1", "schema.required"),
    ("name: x\nforces: [1\n", "3:1", "input.syntax"),
]


@pytest.mark.parametrize("body,where,key", BAD_PROFILES, ids=[b[2] + f"@{b[1]}" for b in BAD_PROFILES])
def test_bad_profile_is_refused_with_its_location(rulebook, tmp_path, body, where, key):
    path = tmp_path / "p.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        profiles.load_profile(str(path), rulebook)
    found = [p for p in exc.value.problems if p.key == key]
    assert found, exc.value.render("en")
    assert f"{found[0].line}:{found[0].column}" == where, exc.value.render("en")


@pytest.mark.parametrize("lang,word", [("zh", "没有参数"), ("en", "there is no parameter")])
def test_bad_profile_exits_2_with_file_line_column(cli, tmp_path, lang, word):
    path = tmp_path / "district.yaml"
    path.write_text("name: x\nparameters:\n  notice_dayz: 14\n", encoding="utf-8")
    res = cli("check", SAMPLES, "--profile", path, "--lang", lang)
    assert res.returncode == 2 and res.stdout == ""
    assert f"{path}:3:16:" in res.stderr and word in res.stderr and "Traceback" not in res.stderr


def test_unknown_profile_name_exits_2(cli):
    res = cli("check", SAMPLES, "--profile", "no-such-district", "--lang", "en")
    assert res.returncode == 2 and "there is no bundled profile no-such-district" in res.stderr and res.stdout == ""
