"""What the commands share: the --lang option, error handling with exit code 2, and writing output whole (the
safety of ``--output`` itself is in checker/cli/output.py)."""
from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, NoReturn, ParamSpec, TypeVar

import click

from checker.check import signals
from checker.cli import output
from checker.engine.compiler import CompileError
from checker.check.config import FORCE_WORDS
from checker.check.pipeline import discover
from checker.model.errors import EngineError, InputError, Problem
from checker.i18n.messages import text
from checker.text import inert
from checker.inputs.yamlload import Limits

if TYPE_CHECKING:
    from checker.check.review import Gate
    from checker.rulebook.rules import Rulebook

P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., object])

EXIT_OK, EXIT_GAPS, EXIT_ERROR = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports it
EXIT_INTERRUPTED, EXIT_TERMINATED = signals.EXIT_INTERRUPTED, signals.EXIT_TERMINATED

lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           help="报告语言 / language of messages")


def fail(message: str, code: int | None = None) -> NoReturn:
    """End the command: the message on stderr (each line made inert: it may quote a dossier), exit 2."""
    click.echo(inert.lines(message), err=True)
    sys.exit(EXIT_ERROR if code is None else code)


def input_paths() -> list[str]:
    """Every path the command reads, as given on the command line: ``--output`` may be none of them."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return []
    paths = []
    for param in ctx.command.params:
        if param.name == "output" or not (isinstance(param.type, click.Path) or param.name in _PATH_OPTIONS):
            continue
        value = ctx.params.get(param.name)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str) and item != "-":
                paths.append(item)
    return paths


# options that take a file path but are not typed click.Path (a profile is a bundled name or a path)
_PATH_OPTIONS = ("profile_file",)


def guarded(func: Callable[P, T]) -> Callable[P, T]:
    """Input and engine errors end the command with a located message and exit 2, never a traceback.

    ``--output`` is checked before the command runs (output.check_target); when the command ends with exit 2, an
    earlier report at that path is removed, so it cannot be read as this run's result. SIGINT exits 130 and SIGTERM
    143, without a traceback and without leaving a temporary file."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        lang = _text_param(kwargs, "lang") or "zh"
        output_path = _text_param(kwargs, "output")
        checked = None  # set once --output is known to be a safe target: only that may be removed after exit 2
        previous = signals.install()  # also when called in-process, without main()
        try:
            if output.is_site_target(output_path, _text_param(kwargs, "fmt") or ""):
                output.check_site_target(output_path, input_paths())  # a folder is replaced, never removed
            elif output_path and output_path != "-":
                output.check_target(output_path, input_paths())
                checked = output_path
            return func(*args, **kwargs)
        except output.OutputError as exc:
            fail(inert.line(exc.problem.render(lang)))
        except InputError as exc:
            refused = any(p.key.startswith("output.") for p in exc.problems)  # the output is an input: keep it
            _no_result(None if refused else checked, lang, "\n".join(inert.line(p.render(lang)) for p in exc.problems))
        except EngineError as exc:
            _no_result(checked, lang, text("engine.error_prefix", lang, file=getattr(exc, "file", "-"),
                                           detail=text(exc.key, lang, **exc.params)))
        except CompileError as exc:
            _no_result(checked, lang, text(exc.key, lang, **exc.params))
        except BrokenPipeError:  # the reader went away (`| head`): nobody gets a result, say nothing more
            _silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        except KeyboardInterrupt:
            fail(text("cli.interrupted", lang), EXIT_INTERRUPTED)
        except signals.Stopped as exc:
            fail(text("cli.interrupted", lang), exc.code)
        except SystemExit as exc:
            if exc.code == EXIT_ERROR and output.discard_stale(checked):  # a command's own fail(): no result either
                click.echo(inert.line(f"{inert.file_name(checked)}: {text('output.stale_removed', lang)}"), err=True)
            raise
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug of ours: still no traceback unless asked for
            if os.environ.get("RENOVCHECK_DEBUG"):
                raise
            _no_result(checked, lang, f"renovcheck: internal error / 内部错误: {type(exc).__name__}: {exc} "
                                      "(RENOVCHECK_DEBUG=1 shows the traceback)")
        finally:
            signals.restore(previous)

    return wrapper


