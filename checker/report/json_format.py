"""Stable JSON: the same data as the text report, documented in the README ("JSON output")."""
from __future__ import annotations

import json

from checker.recommend_report import advisory_text as _advisory_text
from checker.report import ReportContext, is_failing
from checker.report.summary import row


def finding_dict(f, ctx: ReportContext, result=None) -> dict:
    gap_like = f.outcome in ("fail", "missing", "waived")
    out = {
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
        "waiver": f.waiver.as_dict() if f.waiver is not None else None,
    }
    out["baseline"] = ctx.baseline.state(result, f) if ctx.baseline is not None and result is not None else None
    return out


def _waivers(result) -> dict | None:
    if not result.waivers:
        return None
    day, source = result.waiver_date
    return {"date": day, "date_source": source, "entries": [w.as_dict() for w in result.waivers]}


def _baseline(ctx: ReportContext) -> dict | None:
    b = ctx.baseline
    if b is None:
        return None
    return {"file": b.file, "new": len(b.new), "unchanged": len(b.known),
            "fixed": [{"project_id": e["project_id"], "rule_id": e["rule_id"], "outcome": now} for e, now in b.fixed],
            "not_checked": b.not_checked}


def document(results, ctx: ReportContext) -> dict:
    dossiers = []
    totals = {"pass": 0, "fail": 0, "missing": 0, "not_applicable": 0, "waived": 0}
    failing = 0
    with_gaps = 0
    for result in results:
        counts = result.counts()
        for k, v in counts.items():
            totals[k] += v
        gaps = len(result.gaps(ctx.fail_on))
        with_gaps += 1 if gaps else 0
        failing += sum(1 for f in result.findings if is_failing(ctx, result, f))
        numbers = row(result, ctx)
        dossiers.append({
            "file": result.file,
            "project": {"id": result.project_id, "name": result.project_name},
            "counts": counts,
            "gaps": gaps,
            "gaps_by_dimension": numbers.gaps_by_dimension,
            "shall": {"passed": numbers.shall_passed, "applicable": numbers.shall_applicable},
            "waivers": _waivers(result),
            "advisories": [{"id": a.id, "path": a.path, "declared": a.declared, "fit": a.fit, "fitting": list(a.fitting),
                            "message": _advisory_text(a, ctx.lang)} for a in getattr(result, "advisories", [])],
            "findings": [finding_dict(f, ctx, result) for f in result.findings],
        })
    return {
        "format": "renovcheck-report",
        "format_version": 2,
        "tool": {"name": "renovcheck", "version": ctx.tool_version},
        "lang": ctx.lang,
        "fail_on": ctx.fail_on,
        "profile": {"name": ctx.profile_name, "overrides": list(ctx.overrides)},
        "dossiers": dossiers,
        "baseline": _baseline(ctx),
        "summary": {"dossiers": len(results), "with_gaps": with_gaps, "counts": totals, "failing_gaps": failing},
    }


def render(results, ctx: ReportContext) -> str:
    return json.dumps(document(results, ctx), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
