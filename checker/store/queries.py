"""The questions the store answers, as plain data: the history of one project and the portfolio at a date.

A gap is what ``check`` calls one: outcome ``fail`` or ``missing`` at a force at or above ``--fail-on``, with the
force in force in that run. The portfolio takes each project's latest check judged on or before its date.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal, select

from checker.findings import FORCE_RANK, GAP_OUTCOMES
from checker.store import tables as t

EVALUATION_RULE = "EVA-01"  # the comprehensive evaluation after completion (guide 2(4)); due dates follow it
EVALUATION_STATES = ("overdue", "due", "done", "waived", "not_due")


def gap_forces(fail_on: str) -> tuple:
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
    gaps: dict  # rule id -> (outcome, dimension, force)
    outcomes: dict  # rule id -> outcome, every rule recorded
    opened: list = field(default_factory=list)  # gaps not seen at any earlier check
    reopened: list = field(default_factory=list)  # gaps closed at an earlier check, open again
    closed: list = field(default_factory=list)  # (rule id, outcome now): gaps of the check before, not gaps now

    def by_dimension(self, dimensions) -> dict:
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
    points: list


def history(store, project_id: str, fail_on: str = "shall") -> History | None:
    forces = gap_forces(fail_on)
    d, r, o = t.dossier_run, t.run, t.outcome
    with store.reading() as connection:
        runs = connection.execute(
            select(d.c.id, d.c.as_of, d.c.file, d.c.file_sha256, d.c.phase, d.c.project_name, d.c.district,
                   d.c.satisfaction_rate, d.c.facility_use_rate, r.c.rulebook_version, r.c.rulebook_sha256,
                   r.c.profile_name, r.c.profile_sha256)
            .join(r, r.c.id == d.c.run_id).where(d.c.project_id == project_id)
            .order_by(d.c.as_of, r.c.recorded_at, d.c.id)).mappings().all()
        if not runs:
            return None
        outcomes: dict = {}
        for row in connection.execute(select(o.c.dossier_run_id, o.c.rule_id, o.c.outcome, o.c.dimension, o.c.force)
                                      .where(o.c.dossier_run_id.in_([x["id"] for x in runs]))):
            outcomes.setdefault(row.dossier_run_id, {})[row.rule_id] = (row.outcome, row.dimension, row.force)
    points, ever = [], set()
    previous: dict = {}
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
            point.closed = [(rule, point.outcomes.get(rule)) for rule in previous if rule not in gaps]
        else:
            point.opened = list(gaps)
        ever.update(gaps)
        previous = gaps
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
    by_rule: list  # (rule id, dimension, gaps), most gaps first
    by_dimension: dict  # dimension -> gaps
    by_district: list  # (district, projects, with gaps, gaps)
    evaluations: dict  # state -> count (EVALUATION_STATES)
    evaluation_list: list  # (project id, name, district, due date, state) for overdue and due, earliest first
    trends: list  # (month, satisfaction mean, answers, facility use mean, answers)
    modes: list  # (declared, recommended, declared fits, projects)


def _latest(as_of: str, district: str | None):
    """Each project's latest check judged on or before ``as_of`` (then, with ``district``, those in it)."""
    d = t.dossier_run
    ranked = (select(d.c.id, d.c.project_id, d.c.project_name, d.c.district, d.c.phase, d.c.evaluation_due,
                     d.c.mode_declared, d.c.mode_recommended, d.c.modes_fitting, d.c.as_of, d.c.file,
                     d.c.evaluation, d.c.satisfaction_rate, d.c.facility_use_rate,
                     func.row_number().over(partition_by=d.c.project_id,
                                            order_by=(d.c.as_of.desc(), d.c.id.desc())).label("rank"))
              .where(d.c.as_of <= as_of).subquery("ranked"))
    latest = select(ranked).where(ranked.c["rank"] == 1)
    if district is not None:
        latest = latest.where(ranked.c.district == district)
    return latest.subquery("latest")


