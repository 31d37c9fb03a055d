"""Stable JSON: the same data as the text report, documented in the README ("JSON output")."""
from __future__ import annotations

import json

from checker.report import ReportContext


def finding_dict(f, ctx: ReportContext) -> dict:
    gap_like = f.outcome in ("fail", "missing")
    return {
        "rule_id": f.rule_id,
        "dimension": f.dimension,
        "force": f.force,
        "outcome": f.outcome,
        "gap": f.is_gap(ctx.fail_on),
        "title": ctx.rule_text(f.rule_id, "title"),
        "message": ctx.rule_text(f.rule_id, "message") if gap_like else None,
        "remedy": ctx.rule_text(f.rule_id, "remedy") if gap_like else None,
        "citation": ctx.citation(f.rule_id),
        "path": f.path,
        "location": {"line": f.line, "column": f.column, "path": f.located_at} if f.line else None,
        "missing": list(f.missing_paths),
        "values": {k: f.values[k] for k in sorted(f.values)},
    }


def document(results, ctx: ReportContext) -> dict:
    dossiers = []
    totals = {"pass": 0, "fail": 0, "missing": 0, "not_applicable": 0}
    with_gaps = 0
    for result in results:
        counts = result.counts()
        for k, v in counts.items():
            totals[k] += v
        gaps = len(result.gaps(ctx.fail_on))
        with_gaps += 1 if gaps else 0
        dossiers.append({
            "file": result.file,
            "project": {"id": result.project_id, "name": result.project_name},
            "counts": counts,
            "gaps": gaps,
            "findings": [finding_dict(f, ctx) for f in result.findings],
        })
    return {
        "format": "renovcheck-report",
        "format_version": 1,
        "tool": {"name": "renovcheck", "version": ctx.tool_version},
        "lang": ctx.lang,
        "fail_on": ctx.fail_on,
        "profile": {"name": ctx.profile_name, "overrides": list(ctx.overrides)},
        "dossiers": dossiers,
        "summary": {"dossiers": len(results), "with_gaps": with_gaps, "counts": totals},
    }


def render(results, ctx: ReportContext) -> str:
    return json.dumps(document(results, ctx), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
