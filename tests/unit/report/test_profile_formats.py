"""Profiles through the CLI (issue 10 §5): bundled names always mean the bundled profile, a local profile is a
path, every format names a profile other than the guide as written with its sha256 and what it changed, and a
value above a parameter's maximum is refused."""
import hashlib
import json
import xml.etree.ElementTree as ET

import pytest

from checker.rulebook import profiles
from tests.conftest import SAMPLES

DISTRICT = profiles.bundled_dir() / "example-district.yaml"
DISTRICT_SHA = hashlib.sha256(DISTRICT.read_bytes()).hexdigest()
# what example-district.yaml changes, as a reviewer reads it: registry defaults 7 and 365 days, GOV-03 should
CHANGES = {"notice_days": (7, 14), "evaluation_due_days": (365, 180)}


def _check(cli, *args, cwd=None):
    return cli("check", SAMPLES / "yuqiao-nanli.yaml", *args, cwd=cwd)


def test_a_file_named_like_a_bundled_profile_does_not_shadow_it(cli, tmp_path):
    for name in ("default", "default.yaml", "example-district", "example-district.yaml"):
        (tmp_path / name).write_text("name: default\nparameters:\n  notice_days: 60\n", encoding="utf-8")
    plain = _check(cli, "--format", "json", cwd=tmp_path)
    named = _check(cli, "--format", "json", "--profile", "default", cwd=tmp_path)
    assert named.returncode == plain.returncode and named.stdout == plain.stdout
    district = json.loads(_check(cli, "--format", "json", "--profile", "example-district", cwd=tmp_path).stdout)
    assert district["profile"]["sha256"] == DISTRICT_SHA


def test_a_local_profile_is_given_as_a_path(cli, tmp_path):
    body = "name: district\nparameters:\n  notice_days: 30\n"
    (tmp_path / "district.yaml").write_text(body, encoding="utf-8")
    local = _check(cli, "--format", "json", "--profile", "./district.yaml", cwd=tmp_path)
    doc = json.loads(local.stdout)
    assert doc["profile"]["name"] == "district"
    assert doc["profile"]["sha256"] == hashlib.sha256(body.encode()).hexdigest()
    assert doc["profile"]["changes"] == [{"parameter": "notice_days", "default": 7, "value": 30, "unit": "day"}]
    bare = _check(cli, "--profile", "district", "--lang", "en", cwd=tmp_path)
    assert bare.returncode == 2 and bare.stdout == ""
    assert "there is no bundled profile district" in bare.stderr and "./district.yaml" in bare.stderr


@pytest.mark.parametrize("value", [181, -1, 7.5])
def test_a_value_outside_the_registry_bounds_is_refused(cli, tmp_path, value):
    path = tmp_path / "p.yaml"
    path.write_text(f"name: p\nparameters:\n  notice_days: {value}\n", encoding="utf-8")
    res = _check(cli, "--profile", path, "--lang", "en")
    assert res.returncode == 2 and res.stdout == "" and f"{path}:3:16:" in res.stderr
    assert ("outside [0, 180]" in res.stderr) if value != 7.5 else ("type integer" in res.stderr)


def _named(text: str) -> None:
    """The profile, its file's sha256 and each change with the value before and after, somewhere in a report."""
    assert "example-district" in text and DISTRICT_SHA in text
    for name, (before, after) in CHANGES.items():
        assert name in text and f"{before} → {after}" in text, name
    assert "GOV-03" in text


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "github", "junit"])
def test_every_human_and_ci_format_names_the_profile_and_its_changes(cli, fmt):
    res = _check(cli, "--format", fmt, "--profile", "example-district", "--lang", "en")
    assert res.returncode in (0, 1), res.stderr
    if fmt == "junit":
        props = {p.get("name"): p.get("value") for p in ET.fromstring(res.stdout).iter("property")}
        assert props["profile"] == "example-district" and props["profile.sha256"] == DISTRICT_SHA
        _named("\n".join(props.values()))
    else:
        _named(res.stdout.replace("%3A", ":").replace("%2C", ","))
    plain = _check(cli, "--format", fmt, "--lang", "en")
    assert DISTRICT_SHA not in plain.stdout and "example-district" not in plain.stdout


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_carry_the_profile_with_sha256_and_changes(cli, fmt):
    doc = json.loads(_check(cli, "--format", fmt, "--profile", "example-district").stdout)
    profile = doc["profile"] if fmt == "json" else doc["runs"][0]["properties"]["profile"]
    assert profile["name"] == "example-district" and profile["sha256"] == DISTRICT_SHA
    assert {c["parameter"]: (c["default"], c["value"]) for c in profile["changes"] if "parameter" in c} == CHANGES
    assert [c for c in profile["changes"] if "rule" in c] == [{"rule": "GOV-03", "default": "should", "force": "shall"}]
    plain = json.loads(_check(cli, "--format", fmt).stdout)
    plain_profile = plain["profile"] if fmt == "json" else plain["runs"][0]["properties"]["profile"]
    assert plain_profile == {"name": "default", "overrides": [], "sha256": None, "changes": []}
