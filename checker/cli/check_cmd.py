"""``renovcheck check``: dossiers in, a report and an exit code out."""
from __future__ import annotations

import sys

import click

from checker import rulebook as rb
from checker.cli.common import EXIT_GAPS, EXIT_OK, emit, guarded, lang_option
from checker.errors import EngineError, InputError, Problem
from checker.pipeline import Checker, discover
from checker.report import FORMATS, ReportContext, formatter
from checker.yamlload import Limits


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="输出格式 / output format")
@lang_option
@click.option("--fail-on", type=click.Choice(["shall", "should", "may"]), default="shall", show_default=True,
              help="达到该强度的 fail/missing 计为差距 / fail and missing at or above this force are gaps")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="写入文件而非标准输出 / write to a file")
@click.option("--encoding", help="档案文件的编码(默认 UTF-8)/ encoding of dossier files (default UTF-8)")
@click.option("--max-bytes", type=click.IntRange(1), default=Limits.max_bytes, show_default=True, help="单个文件大小上限 / file size limit")
@guarded
def check(paths, fmt, lang, fail_on, output, encoding, max_bytes):
    """检查档案 / Check project dossiers (files or directories) against the Chapter 7 rules.

    Exit codes: 0 no gaps, 1 gaps, 2 unreadable or invalid input.
    """
    files = discover(paths)
    if not files:
        raise InputError([Problem(" ".join(paths), "input.no_dossiers")])
    book = rb.load()
    checker = Checker(book, Limits(max_bytes=max_bytes), encoding)
    results, problems = [], []
    for path, display in files:
        try:
            results.append(checker.check_file(path, display))
        except InputError as exc:
            problems.extend(exc.problems)
        except EngineError as exc:
            exc.file = display
            raise
    if problems:
        # No report at all: a partial one could be read as a verdict on the files that were unreadable.
        raise InputError(problems)
    ctx = ReportContext(book, lang, fail_on)
    emit(formatter(fmt).render(results, ctx), output)
    sys.exit(EXIT_GAPS if any(r.gaps(fail_on) for r in results) else EXIT_OK)
