"""Dossier → Recommendation: the fit of each mode, their ranking, why, what is missing, and the obligations.

Fit of a mode (from the engine's statements):
    recommended   recommended_when is true (the guide: 建议/鼓励)
    permitted     permitted_when is true (the guide: 可)
    not_advised   not_advised_when is true (our reading, and every explanation says so)
    possible      none; *confirmed* only when all are false — otherwise the unknown inputs are named

Whether a mode fits — and so the MODE-01 advisory — is the engine's truth of the mode book's derived facts
(``<mode>_fits``, ``declared_mode_fits``), the very conditions the rule OPS-07 of ``check`` compiles.

Ranking, first difference wins:
    1. fit: recommended, permitted, possible, not advised
    2. among possible modes: those that could still turn out supported (recommended_when/permitted_when unknown)
       first, those that could still turn out not advised (not_advised_when unknown) last
    3. the guide's wording for the mode: 建议/鼓励 (should) before 可 (may)
    4. preferred_when: true, then unknown or none, then false (our reading, marked as such)
    5. the order of the four modes in rules/modes.yaml
"""
from __future__ import annotations

from dataclasses import dataclass, field

from checker.lang import conditions as c
from checker.model.errors import EngineError
from checker.lang.explain import FALSE, TRUE, UNKNOWN
from checker.lang.paths import get_path, MISSING
from checker.rulebook.modebook import MODE_IDS
from checker.rulebook import modebook as mb
from checker.engine.driver import DEFAULT_TIME_LIMIT
from checker.modes.chain import ChainEngine
from checker.modes.compile import compile_book, fact_statement, mode_statement, obligation_statement
from checker.modes.explain import Chain, Reader, missing_paths, state_of
from checker.lang.paths import Data
from checker.engine.driver import Results

FIT_ORDER = {"recommended": 0, "permitted": 1, "possible": 2, "not_advised": 3}
FORCE_ORDER = {"should": 0, "may": 1}
PREFERENCE_ORDER = {TRUE: 0, UNKNOWN: 1, None: 1, FALSE: 2}
ADVISORY_ID = "MODE-01"


@dataclass
class ObligationResult:
    id: str
    state: str  # true: shown; false: the dossier says not done; unknown: not stated, or done without evidence
    chains: list[Chain]  # how the dossier shows it (or not)
    missing: list[str]  # dossier paths absent


@dataclass
class ModeResult:
    id: str
    fit: str
    rank: int
    force: str
    confirmed: bool
    outlook: str | None  # "could_be_recommended"/"could_be_permitted"/"could_be_not_advised"; None when settled
    states: dict[str, str | None]  # recommended / not_advised / preferred -> true|false|unknown (preferred: None if none)
    because: list[Chain]  # chains that decided the fit
    preference: list[Chain]  # chains behind preferred_when
    missing: list[str]  # dossier paths whose absence leaves the fit unconfirmed
    rank_missing: list[str]  # dossier paths whose absence leaves the preference unknown
    obligations: list[ObligationResult]  # in the mode's order
    fits: str | None = None  # true|false|unknown: the derived fact <mode>_fits


@dataclass
class Recommendation:
    file: str
    project_id: str
    project_name: str
    modes: list[ModeResult]  # ranked
    facts: dict[str, str]  # fact id -> true|false|unknown
    fact_chains: dict[str, list[Chain]]  # fact id -> chains
    inputs: dict[str, Data]  # dossier path -> value (None when absent)
    parameters: dict[str, c.Value]  # name -> value in force
    declared: str | None  # operations.mode
    truth: Results = field(default_factory=dict, repr=False)
    fits: dict[str, str] = field(default_factory=dict)  # mode id -> true|false|unknown (derived fact <mode>_fits)
    declared_fits: str | None = None  # true|false|unknown (derived fact declared_mode_fits); None: no mode


    def mode(self, mode_id: str) -> ModeResult:
        return next(m for m in self.modes if m.id == mode_id)

    @property
    def recommended(self) -> list[str]:
        return [m.id for m in self.modes if m.fit == "recommended"]

    @property
    def top(self) -> str | None:
        """The first of the ranking, when the guide recommends or permits it."""
        return self.modes[0].id if self.modes[0].fit in ("recommended", "permitted") else None

    def fitting(self) -> list[str]:
        """The modes that surely fit, in ranking order; when none surely does, those that may."""
        for state in (TRUE, UNKNOWN):
            found = [m.id for m in self.modes if self.fits.get(m.id) == state]
            if found:
                return found
        return []

    def advisory(self) -> Advisory | None:
        """MODE-01 when the dossier declares a mode that surely does not fit (the same fact OPS-07 reads)."""
        if self.declared is None or self.declared_fits != FALSE:
            return None
        declared = self.mode(self.declared)
        return Advisory(ADVISORY_ID, self.declared, declared.fit, self.fitting(), "operations.mode")


