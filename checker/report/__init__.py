"""Formatters: each turns check results (or a diff, a recommendation, the rules' coverage) into one document.
One module per format or kind; every output is registered in OUTPUTS and rendered through ``formatter``.
May import: the layers below (text … check); never checker.cli."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from checker import __version__
from checker.check.finding_text import FindingText, message_template
from checker.i18n.messages import MESSAGES, pick, text
from checker.text import inert

from checker.check.baseline import Comparison
from checker.check.review import AsOf
from checker.check.waivers import WaiverStatus
from checker.lang.paths import Data
from checker.model.findings import DossierResult, Finding

if TYPE_CHECKING:
    from checker.check.review import Gate
    from checker.modes.recommend import Advisory
    from checker.rulebook.rules import Rulebook

DIMENSIONS = ("construction", "operations", "governance", "evaluation")


@dataclass
class ReportContext:
    rulebook: Rulebook
    lang: str = "zh"
    fail_on: str = "shall"
    profile_name: str = "default"
    overrides: list[str] = field(default_factory=list)
    profile_sha256: str = ""  # of the profile file, when a profile other than the guide as written is in force
    profile_changes: list[dict] = field(default_factory=list)  # checker.rulebook.profiles.Profile.changes()
    tool_version: str = __version__
    baseline: Comparison | None = None  # with --baseline
    as_of: AsOf | None = None  # the run's judgement date
    waivers_file: str | None = None  # the reviewer's --waivers file
    evidence_root: str | None = None  # --evidence-root; None: evidence was not verified
    selection: dict | None = None  # --select/--ignore: {"select", "ignore", "rules"}; None: every rule checked
    docs_base_uri: str | None = None  # absolute URI of the published rule pages (renovcheck rules docs), ends in /
    details: str = "gaps"  # batch text report: details of the dossiers with gaps only, or of all ("all")
    reviewer: str | None = None  # --reviewer: the name on the HTML cover page
    _finding_text: FindingText | None = field(default=None, repr=False, compare=False)

    def set_gate(self, gate: Gate) -> None:
        """Record the reviewer's inputs (see checker.cli.common.resolve_gate) for the run metadata."""
        self.as_of = gate["as_of"]
        self.waivers_file = gate["waivers"].file if gate["waivers"] is not None else None
        self.evidence_root = gate["evidence_root"]

    def run_lines(self) -> list[str]:
        """The run metadata every report states: judgement date, waiver list, whether evidence was verified."""
        lines = []
        if self.as_of is not None:
            lines.append(self.t("report.as_of", date=self.as_of.date, source=self.t("as_of.source." + self.as_of.source)))
        lines.append(self.t("report.waivers_file", file=self.waivers_file) if self.waivers_file
                     else self.t("report.no_waivers_file"))
        lines.append(self.t("report.evidence_root", root=self.evidence_root) if self.evidence_root
                     else self.t("report.evidence_not_verified"))
        if self.selection is not None:
            lines.append(self.t("report.selection", select=", ".join(self.selection["select"]) or "*",
                                ignore=", ".join(self.selection["ignore"]) or "-",
                                count=len(self.selection["rules"])))
        return lines

    def t(self, key: str, **params: object) -> str:
        if f"force.{params.get('fail_on')}" in MESSAGES:  # --fail-on accepts the guide's words: a zh report says 应
            params["fail_on"] = text(f"force.{params['fail_on']}", self.lang)
        return text(key, self.lang, **params)

    def value_text(self, path: str, value: Data) -> str:
        """A dossier value as the reader's language writes it (是/否, 92%, enum labels), by the schema at ``path``."""
        if self._finding_text is None:
            self._finding_text = FindingText(self.rulebook)
        return self._finding_text.shown(path, value, self.lang)

    def rule_text(self, rule_id: str, part: str) -> str:
        rule = self.rulebook.get(rule_id)
        if rule is None:
            return ""
        texts = message_template(rule, "fail") or message_template(rule, "not_taken") if part == "message" \
            else getattr(rule, part)
        return pick(texts, self.lang) if texts else ""

    def finding_text(self, finding: Finding, part: str) -> str:
        """A finding's message or remedy with its placeholders filled in (the rule's text when it has none)."""
        texts = getattr(finding, "texts", None) or {}
        if part in texts:
            return pick(texts[part], self.lang)
        return self.rule_text(finding.rule_id, part)

    def citation(self, rule_id: str) -> dict[str, str]:
        rule = self.rulebook.get(rule_id)
        return dict(rule.citation) if rule else {}


def uses_profile(ctx: ReportContext) -> bool:
    """A profile other than the guide as written is in force (a bundled `default` changes nothing)."""
    return bool(ctx.profile_changes or ctx.overrides) or ctx.profile_name != "default"


