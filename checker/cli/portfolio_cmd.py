"""``renovcheck portfolio``: every project's latest check at a date, counted for a bureau; ``--fiscal`` the
evaluation results per project that the fiscal performance evaluation needs."""
from __future__ import annotations

import click

from checker.cli.common import (
    check_as_of, emit_rendered, fail, fail_on_option, guarded, lang_option, output_option,
)
from checker.cli.store_cmd import opened, store_option
from checker.i18n.messages import text


@click.command()
@store_option
@click.option("--district", help="只统计该区的项目 / only the projects in this district")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="统计各项目在此日及以前的最近一次检查(默认:今天)/ each project's latest check judged on or "
                   "before this date (default: today)")
@click.option("--fiscal", is_flag=True,
              help="财政绩效评价所需的逐项目评估结果(CSV 或 XLSX)/ the evaluation results per project for the fiscal "
                   "performance evaluation (CSV or XLSX)")
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "csv", "xlsx", "html")), default=None,
              help="输出格式(默认 text;--fiscal 默认 csv)/ output format (default text; with --fiscal csv)")
@fail_on_option
@output_option
@lang_option
@guarded
def portfolio(store: str, district: str | None, as_of: str | None, fiscal: bool, fmt: str | None, fail_on: str,
              output: str | None, lang: str) -> None:
    """项目组合:按规则、维度、区统计差距,评估到期与逾期,满意度与设施使用率趋势,物业服务模式的申报与推荐 /
    The portfolio: gaps by rule, dimension and district; evaluations due and overdue; satisfaction and facility-use
    trends; property-service modes declared against recommended."""
    from checker.check import review
    from checker.rulebook import rules as rb
    from checker.store import portfolio_report as pr
    from checker.store import queries

    fmt = fmt or ("csv" if fiscal else "text")
    if fiscal and fmt not in pr.FISCAL_FORMATS:
        fail(text("port.fiscal_formats", lang, fmt=fmt))
    check_as_of(as_of, lang)
    day = review.as_of(as_of).date
    if fmt in pr.BINARY and (not output or output == "-"):
        fail(text("cli.binary_needs_output", lang, fmt=fmt))
    opened_store = opened(store, False, lang)
    found: queries.Portfolio | list[queries.FiscalRow]
    try:
        if fiscal:
            found = queries.fiscal(opened_store, day, district, fail_on)
        else:
            found = queries.portfolio(opened_store, day, district, fail_on)
    finally:
        opened_store.close()
    view = pr.PortfolioView(rb.load(), lang)
    document = pr.render_fiscal(fmt, found, view) if isinstance(found, list) else pr.render(fmt, found, view)
    emit_rendered(document, output, fmt)
