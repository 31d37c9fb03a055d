"""``renovcheck portfolio``: the store's answer for a bureau, as sections of rows (one table each) rendered as
text, Markdown, CSV, XLSX and HTML with SVG charts; ``--fiscal``: one row per project for the fiscal performance
evaluation (为财政绩效评价提供依据), as CSV and XLSX. Dossier text (project names, districts) is made inert for
each medium; no CSV or XLSX cell can start a formula (checker/text/inert.py)."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.i18n.messages import pick
from checker.report import DIMENSIONS
from checker.text import inert
from checker.report.rectification_format import BOM
from checker.report import charts, xlsx_format
from checker.store import queries
from checker.store.history_report import View, page

if TYPE_CHECKING:
    from checker.rulebook.modebook import Mode
    from checker.rulebook.rules import Rulebook

Cell = str | int | float  # of a table; a str may be dossier text
Table = tuple[str | None, list[str], list[list[Cell]]]  # (title or sheet name, head, rows)

FORMATS = ("text", "markdown", "csv", "xlsx", "html")
FISCAL_FORMATS = ("csv", "xlsx")
BINARY = ("xlsx",)


@dataclass
class Section:
    key: str  # its sheet name in the workbook
    title: str
    head: list[str]
    rows: list[list[Cell]]
    note: str = ""


class PortfolioView(View):
    def __init__(self, rulebook: Rulebook, lang: str) -> None:
        super().__init__(rulebook, lang)
        self._modes: dict[str, Mode] | None = None

    def mode(self, mode_id: str) -> str:
        if not mode_id:
            return self.t("port.none")
        if self._modes is None:
            from checker.rulebook import modebook as mode_book

            self._modes = mode_book.load(self.rulebook.directory).modes
        mode = self._modes.get(mode_id)
        return pick(mode.name, self.lang) if mode is not None else mode_id

    def percent(self, value: float | None) -> str:
        return "" if value is None else f"{value:.1%}"


def sections(p: queries.Portfolio, v: PortfolioView) -> list[Section]:
    t = v.t
    found = [Section("port.sheet.dimension", t("port.by_dimension"), [t("port.col.dimension"), t("port.col.gaps")],
                     [[t("dimension." + d), p.by_dimension.get(d, 0)] for d in DIMENSIONS])]
    found.append(Section("port.sheet.rule", t("port.by_rule"),
                         [t("port.col.rule"), t("port.col.title"), t("port.col.dimension"), t("port.col.gaps")],
                         [[rule, v.title(rule), t("dimension." + dim), n] for rule, dim, n in p.by_rule]))
    found.append(Section("port.sheet.district", t("port.by_district"),
                         [t("port.col.district"), t("port.col.projects"), t("port.col.with_gaps"), t("port.col.gaps")],
                         [[d or t("port.none"), n, w, g] for d, n, w, g in p.by_district]))
    found.append(Section("port.sheet.evaluation", t("port.evaluations"),
                         [t("port.col.state"), t("port.col.projects")],
                         [[t("port.eval." + s), p.evaluations[s]] for s in queries.EVALUATION_STATES],
                         t("port.evaluations_note")))
    found.append(Section("port.sheet.due", t("port.due_list"),
                         [t("port.col.project_id"), t("port.col.project"), t("port.col.district"),
                          t("port.col.due"), t("port.col.state")],
                         [[pid, name, d or "", due or "", t("port.eval." + s)] for pid, name, d, due, s in
                          p.evaluation_list]))
    found.append(Section("port.sheet.trend", t("port.trends"),
                         [t("port.col.month"), t("port.col.satisfaction"), t("port.col.answers"),
                          t("port.col.facility"), t("port.col.answers")],
                         [[m, v.percent(s), ns, v.percent(f), nf] for m, s, ns, f, nf in p.trends],
                         t("port.trends_note")))
    found.append(Section("port.sheet.modes", t("port.modes"),
                         [t("port.col.declared"), t("port.col.recommended"), t("port.col.fits"),
                          t("port.col.projects")],
                         [[v.mode(a), v.mode(b), t("port.yes") if fits else t("port.no"), n]
                          for a, b, fits, n in p.modes], t("port.modes_note")))
    return found


def heading(p: queries.Portfolio, v: PortfolioView) -> list[str]:
    return [v.t("port.heading", as_of=p.as_of, district=p.district or v.t("port.all_districts")),
            v.t("hist.gap_rule", force=v.t("force." + p.fail_on)),
            v.t("port.projects", count=p.projects)]


def render_text(p: queries.Portfolio, v: PortfolioView) -> str:
    out = [inert.line(line) for line in heading(p, v)]
    for s in sections(p, v):
        out += ["", inert.line(s.title)]
        if s.note:
            out.append(inert.line("  " + s.note))
        out.append("  " + inert.line(" | ".join(s.head)))
        if not s.rows:
            out.append("  " + v.t("port.empty"))
        out.extend("  " + inert.line(" | ".join(str(c) for c in row)) for row in s.rows)
    return "\n".join(out) + "\n"


def render_markdown(p: queries.Portfolio, v: PortfolioView) -> str:
    head = heading(p, v)
    out = [f"# {inert.md(head[0])}", "", inert.md(head[1]) + "  ", inert.md(head[2])]
    for s in sections(p, v):
        out += ["", f"## {inert.md(s.title)}", ""]
        if s.note:
            out += [inert.md(s.note), ""]
        out.append("| " + " | ".join(inert.md(h) for h in s.head) + " |")
        out.append("|" + "---|" * len(s.head))
        out.extend("| " + " | ".join(inert.md(c) for c in row) + " |" for row in s.rows)
    return "\n".join(out) + "\n"


def _csv(tables: Iterable[Table], preamble: Sequence[str] = ()) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in preamble:
        writer.writerow([inert.cell(line)])
    for i, (title, head, rows) in enumerate(tables):
        if i or preamble:
            writer.writerow([])
        if title:
            writer.writerow([title])
        writer.writerow(head)
        for row in rows:
            writer.writerow([inert.cell(c) if isinstance(c, str) else c for c in row])
    return BOM + buffer.getvalue()


def render_csv(p: queries.Portfolio, v: PortfolioView) -> str:
    """The sections one below the other, each under its title row, a blank row between (UTF-8 with BOM)."""
    return _csv([(s.title, s.head, s.rows) for s in sections(p, v)], heading(p, v))


def _workbook(sheets: Iterable[tuple[str, list[str], list[list[Cell]]]]) -> bytes:
    """(sheet name, head, rows) as an xlsx workbook, as checker/report/xlsx_format.py writes one."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, head, rows in sheets:
        ws = book.create_sheet(name)
        ws.freeze_panes = "A2"
        cells = []
        for h in head:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            cells.append(c)
        ws.append(cells)
        for row in rows:
            ws.append([inert.cell(c) if isinstance(c, str) else c for c in row])
    return xlsx_format.saved(book)


