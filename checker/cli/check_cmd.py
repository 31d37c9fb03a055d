"""``renovcheck check``: dossiers in, a report and an exit code out."""
from __future__ import annotations

import sys

import click

from checker import batch
from checker import baseline as bl
from checker import profiles
from checker import rulebook as rb
from checker.cli.common import (
    EXIT_GAPS, EXIT_OK, emit, emit_streamed, encoding_option, fail_on_option, gate_options, guarded, jobs_option,
    lang_option, max_bytes_option, output_option, profile_option, resolve_gate,
)
from checker.errors import InputError, Problem
from checker.pipeline import discover
from checker.review import ProjectIds
from checker.report import FORMATS, ReportContext, formatter, is_failing, json_format
from checker.yamlload import Limits


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="输出格式 / output format")
@lang_option
@fail_on_option
@output_option
@encoding_option
@max_bytes_option
@profile_option
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="只对不在基线中的差距判为失败 / fail only on gaps not in this baseline file")
@gate_options
@jobs_option
@guarded
def check(paths, fmt, lang, fail_on, output, encoding, max_bytes, profile_file, baseline_file, as_of, today,
          waivers_file, evidence_root, jobs):
    """检查档案 / Check project dossiers (files or directories) against the Chapter 7 rules.

    Exit codes: 0 no gaps (with --baseline: no new gaps), 1 gaps, 2 unreadable or invalid input.
    """
    files = discover(paths, exclude=output)
    if not files:
        raise InputError([Problem(" ".join(paths), "input.no_dossiers")])
    book = rb.load()
    if profile_file:
        book.profile = profiles.load_profile(profile_file, book)  # before compiling: parameters are compiled in
    known = bl.load(baseline_file, fail_on, bl.profile_identity(book)) if baseline_file else None
    gate = resolve_gate(lang, as_of, today, waivers_file, evidence_root, book)
    ctx = ReportContext(book, lang, fail_on)
    if book.profile is not None:
        ctx.profile_name, ctx.overrides = book.profile.name, book.profile.overrides()
        ctx.profile_changes = book.profile.changes(book)
        if ctx.profile_changes or ctx.profile_name != "default":  # the guide as written needs no fingerprint
            ctx.profile_sha256 = book.profile.sha256
    ctx.set_gate(gate)
    settings = (files, book, Limits(max_bytes=max_bytes), encoding, gate)
    if fmt == "json" and known is None:
        sys.exit(_check_streamed(settings, jobs, ctx, output))
    # every file is read; any unreadable one means no report at all (batch.run raises with all their problems)
    results = batch.run(*settings, jobs)
    ProjectIds().check(results)
    if known is not None:
        ctx.baseline = bl.compare(results, known, fail_on)
    emit(formatter(fmt).render(results, ctx), output, fmt)
    failing = any(is_failing(ctx, r, f) for r in results for f in r.findings)
    sys.exit(EXIT_GAPS if failing else EXIT_OK)


def _check_streamed(settings, jobs, ctx, output) -> int:
    """JSON for a batch of any size in constant memory: each dossier is written out as soon as it is checked."""
    problems: list = []
    failing = False
    ids = ProjectIds()

    def results():
        nonlocal failing
        for result in batch.iter_results(*settings, jobs, problems=problems):
            duplicate = ids.see(result)
            if duplicate is not None:
                problems.append(duplicate)
            failing = failing or any(is_failing(ctx, result, f) for f in result.findings)
            yield result

    def no_report_if_unreadable():
        if problems:
            raise InputError(problems)

    emit_streamed(lambda write: json_format.render_stream(results(), ctx, write), output, no_report_if_unreadable)
    return EXIT_GAPS if failing else EXIT_OK
