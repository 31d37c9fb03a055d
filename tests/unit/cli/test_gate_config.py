"""Issue 12 §1: configuration file, several reports from one run, --select/--ignore, --statistics, --exit-zero,
stdin, --fail-on in the guide's words (all through the CLI, in-process)."""
import json
import shutil

import pytest
from click.testing import CliRunner

from checker.cli import cli as main
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "liupukang-1.yaml"


def invoke(*args, input=None):
    return CliRunner().invoke(main, [*map(str, args)], input=input)


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A working directory below a project folder (so the configuration is found upwards)."""
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    return tmp_path


def _json(result):
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_pyproject_table_found_upwards_and_flags_override(here):
    (here / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.renovcheck]\nfail-on = "宜"\nlang = "en"\n'
                                         'select = ["CON"]\n', encoding="utf-8")
    doc = _json(invoke("check", SAMPLE, "--format", "json"))
    assert doc["fail_on"] == "should" and doc["lang"] == "en"
    assert {f["rule_id"][:3] for d in doc["dossiers"] for f in d["findings"]} == {"CON"}
    assert doc["review"]["selection"]["select"] == ["CON"]
    doc = _json(invoke("check", SAMPLE, "--format", "json", "--fail-on", "shall", "--lang", "zh"))
    assert doc["fail_on"] == "shall" and doc["lang"] == "zh"  # a flag beats the configuration


def test_yaml_config_wins_over_pyproject_in_the_same_folder_and_paths_are_relative_to_it(here):
    (here / "pyproject.toml").write_text('[tool.renovcheck]\nfail-on = "may"\n', encoding="utf-8")
    (here / ".renovcheck.yaml").write_text("fail-on: should\noutput: out/report.json\nformat: json\n", encoding="utf-8")
    (here / "out").mkdir()
    result = invoke("check", SAMPLE)
    assert result.exit_code in (0, 1), result.output
    report = json.loads((here / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["fail_on"] == "should"
    assert "已写入 ../out/report.json" in result.stderr


def test_config_command_says_where_each_value_comes_from(here):
    (here / ".renovcheck.yaml").write_text("fail-on: 应\nwaivers: gate/waivers.yaml\nas-of: 2025-06-30\n", encoding="utf-8")
    doc = _json(invoke("config", "--format", "json"))
    assert doc["file"] == "../.renovcheck.yaml"
    s = doc["settings"]
    assert s["fail-on"] == {"value": "shall", "source": "config"}
    assert s["waivers"] == {"value": "../gate/waivers.yaml", "source": "config"}
    assert s["as-of"] == {"value": "2025-06-30", "source": "config"}
    assert s["format"] == {"value": "text", "source": "default"}
    text = invoke("config").stdout
    assert "fail-on        shall  (配置文件 ../.renovcheck.yaml)" in text and "format         text  (默认值)" in text
    assert "信任模型" in text


def test_invalid_config_is_located_and_exits_2(here):
    (here / ".renovcheck.yaml").write_text("fail-on: must\nreport: x\n", encoding="utf-8")
    for args in (("check", SAMPLE), ("config",)):
        result = invoke(*args)
        assert result.exit_code == 2
        assert ".renovcheck.yaml:1:10: fail-on" in result.stderr
        assert ".renovcheck.yaml:2:9: report: 未知字段 report" in result.stderr
        assert result.stdout == ""


def test_explicit_config_file_and_bad_toml(here):
    (here / "gate.toml").write_text('[tool.renovcheck]\nfail-on = \n', encoding="utf-8")
    result = invoke("check", SAMPLE, "--config", here / "gate.toml")
    assert result.exit_code == 2 and "不是有效的 TOML" in result.stderr


def test_several_reports_from_one_run(tmp_path):
    sarif, junit = tmp_path / "r.sarif", tmp_path / "r.xml"
    result = invoke("check", SAMPLES, "--format", "json", "--report", f"sarif={sarif}", "--report", f"junit={junit}")
    doc = _json(result)
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    assert len(doc["dossiers"]) == 4
    assert f"已写入 {sarif}" in result.stderr and f"已写入 {junit}" in result.stderr


def test_reports_written_inside_the_checked_folder_are_never_read_as_dossiers(tmp_path):
    folder = tmp_path / "batch"
    shutil.copytree(SAMPLES, folder)
    args = ("check", folder, "--format", "json", "--as-of", "2026-11-25", "--report", f"json={folder / 'run.json'}",
            "--report", f"sarif={folder / 'run.sarif.json'}")
    first = _json(invoke(*args))
    second = _json(invoke(*args))  # both reports now lie in the folder with a dossier suffix
    dossiers = [p for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".json")]
    assert len(first["dossiers"]) == len(second["dossiers"]) == len(dossiers)


def test_a_report_path_onto_a_dossier_is_refused(tmp_path):
    folder = tmp_path / "batch"
    shutil.copytree(SAMPLES, folder)
    target = folder / SAMPLE.name
    before = target.read_bytes()
    result = invoke("check", folder, "--report", f"json={target}")
    assert result.exit_code == 2 and "不会被覆盖" in result.stderr
    assert target.read_bytes() == before


def test_after_exit_2_no_report_path_holds_an_earlier_report(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: [\n", encoding="utf-8")
    old = tmp_path / "old.sarif"
    old.write_text("earlier run", encoding="utf-8")
    result = invoke("check", bad, "--report", f"sarif={old}")
    assert result.exit_code == 2
    assert not old.exists()
    result = invoke("check", SAMPLE, "--report", "pdf=x.pdf")
    assert result.exit_code == 2 and "格式=路径" in result.stderr


def test_select_and_ignore_by_prefix_are_in_every_report():
    doc = _json(invoke("check", SAMPLE, "--format", "json", "--select", "CON,OPS-0", "--ignore", "CON-01"))
    ids = {f["rule_id"] for d in doc["dossiers"] for f in d["findings"]}
    assert ids and all(i.startswith(("CON", "OPS-0")) for i in ids) and "CON-01" not in ids
    for fmt in ("text", "markdown", "concise", "html", "junit"):
        out = invoke("check", SAMPLE, "--format", fmt, "--select", "CON", "--lang", "en").stdout
        assert "rule selection: only CON" in out, fmt
    sarif = _json(invoke("check", SAMPLE, "--format", "sarif", "--select", "CON"))
    assert sarif["runs"][0]["properties"]["review"]["selection"]["select"] == ["CON"]
    result = invoke("check", SAMPLE, "--select", "XYZ")
    assert result.exit_code == 2 and "XYZ" in result.stderr


def test_statistics_counts_per_rule_across_dossiers():
    doc = _json(invoke("check", SAMPLES, "--format", "json"))
    stats = _json(invoke("check", SAMPLES, "--format", "json", "--statistics"))
    assert stats["dossiers"] == len(doc["dossiers"])
    for row in stats["rules"]:
        outcomes = [f["outcome"] for d in doc["dossiers"] for f in d["findings"] if f["rule_id"] == row["rule_id"]]
        assert sum(row["outcomes"].values()) == len(outcomes) == len(doc["dossiers"])
    gaps = [row["gaps"] for row in stats["rules"]]
    assert gaps == sorted(gaps, reverse=True)
    text = invoke("check", SAMPLES, "--statistics").stdout
    assert text.startswith("各规则结果计数(4 份档案)")


def test_exit_zero_and_fail_on_in_the_guide_words():
    assert invoke("check", SAMPLE).exit_code == 1
    assert invoke("check", SAMPLE, "--exit-zero").exit_code == 0
    assert invoke("check", SAMPLE, "--format", "json", "--exit-zero").exit_code == 0
    for word, force in (("应", "shall"), ("宜", "should"), ("可", "may")):
        assert _json(invoke("check", SAMPLE, "--format", "json", "--fail-on", word))["fail_on"] == force


def test_stdin_with_stdin_filename():
    raw = SAMPLE.read_text(encoding="utf-8")
    doc = _json(invoke("check", "-", "--stdin-filename", "dossiers/liupukang.yaml", "--format", "json", input=raw))
    direct = _json(invoke("check", SAMPLE, "--format", "json"))
    assert doc["dossiers"][0]["file"] == "dossiers/liupukang.yaml"
    assert [f["outcome"] for f in doc["dossiers"][0]["findings"]] == [f["outcome"] for f in direct["dossiers"][0]["findings"]]
    result = invoke("check", "-", SAMPLE, input=raw)
    assert result.exit_code == 2


def _sarif_schema():
    from tests.conftest import ROOT, skip_unless_ci

    path = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if not path.exists():
        skip_unless_ci(f"SARIF schema not found at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def _valid_sarif(doc):
    """Valid against the OASIS schema, with every format "uri" checked as an absolute URI (RFC 3986: a scheme)."""
    import re

    import jsonschema

    checker = jsonschema.FormatChecker()
    checker.checks("uri")(lambda value: bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value)))
    errors = list(jsonschema.Draft4Validator(_sarif_schema(), format_checker=checker).iter_errors(doc))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]


def test_sarif_open_kind_help_uri_and_information_uri():
    base = "https://example.org/renovcheck/rules/"
    doc = _json(invoke("check", SAMPLES, "--format", "sarif", "--docs-base-uri", base, "--lang", "en"))
    _valid_sarif(doc)
    run = doc["runs"][0]
    assert run["tool"]["driver"]["informationUri"] == base + "en/README.md"
    for rule in run["tool"]["driver"]["rules"]:
        if rule["properties"].get("advisory"):  # MODE-01 has no rule page: renovcheck recommend explains it
            continue
        assert rule["helpUri"] == f"{base}en/{rule['id']}.md" and rule["properties"]["helpPath"] == f"en/{rule['id']}.md"
    missing = [r for r in run["results"] if r["properties"]["outcome"] == "missing"]
    assert missing and all(r["kind"] == "open" and r["level"] == "none" for r in missing)
    # without a base: no relative helpUri (SARIF wants it absolute), the page's path in the properties
    plain = _json(invoke("check", SAMPLE, "--format", "sarif"))
    _valid_sarif(plain)
    assert all("helpUri" not in r for r in plain["runs"][0]["tool"]["driver"]["rules"])
    bad = invoke("check", SAMPLE, "--format", "sarif", "--docs-base-uri", "docs/rules")
    assert bad.exit_code == 2 and "docs/rules" in bad.stderr


def test_sarif_never_exceeds_the_result_cap_and_counts_what_it_left_out(monkeypatch):
    from checker.report import sarif_format

    full = _json(invoke("check", SAMPLES, "--format", "sarif", "--lang", "en"))["runs"][0]["results"]
    monkeypatch.setattr(sarif_format, "MAX_RESULTS", 20)
    doc = _json(invoke("check", SAMPLES, "--format", "sarif", "--lang", "en"))
    _valid_sarif(doc)
    run = doc["runs"][0]
    assert len(run["results"]) == 20 < len(full)
    rank = {"fail": 2, "open": 1, "informational": 0}  # informational: a may-rule not taken, a flagged pass
    severity = lambda r: (0 if "suppressions" in r else rank[r["kind"]], r["rank"])  # noqa: E731
    worst_left_out = max(severity(r) for r in full if r not in run["results"])
    # the mode advisory (advice, not a finding) is always kept, inside the cap
    assert [r["ruleId"] for r in run["results"] if r["properties"].get("advisory")] == ["MODE-01"]
    assert all(severity(r) >= worst_left_out for r in run["results"] if not r["properties"].get("advisory"))
    note = run["invocations"][0]["toolExecutionNotifications"][0]
    assert note["properties"]["omitted"] == len(full) - 20 == sum(note["properties"]["omittedByOutcome"].values())
    assert "least severe" in note["message"]["text"]
