"""Baselines: record today's gaps, then fail only on gaps that are not in the record.

A gap is keyed by ``project.id`` and rule id (``SJS-GCNL-2023/CON-01``): the key survives moving or renaming
the dossier file and editing unrelated fields. Two dossiers that share a project id share their keys.
A baseline file is untrusted input: it is read with the safe loader and checked against
``schemas/baseline.schema.json`` before use.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from checker import __version__, schema
from checker.errors import InputError
from checker.yamlload import Limits, load_file

FORMAT = "renovcheck-baseline"
FORMAT_VERSION = 1
_LIMITS = Limits(max_bytes=50 * 1024 * 1024, max_nodes=2_000_000)


def key(project_id: str, rule_id: str) -> str:
    return f"{project_id}/{rule_id}"


def record(results, fail_on: str, profile: str = "default") -> dict:
    """The baseline document for these results: one entry per gap key, sorted."""
    entries = {}
    for result in sorted(results, key=lambda r: r.file):
        for f in result.gaps(fail_on):
            entries.setdefault(key(result.project_id, f.rule_id), {
                "project_id": result.project_id, "rule_id": f.rule_id, "file": result.file,
                "outcome": f.outcome, "force": f.force})
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "tool": {"name": "renovcheck", "version": __version__},
            "fail_on": fail_on, "profile": profile, "key": "project_id/rule_id",
            "gaps": [entries[k] for k in sorted(entries)]}


def render(results, fail_on: str, profile: str = "default") -> str:
    return json.dumps(record(results, fail_on, profile), ensure_ascii=False, indent=2) + "\n"


@dataclass
class Baseline:
    file: str
    fail_on: str
    entries: dict  # key -> entry


def load(path: str) -> Baseline:
    doc = load_file(path, _LIMITS)
    problems = schema.validate(doc, "baseline.schema.json")
    if problems:
        raise InputError(problems)
    entries = {}
    for entry in doc.data["gaps"]:
        entries.setdefault(key(entry["project_id"], entry["rule_id"]), entry)
    return Baseline(doc.file, doc.data["fail_on"], entries)


@dataclass
class Comparison:
    """The current gaps against a baseline."""

    file: str
    known: set = field(default_factory=set)  # keys of current gaps that are in the baseline
    new: set = field(default_factory=set)  # keys of current gaps that are not
    fixed: list = field(default_factory=list)  # (baseline entry, current outcome) for checked projects
    not_checked: int = 0  # baseline entries of projects this run did not check

    def state(self, result, finding) -> str | None:
        """SARIF's baselineState for a gap: ``new`` or ``unchanged``; None for a finding that is not a gap."""
        k = key(result.project_id, finding.rule_id)
        if k in self.new:
            return "new"
        if k in self.known:
            return "unchanged"
        return None

    def is_new(self, result, finding) -> bool:
        return key(result.project_id, finding.rule_id) in self.new


def compare(results, baseline: Baseline, fail_on: str) -> Comparison:
    comparison = Comparison(baseline.file)
    current = {}
    for result in results:
        for f in result.findings:
            current.setdefault(key(result.project_id, f.rule_id), f)
        for f in result.gaps(fail_on):
            k = key(result.project_id, f.rule_id)
            (comparison.known if k in baseline.entries else comparison.new).add(k)
    checked = {r.project_id for r in results}
    for k in sorted(baseline.entries):
        entry = baseline.entries[k]
        if entry["project_id"] not in checked:
            comparison.not_checked += 1
        elif k not in comparison.known:
            finding = current.get(k)
            comparison.fixed.append((entry, finding.outcome if finding else None))
    return comparison
