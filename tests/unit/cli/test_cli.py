"""The command line as users run it: exit codes, formats, languages, and bad input (in-process; the installed script
in its own process where the test says so)."""
import json

from tests.conftest import SAMPLES, run_cli


def test_check_samples_json_has_an_outcome_for_every_rule_and_sample(cli, rulebook):
    res = cli("check", SAMPLES, "--format", "json")
    assert res.returncode == 1, res.stderr
    report = json.loads(res.stdout)
    assert len(report["dossiers"]) == len(list(SAMPLES.glob("*.*")))
    ids = [r.id for r in rulebook.rules]
    for dossier in report["dossiers"]:
        assert [f["rule_id"] for f in dossier["findings"]] == ids
        for f in dossier["findings"]:
            assert f["outcome"] in ("pass", "fail", "missing", "not_applicable", "not_taken")


def test_text_report_shows_line_and_column_and_both_languages(cli):
    zh = cli("check", SAMPLES / "zaoyuan.json")
    en = cli("check", SAMPLES / "zaoyuan.json", "--lang", "en")
    assert "施工管理规范化" in zh.stdout and "不符合" in zh.stdout
    assert "Orderly construction" in en.stdout and "fail" in en.stdout
    assert "zaoyuan.json:" in en.stdout
    import re
    assert re.search(r"zaoyuan\.json:\d+:\d+", en.stdout)


def test_output_is_deterministic():
    a = run_cli("check", SAMPLES, "--format", "json").stdout
    b = run_cli("check", SAMPLES, "--format", "json", env={"PYTHONHASHSEED": "123"}).stdout
    assert a == b


def test_fail_on_changes_exit_code(tmp_path):
    """The installed script's own exit status, 0 and 1."""
    text = (SAMPLES / "yuqiao-nanli.yaml").read_text(encoding="utf-8")
    assert run_cli("check", SAMPLES / "yuqiao-nanli.yaml", "--fail-on", "shall", "--as-of", "2025-08-31").returncode == 0
    assert run_cli("check", SAMPLES / "yuqiao-nanli.yaml", "--fail-on", "should", "--as-of", "2025-08-31").returncode == 1
    assert text == (SAMPLES / "yuqiao-nanli.yaml").read_text(encoding="utf-8")


def test_broken_dossier_exits_2_with_location_and_no_stdout(cli, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("project:\n  name: a\n  name: b\ncommunity: [unclosed\n", encoding="utf-8")
    res = cli("check", bad)
    assert res.returncode == 2
    assert res.stdout == ""
    assert "Traceback" not in res.stderr
    assert f"{bad}:3:3" in res.stderr


def test_schema_errors_are_all_reported_located(cli, tmp_path):
    bad = tmp_path / "invalid.yaml"
    bad.write_text("schema_version: 1\nproject:\n  id: X\n  name: x\n  district: 上海\n  phase: done\n"
                   "community:\n  households: many\n  colour: red\n", encoding="utf-8")
    res = cli("check", bad, "--lang", "en")
    assert res.returncode == 2 and res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert any(":5:13:" in line and "district" in line for line in lines)
    assert any(":6:10:" in line and "phase" in line for line in lines)
    assert any(":8:15:" in line and "households" in line for line in lines)
    assert any("colour" in line for line in lines)
    zh = cli("check", bad)
    assert "未知字段" in zh.stderr


def test_one_bad_file_in_a_batch_gives_no_report(cli, tmp_path):
    import shutil
    shutil.copy(SAMPLES / "zaoyuan.json", tmp_path / "good.json")
    (tmp_path / "bad.yaml").write_text("a: [\n", encoding="utf-8")
    res = cli("check", tmp_path, "--format", "json")
    assert res.returncode == 2 and res.stdout == ""


def test_missing_path_and_usage_errors_exit_2(cli, tmp_path):
    assert cli("check", tmp_path / "nope.yaml").returncode == 2
    assert cli("check", "--format", "xml", SAMPLES).returncode == 2
    assert cli("check", tmp_path).returncode == 2  # a directory without dossiers


def test_rules_commands(cli):
    listed = cli("rules", "list", "--lang", "en")
    assert listed.returncode == 0 and "CON-01" in listed.stdout
    shown = cli("rules", "show", "CON-01")
    assert shown.returncode == 0 and "提前告知施工计划" in shown.stdout and "notice_days" in shown.stdout
    assert cli("rules", "show", "XYZ-01").returncode == 2
    tested = cli("rules", "test")
    assert tested.returncode == 0 and " 0 failed" in tested.stdout


def test_schema_and_init(cli, tmp_path):
    schema = json.loads(cli("schema").stdout)
    assert schema["properties"]["project"]["properties"]["district"]["enum"][0] == "东城区"
    target = tmp_path / "new.yaml"
    assert cli("init", target).returncode == 0
    assert cli("init", target).returncode == 2  # no overwrite without --force
    res = cli("check", target)
    assert res.returncode in (0, 1), res.stderr  # the template is a valid dossier


def test_output_file_gets_ordinary_permissions(cli, tmp_path):
    import os
    target = tmp_path / "report.json"
    cli("check", SAMPLES / "yuqiao-nanli.yaml", "--format", "json", "--output", target)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_every_bundled_schema_can_be_printed(cli):
    from checker.cli.schema_cmd import SCHEMAS
    from tests.conftest import ROOT

    assert sorted(f"{name}.schema.json" for name in SCHEMAS) == sorted(p.name for p in (ROOT / "schemas").glob("*.schema.json"))
    for name in SCHEMAS:
        res = cli("schema", "--name", name)
        assert res.returncode == 0 and json.loads(res.stdout)["$schema"].startswith("https://json-schema.org/")
