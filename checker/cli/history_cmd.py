"""``renovcheck history PROJECT_ID``: one community's gaps over every check the store recorded."""
from __future__ import annotations

import click

from checker.cli.common import emit, fail, fail_on_option, guarded, lang_option, output_option
from checker.cli.store_cmd import opened, store_option
from checker.i18n.messages import text
from checker.text import inert


@click.command()
@click.argument("project_id")
@store_option
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "json", "html")), default="text",
              show_default=True, help="输出格式 / output format")
@fail_on_option
@output_option
@lang_option
@guarded
def history(project_id: str, store: str, fmt: str, fail_on: str, output: str | None, lang: str) -> None:
    """项目的差距时间线:每次检查各维度的差距,哪些已解决、哪些重新出现 / The timeline of one project's gaps per
    dimension: what each check closed, opened and reopened."""
    from checker.rulebook import rules as rb
    from checker.store import history_report, queries

    opened_store = opened(store, False, lang)
    try:
        found = queries.history(opened_store, project_id, fail_on)
    finally:
        opened_store.close()
    if found is None:
        fail(inert.line(text("store.no_project", lang, store=opened_store.shown, project=project_id)))
    view = history_report.View(rb.load(), lang)
    emit(history_report.render(fmt, found, view), output, fmt)
