"""The gate's conventions around ``check``: the configuration file, several reports from one run, rule selection,
statistics, ``--exit-zero`` and stdin (issue 12 §1). The configuration itself is read by checker/check/config.py."""
from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click
from click.core import ParameterSource

from checker.check import config as cfg
from checker.cli import output
from checker.cli.common import EXIT_ERROR, fail
from checker.model.errors import InputError, Problem
from checker.i18n.messages import text
from checker.text import inert

if TYPE_CHECKING:
    from checker.model.findings import DossierResult
    from checker.report import ReportContext
    from checker.rulebook.rules import Rulebook

F = TypeVar("F", bound=Callable[..., object])
T = TypeVar("T")

# configuration key -> parameter name of ``check``
PARAMETERS = {
    "profile": "profile_file", "fail-on": "fail_on", "waivers": "waivers_file", "evidence-root": "evidence_root",
    "as-of": "as_of", "baseline": "baseline_file", "format": "fmt", "output": "output", "reports": "reports",
    "select": "select", "ignore": "ignore", "lang": "lang", "jobs": "jobs", "details": "details",
    "exit-zero": "exit_zero", "statistics": "statistics", "docs-base-uri": "docs_base_uri",
}


config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, exists=False),
    help="配置文件(默认:从当前目录向上查找 .renovcheck.yaml 或 pyproject.toml 的 [tool.renovcheck])/ "
         "configuration file (default: found upwards from the working directory)")


def _split(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _absolute_uri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import re

    if value is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S*/", value):
        raise click.BadParameter(text("config.bad_docs_uri", ctx.params.get("lang") or "zh", value=value))
    return value


def run_options(func: F) -> F:
    """The options of issue 12 §1 and §2 that ``check`` takes next to --format/--output."""
    options = (
        config_option,
        click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH",
                     help="另写一份报告(可重复),例如 sarif=out.sarif / one more report of this run (repeatable)"),
        click.option("--select", multiple=True, callback=_split, metavar="RULES",
                     help="只检查这些规则编号或前缀(逗号分隔,可重复)/ check only these rule ids or prefixes"),
        click.option("--ignore", multiple=True, callback=_split, metavar="RULES",
                     help="不检查这些规则编号或前缀 / leave out these rule ids or prefixes"),
        click.option("--exit-zero", is_flag=True, help="有差距也以 0 退出 / exit 0 even when there are gaps"),
        click.option("--statistics", is_flag=True,
                     help="只列出各规则在全部档案中的结果计数 / print counts per rule across dossiers instead of the report"),
        click.option("--stdin-filename", metavar="NAME",
                     help="从标准输入(路径 -)读档案时报告中使用的文件名 / file name to show for a dossier read from stdin (-)"),
        click.option("--docs-base-uri", metavar="URI", callback=_absolute_uri,
                     help="规则说明页(renovcheck rules docs)发布处的绝对 URI,以 / 结尾;SARIF 据此给出 helpUri / "
                          "absolute URI, ending in /, of the published rule pages: SARIF rules then carry helpUri"),
        click.option("--details", type=click.Choice(["gaps", "all"]), default="gaps", show_default=True,
                     help="批量文本报告:只详述有差距的档案,或全部 / batch text report: details of dossiers with gaps, or of all"),
    )
    for option in reversed(options):
        func = option(func)
    return func


