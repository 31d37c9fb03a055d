"""``renovcheck store export|import``, and what ``check --store`` uses to record a run (checker/store)."""
from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import click

from checker.cli.common import fail, lang_option, output_option
from checker.i18n.messages import text
from checker.text import inert

if TYPE_CHECKING:
    from checker.check.review import Gate
    from checker.model.findings import DossierResult
    from checker.rulebook.rules import Rulebook
    from checker.store import Store

EXPORT_FORMAT = "renovcheck-store-export"

store_option = click.option(
    "--store", "store", default="renovcheck.db", show_default=True, envvar="RENOVCHECK_STORE", metavar="URL",
    help="存储:SQLite 文件或 PostgreSQL URL(环境变量 RENOVCHECK_STORE)/ the store: a SQLite file or a PostgreSQL URL")


def opened(target: str, write: bool, lang: str) -> Store:
    """The store, or exit 2 with what is wrong with it (nothing written)."""
    from checker.store import StoreError, open_store

    try:
        return open_store(target, write)
    except StoreError as error:
        fail(inert.line(text(error.key, lang, **error.params)))


def write_failed(store: Store, error: Exception, lang: str) -> NoReturn:
    from checker.store import StoreError, error_reason

    if isinstance(error, StoreError):
        fail(inert.line(text(error.key, lang, **error.params)))
    fail(inert.line(text("store.write_failed", lang, store=store.shown, reason=error_reason(error))))


class Recorder:
    """``check --store``: the store opened and checked when the run starts, the run written whole at its end."""

    def __init__(self, target: str, lang: str) -> None:
        self.lang = lang
        self.store = opened(target, True, lang)

    def record(self, results: list[DossierResult], book: Rulebook, gate: Gate, fail_on: str,
               selection: dict | None) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from checker.store.record import DossierRows, RunRow, run_row

        inputs = run_row(book, gate, fail_on, selection)
        rows = DossierRows(book)
        run: RunRow = {**inputs, "dossiers": [rows.row(seq, result, inputs["as_of"])
                                              for seq, result in enumerate(results)]}
        try:
            self.store.record([run])
        except SQLAlchemyError as error:
            write_failed(self.store, error, self.lang)
        finally:
            self.store.close()
        click.echo(inert.line(text("store.recorded", self.lang, store=self.store.shown, count=len(results),
                                   as_of=run["as_of"])), err=True)


@click.group()
def store() -> None:
    """存储的备份与迁移 / Back up and move a store (JSON lines)."""


@store.command("export")
@store_option
@output_option
@lang_option
def export(store: str, output: str | None, lang: str) -> None:
    """把存储导出为 JSON lines(第一行说明格式,此后每行一次运行)/ Write the store as JSON lines
    (a first line naming the format, then one line per run)."""
    from checker.cli.common import emit_streamed
    from checker.store import exchange

    opened_store = opened(store, False, lang)
    try:
        emit_streamed(lambda write: exchange.export(opened_store, write), output, fmt="jsonl")
    finally:
        opened_store.close()


@store.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@store_option
@lang_option
def import_(file: str, store: str, lang: str) -> None:
    """从 JSON lines 导入运行;存储中已有的运行(同一 run_uuid)不重复导入 / Read runs from JSON lines; a run the
    store already holds (same run_uuid) is not added again."""
    from sqlalchemy.exc import SQLAlchemyError

    from checker.store import StoreError, exchange

    try:
        runs = exchange.read(file)
    except StoreError as error:
        fail(inert.line(text(error.key, lang, **error.params)))
    opened_store = opened(store, True, lang)
    try:
        added = opened_store.record(runs)
    except (SQLAlchemyError, StoreError) as error:
        write_failed(opened_store, error, lang)
    finally:
        opened_store.close()
    click.echo(inert.line(text("store.imported", lang, store=opened_store.shown, added=added,
                               skipped=len(runs) - added)), err=True)
