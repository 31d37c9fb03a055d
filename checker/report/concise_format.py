"""One line per fail/missing finding, ``file:line:col: RULE [force] outcome: title — message``, then one summary
line: what compilers and linters print, so editors and pre-commit can jump to the line."""
from __future__ import annotations

from checker.report import ReportContext, annotated, headline, visible


def render(results, ctx: ReportContext) -> str:
    lines = [visible(f"{r.file}:{f.line or 1}:{f.column or 1}: {headline(ctx, r, f)}") for r, f in annotated(results)]
    with_gaps = sum(1 for r in results if r.gaps(ctx.fail_on))
    lines.append(ctx.t("report.all_summary", count=len(results), with_gaps=with_gaps))
    return "\n".join(lines) + "\n"
