"""The reviewer's side of a run: the judgement date, the dossier's report_date as a claim, one dossier per project.

The judgement date (``--as-of``, default the system date read once per run) is the reviewer's: due dates and
waiver expiry are decided at it. ``project.dates.report_date`` is the submitter's claim of the date the dossier
describes; it cannot move the judgement, and a report_date that contradicts the dossier's own dates or lies after
the judgement date is an input error.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, TypedDict

from checker.model.errors import InputError, Problem
from checker.schema import index
from checker.inputs.yamlload import Document
from checker.lang.paths import Data
from checker.model.findings import DossierResult

if TYPE_CHECKING:
    from checker.check.waivers import WaiverList

SOURCES = ("option", "system")  # where the judgement date came from

# project dates that may be planned rather than past, and from which phase on they are facts of the past
_PHASES = ("planning", "construction", "completed", "operating")
_PAST_FROM_PHASE = {"design_start": "construction", "construction_start": "construction",
                    "construction_end": "completed", "operation_start": "operating"}
_FUTURE_BY_NATURE = {"expires"}  # a waiver's expiry lies ahead of the date it was written


@dataclass(frozen=True)
class AsOf:
    date: str  # YYYY-MM-DD
    source: str  # one of SOURCES


class Gate(TypedDict):
    """The reviewer's inputs of a run, as Checker arguments (checker.cli.common.resolve_gate makes them)."""

    as_of: AsOf
    waivers: WaiverList | None
    evidence_root: str | None


def parse_date(value: str) -> bool:
    try:
        return len(value) == 10 and date.fromisoformat(value) is not None
    except ValueError:
        return False


def as_of(value: str | None) -> AsOf:
    """The run's judgement date: the option's value (validated by the caller) or today, read once."""
    if value:
        return AsOf(value, "option")
    return AsOf(date.today().isoformat(), "system")


@lru_cache(maxsize=None)
def _date_paths() -> tuple:
    """Every dotted path (``*`` for list items) the dossier schema declares as a date."""
    from checker.inputs.resources import load_schema

    found = {path for path, _, node in index.walk(load_schema("dossier.schema.json"), items="*")
             if node.get("format") == "date"}
    return tuple(sorted(found))


def _values(data: Data, pattern: tuple[str, ...], prefix: tuple[str | int, ...] = ()
            ) -> Iterator[tuple[tuple[str | int, ...], Data]]:
    """(path, value) of every value the pattern (with ``*`` for list items) reaches."""
    if not pattern:
        yield prefix, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _values(item, rest, prefix + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _values(data[head], rest, prefix + (head,))


def _past_dates(data: dict[str, Data]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, date) of every date in the dossier that describes something that has happened by report_date."""
    phase = (data.get("project") or {}).get("phase")
    rank = _PHASES.index(phase) if phase in _PHASES else -1
    for pattern in _date_paths():
        if pattern == ("project", "dates", "report_date") or pattern[-1] in _FUTURE_BY_NATURE:
            continue
        if pattern[:2] == ("project", "dates"):
            since = _PAST_FROM_PHASE.get(pattern[2])
            if since is None or rank < _PHASES.index(since):
                continue  # may still be a plan
        for path, value in _values(data, pattern):
            if isinstance(value, str):
                yield path, value


def check_report_date(doc: Document, judged: AsOf) -> None:
    """Raise an InputError located at report_date when it lies after the judgement date or before a date the
    dossier gives for something that has already happened."""
    data = doc.data
    if not isinstance(data, dict):
        return
    path = ("project", "dates", "report_date")
    report = ((data.get("project") or {}).get("dates") or {}).get("report_date")
    if not isinstance(report, str):
        return
    line, column = doc.positions.get(path, (None, None))
    problems = []
    if report > judged.date:
        problems.append(Problem(doc.file, "review.report_date_after_as_of", {"report_date": report,
                                "as_of": judged.date}, line, column, "project/dates/report_date"))
    later = [(p, v) for p, v in _past_dates(data) if v > report]
    if later:
        where, value = max(later, key=lambda pv: (pv[1], pv[0]))
        at = doc.positions.get(where, (None, None))
        problems.append(Problem(doc.file, "review.report_date_before", {
            "report_date": report, "other": ".".join(map(str, where)), "date": value,
            "other_line": at[0] or "-"}, line, column, "project/dates/report_date"))
    if problems:
        raise InputError(problems)


class ProjectIds:
    """One dossier per project id in a run: a second file with the same id is an input error naming both."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}  # project id -> the file that gave it first

    def see(self, result: DossierResult) -> Problem | None:
        first = self.first.setdefault(result.project_id, result.file)
        if first == result.file:
            return None
        return Problem(result.file, "review.duplicate_project_id", {"id": result.project_id, "first": first})

    def check(self, results: Iterable[DossierResult]) -> None:
        problems = [p for p in map(self.see, results) if p is not None]
        if problems:
            raise InputError(problems)
