"""The reviewer's gate (issue 10): each move a submitter can make inside a dossier fails to hide a gap.

The dossier is the submitter's words; the judgement date, waiver list, evidence root and baseline are the
reviewer's. Waivers written in a dossier are covered in test_waivers.py.
"""
import hashlib
import json
import os

import pytest

from tests.conftest import SAMPLES

GUCHENG = SAMPLES / "gucheng-nanlu.yaml"  # operating; construction_end 2023-12-20, report_date 2025-06-30
AS_OF = ("--as-of", "2025-12-31")
MATERIALS = "      - {file: evidence/gucheng/organisation-plan.pdf}\n"  # CON-04's only evidence (shall: evidenced)
RULE = "CON-04"


def _json(cli, *args):
    res = cli("check", *args, "--format", "json", "--lang", "en")
    assert res.returncode in (0, 1), res.stderr
    return json.loads(res.stdout)


def _finding(report, rule_id, file_end=""):
    return next(f for d in report["dossiers"] if d["file"].endswith(file_end)
                for f in d["findings"] if f["rule_id"] == rule_id)


def _edited(tmp_path, old, new, name="edited.yaml", source=GUCHENG):
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# ---- the judgement date ------------------------------------------------------------------------------------

def test_an_old_report_date_is_an_input_error_located_at_it(cli, tmp_path):
    path = _edited(tmp_path, 'report_date: "2025-06-30"', 'report_date: "2000-01-01"')
    out = tmp_path / "report.json"
    res = cli("check", path, *AS_OF, "--lang", "en", "--format", "json", "--output", out)
    assert res.returncode == 2 and res.stdout == "" and not out.exists()
    assert f"{path}:17:18: project/dates/report_date: report_date 2000-01-01 is before a date the dossier" in res.stderr
    assert "Traceback" not in res.stderr
    assert "早于档案中已发生的日期" in cli("check", path, *AS_OF).stderr


def test_a_report_date_after_the_judgement_date_is_an_input_error(cli, tmp_path):
    res = cli("check", GUCHENG, "--as-of", "2025-06-29", "--lang", "en")
    assert res.returncode == 2 and res.stdout == ""
    assert f"{GUCHENG}:17:18:" in res.stderr and "after the judgement date 2025-06-29" in res.stderr
    assert cli("check", GUCHENG, "--as-of", "2025-06-30").returncode in (0, 1)  # the same day is fine


def test_planned_dates_may_lie_after_report_date_until_the_phase_makes_them_past(cli, tmp_path):
    # project and construction sections only (nothing dated after 2023-02), in construction, reported mid-2023
    text = GUCHENG.read_text(encoding="utf-8")
    text = text[:text.index("\noperations:")] + "\n"
    text = text.replace("phase: operating", "phase: construction").replace('    operation_start: "2024-01-01"\n', "")
    planned = tmp_path / "planned.yaml"
    planned.write_text(text.replace('report_date: "2025-06-30"', 'report_date: "2023-06-30"'), encoding="utf-8")
    # a dossier in construction may plan its completion after the report date ...
    res = cli("check", planned, *AS_OF, "--lang", "en")
    assert res.returncode in (0, 1), res.stderr
    # ... but once completed, the completion date has happened
    done = _edited(tmp_path, "phase: construction", "phase: completed", "done.yaml", planned)
    res = cli("check", done, *AS_OF, "--lang", "en")
    assert res.returncode == 2 and "project.dates.construction_end = 2023-12-20 (line 15)" in res.stderr


def test_report_date_the_day_after_completion_does_not_postpone_the_evaluation(cli, tmp_path):
    text = GUCHENG.read_text(encoding="utf-8")
    path = tmp_path / "early.yaml"
    # a completed project whose dossier claims to describe the day after completion, with nothing dated later
    body = text.replace("phase: operating", "phase: completed").replace('    operation_start: "2024-01-01"\n', "")
    body = body.replace('report_date: "2025-06-30"', 'report_date: "2023-12-21"')
    body = body[:body.index("\noperations:")] + "\n"  # operation and evaluation dates come later
    path.write_text(body, encoding="utf-8")
    report = _json(cli, path, "--as-of", "2025-12-31")  # two years after completion: the evaluation is due
    assert _finding(report, "EVA-01")["outcome"] != "not_applicable"


# ---- identity and baselines --------------------------------------------------------------------------------

