"""``renovcheck diff`` output: text, JSON (format ``renovcheck-diff``) or Markdown."""
from __future__ import annotations

from checker.check.diff import Change, Diff

import json

from checker.report import ReportContext, citation_text, location_text, visible, waiver_note
from checker.text.inert import md
from checker.report.json_format import run_metadata



def _change_line(ctx: ReportContext, diff: Diff, c: Change) -> str:
    t = ctx.t
    return (f"{c.rule_id} [{t('force.' + c.force)}] {ctx.rule_text(c.rule_id, 'title')}: "
            f"{t('outcome.' + c.old)} → {t('outcome.' + c.new)}")


def _sections(diff: Diff) -> tuple[tuple[str, list[Change]], ...]:
    return (("diff.introduced", diff.introduced), ("diff.fixed", diff.fixed), ("diff.changed", diff.changed))


def render_text(diff: Diff, ctx: ReportContext) -> str:
    t = ctx.t
    out = [t("diff.title", old=diff.old.file, new=diff.new.file)] + ctx.run_lines()
    if not diff.same_project:
        out.append(t("diff.other_project", old_id=diff.old.project_id, new_id=diff.new.project_id))
    for key, changes in _sections(diff):
        out.append(f"{t(key)} ({len(changes)})")
        if not changes:
            out.append(f"  {t('diff.none')}")
        for c in changes:
            out.append(f"  {_change_line(ctx, diff, c)}")
            if key == "diff.introduced":
                out.append(f"      {t('report.location')} {location_text(diff.new, c.finding)} · "
                           f"{t('report.citation')}: {citation_text(ctx, c.rule_id)}")
                out.append(f"      {t('report.remedy')}: {ctx.rule_text(c.rule_id, 'remedy')}")
            note = waiver_note(ctx, c.finding)
            if note and key != "diff.changed":
                out.append(f"      {note}")
    out.append(t("diff.summary", fixed=len(diff.fixed), introduced=len(diff.introduced), changed=len(diff.changed),
                 fail_on=ctx.fail_on))
    return "\n".join(visible(line) for line in out) + "\n"


def _change_dict(ctx: ReportContext, diff: Diff, c: Change) -> dict[str, object]:
    f = c.finding
    return {"rule_id": c.rule_id, "dimension": c.dimension, "force": c.force, "title": ctx.rule_text(c.rule_id, "title"),
            "old": c.old, "new": c.new, "old_gap": c.old_gap, "new_gap": c.new_gap,
            "location": {"line": f.line, "column": f.column, "path": f.located_at} if f.line else None,
            "citation": ctx.citation(c.rule_id)}


def render_json(diff: Diff, ctx: ReportContext) -> str:
    doc = {"format": "renovcheck-diff", "format_version": 1, "tool": {"name": "renovcheck", "version": ctx.tool_version},
           "lang": ctx.lang, "fail_on": ctx.fail_on, "review": run_metadata(ctx),
           "old": {"file": diff.old.file, "project": {"id": diff.old.project_id, "name": diff.old.project_name},
                   "gaps": len(diff.old.gaps(ctx.fail_on))},
           "new": {"file": diff.new.file, "project": {"id": diff.new.project_id, "name": diff.new.project_name},
                   "gaps": len(diff.new.gaps(ctx.fail_on))},
           "same_project": diff.same_project,
           "introduced": [c.rule_id for c in diff.introduced],
           "fixed": [c.rule_id for c in diff.fixed],
           "changed": [_change_dict(ctx, diff, c) for c in diff.changed]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_markdown(diff: Diff, ctx: ReportContext) -> str:
    t = ctx.t
    out = [f"## {md(t('diff.title', old=diff.old.file, new=diff.new.file))}", "",
           " · ".join(md(line) for line in ctx.run_lines()), ""]
    if not diff.same_project:
        out += [md(t("diff.other_project", old_id=diff.old.project_id, new_id=diff.new.project_id)), ""]
    out += [md(t("diff.summary", fixed=len(diff.fixed), introduced=len(diff.introduced), changed=len(diff.changed),
                 fail_on=ctx.fail_on)), ""]
    for key, changes in _sections(diff):
        out += [f"### {md(t(key))} ({len(changes)})", ""]
        if not changes:
            out.append(md(t("diff.none")))
        for c in changes:
            out.append(f"- {md(_change_line(ctx, diff, c))}")
            if key == "diff.introduced":
                out.append(f"  - {md(t('report.location'))}: {md(location_text(diff.new, c.finding))} · "
                           f"{md(t('report.citation'))}: {md(citation_text(ctx, c.rule_id))}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"

