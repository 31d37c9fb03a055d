"""The dossier form: generated from schemas/dossier.schema.json (labels ``x-zh``/``description``, units, enums),
checked by the schema with the CLI's messages shown at their field; it downloads a YAML dossier or saves one.

A new dossier is saved only as a new file inside the first folder served (checker/web/security.confined: no
``..``, no link out, never over an existing file). Editing an existing dossier never loses what a person wrote:
only the fields that changed are set in the file's own YAML (ruamel.yaml round trip: comments, order and quoting
survive), saved as a new file beside it or, when asked, in place.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TypedDict

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from checker.schema import validation as schema
from checker.model.errors import InputError, Problem
from checker.lang.paths import MISSING, get_path
from checker.i18n.messages import text
from checker.web import forms, security, yamledit
from checker.web.pages import not_found, page, posted, relpath_of, root_folder, served, workbench
from checker.web.security import Form
from checker.web.workbench import Item, Workbench
from checker.inputs.yamlload import load_text

LIST_ROWS_EXTRA = 1  # blank rows offered below a list's items
SKIP = {"schema_version", "waivers"}  # the version is written for the person; waivers in a dossier are requests only
FILE = "<form>"

SchemaNode = dict[str, Any]  # a node of schemas/dossier.schema.json, as JSON
Errors = dict[str, list[Problem | str]]  # dotted path -> its problems, worded or not yet


class Node(TypedDict, total=False):
    """What the form template draws: a group of fields, rows of a list of objects, a list of values, a field."""

    kind: str  # group, rows, many, field
    path: str
    label: dict[str, str]  # group, rows, many
    errors: list[str]
    children: list[Node]  # group
    filled: bool  # group: opened when it holds a value or an error
    rows: list[Node]  # rows
    field: forms.Field  # many, field
    values: list[str]  # many
    value: str  # field


def tree(data: dict, errors: dict[str, list[str]], typed: Mapping[str, str] | None = None) -> list[Node]:
    """The form's nodes for ``data`` (values shown) and ``errors`` ({dotted path: [message]}); a refused field
    shows what was ``typed`` in it, so that it can be corrected."""
    root = forms.resolve(forms.root())
    required = set(root.get("required", ()))
    return [_node(forms.resolve(child), name, get_path(data, name), errors, name in required, typed or {})
            for name, child in root.get("properties", {}).items() if name not in SKIP]


def _node(node: SchemaNode, path: str, value: object, errors: dict[str, list[str]], required: bool = False,
          typed: Mapping[str, str] | None = None) -> Node:
    here = errors.get(path, [])
    if node.get("type") == "object" or "properties" in node:
        req = set(node.get("required", ()))
        children = [_node(forms.resolve(child), f"{path}.{name}", get_path(value, name) if isinstance(value, dict)
                          else MISSING, errors, name in req, typed) for name, child in node.get("properties", {}).items()]
        return {"kind": "group", "path": path, "label": forms.label_of(node, path), "children": children, "errors": here,
                "filled": isinstance(value, dict) or any(_has_errors(c) for c in children)}
    if node.get("type") == "array":
        items = forms.resolve(node.get("items", {}))
        present = value if isinstance(value, list) else []
        if items.get("type") == "object" or "properties" in items:
            rows = [_node(items, f"{path}.{i}", row, errors, False, typed) for i, row in
                    enumerate(present + [MISSING] * LIST_ROWS_EXTRA)]
            return {"kind": "rows", "path": path, "label": forms.label_of(node, path), "rows": rows, "errors": here}
        field = forms.field_of(path, items)
        return {"kind": "many", "path": path, "label": forms.label_of(node, path), "field": field,
                "values": [str(v) for v in present],
                "errors": here + [m for k, v in errors.items() if k.startswith(path + ".") for m in v]}
    field = forms.field_of(path, node, required)
    entered = typed.get(path) if here and typed else None
    shown = entered if entered is not None else forms.shown(value)
    return {"kind": "field", "path": path, "field": field, "value": shown, "errors": here}


def _has_errors(node: Node) -> bool:
    return bool(node["errors"]) or any(_has_errors(c) for c in node.get("children", []) + node.get("rows", []))


def read(form: Form) -> tuple[dict[str, object], Errors]:
    """(dossier data, {path: [message]}) from a posted form: values read as ``--set`` reads them, in schema
    order; fields left empty say nothing and are left out."""
    root = forms.resolve(forms.root())
    data: dict[str, object] = {"schema_version": root["properties"]["schema_version"]["const"]}  # not the person's
    errors: Errors = {}
    for name, child in root.get("properties", {}).items():
        if name not in SKIP:
            value = _read(forms.resolve(child), name, form, errors)
            if value is not None:
                data[name] = value
    return data, errors


def _read(node: SchemaNode, path: str, form: Form, errors: Errors) -> object:
    """The value of the form's fields at ``path``; None when they say nothing."""
    if node.get("type") == "object" or "properties" in node:
        out = {}
        for name, child in node.get("properties", {}).items():
            value = _read(forms.resolve(child), f"{path}.{name}", form, errors)
            if value is not None:
                out[name] = value
        return out or None
    if node.get("type") == "array":
        items = forms.resolve(node.get("items", {}))
        if items.get("type") == "object" or "properties" in items:
            rows, i = [], 0
            while any(key.startswith(f"{path}.{i}.") for key in form.keys()):
                row = _read(items, f"{path}.{i}", form, errors)
                if row is not None:
                    rows.append(row)
                i += 1
            return rows or None
        field = forms.field_of(path, items)
        raw = form.getlist(path)
        if len(raw) == 1 and field.kind != "enum":
            raw = raw[0].splitlines()
        values = []
        for entry in raw:
            try:
                value = forms.read_value(field, entry)
            except InputError as exc:
                errors.setdefault(path, []).extend(exc.problems)
                continue
            if value is not None:
                values.append(value)
        return values or None
    sent = form.get(path)
    if sent is None:
        return None
    field = forms.field_of(path, node)
    try:
        return forms.read_value(field, sent)
    except InputError as exc:
        errors.setdefault(path, []).extend(exc.problems)
        return None


