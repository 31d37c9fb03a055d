"""SARIF 2.1.0 for code-scanning platforms (GitHub, GitLab, Azure DevOps).

One run. Every rule of the rulebook is in ``tool.driver.rules`` with both languages and its citation; results are
the ``fail``, ``missing`` and ``waived`` findings (a waiver becomes a SARIF suppression), each located at the field
or its nearest present parent. The level comes from the rule's force: shall → error, should → warning, may → note.
A ``missing`` finding is not a failure the tool observed but a question left open: SARIF's ``kind: "open"``, which
the specification (§3.27.9) allows only with ``level: "none"``; its force stays in ``properties.force`` and
``rank`` (shall 90, should 60, may 30) keeps the order of severity for a viewer.
At most MAX_RESULTS results per run (GitHub code scanning accepts no more): above it the least severe are left out
(waived before open before fail; may before should before shall) and a toolExecutionNotification counts them.
With a documentation base URI (``--docs-base-uri``, the URI at which ``renovcheck rules docs DIR`` was published),
each rule carries ``helpUri`` = BASE<lang>/<ID>.md and the tool ``informationUri`` = BASE<lang>/README.md; SARIF
requires both to be absolute, so without a base they are left out and ``properties.helpPath`` gives the page's
path relative to that folder.
``partialFingerprints`` hash the project id, the dossier file and the rule id (the baseline's key), so a gap keeps
its identity when lines shift, and a new dossier reusing a project id does not take over the old one's alerts. Relative dossier paths stay relative (``uriBaseId`` %SRCROOT%); absolute ones become ``file://`` URIs.
"""
from __future__ import annotations

from collections.abc import Sequence
from checker.model.findings import DossierResult, Finding

from dataclasses import replace

import hashlib
from pathlib import PurePosixPath
from urllib.parse import quote

from checker.report import waiver_of, ReportContext, advisories, advisory_text, citation_text, gap_message, profile_data
from checker.report.json_format import run_metadata
from checker.i18n.messages import pick
from checker.text.jsontext import dumps_indented
from checker.rulebook.rules import Rule
from checker.modes.recommend import Advisory

LEVEL = {"shall": "error", "should": "warning", "may": "note"}
RANK = {"shall": 90.0, "should": 60.0, "may": 30.0}
MAX_RESULTS = 25_000
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "renovcheckGap/v2"


def artifact_location(file: str) -> dict:
    if file.startswith("/"):
        return {"uri": PurePosixPath(file).as_uri()}
    return {"uri": quote(PurePosixPath(file).as_posix(), safe="/"), "uriBaseId": "%SRCROOT%"}


def fingerprint(project_id: str, file: str, rule_id: str) -> str:
    from checker.check.baseline import same_file

    return hashlib.sha256(f"{project_id}\0{same_file(file)}\0{rule_id}".encode("utf-8")).hexdigest()[:32]


def _rule(rule: Rule, ctx: ReportContext) -> dict[str, object]:
    force = ctx.rulebook.force_of(rule)
    other = "en" if ctx.lang == "zh" else "zh"
    help_text = (f"{pick(rule.remedy, ctx.lang)}\n{ctx.t('report.citation')}: {citation_text(ctx, rule.id)}\n"
                 f"{pick(rule.title, other)}: {pick(rule.remedy, other)}")
    return {
        "id": rule.id,
        "shortDescription": {"text": pick(rule.title, ctx.lang)},
        "fullDescription": {"text": f"{ctx.rule_text(rule.id, 'message')} / "
                                    f"{replace(ctx, lang=other).rule_text(rule.id, 'message')}"},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVEL[force]},
        **({"helpUri": f"{ctx.docs_base_uri}{ctx.lang}/{rule.id}.md"} if ctx.docs_base_uri else {}),
        "properties": {
            "helpPath": f"{ctx.lang}/{rule.id}.md",
            "tags": ["compliance", rule.dimension, force],
            "dimension": rule.dimension,
            "force": force,
            "title": dict(rule.title),
            "message": dict(rule.message),  # {zh, en}, or one {zh, en} per outcome (fail, missing, not_taken)
            "remedy": dict(rule.remedy),
            "citation": dict(rule.citation),
        },
    }


