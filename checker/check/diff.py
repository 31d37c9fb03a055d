"""Two versions of one dossier: which gaps were fixed, which were introduced, and every outcome that changed.

This is the guide's loop (renovation → evaluation → improvement) seen from the dossier: check the old version
and the new one with the same rules, then compare rule by rule.
"""
from __future__ import annotations

from dataclasses import dataclass

from checker.model.findings import DossierResult, Finding


@dataclass(frozen=True)
class Change:
    rule_id: str
    dimension: str
    force: str
    old: str  # outcome in the old version
    new: str  # outcome in the new version
    old_gap: bool
    new_gap: bool
    finding: Finding  # the new version's finding (location, waiver)


@dataclass
class Diff:
    old: DossierResult
    new: DossierResult
    fail_on: str
    changed: list[Change]  # in rulebook order

    @property
    def fixed(self) -> list[Change]:
        return [c for c in self.changed if c.old_gap and not c.new_gap]

    @property
    def introduced(self) -> list[Change]:
        return [c for c in self.changed if c.new_gap and not c.old_gap]

    @property
    def same_project(self) -> bool:
        return self.old.project_id == self.new.project_id


def compare(old: DossierResult, new: DossierResult, fail_on: str) -> Diff:
    before = {f.rule_id: f for f in old.findings}
    changed = []
    for f in new.findings:
        o = before.get(f.rule_id)
        if o is None or o.outcome == f.outcome:
            continue
        changed.append(Change(f.rule_id, f.dimension, f.force, o.outcome, f.outcome,
                              o.is_gap(fail_on), f.is_gap(fail_on), f))
    return Diff(old, new, fail_on, changed)
