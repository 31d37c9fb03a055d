"""Issue 10 §7–10 and issue 9 §7: output that cannot harm, inputs that fail closed, dossier text that stays inert,
bounded messages. Each harm the issue names is a test here: through the installed CLI in its own process where it is
about signals, the interpreter's stdout encoding, a file that could block the run or the time a run takes; the same
command line in-process otherwise."""
import errno
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import SAMPLES, invoke_cli, run_cli

SAMPLE = SAMPLES / "yuqiao-nanli.yaml"
EXE = Path(sys.executable).parent / "renovcheck"


def _dossier(**changes) -> dict:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    return data


def _write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _no_traceback(res):
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr


# --- §7 output that cannot harm ---------------------------------------------------------------------------------

def _refused(tmp_path, target, *extra, words=("不是普通文件",), own_process=False):
    dossier = shutil.copy(SAMPLE, tmp_path / "d.yaml")
    args = ("check", dossier, "--format", "json", "-o", target, *extra)
    # a FIFO could block the writer: in a process of its own, with a time limit
    res = run_cli(*args, timeout=20) if own_process else invoke_cli(*args)
    assert res.returncode == 2, res.stderr
    _no_traceback(res)
    assert res.stdout == ""
    for word in words:
        assert word in res.stderr, res.stderr
    return res