def validate(data: dict[str, object], lang: str) -> dict[str, list[str]]:
    """{dotted path: [message]}: the dossier schema's problems, worded as ``renovcheck check`` words them."""
    from checker.inputs.yamlload import Document

    return forms.problems_by_field(schema.validate(Document(FILE, data, {})), lang)


def _worded(errors: Errors, lang: str) -> dict[str, list[str]]:
    return {path: [forms.message_at(m, lang) if isinstance(m, Problem) else m for m in messages]
            for path, messages in errors.items()}


def yaml_text(data: dict[str, object]) -> str:
    return yamledit.dump(yamledit.load("")) if not data else yamledit.dump(_commented(data))


def _commented(value: object) -> object:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_commented(v) for v in value)
    return value


# --- routes --------------------------------------------------------------------------------------------------------

def new_form(request: Request) -> Response:
    return _form_page(request, {}, {}, None)


def edit_form(request: Request) -> Response:
    bench = workbench(request)
    item = served(request)
    if item is None:
        return not_found(request)
    try:
        doc = bench.call(bench.analyst().checker.load, item[1], item[2])
        data = schema.accepted(doc)
    except InputError as exc:
        return page(request, "message.html", 400, message="\n".join(p.render(request.state.lang) for p in exc.problems))
    return _form_page(request, data, {}, item[0])


def _form_page(request: Request, data: dict, errors: Errors, key: str | None, status: int = 200, saved: str = "",
               name: str = "", typed: Mapping[str, str] | None = None) -> Response:
    lang = request.state.lang
    worded = _worded(errors, lang)
    return page(request, "form.html", status, nodes=tree(data, worded, typed), key=key, saved=saved,
                root_errors=worded.get("", []),
                error_count=sum(len(v) for v in errors.values()), name=name,
                suggested=(os.path.splitext(key.split("/", 1)[1])[0] + "-edited.yaml") if key else "new-dossier.yaml")


