"""The workbench's pages (Starlette): each route asks the library (through checker/web/workbench.py) and renders
a Jinja2 template with autoescaping. Dossier text reaches a page only through the templates' escaping or
checker/text/inert.py (the HTML report's own escaping, in the report section embedded as it is)."""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import TypedDict

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from checker.i18n.messages import pick, text
from checker.report import DIMENSIONS
from checker.report import html_format
from checker.text.inert import html_text
from checker.report.summary import row as summary_row
from checker.report import charts
from checker.web import desk, editor, planner, security, texts  # noqa: F401  (texts: the messages)
from checker.model.findings import DossierResult, Finding
from checker.report.summary import Row as SummaryRow
from checker.web.pages import inert, mode_name, not_found, page, report_context, served, workbench
from checker.web.workbench import Entry, Settings, Workbench

HERE = Path(__file__).parent
STATIC = {"app.css": "text/css", "app.js": "text/javascript"}


class PortfolioRow(TypedDict):
    entry: Entry
    summary: SummaryRow | None  # None: the dossier cannot be checked
    phase: str
    recommended: str
    declared: str
    declared_fit: str
    fit_class: str
    problems: list[str]


def make_app(settings: Settings, hosts: Iterable[str] = ("127.0.0.1", "localhost"),
             token: str | None = None) -> Starlette:
    bench = Workbench(settings)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, finalize=inert)
    routes = [Route("/", portfolio), Route("/d/{key:path}", dossier), Route("/source/{key:path}", source),
              Route("/rule/{rule_id}", rule_page), Route("/static/{name}", static),
              Route("/favicon.ico", lambda request: Response(status_code=204))]
    routes += planner.ROUTES + desk.ROUTES + editor.ROUTES
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        bench.close()  # the engine's child stops with the server

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.bench = bench
    app.state.env = env
    app.add_middleware(security.Guard, hosts=set(hosts), token=token)
    return app


# --- portfolio ---------------------------------------------------------------------------------------------------

def portfolio(request: Request) -> Response:
    bench = workbench(request)
    lang = request.state.lang
    items, folder_problems = bench.files()
    entries = bench.entries(items)
    ctx = report_context(bench, lang)
    book = bench.analyst().recommender.book
    rows: list[PortfolioRow] = []
    gaps_by_dim = {d: 0 for d in DIMENSIONS}
    modes_by_district: dict[str, dict[str | None, int]] = {}  # district -> recommended mode -> dossiers
    for entry in entries:
        info = entry.info
        summary: SummaryRow | None = None
        if entry.result is not None:
            summary = summary_row(entry.result, ctx)
            for d in DIMENSIONS:
                gaps_by_dim[d] += summary.gaps_by_dimension.get(d, 0)
            district = info.get("district") or "-"
            counts = modes_by_district.setdefault(district, {})
            counts[info.get("recommended")] = counts.get(info.get("recommended"), 0) + 1
        phase, recommended, declared, fit = (info.get("phase"), info.get("recommended"), info.get("declared"),
                                             info.get("declared_fit"))
        rows.append({"entry": entry, "summary": summary,
                     "phase": text("web.phase." + phase, lang) if phase else "",
                     "recommended": mode_name(book, recommended, lang) if recommended else "",
                     "declared": mode_name(book, declared, lang) if declared else "",
                     "declared_fit": text("recommend.fit." + fit, lang) if fit else "",
                     "fit_class": "fit-" + (info.get("declared_fits") or "none"),
                     "problems": [p.render(lang) for p in entry.problems]})
    with_gaps = sum(1 for r in rows if r["summary"] is not None and r["summary"].gaps)
    series: list[tuple[str | None, str, str]] = [(m, pick(book.modes[m].name, lang), charts.MODE_COLOURS[m])
                                                for m in book.modes]
    series.append((None, text("web.chart.no_mode", lang), charts.MODE_COLOURS[None]))
    gaps_chart = charts.bars([(text("dimension." + d, lang), gaps_by_dim[d]) for d in DIMENSIONS])
    modes_chart = charts.stacked(sorted(modes_by_district.items()), series)
    districts = sorted({named for r in rows if (named := r["entry"].info.get("district"))})
    phases = sorted({(phase_id, r["phase"]) for r in rows if (phase_id := r["entry"].info.get("phase"))})
    return page(request, "portfolio.html", rows=rows, dimensions=DIMENSIONS, with_gaps=with_gaps,
                invalid=sum(1 for r in rows if r["summary"] is None), gaps_chart=Markup(gaps_chart),
                modes_chart=Markup(modes_chart), districts=districts, phases=phases,
                folder_problems=[p.render(lang) for p in folder_problems], as_of=bench.analyst().as_of.date,
                roots=", ".join(bench.shown_root(i) for i in range(len(bench.roots))))


# --- one dossier -------------------------------------------------------------------------------------------------

def dossier(request: Request) -> Response:
    bench = workbench(request)
    lang = request.state.lang
    key = request.path_params["key"]
    entry = bench.entry(key)
    if entry is None:
        return not_found(request)
    section = ""
    if entry.result is not None:
        ctx = report_context(bench, lang)

        def links(result: DossierResult, finding: Finding) -> str:
            at = (f'<a class="src" href="/source/{html_text(key)}#L{finding.line}">'
                  f'{html_text(text("web.dossier.at_line", lang, line=finding.line))}</a>') if finding.line else ""
            return (f'<span class="links">{at}<a class="rule" href="/rule/{html_text(finding.rule_id)}">'
                    f'{html_text(text("web.dossier.rule", lang))}</a></span>')

        section = html_format.dossier_section(entry.result, ctx, links)
    record = desk.load_record(bench).get(entry.result.project_id) if entry.result is not None else None
    return page(request, "dossier.html", entry=entry, section=Markup(section), record=record,
                manual=len(desk.manual_requirements()), problems=[p.render(lang) for p in entry.problems],
                mode=mode_name(bench.analyst().recommender.book, entry.info.get("recommended"), lang) if entry.ok else "")


def source(request: Request) -> Response:
    bench = workbench(request)
    item = served(request)
    if item is None:
        return not_found(request)
    try:
        with open(item[1], "rb") as handle:
            raw = handle.read(bench.settings.max_bytes + 1)
    except OSError:
        return not_found(request)
    content = raw[:bench.settings.max_bytes].decode("utf-8", "replace")
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return page(request, "source.html", key=item[0], display=item[2], lines=lines)


def rule_page(request: Request) -> Response:
    from checker.rulebook import rule_docs

    bench = workbench(request)
    lang = request.state.lang
    book = bench.analyst().rulebook
    rule = book.get(request.path_params["rule_id"])
    if rule is None:
        return not_found(request, "web.rule.unknown")
    return page(request, "rule.html", rule_id=rule.id, body=rule_docs.page(rule, book, lang))


def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "report.css":  # the HTML report's own stylesheet: the embedded report looks as in the file
        return Response(html_format.STYLE, media_type="text/css")
    if name not in STATIC:
        return PlainTextResponse("", 404)
    return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])
