"""``renovcheck config``: the settings a ``check`` run here would use, and where each came from."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import click
from click.core import ParameterSource

from checker.check import config as cfg
from checker.cli.check_cmd import check
from checker.cli.common import emit, guarded, lang_option
from checker.cli.gate_config import PARAMETERS, config_option
from checker.i18n.messages import text
from checker.text import inert

# check's options this command has of its own: --config and --lang mean the same here, --format is this output's
OWN = ("config_file", "fmt", "lang")


def effective(config: cfg.Config, given: Mapping[str, object] | None = None) -> list[tuple[str, object, str]]:
    """(key, value, source) for every configurable option: the flag ``given`` on this command line, the
    configuration file's value, or check's default."""
    defaults = {p.name: _plain(p) for p in check.params}
    given = given or {}
    rows = []
    for key, name in PARAMETERS.items():
        if name in given:
            value = given[name]
            rows.append((key, list(value) if isinstance(value, tuple) else value, "flag"))
        elif key in config.values:
            rows.append((key, config.values[key], "config"))
        else:
            default = defaults.get(name)
            rows.append((key, list(default) if isinstance(default, tuple) else default, "default"))
    return rows


def _plain(param: click.Parameter) -> object:
    """A parameter's default as a value (click marks "no default" with a sentinel object; a flag defaults to off)."""
    if getattr(param, "is_flag", False):
        return bool(param.default) if isinstance(param.default, bool) else False
    default = param.default
    if isinstance(default, (tuple, list)):
        return list(default)
    return default if isinstance(default, (str, int, float)) else None


@click.command("config")
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式 / output format")
@lang_option
@guarded
def config_show(config_file: str | None, fmt: str, lang: str, **flags: Any) -> None:
    """显示生效的设置及其来源 / Show the effective settings of `check` here and where each comes from.

    `check`'s flags are taken here too and shown as given on the command line (they beat the configuration file,
    as in `check`); --format chooses this command's own output."""
    config = cfg.load(config_file)
    ctx = click.get_current_context()
    given = {name: value for name, value in dict(flags, lang=lang).items()
             if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE}
    rows = effective(config, given)
    if fmt == "json":
        document = {"file": config.file, "settings": {key: {"value": value, "source": source}
                                                      for key, value, source in rows}}
        emit(json.dumps(document, ensure_ascii=False, indent=2) + "\n", None, "json")
        return
    lines = [text("config.file", lang, file=config.file) if config.file else text("config.no_file", lang),
             text("config.title", lang)]
    width = max(len(key) for key, _, _ in rows)
    for key, value, source in rows:
        shown = text("config.unset", lang) if value in (None, [], ()) else (
            ", ".join(map(str, value)) if isinstance(value, list) else str(value).lower() if isinstance(value, bool)
            else str(value))
        origin = text("config.source." + source, lang) + (f" {config.file}" if source == "config" else "")
        lines.append(f"  {key:<{width}}  {shown}  ({origin})")
    if config.file:
        lines.append(text("config.pin_note", lang))
    emit("\n".join(inert.line(line) for line in lines) + "\n", None, "text")


# check's own Option objects, after this command's options: each flag parses here exactly as in `check`
config_show.params.extend(p for p in check.params if p.name in PARAMETERS.values() and p.name not in OWN)
