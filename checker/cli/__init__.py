"""The command line: a thin click layer over the library. Each command group lives in its own module.
May import: every layer (the top one); nothing imports it except checker.__main__."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from checker import __version__
from checker.cli import click_texts

click_texts.install()

# Each command is imported only when it runs (or for --help): a cold `renovcheck check` then loads nothing of the
# other commands, which keeps its start-up under 0.3 s. Add a command here as "name": "module:attribute".
COMMANDS = {
    "check": "checker.cli.check_cmd:check",
    "baseline": "checker.cli.baseline_cmd:baseline",
    "diff": "checker.cli.diff_cmd:diff",
    "rules": "checker.cli.rules_cmd:rules",
    "schema": "checker.cli.schema_cmd:schema",
    "init": "checker.cli.schema_cmd:init",
    "recommend": "checker.cli.recommend_cmd:recommend",
    "evidence": "checker.cli.evidence_cmd:evidence_list",
    "config": "checker.cli.config_cmd:config_show",
    "serve": "checker.cli.serve_cmd:serve",
    "store": "checker.cli.store_cmd:store",
    "history": "checker.cli.history_cmd:history",
    "portfolio": "checker.cli.portfolio_cmd:portfolio",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS) + [name for name in super().list_commands(ctx) if name not in COMMANDS]

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        click_texts.use_language_of(args)
        return super().main(args, *rest, **kwargs)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands:
            module, attribute = COMMANDS[name].split(":")
            self.add_command(getattr(__import__(module, fromlist=[attribute]), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="renovcheck")
def cli() -> None:
    """renovcheck — 《北京市老旧小区改造绿色宜居规划设计指南》第7章(建设维护管理)合规检查。

    Checks renovation project dossiers against Chapter 7 of the Beijing old-community renovation guide.
    """


def main() -> None:
    from checker.check import signals

    signals.install()  # a signal before a command runs (start-up, option parsing) also ends with 130/143
    try:
        cli(prog_name="renovcheck")
    except signals.Stopped as stopped:
        signals.exit_stopped(stopped)
