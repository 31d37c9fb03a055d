"""JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps): one test case per rule per dossier.

A gap that fails the run is a ``<failure>`` carrying the message and ``file:line:column``; ``not_applicable``,
``waived`` and gaps already in the baseline are ``<skipped>`` with the reason; fail/missing below ``--fail-on``
pass, with the finding in ``<system-out>``. No timestamps or durations: the same inputs give the same bytes.
"""
from __future__ import annotations

from collections.abc import Sequence
from checker.model.findings import DossierResult, Finding

import re
import xml.etree.ElementTree as ET

from checker.report import (advisories_of, ReportContext, advisory_text, detail_tail, finding_notes, is_failing, location_text, profile_lines, uses_profile,
                            waiver_note)

# characters XML 1.0 cannot carry at all (a dossier string may hold them through YAML escapes)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    return _INVALID_XML.sub("\ufffd", str(text))


def _details(ctx: ReportContext, result: DossierResult, f: Finding) -> str:
    lines = [f"{f.rule_id} [{ctx.t('force.' + f.force)}] {ctx.t('outcome.' + f.outcome)}: "
             f"{ctx.rule_text(f.rule_id, 'title')}",
             f"{ctx.t('rules.message')}: {ctx.finding_text(f, 'message')}",
             f"{ctx.t('report.location')}: {location_text(result, f)} ({ctx.t('report.path')} {f.path})"]
    return "\n".join(lines + detail_tail(ctx, f))


def _case(suite: ET.Element, ctx: ReportContext, result: DossierResult, f: Finding) -> tuple[int, int]:
    """Adds one test case; returns (failures, skipped) it counts for."""
    case = ET.SubElement(suite, "testcase", {
        "classname": clean(f"renovcheck.{result.project_id or result.file}.{f.dimension}"),
        "name": clean(f"{f.rule_id} {ctx.rule_text(f.rule_id, 'title')}"),
        "file": clean(result.file),
        "line": str(f.line or 1),
    })
    if is_failing(ctx, result, f):
        failure = ET.SubElement(case, "failure", {
            "message": clean(f"{location_text(result, f)}: {ctx.finding_text(f, 'message')}"),
            "type": f.outcome,
        })
        failure.text = clean(_details(ctx, result, f))
        return 1, 0
    reason = None
    if f.outcome == "not_applicable":
        reason = ctx.t("junit.not_applicable")
    elif f.outcome == "waived":
        reason = waiver_note(ctx, f)
    elif f.is_gap(ctx.fail_on):
        reason = ctx.t("baseline.known_marker") + ": " + location_text(result, f)
    if reason is not None:
        ET.SubElement(case, "skipped", {"message": clean(reason)})
        return 0, 1
    if f.outcome == "not_taken" or finding_notes(ctx, f):  # informational: never a failure
        out = ET.SubElement(case, "system-out")
        out.text = clean(_details(ctx, result, f))
    elif f.outcome in ("fail", "missing"):
        out = ET.SubElement(case, "system-out")
        out.text = clean(ctx.t("junit.below_fail_on", fail_on=ctx.fail_on) + "\n" + _details(ctx, result, f))
    return 0, 0


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    root = ET.Element("testsuites", {"name": "renovcheck"})
    totals = [0, 0, 0]
    for result in results:
        suite = ET.SubElement(root, "testsuite", {"name": clean(f"{result.file} ({result.project_name or result.project_id})")})
        props = ET.SubElement(suite, "properties")
        for name, value in (("project.id", result.project_id), ("project.name", result.project_name),
                            ("fail_on", ctx.fail_on), ("lang", ctx.lang), ("profile", ctx.profile_name),
                            ("as_of", ctx.as_of.date if ctx.as_of else ""),
                            ("waivers.file", ctx.waivers_file or ""),
                            ("evidence.verified", "true" if ctx.evidence_root else "false"),
                            ("review", " · ".join(ctx.run_lines()))):
            ET.SubElement(props, "property", {"name": name, "value": clean(value)})
        if uses_profile(ctx):
            ET.SubElement(props, "property", {"name": "profile.sha256", "value": ctx.profile_sha256})
            for index, line in enumerate(profile_lines(ctx)[1:], 1):
                ET.SubElement(props, "property", {"name": f"profile.change.{index}", "value": clean(line)})
        for w in result.waivers:
            if w.source == "dossier":  # requests: shown, never applied by themselves
                status = "requested_granted" if w.granted else w.status
                ET.SubElement(props, "property", {"name": f"waiver.requested.{w.rule_id}",
                                                  "value": clean(ctx.t("waiver.status." + status))})
        for a in advisories_of(result):  # advice for the reviewer (MODE-01): never a failure
            ET.SubElement(props, "property", {"name": f"advisory.{a.id}", "value": clean(advisory_text(a, ctx.lang))})
        failures = skipped = 0
        for f in result.findings:
            failed, skips = _case(suite, ctx, result, f)
            failures += failed
            skipped += skips
        suite.set("tests", str(len(result.findings)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        totals[0] += len(result.findings)
        totals[1] += failures
        totals[2] += skipped
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", "0")
    root.set("skipped", str(totals[2]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
