"""``renovcheck baseline``: record today's gaps so that ``check --baseline`` fails only on new ones."""
from __future__ import annotations

import click

from checker.check import baseline as bl
from checker.check import batch
from checker.cli.common import (
    dossier_files, dossier_options, emit, gate_options, guarded, jobs_option, lang_option, load_rulebook, resolve_gate,
)
from checker.i18n.messages import text
from checker.check.review import ProjectIds
from checker.inputs.yamlload import Limits


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True,
              help="基线文件(JSON)/ the baseline file to write (JSON)")
@lang_option
@click.option("--fail-on", type=click.Choice(["shall", "should", "may"]), default="shall", show_default=True,
              help="记录达到该强度的差距 / record fail and missing at or above this force")
@dossier_options
@gate_options
@jobs_option
@guarded
def baseline(paths: tuple[str, ...], output: str, lang: str, fail_on: str, encoding: str | None, max_bytes: int,
             profile_file: str | None, as_of: str | None, today: str | None, waivers_file: str | None,
             evidence_root: str | None, jobs: int) -> None:
    """记录当前差距作为基线 / Record the current gaps of these dossiers as a baseline.

    A gap is keyed by project id, dossier file and rule id; the baseline records --fail-on and the profile, and
    check --baseline refuses it under others. Exit codes: 0 written, 2 unreadable or invalid input.
    """
    files = dossier_files(paths, [output])
    book = load_rulebook(profile_file)  # record with the forces `check` will use
    gate = resolve_gate(lang, as_of, today, waivers_file, evidence_root, book)
    results = batch.run(files, book, Limits(max_bytes=max_bytes), encoding, gate, jobs)
    ProjectIds().check(results)
    emit(bl.render(results, fail_on, bl.profile_identity(book)), output, "json")
    if output != "-":
        click.echo(text("cli.written", lang, file=output), err=True)
