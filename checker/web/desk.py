"""The reviewer's desk: for one dossier, the catalogue's manual-review checklist with a decision and a comment per
item, and waiver grants. Written to the reviewer's own plain files, never into the dossier:

- the waiver list (``serve --waivers``, default ``.renovcheck-review/waivers.yaml`` in the first folder served;
  ``schemas/waivers.schema.json``), the very file ``renovcheck check --waivers`` reads. A grant is checked by
  ``checker.waivers.load`` (schema, known rule, expiry for a shall rule, not blank) on the new content before the
  file is replaced; comments and order in the file survive (ruamel.yaml round trip).
- the review record ``review.yaml`` next to it: per project, the reviewer's name and each manual item's decision
  and comment.

Every page checks with the waiver list, so a grant shows in the portfolio and the dossier report at once.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import date
from typing import Any, TypedDict

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from checker.check import waivers as waiver_mod
from checker.model.errors import InputError, Problem
from checker.model.findings import DossierResult
from checker.i18n.messages import pick
from checker.text.inert import file_name
from checker.web import yamledit
from checker.web.pages import not_found, page, posted, workbench
from checker.web.security import Form
from checker.web.workbench import Entry, Workbench

DECISIONS = ("pending", "pass", "fail", "not_applicable")
RECORD_FILE = "review.yaml"
WAIVER_FIELDS = ("rule_id", "approved_by", "reason", "approved_on", "expires", "remove")


class ItemReview(TypedDict):
    decision: str  # one of DECISIONS
    comment: str


class Review(TypedDict):
    """A project's manual review as ``review.yaml`` keeps it."""

    reviewer: str
    date: str
    file: str
    items: dict[str, ItemReview]  # requirement id -> its decision


def record_path(bench: Workbench) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(bench.settings.waivers_file)), RECORD_FILE)


def load_record(bench: Workbench) -> dict[str, Review]:
    """{project id: {"reviewer", "date", "file", "items": {requirement id: {"decision", "comment"}}}}."""
    path = record_path(bench)
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        document = yamledit.load(handle.read())
    projects = document.get("reviews") or {}
    out: dict[str, Review] = {}
    for project_id, entry in projects.items():
        items: dict[str, ItemReview] = {str(i.get("requirement")): {"decision": str(i.get("decision", "pending")), "comment": str(i.get("comment") or "")}
                 for i in entry.get("items") or [] if isinstance(i, dict)}
        out[str(project_id)] = {"reviewer": str(entry.get("reviewer") or ""), "date": str(entry.get("date") or ""),
                                "file": str(entry.get("file") or ""), "items": items}
    return out


def manual_requirements() -> list[dict[str, Any]]:  # entries of rules/catalog.yaml, as written there
    from checker.rulebook.coverage import load_catalog

    return [r for r in load_catalog().requirements if r.get("manual")]


def _checked_entry(request: Request) -> tuple[Entry, DossierResult] | None:
    """The dossier the URL names and its result, when it was read and checked; None for a 404."""
    entry = workbench(request).entry(request.path_params["key"])
    return (entry, entry.result) if entry is not None and entry.result is not None else None


def desk_page(request: Request, problems: list[str] | None = None, status: int = 200,
              entered: dict[str, str] | None = None) -> Response:
    bench = workbench(request)
    lang = request.state.lang
    checked = _checked_entry(request)
    if checked is None:
        return not_found(request)
    entry, result = checked
    record = load_record(bench).get(result.project_id)
    items = record["items"] if record is not None else {}
    checklist = [{"id": r["id"], "section": r["section"], "phrase": r["phrase"], "summary": pick(r["summary"], lang),
                  "review": pick(r["review"], lang),
                  "decision": items[r["id"]]["decision"] if r["id"] in items else "pending",
                  "comment": items[r["id"]]["comment"] if r["id"] in items else ""}
                 for r in manual_requirements()]
    book = bench.analyst().rulebook
    gaps = [{"rule_id": f.rule_id, "force": f.force, "outcome": f.outcome,
             "title": pick(book.rule(f.rule_id).title, lang)} for f in result.findings
            if f.outcome in ("fail", "missing", "waived")]
    granted = [w for w in result.waivers if w.source == "reviewer"]
    return page(request, "desk.html", status, entry=entry, checklist=checklist, decisions=DECISIONS, gaps=gaps,
                granted=granted, record=record or {}, problems=problems or [], entered=entered or {},
                today=bench.analyst().as_of.date, record_file=record_path(bench))


