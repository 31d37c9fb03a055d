"""Waivers belong to the reviewer: only the --waivers file applies; a dossier's own waivers are requests.

Statuses (applied, expired, not yet valid, unused, duplicate), the judgement date (--as-of), the waiver file's own
checks (schema, blank approver or reason, expiry before approval, shall rules need an expiry, unknown rules), and
every format showing requested and applied waivers.
"""
import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "gucheng-nanlu.yaml"  # operating, report_date 2025-06-30, has shall gaps
PROJECT = "SJS-GCNL-2023"
AS_OF = ("--as-of", "2025-06-30")


def _report(cli, path, *args):
    res = cli("check", path, "--format", "json", "--lang", "en", *args)
    assert res.returncode in (0, 1), res.stderr
    return res, json.loads(res.stdout)["dossiers"][0]


def _gaps(dossier):
    return [f["rule_id"] for f in dossier["findings"] if f["gap"]]


def _waiver(rule_id, expires="2025-12-31", project_id=PROJECT, approved_on="2025-01-15", **extra):
    entry = dict(project_id=project_id, rule_id=rule_id, reason="街道已书面确认 / confirmed in writing",
                 approved_by="古城街道办 王某", approved_on=approved_on, **extra)
    if expires is not None:
        entry["expires"] = expires
    return entry


