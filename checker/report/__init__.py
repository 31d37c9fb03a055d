"""Formatters: each turns check results into one text document. One module per format."""
from __future__ import annotations

from dataclasses import dataclass, field

from checker import __version__
from checker.messages import pick, text

DIMENSIONS = ("construction", "operations", "governance", "evaluation")


@dataclass
class ReportContext:
    rulebook: object
    lang: str = "zh"
    fail_on: str = "shall"
    profile_name: str = "default"
    overrides: list = field(default_factory=list)
    tool_version: str = __version__

    def t(self, key: str, **params) -> str:
        return text(key, self.lang, **params)

    def rule_text(self, rule_id: str, part: str) -> str:
        rule = self.rulebook.get(rule_id)
        return pick(getattr(rule, part), self.lang) if rule else ""

    def citation(self, rule_id: str) -> dict:
        rule = self.rulebook.get(rule_id)
        return dict(rule.citation) if rule else {}


def citation_text(ctx: ReportContext, rule_id: str) -> str:
    cite = ctx.citation(rule_id)
    guide = "《指南》" if ctx.lang == "zh" else "Guide "
    line = f"{guide}{cite.get('section', '')} “{cite.get('phrase', '')}”"
    if cite.get("case"):
        line += f" ({'案例' if ctx.lang == 'zh' else 'case'}: {cite['case']})"
    return line


def formatter(name: str):
    from checker.report import json_format, text_format

    return {"text": text_format, "json": json_format}[name]


FORMATS = ("text", "json")
