"""``renovcheck diff OLD NEW``: what changed between two versions of one dossier."""
from __future__ import annotations

import os
import sys

import click

from checker.check import batch
from checker.check import diff as dossier_diff
from checker.cli.common import (
    EXIT_GAPS, EXIT_OK, emit_rendered, fail, gate_options, guarded, load_rulebook, report_options, resolve_gate,
)
from checker.i18n.messages import text
from checker.report import ReportContext
from checker.report import formats, formatter
from checker.inputs.yamlload import Limits


@click.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(formats("diff")), default="text", show_default=True,
              help="输出格式 / output format")
@report_options
@gate_options
@guarded
def diff(old: str, new: str, fmt: str, lang: str, fail_on: str, output: str | None, encoding: str | None,
         max_bytes: int, profile_file: str | None, as_of: str | None, today: str | None, waivers_file: str | None,
         evidence_root: str | None) -> None:
    """对比同一档案的两个版本 / Compare two versions of one dossier: gaps fixed, gaps introduced, outcomes changed.

    Exit codes: 0 no gap introduced, 1 the new version introduces gaps, 2 unreadable or invalid input.
    """
    for path in (old, new):
        if os.path.isdir(path):
            fail(f"{path}: {text('diff.not_a_file', lang)}")
    book = load_rulebook(profile_file)
    gate = resolve_gate(lang, as_of, today, waivers_file, evidence_root, book)
    results = batch.run([(old, old), (new, new)], book, Limits(max_bytes=max_bytes), encoding, gate)
    ctx = ReportContext(book, lang, fail_on)
    ctx.set_gate(gate)
    result = dossier_diff.compare(results[0], results[1], fail_on)
    emit_rendered(formatter(fmt, "diff").render(result, ctx), output, fmt)
    sys.exit(EXIT_GAPS if result.introduced else EXIT_OK)