def configured(func: Callable[..., T]) -> Callable[..., T]:
    """Fill every option left at its default from the configuration file, then check the --report targets.

    Placed above ``guarded``: a configured --output is then checked and handled exactly as a flag would be. When the
    run ends with exit 2, no --report path holds an earlier report (as for --output)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:  # check's parameters, as click parsed them
        ctx = click.get_current_context()
        lang = kwargs.get("lang") or "zh"
        try:
            config = cfg.load(kwargs.pop("config_file", None))
        except InputError as exc:
            fail("\n".join(inert.line(p.render(lang)) for p in exc.problems))
        for key, name in PARAMETERS.items():
            if key in config.values and ctx.get_parameter_source(name) in (ParameterSource.DEFAULT, None):
                value = config.values[key]
                kwargs[name] = tuple(value) if isinstance(value, list) else value
        lang = kwargs.get("lang") or "zh"
        kwargs["reports"] = parse_reports(kwargs.get("reports") or (), lang)
        checked = []
        try:
            inputs = [p for p in kwargs.get("paths", ()) if p != "-"]
            for report_fmt, path in kwargs["reports"]:
                site = output.is_site_target(path, report_fmt)
                try:
                    (output.check_site_target if site else output.check_target)(path, inputs)
                except InputError as exc:
                    fail("\n".join(inert.line(p.render(lang)) for p in exc.problems))
                if not site:
                    checked.append(path)
            return func(*args, **kwargs)
        except SystemExit as exc:
            if exc.code == EXIT_ERROR:
                for path in checked:
                    if output.discard_stale(path):
                        click.echo(inert.line(f"{inert.file_name(path)}: {text('output.stale_removed', lang)}"),
                                   err=True)
            raise

    return wrapper


def parse_reports(specs: Sequence[str], lang: str) -> list[tuple[str, str]]:
    """``FORMAT=PATH`` strings as (format, path) pairs; a bad one ends the run with exit 2."""
    from checker.report import FORMATS

    pairs = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        if not sep or fmt not in FORMATS or not path:
            fail(text("config.bad_report", lang, value=spec, formats="|".join(FORMATS)))
        pairs.append((fmt, path))
    return pairs


def matches(rule_id: str, selectors: Sequence[str]) -> bool:
    return any(rule_id == s or rule_id.startswith(s) for s in selectors)


def select_rules(book: Rulebook, select: Sequence[str], ignore: Sequence[str], lang: str) -> dict | None:
    """Keep the rules --select names (ids or prefixes; all when empty) minus those --ignore names.

    Returns the selection for the run metadata, or None when every rule is checked. A selector that names no rule
    is an error (a typo would otherwise silently check nothing)."""
    if not select and not ignore:
        return None
    ids = [r.id for r in book.rules]
    unknown = [s for s in tuple(select) + tuple(ignore) if not any(matches(i, [s]) for i in ids)]
    if unknown:
        fail(text("config.unknown_selector", lang, selectors=", ".join(unknown)))
    kept = [r for r in book.rules if (not select or matches(r.id, select)) and not matches(r.id, ignore)]
    if not kept:
        fail(text("config.nothing_selected", lang))
    book.rules = kept
    return {"select": list(select), "ignore": list(ignore), "rules": [r.id for r in kept]}


def per_rule_statistics(results: list[DossierResult], ctx: ReportContext, fmt: str) -> str:
    """Counts per rule across dossiers (like ``ruff --statistics``): the rules with gaps first, most gaps first."""
    import json

    per_rule: dict[str, Counter[str]] = {}  # rule id -> outcome -> dossiers
    for result in results:
        for f in result.findings:
            per_rule.setdefault(f.rule_id, Counter())[f.outcome] += 1
    gaps: Counter[str] = Counter()
    for result in results:
        for f in result.gaps(ctx.fail_on):
            gaps[f.rule_id] += 1
    order = sorted(per_rule, key=lambda rule: (-gaps[rule], rule))
    if fmt == "json":
        rows = [{"rule_id": rule, "force": ctx.rulebook.force_of(ctx.rulebook.rule(rule)), "gaps": gaps[rule],
                 "outcomes": dict(sorted(per_rule[rule].items()))} for rule in order]
        return json.dumps({"dossiers": len(results), "fail_on": ctx.fail_on, "rules": rows},
                          ensure_ascii=False, indent=2) + "\n"
    seen = {o for counts in per_rule.values() for o in counts}
    outcomes: list[str] = [o for o in ("fail", "missing", "waived", "pass", "not_applicable") if o in seen or o in ("fail", "missing")]
    outcomes += sorted(seen - set(outcomes))
    head = [ctx.t("stats.header", dossiers=len(results))]
    head.append(f"{ctx.t('stats.gaps'):>6}  " + "  ".join(f"{ctx.t('outcome.' + o):>6}" for o in outcomes)
                + f"  {ctx.t('stats.rule')}")
    lines = []
    for rule in order:
        counts = per_rule[rule]
        force = ctx.t("force." + ctx.rulebook.force_of(ctx.rulebook.rule(rule)))
        lines.append(f"{gaps[rule]:>6}  " + "  ".join(f"{counts.get(o, 0):>6}" for o in outcomes)
                     + f"  {rule} [{force}] {ctx.rule_text(rule, 'title')}")
    return "\n".join(inert.line(line) for line in head + lines) + "\n"


class StdinDossier:
    """``-`` as the only path: the dossier read from stdin into a private temporary file, shown under
    --stdin-filename (its suffix decides YAML or JSON; default ``stdin.yaml``)."""

    def __init__(self, display: str | None) -> None:
        self.display = display or "stdin.yaml"
        self.folder: str | None = None

    def __enter__(self) -> list[tuple[str, str]]:
        self.folder = tempfile.mkdtemp(prefix="renovcheck-stdin-")
        suffix = os.path.splitext(self.display)[1].lower()
        path = os.path.join(self.folder, "dossier" + (suffix if suffix in (".yaml", ".yml", ".json") else ".yaml"))
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        with open(path, "wb") as handle:
            handle.write(data)
        return [(path, inert.file_name(self.display))]

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> Literal[False]:
        import shutil

        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        return False


def no_stdin_mix(paths: Sequence[str], lang: str) -> None:
    if "-" in paths and len(paths) > 1:
        raise InputError([Problem("-", "config.stdin_alone")])
