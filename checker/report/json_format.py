"""Stable JSON: the same data as the text report, documented in the README ("JSON output")."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from checker.model.findings import DossierResult, Finding


from checker.report import waiver_of, judged_at, advisories_of, ReportContext, advisory_text, is_failing, profile_data
from checker.model.findings import OUTCOMES
from checker.report.summary import row
from checker.text.jsontext import dumps_indented


def finding_dict(f: Finding, ctx: ReportContext, result: DossierResult | None = None) -> dict[str, object]:
    gap_like = f.outcome in ("fail", "missing", "waived", "not_taken")
    waiver = waiver_of(f)
    out: dict[str, object] = {
        "rule_id": f.rule_id,
        "dimension": f.dimension,
        "force": f.force,
        "outcome": f.outcome,
        "gap": f.is_gap(ctx.fail_on),
        "title": ctx.rule_text(f.rule_id, "title"),
        "message": ctx.finding_text(f, "message") if gap_like else None,
        "remedy": ctx.finding_text(f, "remedy") if gap_like else None,
        "flags": list(getattr(f, "flags", ())),
        "not_needed_reason": getattr(f, "reason", None),
        "citation": ctx.citation(f.rule_id),
        "path": f.path,
        "location": {"line": f.line, "column": f.column, "path": f.located_at} if f.line else None,
        "missing": list(f.missing_paths),
        "values": {k: f.values[k] for k in sorted(f.values)},
        "waiver": waiver.as_dict() if waiver is not None else None,
        "evidence_rejected": [c.as_dict() for c in f.evidence],
    }
    out["baseline"] = ctx.baseline.state(result, f) if ctx.baseline is not None and result is not None else None
    return out


def _waivers(result: DossierResult) -> dict | None:
    if not result.waivers:
        return None
    day, source = judged_at(result)
    return {"date": day, "date_source": source, "entries": [w.as_dict() for w in result.waivers]}


def _baseline(ctx: ReportContext) -> dict | None:
    b = ctx.baseline
    if b is None:
        return None
    return {"file": b.file, "new": len(b.new), "unchanged": len(b.known),
            "fixed": [{"project_id": e["project_id"], "rule_id": e["rule_id"], "outcome": now} for e, now in b.fixed],
            "not_checked": b.not_checked}


class _Totals:
    def __init__(self) -> None:
        self.counts = dict.fromkeys(OUTCOMES, 0)
        self.dossiers = self.with_gaps = self.failing = 0

    def add(self, result: DossierResult, ctx: ReportContext) -> None:
        for k, v in result.counts().items():
            self.counts[k] += v
        self.dossiers += 1
        self.with_gaps += 1 if result.gaps(ctx.fail_on) else 0
        self.failing += sum(1 for f in result.findings if is_failing(ctx, result, f))

    def summary(self) -> dict:
        return {"dossiers": self.dossiers, "with_gaps": self.with_gaps, "counts": self.counts,
                "failing_gaps": self.failing}


def dossier_dict(result: DossierResult, ctx: ReportContext) -> dict:
    counts = result.counts()
    numbers = row(result, ctx)
    return {
        "file": result.file,
        "project": {"id": result.project_id, "name": result.project_name},
        "counts": counts,
        "gaps": len(result.gaps(ctx.fail_on)),
        "gaps_by_dimension": numbers.gaps_by_dimension,
        "shall": {"passed": numbers.shall_passed, "applicable": numbers.shall_applicable},
        "waivers": _waivers(result),
        "evidence": [c.as_dict() for c in getattr(result, "evidence", [])],
        "advisories": [{"id": a.id, "path": a.path, "declared": a.declared, "fit": a.fit, "fitting": list(a.fitting),
                        "message": advisory_text(a, ctx.lang)} for a in advisories_of(result)],
        "findings": [finding_dict(f, ctx, result) for f in result.findings],
    }


def _head(ctx: ReportContext) -> dict:
    return {
        "format": "renovcheck-report",
        "format_version": 2,
        "tool": {"name": "renovcheck", "version": ctx.tool_version},
        "lang": ctx.lang,
        "fail_on": ctx.fail_on,
        "profile": profile_data(ctx),
        "review": run_metadata(ctx),
    }


def run_metadata(ctx: ReportContext) -> dict:
    """The reviewer's inputs of this run (README "Trust model")."""
    return {"as_of": ctx.as_of.date if ctx.as_of else None, "as_of_source": ctx.as_of.source if ctx.as_of else None,
            "waivers_file": ctx.waivers_file, "evidence_verified": ctx.evidence_root is not None,
            "evidence_root": ctx.evidence_root, "selection": ctx.selection}


def document(results: Sequence[DossierResult], ctx: ReportContext) -> dict:
    totals = _Totals()
    dossiers = []
    for result in results:
        totals.add(result, ctx)
        dossiers.append(dossier_dict(result, ctx))
    return dict(_head(ctx), dossiers=dossiers, baseline=_baseline(ctx), summary=totals.summary())


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    return dumps_indented(document(results, ctx)) + "\n"


def _dumps(value: object) -> str:
    return dumps_indented(value)


def render_stream(results: Iterable[DossierResult], ctx: ReportContext, write: Callable[[str], object]) -> None:
    """The same bytes as ``render``, written dossier by dossier, holding only running totals.

    ``results`` may be a generator: a batch of any size is reported in constant memory. The baseline section
    needs every result at once, so ``--baseline`` uses ``render``.
    """
    totals = _Totals()
    head = _dumps(_head(ctx))
    write(head[:-2] + ',\n  "dossiers": [')
    first = True
    for result in results:
        totals.add(result, ctx)
        body = _dumps(dossier_dict(result, ctx)).replace("\n", "\n    ")
        write(("\n    " if first else ",\n    ") + body)
        first = False
    write(("\n  ]" if not first else "]") + ',\n  "baseline": null,\n  "summary": '
          + _dumps(totals.summary()).replace("\n", "\n  ") + "\n}\n")
