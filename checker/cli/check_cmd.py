"""``renovcheck check``: dossiers in, a report and an exit code out."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import click

from checker.check import batch
from checker.check import baseline as bl
from checker.cli.gate_config import (
    StdinDossier, configured, no_stdin_mix, per_rule_statistics, run_options, select_rules,
)
from checker.cli import output
from checker.model.errors import InputError
from checker.cli.common import (
    EXIT_GAPS, EXIT_OK, dossier_files, emit, emit_rendered, emit_streamed, fail, gate_options, guarded, input_paths,
    jobs_option, load_rulebook, report_options, resolve_gate,
)
from checker.i18n.messages import text
from checker.text import inert
from checker.check.review import ProjectIds
from checker.report import BINARY_FORMATS, FORMATS, ReportContext, formatter, html_format, is_failing, json_format
from checker.inputs.yamlload import Limits

if TYPE_CHECKING:
    from checker.check.review import Gate
    from checker.model.findings import DossierResult
    from checker.rulebook.rules import Rulebook

# a batch as checker.check.batch takes it: (files, rulebook, limits, encoding, the reviewer's inputs)
BatchSettings = tuple[list[tuple[str, str]], "Rulebook", Limits, "str | None", "Gate"]


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="输出格式 / output format")
@report_options
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="只对不在基线中的差距判为失败 / fail only on gaps not in this baseline file")
@gate_options
@click.option("--store", "store", is_flag=False, flag_value="renovcheck.db", default=None, metavar="[URL]",
              help="把本次运行记入存储(默认 renovcheck.db;也可为 PostgreSQL URL;写在档案路径之后或用 --store=URL)/ "
                   "record this run in a store (default renovcheck.db, or a PostgreSQL URL; after the paths or as --store=URL)")
@click.option("--reviewer", help="审查人姓名,写在 HTML 报告的封面上 / the reviewer's name for the HTML cover page")
@jobs_option
@run_options
@configured
@guarded
def check(paths: tuple[str, ...], stdin_filename: str | None, **options: Any) -> NoReturn:
    """检查档案 / Check project dossiers (files or directories) against the Chapter 7 rules.

    Options left out are taken from the configuration file (renovcheck config shows which). PATH - reads one
    dossier from stdin. Exit codes: 0 no gaps (with --baseline: no new gaps; always with --exit-zero), 1 gaps,
    2 unreadable or invalid input.
    """
    fmt, output = options["fmt"], options["output"]
    if fmt in BINARY_FORMATS and (not output or output == "-"):
        fail(text("cli.binary_needs_output", options["lang"], fmt=fmt))
    no_stdin_mix(paths, options["lang"])
    if tuple(paths) == ("-",):
        with StdinDossier(stdin_filename) as files:
            _check(files, **options)
    files = dossier_files(paths, [options["output"]] + [path for _fmt, path in options["reports"]])
    _check(files, **options)


def _check(files: list[tuple[str, str]], fmt: str, lang: str, fail_on: str, output: str | None, encoding: str | None,
           max_bytes: int, profile_file: str | None, baseline_file: str | None, as_of: str | None, today: str | None,
           waivers_file: str | None, evidence_root: str | None, reviewer: str | None, store: str | None, jobs: int,
           reports: list[tuple[str, str]], select: tuple[str, ...], ignore: tuple[str, ...], exit_zero: bool,
           statistics: bool, details: str, docs_base_uri: str | None) -> NoReturn:
    book = load_rulebook(profile_file)
    known = bl.load(baseline_file, fail_on, bl.profile_identity(book)) if baseline_file else None
    gate = resolve_gate(lang, as_of, today, waivers_file, evidence_root, book)
    ctx = ReportContext(book, lang, fail_on)
    if book.profile is not None:
        ctx.profile_name, ctx.overrides = book.profile.name, book.profile.overrides()
        ctx.profile_changes = book.profile.changes(book)
        if ctx.profile_changes or ctx.profile_name != "default":  # the guide as written needs no fingerprint
            ctx.profile_sha256 = book.profile.sha256
    ctx.set_gate(gate)
    ctx.selection = select_rules(book, select, ignore, lang)  # after the waivers: they may name any rule
    ctx.details = details
    ctx.docs_base_uri = docs_base_uri
    ctx.reviewer = reviewer
    settings: BatchSettings = (files, book, Limits(max_bytes=max_bytes), encoding, gate)
    recorder = None
    if store:  # opened (and checked) before any dossier is: a store that cannot take the run ends it with exit 2
        from checker.cli.store_cmd import Recorder

        recorder = Recorder(store, lang)
    if fmt == "json" and known is None and not reports and not statistics and recorder is None:
        code = _check_streamed(settings, jobs, ctx, output)
        if output and output != "-":
            written(output, lang)
        sys.exit(EXIT_OK if exit_zero else code)
    # every file is read; any unreadable one means no report at all (batch.run raises with all their problems)
    results = batch.run(*settings, jobs, batch.Progress(len(files), lang=lang))
    ProjectIds().check(results)
    if recorder is not None:  # before any report: a run that could not be recorded has no result
        recorder.record(results, book, gate, fail_on, ctx.selection)
    if known is not None:
        ctx.baseline = bl.compare(results, known, fail_on)
    for report_fmt, path in reports:  # every report before stdout: a failed write leaves no half-told run
        _emit(results, ctx, report_fmt, path)
        written(path, lang)
    if statistics:
        emit(per_rule_statistics(results, ctx, fmt), None, fmt)
        if output and output != "-":
            _emit(results, ctx, fmt, output)
            written(output, lang)
    else:
        _emit(results, ctx, fmt, output)
        if output and output != "-":
            written(output, lang)
    failing = any(is_failing(ctx, r, f) for r in results for f in r.findings)
    sys.exit(EXIT_GAPS if failing and not exit_zero else EXIT_OK)


def _emit(results: list[DossierResult], ctx: ReportContext, fmt: str, path: str | None) -> None:
    """One report of the run, text or (a workbook) bytes."""
    if output.is_site_target(path, fmt):  # -o DIR/: an index page and one page per dossier
        output.write_site(html_format.render_site(results, ctx), path, input_paths())
        return
    document = formatter(fmt).render(results, ctx)
    emit_rendered(document, path, fmt)


def written(path: str, lang: str) -> None:
    """"已写入 FILE" / "written FILE" on stderr: a person running the gate sees where the report went."""
    click.echo(inert.line(text("cli.written", lang, file=inert.file_name(path))), err=True)


def _check_streamed(settings: BatchSettings, jobs: int, ctx: ReportContext, output: str | None) -> int:
    """JSON for a batch of any size in constant memory: each dossier is written out as soon as it is checked."""
    problems: list = []
    failing = False
    ids = ProjectIds()

    def results() -> Iterator[DossierResult]:
        nonlocal failing
        progress = batch.Progress(len(settings[0]), lang=ctx.lang)
        for result in batch.iter_results(*settings, jobs, progress, problems=problems):
            duplicate = ids.see(result)
            if duplicate is not None:
                problems.append(duplicate)
            failing = failing or any(is_failing(ctx, result, f) for f in result.findings)
            yield result

    def no_report_if_unreadable() -> None:
        if problems:
            raise InputError(problems)

    emit_streamed(lambda write: json_format.render_stream(results(), ctx, write), output, no_report_if_unreadable)
    return EXIT_GAPS if failing else EXIT_OK
