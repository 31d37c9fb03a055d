"""The pre-commit hook definition and the example CI workflows: well-formed, and their commands work."""
import re
import shlex

import yaml

from tests.conftest import ROOT, SAMPLES


def test_pre_commit_hooks_are_well_formed_and_select_dossiers():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["renovcheck", "renovcheck-markdown"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["entry"].startswith("renovcheck check") and hook["language"] == "python"
        files = re.compile(hook["files"])
        assert files.search("dossiers/gucheng.yaml") and files.search("projects/dossier/a.json")
        assert not files.search(".github/workflows/ci.yml") and not files.search("dossiers/readme.md")


def _check_commands(script: str):
    for line in script.splitlines():
        line = line.strip().lstrip("- ").strip()
        if line.startswith("renovcheck check"):
            yield shlex.split(line.split("||")[0].split(">>")[0])


def test_example_workflows_parse_and_their_commands_run(cli, tmp_path):
    github = yaml.safe_load((ROOT / ".ci" / "examples" / "github-actions.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((ROOT / ".ci" / "examples" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["dossiers"]["steps"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    assert gitlab["renovcheck"]["artifacts"]["reports"]["junit"] == "renovcheck-junit.xml"
    scripts = [s["run"] for s in steps if "run" in s] + ["\n".join(gitlab["renovcheck"]["script"])]
    env = {"$DOSSIERS": str(SAMPLES), "$RENOVCHECK_ARGS": github["env"]["RENOVCHECK_ARGS"]}
    commands = [c for script in scripts for c in _check_commands(script)]
    assert len(commands) >= 6
    formats = set()
    unique = {tuple(c): c for c in commands}.values()
    for argv in unique:
        expanded = []
        for arg in argv[2:]:
            expanded += env[arg].split() if arg in env else [arg]
        if "--output" in expanded:
            i = expanded.index("--output")
            expanded[i + 1] = str(tmp_path / expanded[i + 1])
        res = cli("check", *expanded)
        assert res.returncode == 1, (argv, res.stderr)
        formats.add(expanded[expanded.index("--format") + 1])
    assert formats == {"sarif", "html", "markdown", "github", "junit"}
    assert (tmp_path / "renovcheck.sarif").exists() and (tmp_path / "renovcheck-junit.xml").exists()
