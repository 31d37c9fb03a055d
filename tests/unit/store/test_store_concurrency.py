"""Two runs writing into one store at once (two CI jobs) both land: no row lost, none duplicated. Real processes,
started together on a store that does not exist yet (so they also race to create it), on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli
from tests.unit.store.store_backends import backends

ROOT = Path(__file__).resolve().parents[3]
RUNS, DOSSIERS, RULES = 25, 4, 60

WRITER = r"""
import os, sys, time, uuid
from checker.store import open_store
target, start, tag = sys.argv[1], float(sys.argv[2]), sys.argv[3]
while time.time() < start:
    time.sleep(0.005)
store = open_store(target, write=True)
for n in range({runs}):
    run = {{"run_uuid": str(uuid.uuid4()), "recorded_at": "2026-01-01T00:00:00+00:00", "as_of": "2026-01-01",
           "as_of_source": "option", "tool_version": "t", "rulebook_version": "t", "rulebook_sha256": "0" * 64,
           "profile_name": tag, "profile_sha256": None, "parameters": "{{}}", "fail_on": "shall",
           "waivers_file": None, "waivers_sha256": None, "evidence_verified": False, "selection": None}}
    run["dossiers"] = [{{
        "seq": d, "as_of": "2026-01-01", "file": f"{{tag}}-{{n}}-{{d}}.yaml", "file_sha256": "0" * 64,
        "project_id": f"{{tag}}-{{d}}", "project_name": tag, "district": "通州区", "phase": "operating",
        "construction_end": None, "evaluation_due": None, "mode_declared": None, "mode_recommended": None,
        "modes_fitting": "[]", "satisfaction_rate": None, "facility_use_rate": None, "evaluation": "{{}}",
        "outcomes": [{{"rule_id": f"R-{{r:02d}}", "dimension": "construction", "force": "shall",
                      "outcome": "fail" if r % 3 == 0 else "pass", "path": "x", "field_values": None,
                      "missing": None}} for r in range({rules})],
        "waivers": []}} for d in range({dossiers})]
    store.record([run])
store.close()
""".format(runs=RUNS, dossiers=DOSSIERS, rules=RULES)


def _count(target: str) -> dict:
    from sqlalchemy import func, select

    from checker.store import open_store
    from checker.store import tables as t

    store = open_store(target, write=False)
    try:
        with store.reading() as connection:
            return {
                "runs": connection.execute(select(func.count()).select_from(t.run)).scalar(),
                "uuids": connection.execute(select(func.count(func.distinct(t.run.c.run_uuid)))).scalar(),
                "per_writer": dict(connection.execute(select(t.run.c.profile_name, func.count())
                                                      .group_by(t.run.c.profile_name)).all()),
                "dossiers": connection.execute(select(func.count()).select_from(t.dossier_run)).scalar(),
                "files": connection.execute(select(func.count(func.distinct(t.dossier_run.c.file)))).scalar(),
                "outcomes": connection.execute(select(func.count()).select_from(t.outcome)).scalar(),
            }
    finally:
        store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_writers_both_land(backend, tmp_path):
    target = backends(tmp_path)[backend]()
    start = time.time() + 1.5  # both import SQLAlchemy first, then begin together
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, target, str(start), tag], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for tag in ("a", "b")]
    for writer in writers:
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err
    counts = _count(target)
    assert counts == {"runs": 2 * RUNS, "uuids": 2 * RUNS, "per_writer": {"a": RUNS, "b": RUNS},
                      "dossiers": 2 * RUNS * DOSSIERS, "files": 2 * RUNS * DOSSIERS,
                      "outcomes": 2 * RUNS * DOSSIERS * RULES}


def test_two_checks_record_at_once(tmp_path):
    """The same through the command line: two `check --store` runs of the sample batch started together."""
    store = tmp_path / "shared.db"
    exe = Path(sys.executable).parent / "renovcheck"
    args = [str(exe), "check", str(SAMPLES), "--as-of", "2025-12-31", "--format", "json", f"--store={store}"]
    checks = [subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for check in checks:
        _out, err = check.communicate(timeout=240)
        assert check.returncode == 1, err  # the samples have gaps
    from checker.rulebook import rules as rb

    counts = _count(str(store))
    samples = len(list(SAMPLES.iterdir()))
    assert (counts["runs"], counts["uuids"], counts["dossiers"]) == (2, 2, 2 * samples)
    assert counts["outcomes"] == 2 * samples * len(rb.load().rules)
    history = run_cli("history", "TZ-YQNL-2024", "--store", store, "--format", "json")
    assert history.returncode == 0 and history.stdout.count('"as_of": "2025-12-31"') == 2