def profile_lines(ctx: ReportContext) -> list[str]:
    """The profile in force and what it changed, for human formats; nothing for the guide as written."""
    if not uses_profile(ctx):
        return []
    lines = [ctx.t("report.profile_sha", name=ctx.profile_name, sha256=ctx.profile_sha256 or "-")]
    for change in ctx.profile_changes:
        if "parameter" in change:
            lines.append(ctx.t("report.profile_param", name=change["parameter"], default=_shown(change["default"]),
                               value=_shown(change["value"]), unit=ctx.t("param.unit." + change["unit"])))
        else:
            lines.append(ctx.t("report.profile_force", rule=change["rule"], default=ctx.t("force." + change["default"]),
                               force=ctx.t("force." + change["force"])))
    if not ctx.profile_changes:
        lines.append(ctx.t("report.profile_no_change"))
    return lines


def profile_data(ctx: ReportContext) -> dict[str, object]:
    """The profile for machine formats (JSON, SARIF): name, overrides as written, sha256 and changes."""
    return {"name": ctx.profile_name, "overrides": list(ctx.overrides), "sha256": ctx.profile_sha256 or None,
            "changes": list(ctx.profile_changes)}


def _shown(value: Data) -> str:
    from checker.rulebook.parameters import show

    return show(value)


def citation_text(ctx: ReportContext, rule_id: str) -> str:
    cite = ctx.citation(rule_id)
    guide = "《指南》" if ctx.lang == "zh" else "Guide "
    line = f"{guide}{cite.get('section', '')} “{cite.get('phrase', '')}”"
    if cite.get("case"):
        line += f" ({'案例' if ctx.lang == 'zh' else 'case'}: {cite['case']})"
    return line


# one line of a terminal or text report, dossier text made inert (checker/text/inert.py has every medium)
visible = inert.line


def is_failing(ctx: ReportContext, result: DossierResult, finding: Finding) -> bool:
    """A gap that fails the run: every gap, or with --baseline only the gaps not in the baseline."""
    if not finding.is_gap(ctx.fail_on):
        return False
    return ctx.baseline is None or ctx.baseline.is_new(result, finding)


def advisory_text(advisory: Advisory, lang: str) -> str:
    """MODE-01 and the like, in one line: advice for the reviewer, never a gap (see renovcheck recommend)."""
    return text("recommend.advisory", lang, id=advisory.id, mode=advisory.declared,
                fit=text("recommend.fit." + advisory.fit, lang), fitting=", ".join(advisory.fitting))


def advisories(results: Iterable[DossierResult]) -> list[tuple[DossierResult, Advisory]]:
    """(result, advisory) for every advisory of every dossier, in input order: every format shows them."""
    return [(r, a) for r in results for a in advisories_of(r)]


def advisories_of(result: DossierResult) -> list[Advisory]:
    """The mode advisories (MODE-01) of one dossier."""
    return cast("list[Advisory]", getattr(result, "advisories", []))


def judged_at(result: DossierResult) -> tuple[str, str]:
    """(date, source) the dossier's waivers were judged at; set whenever the dossier has waivers."""
    return cast(tuple[str, str], result.waiver_date)


def waiver_of(finding: Finding) -> WaiverStatus | None:
    """The waiver that covers (or no longer covers, or was requested for) a finding."""
    return cast(WaiverStatus | None, finding.waiver)


def location_text(result: DossierResult, finding: Finding) -> str:
    """``file:line:column`` of a finding (the field, or its nearest present parent)."""
    return f"{result.file}:{finding.line}:{finding.column}" if finding.line else result.file


def waiver_note(ctx: ReportContext, finding: Finding) -> str:
    """One line about the waiver that covers (or no longer covers) a finding; "" when there is none."""
    w = waiver_of(finding)
    if w is None:
        return ""
    if w.status == "applied":
        return ctx.t("waiver.applied", expires=w.expires or "-", approved_by=w.approved_by, reason=w.reason)
    if w.status == "requested":
        return ctx.t("waiver.requested_note", approved_by=w.approved_by, reason=w.reason)
    return ctx.t("waiver." + w.status + "_note", expires=w.expires, approved_on=w.approved_on or "-",
                 approved_by=w.approved_by)


def evidence_note(ctx: ReportContext, finding: Finding) -> str:
    """Which evidence files a finding relied on did not verify, and why; "" when none."""
    if not finding.evidence:
        return ""
    items = "; ".join(f"{c.file} ({ctx.t('evidence.status.' + c.status)})" for c in finding.evidence)
    return ctx.t("report.evidence_rejected", items=items)


