"""The rectification list (整改清单) a reviewer sends back to the applicant: every gap of each dossier with what to
do about it, and blank deadline, contact and status fields to fill in. Three media, one set of rows:

- ``rectification-md``: Markdown, one table per dossier;
- ``rectification-html``: a self-contained page made for printing on A4 (one dossier per page, style by hash);
- ``rectification-csv``: one row per gap, UTF-8 with a byte-order mark so that spreadsheet software shows Chinese;
  a dossier's mode advisory (MODE-01) is a row of its own, without a number.

A gap is a fail or missing finding at or above ``--fail-on`` that no reviewer's waiver covers. Dossier text is made
inert for each medium (checker/text/inert.py); in the CSV a cell cannot start a formula.
"""
from __future__ import annotations

from collections.abc import Sequence
from checker.model.findings import DossierResult

import csv
import io
from dataclasses import dataclass

from checker.report import advisories_of, ReportContext, advisory_text, citation_text, location_text
from checker.report.tables import markdown_head, markdown_row
from checker.schema.hints import field_label, field_labels
from checker.text import inert

# the columns the applicant fills in
FILL_IN = ("rect.col.deadline", "rect.col.contact", "rect.col.done")


@dataclass(frozen=True)
class Item:
    number: int
    rule_id: str
    force: str
    outcome: str
    problem: str
    field: str  # the dossier field, with the missing ones
    location: str
    citation: str
    remedy: str


def items(result: DossierResult, ctx: ReportContext) -> list:
    """The gaps of one dossier, shall-rules first, then in rule order."""
    gaps = sorted(result.gaps(ctx.fail_on), key=lambda f: (-_rank(f.force), f.rule_id))
    out = []
    for number, f in enumerate(gaps, 1):
        fields = field_label(f.path, ctx.lang) + (f" ({ctx.t('report.missing_paths')}: "
                                                  f"{field_labels(f.missing_paths, ctx.lang)})" if f.missing_paths else "")
        out.append(Item(number, f.rule_id, ctx.t("force." + f.force), ctx.t("outcome." + f.outcome),
                        ctx.finding_text(f, "message"), fields, location_text(result, f),
                        citation_text(ctx, f.rule_id), ctx.finding_text(f, "remedy")))
    return out


def _rank(force: str) -> int:
    from checker.model.findings import FORCE_RANK

    return FORCE_RANK[force]


def _project(result: DossierResult) -> str:
    return result.project_name or result.project_id


# --- Markdown --------------------------------------------------------------------------------------------------------

