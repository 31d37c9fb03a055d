"""Rule documentation generated from the rule files: one Markdown page per rule and language, and an index.

The pages are written by ``renovcheck rules docs DIR`` and committed under docs/rules/; a test regenerates them and
compares, so the documentation cannot drift from the rules it describes.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from checker.i18n.messages import pick, text
from checker.rulebook.rules import Rule, Rulebook
from checker.schema.template import UNIT_LABELS
from checker.schema.validation import YAMLValue

LANGS = ("zh", "en")
_MESSAGE_PARTS = ("fail", "missing", "not_taken")


def _yaml(value: YAMLValue) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100).rstrip()


def _messages(rule: Rule) -> list[tuple[str, dict[str, str]]]:
    """(outcome, {zh, en}) for each message of a rule; a one-text message stands for every gap."""
    if all(part not in rule.message for part in _MESSAGE_PARTS):
        return [("fail", rule.message)]
    return [(part, rule.message[part]) for part in _MESSAGE_PARTS if part in rule.message]


def _unit(unit: str, lang: str) -> str:
    return UNIT_LABELS.get(unit, {lang: unit})[lang]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def page(rule: Rule, book: Rulebook, lang: str) -> str:
    def t(key: str, **kw: object) -> str:
        return text(key, lang, **kw)

    cite = rule.citation
    out = [f"# {rule.id} {pick(rule.title, lang)}", "",
           f"- {t('docs.dimension')}: {t('dimension.' + rule.dimension)}",
           f"- {t('docs.force')}: {t('force.' + rule.force)}",
           f"- {t('report.citation')}: {t('docs.guide')} {cite['section']} “{cite['phrase']}”"
           + (f"({t('docs.case')}: {cite['case']})" if cite.get("case") else ""),
           f"- {t('docs.source')}: `rules/{Path(rule.source).name}`", ""]
    out += [f"## {t('docs.messages')}", ""]
    for outcome, texts in _messages(rule):
        out.append(f"- {t('outcome.' + outcome)}: {pick(texts, lang)}")
    out += ["", f"## {t('report.remedy')}", "", pick(rule.remedy, lang), ""]
    if rule.parameters:
        out += [f"## {t('rules.parameters')}", "",
                f"| {t('docs.param_name')} | {t('docs.param_default')} | {t('docs.param_unit')} | "
                f"{t('report.assumption')} | {t('docs.param_description')} |", "|---|---|---|---|---|"]
        for name, p in rule.parameters.items():
            out.append(f"| `{name}` | {p.default} | {_unit(p.unit, lang)} | {t('docs.yes') if p.assumption else t('docs.no')} | "
                       f"{_cell(pick(p.description, lang))} |")
        out.append("")
    for key, title in (("applies_when", "rules.applies_when"), ("require", "rules.require")):
        if key in rule.raw:
            out += [f"## {t(title)}", "", "```yaml", _yaml(rule.raw[key]), "```", ""]
    out += [f"## {t('docs.examples')}", "", f"| {t('docs.example')} | {t('docs.outcome')} | {t('docs.reason')} |",
            "|---|---|---|"]
    for example in rule.examples:
        out.append(f"| {_cell(example['name'])} | {t('outcome.' + example['outcome'])} | "
                   f"{_cell(example.get('reason', ''))} |")
    out.append("")
    for example in rule.examples:
        out += [f"### {example['name']}", "", "```yaml", _yaml(example["dossier"]), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def index(book: Rulebook, lang: str) -> str:
    def t(key: str, **kw: object) -> str:
        return text(key, lang, **kw)

    out = [f"# {t('docs.index_title')}", "", t("docs.index_intro"), "",
           f"| {t('docs.rule')} | {t('docs.dimension')} | {t('docs.force')} | {t('docs.title')} |", "|---|---|---|---|"]
    for rule in book.rules:
        out.append(f"| [{rule.id}]({rule.id}.md) | {t('dimension.' + rule.dimension)} | {t('force.' + rule.force)} | "
                   f"{_cell(pick(rule.title, lang))} |")
    return "\n".join(out) + "\n"


def pages(book: Rulebook) -> dict[str, str]:
    """{relative path: content} of every page, in both languages."""
    out = {}
    for lang in LANGS:
        out[f"{lang}/README.md"] = index(book, lang)
        for rule in book.rules:
            out[f"{lang}/{rule.id}.md"] = page(rule, book, lang)
    return out


def write(book: Rulebook, directory: Path) -> list[Path]:
    """Write every page under ``directory`` and remove pages of rules that no longer exist."""
    wanted = pages(book)
    written = []
    for name, content in wanted.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    for lang in LANGS:
        for stale in sorted((directory / lang).glob("*.md")):
            if f"{lang}/{stale.name}" not in wanted:
                stale.unlink()
    return written
