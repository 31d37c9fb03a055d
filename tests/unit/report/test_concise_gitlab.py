"""`--format concise` (one line per finding, for editors and pre-commit) and `--format gitlab` (Code Quality)."""
import json
import re

import pytest
from click.testing import CliRunner

from checker.cli import cli as main
from tests.conftest import SAMPLES

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]{3}-\d{2}) \[[^\]]+\] ")


def _run(*args):
    result = CliRunner().invoke(main, ["check", *map(str, args)])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture(scope="module")
def findings():
    doc = json.loads(_run(SAMPLES, "--format", "json", "--lang", "en"))
    return {(d["file"], f["rule_id"]): f for d in doc["dossiers"] for f in d["findings"]}


def test_concise_has_one_located_line_per_fail_or_missing_finding(findings):
    lines = _run(SAMPLES, "--format", "concise").splitlines()
    advice = [line for line in lines if re.match(r"^[^:]+:1:1: MODE-01 ", line)]  # a dossier's mode advisory
    assert len(advice) == 1 and "liupukang-1.yaml" in advice[0]
    lines = [line for line in lines if line not in advice]
    body, summary = lines[:-1], lines[-1]
    expected = {k for k, f in findings.items() if f["outcome"] in ("fail", "missing")}
    seen = set()
    for line in body:
        match = LINE.match(line)
        assert match, line
        key = (match["file"], match["rule"])
        seen.add(key)
        location = findings[key]["location"]
        assert int(match["line"]) == (location["line"] or 1)
    assert seen == expected and len(body) == len(expected)
    assert not LINE.match(summary)


def test_concise_lines_are_sorted_by_file_and_line():
    keys = [(m["file"], int(m["line"])) for m in map(LINE.match, _run(SAMPLES, "--format", "concise").splitlines()) if m]
    assert keys == sorted(keys)


def test_pre_commit_hook_prints_concise_lines():
    import yaml

    from tests.conftest import ROOT

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["entry"] == "renovcheck check --format concise"


def test_gitlab_code_quality_issues(findings):
    issues = json.loads(_run(SAMPLES, "--format", "gitlab"))
    gaps = {k for k, f in findings.items() if f["outcome"] in ("fail", "missing")}
    assert {(i["location"]["path"], i["check_name"]) for i in issues if i["check_name"] != "MODE-01"} == gaps
    assert [i["severity"] for i in issues if i["check_name"] == "MODE-01"] == ["info"]
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
        if issue["check_name"] == "MODE-01":
            continue  # advice, not a finding
        finding = findings[(issue["location"]["path"], issue["check_name"])]
        if finding["force"] == "shall" and finding["outcome"] in ("fail", "missing") and not finding.get("waiver"):
            assert issue["severity"] == "critical"
        if finding["force"] != "shall":
            assert issue["severity"] == "minor"  # below the default --fail-on shall
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprints_do_not_depend_on_wording():
    zh = json.loads(_run(SAMPLES, "--format", "gitlab", "--lang", "zh"))
    en = json.loads(_run(SAMPLES, "--format", "gitlab", "--lang", "en"))
    assert [i["fingerprint"] for i in zh] == [i["fingerprint"] for i in en]
    assert [i["description"] for i in zh] != [i["description"] for i in en]


def test_markdown_stays_within_its_byte_budget_and_counts_what_it_left_out(monkeypatch):
    from checker.report import markdown_format

    full = _run(SAMPLES, "--format", "markdown", "--lang", "en")
    assert "left out" not in full
    limit = len(full.encode("utf-8")) // 2 + 2000
    monkeypatch.setattr(markdown_format, "MAX_BYTES", limit)
    cut = _run(SAMPLES, "--format", "markdown", "--lang", "en")
    assert len(cut.encode("utf-8")) <= limit
    assert cut.count("<details>\n<summary>") < full.count("<details>\n<summary>")
    last = cut.rstrip("\n").splitlines()[-1]
    assert last.startswith("To stay within the 1 MiB limit of a GitHub summary, 0 dossiers were left out of the table")
    # what is kept is the head of the full report: the same title, table and first (worst) dossiers
    kept = cut[: cut.rindex("\n", 0, len(cut) - len(last) - 1)]
    assert full.startswith(kept.rstrip("\n"))
