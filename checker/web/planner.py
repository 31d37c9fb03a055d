"""What-if for planners: the facts the mode book reads and its thresholds as form controls; each change is one
round trip that answers with the recommendation, its one-sentence answer and the four modes side by side.

The logic is the library's: the form's values become ``--set`` assignments (checker.modes.whatif.parse/apply, the
copy validated against the dossier schema), the thresholds a profile's parameters (Parameter.refusal, as a
profile is checked), the answer ``Recommender.recommend`` and ``whatif.compare``, worded by
checker/report/recommend_report.py as ``renovcheck recommend --compare`` words it. Nothing is written unless the planner
saves a profile (in the review folder) or a copy of the dossier (a new file beside it, comments kept).
"""
from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypedDict

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from checker.report import recommend_report as words
from checker.model.errors import InputError, Problem
from checker.lang.paths import get_path
from checker.i18n.messages import pick, text
from checker.modes import whatif
from checker.schema.validation import accepted
from checker.web import forms, yamledit
from checker.web.pages import not_found, page, posted, relpath_of, root_folder, workbench
from checker.web.security import Form
from checker.web.workbench import Workbench

if TYPE_CHECKING:
    from checker.inputs.yamlload import Document
    from checker.modes.recommend import Recommendation, Recommender
    from checker.rulebook.modebook import ModeBook

Overrides = tuple[tuple[str, object], ...]  # parameter overrides, sorted: a cache key
# parameter overrides -> Recommender (compiling one takes ~40 ms)
_RECOMMENDERS: OrderedDict[Overrides, Recommender] = OrderedDict()
# a refusal of checker.rulebook.parameters.Parameter.refusal, (message key, params), or a message already worded
Message = str | tuple[str, dict]


class Answer(TypedDict, total=False):
    """The what-if's answer as the page shows it; only ``error`` when the base dossier is not found."""

    error: str
    headline: str
    notes: list[str]
    header: list[str]
    rows: list[list[str]]
    changes: list[str]
    errors: dict[str, list[str]]  # form field -> its messages
    top: str
    overrides: dict[str, object]
    missing: list[str]
    ms: str  # how long the answer took