def render_markdown(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    t, md = ctx.t, inert.md
    out = [f"# {md(t('rect.title'))}", "", " · ".join(md(line) for line in ctx.run_lines()), ""]
    head = ["rect.col.no", "rect.col.rule", "rect.col.force", "rect.col.problem", "rect.col.field",
            "rect.col.remedy", *FILL_IN]
    for result in results:
        out += [f"## {md(_project(result))} ({inert.md_code(result.project_id)})", "",
                f"{md(t('rect.col.file'))}: {inert.md_code(result.file)}", ""]
        rows = items(result, ctx)
        out += [f"> {md(advisory_text(a, ctx.lang))}\n" for a in advisories_of(result)]
        if not rows:
            out += [md(t("rect.none")), ""]
            continue
        out += [md(t("rect.intro", fail_on=ctx.fail_on)), "", *markdown_head([md(t(k)) for k in head])]
        for i in rows:
            cells = [str(i.number), md(i.rule_id), md(i.force), md(i.problem),
                     inert.md_code(i.field, in_table=True) + " " + inert.md_code(i.location, in_table=True),
                     md(i.remedy) + "<br>" + md(i.citation), " ", " ", " "]
            out.append(markdown_row(cells))
        out.append("")
    return "\n".join(out)


# --- CSV ------------------------------------------------------------------------------------------------------------

BOM = "\ufeff"  # Excel and WPS read a CSV without it in the locale's code page, which garbles Chinese


def render_csv(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([ctx.t(k) for k in ("rect.col.project_id", "rect.col.project", "rect.col.file", "rect.col.no",
                                        "rect.col.rule", "rect.col.force", "rect.col.outcome", "rect.col.problem",
                                        "rect.col.field", "report.location", "rect.col.citation", "rect.col.remedy",
                                        *FILL_IN)])
    for result in results:
        for i in items(result, ctx):
            writer.writerow([inert.cell(v) for v in (result.project_id, _project(result), result.file)]
                            + [str(i.number), i.rule_id, i.force, i.outcome, inert.cell(i.problem),
                               inert.cell(i.field), inert.cell(i.location), i.citation, i.remedy, "", "", ""])
        # advice for the reviewer (MODE-01), not a gap: a row without a number, after the dossier's gaps
        for a in advisories_of(result):
            writer.writerow([inert.cell(v) for v in (result.project_id, _project(result), result.file)]
                            + ["", a.id, "", ctx.t("rect.advisory"), inert.cell(advisory_text(a, ctx.lang)),
                               inert.cell(field_label(a.path, ctx.lang)), inert.cell(result.file), "", "", "", "", ""])
    return BOM + buffer.getvalue()


# --- HTML -----------------------------------------------------------------------------------------------------------

STYLE = """
@page{size:A4;margin:14mm 12mm}
body{margin:0 auto;max-width:1100px;padding:16px;font:13px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1d2330}
h1{font-size:20px;margin:0 0 6px}h2{font-size:16px;margin:18px 0 6px}
.meta{color:#5b6475;font-size:12px}
table{border-collapse:collapse;width:100%;table-layout:fixed}
thead{display:table-header-group}
th,td{border:1px solid #9aa3b2;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef1f6;font-weight:600}
tr{break-inside:avoid}
col.no{width:4%}col.rule{width:7%}col.force{width:4%}col.problem{width:20%}col.field{width:17%}col.remedy{width:24%}col.fill{width:8%}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}
.cite{color:#5b6475;font-size:11px}
section.dossier+section.dossier{break-before:page}
@media print{body{padding:0;max-width:none;font-size:9.5pt}}
""".strip()


def render_html(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    from checker.report.html_format import style_csp

    t, e = ctx.t, inert.html_text
    lang = "en" if ctx.lang == "en" else "zh-CN"
    sections = []
    for result in results:
        rows = items(result, ctx)
        head = (f'<h2>{e(t("rect.title"))}:{e(_project(result))} <code>{e(result.project_id)}</code></h2>'
                f'<p class="meta">{e(t("rect.col.file"))}: <code>{e(result.file)}</code></p>'
                + "".join(f"<p><strong>!</strong> {e(advisory_text(a, ctx.lang))}</p>" for a in advisories_of(result)))
        if not rows:
            sections.append(f'<section class="dossier">{head}<p>{e(t("rect.none"))}</p></section>')
            continue
        cols = ('<colgroup><col class="no"><col class="rule"><col class="force"><col class="problem"><col class="field"><col class="remedy">'
                + '<col class="fill">' * len(FILL_IN) + '</colgroup>')
        ths = "".join(f"<th>{e(t(k))}</th>" for k in ("rect.col.no", "rect.col.rule", "rect.col.force",
                                                       "rect.col.problem", "rect.col.field", "rect.col.remedy", *FILL_IN))
        body = "".join(
            f"<tr><td>{i.number}</td><td><code>{e(i.rule_id)}</code></td><td>{e(i.force)}</td><td>{e(i.problem)}</td>"
            f"<td><code>{e(i.field)}</code><br><code>{e(i.location)}</code></td>"
            f'<td>{e(i.remedy)}<div class="cite">{e(i.citation)}</div></td>' + "<td></td>" * len(FILL_IN) + "</tr>"
            for i in rows)
        sections.append(f'<section class="dossier">{head}<p>{e(t("rect.intro", fail_on=ctx.fail_on))}</p>'
                        f"<table>{cols}<thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table></section>")
    run = "<br>".join(e(line) for line in ctx.run_lines())
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{e(style_csp(STYLE))}">\n'
            f'<title>{e(t("rect.title"))}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n'
            f'<h1>{e(t("rect.title"))}</h1><p class="meta">{run}</p>\n' + "\n".join(sections) + "\n</body>\n</html>\n")