def _waiver_file(tmp_path, entries, name="waivers.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"waivers": entries}, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _with_requests(tmp_path, entries, name="requested.yaml"):
    """The sample with waivers written into the dossier itself, as a submitter would."""
    lines = ["waivers:"]
    for e in entries:
        lines.append(f"  - rule_id: {e['rule_id']}")
        for key in ("reason", "approved_by", "expires", "approved_on"):
            if key in e:
                lines.append(f"    {key}: {json.dumps(e[key], ensure_ascii=False)}")
    path = tmp_path / name
    path.write_text(SAMPLE.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample_gaps(tmp_path_factory):
    from tests.conftest import run_cli

    return _gaps(_report(run_cli, SAMPLE, *AS_OF)[1])


def test_the_reviewers_waivers_turn_gaps_into_waived_and_the_run_passes(cli, tmp_path, sample_gaps):
    assert sample_gaps, "the sample needs a gap for this test"
    waivers = _waiver_file(tmp_path, [_waiver(r) for r in sample_gaps])
    res, after = _report(cli, SAMPLE, *AS_OF, "--waivers", waivers)
    assert res.returncode == 0
    assert _gaps(after) == []
    for f in after["findings"]:
        if f["rule_id"] in sample_gaps:
            assert f["outcome"] == "waived" and f["gap"] is False
            w = f["waiver"]
            assert w["status"] == "applied" and w["source"] == "reviewer" and w["approved_by"] == "古城街道办 王某"
            assert w["outcome"] in ("fail", "missing") and w["file"] == str(waivers) and w["location"]["line"] > 1
    assert after["counts"]["waived"] == len(sample_gaps)
    assert after["waivers"]["date"] == "2025-06-30" and after["waivers"]["date_source"] == "option"
    text = cli("check", SAMPLE, *AS_OF, "--waivers", waivers, "--lang", "en").stdout
    assert "waived: approved by 古城街道办 王某, valid until 2025-12-31" in text
    assert f"Waiver list: {waivers} (the reviewer's)" in text
    assert "已豁免" in cli("check", SAMPLE, *AS_OF, "--waivers", waivers).stdout


def test_waivers_written_in_the_dossier_are_requests_and_never_applied(cli, tmp_path, sample_gaps):
    # the submitter's move: approve their own gaps, with a blank reason
    path = _with_requests(tmp_path, [dict(rule_id=r, reason=" ", approved_by="me", expires="2099-12-31")
                                     for r in sample_gaps])
    res, after = _report(cli, path, *AS_OF)
    assert res.returncode == 1 and _gaps(after) == sample_gaps and after["counts"]["waived"] == 0
    requests = [w for w in after["waivers"]["entries"] if w["source"] == "dossier"]
    assert [w["rule_id"] for w in requests] == sample_gaps
    assert {w["status"] for w in requests} == {"requested"} and not any(w["granted"] for w in requests)
    finding = next(f for f in after["findings"] if f["rule_id"] == sample_gaps[0])
    assert finding["waiver"]["status"] == "requested"
    # every format says a waiver was requested and not granted
    note_en = "a waiver is requested in the dossier (me:  ); the reviewer has not granted it, so the gap stands"
    for fmt in ("text", "github", "junit", "markdown", "sarif", "html"):
        out = cli("check", path, *AS_OF, "--format", fmt, "--lang", "en").stdout
        assert "requested in the dossier" in out or "is requested in the dossier" in out, fmt
    assert note_en in cli("check", path, *AS_OF, "--lang", "en").stdout
    assert "档案中申请了豁免" in cli("check", path, *AS_OF).stdout
    # a request the reviewer grants is applied through the reviewer's file only, and says so
    waivers = _waiver_file(tmp_path, [_waiver(sample_gaps[0])])
    _, granted = _report(cli, path, *AS_OF, "--waivers", waivers)
    request = next(w for w in granted["waivers"]["entries"] if w["source"] == "dossier" and w["rule_id"] == sample_gaps[0])
    assert request["granted"] is True
    assert next(f for f in granted["findings"] if f["rule_id"] == sample_gaps[0])["waiver"]["source"] == "reviewer"


def test_an_expired_waiver_counts_as_a_gap_again_and_says_so(cli, tmp_path, sample_gaps):
    rule = sample_gaps[0]
    waivers = _waiver_file(tmp_path, [_waiver(rule, expires="2025-06-29")])
    res, after = _report(cli, SAMPLE, *AS_OF, "--waivers", waivers)
    assert res.returncode == 1
    finding = next(f for f in after["findings"] if f["rule_id"] == rule)
    assert finding["outcome"] in ("fail", "missing") and finding["gap"] is True
    assert finding["waiver"]["status"] == "expired"
    en = cli("check", SAMPLE, *AS_OF, "--waivers", waivers, "--lang", "en").stdout
    assert "expired on 2025-06-29: this counts as a gap again" in en
    assert "已于 2025-06-29 到期,重新计为差距" in cli("check", SAMPLE, *AS_OF, "--waivers", waivers).stdout
    # the day itself is still covered (expires is inclusive)
    same_day = _waiver_file(tmp_path, [_waiver(rule, expires="2025-06-30")], name="b.json")
    _, covered = _report(cli, SAMPLE, *AS_OF, "--waivers", same_day)
    assert next(f for f in covered["findings"] if f["rule_id"] == rule)["outcome"] == "waived"


def test_unused_duplicate_not_yet_valid_and_other_projects(cli, tmp_path, sample_gaps):
    _, before = _report(cli, SAMPLE, *AS_OF)
    passing = next(f["rule_id"] for f in before["findings"] if f["outcome"] == "pass")
    waivers = _waiver_file(tmp_path, [
        _waiver(sample_gaps[0]), _waiver(sample_gaps[0], expires="2026-01-31"), _waiver(passing),
        _waiver(sample_gaps[-1], approved_on="2025-07-01"), _waiver(sample_gaps[1], project_id="OTHER-1")])
    _, after = _report(cli, SAMPLE, *AS_OF, "--waivers", waivers)
    statuses = [w["status"] for w in after["waivers"]["entries"]]
    assert statuses == ["applied", "duplicate", "unused", "not_yet_valid"]  # OTHER-1's waiver is not this project's
    assert next(f for f in after["findings"] if f["rule_id"] == sample_gaps[1])["gap"] is True
    text = cli("check", SAMPLE, *AS_OF, "--waivers", waivers, "--lang", "en").stdout
    assert f"{passing}: unused" in text


def test_the_as_of_date_decides_expiry_and_report_date_does_not(cli, tmp_path, sample_gaps):
    rule = sample_gaps[0]
    waivers = _waiver_file(tmp_path, [_waiver(rule, expires="2025-12-31")])
    _, early = _report(cli, SAMPLE, "--as-of", "2025-12-31", "--waivers", waivers)
    _, late = _report(cli, SAMPLE, "--as-of", "2026-01-01", "--waivers", waivers)
    assert next(f for f in early["findings"] if f["rule_id"] == rule)["outcome"] == "waived"
    assert next(f for f in late["findings"] if f["rule_id"] == rule)["waiver"]["status"] == "expired"
    # the deprecated --today still works, says it is deprecated, and means --as-of
    res = cli("check", SAMPLE, "--today", "2026-01-01", "--waivers", waivers, "--format", "json", "--lang", "en")
    assert "--today is deprecated" in res.stderr
    assert json.loads(res.stdout)["review"]["as_of"] == "2026-01-01"
    assert "--today" not in cli("check", "--help").stdout
    # without --as-of: today, read once, and the report says so
    res = cli("check", SAMPLE, "--format", "json", "--waivers", waivers)
    review = json.loads(res.stdout)["review"]
    assert review["as_of_source"] == "system" and review["as_of"] >= "2025-06-30"


def test_bad_as_of_and_bad_waiver_files_exit_2_without_a_report(cli, tmp_path, sample_gaps):
    for bad in ("2025-02-30", "tomorrow", "2025-1-1"):
        res = cli("check", SAMPLE, "--as-of", bad, "--lang", "en")
        assert res.returncode == 2 and res.stdout == "" and "--as-of" in res.stderr, bad
    shall = sample_gaps[0]
    cases = {
        # blank after removing whitespace and invisible characters (zero-width space, BOM, bidi marks, filler)
        "blank.json": ([_waiver(shall) | {"approved_by": "\u200b\ufeff \u200e\u3164"},
                        _waiver(shall) | {"reason": " \t\u2066\u2069"}], ["approved_by is blank", "reason is blank"]),
        "order.json": ([_waiver(shall, expires="2025-01-01", approved_on="2025-02-01")],
                       ["expires 2025-01-01 is before the approval date 2025-02-01"]),
        "no-expiry.json": ([_waiver(shall, expires=None)], [f"rule {shall} is a shall rule"]),
        "unknown.json": ([_waiver("XYZ-99")], ["no rule has the id XYZ-99"]),
        "schema.json": ([{"project_id": PROJECT, "rule_id": shall, "reason": "r", "expires": "2025-13-01"}],
                        ["approved_by", "waivers/0/expires"]),
    }
    for name, (entries, expected) in cases.items():
        waivers = _waiver_file(tmp_path, entries, name)
        out = tmp_path / "report.json"
        res = cli("check", SAMPLE, *AS_OF, "--waivers", waivers, "--lang", "en", "--format", "json", "--output", out)
        assert res.returncode == 2 and res.stdout == "" and not out.exists(), name
        assert "Traceback" not in res.stderr and f"{waivers}:" in res.stderr, name
        for fragment in expected:
            assert fragment in res.stderr, (name, res.stderr)
    # a should-rule waiver may omit the expiry
    _, before = _report(cli, SAMPLE, *AS_OF)
    should = next((f["rule_id"] for f in before["findings"] if f["force"] == "should"
                   and f["outcome"] in ("fail", "missing")), None)
    if should:
        res = cli("check", SAMPLE, *AS_OF, "--waivers", _waiver_file(tmp_path, [_waiver(should, expires=None)], "s.json"))
        assert res.returncode in (0, 1), res.stderr


def test_applied_waivers_of_shall_gaps_are_visible_in_every_format(cli, tmp_path, sample_gaps):
    rule = sample_gaps[0]
    waivers = _waiver_file(tmp_path, [_waiver(rule)])
    args = (SAMPLE, *AS_OF, "--waivers", waivers, "--lang", "en")
    github = cli("check", *args, "--format", "github").stdout
    assert any(line.startswith("::notice ") and f"title={rule}" in line and "waived: approved by" in line
               for line in github.splitlines())
    junit = ET.fromstring(cli("check", *args, "--format", "junit").stdout)
    case = next(c for c in junit.iter("testcase") if c.get("name").startswith(rule + " "))
    assert "waived: approved by 古城街道办 王某" in case.find("skipped").get("message")
    sarif = json.loads(cli("check", *args, "--format", "sarif").stdout)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == rule)
    assert result["suppressions"][0]["kind"] == "external" and result["properties"]["outcome"] == "waived"
    for fmt in ("markdown", "html", "text", "concise"):
        assert "approved by 古城街道办 王某" in cli("check", *args, "--format", fmt).stdout, fmt
    gitlab = json.loads(cli("check", *args, "--format", "gitlab").stdout)
    issue = next(i for i in gitlab if i["check_name"] == rule)
    assert issue["severity"] == "info" and "waived: approved by 古城街道办 王某" in issue["description"]


def test_waivers_schema_is_printed_and_the_dossier_schema_keeps_requests(cli):
    schema = json.loads(cli("schema", "--name", "waivers").stdout)
    items = schema["properties"]["waivers"]["items"]
    assert set(items["required"]) == {"project_id", "rule_id", "approved_by", "reason", "approved_on"}
    assert "waivers" in json.loads(cli("schema").stdout)["properties"]


def test_is_blank_counts_invisible_characters_as_blank():
    from checker.check.waivers import is_blank

    for blank in ("", " ", "\u3000", "\u200b", "\ufeff", "\u202e\u202c", "\u2066\u2069", "\u00a0\u2060", "\u3164"):
        assert is_blank(blank), repr(blank)
    for shown in ("a", " 王 ", "\u200bx", "-"):
        assert not is_blank(shown), repr(shown)
