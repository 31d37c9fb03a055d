"""Baselines (fail only on new gaps, report the fixed ones) and diffs between two versions of one dossier."""
import json
import shutil

from tests.conftest import SAMPLES

GUCHENG = SAMPLES / "gucheng-nanlu.yaml"
NOTICE = 'date: "2023-02-25"'  # CON-01 fails with it (announced 4 days before the start)


def _gaps(cli, path, *args):
    res = cli("check", path, "--format", "json", *args)
    assert res.returncode in (0, 1), res.stderr
    return {(d["project"]["id"], f["rule_id"]) for d in json.loads(res.stdout)["dossiers"]
            for f in d["findings"] if f["gap"]}


def _copy_samples(tmp_path):
    target = tmp_path / "dossiers"
    shutil.copytree(SAMPLES, target)
    return target


def test_baseline_records_gaps_and_check_passes_against_it(cli, tmp_path):
    base = tmp_path / "baseline.json"
    res = cli("baseline", SAMPLES, "--output", base, "--as-of", "2025-12-31")
    assert res.returncode == 0, res.stderr
    doc = json.loads(base.read_text(encoding="utf-8"))
    assert doc["format"] == "renovcheck-baseline" and doc["key"] == "project_id/file/rule_id"
    assert {(g["project_id"], g["rule_id"]) for g in doc["gaps"]} == _gaps(cli, SAMPLES)
    assert doc["fail_on"] == "shall" and doc["profile"] == {"name": "default", "sha256": None}
    assert {g["file"] for g in doc["gaps"]} <= {str(p) for p in SAMPLES.iterdir()}
    again = tmp_path / "again.json"
    cli("baseline", SAMPLES, "--output", again, "--as-of", "2025-12-31")
    assert again.read_bytes() == base.read_bytes()
    assert cli("check", SAMPLES).returncode == 1
    res = cli("check", SAMPLES, "--baseline", base, "--format", "json")
    assert res.returncode == 0, res.stdout[-2000:]
    report = json.loads(res.stdout)
    assert report["baseline"]["new"] == 0 and report["baseline"]["fixed"] == []
    states = {f["baseline"] for d in report["dossiers"] for f in d["findings"] if f["gap"]}
    assert states == {"unchanged"}


def test_new_gap_fails_fixed_gap_is_reported_and_keys_are_tied_to_the_file(cli, tmp_path):
    work = _copy_samples(tmp_path)
    base = tmp_path / "baseline.json"
    cli("baseline", work, "--output", base)
    gucheng = work / "gucheng-nanlu.yaml"
    text = gucheng.read_text(encoding="utf-8")
    assert NOTICE in text
    # fix CON-01 (announce earlier) and break CON-02 (pipeline survey not done)
    text = text.replace(NOTICE, 'date: "2023-02-10"')
    text = text.replace("  pipeline_survey:\n    done: true", "  pipeline_survey:\n    done: false", 1)
    gucheng.write_text(text, encoding="utf-8")
    res = cli("check", work, "--baseline", base, "--format", "json", "--lang", "en")
    assert res.returncode == 1
    report = json.loads(res.stdout)
    assert report["baseline"]["new"] == 1
    assert report["baseline"]["fixed"] == [{"project_id": "SJS-GCNL-2023", "rule_id": "CON-01", "outcome": "pass"}]
    edited = next(d for d in report["dossiers"] if d["file"].endswith("gucheng-nanlu.yaml"))
    states = {f["rule_id"]: f["baseline"] for f in edited["findings"] if f["gap"]}
    assert states["CON-02"] == "new" and "CON-01" not in states
    assert all(s == "unchanged" for r, s in states.items() if r != "CON-02")
    text_report = cli("check", work, "--baseline", base, "--lang", "en").stdout
    assert "1 new gaps" in text_report and "fixed SJS-GCNL-2023/CON-01 (now: pass)" in text_report
    sarif = json.loads(cli("check", work, "--baseline", base, "--format", "sarif").stdout)
    new = [r for r in sarif["runs"][0]["results"] if r.get("baselineState") == "new"]
    assert [(r["ruleId"], r["properties"]["project"]["id"]) for r in new] == [("CON-02", "SJS-GCNL-2023")]
    # checking one dossier does not claim the other projects' gaps were fixed
    one = json.loads(cli("check", work / "zaoyuan.json", "--baseline", base, "--format", "json").stdout)
    assert one["baseline"]["fixed"] == [] and one["baseline"]["not_checked"] > 0
    # a renamed dossier is another file: its gaps are new again (record the baseline again after moving files)
    gucheng.rename(work / "renamed.yaml")
    moved = json.loads(cli("check", work, "--baseline", base, "--format", "json").stdout)
    renamed = next(d for d in moved["dossiers"] if d["file"].endswith("renamed.yaml"))
    assert {f["baseline"] for f in renamed["findings"] if f["gap"]} == {"new"}


