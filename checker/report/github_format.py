"""GitHub Actions workflow commands: one annotation per fail/missing finding, on the dossier line it is about.

``::error`` for a gap that fails the run, ``::warning`` for a fail/missing below ``--fail-on``, ``::notice`` for a
gap already in the baseline and for a gap the reviewer's waiver list waives (who approved it, why, until when);
at most ``MAX_ANNOTATIONS``, the most severe first (errors, then waived shall gaps). The run's judgement date, waiver
list and evidence verification come first, as a notice. Values are escaped as the runner expects
(``%``, CR and LF everywhere; ``:`` and ``,`` too in properties), so dossier text cannot start a new command.
"""
from __future__ import annotations

from collections.abc import Sequence
from checker.model.findings import DossierResult, Finding

from checker.report import ReportContext, advisories, advisory_text, annotated, gap_message, is_failing, profile_lines
from checker.text.inert import controls, line


def escape_data(text: str) -> str:
    """The runner's own escapes, then control and bidi characters shown (they would reorder the annotation)."""
    return controls(str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props: str | None) -> str:
    shown = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v is not None)
    return f"::{level} {shown}::{escape_data(message)}" if shown else f"::{level}::{escape_data(message)}"


# GitHub shows at most 50 annotations of a job; more are dropped silently, so the most severe ones go first and
# the rest are counted in a closing line.
MAX_ANNOTATIONS = 50
_LEVEL_RANK = {"error": 0, "warning": 1, "notice": 2}
_FORCE_RANK = {"shall": 0, "should": 1, "may": 2}


def _level(ctx: ReportContext, result: DossierResult, finding: Finding) -> str:
    if finding.outcome == "waived":
        return "notice"  # an accepted gap stays visible
    if finding.outcome not in ("fail", "missing"):
        return "notice"  # information: a may-rule's option not taken, a pass on a bare claim or a stated reason
    if is_failing(ctx, result, finding):
        return "error"
    return "notice" if finding.is_gap(ctx.fail_on) else "warning"  # a gap not failing the run is in the baseline


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    waived = [(r, f) for r in results for f in r.findings if f.outcome == "waived"]
    ranked = sorted(((_level(ctx, r, f), r, f) for r, f in annotated(results, informational=True) + waived),
                    key=lambda x: (_LEVEL_RANK[x[0]] if x[2].outcome != "waived" else 0.5, _FORCE_RANK[x[2].force]))
    lines = [command("notice", " · ".join(ctx.run_lines()), title="renovcheck")]
    profile = profile_lines(ctx)
    lines += [command("notice", "; ".join(profile[1:]), title=profile[0])] if profile else []
    # advice for the reviewer (MODE-01): a notice on the dossier, never an error, kept before the findings' cap
    lines += [command("notice", advisory_text(a, ctx.lang), file=r.file, title=a.id) for r, a in advisories(results)]
    budget = max(0, MAX_ANNOTATIONS - len(lines))  # the run's notices count as annotations too
    lines += [command(level, gap_message(ctx, r, f), file=r.file, line=str(f.line or 1), col=str(f.column or 1),
                      title=f"{f.rule_id} {ctx.rule_text(f.rule_id, 'title')}")
              for level, r, f in ranked[:budget]]
    if len(ranked) > budget:
        lines.append(ctx.t("report.annotations_capped", shown=budget, more=len(ranked) - budget))
    with_gaps = sum(1 for r in results if any(is_failing(ctx, r, f) for f in r.findings))
    lines.append(line(ctx.t("report.all_summary", count=len(results), with_gaps=with_gaps)))
    return "\n".join(lines) + "\n"