def _result(result: DossierResult, f: Finding, ctx: ReportContext, rule_index: dict, artifact_index: int) -> dict:
    region = {"startLine": f.line or 1, "startColumn": f.column or 1}
    out = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index[f.rule_id],
        # missing: the tool could not decide (kind open, level none: SARIF 3.27.9); not_taken (a may-rule's option
        # not taken) and flagged passes are information, never failures
        "kind": {"fail": "fail", "waived": "fail", "missing": "open"}.get(f.outcome, "informational"),
        "level": LEVEL[f.force] if f.outcome in ("fail", "waived") else "none",
        "rank": RANK[f.force],
        "message": {"text": gap_message(ctx, result, f)},
        "locations": [{
            "physicalLocation": {"artifactLocation": dict(artifact_location(result.file), index=artifact_index),
                                 "region": region},
            "logicalLocations": [{"fullyQualifiedName": f.located_at or "/", "kind": "member"}],
        }],
        "partialFingerprints": {FINGERPRINT: fingerprint(result.project_id, result.file, f.rule_id)},
        "properties": {
            "outcome": f.outcome,
            "gap": f.is_gap(ctx.fail_on),
            "dimension": f.dimension,
            "force": f.force,
            "path": f.path,
            "locatedAt": f.located_at,
            "missing": list(f.missing_paths),
            "flags": list(f.flags),
            "project": {"id": result.project_id, "name": result.project_name},
        },
    }
    w = waiver_of(f)
    if w is not None:
        out["properties"]["waiver"] = w.as_dict()
    if f.outcome == "waived" and w is not None:  # a waived finding always has the waiver that waived it
        out["suppressions"] = [{
            "kind": "external",  # the waiver is in the reviewer's waiver list, not in the dossier
            "status": "accepted",
            "justification": w.reason,
            "properties": {"approvedBy": w.approved_by, "expires": w.expires, "approvedOn": w.approved_on,
                           "originalOutcome": w.outcome},
        }]
    if ctx.baseline is not None:
        state = ctx.baseline.state(result, f)
        if state:
            out["baselineState"] = state
    return out


ADVISORY_RULE = "MODE-01"


def _advisory_rule(ctx: ReportContext) -> dict:
    return {"id": ADVISORY_RULE, "name": "ModeAdvisory",
            "shortDescription": {"text": ctx.t("sarif.advisory_rule")},
            "defaultConfiguration": {"level": "note"}, "properties": {"advisory": True}}


def _advisory_result(result: DossierResult, advisory: Advisory, ctx: ReportContext, rule_index: int, artifact_index: int) -> dict:
    """An advisory is information for the reviewer, never a failure: kind informational, so level none (§3.27.9)."""
    return {
        "ruleId": advisory.id,
        "ruleIndex": rule_index,
        "kind": "informational",
        "level": "none",
        "message": {"text": advisory_text(advisory, ctx.lang)},
        "locations": [{
            "physicalLocation": {"artifactLocation": dict(artifact_location(result.file), index=artifact_index)},
            "logicalLocations": [{"fullyQualifiedName": advisory.path, "kind": "member"}],
        }],
        "partialFingerprints": {FINGERPRINT: fingerprint(result.project_id, result.file, advisory.id)},
        "properties": {"advisory": True, "outcome": "advisory", "path": advisory.path, "declared": advisory.declared,
                       "fit": advisory.fit,
                       "fitting": list(advisory.fitting),
                       "project": {"id": result.project_id, "name": result.project_name}},
    }


