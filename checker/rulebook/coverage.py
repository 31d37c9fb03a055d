"""The requirement catalogue (``rules/catalog.yaml``) against the rulebook: which requirements of the guide a rule
checks, which are left to a reviewer, and which rules no requirement points to (``renovcheck rules coverage``; its
text and JSON are written by checker/report/coverage_report.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from checker.inputs import resources
from checker.schema import validation as schema
from checker.model.errors import InputError, Problem
from checker.model.findings import FORCE_RANK
from checker.inputs.yamlload import Limits, Path as DocPath, load_file
from checker.schema.validation import YAMLObject

if TYPE_CHECKING:
    from checker.rulebook.rules import Rulebook

CATALOG_FILE = "catalog.yaml"
DIMENSIONS = ("general", "construction", "operations", "governance", "evaluation")
# The force each modal word carries (see the header of rules/catalog.yaml); a case, one example of a "……等措施"
# list, and our reading of a phrase each give at most "should".
FORCE_OF_WORDING = {"应": ("shall",), "要": ("shall",), "宜": ("should",), "建议": ("should",), "鼓励": ("should",),
                    "可": ("may",), "可以": ("may",), "none": ("should",), "case": ("should", "may"),
                    "example": ("should", "may"), "reading": ("should", "may")}
_LIMITS = Limits(max_bytes=5 * 1024 * 1024)


@dataclass
class Catalog:
    file: str
    requirements: list[YAMLObject]
    context: list[YAMLObject]
    positions: dict[DocPath, tuple[int, int]] = field(repr=False, default_factory=dict)

    def where(self, *path: str | int) -> tuple[int | None, int | None]:
        """(line, column) of a value in the catalogue file, or of its nearest present parent."""
        probe = tuple(path)
        while probe and probe not in self.positions:
            probe = probe[:-1]
        return self.positions.get(probe, (None, None))


def load_catalog(directory: Path | None = None) -> Catalog:
    path = Path(directory or resources.rules_dir()) / CATALOG_FILE
    doc = load_file(str(path), _LIMITS)
    problems = schema.validate(doc, "catalog.schema.json")
    if problems:
        raise InputError(problems)
    data = schema.accepted(doc)
    return Catalog(doc.file, data["requirements"], data.get("context") or [], doc.positions)


def check_catalog(catalog: Catalog, book: Rulebook) -> list[Problem]:
    """Consistency of the catalogue with itself and with the rulebook (not coverage: see ``coverage``)."""
    problems = []

    def problem(key: str, where: DocPath, **params: object) -> None:
        line, column = catalog.where(*where)
        problems.append(Problem(catalog.file, key, params, line, column))

    seen = set()
    for kind, entries in (("requirements", catalog.requirements), ("context", catalog.context)):
        for index, entry in enumerate(entries):
            if entry["id"] in seen:
                problem("catalog.duplicate_id", (kind, index, "id"), id=entry["id"])
            seen.add(entry["id"])
    requirement_ids = {r["id"] for r in catalog.requirements}
    for index, req in enumerate(catalog.requirements):
        allowed = FORCE_OF_WORDING[req["wording"]]
        if req["force"] not in allowed:
            problem("catalog.force_wording", ("requirements", index, "force"), id=req["id"], force=req["force"],
                    wording=req["wording"], allowed="/".join(allowed))
        if req["wording"] == "case" and not req.get("case"):
            problem("catalog.case_missing", ("requirements", index, "wording"), id=req["id"])
        for position, rule_id in enumerate(req.get("rules", [])):
            if book.get(rule_id) is None:
                problem("catalog.unknown_rule", ("requirements", index, "rules", position), id=req["id"], rule=rule_id)
    for index, ctx in enumerate(catalog.context):
        for position, ref in enumerate(ctx.get("see", [])):
            if ref not in requirement_ids:
                problem("catalog.unknown_requirement", ("context", index, "see", position), id=ctx["id"], ref=ref)
    for rule in book.rules:
        pointing = [r for r in catalog.requirements if rule.id in r.get("rules", [])]
        if not pointing:
            continue  # reported by coverage as an unreferenced rule
        forces = sorted({r["force"] for r in pointing}, key=lambda force: FORCE_RANK[force])
        if rule.force not in forces:
            problems.append(Problem(rule.source, "catalog.rule_force", {"rule": rule.id, "force": rule.force,
                                                                         "forces": "/".join(forces)}, rule.line, 1))
        phrase = rule.citation["phrase"]
        if not any(phrase in r["phrase"] or r["phrase"] in phrase for r in pointing):
            problems.append(Problem(rule.source, "catalog.rule_citation", {"rule": rule.id, "phrase": phrase},
                                    rule.line, 1))
    return problems


@dataclass
class Coverage:
    catalog: Catalog
    checked: list[YAMLObject]  # requirements with rules
    manual: list[YAMLObject]  # requirements left to a reviewer
    unreferenced: list[str]  # rule ids no requirement points to
    by_dimension: dict[str, dict[str, int]]  # dimension -> counts
    problems: list[Problem]  # catalogue inconsistencies (check_catalog)

    @property
    def ok(self) -> bool:
        return not self.unreferenced and not self.problems


def coverage(catalog: Catalog, book: Rulebook) -> Coverage:
    referenced = {rule_id for r in catalog.requirements for rule_id in r.get("rules", [])}
    by_dimension = {}
    for dimension in DIMENSIONS:
        reqs = [r for r in catalog.requirements if r["dimension"] == dimension]
        by_dimension[dimension] = {
            "requirements": len(reqs),
            "checked": sum(1 for r in reqs if r.get("rules")),
            "manual": sum(1 for r in reqs if r.get("manual")),
            "rules": sum(1 for rule in book.rules if rule.dimension == dimension),
        }
    return Coverage(
        catalog,
        [r for r in catalog.requirements if r.get("rules")],
        [r for r in catalog.requirements if r.get("manual")],
        [rule.id for rule in book.rules if rule.id not in referenced],
        by_dimension,
        check_catalog(catalog, book),
    )


def totals(cov: Coverage) -> dict[str, int]:
    return {key: sum(d[key] for d in cov.by_dimension.values()) for key in ("requirements", "checked", "manual", "rules")}
