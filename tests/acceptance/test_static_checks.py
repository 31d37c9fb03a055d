"""ruff and mypy are part of the test command (issue 11 §4): both run from this interpreter's environment (the
``test`` extra installs them) with the configuration in pyproject.toml, and must report nothing.

mypy checks all of checker/ with ``disallow_untyped_defs`` (no layer exempt). A missing tool fails the run: it is a dependency of the tests, not an option.
"""
import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-cache", "checker", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = _run("mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_the_typed_layers_really_require_annotations(tmp_path):
    """The configuration is what makes the mypy test mean something: an unannotated function in checker/ is an
    error, and no layer is exempt (the override of the layers not yet typed is gone, issue 11 §4)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # tomllib is 3.11+, the project runs on 3.10
    mypy = text[text.index("[tool.mypy]"):]
    assert "disallow_untyped_defs = true" in mypy and 'files = ["checker"]' in mypy
    assert "ignore_errors" not in mypy
    probe = tmp_path / "probe.py"
    probe.write_text("def f(x):\n    return x\n", encoding="utf-8")
    result = _run("mypy", "--no-incremental", "--cache-dir", "/dev/null", "--disallow-untyped-defs", str(probe))
    assert result.returncode == 1 and "no-untyped-def" in result.stdout
