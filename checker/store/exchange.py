"""A store as JSON lines, to back it up and move it (``renovcheck store export`` / ``import``).

The first line names the format and the schema version; each further line is one run with its dossiers, their
outcomes and waivers, exactly the rows of checker/store/record.py. Lines are written in the order the runs were
recorded, keys sorted: the export of a store is the same bytes every time. Reading refuses the whole file at the
first line that is not such a run (exit 2, with the line number): an import is all or nothing.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from checker.store import Store, StoreError, schema_head
from checker.store import tables as t

if TYPE_CHECKING:
    from checker.store.record import RunRow

FORMAT = "renovcheck-store-export"
_RUN_FIELDS = tuple(c.name for c in t.run.columns if c.name != "id")
_DOSSIER_FIELDS = tuple(c.name for c in t.dossier_run.columns if c.name not in ("id", "run_id"))
_OUTCOME_FIELDS = tuple(c.name for c in t.outcome.columns if c.name != "dossier_run_id")
_WAIVER_FIELDS = tuple(c.name for c in t.waiver.columns if c.name != "dossier_run_id")
_REQUIRED = {"run_uuid", "recorded_at", "as_of", "as_of_source", "tool_version", "rulebook_version",
             "rulebook_sha256", "profile_name", "parameters", "fail_on", "evidence_verified"}


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def export(store: Store, write: Callable[[str], object]) -> None:
    from sqlalchemy import select

    write(_line({"format": FORMAT, "schema": store.schema_version()}))
    with store.reading() as connection:
        runs = connection.execute(select(t.run).order_by(t.run.c.id)).mappings().all()
        for run in runs:
            dossiers = connection.execute(select(t.dossier_run).where(t.dossier_run.c.run_id == run["id"])
                                          .order_by(t.dossier_run.c.seq)).mappings().all()
            ids = [d["id"] for d in dossiers]
            outcomes: dict[int, list[dict[str, Any]]] = {}  # dossier_run id -> its rows, column -> value
            waivers: dict[int, list[dict[str, Any]]] = {}
            if ids:
                for row in connection.execute(select(t.outcome).where(t.outcome.c.dossier_run_id.in_(ids))
                                              .order_by(t.outcome.c.dossier_run_id, t.outcome.c.rule_id)).mappings():
                    outcomes.setdefault(row["dossier_run_id"], []).append({k: row[k] for k in _OUTCOME_FIELDS})
                for row in connection.execute(select(t.waiver).where(t.waiver.c.dossier_run_id.in_(ids))
                                              .order_by(t.waiver.c.dossier_run_id, t.waiver.c.seq)).mappings():
                    waivers.setdefault(row["dossier_run_id"], []).append({k: row[k] for k in _WAIVER_FIELDS})
            body = {k: run[k] for k in _RUN_FIELDS}
            body["evidence_verified"] = bool(body["evidence_verified"])
            body["dossiers"] = [dict({k: d[k] for k in _DOSSIER_FIELDS}, outcomes=outcomes.get(d["id"], []),
                                     waivers=waivers.get(d["id"], [])) for d in dossiers]
            write(_line(body))


def read(path: str) -> list[RunRow]:
    """Every run of an export file, checked; StoreError naming the line of the first problem."""
    from checker.text.inert import file_name

    shown = file_name(path)
    try:
        handle = open(path, encoding="utf-8")
    except OSError as error:
        raise StoreError("store.import_unreadable", file=shown, reason=error.strerror or str(error)) from None
    runs = []
    with handle:
        try:
            lines = handle.read().splitlines()
        except UnicodeDecodeError:
            raise StoreError("store.import_bad_line", file=shown, line=1, detail="UTF-8") from None
    if not lines:
        raise StoreError("store.import_not_export", file=shown)
    head = _json(lines[0], shown, 1)
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise StoreError("store.import_not_export", file=shown)
    if head.get("schema") != schema_head():
        raise StoreError("store.import_schema", file=shown, version=str(head.get("schema")), ours=schema_head())
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        runs.append(_run(_json(line, shown, number), shown, number))
    return runs


def _json(line: str, shown: str, number: int) -> Any:  # any JSON value: _run checks what it is
    try:
        return json.loads(line)
    except ValueError as error:
        raise StoreError("store.import_bad_line", file=shown, line=number, detail=str(error)) from None


def _fields(item: object, fields: Iterable[str], shown: str, number: int, what: str,
            lists: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise StoreError("store.import_bad_line", file=shown, line=number, detail=what)
    expected = set(fields) | set(lists)
    if set(item) != expected:
        wrong = sorted(set(item) ^ expected)
        raise StoreError("store.import_bad_line", file=shown, line=number, detail=f"{what}: {', '.join(wrong)}")
    for name in lists:
        if not isinstance(item[name], list):
            raise StoreError("store.import_bad_line", file=shown, line=number, detail=f"{what}.{name}")
    return item


def _run(item: object, shown: str, number: int) -> RunRow:
    run = _fields(item, _RUN_FIELDS, shown, number, "run", lists=("dossiers",))
    for name in _REQUIRED:
        if run[name] is None:
            raise StoreError("store.import_bad_line", file=shown, line=number, detail=f"run.{name}")
    for dossier in run["dossiers"]:
        _fields(dossier, _DOSSIER_FIELDS, shown, number, "dossier", lists=("outcomes", "waivers"))
        for row in dossier["outcomes"]:
            _fields(row, _OUTCOME_FIELDS, shown, number, "outcome")
        for row in dossier["waivers"]:
            _fields(row, _WAIVER_FIELDS, shown, number, "waiver")
    return cast("RunRow", run)  # every field checked above
