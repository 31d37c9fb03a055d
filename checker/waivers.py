"""Waivers: a named approver accepts one rule's gap until an expiry date.

A waiver is judged at one date, never at an implicit "now": the dossier's ``project.dates.report_date`` when it
has one, else the date given with ``--today``, else the system date read once per run (``resolve_today``). A valid
waiver turns a ``fail`` or ``missing`` outcome into ``waived`` (not a gap); an expired one leaves the gap standing
and the finding says which waiver expired.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checker.findings import GAP_OUTCOMES

# status of one waiver entry
APPLIED = "applied"  # valid and covering a fail/missing finding: that finding is waived
EXPIRED = "expired"  # the judgement date is after `expires`
NOT_YET_VALID = "not_yet_valid"  # the judgement date is before `approved_on`
UNUSED = "unused"  # valid, but the rule has no fail/missing outcome to waive
DUPLICATE = "duplicate"  # an earlier valid waiver of the same rule already applies
UNKNOWN_RULE = "unknown_rule"  # no rule has this id
STATUSES = (APPLIED, EXPIRED, NOT_YET_VALID, UNUSED, DUPLICATE, UNKNOWN_RULE)

SOURCES = ("report_date", "option", "system")  # where the judgement date came from


@dataclass(frozen=True)
class WaiverStatus:
    index: int  # position in the dossier's `waivers` list
    rule_id: str
    reason: str
    approved_by: str
    expires: str
    approved_on: str | None
    status: str
    line: int | None
    column: int | None
    outcome: str | None = None  # the rule's own outcome (before waiving), when the rule exists

    def as_dict(self) -> dict:
        return {"rule_id": self.rule_id, "status": self.status, "reason": self.reason,
                "approved_by": self.approved_by, "expires": self.expires, "approved_on": self.approved_on,
                "outcome": self.outcome,
                "location": {"line": self.line, "column": self.column} if self.line else None}


def resolve_today(option: str | None) -> tuple[str, str]:
    """The fallback judgement date for dossiers without a report_date: ``--today`` or the system date."""
    if option:
        return option, "option"
    return date.today().isoformat(), "system"


def judgement_date(data: dict, fallback: tuple[str, str] | None) -> tuple[str, str]:
    report = ((data.get("project") or {}).get("dates") or {}).get("report_date")
    if isinstance(report, str):
        return report, "report_date"
    return fallback or resolve_today(None)


def apply(result, doc, fallback: tuple[str, str] | None):
    """Judge the dossier's waivers and mark waived findings. Returns ``result`` (changed in place)."""
    entries = doc.data.get("waivers") if isinstance(doc.data, dict) else None
    if not entries:
        return result
    day, source = judgement_date(doc.data, fallback)
    by_rule = {f.rule_id: f for f in result.findings}
    statuses = []
    for index, entry in enumerate(entries):
        rule_id = entry["rule_id"]
        finding = by_rule.get(rule_id)
        line, column = doc.positions.get(("waivers", index), (None, None))
        if finding is None:
            status = UNKNOWN_RULE
        elif entry.get("approved_on") and day < entry["approved_on"]:
            status = NOT_YET_VALID
        elif day > entry["expires"]:
            status = EXPIRED
        elif finding.outcome == "waived":
            status = DUPLICATE
        elif finding.outcome in GAP_OUTCOMES:
            status = APPLIED
        else:
            status = UNUSED
        original = None
        if finding is not None:
            original = finding.waiver.outcome if finding.outcome == "waived" else finding.outcome
        waiver = WaiverStatus(index, rule_id, entry["reason"], entry["approved_by"], entry["expires"],
                              entry.get("approved_on"), status, line, column, original)
        statuses.append(waiver)
        if status == APPLIED:
            finding.outcome = "waived"
            finding.waiver = waiver
        elif status in (EXPIRED, NOT_YET_VALID) and finding.outcome in GAP_OUTCOMES and finding.waiver is None:
            finding.waiver = waiver  # the gap stands, and the report says which waiver did not cover it
    result.waivers = statuses
    result.waiver_date = (day, source)
    return result
