"""What a check produces: one finding per rule per dossier, and the dossier's result."""
from __future__ import annotations

from dataclasses import dataclass, field

FORCE_RANK = {"shall": 3, "should": 2, "may": 1}
GAP_OUTCOMES = ("fail", "missing")
# ``not_taken``: a ``may`` rule whose option was not taken. Informational: never a gap, never "non-compliant".
OUTCOMES = ("pass", "fail", "missing", "not_applicable", "not_taken", "waived")
FLAGS = ("unevidenced",)  # "unevidenced": passed on a bare done-claim (a should/may rule; see checker/engine/compiler.py)


@dataclass
class Finding:
    rule_id: str
    dimension: str
    force: str
    outcome: str
    path: str  # the dossier field that decided the outcome (dotted)
    line: int | None  # of the field, or of its nearest present parent
    column: int | None
    located_at: str  # the dotted path whose position line/column are
    missing_paths: list = field(default_factory=list)
    values: dict = field(default_factory=dict)
    waiver: object = None  # checker.check.waivers.WaiverStatus covering this rule (applied, expired or requested), if any
    evidence: list = field(default_factory=list)  # checker.inputs.evidence.Check entries it relies on that did not verify
    flags: list = field(default_factory=list)  # of FLAGS
    reason: str | None = None  # the dossier's reason when a measure stated as not needed decided the outcome
    texts: dict = field(default_factory=dict)  # "message"/"remedy" -> {"zh", "en"}, placeholders rendered

    def is_gap(self, fail_on: str) -> bool:
        return self.outcome in GAP_OUTCOMES and FORCE_RANK[self.force] >= FORCE_RANK[fail_on]


@dataclass
class DossierResult:
    file: str
    project_id: str
    project_name: str
    findings: list
    waivers: list = field(default_factory=list)  # checker.check.waivers.WaiverStatus, in dossier order
    waiver_date: tuple | None = None  # (date, source) the waivers were judged at; None without waivers
    advisories: list = field(default_factory=list)  # checker.modes.recommend.Advisory (MODE-01); never gaps
    evidence: list = field(default_factory=list)  # checker.evidence.Check for every evidence entry
    sha256: str = ""  # of the dossier file's bytes as checked
    data: dict | None = field(default=None, repr=False)  # the dossier as read (the store records its project facts)

    def counts(self) -> dict:
        counts = dict.fromkeys(OUTCOMES, 0)
        for f in self.findings:
            counts[f.outcome] = counts.get(f.outcome, 0) + 1
        return counts

    def gaps(self, fail_on: str) -> list:
        return [f for f in self.findings if f.is_gap(fail_on)]
