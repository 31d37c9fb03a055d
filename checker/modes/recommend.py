"""Dossier → Recommendation: the fit of each mode, their ranking, why, what is missing, and the obligations.

Fit of a mode (from the engine's statements):
    recommended   recommended_when is true
    not_advised   not_advised_when is true
    possible      neither; *confirmed* only when both are false — otherwise the unknown inputs are named

Ranking, first difference wins:
    1. fit: recommended, possible, not advised
    2. among possible modes: those that could still turn out recommended (recommended_when unknown) first,
       those that could still turn out not advised (not_advised_when unknown) last
    3. the guide's wording for the mode: 建议/鼓励 (should) before 可 (may)
    4. preferred_when: true, then unknown or none, then false (our reading, marked as such)
    5. the order of the four modes in rules/modes.yaml
"""
from __future__ import annotations

from dataclasses import dataclass, field

from checker import conditions as c
from checker.errors import EngineError
from checker.explain import FALSE, TRUE, UNKNOWN
from checker.facts import get_path, _MISSING
from checker.modes import MODE_IDS
from checker.modes import book as mb
from checker.modes.chain import ChainEngine
from checker.modes.compile import compile_book, fact_statement, mode_statement, obligation_statement
from checker.modes.explain import Reader, missing_paths, state_of

FIT_ORDER = {"recommended": 0, "possible": 1, "not_advised": 2}
FORCE_ORDER = {"should": 0, "may": 1}
PREFERENCE_ORDER = {TRUE: 0, UNKNOWN: 1, None: 1, FALSE: 2}
ADVISORY_ID = "MODE-01"


@dataclass
class ObligationResult:
    id: str
    state: str  # true: shown; false: the dossier says not done; unknown: not stated, or done without evidence
    chains: list  # how the dossier shows it (or not)
    missing: list  # dossier paths absent


@dataclass
class ModeResult:
    id: str
    fit: str
    rank: int
    force: str
    confirmed: bool
    outlook: str | None  # "could_be_recommended", "could_be_not_advised" or None when the fit is settled
    states: dict  # recommended / not_advised / preferred -> true|false|unknown (preferred: None if the mode has none)
    because: list  # chains that decided the fit
    preference: list  # chains behind preferred_when
    missing: list  # dossier paths whose absence leaves the fit unconfirmed
    rank_missing: list  # dossier paths whose absence leaves the preference unknown
    obligations: list  # ObligationResult, in the mode's order


@dataclass
class Recommendation:
    file: str
    project_id: str
    project_name: str
    modes: list  # ModeResult, ranked
    facts: dict  # fact id -> true|false|unknown
    fact_chains: dict  # fact id -> chains
    inputs: dict  # dossier path -> value (None when absent)
    parameters: dict  # name -> value in force
    declared: str | None  # operations.mode
    truth: dict = field(default_factory=dict, repr=False)

    def mode(self, mode_id: str) -> ModeResult:
        return next(m for m in self.modes if m.id == mode_id)

    @property
    def recommended(self) -> list:
        return [m.id for m in self.modes if m.fit == "recommended"]

    @property
    def top(self) -> str | None:
        """The recommended mode: the first of the ranking, when it is recommended."""
        return self.modes[0].id if self.modes[0].fit == "recommended" else None

    def fitting(self) -> list:
        """The recommended modes; when none is recommended, the possible ones."""
        for fit in ("recommended", "possible"):
            found = [m.id for m in self.modes if m.fit == fit]
            if found:
                return found
        return []

    def advisory(self) -> "Advisory | None":
        """MODE-01 when the dossier declares a mode that is not among the fitting modes."""
        if self.declared is None or self.declared in self.fitting():
            return None
        declared = self.mode(self.declared)
        return Advisory(ADVISORY_ID, self.declared, declared.fit, self.fitting(), "operations.mode")


@dataclass
class Advisory:
    id: str
    declared: str
    fit: str
    fitting: list
    path: str


