"""``--format xlsx``: a workbook for spreadsheet software, three sheets.

- 发现 / Findings: one row per finding of every dossier (outcome, force, message, field, location, basis, remedy);
- 汇总 / Summary: one row per dossier, worst first, as the table across dossiers of every report, with the
  dossier's mode advisory (MODE-01) in its last column;
- 规则 / Rules: the rules in force (id, dimension, force, title, basis, remedy).

Built with openpyxl in write-only mode (rows are streamed, so memory stays flat for a large batch). The file is
binary: it is only written with ``--output``. Strings are stored as shared strings in UTF-8 (xlsx is XML), so
Chinese is intact in Excel, WPS and LibreOffice. Dossier text passes through ``inert.cell``: no cell starts a formula.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from checker.model.findings import DossierResult

import io

from checker.report import advisories_of, ReportContext, advisory_text, citation_text, location_text, waiver_note
from checker.text import inert
from checker.report.summary import table
from checker.report import DIMENSIONS

if TYPE_CHECKING:
    from openpyxl import Workbook

SHEETS = ("xlsx.sheet.findings", "xlsx.sheet.summary", "xlsx.sheet.rules")


def render_bytes(results: Sequence[DossierResult], ctx: ReportContext) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    t = ctx.t
    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title_key: str, head: Sequence[str], widths: Sequence[int]) -> WriteOnlyWorksheet:
        ws = book.create_sheet(t(title_key))
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        cells = []
        for key in head:
            c = WriteOnlyCell(ws, value=t(key) if "." in key else key)
            c.font = bold
            cells.append(c)
        ws.append(cells)
        return ws

    findings = sheet("xlsx.sheet.findings",
                     ("rect.col.project_id", "rect.col.project", "rect.col.file", "rect.col.rule", "html.col.dimension",
                      "rect.col.force", "rect.col.outcome", "batch.gaps", "rect.col.problem", "rect.col.field",
                      "report.missing_paths", "report.location", "html.waiver", "rect.col.citation", "rect.col.remedy"),
                     (16, 24, 28, 9, 12, 6, 10, 6, 50, 36, 30, 34, 30, 30, 60))
    for r in results:
        for f in r.findings:
            findings.append([inert.cell(r.project_id), inert.cell(r.project_name or ""), inert.cell(r.file),
                             f.rule_id, t("dimension." + f.dimension), t("force." + f.force), t("outcome." + f.outcome),
                             1 if f.is_gap(ctx.fail_on) else 0, ctx.finding_text(f, "message"), f.path,
                             ", ".join(f.missing_paths), inert.cell(location_text(r, f)),
                             inert.cell(waiver_note(ctx, f)), citation_text(ctx, f.rule_id),
                             ctx.finding_text(f, "remedy")])
    summary = sheet("xlsx.sheet.summary",
                    ("batch.file", "rect.col.project_id", "batch.project", "batch.gaps",
                     *(f"dimension.{d}" for d in DIMENSIONS), "xlsx.shall_passed", "xlsx.shall_applicable",
                     "xlsx.advisory"),
                    (30, 16, 28, 8, 12, 12, 12, 12, 10, 10, 60))
    advice = {(r.file, r.project_id): "; ".join(advisory_text(a, ctx.lang) for a in advisories_of(r))
              for r in results}
    for row in table(results, ctx):
        summary.append([inert.cell(row.file), inert.cell(row.project_id), inert.cell(row.project_name or ""), row.gaps,
                        *(row.gaps_by_dimension.get(d, 0) for d in DIMENSIONS), row.shall_passed, row.shall_applicable,
                        inert.cell(advice[row.file, row.project_id])])
    rules = sheet("xlsx.sheet.rules",
                  ("rect.col.rule", "html.col.dimension", "rect.col.force", "xlsx.title", "rect.col.citation",
                   "rect.col.remedy"), (9, 12, 6, 40, 36, 60))
    for rule in ctx.rulebook.rules:
        rules.append([rule.id, t("dimension." + rule.dimension), t("force." + rule.force),
                      ctx.rule_text(rule.id, "title"), citation_text(ctx, rule.id), ctx.rule_text(rule.id, "remedy")])
    return saved(book, ctx.as_of.date if ctx.as_of else FIXED_DAY)


FIXED_DAY = "2000-01-01"


def saved(book: Workbook, day: str = FIXED_DAY) -> bytes:
    """The workbook's bytes, stamped with ``day`` (YYYY-MM-DD) instead of the time it was written.

    openpyxl writes the current time into docProps/core.xml and every zip entry; a pinned stamp (a check's judgement
    date) makes the same inputs give the same bytes, as every other format does.
    """
    import re
    import zipfile

    buffer = io.BytesIO()
    book.save(buffer)
    year, month, dom = (int(part) for part in day.split("-"))
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", f"{day}T00:00:00Z".encode(), content)
            entry = zipfile.ZipInfo(item.filename, date_time=(max(year, 1980), month, dom, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