def test_bad_baseline_files_exit_2_without_a_report(cli, tmp_path):
    import pytest

    from checker.check import baseline
    from checker.model.errors import InputError

    out = tmp_path / "report.txt"
    cases = {
        "schema.json": '{"format": "renovcheck-baseline", "format_version": 2, "fail_on": "shall",\n'
                       ' "profile": {"name": "default", "sha256": null},\n'
                       ' "gaps": [{"project_id": "X", "file": "a.yaml", "rule_id": "<script>"}]}',
        "wrong.json": '{"format": "something-else", "format_version": 2, "fail_on": "shall", "gaps": []}',
        "old.json": '{"format": "renovcheck-baseline", "format_version": 1, "fail_on": "shall", "gaps": []}',
        "syntax.json": '{"gaps": [',
        "bomb.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
            f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
            for i in range(8)),
        "tagged.yaml": "format: !!python/object:os.system {}\n",
    }
    for name, body in cases.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            baseline.load(str(path))
        assert all(p.file == str(path) for p in caught.value.problems), name
    # as users see it: a located message, exit 2, nothing on stdout and no output file
    res = cli("check", GUCHENG, "--baseline", tmp_path / "schema.json", "--output", out, "--lang", "en")
    assert res.returncode == 2 and res.stdout == "" and not out.exists() and "Traceback" not in res.stderr
    assert f"{tmp_path / 'schema.json'}:3:" in res.stderr and "gaps/0/rule_id" in res.stderr
    res = cli("check", GUCHENG, "--baseline", tmp_path / "old.json", "--lang", "en")
    assert res.returncode == 2 and "record it again" in res.stderr
    res = cli("check", GUCHENG, "--baseline", tmp_path / "absent.json")
    assert res.returncode == 2 and res.stdout == ""
    assert cli("baseline", SAMPLES).returncode == 2  # --output is required


def test_diff_lists_fixed_introduced_and_changed(cli, tmp_path):
    text = GUCHENG.read_text(encoding="utf-8")
    new = tmp_path / "new.yaml"
    new.write_text(text.replace(NOTICE, 'date: "2023-02-10"').replace(
        "  pipeline_survey:\n    done: true", "  pipeline_survey:\n    done: false", 1), encoding="utf-8")
    res = cli("diff", GUCHENG, new, "--format", "json", "--lang", "en")
    assert res.returncode == 1, res.stderr  # the new version introduces a gap
    doc = json.loads(res.stdout)
    assert doc["format"] == "renovcheck-diff" and doc["same_project"] is True
    assert doc["fixed"] == ["CON-01"] and doc["introduced"] == ["CON-02"]
    changed = {c["rule_id"]: (c["old"], c["new"]) for c in doc["changed"]}
    assert changed["CON-01"] == ("fail", "pass") and changed["CON-02"] == ("pass", "fail")
    text_out = cli("diff", GUCHENG, new, "--lang", "en").stdout
    assert "Gaps introduced (1)" in text_out and "Gaps fixed (1)" in text_out
    assert "CON-02 [shall]" in text_out and "pass → fail" in text_out
    assert "已修复的差距 (1)" in cli("diff", GUCHENG, new).stdout
    md = cli("diff", GUCHENG, new, "--format", "markdown", "--lang", "en").stdout
    assert md.startswith("## Dossier diff") and "### Gaps introduced (1)" in md
    back = cli("diff", new, GUCHENG, "--format", "json")
    assert back.returncode == 1 and json.loads(back.stdout)["fixed"] == ["CON-02"]
    # a version that only fixes: nothing introduced, exit 0
    fixed_only = tmp_path / "fixed.yaml"
    fixed_only.write_text(text.replace(NOTICE, 'date: "2023-02-10"'), encoding="utf-8")
    res = cli("diff", GUCHENG, fixed_only, "--format", "json")
    assert res.returncode == 0 and json.loads(res.stdout)["introduced"] == []
    same = cli("diff", GUCHENG, GUCHENG, "--format", "json")
    assert same.returncode == 0 and json.loads(same.stdout)["changed"] == []


def test_diff_a_waiver_requested_in_the_dossier_fixes_nothing_and_other_projects_warn(cli, tmp_path):
    waived = tmp_path / "waived.yaml"
    waived.write_text(GUCHENG.read_text(encoding="utf-8") + "waivers:\n  - {rule_id: CON-01, reason: r, "
                      "approved_by: a, expires: \"2025-12-31\"}\n", encoding="utf-8")
    doc = json.loads(cli("diff", GUCHENG, waived, "--format", "json").stdout)
    assert doc["fixed"] == [] and doc["changed"] == []
    granted = tmp_path / "waivers.yaml"
    granted.write_text("waivers:\n  - {project_id: SJS-GCNL-2023, rule_id: CON-01, reason: r, approved_by: a,\n"
                       "     approved_on: \"2025-01-01\", expires: \"2030-12-31\"}\n", encoding="utf-8")
    doc = json.loads(cli("diff", GUCHENG, waived, "--format", "json", "--waivers", granted).stdout)
    assert doc["review"]["waivers_file"] == str(granted) and doc["fixed"] == []
    res = cli("diff", GUCHENG, SAMPLES / "zaoyuan.json", "--lang", "en")
    assert "different project ids" in res.stdout


def test_diff_rejects_directories_and_bad_files(cli, tmp_path):
    res = cli("diff", SAMPLES, GUCHENG, "--lang", "en")
    assert res.returncode == 2 and res.stdout == "" and "not directories" in res.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: [\n", encoding="utf-8")
    res = cli("diff", GUCHENG, bad)
    assert res.returncode == 2 and res.stdout == "" and f"{bad}:" in res.stderr
