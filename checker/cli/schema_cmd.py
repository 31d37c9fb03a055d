"""``renovcheck schema`` and ``renovcheck init``."""
from __future__ import annotations

import json
import os

import click

from checker.schema import template
from checker.cli.common import emit, fail, guarded, lang_option
from checker.i18n.messages import text
from checker.inputs.resources import load_schema


SCHEMAS = ("dossier", "rule", "rulebook", "parameters", "profile", "catalog", "modes", "baseline", "waivers", "config")


@click.command()
@click.option("--name", type=click.Choice(SCHEMAS), default="dossier", show_default=True,
              help="哪一个 Schema / which schema")
@guarded
def schema(name: str) -> None:
    """打印 JSON Schema(默认为档案)/ Print a JSON Schema: the dossier's, or that of rule files, the
    parameter registry, profiles, the catalogue, the mode rules, baselines, waiver lists or the configuration file."""
    emit(json.dumps(load_schema(f"{name}.schema.json"), ensure_ascii=False, indent=2) + "\n", None, "json")


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="覆盖已有文件 / overwrite an existing file")
@lang_option
@guarded
def init(file: str | None, force: bool, lang: str) -> None:
    """生成带注释的档案模板 / Write a commented dossier template (to FILE or stdout)."""
    body = template.render(lang)
    if file and os.path.exists(file) and not force:
        fail(text("cli.exists", lang, file=file))
    emit(body, file, "yaml")
    if file:
        click.echo(text("cli.written", lang, file=file), err=True)