def finding_notes(ctx: ReportContext, finding: Finding) -> list[str]:
    """Lines every format shows under a finding: a pass on a bare claim, the reason a measure was not needed."""
    notes = [ctx.t("flag." + flag) for flag in getattr(finding, "flags", ())]
    if getattr(finding, "reason", None):
        notes.append(ctx.t("report.not_needed_reason", reason=finding.reason))
    return notes


def detail_tail(ctx: ReportContext, finding: Finding) -> list[str]:
    """What follows a finding's headline in every one-block format: fields missing, waiver, basis, remedy."""
    parts = finding_notes(ctx, finding)
    if finding.missing_paths:
        parts.append(f"{ctx.t('report.missing_paths')}: {', '.join(finding.missing_paths)}")
    note = waiver_note(ctx, finding)
    if note:
        parts.append(note)
    if finding.evidence:
        parts.append(evidence_note(ctx, finding))
    parts.append(f"{ctx.t('report.citation')}: {citation_text(ctx, finding.rule_id)}")
    parts.append(f"{ctx.t('report.remedy')}: {ctx.finding_text(finding, 'remedy')}")
    return parts


def headline(ctx: ReportContext, result: DossierResult, finding: Finding) -> str:
    """``RULE [force] outcome: title — message``: a finding in one short line."""
    return (f"{finding.rule_id} [{ctx.t('force.' + finding.force)}] {ctx.t('outcome.' + finding.outcome)}: "
            f"{ctx.rule_text(finding.rule_id, 'title')} — {ctx.finding_text(finding, 'message')}")


def gap_message(ctx: ReportContext, result: DossierResult, finding: Finding) -> str:
    """The one-line message of a fail/missing finding, as CI annotations and SARIF results carry it."""
    return "; ".join([headline(ctx, result, finding)] + detail_tail(ctx, finding))


def annotated(results: Iterable[DossierResult], informational: bool = False) -> list[tuple[DossierResult, Finding]]:
    """(result, finding) for every fail/missing finding — what CI annotations and one-line formats report —
    ordered by file and position; with ``informational`` also not_taken findings and those with a flag or a
    not-needed reason."""
    pairs = [(r, f) for r in results for f in r.findings
             if f.outcome in ("fail", "missing") or (informational and (f.outcome == "not_taken" or f.flags or f.reason))]
    return sorted(pairs, key=lambda p: (p[0].file, p[1].line or 0, p[1].column or 0, p[1].rule_id))


# every output, by kind and name: "module" (its render) or "module:function", under checker/report/
OUTPUTS: dict[str, dict[str, str]] = {
    "check": {
        "text": "text_format", "json": "json_format", "sarif": "sarif_format", "junit": "junit_format",
        "github": "github_format", "markdown": "markdown_format", "html": "html_format",
        "concise": "concise_format", "gitlab": "gitlab_format",
        # the rectification list (整改清单) in three media
        "rectification-md": "rectification_format:render_markdown",
        "rectification-html": "rectification_format:render_html",
        "rectification-csv": "rectification_format:render_csv",
        "xlsx": "xlsx_format:render_bytes",  # bytes, written only with --output
    },
    "diff": {"text": "diff_report:render_text", "json": "diff_report:render_json",
             "markdown": "diff_report:render_markdown"},
    "recommend": {"text": "recommend_report:render_text", "json": "recommend_report:render_json",
                  "markdown": "recommend_report:render_markdown"},
    "coverage": {"text": "coverage_report:render_text", "json": "coverage_report:render_json"},
}
BINARY_FORMATS = ("xlsx",)

Subject = TypeVar("Subject", contravariant=True)
Context = TypeVar("Context", contravariant=True)


class Formatter(Protocol[Subject, Context]):
    """What every output is: its subject (check results, a diff, a recommendation, the rules' coverage) and the
    context it is written in (ReportContext; recommend's RecommendContext), one document out (bytes for xlsx)."""

    def render(self, subject: Subject, ctx: Context) -> str | bytes: ...


@dataclass(frozen=True)
class _Registered:
    render: Callable[[Any, Any], str | bytes]  # the subject and context of its kind (the registry is by name)


def formatter(name: str, kind: str = "check") -> Formatter[Any, Any]:
    """What renders output ``name`` of ``kind`` (check, diff, recommend, coverage)."""
    import importlib

    module, _, function = OUTPUTS[kind][name].partition(":")
    loaded = importlib.import_module(f"checker.report.{module}")
    return _Registered(getattr(loaded, function or "render"))


def formats(kind: str) -> tuple[str, ...]:
    """The output names of one kind, in the order the command line lists them."""
    return tuple(OUTPUTS[kind])


FORMATS = formats("check")
