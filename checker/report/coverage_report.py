"""``renovcheck rules coverage`` output: the requirement catalogue against the rulebook (checker/rulebook/coverage.py
computes it), as text or JSON (format ``renovcheck-coverage``)."""
from __future__ import annotations

from checker.lang.paths import Data

import json

from checker.i18n.messages import pick, text
from checker.report import ReportContext
from checker.report.tables import aligned
from checker.rulebook.coverage import DIMENSIONS, Coverage, totals


def render_json(cov: Coverage, ctx: ReportContext) -> str:
    lang = ctx.lang

    def entry(r: dict[str, Data]) -> dict[str, Data]:
        out = {"id": r["id"], "dimension": r["dimension"], "section": r["section"], "phrase": r["phrase"],
               "force": r["force"], "wording": r["wording"], "summary": pick(r["summary"], lang)}
        if r.get("case"):
            out["case"] = r["case"]
        if r.get("rules"):
            out["rules"] = list(r["rules"])
        else:
            out["review"] = pick(r["review"], lang)
        return out

    doc = {
        "format": "renovcheck-coverage",
        "format_version": 1,
        "catalog": cov.catalog.file,
        "lang": lang,
        "totals": dict(totals(cov), context=len(cov.catalog.context)),
        "by_dimension": cov.by_dimension,
        "checked": [entry(r) for r in cov.checked],
        "manual": [entry(r) for r in cov.manual],
        "unreferenced_rules": list(cov.unreferenced),
        "problems": [p.render(lang) for p in cov.problems],
        "ok": cov.ok,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_text(cov: Coverage, ctx: ReportContext) -> str:
    lang = ctx.lang
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    out = [t("coverage.title", file=cov.catalog.file), ""]
    header = (t("coverage.col_dimension"), t("coverage.col_requirements"), t("coverage.col_checked"),
              t("coverage.col_manual"), t("coverage.col_rules"))
    rows = [(t("dimension." + d), *(str(cov.by_dimension[d][k]) for k in ("requirements", "checked", "manual", "rules")))
            for d in DIMENSIONS]
    total = totals(cov)
    rows.append((t("coverage.total"), *(str(total[k]) for k in ("requirements", "checked", "manual", "rules"))))
    out.extend(aligned(header, rows, align="lrrrr", rule=False, indent="  "))
    out.append("")
    out.append(t("coverage.context", count=len(cov.catalog.context)))
    out.append("")
    out.append(t("coverage.checked_heading", count=len(cov.checked)))
    for r in cov.checked:
        out.append(f"  {r['id']}  [{t('force.' + r['force'])}] {r['section']} “{r['phrase']}” → {', '.join(r['rules'])}")
    out.append("")
    out.append(t("coverage.manual_heading", count=len(cov.manual)))
    for r in cov.manual:
        out.append(f"  {r['id']}  [{t('force.' + r['force'])}] {r['section']} “{r['phrase']}”")
        out.append(f"      {t('coverage.review')}: {pick(r['review'], lang)}")
    out.append("")
    out.append(t("coverage.unreferenced_heading", count=len(cov.unreferenced)))
    out.append("  " + (", ".join(cov.unreferenced) if cov.unreferenced else t("coverage.none")))
    if cov.problems:
        out.append("")
        out.append(t("coverage.problems_heading", count=len(cov.problems)))
        out.extend("  " + p.render(lang) for p in cov.problems)
    return "\n".join(out) + "\n"
