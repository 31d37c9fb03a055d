"""rules/ and schemas/ travel inside the wheel, so an installed renovcheck works from any directory."""
import subprocess
import sys
import zipfile

from tests.conftest import ROOT


def test_wheel_contains_rules_and_schemas(tmp_path):
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
                              str(ROOT)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    (wheel,) = tmp_path.glob("renovcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("checker/_data/rules/rulebook.yaml", "checker/_data/rules/construction.yaml",
                     "checker/_data/schemas/dossier.schema.json", "checker/_data/schemas/rule.schema.json"):
        assert expected in names
