"""One line per fail/missing finding, ``file:line:col: RULE [force] outcome: title — message``, then one summary
line: what compilers and linters print, so editors and pre-commit can jump to the line. Waived gaps are listed
too, with the waiver that covers them; the summary line ends with the run's judgement date, waiver list and
evidence verification."""
from __future__ import annotations

from collections.abc import Sequence
from checker.model.findings import DossierResult

from checker.report import ReportContext, advisories, advisory_text, annotated, headline, visible, waiver_note


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    waived = [(r, f) for r in results for f in r.findings if f.outcome == "waived"]
    shown = sorted(annotated(results) + waived, key=lambda p: (p[0].file, p[1].line or 0, p[1].column or 0, p[1].rule_id))
    lines = [visible(f"{r.file}:{f.line or 1}:{f.column or 1}: {headline(ctx, r, f)}"
                     + (f"; {waiver_note(ctx, f)}" if f.outcome == "waived" else "")) for r, f in shown]
    # advice for the reviewer (MODE-01), located on the dossier's first line like every line here
    lines += [visible(f"{r.file}:1:1: {advisory_text(a, ctx.lang)}") for r, a in advisories(results)]
    with_gaps = sum(1 for r in results if r.gaps(ctx.fail_on))
    lines.append(visible(" · ".join([ctx.t("report.all_summary", count=len(results), with_gaps=with_gaps)]
                                    + ctx.run_lines())))
    return "\n".join(lines) + "\n"
