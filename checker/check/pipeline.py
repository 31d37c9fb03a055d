"""The check itself, as a plain pipeline: load → validate → build facts → run engine → findings."""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from checker.inputs import evidence
from checker.check import review
from checker.schema import validation as schema
from checker.check import waivers
from checker.engine.compiler import compile_rules, policy_require
from checker.engine.driver import Engine
from checker.model.errors import EngineError, InputError, Problem, Wording
from checker.lang.explain import explain, not_needed_reason, unevidenced
from checker.lang.facts import FactBuilder
from checker.check.finding_text import FindingText
from checker.model.findings import DossierResult, Finding
from checker.text.inert import file_name
from checker.inputs.yamlload import Document, Limits, file_kind, load_file
from checker.lang.paths import Data

if TYPE_CHECKING:
    from checker.modes.recommend import Advisory, Recommender
    from checker.rulebook.rules import Rulebook

Identity = tuple[int, int]  # (device, inode) of a file or folder

DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")


class Checker:
    """Compiles the rulebook once; checks any number of dossiers."""

    def __init__(self, rulebook: Rulebook, limits: Limits = Limits(), encoding: str | None = None,
                 time_limit: float = 10.0, as_of: review.AsOf | str | None = None,
                 waivers: waivers.WaiverList | None = None, evidence_root: str | None = None) -> None:
        self.rulebook = rulebook
        # The reviewer's inputs (see README "Trust model"); nothing in a dossier can change them.
        judged = as_of if isinstance(as_of, review.AsOf) else review.as_of(as_of)
        self.as_of = judged.date  # the judgement date: due dates and waiver expiry are decided at it
        self.as_of_source = judged.source
        self.waivers = waivers  # the reviewer's waiver file, or None: no waiver applies
        self.evidence = evidence.Verifier(evidence_root)
        self.limits = limits
        self.encoding = encoding
        self.compiled = compile_rules(rulebook.rules, rulebook.params_for, rulebook.force_of)
        self.texts = FindingText(rulebook)
        self.facts = FactBuilder(self.compiled)
        self.engine = Engine(self.compiled, time_limit)
        self._recommender: Recommender | None = None  # for the mode advisory, made when a dossier declares a mode

    def load(self, path: str, display: str | None = None) -> Document:
        doc = load_file(path, self.limits, self.encoding, display)
        problems = schema.validate(doc)
        if problems:
            raise InputError(problems)
        return doc

    def check_file(self, path: str, display: str | None = None) -> DossierResult:
        return self.check_document(self.load(path, display))

    def with_review(self, data: dict) -> dict:
        """The dossier with the reviewer's facts under the reserved key ``review`` (a dossier cannot state it)."""
        return dict(data, review={"as_of": self.as_of})

    def check_document(self, doc: Document) -> DossierResult:
        review.check_report_date(doc, review.AsOf(self.as_of, self.as_of_source))
        checks = self.evidence.check(doc)
        data = evidence.without_unverified(doc.data, checks)  # evidence that does not verify does not count
        data = self.with_review(data)
        fact = self.facts.build(data, "0")
        outcomes = self.engine.run(fact)
        findings = []
        for rule in self.rulebook.rules:
            outcome = outcomes[rule.id]
            params = self.rulebook.params_for(rule)
            force = self.rulebook.force_of(rule)
            require = policy_require(rule.require, force)
            main, absent, values = explain(rule, outcome, data, params, require)
            if outcome == "missing" and not absent:
                # Kleene logic: an undecided rule must have an absent value behind it.
                raise EngineError("engine.unexplained_missing", rule=rule.id)
            located, position = doc.locate(tuple(int(p) if p.isdigit() else p for p in main.split(".")))
            line, column = position if position else (None, None)
            finding = Finding(rule.id, rule.dimension, self.rulebook.force_of(rule), outcome, main,
                              line, column, ".".join(map(str, located)), absent, values)
            finding.evidence = evidence.relevant(checks, finding)
            finding.texts = self.texts.texts(rule, outcome, data, params, main, absent)
            if outcome == "pass" and require is rule.require and unevidenced(rule, data, params):
                finding.flags.append("unevidenced")
            finding.reason = not_needed_reason(data, values)
            findings.append(finding)
        dossier = cast(dict[str, Data], doc.data)  # valid against the dossier schema: an object
        project = dossier.get("project", {})
        result = DossierResult(doc.file, str(project.get("id", "")), str(project.get("name", "")), findings)
        result.advisories = self.advisories(dossier)
        result.evidence = checks
        result.sha256, result.data = doc.sha256, dossier
        return waivers.apply(result, doc, self.waivers, self.as_of, self.as_of_source)

    def advisories(self, data: dict[str, Data]) -> list[Advisory]:
        """MODE-01 when the declared property-service mode is not among the fitting modes (renovcheck recommend).
        Advisories are not gaps: they never change the exit code."""
        if not isinstance(data.get("operations"), dict) or "mode" not in data["operations"]:
            return []
        if self._recommender is None:
            from checker.modes.recommend import Recommender

            # the profile's parameters reach the mode book too: one registry, one meaning of "large"
            modes = self.rulebook.modes().with_parameters(self.rulebook.param_values())
            # the same driver, isolation and time limit as the rulebook's engine
            self._recommender = Recommender(modes, self.engine.time_limit, self.engine.isolated)
        advisory = self._recommender.recommend(data).advisory()
        return [advisory] if advisory is not None else []


