"""Markdown for a pull-request comment or a CI job summary: a table per dimension, then the gaps.

With several dossiers the table across dossiers (worst first) comes first and each dossier's detail is folded in a
``<details>`` block. Everything shown is escaped (checker/text/inert.py): dossier text cannot open links, images or
HTML, and file names and project names are code spans, where no autolink, @mention or #reference renders.
"""
from __future__ import annotations

from collections.abc import Sequence
from checker.model.findings import DossierResult, Finding

import html

from checker.report import (advisories_of,
    DIMENSIONS, ReportContext, advisory_text, citation_text, evidence_note, finding_notes, is_failing, location_text, profile_lines, uses_profile,
    waiver_note,
)
from checker.text.inert import html_code, md, md_code
from checker.report.summary import OUTCOMES, dimension_counts, table
from checker.report.tables import markdown_head, markdown_row
from checker.schema.hints import field_label, field_labels

def _dimension_table(result: DossierResult, ctx: ReportContext) -> list:
    t = ctx.t
    counts = dimension_counts(result)
    head = [t("html.col.dimension")] + [t("outcome." + o) for o in OUTCOMES] + [t("batch.gaps")]
    out = markdown_head([md(h) for h in head])
    for d in DIMENSIONS:
        gaps = sum(1 for f in result.findings if f.dimension == d and f.is_gap(ctx.fail_on))
        out.append(markdown_row([md(t("dimension." + d))] + [str(counts[d][o]) for o in OUTCOMES] + [str(gaps)]))
    return out


def _finding_item(result: DossierResult, f: Finding, ctx: ReportContext) -> list:
    t = ctx.t
    mark = "❌" if is_failing(ctx, result, f) else ("⚪" if f.outcome == "waived" else "⚠️")
    lines = [f"- {mark} **{md(f.rule_id)}** \\[{md(t('force.' + f.force))}\\] {md(t('outcome.' + f.outcome))}: "
             f"{md(ctx.rule_text(f.rule_id, 'title'))}",
             f"  - {md(ctx.finding_text(f, 'message'))}",
             f"  - {md(t('report.location'))}: {md_code(location_text(result, f))} · {md(t('report.path'))} "
             f"{md(field_label(f.path, ctx.lang))}"]
    lines += [f"  - {md(note)}" for note in finding_notes(ctx, f)]
    if f.missing_paths:
        lines.append(f"  - {md(t('report.missing_paths'))}: {md(field_labels(f.missing_paths, ctx.lang))}")
    for note in (waiver_note(ctx, f), evidence_note(ctx, f)):
        if note:
            lines.append(f"  - {md(note)}")
    if f.is_gap(ctx.fail_on) and ctx.baseline is not None and not ctx.baseline.is_new(result, f):
        lines.append(f"  - {md(t('baseline.known_marker'))}")
    lines.append(f"  - {md(t('report.citation'))}: {md(citation_text(ctx, f.rule_id))}")
    lines.append(f"  - {md(t('report.remedy'))}: {md(ctx.finding_text(f, 'remedy'))}")
    return lines


def _dossier(result: DossierResult, ctx: ReportContext) -> list:
    t = ctx.t
    gaps = [f for f in result.findings if f.is_gap(ctx.fail_on)]
    others = [f for f in result.findings if (f.outcome in ("fail", "missing", "waived", "not_taken") or finding_notes(ctx, f))
              and not f.is_gap(ctx.fail_on)]
    out = _dimension_table(result, ctx) + [""]
    if result.waiver_date:
        day, source = result.waiver_date
        out += [md(t("waiver.judged_at", date=day, source=t("waiver.source." + source))), ""]
    out.append(f"**{md(t('md.gaps'))} ({len(gaps)})**")
    out.append("")
    if not gaps:
        out.append(md(t("md.no_gaps")))
    for f in gaps:
        out += _finding_item(result, f, ctx)
    for a in advisories_of(result):  # advice, not a gap: shown, never folded away
        out += ["", f"> {md(advisory_text(a, ctx.lang))}"]
    if others:  # folded: a pull-request comment has to stay short
        out += ["", "<details>", f"<summary>{html.escape(t('md.other_findings'))} ({len(others)})</summary>", ""]
        for f in others:
            out += _finding_item(result, f, ctx)
        out += ["", "</details>"]
    return out


