"""``renovcheck baseline``: record today's gaps so that ``check --baseline`` fails only on new ones."""
from __future__ import annotations

import click

from checker import baseline as bl
from checker import batch, profiles
from checker import rulebook as rb
from checker.cli.common import (
    emit, encoding_option, guarded, jobs_option, lang_option, max_bytes_option, profile_option, resolve_today,
    today_option,
)
from checker.errors import InputError, Problem
from checker.messages import text
from checker.pipeline import discover
from checker.yamlload import Limits


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True,
              help="基线文件(JSON)/ the baseline file to write (JSON)")
@lang_option
@click.option("--fail-on", type=click.Choice(["shall", "should", "may"]), default="shall", show_default=True,
              help="记录达到该强度的差距 / record fail and missing at or above this force")
@encoding_option
@max_bytes_option
@profile_option
@today_option
@jobs_option
@guarded
def baseline(paths, output, lang, fail_on, encoding, max_bytes, profile_file, today, jobs):
    """记录当前差距作为基线 / Record the current gaps of these dossiers as a baseline.

    A gap is keyed by project id and rule id. Exit codes: 0 written, 2 unreadable or invalid input.
    """
    files = discover(paths, exclude=output)
    if not files:
        raise InputError([Problem(" ".join(paths), "input.no_dossiers")])
    book = rb.load()
    if profile_file:
        book.profile = profiles.load_profile(profile_file, book)  # record with the forces `check` will use
    results = batch.run(files, book, Limits(max_bytes=max_bytes), encoding, resolve_today(today, lang), jobs)
    emit(bl.render(results, fail_on, book.profile.name if book.profile is not None else "default"), output, "json")
    if output != "-":
        click.echo(text("cli.written", lang, file=output), err=True)
