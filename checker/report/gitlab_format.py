"""GitLab Code Quality: a JSON array of issues (``artifacts:reports:codequality``), one per fail/missing finding.

The fingerprint is a hash of the project id, the file and the rule — not of the message — so a gap keeps its
identity across wording changes and GitLab can tell new gaps from old ones in a merge request. Severity: a gap
that fails the run is ``critical`` (shall) or ``major``; one below ``--fail-on`` is ``minor``; one in the baseline
or waived by the reviewer's waiver list ``info`` (a waived gap stays visible, with its waiver).
"""
from __future__ import annotations

from collections.abc import Sequence
from checker.model.findings import DossierResult, Finding

import hashlib

from checker.report import ReportContext, advisories, advisory_text, annotated, headline, is_failing, waiver_note
from checker.text.jsontext import dumps_indented


def fingerprint(result: DossierResult, finding: Finding) -> str:
    key = "\0".join((result.project_id, result.file, finding.rule_id))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def _severity(ctx: ReportContext, result: DossierResult, finding: Finding) -> str:
    if finding.outcome == "waived":
        return "info"
    if is_failing(ctx, result, finding):
        return "critical" if finding.force == "shall" else "major"
    return "info" if finding.is_gap(ctx.fail_on) else "minor"


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    issues = [{
        "type": "issue",
        "check_name": f.rule_id,
        "description": headline(ctx, r, f) + (f"; {waiver_note(ctx, f)}" if f.outcome == "waived" else ""),
        "categories": ["Compliance"],
        "severity": _severity(ctx, r, f),
        "fingerprint": fingerprint(r, f),
        "location": {"path": r.file, "lines": {"begin": f.line or 1}},
    } for r, f in annotated(results) + [(r, f) for r in results for f in r.findings if f.outcome == "waived"]]
    issues += [{
        "type": "issue",
        "check_name": a.id,
        "description": advisory_text(a, ctx.lang),
        "categories": ["Compliance"],
        "severity": "info",  # advice for the reviewer, never a gap
        "fingerprint": hashlib.sha256("\0".join((r.project_id, r.file, a.id)).encode("utf-8", "surrogateescape")).hexdigest(),
        "location": {"path": r.file, "lines": {"begin": 1}},
    } for r, a in advisories(results)]
    return dumps_indented(issues) + "\n"
