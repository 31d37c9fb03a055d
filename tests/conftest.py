import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_projects"
GUIDE = ROOT.parent / "shared" / "guide" / "ch7-interpretation.zh.txt"


@pytest.fixture(scope="session")
def rulebook():
    from checker.rulebook import rules as rb

    return rb.load()


@pytest.fixture(scope="session")
def checker(rulebook):
    from checker.check.pipeline import Checker

    return Checker(rulebook)


def documentation() -> str:
    """The README and the pages under docs/ (not the generated rule pages), as one text: what the docs promise."""
    pages = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
    return "\n".join(p.read_text(encoding="utf-8") for p in pages)


def skip_unless_ci(reason: str):
    """Skip a test whose resource is absent, except in CI (CI=true), where an absent resource is a missing install
    step and must fail the run rather than hide it."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI: {reason}", pytrace=False)
    pytest.skip(reason)


def run_cli(*args, cwd=None, env=None, timeout=60):
    """The installed console script, as a user runs it (a fresh process each time)."""
    exe = Path(sys.executable).parent / "renovcheck"
    # without CI unless a test asks for it: under CI=true a batch writes progress lines on stderr (a CI log)
    full_env = dict({k: v for k, v in os.environ.items() if k != "CI"}, **(env or {}))
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=full_env, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli
