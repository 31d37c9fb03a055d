"""Batches: the table across dossiers (worst first), --jobs N byte-identical to --jobs 1, the progress bar on a TTY."""
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Six copies of every sample in nested folders, each with its own project id (24 dossiers); the reviewer's
    waiver list next to them waives one gap of one copy."""
    import yaml

    root = tmp_path_factory.mktemp("many")
    for i in range(6):
        target = root / f"batch-{i}"
        shutil.copytree(SAMPLES, target)
        for path in target.iterdir():  # one dossier per project in a run
            text = path.read_text(encoding="utf-8")
            project_id = yaml.safe_load(text)["project"]["id"]
            path.write_text(text.replace(project_id, f"{project_id}-{i}", 1), encoding="utf-8")
    (root.parent / f"{root.name}-waivers.yaml").write_text(
        "waivers:\n  - {project_id: SJS-GCNL-2023-3, rule_id: CON-01, reason: r, approved_by: a,\n"
        "     approved_on: \"2025-01-01\", expires: \"2025-12-31\"}\n", encoding="utf-8")
    return root


def test_summary_table_is_sorted_worst_first(cli):
    res = cli("check", SAMPLES, "--lang", "en")
    report = json.loads(cli("check", SAMPLES, "--format", "json").stdout)
    lines = res.stdout.splitlines()
    start = lines.index("All dossiers, worst first (--fail-on shall)")
    rows = lines[start + 3:start + 3 + len(report["dossiers"])]
    files = [row.split()[0] for row in rows]
    gaps = {d["file"]: d["gaps"] for d in report["dossiers"]}
    assert sorted(files) == sorted(gaps)
    assert [gaps[f] for f in files] == sorted(gaps.values(), reverse=True)
    for d in report["dossiers"]:
        assert sum(d["gaps_by_dimension"].values()) == d["gaps"]
        shall = [f for f in d["findings"] if f["force"] == "shall" and f["outcome"] != "not_applicable"]
        assert d["shall"] == {"passed": sum(1 for f in shall if f["outcome"] == "pass"), "applicable": len(shall)}
        row = next(r for r in rows if r.startswith(d["file"]))
        assert f"({d['shall']['passed']}/{d['shall']['applicable']})" in row


def test_jobs_2_gives_byte_identical_output_to_jobs_1(many):
    for fmt in ("html", "json"):  # JSON holds every result; HTML every text, waivers and the table across dossiers
        gate = ("--as-of", "2025-12-31", "--waivers", many.parent / f"{many.name}-waivers.yaml")
        one = run_cli("check", many, "--format", fmt, *gate, "--jobs", "1")
        two = run_cli("check", many, "--format", fmt, *gate, "--jobs", "2")
        assert one.returncode == two.returncode == 1
        assert one.stdout == two.stdout, fmt
        assert one.stderr == two.stderr == ""
    report = json.loads(one.stdout)
    assert len(report["dossiers"]) == 24
    assert report["summary"]["counts"]["waived"] == 1


def test_jobs_with_a_bad_file_gives_no_report_and_the_same_errors(many, tmp_path):
    bad_dir = tmp_path / "mixed"
    shutil.copytree(many / "batch-0", bad_dir / "a")
    (bad_dir / "b-broken.yaml").write_text("project: [\n", encoding="utf-8")
    (bad_dir / "c-invalid.yaml").write_text("schema_version: 1\nproject: {id: X}\n", encoding="utf-8")
    one = run_cli("check", bad_dir, "--jobs", "1", "--lang", "en")
    three = run_cli("check", bad_dir, "--jobs", "3", "--lang", "en")
    assert one.returncode == three.returncode == 2
    assert one.stdout == three.stdout == ""
    assert one.stderr == three.stderr and "b-broken.yaml:2:1" in one.stderr and "c-invalid.yaml" in one.stderr
    baseline = run_cli("baseline", bad_dir, "--jobs", "2", "--output", tmp_path / "b.json")
    assert baseline.returncode == 2 and not (tmp_path / "b.json").exists()


def test_progress_bar_only_on_a_terminal(many):
    import pty

    assert run_cli("check", many).stderr == ""  # a pipe: no progress bar
    master, slave = pty.openpty()
    exe = Path(sys.executable).parent / "renovcheck"
    try:
        proc = subprocess.run([str(exe), "check", str(many), "--jobs", "2", "--format", "json"], stdout=subprocess.PIPE,
                              stderr=slave, timeout=120)
        os.close(slave)
        slave = None
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    assert proc.returncode == 1 and json.loads(proc.stdout)["summary"]["dossiers"] == 24
    text = seen.decode("utf-8", "replace")
    assert "\r[" in text and "] 24/24" in text


def test_progress_class_draws_and_clears(monkeypatch):
    monkeypatch.delenv("CI", raising=False)  # in a CI log the bar becomes a line every 10 %
    from checker.check.batch import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    bar = Progress(4, stream, width=8)
    for done in range(1, 5):
        bar.update(done)
    bar.close()
    out = stream.getvalue()
    assert "\r[##......] 1/4" in out and "\r[########] 4/4" in out and out.endswith("\r")
    quiet = io.StringIO()
    Progress(4, quiet).update(2)
    assert quiet.getvalue() == ""


def test_streamed_json_writes_no_file_when_a_late_dossier_is_unreadable(cli, tmp_path):
    import shutil
    from tests.conftest import SAMPLES

    for name in ("a.json", "b.json", "c.json"):
        shutil.copy(SAMPLES / "zaoyuan.json", tmp_path / name)
    (tmp_path / "z-broken.yaml").write_text("project: [\n", encoding="utf-8")
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    res = cli("check", tmp_path, "--format", "json", "--output", target)
    assert res.returncode == 2 and res.stdout == ""
    assert list(target.parent.iterdir()) == []