@posted
def save_review(request: Request, form: Form) -> Response:
    bench = workbench(request)
    checked = _checked_entry(request)
    if checked is None:
        return not_found(request)
    entry, result = checked
    items = []
    for r in manual_requirements():
        decision = form.get("decision." + r["id"], "pending")
        items.append({"requirement": r["id"], "decision": decision if decision in DECISIONS else "pending",
                      "comment": form.get("comment." + r["id"], "").strip()})
    bench.call(_write_record, bench, entry.display, result.project_id, form.get("reviewer", "").strip(), items)
    return RedirectResponse(f"/desk/{request.path_params['key']}#review", 303)


def _write_record(bench: Workbench, display: str, project_id: str, reviewer: str, items: list[dict[str, str]]) -> None:
    path = record_path(bench)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text_before = open(path, encoding="utf-8").read() if os.path.isfile(path) else ""
    document = yamledit.load(text_before)
    if "reviews" not in document or document["reviews"] is None:
        document["format"] = "renovcheck-review-record"
        document["reviews"] = {}
    document["reviews"][project_id] = {"file": display, "reviewer": reviewer, "date": date.today().isoformat(),
                                       "items": items}
    yamledit.replace(path, yamledit.dump(document))


@posted
def grant(request: Request, form: Form) -> Response:
    """Add a waiver to the reviewer's list, or remove one (``remove`` = its index): checked before the file is
    replaced, so the list the CLI reads is never left invalid."""
    bench = workbench(request)
    lang = request.state.lang
    checked = _checked_entry(request)
    if checked is None:
        return not_found(request)
    fields = {name: (form.get(name) or "").strip() for name in WAIVER_FIELDS}
    problems = bench.call(_write_waiver, bench, checked[1].project_id, fields)
    if problems:
        return desk_page(request, [p.render(lang) for p in problems], 400, entered=fields)
    return RedirectResponse(f"/desk/{request.path_params['key']}#waivers", 303)


def _write_waiver(bench: Workbench, project_id: str, fields: dict[str, str]) -> list[Problem]:
    path = bench.settings.waivers_file
    existing = open(path, encoding="utf-8").read() if os.path.isfile(path) else ""
    document = yamledit.load(existing)
    if document.get("waivers") is None:
        document["waivers"] = []
    if fields["remove"]:
        index = int(fields["remove"]) if fields["remove"].isdigit() else -1
        if 0 <= index < len(document["waivers"]) and document["waivers"][index].get("project_id") == project_id:
            del document["waivers"][index]
    else:
        waiver = {"project_id": project_id, "rule_id": fields["rule_id"], "approved_by": fields["approved_by"],
                  "reason": fields["reason"], "approved_on": fields["approved_on"]}
        if fields["expires"]:
            waiver["expires"] = fields["expires"]
        document["waivers"].append(waiver)
    content = yamledit.dump(document)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, trial = tempfile.mkstemp(prefix=".waivers-", suffix=".yaml", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    try:
        waiver_mod.load(trial, bench.analyst().rulebook)  # exactly what `check --waivers` will read
    except InputError as exc:
        return [replace(p, file=file_name(path)) for p in exc.problems]  # the list's name, not the trial's
    finally:
        os.unlink(trial)
    yamledit.replace(path, content)
    return []


ROUTES = [Route("/desk/{key:path}/review", save_review, methods=["POST"]),
          Route("/desk/{key:path}/waive", grant, methods=["POST"]),
          Route("/desk/{key:path}", desk_page)]