# GitHub shows at most 1 MiB of a job summary or comment: the report stays under this many bytes of UTF-8, keeping
# the title, the table across dossiers and the details of the worst dossiers, and counting what it left out.
MAX_BYTES = 1_000_000


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    t = ctx.t
    with_gaps = sum(1 for r in results if any(is_failing(ctx, r, f) for f in r.findings))
    out = [f"## {md(t('md.title', count=len(results), with_gaps=with_gaps, fail_on=ctx.fail_on))}", ""]
    out += [" · ".join(md(line) for line in ctx.run_lines()), ""]
    if uses_profile(ctx):
        lines = profile_lines(ctx)
        out += [md(lines[0])] + ["- " + md(line) for line in lines[1:]] + [""]
    if ctx.baseline is not None:
        b = ctx.baseline
        out += [md(t("baseline.summary", file=b.file, new=len(b.new), known=len(b.known), fixed=len(b.fixed))), ""]
        for entry, now in b.fixed:
            out.append("- " + md(t("baseline.fixed_item", project=entry["project_id"], rule=entry["rule_id"],
                                   outcome=t("outcome." + now) if now else "-")))
        out.append("")
    if len(results) <= 1:
        for result in results:
            out += [f"### {md_code(result.file)} — {md_code(result.project_name or result.project_id)}", ""]
            out += _dossier(result, ctx)
        return "\n".join(out).rstrip("\n") + "\n"
    budget = _Budget(MAX_BYTES - 2000, out)  # room for the closing line
    rows = table(results, ctx)
    head = [t("batch.file"), t("batch.project"), t("batch.gaps")] + [t("batch.dim_short." + d) for d in DIMENSIONS]
    head.append(t("batch.shall_share"))
    budget.add([f"### {md(t('batch.title', fail_on=ctx.fail_on))}", "", *markdown_head([md(h) for h in head])])
    rows_shown = 0
    for r in rows:
        cells = [md_code(r.file, in_table=True), md_code(r.project_name or r.project_id, in_table=True), str(r.gaps)]
        cells += [str(r.gaps_by_dimension.get(d, 0)) for d in DIMENSIONS]
        cells.append(md(f"{r.share_text()} ({r.shall_passed}/{r.shall_applicable})"))
        if not budget.add([markdown_row(cells)]):
            break
        rows_shown += 1
    budget.add([""])
    by_file = {result.file: result for result in results}
    details_shown = 0
    for r in rows[:rows_shown]:  # worst first, like the table
        result = by_file[r.file]
        gaps = len(result.gaps(ctx.fail_on))
        # inside an HTML block Markdown escapes are not undone: HTML-escape only
        label = (f"{html_code(result.file)} — {html_code(result.project_name or result.project_id)}: "
                 f"{html.escape(t('batch.gaps'))} {gaps}")
        block = ["<details>", f"<summary>{label}</summary>", ""]
        if not budget.add(block + _dossier(result, ctx) + ["", "</details>", ""]):
            break
        details_shown += 1
    if rows_shown < len(rows) or details_shown < len(rows):
        out.append(md(t("md.truncated", rows=len(rows) - rows_shown, details=len(rows) - details_shown)))
    return "\n".join(out).rstrip("\n") + "\n"


class _Budget:
    """Appends blocks of lines to ``out`` while their UTF-8 size stays within ``limit`` bytes."""

    def __init__(self, limit: int, out: list[str]) -> None:
        self.left = limit - sum(len(line.encode("utf-8", "surrogateescape")) + 1 for line in out)
        self.out = out

    def add(self, lines: list) -> bool:
        size = sum(len(line.encode("utf-8", "surrogateescape")) + 1 for line in lines)
        if size > self.left:
            return False
        self.left -= size
        self.out.extend(lines)
        return True
