"""``renovcheck rules``: list, show and test the rulebook."""
from __future__ import annotations

import json
import sys
from typing import TypedDict

import click
import yaml

from checker.rulebook import rules as rb
from checker.rulebook.rules import Rule, Rulebook
from checker.cli.common import EXIT_GAPS, EXIT_OK, emit, emit_rendered, fail, guarded, lang_option
from checker.check.examples import run_examples
from checker.rulebook import coverage as cov
from checker.report import ReportContext, formats, formatter
from checker.rulebook import lint as lint_mod
from checker.i18n.messages import pick, text


@click.group()
def rules() -> None:
    """规则库 / The rulebook: list, show, test, lint, coverage."""


class RuleSummary(TypedDict):
    id: str
    dimension: str
    force: str
    title: str
    citation: dict[str, str]


def _summary(rule: Rule, book: Rulebook, lang: str) -> RuleSummary:
    return {
        "id": rule.id,
        "dimension": rule.dimension,
        "force": book.force_of(rule),
        "title": pick(rule.title, lang),
        "citation": dict(rule.citation),
    }


@rules.command("list")
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@guarded
def list_rules(lang: str, fmt: str) -> None:
    """列出规则 / List every rule with its force and title."""
    book = rb.load()
    rows = [_summary(r, book, lang) for r in book.rules]
    if fmt == "json":
        emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", None)
        return
    lines = []
    for row in rows:
        force = text("force." + row["force"], lang)
        lines.append(f"{row['id']}  {text('dimension.' + row['dimension'], lang)}  [{force}]  {row['title']}")
    emit("\n".join(lines) + "\n", None)


@rules.command("show")
@click.argument("rule_id")
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@guarded
def show(rule_id: str, lang: str, fmt: str) -> None:
    """显示一条规则的全部内容 / Everything about one rule: texts, citation, parameters, conditions, examples."""
    book = rb.load()
    rule = book.get(rule_id.upper())
    if rule is None:
        fail(text("rules.unknown", lang, rule=rule_id))
    if fmt == "json":
        data = dict(rule.raw, dimension=rule.dimension, source=f"{rule.source}:{rule.line}")
        emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", None)
        return
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    out = [f"{rule.id}  {pick(rule.title, lang)}",
           f"  {t('dimension.' + rule.dimension)} · [{t('force.' + book.force_of(rule))}] · {rule.source}:{rule.line}",
           f"  {t('report.citation')}: {rule.citation['section']} “{rule.citation['phrase']}”"
           + (f" ({rule.citation['case']})" if rule.citation.get("case") else ""),
           *[f"  {t('rules.message')}{'' if 'zh' in rule.message else ' (' + t('outcome.' + outcome) + ')'}: {pick(texts, lang)}"
             for outcome, texts in ([("", rule.message)] if "zh" in rule.message else rule.message.items())],
           f"  {t('report.remedy')}: {pick(rule.remedy, lang)}"]
    if rule.parameters:
        out.append(f"  {t('rules.parameters')}:")
        values = book.params_for(rule)
        for name, p in rule.parameters.items():
            mark = f" ({t('report.assumption')})" if p.assumption else ""
            out.append(f"    {name} = {values[name]} {t('param.unit.' + p.unit)}{mark}: {pick(p.description, lang)}")
    for key, title in (("applies_when", "rules.applies_when"), ("require", "rules.require")):
        if key in rule.raw:
            body = yaml.safe_dump(rule.raw[key], allow_unicode=True, sort_keys=False).rstrip()
            out.append(f"  {t(title)}:")
            out.extend("    " + line for line in body.splitlines())
    out.append(f"  {t('rules.examples')}:")
    for example in rule.examples:  # the reason is written in Chinese, the name in English: both are shown
        reason = f"{example['reason']} / " if example.get("reason") else ""
        out.append(f"    - {reason}{example['name']} → {t('outcome.' + example['outcome'])}")
    emit("\n".join(out) + "\n", None)


@rules.command("test")
@click.argument("rule_id", required=False)
@lang_option
@click.option("--verbose", "-v", is_flag=True, help="也列出通过的示例 / list passing examples too")
@guarded
def test(rule_id: str | None, lang: str, verbose: bool) -> None:
    """运行每条规则的示例 / Run every rule's passing and failing examples; exit 1 if one disagrees."""
    book = rb.load()
    if rule_id and book.get(rule_id.upper()) is None:
        fail(text("rules.unknown", lang, rule=rule_id))
    results = run_examples(book, rule_id.upper() if rule_id else None)
    lines = []
    for r in results:
        if r.ok and not verbose:
            continue
        key = "rules.example_ok" if r.ok else "rules.example_bad"
        line = text(key, lang, rule=r.rule_id, name=r.name, outcome=r.actual, expected=r.expected, actual=r.actual)
        lines.append(line + (f"  {r.detail}" if r.detail else ""))
    passed = sum(1 for r in results if r.ok)
    lines.append(text("rules.examples_summary", lang, passed=passed, failed=len(results) - passed))
    emit("\n".join(lines) + "\n", None)
    sys.exit(EXIT_OK if passed == len(results) else EXIT_GAPS)


@rules.command("lint")
@lang_option
@click.option("--guide", type=click.Path(exists=True, dir_okay=False),
              help="指南原文,用于逐字核对引文(默认:源码目录旁的 ../shared/guide/)/ the guide text to check citations against")
@guarded
def lint(lang: str, guide: str | None) -> None:
    """检查规则库质量 / Check the rule files, catalogue and bundled profiles; exit 1 on any problem.

    Rule schema, ids, zh/en texts, parameters, dossier paths, citations, catalogue consistency, profiles.
    """
    from pathlib import Path

    guide_path = Path(guide) if guide else lint_mod.default_guide()
    result = lint_mod.lint(guide=guide_path)
    lines = [p.render(lang) for p in result.problems]
    lines.append(text("lint.guide_checked", lang, file=result.guide) if result.guide else text("lint.guide_skipped", lang))
    if result.problems:
        lines.append(text("lint.failed", lang, count=len(result.problems)))
    else:
        lines.append(text("lint.ok", lang, rules=result.rules, requirements=result.requirements, profiles=result.profiles))
    emit("\n".join(lines) + "\n", None)
    sys.exit(EXIT_GAPS if result.problems else EXIT_OK)


@rules.command("coverage")
@lang_option
@click.option("--format", "fmt", type=click.Choice(formats("coverage")), default="text", show_default=True)
@guarded
def coverage(lang: str, fmt: str) -> None:
    """需求目录覆盖情况 / The requirement catalogue against the rules: checked, manual, per dimension, unreferenced rules.

    Exit 1 when a rule is referenced by no requirement or the catalogue is inconsistent with the rules.
    """
    book = rb.load()
    result = cov.coverage(cov.load_catalog(), book)
    emit_rendered(formatter(fmt, "coverage").render(result, ReportContext(book, lang)), None)
    sys.exit(EXIT_OK if result.ok else EXIT_GAPS)


@rules.command("docs")
@click.argument("directory", type=click.Path(file_okay=False))
@lang_option
@guarded
def docs(directory: str, lang: str) -> None:
    """生成每条规则的说明页面(中英文)/ Write one Markdown page per rule, in Chinese and English, and an index."""
    from pathlib import Path

    from checker.rulebook import rule_docs

    written = rule_docs.write(rb.load(), Path(directory))
    click.echo(text("docs.written", lang, count=len(written), directory=directory), err=True)
