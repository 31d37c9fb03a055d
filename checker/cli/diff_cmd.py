"""``renovcheck diff OLD NEW``: what changed between two versions of one dossier."""
from __future__ import annotations

import os
import sys

import click

from checker import batch, profiles
from checker import diff as dossier_diff
from checker import rulebook as rb
from checker.cli.common import EXIT_GAPS, EXIT_OK, emit, fail, guarded, lang_option, resolve_today, today_option
from checker.messages import text
from checker.report import ReportContext
from checker.report import diff_report
from checker.yamlload import Limits


@click.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(diff_report.FORMATS), default="text", show_default=True,
              help="输出格式 / output format")
@lang_option
@click.option("--fail-on", type=click.Choice(["shall", "should", "may"]), default="shall", show_default=True,
              help="达到该强度的 fail/missing 计为差距 / fail and missing at or above this force are gaps")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="写入文件而非标准输出 / write to a file")
@click.option("--encoding", help="档案文件的编码(默认 UTF-8)/ encoding of dossier files (default UTF-8)")
@click.option("--max-bytes", type=click.IntRange(1), default=Limits.max_bytes, show_default=True, help="单个文件大小上限 / file size limit")
@click.option("--profile", "profile_file",
              help="配置文件或内置配置名,覆盖参数和强度 / profile file or bundled profile name overriding parameters and forces")
@today_option
@guarded
def diff(old, new, fmt, lang, fail_on, output, encoding, max_bytes, profile_file, today):
    """对比同一档案的两个版本 / Compare two versions of one dossier: gaps fixed, gaps introduced, outcomes changed.

    Exit codes: 0 no gap introduced, 1 the new version introduces gaps, 2 unreadable or invalid input.
    """
    for path in (old, new):
        if os.path.isdir(path):
            fail(f"{path}: {text('diff.not_a_file', lang)}")
    book = rb.load()
    if profile_file:
        book.profile = profiles.load_profile(profile_file, book)
    results = batch.run([(old, old), (new, new)], book, Limits(max_bytes=max_bytes), encoding,
                        resolve_today(today, lang))
    ctx = ReportContext(book, lang, fail_on)
    result = dossier_diff.compare(results[0], results[1], fail_on)
    emit(diff_report.render(result, ctx, fmt), output)
    sys.exit(EXIT_GAPS if result.introduced else EXIT_OK)
