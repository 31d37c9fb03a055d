"""What the commands share: the --lang option, error handling with exit code 2, and writing output whole."""
from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile

import click

from checker.compiler import CompileError
from checker.errors import EngineError, InputError
from checker.messages import text
from checker.yamlload import Limits

EXIT_OK, EXIT_GAPS, EXIT_ERROR = 0, 1, 2

lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           help="报告语言 / language of messages")


def fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_ERROR)


def guarded(func):
    """Input and engine errors end the command with a located message and exit 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang", "zh")
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(exc.render(lang))
        except EngineError as exc:
            fail(text("engine.error_prefix", lang, file=getattr(exc, "file", "-"),
                      detail=text(exc.key, lang, **exc.params)))
        except CompileError as exc:
            fail(text(exc.key, lang, **exc.params))
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug of ours: still no traceback unless asked for
            if os.environ.get("RENOVCHECK_DEBUG"):
                raise
            fail(f"renovcheck: internal error / 内部错误: {type(exc).__name__}: {exc} (RENOVCHECK_DEBUG=1 shows the traceback)")

    return wrapper


def emit(document: str, output: str | None) -> None:
    """Write the whole document at once: to stdout, or atomically to a file."""
    if not output or output == "-":
        sys.stdout.write(document)
        sys.stdout.flush()
        return
    emit_streamed(lambda write: write(document), output)


def emit_streamed(produce, output: str | None, finish=lambda: None) -> None:
    """Write a document that ``produce(write)`` makes piece by piece, in constant memory.

    It goes to a temporary file first; only when ``produce`` and then ``finish`` return without raising is it
    renamed to ``output`` or copied to stdout. So an error part-way (an unreadable dossier found late in a batch)
    leaves no output that could be read as a result.
    """
    if not output or output == "-":
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as handle:
            produce(handle.write)
            finish()
            handle.seek(0)
            shutil.copyfileobj(handle, sys.stdout)
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(output))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".renovcheck-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            produce(handle.write)
        finish()
        # mkstemp creates the file 0600; a report gets the permissions any new file would get here.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


today_option = click.option(
    "--today", metavar="YYYY-MM-DD",
    help="判断豁免是否过期所用的日期(档案没有 project.dates.report_date 时;默认系统日期)/ "
         "date waivers are judged at when a dossier has no project.dates.report_date (default: the system date)")

fail_on_option = click.option(
    "--fail-on", type=click.Choice(["shall", "should", "may"]), default="shall", show_default=True,
    help="达到该强度的 fail/missing 计为差距 / fail and missing at or above this force are gaps")
output_option = click.option("--output", "-o", type=click.Path(dir_okay=False),
                             help="写入文件而非标准输出 / write to a file")
encoding_option = click.option("--encoding", help="档案文件的编码(默认 UTF-8)/ encoding of dossier files (default UTF-8)")
max_bytes_option = click.option("--max-bytes", type=click.IntRange(1), default=Limits.max_bytes, show_default=True,
                                help="单个文件大小上限 / file size limit")
profile_option = click.option(
    "--profile", "profile_file",
    help="配置文件或内置配置名,覆盖参数和强度 / profile file or bundled profile name overriding parameters and forces")

jobs_option = click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
                           help="并行进程数;结果与 --jobs 1 完全相同 / worker processes; output identical to --jobs 1")


def resolve_today(value: str | None, lang: str) -> tuple[str, str]:
    """``(date, source)`` for dossiers without a report_date: ``--today`` (validated), else the system date."""
    from datetime import date

    from checker import waivers

    if value is not None:
        try:
            if len(value) != 10:
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError:
            fail(text("cli.bad_today", lang, value=value))
    return waivers.resolve_today(value)