def test_two_dossiers_with_one_project_id_exit_2_naming_both(cli, tmp_path):
    folder = tmp_path / "dossiers"
    folder.mkdir()
    (folder / "a.yaml").write_text(GUCHENG.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.yaml").write_text(GUCHENG.read_text(encoding="utf-8"), encoding="utf-8")
    for command in (("check", folder), ("check", folder, "--format", "json"), ("check", folder, "--format", "sarif"),
                    ("baseline", folder, "--output", tmp_path / "base.json")):
        res = cli(*command, *AS_OF, "--lang", "en")
        assert res.returncode == 2 and res.stdout == "", command
        assert f"{folder / 'b.yaml'}: project id SJS-GCNL-2023 is also used by {folder / 'a.yaml'}" in res.stderr
    assert not (tmp_path / "base.json").exists()
    assert "一次运行中每个项目只能有一份档案" in cli("check", folder, *AS_OF).stderr


def test_a_new_dossier_reusing_a_project_id_does_not_inherit_the_baseline(cli, tmp_path):
    folder = tmp_path / "dossiers"
    folder.mkdir()
    old = folder / "gucheng.yaml"
    old.write_text(GUCHENG.read_text(encoding="utf-8"), encoding="utf-8")
    base = tmp_path / "baseline.json"
    assert cli("baseline", folder, "--output", base, *AS_OF).returncode == 0
    assert cli("check", folder, "--baseline", base, *AS_OF).returncode == 0
    # the submitter files a new project under the old id, next to or instead of the old dossier
    old.rename(folder / "new-project.yaml")
    report = _json(cli, folder, "--baseline", base, *AS_OF)
    states = {f["baseline"] for d in report["dossiers"] for f in d["findings"] if f["gap"]}
    assert states == {"new"} and report["baseline"]["new"] > 0
    assert cli("check", folder, "--baseline", base, *AS_OF).returncode == 1


def test_a_baseline_made_with_another_fail_on_or_profile_is_refused(cli, tmp_path):
    base = tmp_path / "baseline.json"
    assert cli("baseline", GUCHENG, "--output", base, *AS_OF).returncode == 0
    res = cli("check", GUCHENG, "--baseline", base, "--fail-on", "should", *AS_OF, "--lang", "en")
    assert res.returncode == 2 and res.stdout == ""
    assert "recorded with --fail-on shall, this run uses --fail-on should" in res.stderr
    profiles = sorted((SAMPLES.parent / "rules" / "profiles").glob("*.yaml"))
    if not profiles:
        pytest.skip("no bundled profile")
    res = cli("check", GUCHENG, "--baseline", base, "--profile", profiles[0], *AS_OF, "--lang", "en")
    assert res.returncode == 2 and "recorded with the profile default" in res.stderr
    # recorded with that profile, the same profile is accepted and another file content is refused
    with_profile = tmp_path / "with-profile.json"
    assert cli("baseline", GUCHENG, "--output", with_profile, "--profile", profiles[0], *AS_OF).returncode == 0
    recorded = json.loads(with_profile.read_text(encoding="utf-8"))["profile"]
    assert recorded["sha256"] == hashlib.sha256(profiles[0].read_bytes()).hexdigest()
    assert cli("check", GUCHENG, "--baseline", with_profile, "--profile", profiles[0], *AS_OF).returncode in (0, 1)
    changed = tmp_path / profiles[0].name
    changed.write_text(profiles[0].read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    res = cli("check", GUCHENG, "--baseline", with_profile, "--profile", changed, *AS_OF, "--lang", "en")
    assert res.returncode == 2 and "recorded with the profile" in res.stderr


# ---- evidence ----------------------------------------------------------------------------------------------

@pytest.fixture
def evidence_root(tmp_path):
    """Every evidence file the sample cites, as real files under a root."""
    root = tmp_path / "root"
    for line in GUCHENG.read_text(encoding="utf-8").splitlines():
        if "{file: " in line:
            name = line.split("{file: ")[1].split("}")[0].split(",")[0]
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(name.encode("utf-8"))
    return root


def test_evidence_that_does_not_exist_does_not_count(cli, tmp_path, evidence_root):
    assert _finding(_json(cli, GUCHENG, *AS_OF, "--evidence-root", evidence_root), RULE)["outcome"] == "pass"
    # the submitter's move: evidence outside the root, with a zero sha256
    zero = "0" * 64
    path = _edited(tmp_path, MATERIALS, f"      - {{file: ../../etc/passwd, sha256: \"{zero}\"}}\n")
    report = _json(cli, path, *AS_OF, "--evidence-root", evidence_root)
    finding = _finding(report, RULE)
    assert finding["outcome"] == "missing" and finding["gap"] is True
    assert finding["evidence_rejected"][0]["file"] == "../../etc/passwd"
    assert finding["evidence_rejected"][0]["status"] == "parent"
    text = cli("check", path, *AS_OF, "--evidence-root", evidence_root, "--lang", "en").stdout
    assert "evidence that did not verify and does not count: ../../etc/passwd (path contains ..: refused)" in text
    assert "证明材料未通过核对,不计" in cli("check", path, *AS_OF, "--evidence-root", evidence_root).stdout
    # without the option nothing is verified, and every format says so
    for fmt in ("text", "github", "markdown", "html", "concise"):
        out = cli("check", path, *AS_OF, "--format", fmt, "--lang", "en").stdout
        assert "Evidence: not verified (no --evidence-root)" in out, fmt
    assert _json(cli, path, *AS_OF)["review"]["evidence_verified"] is False
    assert '"evidence.verified" value="false"' in cli("check", path, *AS_OF, "--format", "junit").stdout
    sarif = json.loads(cli("check", path, *AS_OF, "--format", "sarif").stdout)
    assert sarif["runs"][0]["properties"]["review"]["evidence_verified"] is False


@pytest.mark.parametrize("entry, status", [
    ("/etc/passwd", "absolute"),
    ("evidence/../evidence/gucheng/organisation-plan.pdf", "parent"),
    ("evidence/gucheng/absent.jpg", "not_found"),
    ("evidence/gucheng", "not_regular"),
    ("link-out.jpg", "outside_root"),
    ("evidence/gucheng/organisation-plan.pdf, sha256: \"" + "0" * 64 + "\"", "sha256_mismatch"),
])
def test_each_way_evidence_can_fail_to_verify(cli, tmp_path, evidence_root, entry, status):
    os.symlink("/etc/hostname", evidence_root / "link-out.jpg")
    path = _edited(tmp_path, MATERIALS, f"      - {{file: {entry}}}\n")
    finding = _finding(_json(cli, path, *AS_OF, "--evidence-root", evidence_root), RULE)
    assert finding["outcome"] == "missing" and [e["status"] for e in finding["evidence_rejected"]] == [status]


def test_matching_sha256_and_symlinks_inside_the_root_verify(cli, tmp_path, evidence_root):
    target = evidence_root / "evidence" / "gucheng" / "organisation-plan.pdf"
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    os.symlink("organisation-plan.pdf", target.parent / "alias.jpg")
    path = _edited(tmp_path, MATERIALS, f"      - {{file: evidence/gucheng/alias.jpg, sha256: {digest}}}\n")
    finding = _finding(_json(cli, path, *AS_OF, "--evidence-root", evidence_root), RULE)
    assert finding["outcome"] == "pass" and finding["evidence_rejected"] == []


def test_one_unverified_entry_among_verified_ones_leaves_the_measure_evidenced(cli, tmp_path, evidence_root):
    path = _edited(tmp_path, MATERIALS, MATERIALS + "      - {file: evidence/gucheng/absent.jpg}\n")
    report = _json(cli, path, *AS_OF, "--evidence-root", evidence_root)
    assert _finding(report, RULE)["outcome"] == "pass"
    statuses = [e["status"] for e in report["dossiers"][0]["evidence"] if e["path"].startswith("construction.disturbance")]
    assert statuses == ["verified", "not_found"]


def test_the_evidence_command_lists_every_file_with_its_status(cli, tmp_path, evidence_root):
    path = _edited(tmp_path, MATERIALS, "      - {file: ../../etc/passwd, sha256: \"" + "0" * 64 + "\"}\n")
    res = cli("evidence", path, "--evidence-root", evidence_root, "--lang", "en")
    assert res.returncode == 1
    assert "✗ ../../etc/passwd  [path contains ..: refused]  construction.disturbance_mitigation.evidence.0" in res.stdout
    assert "✓ evidence/gucheng/notice.pdf  [verified]" in res.stdout
    doc = json.loads(cli("evidence", path, "--evidence-root", evidence_root, "--format", "json").stdout)
    entries = doc["dossiers"][0]["evidence"]
    assert doc["summary"]["rejected"] == 1 and doc["summary"]["verified"] == len(entries) - 1
    assert cli("evidence", GUCHENG, "--evidence-root", evidence_root).returncode == 0
    unchecked = cli("evidence", GUCHENG)
    assert unchecked.returncode == 0 and "未核对" in unchecked.stdout
    assert cli("evidence", GUCHENG, "--evidence-root", tmp_path / "absent").returncode == 2


def test_every_new_option_is_in_help_in_both_languages(cli):
    for command, options in (("check", ("--as-of", "--waivers", "--evidence-root")),
                             ("baseline", ("--as-of", "--waivers", "--evidence-root")),
                             ("diff", ("--as-of", "--waivers", "--evidence-root")),
                             ("evidence", ("--evidence-root",))):
        shown = " ".join(cli(command, "--help").stdout.split())
        for option in options:
            assert option in shown, (command, option)
        assert "审查判断日" in shown or command == "evidence"
        assert "证明材料" in shown