def portfolio(store, as_of: str, district: str | None = None, fail_on: str = "shall") -> Portfolio:
    o, d = t.outcome, t.dossier_run
    latest = _latest(as_of, district)
    gap = and_(o.c.dossier_run_id == latest.c.id, o.c.outcome.in_(GAP_OUTCOMES), o.c.force.in_(gap_forces(fail_on)))
    with store.reading() as connection:
        per_district = connection.execute(
            select(latest.c.district, func.count()).group_by(latest.c.district)).all()
        rule_rows = connection.execute(
            select(latest.c.district, o.c.rule_id, o.c.dimension, func.count())
            .select_from(latest.join(o, gap)).group_by(latest.c.district, o.c.rule_id, o.c.dimension)).all()
        with_gaps = dict(connection.execute(
            select(latest.c.district, func.count(func.distinct(latest.c.id)))
            .select_from(latest.join(o, gap)).group_by(latest.c.district)).all())
        evaluation = _evaluation_state(latest, o, as_of)
        states = connection.execute(select(evaluation, func.count()).select_from(
            latest.outerjoin(o, and_(o.c.dossier_run_id == latest.c.id, o.c.rule_id == EVALUATION_RULE)))
            .group_by(evaluation)).all()
        listed = connection.execute(
            select(latest.c.project_id, latest.c.project_name, latest.c.district, latest.c.evaluation_due, evaluation)
            .select_from(latest.outerjoin(o, and_(o.c.dossier_run_id == latest.c.id, o.c.rule_id == EVALUATION_RULE)))
            .where(evaluation.in_(("overdue", "due")))
            .order_by(latest.c.evaluation_due, latest.c.project_id)).all()
        month = func.substr(d.c.as_of, 1, 7)
        trend_query = (select(month, func.avg(d.c.satisfaction_rate), func.count(d.c.satisfaction_rate),
                              func.avg(d.c.facility_use_rate), func.count(d.c.facility_use_rate))
                       .where(d.c.as_of <= as_of).group_by(month).order_by(month))
        if district is not None:
            trend_query = trend_query.where(d.c.district == district)
        trends = connection.execute(trend_query).all()
        fits = case((latest.c.modes_fitting.like(literal('%"') + latest.c.mode_declared + literal('"%')), True),
                    else_=False)
        modes = connection.execute(
            select(latest.c.mode_declared, latest.c.mode_recommended, fits, func.count())
            .where(latest.c.mode_declared.is_not(None))
            .group_by(latest.c.mode_declared, latest.c.mode_recommended, fits)).all()
    by_rule: dict = {}
    by_dimension: dict = {}
    gaps_in: dict = {}
    for where, rule, dimension, count in rule_rows:
        by_rule[(rule, dimension)] = by_rule.get((rule, dimension), 0) + count
        by_dimension[dimension] = by_dimension.get(dimension, 0) + count
        gaps_in[where] = gaps_in.get(where, 0) + count
    return Portfolio(
        as_of, district, fail_on, sum(n for _, n in per_district),
        sorted(((rule, dim, n) for (rule, dim), n in by_rule.items()), key=lambda x: (-x[2], x[0])),
        by_dimension,
        sorted(((w or "", n, with_gaps.get(w, 0), gaps_in.get(w, 0)) for w, n in per_district), key=lambda x: x[0]),
        dict(dict.fromkeys(EVALUATION_STATES, 0), **{state: n for state, n in states}),
        [tuple(row) for row in listed],
        [(m, _round(s), ns, _round(f), nf) for m, s, ns, f, nf in trends],
        sorted(((a, b or "", bool(c), n) for a, b, c, n in modes), key=lambda x: (x[0], x[1], x[2])),
    )


def _round(value):
    return None if value is None else round(float(value), 3)


def _evaluation_state(latest, o, as_of: str):
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
    evaluation: dict  # checker/store/record.py _EVALUATION_FIELDS
    evaluation_state: str
    evaluation_due: str | None
    satisfaction_rate: float | None
    facility_use_rate: float | None
    gaps: list  # rule ids


def fiscal(store, as_of: str, district: str | None = None, fail_on: str = "shall") -> list:
    o = t.outcome
    latest = _latest(as_of, district)
    evaluation = _evaluation_state(latest, o, as_of)
    with store.reading() as connection:
        rows = connection.execute(
            select(latest, evaluation.label("state"))
            .select_from(latest.outerjoin(o, and_(o.c.dossier_run_id == latest.c.id, o.c.rule_id == EVALUATION_RULE)))
            .order_by(latest.c.district, latest.c.project_id)).mappings().all()
        gaps: dict = {}
        for run_id, rule in connection.execute(
                select(o.c.dossier_run_id, o.c.rule_id).select_from(latest.join(o, and_(
                    o.c.dossier_run_id == latest.c.id, o.c.outcome.in_(GAP_OUTCOMES),
                    o.c.force.in_(gap_forces(fail_on))))).order_by(o.c.dossier_run_id, o.c.rule_id)):
            gaps.setdefault(run_id, []).append(rule)
    return [FiscalRow(r["project_id"], r["project_name"], r["district"] or "", r["phase"] or "", r["as_of"],
                      json.loads(r["evaluation"]), r["state"], r["evaluation_due"], r["satisfaction_rate"],
                      r["facility_use_rate"], gaps.get(r["id"], [])) for r in rows]
