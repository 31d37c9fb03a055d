"""The reviewer's plain-text report: per dossier, grouped by the four dimensions."""
from __future__ import annotations

import json

from checker.report import DIMENSIONS, ReportContext, citation_text

_MARK = {"pass": "✓", "fail": "✗", "missing": "?", "not_applicable": "-"}


def _value(v) -> str:
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v


def render(results, ctx: ReportContext) -> str:
    t = ctx.t
    out = []
    if ctx.overrides or ctx.profile_name != "default":
        out.append(t("report.profile", name=ctx.profile_name))
        for line in ctx.overrides:
            out.append("  " + t("report.override", what=line))
        out.append("")
    for result in results:
        out.append(t("report.dossier", file=result.file, name=result.project_name or result.project_id))
        for dimension in DIMENSIONS:
            findings = [f for f in result.findings if f.dimension == dimension]
            if not findings:
                continue
            out.append(f"  {t('dimension.' + dimension)}")
            for f in findings:
                gap = f"  [{t('report.gap_marker')}]" if f.is_gap(ctx.fail_on) else ""
                out.append(f"    {_MARK[f.outcome]} {f.rule_id} [{t('force.' + f.force)}] "
                           f"{t('outcome.' + f.outcome)}  {ctx.rule_text(f.rule_id, 'title')}{gap}")
                if f.outcome not in ("fail", "missing"):
                    continue
                out.append(f"        {t('rules.message')}: {ctx.rule_text(f.rule_id, 'message')}")
                where = f"{f.line}:{f.column}" if f.line else "-"
                located = f" ({f.located_at})" if f.located_at != f.path and f.line else ""
                out.append(f"        {t('report.path')}: {f.path}  {t('report.location')} {result.file}:{where}{located}")
                if f.missing_paths:
                    out.append(f"        {t('report.missing_paths')}: {', '.join(f.missing_paths)}")
                if f.values:
                    shown = ", ".join(f"{k} = {_value(f.values[k])}" for k in sorted(f.values))
                    out.append(f"        {t('report.values')}: {shown}")
                out.append(f"        {t('report.citation')}: {citation_text(ctx, f.rule_id)}")
                out.append(f"        {t('report.remedy')}: {ctx.rule_text(f.rule_id, 'remedy')}")
        counts = result.counts()
        out.append("  " + t("report.summary", total=len(result.findings), gaps=len(result.gaps(ctx.fail_on)),
                              fail_on=ctx.fail_on, **counts))
        out.append("")
    if len(results) > 1:
        with_gaps = sum(1 for r in results if r.gaps(ctx.fail_on))
        out.append(t("report.all_summary", count=len(results), with_gaps=with_gaps))
    return "\n".join(out).rstrip("\n") + "\n"
