"""The bench generator writes dossiers the reviewer's gate accepts, so benches measure checking, not refusals."""
import sys
from pathlib import Path

from click.testing import CliRunner

from checker.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import generate  # noqa: E402


def test_generated_dossiers_pass_the_report_date_gate(tmp_path):
    generate.write(tmp_path, 60)
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--format", "concise",
                                       "--as-of", generate.LATEST_REPORT_DATE.isoformat()])
    assert result.exit_code in (0, 1), result.output  # 2 would mean the gate refused a generated dossier
    assert "report_date" not in result.output