def render_xlsx(p: queries.Portfolio, v: PortfolioView) -> bytes:
    return _workbook([(v.t(s.key), s.head, s.rows) for s in sections(p, v)])


def _bars(title: str, rows: list[tuple[str, int]]) -> str:
    return charts.bars(rows, width=charts.LINE_WIDTH, colour=charts.SERIES_COLOURS[0], title=title, font_size=11)


def render_html(p: queries.Portfolio, v: PortfolioView) -> str:
    e = inert.html_text
    head = heading(p, v)
    body = [f"<h1>{e(head[0])}</h1>", f'<p class="meta">{e(head[1])}<br>{e(head[2])}</p>',
            _bars(v.t("port.by_dimension"), [(v.t("dimension." + d), p.by_dimension.get(d, 0)) for d in DIMENSIONS]),
            _bars(v.t("port.by_district"), [(d or v.t("port.none"), g) for d, _n, _w, g in p.by_district])]
    if p.trends:
        body.append(charts.line_chart(v.t("port.trends"), [m for m, *_ in p.trends],
                                      [(v.t("port.col.satisfaction"), [s for _m, s, *_ in p.trends]),
                                       (v.t("port.col.facility"), [f for _m, _s, _ns, f, _nf in p.trends])],
                                      fraction=True))
    for s in sections(p, v):
        body.append(f"<h2>{e(s.title)}</h2>")
        if s.note:
            body.append(f'<p class="meta">{e(s.note)}</p>')
        body.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in s.head) + "</tr></thead><tbody>"
                    + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in s.rows)
                    + "</tbody></table>")
    return page(head[0], v.lang, "\n".join(body))


def render(fmt: str, p: queries.Portfolio, v: PortfolioView) -> str | bytes:
    renderers: dict[str, Callable[[queries.Portfolio, PortfolioView], str | bytes]] = {
        "text": render_text, "markdown": render_markdown, "csv": render_csv, "xlsx": render_xlsx,
        "html": render_html}
    return renderers[fmt](p, v)


# --- fiscal performance evaluation -------------------------------------------------------------------------------

FISCAL_COLUMNS = ("project_id", "project", "district", "phase", "checked_on", "evaluation_state", "evaluation_due",
                  "evaluated_by", "evaluation_date", "professional_body", "independent", "satisfaction",
                  "facility_use", "sample_size", "report", "improvement_plan", "fiscal_use", "gaps_count", "gaps")


def fiscal_rows(rows: list[queries.FiscalRow], v: PortfolioView) -> tuple[list[str], list[list[Cell]]]:
    t = v.t

    def yes_no(value: object) -> str:
        return t("port.yes") if value is True else t("port.no") if value is False else t("port.not_stated")

    head = [t("fiscal.col." + c) for c in FISCAL_COLUMNS]
    body: list[list[Cell]] = []
    for r in rows:
        ev = r.evaluation
        sample = ev.get("sample_size")
        body.append([r.project_id, r.project_name, r.district, t("phase." + r.phase) if r.phase else "",
                     r.checked_on, t("port.eval." + r.evaluation_state), r.evaluation_due or "",
                     ev.get("by") or "", ev.get("date") or "", yes_no(ev.get("professional_body")),
                     yes_no(ev.get("independent")), v.percent(r.satisfaction_rate), v.percent(r.facility_use_rate),
                     sample if sample is not None else "", yes_no(ev.get("report")),
                     yes_no(ev.get("improvement_plan")), yes_no(ev.get("fiscal_performance")), len(r.gaps),
                     ", ".join(r.gaps)])
    return head, body


def render_fiscal(fmt: str, rows: list[queries.FiscalRow], v: PortfolioView) -> str | bytes:
    head, body = fiscal_rows(rows, v)
    if fmt == "xlsx":
        return _workbook([(v.t("fiscal.sheet"), head, body)])
    return _csv([(None, head, body)])
