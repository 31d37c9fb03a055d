"""The reviewer's plain-text report: per dossier, grouped by the four dimensions."""
from __future__ import annotations

from collections.abc import Sequence

from checker.check.baseline import Comparison
from checker.model.findings import DossierResult


from checker.report import waiver_of, judged_at, advisories_of, DIMENSIONS, ReportContext, advisory_text, citation_text, evidence_note, finding_notes, profile_lines, visible, waiver_note
from checker.report.summary import table
from checker.report.tables import aligned
from checker.schema.hints import field_label

_MARK = {"pass": "✓", "fail": "✗", "missing": "?", "not_applicable": "-", "not_taken": "·", "waived": "~"}


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    t = ctx.t
    out = ctx.run_lines() + [""]
    lines = profile_lines(ctx)
    if lines:
        out += [lines[0]] + ["  " + line for line in lines[1:]] + [""]
    batch = len(results) > 1
    gaps_only = batch and ctx.details != "all"
    if batch:  # a batch opens with the table across dossiers: at 500 dossiers the details run to thousands of lines
        out.extend(_batch_table(results, ctx))
        with_gaps = sum(1 for r in results if r.gaps(ctx.fail_on))
        out.append(t("report.all_summary", count=len(results), with_gaps=with_gaps))
        out.append("")
    skipped = 0
    for result in results:
        if gaps_only and not _worth_detailing(result, ctx):
            skipped += 1
            continue
        out.append(t("report.dossier", file=result.file, name=result.project_name or result.project_id))
        for dimension in DIMENSIONS:
            findings = [f for f in result.findings if f.dimension == dimension
                        and (not gaps_only or f.is_gap(ctx.fail_on) or f.waiver is not None)]
            if not findings:
                continue
            out.append(f"  {t('dimension.' + dimension)}")
            for f in findings:
                gap = f"  [{t('report.gap_marker')}]" if f.is_gap(ctx.fail_on) else ""
                if gap and ctx.baseline is not None and not ctx.baseline.is_new(result, f):
                    gap = f"  [{t('report.gap_marker')} · {t('baseline.known_marker')}]"
                out.append(f"    {_MARK[f.outcome]} {f.rule_id} [{t('force.' + f.force)}] "
                           f"{t('outcome.' + f.outcome)}  {ctx.rule_text(f.rule_id, 'title')}{gap}")
                if f.waiver is not None:
                    out.append(f"        {waiver_note(ctx, f)}")
                for note in finding_notes(ctx, f):
                    out.append(f"        {note}")
                if f.outcome not in ("fail", "missing", "not_taken"):
                    continue
                out.append(f"        {t('rules.message')}: {ctx.finding_text(f, 'message')}")
                where = f"{f.line}:{f.column}" if f.line else "-"
                located = f" ({f.located_at})" if f.located_at != f.path and f.line else ""
                out.append(f"        {t('report.path')}: {field_label(f.path, ctx.lang)}  {t('report.location')} "
                           f"{result.file}:{where}{located}")
                if f.missing_paths:
                    shown = "、".join(field_label(p, ctx.lang) for p in f.missing_paths) if ctx.lang == "zh" \
                        else ", ".join(f.missing_paths)
                    out.append(f"        {t('report.missing_paths')}: {shown}")
                if f.evidence:
                    out.append(f"        {evidence_note(ctx, f)}")
                if f.values:
                    shown = ", ".join(f"{field_label(k, ctx.lang)} = {ctx.value_text(k, f.values[k])}"
                                      for k in sorted(f.values))
                    out.append(f"        {t('report.values')}: {shown}")
                out.append(f"        {t('report.citation')}: {citation_text(ctx, f.rule_id)}")
                out.append(f"        {t('report.remedy')}: {ctx.finding_text(f, 'remedy')}")
        out.extend(_waivers(result, ctx))
        out.extend(_advisories(result, ctx))
        counts = result.counts()
        out.append("  " + t("report.summary", total=len(result.findings), gaps=len(result.gaps(ctx.fail_on)),
                              fail_on=ctx.fail_on, **counts))
        out.append("")
    if gaps_only:
        out.append(t("report.details_gaps_only", skipped=skipped))
    if ctx.baseline is not None:
        out.extend(_baseline(ctx, ctx.baseline))
    return "\n".join(visible(line) for line in out).rstrip("\n") + "\n"


def _worth_detailing(result: DossierResult, ctx: ReportContext) -> bool:
    """In a batch (without --details all): a dossier with a gap, or with a waiver to show."""
    return bool(result.gaps(ctx.fail_on)) or bool(result.waivers) or any(f.waiver is not None for f in result.findings)


def _waivers(result: DossierResult, ctx: ReportContext) -> list:
    """The dossier's waivers that are not shown next to a finding, and the date they were judged at."""
    if not result.waivers:
        return []
    day, source = judged_at(result)
    out = ["  " + ctx.t("waiver.judged_at", date=day, source=ctx.t("waiver.source." + source))]
    attached = {w.index for w in map(waiver_of, result.findings) if w is not None}
    for w in result.waivers:
        if w.index in attached:
            continue  # shown under its finding
        where = f"{w.file or result.file}:{w.line}:{w.column}" if w.line else (w.file or result.file)
        status = "requested_granted" if w.granted else w.status
        out.append(f"    {w.rule_id}: {ctx.t('waiver.status.' + status)}  {ctx.t('report.location')} {where}")
    return out


def _batch_table(results: Sequence[DossierResult], ctx: ReportContext) -> list:
    """Every dossier on one line, worst first: gaps per dimension and the share of shall-rules passed."""
    t = ctx.t
    head = [t("batch.file"), t("batch.project"), t("batch.gaps")]
    head += [t("batch.dim_short." + d) for d in DIMENSIONS] + [t("batch.shall_share")]
    rows = [[r.file, r.project_id, str(r.gaps)] + [str(r.gaps_by_dimension.get(d, 0)) for d in DIMENSIONS]
            + [f"{r.share_text()} ({r.shall_passed}/{r.shall_applicable})"] for r in table(results, ctx)]
    return [t("batch.title", fail_on=ctx.fail_on)] + aligned(head, rows) + [""]


def _baseline(ctx: ReportContext, b: Comparison) -> list[str]:
    out = [ctx.t("baseline.summary", file=b.file, new=len(b.new), known=len(b.known), fixed=len(b.fixed))]
    for entry, now in b.fixed:
        out.append("  " + ctx.t("baseline.fixed_item", project=entry["project_id"], rule=entry["rule_id"],
                                 outcome=ctx.t("outcome." + now) if now else "-"))
    if b.not_checked:
        out.append("  " + ctx.t("baseline.not_checked", count=b.not_checked))
    return out


def _advisories(result: DossierResult, ctx: ReportContext) -> list:
    """MODE-01 and the like: advice for the reviewer, not gaps (see renovcheck recommend)."""
    return [f"  ! {advisory_text(a, ctx.lang)}" for a in advisories_of(result)]
