"""Waivers: the reviewer accepts one project's gap of one rule, named and dated, until an expiry date.

Only the reviewer's waiver file (``--waivers FILE``, ``schemas/waivers.schema.json``) can waive anything. A
dossier is the submitter's words: the ``waivers:`` it contains are *requests*, shown as requested in every report
and never applied unless the reviewer's file grants the same project and rule.

A waiver is judged at the run's judgement date (``--as-of``, default today read once per run; never the dossier's
``report_date``). A valid waiver turns a ``fail`` or ``missing`` outcome into ``waived`` (not a gap); an expired
one leaves the gap standing and the finding says which waiver expired.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from checker.schema import validation as schema
from checker.model.errors import InputError, Problem
from checker.model.findings import GAP_OUTCOMES
from checker.inputs.yamlload import Document, Limits, load_file
from checker.lang.paths import Data
from checker.model.findings import DossierResult, Finding

if TYPE_CHECKING:
    from checker.rulebook.rules import Rulebook

# status of one waiver entry
APPLIED = "applied"  # valid and covering a fail/missing finding: that finding is waived
EXPIRED = "expired"  # the judgement date is after `expires`
NOT_YET_VALID = "not_yet_valid"  # the judgement date is before `approved_on`
UNUSED = "unused"  # valid, but the rule has no fail/missing outcome to waive
DUPLICATE = "duplicate"  # an earlier valid waiver of the same rule already applies
UNKNOWN_RULE = "unknown_rule"  # a dossier's request names no rule
REQUESTED = "requested"  # written in the dossier: a request, never applied by itself
STATUSES = (APPLIED, EXPIRED, NOT_YET_VALID, UNUSED, DUPLICATE, UNKNOWN_RULE, REQUESTED)

_LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_nodes=1_000_000)
# characters that show nothing although Unicode does not call them whitespace (fillers, blank patterns)
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def is_blank(value: str) -> bool:
    """True when nothing visible is left after removing whitespace and invisible characters (zero-width spaces,
    BOM, bidi marks, fillers): an approver or reason made of them says nothing."""
    return all(ch.isspace() or ch in _BLANK_LOOKING or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp",
                                                                                   "Cn", "Co", "Cs", "Mn", "Me")
               for ch in value)


@dataclass(frozen=True)
class Waiver:
    """One waiver of the reviewer's file."""

    index: int
    project_id: str
    rule_id: str
    approved_by: str
    reason: str
    approved_on: str
    expires: str | None  # None: no expiry (allowed for should/may rules only)
    line: int | None
    column: int | None


@dataclass
class WaiverList:
    file: str
    entries: list[Waiver] = field(default_factory=list)  # in file order

    def for_project(self, project_id: str) -> list[Waiver]:
        return [w for w in self.entries if w.project_id == project_id]


@dataclass(frozen=True)
class WaiverStatus:
    index: int  # position in the reviewer's file, or in the dossier's `waivers` list for a request
    rule_id: str
    reason: str
    approved_by: str
    expires: str | None
    approved_on: str | None
    status: str
    line: int | None
    column: int | None
    outcome: str | None = None  # the rule's own outcome (before waiving), when the rule exists
    source: str = "reviewer"  # "reviewer": the --waivers file; "dossier": a request written in the dossier
    file: str = ""  # the file it is written in
    granted: bool = False  # a request whose project and rule the reviewer's file waives (applied)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"rule_id": self.rule_id, "status": self.status, "source": self.source, "reason": self.reason,
               "approved_by": self.approved_by, "expires": self.expires, "approved_on": self.approved_on,
               "outcome": self.outcome, "file": self.file,
               "location": {"line": self.line, "column": self.column} if self.line else None}
        if self.source == "dossier":
            out["granted"] = self.granted
        return out


