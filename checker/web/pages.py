"""What every page of the workbench shares: rendering a template with the page's language and CSRF token, the
"not found" and "refused" pages, the report context of the reviewer's inputs, and where a served dossier lives.
The route modules (app, planner, desk, editor) take these from here, so that none imports another's routes."""
from __future__ import annotations

import functools
import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from checker.i18n.messages import pick, text
from checker.report import ReportContext
from checker.text.inert import controls
from checker.web import security

if TYPE_CHECKING:
    from checker.rulebook.modebook import ModeBook
    from checker.web.workbench import Item, Workbench


def inert(value: object) -> object:
    """Every value a template prints: control and bidi characters shown, as the HTML report shows them (then
    autoescaped). Markup (the embedded report section, the charts) was made safe where it was built."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return controls(value)
    return value


# --- helpers shared by every page ------------------------------------------------------------------------------

def workbench(request: Request) -> Workbench:
    """The served dossiers and their results (checker/web/workbench.py), kept in the application's state."""
    return request.app.state.bench


def served(request: Request) -> Item | None:
    """The served dossier the address names (``{key}``): (key, path, display), or None for a 404."""
    return workbench(request).find(request.path_params["key"])


def page(request: Request, template: str, status: int = 200, **values: object) -> HTMLResponse:
    lang = request.state.lang
    bench = workbench(request)
    values.setdefault("title", text("web.title", lang))
    html = request.app.state.env.get_template(template).render(
        t=lambda key, **kw: text(key, lang, **kw), lang=lang, csrf=request.state.csrf, path=request.url.path,
        other_lang="en" if lang == "zh" else "zh", settings=bench.settings, **values)
    return HTMLResponse(html, status)


def not_found(request: Request, key: str = "web.not_found") -> HTMLResponse:
    return page(request, "message.html", 404, message=text(key, request.state.lang))


def report_context(bench: Workbench, lang: str) -> ReportContext:
    analyst = bench.analyst()
    ctx = ReportContext(analyst.rulebook, lang, "shall")
    ctx.set_gate(analyst.gate)
    book = analyst.rulebook
    if book.profile is not None:
        ctx.profile_name, ctx.overrides = book.profile.name, book.profile.overrides()
        ctx.profile_changes = book.profile.changes(book)
        ctx.profile_sha256 = book.profile.sha256
    return ctx


def mode_name(book: ModeBook, mode_id: str | None, lang: str) -> str:
    """A mode's name in the page's language (``book``: the mode book in force)."""
    if not mode_id:
        return text("web.none", lang)
    return pick(book.modes[mode_id].name, lang)


def csrf_refused(request: Request) -> HTMLResponse:
    return page(request, "message.html", 403, message=text("web.csrf", request.state.lang))


def posted(handler: Callable[[Request, security.Form], Response]) -> Callable[[Request], Awaitable[Response]]:
    """A POST route: ``handler(request, form)`` runs only once the form's CSRF token and origin are checked
    (checker/web/security.py); otherwise the refusal page, 403."""

    @functools.wraps(handler)
    async def route(request: Request) -> Response:
        try:
            form = await security.checked_form(request)
        except security.CsrfError:
            return csrf_refused(request)
        return handler(request, form)

    return route


def relpath_of(bench: Workbench, key: str) -> tuple[int, str]:
    index, _, inside = key.partition("/")
    return int(index), inside


def root_folder(bench: Workbench, index: int) -> str:
    root = bench.roots[index]
    return root if os.path.isdir(root) else os.path.dirname(root)