def discover(paths: Iterable[str], exclude: Iterable[str | None] = ()) -> list[tuple[str, str]]:
    """(file to read, name to show) for every dossier under the given paths, sorted, each file once.

    Fails closed: every folder that cannot be read, broken symbolic link, FIFO, socket or device in a folder, and
    symbolic link leading out of the folder it was found in is a problem (exit 2, named), never silently skipped.
    Nothing is opened while looking (a FIFO would block). Suffixes match in any case (``.YAML``, ``.Json``); a
    folder reached again through a link (a loop) is walked once; ``exclude`` (the paths the run writes: --output and
    every --report) is never read.
    Names to show have bytes that are not UTF-8 escaped (checker/text/inert.py).
    """
    found: dict[str, str] = {}
    problems: list[Problem] = []
    seen: set[Identity] = set()  # of every file and folder taken, so links cannot make anything count twice
    skip: dict[Identity, bool] = {}  # of each output the run writes -> whether finding it among the dossiers is refused
    for written in exclude:
        if not written or written == "-":
            continue
        identity = _identity(written)
        if identity is not None:  # an existing output that is not a report of ours may well be a dossier
            skip[identity] = skip.get(identity, False) or not is_a_report(written)
    for given in paths:
        shown = file_name(given)
        try:
            st = os.stat(given)
        except FileNotFoundError:
            problems.append(Problem(shown, "input.broken_link" if os.path.islink(given) else "input.not_found"))
            continue
        except OSError as exc:
            problems.append(Problem(shown, "input.unreadable", {"reason": exc.strerror or str(exc)}))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(given, found, problems, seen, skip)
        elif (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            found[given] = shown  # named on the command line: load_file refuses it if it is not a regular file
    if problems:
        raise InputError(problems)
    return sorted(found.items())


_REPORT_SIGNATURE = re.compile(r'^\s*\{\s*"(format"\s*:\s*"renovcheck-|\$schema"\s*:\s*"[^"]*sarif)')


def is_a_report(path: str) -> bool:
    """Whether the file at ``path`` is a JSON or SARIF document renovcheck wrote (no dossier starts that way)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(512).decode("utf-8", "replace")
    except OSError:
        return False
    return bool(_REPORT_SIGNATURE.match(head))


def _identity(path: str) -> Identity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _walk(root: str, found: dict[str, str], problems: list[Problem], seen: set[Identity],
          skip: dict[Identity, bool]) -> None:
    real_root = os.path.realpath(root)
    root_st = os.stat(root)
    seen.add((root_st.st_dev, root_st.st_ino))
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(file_name(folder), "input.unreadable_folder", {"reason": exc.strerror or str(exc)}))
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            full = os.path.join(folder, entry.name)
            shown = file_name(full)
            try:
                st = os.stat(full)  # follows a link; lstat-only would not see what a link points to
            except OSError as exc:
                key = "input.broken_link" if entry.is_symlink() else "input.unreadable"
                problems.append(Problem(shown, key, {"reason": exc.strerror or str(exc)}))
                continue
            if entry.is_symlink():
                target = os.path.realpath(full)
                if os.path.commonpath([real_root, target]) != real_root:
                    problems.append(Problem(shown, "input.link_leaves_root", {"target": file_name(target)}))
                    continue
            identity = (st.st_dev, st.st_ino)
            if stat.S_ISDIR(st.st_mode):
                if identity not in seen:  # a link back to a folder already taken: a loop, walked once
                    seen.add(identity)
                    folders.append(full)
            elif stat.S_ISREG(st.st_mode):
                if not entry.name.lower().endswith(DOSSIER_SUFFIXES) or identity in seen:
                    continue
                if identity in skip:
                    if skip[identity]:  # never overwrite what this run would read as a dossier
                        problems.append(Problem(shown, "output.is_input"))
                    continue  # the run's own output (a report of an earlier run) is never read as a dossier
                seen.add(identity)
                found[full] = shown
            else:
                problems.append(Problem(shown, "input.not_regular", {"kind": Wording(file_kind(st.st_mode))}))
        pending.extend(reversed(folders))