def _text_param(params: Mapping[str, object], name: str) -> str | None:
    """A parameter of whichever command ``guarded`` wraps, when the command has it and it is set."""
    value = params.get(name)
    return value if isinstance(value, str) else None


def _silence_stdout() -> None:
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _no_result(checked: str | None, lang: str, message: str) -> NoReturn:
    """Exit 2: the message, and no report of an earlier run left at --output to be taken for this one."""
    if output.discard_stale(checked):
        message += "\n" + inert.line(f"{inert.file_name(checked)}: {text('output.stale_removed', lang)}")
    fail(message)


def emit(document: str, output_path: str | None, fmt: str = "text") -> None:
    """Write the whole document at once: to stdout, or atomically to a file (see checker/cli/output.py)."""
    emit_streamed(lambda write: write(document), output_path, fmt=fmt)


def emit_rendered(document: str | bytes, output_path: str | None, fmt: str = "text") -> None:
    """What a formatter rendered: text to stdout or a file, a binary document (a workbook) only to a file."""
    if isinstance(document, bytes):
        emit_binary(document, output_path, fmt)
    else:
        emit(document, output_path, fmt)


def emit_binary(document: bytes, output_path: str | None, fmt: str) -> None:
    """A binary document (a workbook): only to a file named with --output, never onto a terminal."""
    if not output_path or output_path == "-":
        fail(text("cli.binary_needs_output", _lang(), fmt=fmt))
    output.write_file(lambda write: write(document), output_path, input_paths(), binary=True)


def _lang() -> str:
    ctx = click.get_current_context(silent=True)
    return (ctx.params.get("lang") if ctx is not None else None) or "zh"


def emit_streamed(produce: Callable[[output.Write], object], output_path: str | None,
                  finish: Callable[[], object] = lambda: None, fmt: str = "json") -> None:
    """Write a document that ``produce(write)`` makes piece by piece, in constant memory.

    It goes to a temporary file first; only when ``produce`` and then ``finish`` return without raising is it
    renamed to ``output_path`` or copied to stdout. So an error part-way (an unreadable dossier found late in a
    batch) leaves no output that could be read as a result.
    """
    if output_path and output_path != "-":
        output.write_file(produce, output_path, input_paths(), finish)
        return
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as handle:
        produce(handle.write)
        finish()
        handle.seek(0)
        output.write_stdout(lambda write: _copy(handle, write), human=fmt in output.HUMAN_FORMATS)


def _copy(handle: IO[str], write: output.Write) -> None:
    while True:
        piece = handle.read(1 << 16)
        if not piece:
            return
        write(piece)


as_of_option = click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD",
    help="审查判断日:据此判断期限是否已到、豁免是否过期(默认:运行当天)/ "
         "the judgement date: due dates and waiver expiry are decided at it (default: today)")
# deprecated alias of --as-of, kept so that existing CI scripts keep working; not shown in --help
today_option = click.option("--today", "today", metavar="YYYY-MM-DD", hidden=True)
waivers_option = click.option(
    "--waivers", "waivers_file", type=click.Path(dir_okay=False),
    help="审查方的豁免清单(JSON/YAML,见 renovcheck schema --name waivers);档案内写的豁免只算申请 / "
         "the reviewer's waiver list; waivers written in a dossier are only requests")
evidence_root_option = click.option(
    "--evidence-root", type=click.Path(file_okay=False),
    help="证明材料根目录:逐一核对档案引用的材料文件(存在、位于此目录内、SHA-256 一致),未通过的不计 / "
         "verify every evidence file under this folder (exists, inside it, sha256 matches); unverified evidence does not count")


