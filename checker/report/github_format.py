"""GitHub Actions workflow commands: one annotation per fail/missing finding, on the dossier line it is about.

``::error`` for a gap that fails the run, ``::warning`` for a fail/missing below ``--fail-on``, ``::notice`` for a
gap already in the baseline. Waived findings get no annotation. Values are escaped as the runner expects
(``%``, CR and LF everywhere; ``:`` and ``,`` too in properties), so dossier text cannot start a new command.
"""
from __future__ import annotations

from checker.report import ReportContext, gap_message, is_failing


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props) -> str:
    shown = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v is not None)
    return f"::{level} {shown}::{escape_data(message)}" if shown else f"::{level}::{escape_data(message)}"


def render(results, ctx: ReportContext) -> str:
    lines = []
    for result in results:
        for f in result.findings:
            if f.outcome not in ("fail", "missing"):
                continue
            if is_failing(ctx, result, f):
                level = "error"
            elif f.is_gap(ctx.fail_on):
                level = "notice"  # in the baseline
            else:
                level = "warning"
            lines.append(command(level, gap_message(ctx, result, f), file=result.file,
                                 line=str(f.line or 1), col=str(f.column or 1),
                                 title=f"{f.rule_id} {ctx.rule_text(f.rule_id, 'title')}"))
    with_gaps = sum(1 for r in results if any(is_failing(ctx, r, f) for f in r.findings))
    lines.append(ctx.t("report.all_summary", count=len(results), with_gaps=with_gaps))
    return "\n".join(lines) + "\n"
