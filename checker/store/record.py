"""What a run leaves in the store: the reviewer's inputs once, and per dossier its file hash, project facts and
every rule's outcome with the values that decided it. Plain dicts, one per row; the same shape is written by
``check --store`` and read back by ``store export``/``import``."""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from checker import __version__

if TYPE_CHECKING:
    from checker.check.review import Gate
    from checker.check.waivers import WaiverStatus
    from checker.model.findings import DossierResult, Finding
    from checker.modes.recommend import Recommendation, Recommender
    from checker.rulebook.rules import Rulebook


class OutcomeRow(TypedDict):
    rule_id: str
    dimension: str
    force: str
    outcome: str
    path: str
    field_values: str | None  # JSON
    missing: str | None  # JSON


class WaiverRow(TypedDict):
    seq: int
    rule_id: str
    status: str
    source: str
    approved_by: str | None
    approved_on: str | None
    expires: str | None
    reason: str | None


class DossierRow(TypedDict):
    seq: int
    as_of: str
    file: str
    file_sha256: str
    project_id: str
    project_name: str
    district: str | None
    phase: str | None
    construction_end: str | None
    evaluation_due: str | None
    mode_declared: str | None
    mode_recommended: str | None
    modes_fitting: str  # JSON
    satisfaction_rate: float | None
    facility_use_rate: float | None
    evaluation: str  # JSON
    outcomes: list[OutcomeRow]
    waivers: list[WaiverRow]


class RunInputs(TypedDict):
    run_uuid: str
    recorded_at: str
    as_of: str
    as_of_source: str
    tool_version: str
    rulebook_version: str
    rulebook_sha256: str
    profile_name: str
    profile_sha256: str | None
    parameters: str  # JSON
    fail_on: str
    waivers_file: str | None
    waivers_sha256: str | None
    evidence_verified: bool
    selection: str | None  # JSON


class RunRow(RunInputs):
    """A run as written and exported: the reviewer's inputs and every dossier checked."""

    dossiers: list[DossierRow]


# what the fiscal performance evaluation reads (issue: 为财政绩效评价提供依据), as the dossier states it
_EVALUATION_FIELDS = {
    "done": ("evaluation", "comprehensive_evaluation", "done"),
    "by": ("evaluation", "comprehensive_evaluation", "by"),
    "date": ("evaluation", "comprehensive_evaluation", "date"),
    "professional_body": ("evaluation", "comprehensive_evaluation", "professional_body"),
    "independent": ("evaluation", "comprehensive_evaluation", "independent"),
    "sample_size": ("evaluation", "satisfaction_survey", "sample_size"),
    "report": ("evaluation", "report", "done"),
    "improvement_plan": ("evaluation", "improvement_plan", "done"),
    "targets_satisfaction": ("evaluation", "improvement_plan", "targets_satisfaction"),
    "targets_facility_use": ("evaluation", "improvement_plan", "targets_facility_use"),
    "fiscal_performance": ("evaluation", "fiscal_performance", "done"),
}


def dumps(value: object) -> str:
    """JSON as the store keeps it: sorted keys, no spaces, Chinese as it is (the same bytes on every backend)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def rulebook_sha256(book: Rulebook) -> str:
    """One digest of every rule, parameter and mode file the run loaded (name and bytes, in name order)."""
    digest = hashlib.sha256()
    for path in sorted(Path(book.directory).glob("*.yaml")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_sha256(path: str | None) -> str | None:
    if not path:
        return None
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def run_row(book: Rulebook, gate: Gate, fail_on: str, selection: dict | None) -> RunInputs:
    """The reviewer's inputs of a run (README "Trust model"): nothing here comes from a dossier."""
    profile = book.profile
    waiver_list = gate["waivers"]
    return {
        "run_uuid": str(uuid.uuid4()),
        "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "as_of": gate["as_of"].date,
        "as_of_source": gate["as_of"].source,
        "tool_version": __version__,
        "rulebook_version": __version__,  # the rules ship with the tool; the digest tells edited copies apart
        "rulebook_sha256": rulebook_sha256(book),
        "profile_name": profile.name if profile is not None else "default",
        "profile_sha256": (profile.sha256 or None) if profile is not None else None,
        "parameters": dumps(book.param_values()),
        "fail_on": fail_on,
        "waivers_file": waiver_list.file if waiver_list is not None else None,
        "waivers_sha256": file_sha256(waiver_list.file) if waiver_list is not None else None,
        "evidence_verified": gate["evidence_root"] is not None,
        "selection": dumps(selection["rules"]) if selection else None,
    }


def _get(data: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` in dossier data (JSON values: any type), None when absent."""
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _rate(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def evaluation_due(construction_end: object, due_days: object) -> str | None:
    """The day the comprehensive evaluation falls due: completion plus ``evaluation_due_days`` (our assumption,
    rules/parameters.yaml), as rule EVA-01 judges it."""
    if not isinstance(construction_end, str) or not isinstance(due_days, int):
        return None
    try:
        return (date.fromisoformat(construction_end) + timedelta(days=due_days)).isoformat()
    except ValueError:
        return None


class DossierRows:
    """Rows for each dossier of a run; recommends a mode for it as ``renovcheck recommend`` does."""

    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.due_days = book.param_values().get("evaluation_due_days")
        self._recommender: Recommender | None = None

    def recommendation(self, data: dict) -> Recommendation:
        if self._recommender is None:
            from checker.rulebook import modebook as mode_book
            from checker.modes.recommend import Recommender

            modes = mode_book.load(self.book.directory).with_parameters(self.book.param_values())
            self._recommender = Recommender(modes)
        return self._recommender.recommend(data)

    def row(self, seq: int, result: DossierResult, as_of: str) -> DossierRow:
        data = result.data or {}
        project = data.get("project")
        if not isinstance(project, dict):
            project = {}
        end = _get(project, ("dates", "construction_end"))
        advice = self.recommendation(data)
        return {
            "seq": seq,
            "as_of": as_of,
            "file": result.file,
            "file_sha256": result.sha256,
            "project_id": result.project_id,
            "project_name": result.project_name,
            "district": project.get("district"),
            "phase": project.get("phase"),
            "construction_end": end,
            "evaluation_due": evaluation_due(end, self.due_days),
            "mode_declared": advice.declared,
            "mode_recommended": advice.top,
            "modes_fitting": dumps(advice.fitting()),
            "satisfaction_rate": _rate(_get(data, ("evaluation", "satisfaction_rate"))),
            "facility_use_rate": _rate(_get(data, ("evaluation", "facility_use_rate"))),
            "evaluation": dumps({name: _get(data, path) for name, path in _EVALUATION_FIELDS.items()}),
            "outcomes": [outcome_row(f) for f in result.findings],
            "waivers": [waiver_row(i, w) for i, w in enumerate(result.waivers)],
        }


def outcome_row(finding: Finding) -> OutcomeRow:
    return {
        "rule_id": finding.rule_id,
        "dimension": finding.dimension,
        "force": finding.force,
        "outcome": finding.outcome,
        "path": finding.path,
        "field_values": dumps({k: finding.values[k] for k in sorted(finding.values)}) if finding.values else None,
        "missing": dumps(list(finding.missing_paths)) if finding.missing_paths else None,
    }


def waiver_row(seq: int, status: WaiverStatus) -> WaiverRow:
    return {"seq": seq, "rule_id": status.rule_id, "status": status.status, "source": status.source,
            "approved_by": status.approved_by, "approved_on": status.approved_on, "expires": status.expires,
            "reason": status.reason}
