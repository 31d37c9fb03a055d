"""Baselines: record today's gaps, then fail only on gaps that are not in the record.

A gap is keyed by ``project.id``, the dossier file and the rule id: a new dossier that reuses an existing project
id does not inherit the old dossier's accepted gaps (it is a different file), and a run may not hold two dossiers
with one id at all (checker.check.review.ProjectIds). A baseline records the ``--fail-on`` level and the profile (name
and SHA-256) it was made with; ``check --baseline`` refuses one made with another, since its gaps would not mean
the same. A baseline file is untrusted input: it is read with the safe loader and checked against
``schemas/baseline.schema.json`` before use.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from checker import __version__
from checker.schema import validation as schema
from checker.model.errors import InputError, Problem
from checker.inputs.yamlload import Limits, load_file
from checker.text.jsontext import dumps_indented
from checker.lang.paths import Data
from checker.model.findings import DossierResult, Finding

if TYPE_CHECKING:
    from checker.rulebook.profiles import Profile
    from checker.rulebook.rules import Rulebook

Entry = dict[str, str]  # one gap of a baseline file: project_id, file, rule_id, outcome, force

FORMAT = "renovcheck-baseline"
FORMAT_VERSION = 2
_LIMITS = Limits(max_bytes=50 * 1024 * 1024, max_nodes=2_000_000)


def same_file(file: str) -> str:
    """One spelling of a dossier path: ``./a/b.yaml``, ``a//b.yaml`` and ``a/b.yaml`` are one file."""
    return os.path.normpath(file).replace(os.sep, "/")


def key(project_id: str, file: str, rule_id: str) -> str:
    return f"{project_id}/{same_file(file)}/{rule_id}"


def profile_identity(book: Rulebook) -> dict[str, str | None]:
    """The profile a run uses, as a baseline records it: name and SHA-256 of its file (None for no profile)."""
    profile = cast("Profile | None", getattr(book, "profile", None))
    if profile is None:
        return {"name": "default", "sha256": None}
    digest: str | None = getattr(profile, "sha256", None)
    if digest is None and profile.source:
        try:
            with open(profile.source, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            digest = None
    return {"name": profile.name, "sha256": digest}


def record(results: Sequence[DossierResult], fail_on: str, profile: dict | None = None) -> dict[str, object]:
    """The baseline document for these results: one entry per gap key, sorted."""
    entries: dict[str, Entry] = {}
    for result in results:
        for f in result.gaps(fail_on):
            entries.setdefault(key(result.project_id, result.file, f.rule_id), {
                "project_id": result.project_id, "file": same_file(result.file), "rule_id": f.rule_id,
                "outcome": f.outcome, "force": f.force})
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "tool": {"name": "renovcheck", "version": __version__},
            "fail_on": fail_on, "profile": profile or {"name": "default", "sha256": None},
            "key": "project_id/file/rule_id",
            "gaps": [entries[k] for k in sorted(entries)]}


def render(results: Sequence[DossierResult], fail_on: str, profile: dict | None = None) -> str:
    return dumps_indented(record(results, fail_on, profile)) + "\n"


@dataclass
class Baseline:
    file: str
    fail_on: str
    entries: dict[str, Entry]  # key -> entry


def load(path: str, fail_on: str | None = None, profile: dict | None = None) -> Baseline:
    """Read a baseline; refuse it when it was made with another --fail-on or profile than this run's."""
    doc = load_file(path, _LIMITS)
    version = doc.data.get("format_version") if isinstance(doc.data, dict) else None
    data = cast(dict[str, Data], doc.data)  # valid against baseline.schema.json (checked next): an object
    if isinstance(version, int) and version < FORMAT_VERSION:
        raise InputError([Problem(doc.file, "baseline.old_version", {"version": version})])
    problems = schema.validate(doc, "baseline.schema.json")
    if problems:
        raise InputError(problems)
    recorded = data["profile"]
    if fail_on is not None and data["fail_on"] != fail_on:
        problems.append(Problem(doc.file, "baseline.other_fail_on", {"recorded": data["fail_on"], "now": fail_on},
                                *doc.positions.get(("fail_on",), (None, None))))
    if profile is not None and (recorded["name"], recorded.get("sha256")) != (profile["name"], profile["sha256"]):
        problems.append(Problem(doc.file, "baseline.other_profile", {
            "recorded": _profile_text(recorded), "now": _profile_text(profile)},
            *doc.positions.get(("profile",), (None, None))))
    if problems:
        raise InputError(problems)
    entries: dict[str, Entry] = {}
    for entry in data["gaps"]:
        entries.setdefault(key(entry["project_id"], entry["file"], entry["rule_id"]), entry)
    return Baseline(doc.file, data["fail_on"], entries)


def _profile_text(profile: dict) -> str:
    return profile["name"] + (f" (sha256 {profile['sha256'][:12]}…)" if profile.get("sha256") else "")


@dataclass
class Comparison:
    """The current gaps against a baseline."""

    file: str
    known: set[str] = field(default_factory=set)  # keys of current gaps that are in the baseline
    new: set[str] = field(default_factory=set)  # keys of current gaps that are not
    fixed: list[tuple[Entry, str | None]] = field(default_factory=list)  # (baseline entry, current outcome) for checked projects
    not_checked: int = 0  # baseline entries of projects this run did not check

    def state(self, result: DossierResult, finding: Finding) -> str | None:
        """SARIF's baselineState for a gap: ``new`` or ``unchanged``; None for a finding that is not a gap."""
        k = key(result.project_id, result.file, finding.rule_id)
        if k in self.new:
            return "new"
        if k in self.known:
            return "unchanged"
        return None

    def is_new(self, result: DossierResult, finding: Finding) -> bool:
        return key(result.project_id, result.file, finding.rule_id) in self.new


def compare(results: Sequence[DossierResult], baseline: Baseline, fail_on: str) -> Comparison:
    comparison = Comparison(baseline.file)
    current: dict[str, Finding] = {}
    for result in results:
        for f in result.findings:
            current.setdefault(key(result.project_id, result.file, f.rule_id), f)
        for f in result.gaps(fail_on):
            k = key(result.project_id, result.file, f.rule_id)
            (comparison.known if k in baseline.entries else comparison.new).add(k)
    checked = {(r.project_id, same_file(r.file)) for r in results}
    for k in sorted(baseline.entries):
        entry = baseline.entries[k]
        if (entry["project_id"], same_file(entry["file"])) not in checked:
            comparison.not_checked += 1
        elif k not in comparison.known:
            finding = current.get(k)
            comparison.fixed.append((entry, finding.outcome if finding else None))
    return comparison
