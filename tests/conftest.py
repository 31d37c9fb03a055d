import os
import subprocess
import sys
from dataclasses import dataclass
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
    """The installed console script, as a user runs it (a fresh process each time). For what only a real process
    shows: the exit status a signal or the console script gives, interpreter settings (hash seed, stdout encoding),
    terminals, time and memory limits. Everything else: the ``cli`` fixture, in-process."""
    exe = Path(sys.executable).parent / "renovcheck"
    # without CI unless a test asks for it: under CI=true a batch writes progress lines on stderr (a CI log)
    full_env = dict({k: v for k, v in os.environ.items() if k != "CI"}, **(env or {}))
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=full_env, timeout=timeout)


@dataclass(frozen=True)
class Ran:
    """What a test reads of a command's run, the same whether it ran in this process or in its own."""
    returncode: int
    stdout: str
    stderr: str


def invoke_cli(*args, cwd=None, env=None) -> Ran:
    """The same command line in this process, through click's CliRunner: exit code, stdout and stderr without a
    fresh interpreter's start-up each time (about 1 s, most of the suite's time when every command ran that way).
    An exception the command does not turn into a message reaches the test (in a real process: a traceback)."""
    from click.testing import CliRunner

    from checker.cli import cli as command

    if any(key.startswith("PYTHON") for key in env or {}):
        raise ValueError(f"{sorted(env)}: interpreter settings take effect in a new process only; use run_cli")
    # like run_cli: without CI unless a test asks for it (under CI=true a batch writes progress lines on stderr)
    runner = CliRunner(env={"CI": None, **(env or {})})
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(command, [str(a) for a in args], prog_name="renovcheck", catch_exceptions=False)
    finally:
        os.chdir(before)
        _forget_help_options(command)
    return Ran(result.exit_code, result.stdout, result.stderr)


def _forget_help_options(command) -> None:
    """click builds a command's --help option once, its help text in the language of that first run
    (checker/cli/click_texts.py); a process runs one command line, so the next in-process run starts without it."""
    command._help_option = None
    for sub in getattr(command, "commands", {}).values():
        _forget_help_options(sub)


@pytest.fixture(autouse=True)
def _fresh_help_options():
    """Tests that call click's CliRunner themselves, in any order and on any xdist worker, get a fresh --help too."""
    if "checker.cli" in sys.modules:
        _forget_help_options(sys.modules["checker.cli"].cli)


@pytest.fixture
def cli():
    """A command line run in-process (invoke_cli); tests that need a real process call run_cli."""
    return invoke_cli
