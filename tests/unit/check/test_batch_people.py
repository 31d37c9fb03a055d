"""Issue 12 §2: progress on stderr for batches (terminal: count, rate, ETA; CI log: a line every 10 %; nothing for
one dossier) and the batch text report that opens with the table and details only the dossiers with gaps."""
import io

from click.testing import CliRunner

from checker.cli import cli as main
from tests.conftest import SAMPLES


def test_progress_in_a_ci_log_is_a_line_every_tenth(monkeypatch):
    from checker.check.batch import Progress

    monkeypatch.setenv("CI", "true")
    now = [0.0]
    log = io.StringIO()
    progress = Progress(20, log, lang="en", clock=lambda: now[0])
    for done in range(1, 21):
        now[0] = done * 0.5
        progress.update(done)
    progress.close()
    lines = log.getvalue().splitlines()
    assert len(lines) == 10 and "\r" not in log.getvalue()
    assert lines[0] == "checked 2/20 (10%), 2.0/s, about 0:09 left"
    assert lines[-1] == "checked 20/20 (100%), 2.0/s, about 0:00 left"
    monkeypatch.delenv("CI")
    quiet = io.StringIO()
    Progress(20, quiet).update(10)
    assert quiet.getvalue() == ""  # a pipe outside CI: nothing


def test_progress_on_a_terminal_shows_rate_and_eta():
    from checker.check.batch import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    now = [0.0]
    stream = Tty()
    bar = Progress(4, stream, width=4, lang="zh", clock=lambda: now[0])
    now[0] = 2.0
    bar.update(1)
    assert "\r[#...] 1/4  每秒 0.5 份,还需约 0:06" in stream.getvalue()
    one = Tty()
    Progress(1, one).update(1)
    assert one.getvalue() == ""  # a single dossier: no progress


def test_cli_batch_progress_lines_under_ci_and_none_for_one_dossier():
    runner = CliRunner(env={"CI": "true"})
    batch = runner.invoke(main, ["check", str(SAMPLES), "--format", "json"])
    lines = [line for line in batch.stderr.splitlines() if line.startswith("已检查")]
    assert len(lines) == 4 and lines[-1].startswith("已检查 4/4 份(100%)")
    single = runner.invoke(main, ["check", str(SAMPLES / "zaoyuan.json"), "--format", "json"])
    assert single.stderr == ""


def test_batch_text_opens_with_the_table_and_details_only_gaps():
    runner = CliRunner()
    out = runner.invoke(main, ["check", str(SAMPLES), "--lang", "en", "--as-of", "2025-08-31"]).stdout.splitlines()
    assert out[4] == "All dossiers, worst first (--fail-on shall)"
    table_end = out.index("4 dossiers, 3 with gaps")
    details = out[table_end:]
    assert not any("yuqiao-nanli" in line for line in details[:-1])  # no gap: in the table only
    assert not any(" pass  " in line for line in details)  # passes are not detailed
    assert details[-1].startswith("Details above: only the dossiers with gaps") and "1 dossiers without gaps" in details[-1]
    full = runner.invoke(main, ["check", str(SAMPLES), "--lang", "en", "--details", "all"]).stdout
    assert "Dossier sample_projects/yuqiao-nanli.yaml" in full.replace(str(SAMPLES), "sample_projects") and " pass  " in full


def test_zh_text_names_fields_by_their_label():
    out = CliRunner().invoke(main, ["check", str(SAMPLES / "gucheng-nanlu.yaml")]).stdout
    assert "字段: 提前告知施工计划·完成或开始日期 construction.plan_notice.date" in out or \
        "提前告知施工计划·完成或开始日期 construction.plan_notice.date" in out
