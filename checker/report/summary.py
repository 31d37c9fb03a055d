"""Numbers every report shares: per-dimension counts of one dossier, and the table across dossiers.

The table is sorted worst first: most gaps, then the lowest share of applicable shall-rules passed, then file.
"""
from __future__ import annotations

from collections.abc import Sequence
from checker.model.findings import DossierResult

from dataclasses import dataclass

from checker.report import DIMENSIONS, ReportContext

OUTCOMES = ("pass", "fail", "missing", "waived", "not_applicable", "not_taken")


@dataclass(frozen=True)
class Row:
    file: str
    project_id: str
    project_name: str
    gaps: int
    gaps_by_dimension: dict
    shall_passed: int
    shall_applicable: int  # shall-rules whose outcome is not not_applicable

    @property
    def shall_share(self) -> float | None:
        return self.shall_passed / self.shall_applicable if self.shall_applicable else None

    def share_text(self) -> str:
        share = self.shall_share
        return "-" if share is None else f"{share * 100:.0f}%"


def dimension_counts(result: DossierResult) -> dict:
    """{dimension: {outcome: n}} in report order, every outcome present."""
    table = {d: {o: 0 for o in OUTCOMES} for d in DIMENSIONS}
    for f in result.findings:
        table.setdefault(f.dimension, {o: 0 for o in OUTCOMES})[f.outcome] += 1
    return table


def row(result: DossierResult, ctx: ReportContext) -> Row:
    gaps = [f for f in result.findings if f.is_gap(ctx.fail_on)]
    by_dim = {d: 0 for d in DIMENSIONS}
    for f in gaps:
        by_dim[f.dimension] = by_dim.get(f.dimension, 0) + 1
    shall = [f for f in result.findings if f.force == "shall" and f.outcome != "not_applicable"]
    return Row(result.file, result.project_id, result.project_name, len(gaps), by_dim,
               sum(1 for f in shall if f.outcome == "pass"), len(shall))


def table(results: Sequence[DossierResult], ctx: ReportContext) -> list[Row]:
    rows = [row(r, ctx) for r in results]
    return sorted(rows, key=lambda r: (-r.gaps, 1.0 if r.shall_share is None else r.shall_share, r.file))