@posted
def submit(request: Request, form: Form) -> Response:
    lang = request.state.lang
    bench = workbench(request)
    key = request.path_params.get("key")
    data, errors = read(form)
    for path, messages in validate(data, lang).items():
        errors.setdefault(path, []).extend(messages)
    action = form.get("action", "check")
    name = (form.get("name") or "").strip()
    if errors or action == "check":
        return _form_page(request, data, errors, key, 400 if errors else 200, name=name, typed=form,
                          saved=text("web.form.valid", lang) if not errors else "")
    if key is not None:
        item = bench.find(key)
        if item is None:
            return not_found(request)
        written = bench.call(_save_edit, bench, key, item, data, action == "in_place", name)
    elif action == "download":
        return Response(yaml_text(data), media_type="application/yaml; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="dossier.yaml"'})
    else:
        written = bench.call(_save_new, bench, name, yaml_text(data))
    if isinstance(written, Problem):
        return _form_page(request, data, {"": [written.render(lang)]}, key, 400, name=name)
    return RedirectResponse(f"/d/{written}", 303)


def _save_new(bench: Workbench, name: str, content: str) -> str | Problem:
    """A new file inside the first folder served; its address key, or a Problem."""
    target = security.confined(root_folder(bench, 0), name)
    if target is not None:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    return _write_new(bench, target, name, content)


def _save_edit(bench: Workbench, key: str, item: Item, data: dict[str, object], in_place: bool,
               name: str) -> str | Problem:
    """Set only what changed in the file's own YAML; in place or as a new file beside it."""
    with open(item[1], encoding="utf-8") as handle:
        original_text = handle.read()
    before = schema.accepted(bench.analyst().checker.load(item[1], item[2]))
    document = yamledit.load(original_text)
    for path, value in _changes(before, data):
        yamledit.set_path(document, path, value)
    content = yamledit.dump(document)
    try:
        load_text(content, item[2])  # the project's loader reads what is written (no duplicate key, no tag)
    except InputError as exc:
        return exc.problems[0]
    if in_place:
        yamledit.replace(item[1], content)
        return key
    index, inside = relpath_of(bench, key)
    folder = os.path.dirname(os.path.join(root_folder(bench, index), inside))
    target = security.confined(root_folder(bench, index), os.path.relpath(os.path.join(folder, name or "x"),
                                                                           root_folder(bench, index)))
    return _write_new(bench, target, name, content)


def _write_new(bench: Workbench, target: str | None, name: str, content: str) -> str | Problem:
    """``content`` as a new file at ``target`` (what security.confined made of ``name``, None when it refused it):
    the new file's address key, or a Problem."""
    if target is None:
        return Problem(name or "-", "web.form.bad_name")
    try:
        yamledit.write_new(target, content)
    except FileExistsError:
        return Problem(name, "web.whatif.exists")
    return _key_of(bench, target)


def _changes(before: dict | None, after: dict, prefix: str = "") -> list[tuple[str, object]]:
    """(dotted path, new value or None) for every form field whose value differs; lists of objects by row."""
    out = []
    keys = list(after) + [k for k in (before or {}) if k not in after] if isinstance(after, dict) else []
    for name in keys:
        if not prefix and name in SKIP:
            continue
        path = f"{prefix}{name}"
        old, new = (before or {}).get(name, MISSING), after.get(name, MISSING)
        if isinstance(old, dict) and isinstance(new, dict):
            out += _changes(old, new, path + ".")
        elif isinstance(old, list) and isinstance(new, list) and all(isinstance(r, dict) for r in old + new) and old:
            for i in range(max(len(old), len(new))):
                row_old = old[i] if i < len(old) else {}
                row_new = new[i] if i < len(new) else {}
                out += _changes(row_old, row_new, f"{path}.{i}.")
        elif new is MISSING:
            if old not in ([], {}):  # an empty list says "none"; a form cannot say it, so it is kept as written
                out.append((path, None))
        elif old != new or type(old) is not type(new):
            out.append((path, new))
    return out


def _key_of(bench: Workbench, target: str) -> str:
    real = os.path.realpath(target)
    for key, path, _ in bench.files()[0]:
        if os.path.realpath(path) == real:
            return key
    return "0/" + os.path.relpath(real, os.path.realpath(root_folder(bench, 0))).replace(os.sep, "/")


ROUTES = [Route("/new", new_form), Route("/new", submit, methods=["POST"]),
          Route("/edit/{key:path}", edit_form), Route("/edit/{key:path}", submit, methods=["POST"])]
