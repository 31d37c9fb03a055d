"""``renovcheck history``: one project's gaps over its checks, what was closed and what reopened, in text,
Markdown, JSON and an HTML page with a chart. Every text from a dossier (file and project names) is made inert
for its medium (checker/text/inert.py)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from checker.i18n.messages import pick, text
from checker.report import DIMENSIONS
from checker.text import inert
from checker.report import charts

if TYPE_CHECKING:
    from checker.rulebook.rules import Rulebook
    from checker.store.queries import History, Point

FORMATS = ("text", "markdown", "json", "html")


class View:
    def __init__(self, rulebook: Rulebook, lang: str) -> None:
        self.rulebook = rulebook
        self.lang = lang

    def t(self, key: str, **params: object) -> str:
        return text(key, self.lang, **params)

    def title(self, rule_id: str) -> str:
        rule = self.rulebook.get(rule_id)
        return pick(rule.title, self.lang) if rule is not None else ""

    def rule(self, rule_id: str) -> str:
        title = self.title(rule_id)
        return f"{rule_id} {title}" if title else rule_id

    def outcome(self, outcome: str) -> str:
        return self.t("outcome." + outcome)

    def profile(self, name: str) -> str:
        return self.t("hist.no_profile") if name == "default" else name

    def rate(self, value: float | None) -> str:
        return "-" if value is None else f"{value:.0%}"

    def dimensions(self, point: Point) -> str:
        counts = point.by_dimension(DIMENSIONS)
        return self.t("hist.sep").join(f"{self.t('hist.dim.' + d)} {counts[d]}" for d in DIMENSIONS)

    def unchanged(self, first: bool) -> str:
        return self.t("hist.first_none" if first else "hist.unchanged")

    def changes(self, point: Point, first: bool) -> list[tuple[str, list[str]]]:
        """(label, items) for what changed at this check."""
        if first:
            return [(self.t("hist.first"), [self.rule(r) for r in point.opened])] if point.opened else []
        found: list[tuple[str, list[str]]] = []
        if point.closed:
            found.append((self.t("hist.closed"), [f"{self.rule(r)}({self.outcome(o)})" if self.lang == "zh"
                                                  else f"{self.rule(r)} ({self.outcome(o)})" for r, o in point.closed]))
        if point.opened:
            found.append((self.t("hist.opened"), [self.rule(r) for r in point.opened]))
        if point.reopened:
            found.append((self.t("hist.reopened"), [self.rule(r) for r in point.reopened]))
        if point.unchecked:
            found.append((self.t("hist.unchecked"), [self.rule(r) for r in point.unchecked]))
        return found


def _head(view: View, history: History) -> list[str]:
    name = f"{history.project_id} {history.project_name}"
    lines = [view.t("hist.heading", project=name, district=history.district or "-"),
             view.t("hist.gap_rule", force=view.t("force." + history.fail_on)),
             view.t("hist.span", count=len(history.points), first=history.points[0].as_of,
                    last=history.points[-1].as_of)]
    return lines


def render_text(history: History, view: View) -> str:
    out = [inert.line(line) for line in _head(view, history)]
    for i, p in enumerate(history.points):
        out.append("")
        out.append(inert.line(view.t("hist.point", as_of=p.as_of, gaps=len(p.gaps), dimensions=view.dimensions(p))))
        out.append(inert.line("  " + view.t("hist.point_meta", file=p.file, sha=p.file_sha256[:12], rulebook=p.rulebook,
                                            profile=view.profile(p.profile), satisfaction=view.rate(p.satisfaction_rate),
                                            facility=view.rate(p.facility_use_rate))))
        changes = view.changes(p, i == 0)
        if not changes:
            out.append("  " + view.unchanged(i == 0))
        for label, items in changes:
            out.append(inert.line(f"  {label}:"))
            out.extend(inert.line(f"    {item}") for item in items)
    return "\n".join(out) + "\n"


def render_markdown(history: History, view: View) -> str:
    head = _head(view, history)
    out = [f"# {inert.md(head[0])}", "", inert.md(head[1]) + "  ", inert.md(head[2]), ""]
    dims = [view.t("dimension." + d) for d in DIMENSIONS]
    out.append("| " + " | ".join([view.t("hist.col.as_of"), *dims, view.t("hist.col.total"),
                                  view.t("hist.col.satisfaction"), view.t("hist.col.facility"),
                                  view.t("hist.col.file")]) + " |")
    out.append("|" + "---|" * (len(dims) + 5))
    for p in history.points:
        counts = p.by_dimension(DIMENSIONS)
        out.append("| " + " | ".join([p.as_of, *(str(counts[d]) for d in DIMENSIONS), str(len(p.gaps)),
                                      view.rate(p.satisfaction_rate), view.rate(p.facility_use_rate),
                                      inert.md_code(p.file, in_table=True)]) + " |")
    for i, p in enumerate(history.points):
        out += ["", f"## {p.as_of}", ""]
        changes = view.changes(p, i == 0)
        if not changes:
            out.append(inert.md(view.unchanged(i == 0)))
        for label, items in changes:
            out.append(f"- {inert.md(label)}: " + "; ".join(inert.md(item) for item in items))
    return "\n".join(out) + "\n"


def as_data(history: History) -> dict[str, object]:
    return {
        "format": "renovcheck-history",
        "format_version": 1,
        "project": {"id": history.project_id, "name": history.project_name, "district": history.district},
        "fail_on": history.fail_on,
        "points": [{
            "as_of": p.as_of, "file": p.file, "file_sha256": p.file_sha256, "phase": p.phase,
            "rulebook": p.rulebook, "profile": p.profile,
            "satisfaction_rate": p.satisfaction_rate, "facility_use_rate": p.facility_use_rate,
            "gaps": len(p.gaps), "gaps_by_dimension": p.by_dimension(DIMENSIONS), "open": list(p.gaps),
            "opened": list(p.opened), "reopened": list(p.reopened),
            "closed": [{"rule_id": r, "outcome": o} for r, o in p.closed],
            "not_checked": list(p.unchecked),
        } for p in history.points],
    }


def render_json(history: History, view: View) -> str:
    return json.dumps(as_data(history), ensure_ascii=False, indent=2) + "\n"


STYLE = ("body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}th{background:#eee}"
         ".meta{color:#555}svg{display:block;margin:1em 0}")


def page(title: str, lang: str, body: str) -> str:
    """A self-contained page: inline style allowed by hash, nothing else (no script, no external asset)."""
    from checker.report.html_format import style_csp

    return ("<!DOCTYPE html>\n"
            f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{inert.html_text(style_csp(STYLE))}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{inert.html_text(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def render_html(history: History, view: View) -> str:
    e = inert.html_text
    head = _head(view, history)
    labels = [p.as_of for p in history.points]
    series: list[tuple[str, list[int]] | tuple[str, list[int], str]] = [
        (view.t("dimension." + d), [p.by_dimension(DIMENSIONS)[d] for p in history.points]) for d in DIMENSIONS]
    series.append((view.t("hist.col.total"), [len(p.gaps) for p in history.points], "dashed"))
    body = [f"<h1>{e(head[0])}</h1>", f'<p class="meta">{e(head[1])}<br>{e(head[2])}</p>',
            charts.line_chart(view.t("hist.chart"), labels, series)]
    rows = []
    for i, p in enumerate(history.points):
        counts = p.by_dimension(DIMENSIONS)
        changes = "".join(f"<div>{e(label)}: {e('; '.join(items))}</div>"
                          for label, items in view.changes(p, i == 0)) or e(view.unchanged(i == 0))
        rows.append("<tr>" + "".join(f"<td>{e(v)}</td>" for v in (p.as_of, *(counts[d] for d in DIMENSIONS),
                                                                   len(p.gaps), view.rate(p.satisfaction_rate),
                                                                   view.rate(p.facility_use_rate), p.file))
                    + f"<td>{changes}</td></tr>")
    cols = [view.t("hist.col.as_of"), *(view.t("dimension." + d) for d in DIMENSIONS), view.t("hist.col.total"),
            view.t("hist.col.satisfaction"), view.t("hist.col.facility"), view.t("hist.col.file"),
            view.t("hist.col.changes")]
    body.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr></thead><tbody>"
                + "".join(rows) + "</tbody></table>")
    return page(head[0], view.lang, "\n".join(body))


def render(fmt: str, history: History, view: View) -> str:
    return {"text": render_text, "markdown": render_markdown, "json": render_json, "html": render_html}[fmt](
        history, view)