class Planner:
    """The what-if of one base dossier under the current thresholds; everything runs in the engine thread."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self.docs: dict[tuple[str, str], Document] = {}  # (path, sha256) -> Document
        # (id of the document, overrides) -> (the document, its Recommendation): the "before"
        self.as_is: OrderedDict[tuple[int, Overrides], tuple[Document, Recommendation]] = OrderedDict()

    def book(self) -> ModeBook:
        return self.bench.analyst().recommender.book

    def inputs(self) -> list[forms.Field]:
        """(Field, mode-book label) of every fact the mode book reads, in the book's order."""
        book = self.book()
        out = []
        for path in book.inputs:
            field = forms.field_at(path)
            if field is not None and field.kind != "text":
                out.append(field)
        return out

    def recommender(self, overrides: dict[str, object]) -> Recommender:
        from checker.modes.recommend import Recommender

        key = tuple(sorted(overrides.items()))
        if key not in _RECOMMENDERS:
            _RECOMMENDERS[key] = Recommender(self.bench.analyst().recommender.book.with_parameters(overrides))
            while len(_RECOMMENDERS) > 16:
                _RECOMMENDERS.popitem(last=False)
        _RECOMMENDERS.move_to_end(key)
        return _RECOMMENDERS[key]

    def base(self, key: str) -> Document | None:
        """The base dossier's Document, or None when the key names no served, valid dossier."""
        item = self.bench.find(key)
        if item is None:
            return None
        from checker.web.workbench import content_hash

        sha = content_hash(item[1], self.bench.settings.max_bytes)
        if (item[1], sha) not in self.docs:
            try:
                self.docs[(item[1], sha)] = self.bench.analyst().checker.load(item[1], item[2])
            except InputError:
                return None
        return self.docs[(item[1], sha)]

    def read(self, form: Mapping[str, str], lang: str = "zh") -> tuple[list[whatif.Assignment], dict[str, object],
                                                                       dict[str, list[Message]]]:
        """(assignments, parameter overrides, {field: [message]}) from the posted form."""
        errors: dict[str, list[Message]] = {}
        assignments = []
        for field in self.inputs():
            raw = form.get("in." + field.path)
            if raw is None:
                continue
            try:
                value = forms.read_value(field, raw)
            except InputError as exc:
                errors.setdefault(field.path, []).extend(forms.message_at(p, lang) for p in exc.problems)
                continue
            assignments.append(whatif.Assignment(f"{field.path}={raw}", field.path, value))
        overrides: dict[str, object] = {}
        for name, parameter in self.book().parameters.items():
            raw = (form.get("param." + name) or "").strip()
            if not raw or raw == str(parameter.default):
                continue
            try:
                value = whatif.parse(f"{name}={raw}").value
            except InputError as exc:
                errors.setdefault("param." + name, []).extend(forms.message_at(p, lang) for p in exc.problems)
                continue
            refusal = parameter.refusal(value)
            if refusal is not None:
                errors.setdefault("param." + name, []).append(refusal)
                continue
            if value != parameter.default:
                overrides[name] = value
        return assignments, overrides, errors

    def answer(self, form: Mapping[str, str], lang: str) -> Answer:
        started = time.perf_counter()
        doc = self.base(form.get("base", ""))
        if doc is None:
            return {"error": text("web.not_found", lang)}
        assignments, overrides, refused = self.read(form, lang)
        errors = {k: [_worded(m, lang) for m in v] for k, v in refused.items()}
        recommender = self.recommender(overrides)
        before = self._as_is(doc, overrides, recommender)
        after, comparison = before, None
        try:
            changed, previous = whatif.apply(accepted(doc), assignments, doc.file)
        except InputError as exc:
            for path, messages in forms.problems_by_field(exc, lang).items():
                errors.setdefault(path, []).extend(messages)
        else:
            after = recommender.recommend(changed, doc.file)
            previous = [(a, p) for a, p in previous if p != a.value]
            comparison = whatif.compare(before, after, previous) if previous else None
        view = words.View(recommender.book, lang)
        head = words.header_lines(after, view)
        header, rows = words.compare_rows(after, view)
        return {"headline": view.answer(after), "notes": head[2:], "header": header, "rows": rows,
                "changes": words.whatif_lines(comparison, view)[1:] if comparison else [],
                "errors": errors, "top": after.top or "", "overrides": overrides,
                "missing": view.missing_lines(after), "ms": f"{(time.perf_counter() - started) * 1000:.0f}"}


    def _as_is(self, doc: Document, overrides: dict[str, object], recommender: Recommender) -> Recommendation:
        """The recommendation for the dossier as it is: the same for every change the planner tries."""
        key = (id(doc), tuple(sorted(overrides.items())))
        if key not in self.as_is:
            self.as_is[key] = (doc, recommender.recommend(accepted(doc), doc.file))  # doc kept: its id stays unique
            while len(self.as_is) > 32:
                self.as_is.popitem(last=False)
        return self.as_is[key][1]


def _worded(message: Message, lang: str) -> str:
    if isinstance(message, tuple):  # (key, params) of Parameter.refusal
        return text(message[0], lang, **message[1])
    return message


def _planner(request: Request) -> Planner:
    state = request.app.state
    if not hasattr(state, "planner"):
        state.planner = Planner(state.bench)
    return state.planner


def whatif_page(request: Request) -> Response:
    bench = workbench(request)
    lang = request.state.lang
    planner = _planner(request)
    items = bench.files()[0]
    base_key = request.query_params.get("base") or (items[0][0] if items else "")
    doc = bench.call(planner.base, base_key)
    if doc is None:
        return not_found(request)
    values = {f.path: forms.shown(get_path(accepted(doc), f.path)) for f in planner.inputs()}
    form = {"base": base_key, **{"in." + p: v for p, v in values.items()}}
    result = bench.call(planner.answer, form, lang)
    book = planner.book()
    params = [{"name": name, "value": p.default, "unit": p.unit, "assumption": p.assumption,
               "description": pick(p.description, lang)} for name, p in sorted(book.parameters.items())]
    return page(request, "whatif.html", base_key=base_key, items=items, fields=planner.inputs(), values=values,
                params=params, result=result, book=book, labels={p: book.label(p, lang) for p in book.inputs},
                value_label=lambda path, v: book.value_label(path, v, lang) or v)