def document(results: Sequence[DossierResult], ctx: ReportContext) -> dict:
    rules = ctx.rulebook.rules
    rule_index = {r.id: i for i, r in enumerate(rules)}
    artifacts: list[dict[str, object]] = []
    artifact_index: dict[str, int] = {}
    out: list[dict] = []
    for result in results:
        if result.file not in artifact_index:
            artifact_index[result.file] = len(artifacts)
            artifacts.append({"location": artifact_location(result.file), "roles": ["analysisTarget"]})
        for f in result.findings:
            if f.outcome in ("fail", "missing", "waived", "not_taken") or f.flags or f.reason:
                out.append(_result(result, f, ctx, rule_index, artifact_index[result.file]))
    advised = advisories(results)
    out, notifications = _capped(out, ctx, MAX_RESULTS - len(advised))
    out += [_advisory_result(r, a, ctx, len(rules), artifact_index[r.file]) for r, a in advised]
    properties = {"lang": ctx.lang, "failOn": ctx.fail_on, "review": run_metadata(ctx),
                  "waiverRequests": {r.file: [w.as_dict() for w in r.waivers if w.source == "dossier"]
                                     for r in results if any(w.source == "dossier" for w in r.waivers)},
                  "profile": profile_data(ctx),
                  "waiverDates": {r.file: {"date": r.waiver_date[0], "source": r.waiver_date[1]}
                                  for r in results if r.waiver_date}}
    if ctx.baseline is not None:
        b = ctx.baseline
        properties["baseline"] = {"file": b.file, "new": len(b.new), "unchanged": len(b.known),
                                  "fixed": [{"projectId": e["project_id"], "ruleId": e["rule_id"], "outcome": now}
                                            for e, now in b.fixed]}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "renovcheck",
                "version": ctx.tool_version,
                "semanticVersion": ctx.tool_version,
                "fullName": "renovcheck — 《北京市老旧小区改造绿色宜居规划设计指南》第7章 / Chapter 7 compliance checker",
                "language": "zh-CN" if ctx.lang == "zh" else "en-US",
                "rules": [_rule(r, ctx) for r in rules] + ([_advisory_rule(ctx)] if advised else []),
                **({"informationUri": f"{ctx.docs_base_uri}{ctx.lang}/README.md"} if ctx.docs_base_uri else {}),
            }},
            "language": "zh-CN" if ctx.lang == "zh" else "en-US",
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": ctx.t("sarif.srcroot")}}},
            "artifacts": artifacts,
            "invocations": [dict({"executionSuccessful": True},
                                 **({"toolExecutionNotifications": notifications} if notifications else {}))],
            "results": out,
            "properties": properties,
        }],
    }


_SEVERITY = {"fail": 2, "open": 1, "informational": 0}


def _capped(results: list, ctx: ReportContext, limit: int = MAX_RESULTS) -> tuple[list, list]:
    """At most ``limit`` results, the most severe kept in their order; a notification counts the rest."""
    if len(results) <= limit:
        return results, []

    def severity(i: int) -> tuple[int, int, int]:
        r = results[i]
        return (0 if "suppressions" in r else _SEVERITY[r["kind"]], r["rank"], -i)

    kept = sorted(sorted(range(len(results)), key=severity, reverse=True)[:limit])
    kept_set = set(kept)
    left_out: dict[str, int] = {}
    for i, r in enumerate(results):
        if i not in kept_set:
            key = r["properties"]["outcome"]
            left_out[key] = left_out.get(key, 0) + 1
    omitted = len(results) - limit
    note = {"level": "warning", "descriptor": {"id": "renovcheck/results-capped"},
            "message": {"text": ctx.t("sarif.capped", limit=limit, omitted=omitted,
                                      detail=", ".join(f"{ctx.t('outcome.' + k)} {n}" for k, n in sorted(left_out.items())))},
            "properties": {"limit": limit, "omitted": omitted, "omittedByOutcome": left_out}}
    return [results[i] for i in kept], [note]


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    return dumps_indented(document(results, ctx)) + "\n"
