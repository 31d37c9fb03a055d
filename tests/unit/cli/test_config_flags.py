"""``renovcheck config`` takes the flags of ``check`` it explains and shows them as given on the command line:
they beat the configuration file there as in ``check``; each reads as ``check`` reads it (the same Option)."""
import json

import pytest
from click.testing import CliRunner

from checker.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".renovcheck.yaml").write_text("fail-on: may\nselect: [OPS]\n", encoding="utf-8")
    return tmp_path


def _settings(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["settings"]


def test_flags_are_shown_as_given_on_the_command_line_and_beat_the_file(here):
    s = _settings(invoke("config", "--format", "json", "--fail-on", "宜", "--select", "CON,EVA", "--exit-zero",
                         "--jobs", "2", "--report", "sarif=out.sarif"))
    assert s["fail-on"] == {"value": "should", "source": "flag"}  # the guide's word, read as check reads it
    assert s["select"] == {"value": ["CON", "EVA"], "source": "flag"}
    assert s["exit-zero"] == {"value": True, "source": "flag"} and s["jobs"] == {"value": 2, "source": "flag"}
    assert s["reports"] == {"value": ["sarif=out.sarif"], "source": "flag"}
    assert s["format"] == {"value": "text", "source": "default"}  # --format is config's own output format
    assert _settings(invoke("config", "--format", "json"))["fail-on"] == {"value": "may", "source": "config"}


def test_lang_is_a_check_flag_too_and_the_text_names_the_command_line(here):
    result = invoke("config", "--lang", "en", "--ignore", "CON-01")
    assert result.exit_code == 0, result.output
    assert "  lang           en  (command line)" in result.stdout
    assert "  ignore         CON-01  (command line)" in result.stdout
    assert "  fail-on        may  (configuration file" in result.stdout


def test_a_value_check_refuses_is_refused_here(here):
    result = invoke("config", "--fail-on", "maybe")
    assert result.exit_code == 2 and "maybe" in result.output
    assert invoke("config", "--encoding", "gbk").exit_code == 2  # not a setting config explains