@dataclass
class Advisory:
    id: str
    declared: str
    fit: str
    fitting: list[str]
    path: str


class Recommender:
    """Compiles rules/modes.yaml once; recommends for any number of dossiers (one engine session, reused)."""

    def __init__(self, book: mb.ModeBook | None = None, time_limit: float = DEFAULT_TIME_LIMIT,
                 isolated: bool | None = None) -> None:
        self.book = book or mb.load()
        self.params = self.book.param_values()
        self.compiled = compile_book(self.book)
        self.engine = ChainEngine(self.compiled, time_limit, isolated)

    def recommend(self, data: Data, file: str = "") -> Recommendation:
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
            inputs[path] = None if value is MISSING else value
        project = data.get("project") or {}
        declared = get_path(data, "operations.mode")
        fits = {fact.derived.split(".", 1)[1]: facts[fid] for fid, fact in self.book.facts.items()
                if fact.derived.startswith("fits.")}
        declared_fits = fits.pop("declared", None)
        for result in results:
            result.fits = fits.get(result.id)
        declared = declared if declared in MODE_IDS else None
        return Recommendation(file, str(project.get("id", "")), str(project.get("name", "")), results, facts,
                              fact_chains, inputs, dict(self.params), declared, truth, fits,
                              declared_fits if declared else None)

    def _mode(self, mode: mb.Mode, reader: Reader, truth: Results) -> ModeResult:
        names = {w: mode_statement(mode.id, w) for w in ("recommended", "not_advised", "preferred")}
        rec = state_of(truth.get(names["recommended"]))
        nad = state_of(truth.get(names["not_advised"]))
        pref = state_of(truth.get(names["preferred"])) if mode.preferred_when is not None else None
        if rec == TRUE and nad == TRUE:
            raise EngineError("modes.both", mode=mode.id)
        rec_chains = reader.explain(names["recommended"], mode.recommended_when)
        nad_chains = reader.explain(names["not_advised"], mode.not_advised_when)
        if rec == TRUE:
            fit, because, confirmed, outlook = mode.support, rec_chains, True, None
        elif nad == TRUE:
            fit, because, confirmed, outlook = "not_advised", nad_chains, True, None
        else:
            fit, because = "possible", rec_chains + nad_chains
            confirmed = rec == FALSE and nad == FALSE
            outlook = (f"could_be_{mode.support}" if rec == UNKNOWN
                       else ("could_be_not_advised" if nad == UNKNOWN else None))
        preference = reader.explain(names["preferred"], mode.preferred_when) if pref is not None else []
        obligations = []
        for oid in mode.obligations:
            obligation = self.book.obligations[oid]
            name = obligation_statement(oid)
            chains = reader.explain(name, obligation.shown_when)
            shown = obligation.shown_when  # None only in a book that failed to load (explain has refused it)
            leaves: list[Chain] = [(reader.leaf(leaf),) for leaf in c.atoms(shown)] if shown is not None else []
            obligations.append(ObligationResult(oid, state_of(truth.get(name)), chains, missing_paths(leaves)))
        return ModeResult(mode.id, fit, 0, mode.force, confirmed, outlook,
                          {"recommended": rec, "not_advised": nad, "preferred": pref}, because, preference,
                          missing_paths(because) if not confirmed else [], missing_paths(preference), obligations)


def _rank_key(m: ModeResult, book: mb.ModeBook) -> tuple[int, ...]:
    if m.fit == "possible":
        openness = (0 if m.states["recommended"] == UNKNOWN else 1) + (1 if m.states["not_advised"] == UNKNOWN else 0)
    else:
        openness = 0
    return (FIT_ORDER[m.fit], openness, FORCE_ORDER[m.force], PREFERENCE_ORDER[m.states["preferred"]],
            MODE_IDS.index(m.id))
