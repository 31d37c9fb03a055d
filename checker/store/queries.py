"""The questions the store answers, as plain data: the history of one project and the portfolio at a date.

A gap is what ``check`` calls one: outcome ``fail`` or ``missing`` at a force at or above ``--fail-on``, with the
force in force in that run. The portfolio takes each project's latest check judged on or before its date.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column, Integer, MetaData, Table, Text, and_, case, func, insert, literal, literal_column, select,
)

from checker.model.findings import FORCE_RANK, GAP_OUTCOMES
from checker.store import tables as t

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql.elements import ColumnClause, ColumnElement
    from sqlalchemy.sql.selectable import Subquery

    from checker.store import Store

EVALUATION_RULE = "EVA-01"  # the comprehensive evaluation after completion (guide 2(4)); due dates follow it
EVALUATION_STATES = ("overdue", "due", "done", "waived", "not_due")


def gap_forces(fail_on: str) -> tuple[str, ...]:
    return tuple(f for f, rank in FORCE_RANK.items() if rank >= FORCE_RANK[fail_on])


# --- history -------------------------------------------------------------------------------------------------------

@dataclass
class Point:
    """One check of the project: its date and file, its gaps, and what changed since the check before."""
    as_of: str
    file: str
    file_sha256: str
    phase: str | None
    rulebook: str
    profile: str
    satisfaction_rate: float | None
    facility_use_rate: float | None
    gaps: dict[str, tuple[str, str, str]]  # rule id -> (outcome, dimension, force)
    outcomes: dict[str, str]  # rule id -> outcome, every rule recorded
    opened: list[str] = field(default_factory=list)  # gaps not seen at any earlier check
    reopened: list[str] = field(default_factory=list)  # gaps closed at an earlier check, open again
    # (rule id, outcome now): gaps of the check before, not gaps now
    closed: list[tuple[str, str]] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # gaps of the check before that this check left out (--select)

    def by_dimension(self, dimensions: Iterable[str]) -> dict[str, int]:
        counts = dict.fromkeys(dimensions, 0)
        for _outcome, dimension, _force in self.gaps.values():
            counts[dimension] = counts.get(dimension, 0) + 1
        return counts


@dataclass
class History:
    project_id: str
    project_name: str
    district: str | None
    fail_on: str
    points: list[Point]


def history(store: Store, project_id: str, fail_on: str = "shall") -> History | None:
    forces = gap_forces(fail_on)
    d, r, o = t.dossier_run, t.run, t.outcome
    with store.reading() as connection:
        runs = connection.execute(
            select(d.c.id, d.c.as_of, d.c.file, d.c.file_sha256, d.c.phase, d.c.project_name, d.c.district,
                   d.c.satisfaction_rate, d.c.facility_use_rate, r.c.rulebook_version, r.c.rulebook_sha256,
                   r.c.profile_name, r.c.profile_sha256)
            .join(r, r.c.id == d.c.run_id).where(d.c.project_id == project_id)
            .order_by(d.c.as_of, d.c.id)).mappings().all()  # the order portfolio's "latest" follows
        if not runs:
            return None
        outcomes: dict[int, dict[str, tuple[str, str, str]]] = {}
        for found in connection.execute(select(o.c.dossier_run_id, o.c.rule_id, o.c.outcome, o.c.dimension, o.c.force)
                                        .where(o.c.dossier_run_id.in_([x["id"] for x in runs]))):
            outcomes.setdefault(found.dossier_run_id, {})[found.rule_id] = (found.outcome, found.dimension, found.force)
    points: list[Point] = []
    ever: set[str] = set()
    previous: dict[str, tuple[str, str, str]] = {}
    for row in runs:
        recorded = outcomes.get(row["id"], {})
        gaps = {rule: v for rule, v in sorted(recorded.items()) if v[0] in GAP_OUTCOMES and v[2] in forces}
        point = Point(row["as_of"], row["file"], row["file_sha256"], row["phase"],
                      f"{row['rulebook_version']}/{row['rulebook_sha256'][:8]}",
                      row["profile_name"] + (f"/{row['profile_sha256'][:8]}" if row["profile_sha256"] else ""),
                      row["satisfaction_rate"], row["facility_use_rate"], gaps,
                      {rule: v[0] for rule, v in recorded.items()})
        if points:
            point.opened = [rule for rule in gaps if rule not in previous and rule not in ever]
            point.reopened = [rule for rule in gaps if rule not in previous and rule in ever]
            point.closed = [(rule, recorded[rule][0]) for rule in previous if rule not in gaps and rule in recorded]
            point.unchecked = [rule for rule in previous if rule not in recorded]
        else:
            point.opened = list(gaps)
        ever.update(gaps)
        # a gap this check did not look at stays open for the next comparison: it was neither closed nor seen
        previous = dict(gaps, **{rule: previous[rule] for rule in point.unchecked})
        points.append(point)
    last = runs[-1]
    return History(project_id, last["project_name"], last["district"], fail_on, points)


# --- portfolio -----------------------------------------------------------------------------------------------------

@dataclass
class Portfolio:
    as_of: str
    district: str | None
    fail_on: str
    projects: int
    by_rule: list[tuple[str, str, int]]  # (rule id, dimension, gaps), most gaps first
    by_dimension: dict[str, int]  # dimension -> gaps
    by_district: list[tuple[str, int, int, int]]  # (district, projects, with gaps, gaps)
    evaluations: dict[str, int]  # state -> count (EVALUATION_STATES)
    # (project id, name, district, due date, state) for overdue and due, earliest first
    evaluation_list: list[tuple[str, str, str | None, str | None, str]]
    # (month, satisfaction mean, answers, facility use mean, answers)
    trends: list[tuple[str, float | None, int, float | None, int]]
    modes: list[tuple[str, str, bool, int]]  # (declared, recommended, declared fits, projects)


# as literals: the partial gap index applies
GAPS: tuple[ColumnClause[str], ...] = (literal_column("'fail'"), literal_column("'missing'"))
# Without statistics on the store SQLite reads all of a dossier's outcomes by primary key rather than its few gaps
# from the partial index (4 times slower at 10^5 checks); PostgreSQL's planner has statistics and needs no hint.
GAP_INDEX_HINT = "INDEXED BY ix_outcome_gap"


def _gaps(o: Table, forces: tuple[str, ...]) -> ColumnElement[bool]:
    return and_(o.c.outcome.in_(GAPS), o.c.force.in_([literal_column(f"'{f}'") for f in forces]))


class _Latest:
    """Each project's latest check judged on or before ``as_of`` (then, with ``district``, those in it), found once
    per question into a temporary table of ids: every count joins that small table instead of ranking again."""

    def __init__(self, connection: Connection, as_of: str, district: str | None) -> None:
        d = t.dossier_run
        self.connection = connection
        self.ids = Table("renovcheck_latest", MetaData(), Column("id", Integer, primary_key=True),
                         Column("district", Text), prefixes=["TEMPORARY"])
        self.ids.create(connection)
        # the latest as-of date per project, then the last recorded check on it: both read ix_dossier_run_project
        # (project_id, as_of, and the id it carries), never the rows
        last_day = (select(d.c.project_id, func.max(d.c.as_of).label("as_of")).where(d.c.as_of <= as_of)
                    .group_by(d.c.project_id).subquery("last_day"))
        ranked = (select(func.max(d.c.id).label("id"))
                  .join(last_day, and_(d.c.project_id == last_day.c.project_id, d.c.as_of == last_day.c.as_of))
                  .group_by(d.c.project_id).subquery("ranked"))
        chosen = select(ranked.c.id, d.c.district).join(d, d.c.id == ranked.c.id)
        if district is not None:
            chosen = chosen.where(d.c.district == district)
        connection.execute(insert(self.ids).from_select(["id", "district"], chosen))
        # its size for the planner, so counts loop over these ids and look their gaps up in the index (neither SQLite
        # nor PostgreSQL's autovacuum gathers statistics on a temporary table by itself)
        schema = "temp." if connection.dialect.name == "sqlite" else ""
        connection.exec_driver_sql(f"ANALYZE {schema}renovcheck_latest")
        self.rows: Subquery = select(d).join(self.ids, self.ids.c.id == d.c.id).subquery("latest")

    def close(self) -> None:
        self.ids.drop(self.connection)


def portfolio(store: Store, as_of: str, district: str | None = None, fail_on: str = "shall") -> Portfolio:
    """Three passes over each project's latest check (its gaps; its evaluation and mode; the trends up to the
    date), counted here: fewer joins than one query per count."""
    o, d = t.outcome, t.dossier_run
    with store.reading() as connection:
        found = _Latest(connection, as_of, district)
        latest, ids = found.rows, found.ids
        gap_rows = connection.execute(
            select(ids.c.district, o.c.dossier_run_id, o.c.rule_id, o.c.dimension)
            .select_from(ids.join(o, and_(o.c.dossier_run_id == ids.c.id, _gaps(o, gap_forces(fail_on)))))
            .with_hint(o, GAP_INDEX_HINT, "sqlite")).all()
        evaluation = _evaluation_state(latest, o, as_of)
        projects = connection.execute(
            select(latest.c.project_id, latest.c.project_name, latest.c.district, latest.c.evaluation_due, evaluation,
                   latest.c.mode_declared, latest.c.mode_recommended, latest.c.modes_fitting)
            .select_from(latest.outerjoin(o, and_(o.c.dossier_run_id == latest.c.id,
                                                  o.c.rule_id == EVALUATION_RULE)))).all()
        # per as-of date in the index's order (no sort), summed into months below
        per_day = (select(d.c.as_of, func.sum(d.c.satisfaction_rate), func.count(d.c.satisfaction_rate),
                          func.sum(d.c.facility_use_rate), func.count(d.c.facility_use_rate))
                   .where(d.c.as_of <= as_of).group_by(d.c.as_of))
        if district is not None:
            per_day = per_day.where(d.c.district == district)
        days = connection.execute(per_day).all()
        found.close()
    by_rule: Counter[tuple[str, str]] = Counter()
    by_dimension: Counter[str] = Counter()
    gaps_in: Counter[str | None] = Counter()
    with_gaps: dict[str | None, set[int]] = {}
    for where, run_id, rule, dimension in gap_rows:
        by_rule[(rule, dimension)] += 1
        by_dimension[dimension] += 1
        gaps_in[where] += 1
        with_gaps.setdefault(where, set()).add(run_id)
    per_district: Counter[str | None] = Counter()
    states: Counter[str] = Counter()
    modes: Counter[tuple[str, str, bool]] = Counter()
    listed = []
    for project_id, name, where, due, state, declared, recommended, fitting in projects:
        per_district[where] += 1
        states[state] += 1
        if state in ("overdue", "due"):
            listed.append((project_id, name, where, due, state))
        if declared is not None:
            modes[(declared, recommended or "", f'"{declared}"' in (fitting or ""))] += 1  # a JSON list of ids
    months: dict[str, list[Any]] = {}  # month -> [satisfaction sum, answers, facility use sum, answers]
    for day, s_sum, s_n, f_sum, f_n in days:
        month = months.setdefault(day[:7], [0.0, 0, 0.0, 0])
        month[0] += s_sum or 0.0
        month[1] += s_n
        month[2] += f_sum or 0.0
        month[3] += f_n
    return Portfolio(
        as_of, district, fail_on, len(projects),
        sorted(((rule, dim, n) for (rule, dim), n in by_rule.items()), key=lambda x: (-x[2], x[0])),
        dict(by_dimension),
        sorted(((w or "", n, len(with_gaps.get(w, ())), gaps_in[w]) for w, n in per_district.items()),
               key=lambda x: x[0]),
        dict(dict.fromkeys(EVALUATION_STATES, 0), **states),
        sorted(listed, key=lambda x: (x[3] or "", x[0])),
        [(m, _mean(s, ns), ns, _mean(f, nf), nf) for m, (s, ns, f, nf) in sorted(months.items())],
        sorted(((a, b, fits, n) for (a, b, fits), n in modes.items()), key=lambda x: (x[0], x[1], x[2])),
    )


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 3) if count else None


def _evaluation_state(latest: Subquery, o: Table, as_of: str) -> ColumnElement[str]:
    """Where each project's comprehensive evaluation stands at ``as_of``: overdue (EVA-01 fail or missing at the
    last check), done (pass), waived, due (it fell due after the last check, which could not yet see it), not due."""
    completed = latest.c.phase.in_(("completed", "operating"))
    return case(
        (o.c.outcome.in_(GAP_OUTCOMES), literal("overdue")),
        (o.c.outcome == "pass", literal("done")),
        (o.c.outcome == "waived", literal("waived")),
        (and_(completed, latest.c.evaluation_due.is_not(None), latest.c.evaluation_due <= as_of), literal("due")),
        else_=literal("not_due"))


# --- fiscal performance evaluation ---------------------------------------------------------------------------------

@dataclass
class FiscalRow:
    project_id: str
    project_name: str
    district: str
    phase: str
    checked_on: str
    evaluation: dict[str, Any]  # checker/store/record.py _EVALUATION_FIELDS: the dossier's values, as JSON
    evaluation_state: str
    evaluation_due: str | None
    satisfaction_rate: float | None
    facility_use_rate: float | None
    gaps: list[str]  # rule ids


def fiscal(store: Store, as_of: str, district: str | None = None, fail_on: str = "shall") -> list[FiscalRow]:
    o = t.outcome
    with store.reading() as connection:
        found = _Latest(connection, as_of, district)
        latest = found.rows
        evaluation = _evaluation_state(latest, o, as_of)
        rows = connection.execute(
            select(latest, evaluation.label("state"))
            .select_from(latest.outerjoin(o, and_(o.c.dossier_run_id == latest.c.id, o.c.rule_id == EVALUATION_RULE)))
            .order_by(latest.c.district, latest.c.project_id)).mappings().all()
        gaps: dict[int, list[str]] = {}
        for run_id, rule in connection.execute(
                select(o.c.dossier_run_id, o.c.rule_id).select_from(latest.join(o, and_(
                    o.c.dossier_run_id == latest.c.id, _gaps(o, gap_forces(fail_on)))))
                .with_hint(o, GAP_INDEX_HINT, "sqlite").order_by(o.c.dossier_run_id, o.c.rule_id)):
            gaps.setdefault(run_id, []).append(rule)
        found.close()
    return [FiscalRow(r["project_id"], r["project_name"], r["district"] or "", r["phase"] or "", r["as_of"],
                      json.loads(r["evaluation"]), r["state"], r["evaluation_due"], r["satisfaction_rate"],
                      r["facility_use_rate"], gaps.get(r["id"], [])) for r in rows]