def load(path: str, rulebook: Rulebook) -> WaiverList:
    """The reviewer's waiver file, checked against its schema and the rulebook (with any profile applied).

    Every problem is an input error with its file:line:column: an unknown rule, a blank approver or reason, an
    expiry before the approval date, a shall rule without an expiry.
    """
    doc = load_file(path, _LIMITS)
    problems = schema.validate(doc, "waivers.schema.json")
    if problems:
        raise InputError(problems)
    waivers = WaiverList(doc.file)
    data = cast(dict[str, Data], doc.data)  # valid against waivers.schema.json: an object
    for index, entry in enumerate(data["waivers"]):
        line, column = doc.positions.get(("waivers", index), (None, None))

        def problem(key: str, name: str | None = None, **params: object) -> None:
            at = doc.positions.get(("waivers", index, name), (line, column)) if name else (line, column)
            problems.append(Problem(doc.file, key, dict(params, name=name or ""), at[0], at[1],
                                    f"waivers/{index}" + (f"/{name}" if name else "")))

        for name in ("approved_by", "reason"):
            if is_blank(entry[name]):
                problem("waivers.blank", name)
        rule = rulebook.get(entry["rule_id"])
        if rule is None:
            problem("waivers.unknown_rule", "rule_id", rule=entry["rule_id"])
        elif "expires" not in entry and rulebook.force_of(rule) == "shall":
            problem("waivers.expiry_required", rule=entry["rule_id"])
        if entry.get("expires") is not None and entry["expires"] < entry["approved_on"]:
            problem("waivers.expires_before_approval", "expires", expires=entry["expires"],
                    approved_on=entry["approved_on"])
        waivers.entries.append(Waiver(index, entry["project_id"], entry["rule_id"], entry["approved_by"],
                                      entry["reason"], entry["approved_on"], entry.get("expires"), line, column))
    if problems:
        raise InputError(problems)
    return waivers


def _judge(waiver: Waiver, finding: Finding | None, as_of: str) -> str:
    if finding is None:
        return UNKNOWN_RULE
    if as_of < waiver.approved_on:
        return NOT_YET_VALID
    if waiver.expires is not None and as_of > waiver.expires:
        return EXPIRED
    if finding.outcome == "waived":
        return DUPLICATE
    if finding.outcome in GAP_OUTCOMES:
        return APPLIED
    return UNUSED


def apply(result: DossierResult, doc: Document, granted: WaiverList | None, as_of: str,
          source: str = "option") -> DossierResult:
    """Judge the reviewer's waivers for this dossier's project at ``as_of`` and mark waived findings; list the
    dossier's own waivers as requests. Returns ``result`` (changed in place)."""
    by_rule = {f.rule_id: f for f in result.findings}
    statuses = []
    reviewer = granted if granted is not None else WaiverList("")
    for waiver in reviewer.for_project(result.project_id):
        finding = by_rule.get(waiver.rule_id)
        status = _judge(waiver, finding, as_of)
        original = None
        if finding is not None:
            original = cast(WaiverStatus, finding.waiver).outcome if finding.outcome == "waived" else finding.outcome
        judged = WaiverStatus(waiver.index, waiver.rule_id, waiver.reason, waiver.approved_by, waiver.expires,
                              waiver.approved_on, status, waiver.line, waiver.column, original, "reviewer",
                              reviewer.file)
        statuses.append(judged)
        if finding is None:  # UNKNOWN_RULE
            continue
        if status == APPLIED:
            finding.outcome = "waived"
            finding.waiver = judged
        elif status in (EXPIRED, NOT_YET_VALID) and finding.outcome in GAP_OUTCOMES and finding.waiver is None:
            finding.waiver = judged  # the gap stands, and the report says which waiver did not cover it
    applied = {s.rule_id for s in statuses if s.status == APPLIED}
    requests = doc.data.get("waivers") if isinstance(doc.data, dict) else None
    for index, entry in enumerate(requests or []):
        finding = by_rule.get(entry["rule_id"])
        line, column = doc.positions.get(("waivers", index), (None, None))
        request = WaiverStatus(index, entry["rule_id"], entry["reason"], entry["approved_by"], entry.get("expires"),
                               entry.get("approved_on"), REQUESTED if finding is not None else UNKNOWN_RULE,
                               line, column, finding.outcome if finding is not None else None, "dossier", doc.file,
                               entry["rule_id"] in applied)
        statuses.append(request)
        if finding is not None and finding.waiver is None and finding.outcome in GAP_OUTCOMES:
            finding.waiver = request  # the gap stands; every format says a waiver was requested, not granted
    result.waivers = statuses
    result.waiver_date = (as_of, source) if statuses else None
    return result