@posted
def whatif_answer(request: Request, form: Form) -> Response:
    bench = workbench(request)
    result = bench.call(_planner(request).answer, form, request.state.lang)
    html = request.app.state.env.get_template("whatif_answer.html").render(
        t=lambda key, **kw: text(key, request.state.lang, **kw), result=result)
    return HTMLResponse(html)


@posted
def whatif_save(request: Request, form: Form) -> Response:
    """Save what the planner set: the thresholds as a profile (review folder) or the dossier as a new file."""
    bench = workbench(request)
    lang = request.state.lang
    planner = _planner(request)
    result = bench.call(planner.answer, form, lang)
    if result.get("error") or result["errors"]:
        return page(request, "message.html", 400, message=text("web.whatif.fix_first", lang))
    if form.get("save") == "profile":
        written = bench.call(_save_profile, bench, form.get("name", ""), result["overrides"], lang)
    else:
        written = bench.call(_save_copy, bench, planner, form)
    if isinstance(written, Problem):
        return page(request, "message.html", 400, message=written.render(lang))
    return page(request, "message.html", message=text("web.whatif.saved", lang, file=written))


def _save_profile(bench: Workbench, name: str, overrides: dict[str, object], lang: str) -> str | Problem:
    from checker.rulebook import profiles

    name = name.strip()
    folder = os.path.join(os.path.dirname(bench.settings.waivers_file), "profiles")
    if not profiles.PROFILE_NAME.match(name):
        return Problem("name", "web.whatif.bad_profile_name", {"name": name})
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.yaml")
    document = yamledit.load("")
    document["name"] = name
    document["title"] = {"zh": text("web.whatif.profile_title", "zh"), "en": text("web.whatif.profile_title", "en")}
    document["parameters"] = dict(sorted(overrides.items()))
    try:
        yamledit.write_new(path, yamledit.dump(document))
    except FileExistsError:
        return Problem(path, "web.whatif.exists")
    try:
        profiles.load_profile(path, bench.analyst().rulebook)  # what `check --profile` will read
    except InputError as exc:
        os.unlink(path)
        return exc.problems[0]
    return path


def _save_copy(bench: Workbench, planner: Planner, form: Mapping[str, str]) -> str | Problem:
    """The base dossier with the what-if values, as a new file beside it: comments and order kept, and a project
    id of its own (a folder holds one dossier per project)."""
    key = form.get("base", "")
    item = bench.find(key)
    doc = planner.base(key)
    if item is None or doc is None:
        return Problem(key, "web.not_found")
    assignments, _, _ = planner.read(form)
    with open(item[1], encoding="utf-8") as handle:
        document = yamledit.load(handle.read())
    for a in assignments:
        if get_path(accepted(doc), a.path) != a.value or a.value is None:
            yamledit.set_path(document, a.path, a.value)
    index, inside = relpath_of(bench, key)
    folder = os.path.dirname(os.path.join(root_folder(bench, index), inside))
    stem = os.path.splitext(os.path.basename(inside))[0] + "-whatif"
    path = yamledit.free_name(folder, stem)
    suffix = os.path.splitext(os.path.basename(path))[0][len(stem):]
    document["project"]["id"] = f"{accepted(doc)['project']['id']}-whatif{suffix}"[:64]
    yamledit.write_new(path, yamledit.dump(document))
    return path


ROUTES = [Route("/whatif", whatif_page), Route("/whatif/answer", whatif_answer, methods=["POST"]),
          Route("/whatif/save", whatif_save, methods=["POST"])]