def options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several click options (or groups of them) as one decorator, shown in --help in the order given."""

    def apply(func: F) -> F:
        for option in reversed(decorators):
            func = option(func)
        return func

    return apply


gate_options = options(as_of_option, today_option, waivers_option, evidence_root_option)  # check, baseline, diff


fail_on_option = click.option(
    "--fail-on", type=click.Choice(["shall", "should", "may", *FORCE_WORDS]), default="shall", show_default=True,
    callback=lambda ctx, param, value: FORCE_WORDS.get(value, value),
    help="达到该强度(应/宜/可)的 fail/missing 计为差距 / fail and missing at or above this force are gaps")
output_option = click.option(
    "--output", "-o", type=click.Path(),
    help="写入普通文件而非标准输出(原子写入;运行以退出码 2 结束时删除旧报告)/ "
         "write to a regular file instead of stdout (atomically; an earlier report is removed when the run exits 2)")
encoding_option = click.option("--encoding", help="档案文件的编码(默认 UTF-8)/ encoding of dossier files (default UTF-8)")
max_bytes_option = click.option("--max-bytes", type=click.IntRange(1), default=Limits.max_bytes, show_default=True,
                                help="单个文件大小上限 / file size limit")
profile_option = click.option(
    "--profile", "profile_file",
    help="配置文件或内置配置名,覆盖参数和强度 / profile file or bundled profile name overriding parameters and forces")

# how dossiers are read and which profile judges them: check, diff, baseline, recommend
dossier_options = options(encoding_option, max_bytes_option, profile_option)

report_options = options(lang_option, fail_on_option, output_option, dossier_options)  # check, diff

jobs_option = click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
                           help="并行进程数;结果与 --jobs 1 完全相同 / worker processes; output identical to --jobs 1")


def load_rulebook(profile_file: str | None) -> Rulebook:
    """The rulebook with the profile in force: set before anything is compiled, since parameters are compiled in."""
    from checker.rulebook import profiles
    from checker.rulebook import rules as rb

    book = rb.load()
    if profile_file:
        book.profile = profiles.load_profile(profile_file, book)
    return book


def dossier_files(paths: Sequence[str], exclude: Iterable[str | None]) -> list[tuple[str, str]]:
    """(file, shown name) of every dossier under ``paths`` (checker.check.pipeline.discover); none is an input
    error."""
    files = discover(paths, exclude=exclude)
    if not files:
        raise InputError([Problem(" ".join(paths), "input.no_dossiers")])
    return files


def check_as_of(as_of: str | None, lang: str) -> None:
    """A judgement date given on the command line must be a date (exit 2 otherwise)."""
    from checker.check import review

    if as_of is not None and not review.parse_date(as_of):
        fail(text("cli.bad_as_of", lang, value=as_of))


def check_evidence_root(evidence_root: str | None, lang: str) -> None:
    if evidence_root is not None and not os.path.isdir(evidence_root):
        fail(text("cli.bad_evidence_root", lang, value=evidence_root))


def resolve_gate(lang: str, as_of: str | None, today: str | None, waivers_file: str | None,
                 evidence_root: str | None, book: Rulebook) -> Gate:
    """The reviewer's inputs as Checker arguments: the judgement date (validated; read once per run), the waiver
    file (loaded against the rulebook as the profile leaves it) and the evidence root."""
    from checker.check import review
    from checker.check import waivers as waiver_mod

    if today is not None:
        click.echo(text("cli.today_deprecated", lang), err=True)
        as_of = as_of if as_of is not None else today
    check_as_of(as_of, lang)
    check_evidence_root(evidence_root, lang)
    return {"as_of": review.as_of(as_of),
            "waivers": waiver_mod.load(waivers_file, book) if waivers_file else None,
            "evidence_root": evidence_root}
