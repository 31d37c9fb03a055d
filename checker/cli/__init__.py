"""The command line: a thin click layer over the library. Each command group lives in its own module."""
from __future__ import annotations

import click

from checker import __version__
from checker.cli.baseline_cmd import baseline
from checker.cli.check_cmd import check
from checker.cli.diff_cmd import diff
from checker.cli.rules_cmd import rules
from checker.cli.schema_cmd import init, schema


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="renovcheck")
def cli():
    """renovcheck — 《北京市老旧小区改造绿色宜居规划设计指南》第7章(建设维护管理)合规检查。

    Checks renovation project dossiers against Chapter 7 of the Beijing old-community renovation guide.
    """


cli.add_command(check)
cli.add_command(baseline)
cli.add_command(diff)
cli.add_command(rules)
cli.add_command(schema)
cli.add_command(init)
cli.add_command(__import__("checker.cli.recommend_cmd", fromlist=["recommend"]).recommend)


def main():
    cli(prog_name="renovcheck")