class Recommender:
    """Compiles rules/modes.yaml once; recommends for any number of dossiers (one engine session, reused)."""

    def __init__(self, book: mb.ModeBook | None = None, time_limit: float = 10.0):
        self.book = book or mb.load()
        self.params = self.book.param_values()
        self.compiled = compile_book(self.book)
        self.engine = ChainEngine(self.compiled, time_limit)

    def recommend(self, data: dict, file: str = "") -> Recommendation:
        truth = self.engine.run(data)
        reader = Reader(self.book, data, truth, self.params)
        for name, cond in self.compiled.conditions.items():
            if reader.state(cond) != state_of(truth.get(name)):
                raise EngineError("modes.disagree", name=name)
        results = [self._mode(mode, reader, truth) for mode in self.book.modes.values()]
        results.sort(key=lambda m: _rank_key(m, self.book))
        for rank, result in enumerate(results, 1):
            result.rank = rank
            if result.fit == "not_advised" or sum(1 for m in results if m.fit == result.fit) < 2:
                result.rank_missing = []  # a preference only orders modes of equal fit
        facts = {fid: state_of(truth.get(fact_statement(fid))) for fid in self.book.facts}
        fact_chains = {fid: reader.explain(fact_statement(fid), fact.when) for fid, fact in self.book.facts.items()}
        inputs = {}
        for path in self.book.inputs:
            value = get_path(data, path)
            inputs[path] = None if value is _MISSING else value
        project = data.get("project") or {}
        declared = get_path(data, "operations.mode")
        return Recommendation(file, str(project.get("id", "")), str(project.get("name", "")), results, facts,
                              fact_chains, inputs, dict(self.params),
                              declared if declared in MODE_IDS else None, truth)

    def _mode(self, mode, reader: Reader, truth: dict) -> ModeResult:
        names = {w: mode_statement(mode.id, w) for w in ("recommended", "not_advised", "preferred")}
        rec = state_of(truth.get(names["recommended"]))
        nad = state_of(truth.get(names["not_advised"]))
        pref = state_of(truth.get(names["preferred"])) if mode.preferred_when is not None else None
        if rec == TRUE and nad == TRUE:
            raise EngineError("modes.both", mode=mode.id)
        rec_chains = reader.explain(names["recommended"], mode.recommended_when)
        nad_chains = reader.explain(names["not_advised"], mode.not_advised_when)
        if rec == TRUE:
            fit, because, confirmed, outlook = "recommended", rec_chains, True, None
        elif nad == TRUE:
            fit, because, confirmed, outlook = "not_advised", nad_chains, True, None
        else:
            fit, because = "possible", rec_chains + nad_chains
            confirmed = rec == FALSE and nad == FALSE
            outlook = "could_be_recommended" if rec == UNKNOWN else ("could_be_not_advised" if nad == UNKNOWN else None)
        preference = reader.explain(names["preferred"], mode.preferred_when) if pref is not None else []
        obligations = []
        for oid in mode.obligations:
            obligation = self.book.obligations[oid]
            name = obligation_statement(oid)
            chains = reader.explain(name, obligation.shown_when)
            leaves = [(reader.leaf(leaf),) for leaf in c.atoms(obligation.shown_when)]
            obligations.append(ObligationResult(oid, state_of(truth.get(name)), chains, missing_paths(leaves)))
        return ModeResult(mode.id, fit, 0, mode.force, confirmed, outlook,
                          {"recommended": rec, "not_advised": nad, "preferred": pref}, because, preference,
                          missing_paths(because) if not confirmed else [], missing_paths(preference), obligations)


def _rank_key(m: ModeResult, book) -> tuple:
    if m.fit == "possible":
        openness = (0 if m.states["recommended"] == UNKNOWN else 1) + (1 if m.states["not_advised"] == UNKNOWN else 0)
    else:
        openness = 0
    return (FIT_ORDER[m.fit], openness, FORCE_ORDER[m.force], PREFERENCE_ORDER[m.states["preferred"]],
            MODE_IDS.index(m.id))