def test_output_refuses_a_fifo_without_blocking_or_replacing_it(tmp_path):
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    _refused(tmp_path, fifo, words=("命名管道", "未写入"), own_process=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_refuses_a_symlink_and_leaves_link_and_target_alone(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    _refused(tmp_path, link, "--lang", "en", words=("symbolic link", "nothing written"))
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep me"


def test_output_refuses_a_directory_in_both_languages(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    _refused(tmp_path, folder, words=("文件夹",))
    _refused(tmp_path, folder, "--lang", "en", words=("directory",))
    assert folder.is_dir()


def test_output_refuses_a_socket(tmp_path):
    path = tmp_path / "report.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        _refused(tmp_path, path, words=("套接字",))
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_output_refuses_a_device_node(tmp_path):
    """As root in CI, ``-o /dev/null`` used to replace the node with a regular file. A copy of that node here."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        node = Path("/dev/null")  # not root: the real one cannot be replaced anyway, but it must still be refused
    _refused(tmp_path, node, words=("设备文件",))
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_output_that_is_the_dossier_is_refused_and_the_dossier_kept(tmp_path):
    dossier = shutil.copy(SAMPLE, tmp_path / "d.yaml")
    before = Path(dossier).read_bytes()
    for spelling in (dossier, tmp_path / "." / "d.yaml"):
        res = invoke_cli("check", dossier, "--format", "json", "-o", spelling)
        assert res.returncode == 2 and "输入文件之一" in res.stderr, res.stderr
        assert Path(dossier).read_bytes() == before
    hard = tmp_path / "hard.yaml"
    os.link(dossier, hard)  # the same file under another name is still the dossier
    res = invoke_cli("check", tmp_path, "-o", hard, "--lang", "en")
    assert res.returncode == 2 and "one of this run's input files" in res.stderr
    assert Path(dossier).read_bytes() == before


def test_output_that_is_the_recommend_dossier_is_refused(tmp_path):
    dossier = shutil.copy(SAMPLES / "zaoyuan.json", tmp_path / "z.json")
    before = Path(dossier).read_bytes()
    res = invoke_cli("recommend", dossier, "-o", dossier)
    assert res.returncode == 2 and "输入文件之一" in res.stderr
    assert Path(dossier).read_bytes() == before


def test_an_existing_report_keeps_its_mode(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o640)
    res = invoke_cli("check", SAMPLE, "--format", "json", "-o", out)
    assert res.returncode in (0, 1), res.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "renovcheck-report"


def test_a_missing_folder_is_a_clear_message(tmp_path):
    res = invoke_cli("check", SAMPLE, "-o", tmp_path / "no" / "such" / "report.txt")
    assert res.returncode == 2 and "所在的文件夹不存在" in res.stderr
    _no_traceback(res)


def _cli_in_process(monkeypatch, args):
    from checker.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("failure, words", [
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘已满"),
    (PermissionError(errno.EACCES, "Permission denied"), "只读或无权限"),
    (OSError(errno.EROFS, "Read-only file system"), "只读或无权限"),
])
def test_a_write_that_fails_keeps_the_old_report_and_leaves_no_temporary_file(tmp_path, monkeypatch, failure, words):
    """A full disk or a read-only folder cannot be made here for real (the suite may run as root): the failing
    system call is. The old report must stay byte for byte, with no temporary file beside it."""
    from checker.cli import output

    out = tmp_path / "report.json"
    out.write_text("the earlier report", encoding="utf-8")
    if failure.errno == errno.ENOSPC:
        def fsync(fd):
            raise failure
        monkeypatch.setattr(output.os, "fsync", fsync)
    else:
        def mkstemp(*args, **kwargs):
            raise failure
        monkeypatch.setattr(output.tempfile, "mkstemp", mkstemp)
    result = _cli_in_process(monkeypatch, ["check", SAMPLE, "--format", "json", "-o", out])
    assert result.exit_code == 2, result.output
    assert words in result.output and "内部错误" not in result.output
    assert out.read_text(encoding="utf-8") == "the earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.parametrize("fmt", ["sarif", "json", "junit", "text"])
def test_after_exit_2_the_output_never_holds_an_earlier_report(tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    good = shutil.copy(SAMPLE, tmp_path / "good.yaml")
    first = invoke_cli("check", good, "--format", fmt, "-o", out)
    assert first.returncode in (0, 1) and out.exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nproject: {id: [\n", encoding="utf-8")
    second = invoke_cli("check", good, bad, "--format", fmt, "-o", out, "--lang", "en")
    assert second.returncode == 2
    assert not out.exists(), "an earlier report stayed where CI would upload it"
    assert "removed the report of an earlier run" in second.stderr


def test_a_commands_own_refusal_also_removes_an_earlier_report(tmp_path):
    """A command that ends itself with fail() (a bad option value it checks) has no result either."""
    import click

    from checker.cli.common import fail, guarded, output_option

    @click.command()
    @output_option
    @guarded
    def refuses(output):
        fail("bad option value")

    out = tmp_path / "report.txt"
    out.write_text("an earlier report", encoding="utf-8")
    result = CliRunner().invoke(refuses, ["-o", str(out)])
    assert result.exit_code == 2 and not out.exists()


def test_the_ci_examples_never_upload_a_report_this_run_did_not_write():
    from tests.conftest import ROOT

    for name in ("github-actions.yml", "gitlab-ci.yml"):
        text = (ROOT / ".ci" / "examples" / name).read_text(encoding="utf-8")
        outputs = {line.split("--output ")[1].split()[0] for line in text.splitlines() if "--output " in line}
        assert outputs, name
        for report in outputs:
            first_write = min(i for i, line in enumerate(text.splitlines()) if f"--output {report}" in line)
            before = "\n".join(text.splitlines()[:first_write])
            assert "rm -f" in before and report in before.split("rm -f", 1)[1], (name, report)


def _big_batch(folder: Path, count: int) -> None:
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    original_id = yaml.safe_load(text)["project"]["id"]
    for i in range(count):
        (folder / f"d{i:04d}.yaml").write_text(text.replace(original_id, f"P{i:04d}"), encoding="utf-8")


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_mid_run_exits_cleanly_and_leaves_no_temporary_file(tmp_path, signum, code):
    dossiers = tmp_path / "many"
    _big_batch(dossiers, 600)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    # as from a terminal: a suite started as a shell's background job ignores SIGINT, and so would the run (rightly)
    proc = subprocess.Popen([str(EXE), "check", str(dossiers), "--format", "json", "-o", str(out_dir / "r.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 30
    while not any(out_dir.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # the report is being written into a temporary file: now is mid-run
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert "Traceback" not in err and ("已中断" in err)
    assert list(out_dir.iterdir()) == []


# --- §8 inputs that fail closed ---------------------------------------------------------------------------------

def _folder_with(tmp_path, make) -> tuple[Path, str]:
    folder = tmp_path / "dossiers"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.yaml")
    return folder, make(folder)


@pytest.mark.parametrize("make, words", [
    (lambda f: os.mkfifo(f / "pipe.yaml") or "pipe.yaml", "命名管道"),
    (lambda f: os.mkfifo(f / "notes") or "notes", "命名管道"),
    (lambda f: (f / "gone.yaml").symlink_to(f / "nowhere.yaml") or "gone.yaml", "符号链接"),
    (lambda f: (f / "loop.yaml").symlink_to(f / "loop.yaml") or "loop.yaml", "符号链接"),
])
def test_a_special_file_in_a_dossier_folder_is_exit_2_within_a_second(tmp_path, make, words):
    folder, name = _folder_with(tmp_path, make)
    res = run_cli("check", folder, "--format", "json", timeout=20)  # opening a FIFO would block until the limit
    assert res.returncode == 2 and res.stdout == ""
    assert name in res.stderr and words in res.stderr, res.stderr
    _no_traceback(res)


def test_a_socket_in_a_dossier_folder_is_exit_2(tmp_path):
    folder = tmp_path / "dossiers"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.yaml")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(folder / "s.yaml"))
        res = invoke_cli("check", folder, "--lang", "en")
    finally:
        server.close()
    assert res.returncode == 2 and "s.yaml" in res.stderr and "socket" in res.stderr


def test_a_fifo_named_on_the_command_line_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for command in (["check", fifo], ["recommend", fifo]):
        res = run_cli(*command, timeout=20)
        assert res.returncode == 2 and "命名管道" in res.stderr, res.stderr


def test_an_unreadable_folder_is_a_problem_not_a_skip(tmp_path, monkeypatch):
    """Root reads every folder, so the refusal of the operating system is what is simulated here."""
    from checker.check import pipeline
    from checker.model.errors import InputError

    folder = tmp_path / "dossiers"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "good.yaml")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(pipeline.os, "scandir", scandir)
    with pytest.raises(InputError) as caught:
        pipeline.discover([str(folder)])
    [problem] = caught.value.problems
    assert problem.file.endswith("locked") and problem.key == "input.unreadable_folder"
    assert "无法读取文件夹" in problem.render("zh")


def test_suffixes_match_in_any_case(tmp_path):
    from checker.check.pipeline import discover

    for name in ("a.YAML", "b.Yml", "c.JSON", "d.yaml", "e.txt", "f.Yaml.bak"):
        shutil.copy(SAMPLE, tmp_path / name)
    assert [Path(p).name for p, _ in discover([str(tmp_path)])] == ["a.YAML", "b.Yml", "c.JSON", "d.yaml"]


def test_symlinked_folders_are_followed_inside_the_root_only_and_loops_end(tmp_path):
    from checker.model.errors import InputError
    from checker.check.pipeline import discover

    root = tmp_path / "root"
    (root / "real").mkdir(parents=True)
    shutil.copy(SAMPLE, root / "real" / "a.yaml")
    (root / "alias").symlink_to(root / "real")  # inside: followed, but the same file counts once
    (root / "real" / "up").symlink_to(root)  # a loop
    assert [Path(p).name for p, _ in discover([str(root)])] == ["a.yaml"]
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SAMPLE, outside / "b.yaml")
    (root / "escape").symlink_to(outside)
    with pytest.raises(InputError) as caught:
        discover([str(root)])
    assert [p.key for p in caught.value.problems] == ["input.link_leaves_root"]


def test_the_runs_own_output_is_never_read_as_a_dossier(tmp_path):
    folder = tmp_path / "dossiers"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.yaml")
    for _ in range(2):  # the second run finds the first run's report in the folder
        res = invoke_cli("check", folder, "--format", "json", "-o", folder / "report.json")
        assert res.returncode in (0, 1), res.stderr
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        assert [d["file"] for d in report["dossiers"]] == [str(folder / "good.yaml")]


# --- §9 text from a dossier is inert everywhere -----------------------------------------------------------------

FORGED = "x\n::error file=README.md,line=1::FORGED"
BIDI = "abc\u202eevil\u2066"


def test_dossier_text_on_stderr_cannot_forge_a_workflow_command(tmp_path):
    path = _write(tmp_path / "d.yaml", _dossier(**{"project.district": FORGED + " ##[error]x \x1b[2J" + BIDI}))
    res = invoke_cli("check", path, "--lang", "en")
    assert res.returncode == 2 and "district" in res.stderr
    for line in res.stderr.splitlines():
        assert not line.lstrip().startswith("::") and "##[" not in line, line
    assert "\x1b" not in res.stderr and "\u202e" not in res.stderr and "\u2066" not in res.stderr
    assert "\\u202e" in res.stderr


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_reports_escape_bidi_and_defuse_workflow_commands(tmp_path, fmt):
    path = _write(tmp_path / "d.yaml", _dossier(**{"project.name": "##[error]forged " + BIDI + "\n::warning::x"}))
    res = invoke_cli("check", path, "--format", fmt)
    assert res.returncode in (0, 1), res.stderr
    assert "\u202e" not in res.stdout and "\u2066" not in res.stdout
    for line in res.stdout.splitlines():
        assert "##[" not in line
        if fmt == "text":
            assert not line.lstrip().startswith("::"), line


def test_markdown_puts_dossier_names_where_nothing_renders(tmp_path):
    name = "@octocat #12 https://evil.test www.evil.test"
    path = _write(tmp_path / "d.yaml", _dossier(**{"project.name": name}))
    res = invoke_cli("check", path, "--format", "markdown")
    assert res.returncode in (0, 1)
    assert f"`{name}`" in res.stdout  # a code span: no mention, reference or autolink renders in one
    outside = res.stdout.replace(f"`{name}`", "")
    assert "@octocat" not in outside and "#12" not in outside and "https://" not in outside


def test_md_breaks_mentions_references_and_links_in_any_text():
    from checker.text.inert import md

    shown = md("@team see #7, GH-8, https://x.test and www.x.test <b>*x*</b>")
    for live in ("@team", "#7", "GH-8", "https://", "www.", "<b>", "*x*"):
        assert live not in shown, live
    assert "\u2060" in shown and "&lt;b&gt;" in shown


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    raw = os.fsencode(str(folder)) + b"/caf\xe9.yaml"
    with open(raw, "wb") as handle:
        handle.write(SAMPLE.read_bytes())
    for fmt in ("json", "text", "markdown", "sarif", "junit", "html"):
        res = subprocess.run([str(EXE), "check", str(folder), "--format", fmt], capture_output=True, timeout=60)
        assert res.returncode in (0, 1), res.stderr
        out = res.stdout.decode("utf-8")  # valid UTF-8 whatever the name
        if fmt == "json":
            assert json.loads(out)["dossiers"][0]["file"].endswith("caf\\xe9.yaml")
        elif fmt in ("text", "markdown"):
            assert "caf\\xe9.yaml" in out, fmt


@pytest.mark.parametrize("command", [["check", SAMPLE], ["recommend", SAMPLES / "zaoyuan.json"]])
def test_a_stdout_that_is_not_utf8_never_crashes_a_run(command):
    env = dict(os.environ, PYTHONIOENCODING="latin-1")
    text = subprocess.run([str(EXE), *map(str, command)], capture_output=True, env=env, timeout=60)
    assert text.returncode in (0, 1), text.stderr
    assert b"\\u" in text.stdout  # what latin-1 cannot show is escaped, not a crash
    machine = subprocess.run([str(EXE), *map(str, command), "--format", "json"], capture_output=True, env=env,
                             timeout=60)
    assert machine.returncode in (0, 1), machine.stderr
    json.loads(machine.stdout.decode("utf-8"))  # machine formats are UTF-8 bytes


def test_recommend_text_and_markdown_keep_dossier_text_inert(tmp_path):
    data = json.loads((SAMPLES / "zaoyuan.json").read_text(encoding="utf-8"))
    data["project"]["name"] = FORGED + " " + BIDI + " @octocat"
    path = tmp_path / "z.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    text = invoke_cli("recommend", path)
    assert text.returncode == 0, text.stderr
    assert "\u202e" not in text.stdout
    assert all(not line.lstrip().startswith("::") for line in text.stdout.splitlines())
    markdown = invoke_cli("recommend", path, "--format", "markdown")
    assert "@octocat" not in markdown.stdout and "\u202e" not in markdown.stdout


# --- §10 bounds and one answer ----------------------------------------------------------------------------------

def test_a_list_of_199000_bad_items_gives_50_problems_and_stops(tmp_path):
    # the 60 s limit only catches a hang (validation once went through every error); speed is bench/'s business
    data = _dossier(**{"construction.plan_notice.channels": [0] * 199_000})
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    assert 350_000 < path.stat().st_size < 450_000
    res = run_cli("check", path, "--lang", "en", timeout=60)
    assert res.returncode == 2
    lines = res.stderr.splitlines()
    assert len(lines) == 51 and "more than" in lines[-1] and "more problems" in lines[-1], lines[-1]
    assert len(res.stderr) < 20_000


def test_the_count_of_further_problems_is_exact_when_small(tmp_path):
    from checker.schema import validation as schema
    from checker.inputs.yamlload import load_file

    data = _dossier(**{"construction.plan_notice.channels": [f"bad{i}" for i in range(60)]})  # 60 enum errors
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = schema.validate(load_file(str(path)))
    assert len(problems) == schema.MAX_PROBLEMS + 1
    assert problems[-1].key == "input.more_problems" and problems[-1].params["count"] == 60 - 50


@pytest.mark.parametrize("change, pointer", [
    ({"project.id": "TZ-YQNL-2024\n"}, "project/id"),
    ({"project.dates.construction_start": "0000-04-01"}, "project/dates/construction_start"),
])
def test_what_jsonschema_rs_refuses_is_refused_and_located(tmp_path, change, pointer):
    path = _write(tmp_path / "d.yaml", _dossier(**change))
    res = invoke_cli("check", path, "--lang", "en")
    assert res.returncode == 2, res.stdout
    assert f"{path}:" in res.stderr and pointer in res.stderr


def test_when_only_jsonschema_rs_has_an_answer_the_file_is_still_invalid(tmp_path, monkeypatch):
    from checker.schema import validation as schema
    from checker.inputs.yamlload import load_file

    class Wordless:
        def iter_errors(self, data):
            return iter(())

    monkeypatch.setattr(schema, "validator", lambda name: Wordless())
    path = _write(tmp_path / "d.yaml", _dossier(**{"community.households": "many"}))
    problems = schema.validate(load_file(str(path)))
    assert [p.key for p in problems] == ["schema.rejected"]
    assert problems[0].pointer == "community/households" and problems[0].line is not None


def test_json_with_surrogate_pair_escapes_loads(tmp_path):
    name = "测试😀𠀀小区"  # an emoji and a CJK Extension B character: json.dump writes both as surrogate pairs
    data = _dossier(**{"project.name": name})
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="ascii")
    assert "\\ud83d\\ude00" in path.read_text(encoding="ascii")
    res = invoke_cli("check", path, "--format", "json")
    assert res.returncode in (0, 1), res.stderr
    assert json.loads(res.stdout)["dossiers"][0]["project"]["name"] == name


def test_positions_after_a_surrogate_pair_are_the_files_own(tmp_path):
    from checker.inputs.yamlload import load_file

    path = tmp_path / "d.json"
    path.write_text('{"a": "\\ud83d\\ude00", "b": 1}', encoding="ascii")
    doc = load_file(str(path))
    assert doc.data == {"a": "😀", "b": 1}
    assert doc.positions[("b",)] == (1, path.read_text().index("1") + 1)


# --- issue 9 §7 input messages ----------------------------------------------------------------------------------

def test_a_bad_value_in_a_measure_is_one_message_about_that_value(tmp_path):
    path = _write(tmp_path / "d.yaml", _dossier(**{"construction.plan_notice.done": "yes"}))
    res = invoke_cli("check", path, "--lang", "en")
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "construction/plan_notice/done" in lines[0], lines
    assert "unknown field" not in res.stderr


@pytest.mark.parametrize("encoding, bom, expected", [
    ("utf-16-le", b"\xff\xfe", "UTF-16"),
    ("utf-16-be", b"", "UTF-16"),
    ("utf-32-le", b"", "UTF-32"),
    ("utf-32-be", b"\x00\x00\xfe\xff", "UTF-32"),
])
def test_utf16_and_utf32_are_named_not_called_binary(tmp_path, encoding, bom, expected):
    path = tmp_path / "d.yaml"
    path.write_bytes(bom + SAMPLE.read_text(encoding="utf-8").encode(encoding))
    zh = invoke_cli("check", path)
    en = invoke_cli("check", path, "--lang", "en")
    assert zh.returncode == en.returncode == 2
    assert f"不是 UTF-8 编码,看起来是 {expected}" in zh.stderr and "二进制" not in zh.stderr
    assert f"not UTF-8; it looks like {expected}" in en.stderr and "binary" not in en.stderr
    if bom:
        named = invoke_cli("check", path, "--encoding", expected.lower(), "--format", "json")
        assert named.returncode in (0, 1), named.stderr
