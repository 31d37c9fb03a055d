"""``renovcheck recommend PATH...`` over many dossiers: one row per community, for a planner's portfolio.

Each row: project, district, households, fee collection rate, willingness to self-govern, the modes the guide
recommends (建议/鼓励) and permits (可), the declared mode and its fit, and the one-sentence answer. Formats: text,
markdown, csv (UTF-8 with BOM, formula-safe cells), json (``renovcheck-recommend-portfolio``) and html (one page,
no script, a CSP that allows only its own style). Dossier text is inert in each (checker/text/inert.py).
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker import __version__
from checker.report.recommend_report import View
from checker.text import inert
from checker.report.html_format import style_csp
from checker.report.tables import aligned, markdown_head, markdown_row
from checker.lang.paths import Data

if TYPE_CHECKING:
    from checker.modes.recommend import Recommendation
    from checker.rulebook.modebook import ModeBook

FORMATS = ("text", "json", "markdown", "csv", "html")
BOM = "\ufeff"  # spreadsheet software reads a CSV without it in the locale's code page, which garbles Chinese
COLUMNS = ("file", "project", "district", "households", "fee_rate", "willingness", "recommended", "permitted",
           "declared", "declared_fit", "answer")


@dataclass
class Row:
    file: str
    project_id: str
    project: str
    district: str
    households: object
    fee_rate: object
    willingness: object
    recommended: list
    permitted: list
    declared: str | None
    declared_fit: str | None  # the declared mode's fit: recommended, permitted, possible, not_advised
    answer: str


def rows(recommendations: Iterable[Recommendation], data_by_file: dict[str, Data], book: ModeBook, lang: str) -> list[Row]:
    v = View(book, lang)
    out = []
    for rec in recommendations:
        project = (data_by_file.get(rec.file) or {}).get("project") or {}
        out.append(Row(rec.file, rec.project_id, rec.project_name, str(project.get("district", "")),
                       rec.inputs.get("community.households"), rec.inputs.get("community.fee_collection_rate"),
                       rec.inputs.get("community.self_governance_willingness"),
                       [m.id for m in rec.modes if m.fit == "recommended"],
                       [m.id for m in rec.modes if m.fit == "permitted"],
                       rec.declared, rec.mode(rec.declared).fit if rec.declared else None, v.answer(rec)))
    return out


def _cells(row: Row, v: View) -> list:
    """The row as a reader sees it (before the medium's own escaping)."""
    def shown(path: str, value: Data) -> str:
        return v.t("recommend.not_stated") if value is None else v.value(path, value)

    modes = v.t("recommend.list_separator")
    return [row.file, row.project or row.project_id, row.district,
            shown("community.households", row.households), shown("community.fee_collection_rate", row.fee_rate),
            shown("community.self_governance_willingness", row.willingness),
            modes.join(v.mode_name(m) for m in row.recommended) or "—",
            modes.join(v.mode_name(m) for m in row.permitted) or "—",
            v.mode_name(row.declared) if row.declared else "—",
            v.t("recommend.fit." + row.declared_fit) if row.declared_fit else "—", row.answer]


def _head(v: View) -> list:
    return [v.t("portfolio.col." + c) for c in COLUMNS]


def _summary(table: list, v: View) -> list:
    counts: dict = {}
    for row in table:
        top = (row.recommended or row.permitted or [None])[0]
        counts[top] = counts.get(top, 0) + 1
    order = [m for m in v.book.modes if m in counts] + ([None] if None in counts else [])
    return [v.t("portfolio.count", mode=v.mode_name(m) if m else v.t("portfolio.none"), count=counts[m])
            for m in order]


def render(fmt: str, table: list[Row], book: ModeBook, lang: str) -> str:
    v = View(book, lang)
    if fmt == "json":
        return _json(table, book)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(_head(v))
        for row in table:
            writer.writerow([inert.cell(c) for c in _cells(row, v)])
        return BOM + buffer.getvalue()
    title = v.t("portfolio.title", count=len(table))
    if fmt == "markdown":
        out = [f"## {inert.md(title)}", ""] + [f"- {inert.md(line)}" for line in _summary(table, v)] + [""]
        out += markdown_head([inert.md(h) for h in _head(v)])
        out += [markdown_row([inert.md(c) for c in _cells(row, v)]) for row in table]
        return "\n".join(out) + "\n"
    if fmt == "html":
        return _html(title, table, v)
    short = [_cells(row, v) for row in table]
    out = [inert.line(title)] + ["  " + inert.line(line) for line in _summary(table, v)] + [""]
    out += [inert.line(line) for line in aligned(_head(v)[:-1], [c[:-1] for c in short])]
    out += ["", v.t("portfolio.answers")] + [inert.line(f"  {row.file}: {row.answer}") for row in table]
    return "\n".join(out) + "\n"


def _json(table: list[Row], book: ModeBook) -> str:
    doc = {"format": "renovcheck-recommend-portfolio", "version": 1, "tool_version": __version__,
           "profile": book.profile, "parameters": dict(sorted(book.param_values().items())),
           "dossiers": [{"file": r.file, "project_id": r.project_id, "project": r.project, "district": r.district,
                         "households": r.households, "fee_collection_rate": r.fee_rate,
                         "self_governance_willingness": r.willingness, "recommended": r.recommended,
                         "permitted": r.permitted, "declared": r.declared, "declared_fit": r.declared_fit,
                         "answer": r.answer} for r in table]}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


_STYLE = """
body{margin:0 auto;max-width:1200px;padding:16px;font:13px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1d2330}
h1{font-size:20px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #9aa3b2;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef1f6}
td.fit-not_advised{color:#a1261b}
""".strip()


def _html(title: str, table: list, v: View) -> str:
    e = inert.html_text
    head = "".join(f"<th>{e(h)}</th>" for h in _head(v))
    body = []
    for row in table:
        cells = _cells(row, v)
        fit_class = f' class="fit-{row.declared_fit}"' if row.declared_fit else ""
        body.append("<tr>" + "".join(f"<td{fit_class if i == 9 else ''}>{e(c)}</td>" for i, c in enumerate(cells))
                    + "</tr>")
    summary = "".join(f"<li>{e(line)}</li>" for line in _summary(table, v))
    lang = "en" if v.lang == "en" else "zh-CN"
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{e(style_csp(_STYLE))}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{e(title)}</h1>\n<ul>{summary}</ul>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>\n</body>\n</html>\n")
