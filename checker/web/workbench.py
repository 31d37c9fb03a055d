"""What the pages show, computed by the library and cached by file content: the workbench's state.

The web layer (checker/web/app.py) only reads this. A dossier is checked (checker.pipeline.Checker, the same run
as ``renovcheck check``) and its property-service mode recommended (checker.modes.recommend, the same as
``renovcheck recommend``) once per content: the cache key is the SHA-256 of the file's bytes and of the reviewer's
inputs (judgement date, the waiver file's bytes, evidence root, profile), so editing a file, or granting a waiver,
shows the new verdict on the next load, and an unchanged portfolio is not checked again. A first load checks the
dossiers not yet cached in parallel worker processes.

The engine runs in one long-lived thread of its own (``Workbench.call``), never in the server's request threads:
the rulebook engine forks a child that asks the kernel to kill it when its parent *thread* ends
(PR_SET_PDEATHSIG, checker/engine/driver.py), and the server ends idle request threads (measured: a dossier loaded
after the thread that built the engine had ended gave "engine.crashed (SIGKILL)"). One thread also means the
engine, which is not thread-safe, never runs twice at once.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ParamSpec, TypedDict, TypeVar

from checker.model.errors import EngineError, InputError, Problem
from checker.model.findings import DossierResult
from checker.check.pipeline import discover
from checker.schema.validation import accepted
from checker.text.inert import file_name
from checker.inputs.yamlload import Limits

if TYPE_CHECKING:
    from checker.check.review import Gate
    from checker.modes.recommend import Recommendation

P = ParamSpec("P")
T = TypeVar("T")
Item = tuple[str, str, str]  # a served dossier: (key in addresses, path to read, name to show)


class Summary(TypedDict, total=False):
    """What a portfolio row shows of a dossier beside its findings (empty when it cannot be checked)."""

    district: str
    phase: str
    recommended: str | None
    declared: str | None
    declared_fit: str | None
    declared_fits: str | None


# ("ok", result, summary) or ("input", problems, {}): plain values that cross a process boundary intact
Analysis = tuple[str, DossierResult | list[Problem], Summary]


@dataclass(frozen=True)
class Settings:
    """The reviewer's inputs for the whole session (the options of ``renovcheck serve``)."""

    roots: tuple[str, ...]  # folders or files served, as given
    waivers_file: str  # the reviewer's waiver file (it may not exist yet: the desk creates it)
    as_of: str | None = None  # None: today, read once at start
    evidence_root: str | None = None
    profile: str | None = None
    jobs: int = max(1, os.cpu_count() or 1)
    max_bytes: int = Limits.max_bytes


@dataclass
class Entry:
    """One dossier as the pages show it."""

    key: str  # in addresses: "<root index>/<path inside the root>"
    path: str  # to read
    display: str  # to show (as ``renovcheck check`` names it)
    sha256: str = ""
    result: DossierResult | None = None  # None when the file cannot be checked
    problems: list[Problem] = field(default_factory=list)  # why it cannot be checked
    info: Summary = field(default_factory=lambda: Summary())

    @property
    def ok(self) -> bool:
        return self.result is not None


class Analyst:
    """Checks one dossier and recommends a mode for it: what a portfolio row and a dossier page need. One per
    process (a worker builds its own: the engine's C core is not shared between processes)."""

    def __init__(self, settings: Settings, gate_key: str = "") -> None:
        from checker.check import review
        from checker.rulebook import rules as rb
        from checker.check import waivers as waiver_mod
        from checker.rulebook import modebook as mode_book
        from checker.modes.recommend import Recommender
        from checker.check.pipeline import Checker

        self.rulebook = rb.load()
        if settings.profile:
            from checker.rulebook import profiles

            self.rulebook.profile = profiles.load_profile(settings.profile, self.rulebook)
        granted = None
        if os.path.isfile(settings.waivers_file):
            granted = waiver_mod.load(settings.waivers_file, self.rulebook)
        self.as_of = review.as_of(settings.as_of)
        self.gate: Gate = {"as_of": self.as_of, "waivers": granted, "evidence_root": settings.evidence_root}
        self.checker = Checker(self.rulebook, Limits(max_bytes=settings.max_bytes), as_of=self.as_of,
                               waivers=granted, evidence_root=settings.evidence_root)
        modes = mode_book.load(self.rulebook.directory).with_parameters(self.rulebook.param_values())
        self.recommender = Recommender(modes)
        # (dossier data, its Recommendation): the check's MODE-01 advisory and the portfolio row read one
        # recommendation, not two (half the time)
        self.last: tuple[dict | None, Recommendation | None] = (None, None)
        self.checker._recommender = self  # type: ignore[assignment]  # Checker asks only .recommend(data)
        self.gate_key = gate_key

    def close(self) -> None:
        """Stop the engine's child process now (not when this object happens to be collected): a child forked
        later than some other program's pipes holds them open, so that program would wait for it."""
        self.checker.engine.close()

    def recommend(self, data: dict) -> Recommendation:
        """Recommender.recommend, remembering the last dossier's answer (the Checker asks first, the row next)."""
        seen, answer = self.last
        if seen is not data or answer is None:
            answer = self.recommender.recommend(data)
            self.last = (data, answer)
        return answer

    def analyse(self, path: str, display: str) -> Analysis:
        """("ok", result, info) or ("input", problems): plain values that cross a process boundary intact."""
        try:
            doc = self.checker.load(path, display)
            result = self.checker.check_document(doc)
        except InputError as exc:
            return "input", exc.problems, {}
        except EngineError as exc:
            return "input", [Problem(display, exc.key, exc.params)], {}
        return "ok", result, self.summary(accepted(doc))

    def summary(self, data: dict) -> Summary:
        project = data.get("project") or {}
        rec = self.recommend(data)
        declared = rec.declared
        return {"district": project.get("district", ""), "phase": project.get("phase", ""), "recommended": rec.top,
                "declared": declared, "declared_fit": rec.mode(declared).fit if declared else None,
                "declared_fits": rec.declared_fits}


_worker: Analyst | None = None


def _init_worker(settings: Settings, gate_key: str) -> None:
    global _worker
    from checker.check import signals

    signals.in_worker()
    _worker = Analyst(settings, gate_key)


def _in_worker(item: tuple[str, str]) -> Analysis:
    assert _worker is not None  # set by _init_worker in every worker process
    return _worker.analyse(*item)


def content_hash(path: str, limit: int) -> str:
    """SHA-256 of the file's bytes ("" when it cannot be read: the check then says why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            digest.update(handle.read(limit + 1))
    except OSError:
        return ""
    return digest.hexdigest()


class Workbench:
    """The served dossiers and their cached results. Thread-safe: the engine runs in one thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.roots = [os.path.abspath(r) for r in settings.roots]
        self.engine_thread = ThreadPoolExecutor(1, thread_name_prefix="renovcheck-engine")
        self.cache: dict[tuple[str, str, str], Analysis] = {}  # (display, content hash, gate key) -> its analysis
        self._analyst: Analyst | None = None
        self.parallel_threshold = 8  # fewer dossiers to check than this: in this process, no pool to start

    def call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``function(*args, **kwargs)`` in the engine thread (see the module's docstring), returning its result."""
        if threading.current_thread().name.startswith("renovcheck-engine"):
            return function(*args, **kwargs)
        return self.engine_thread.submit(function, *args, **kwargs).result()

    # --- the reviewer's inputs ---------------------------------------------------------------------------------

    def gate_key(self) -> str:
        """What besides a dossier's bytes decides its result: the judgement date, the waiver file's bytes, the
        evidence root and the profile."""
        s = self.settings
        waivers = content_hash(s.waivers_file, 10 * 1024 * 1024) if os.path.isfile(s.waivers_file) else "-"
        return "|".join((s.as_of or "", waivers, s.evidence_root or "", s.profile or ""))

    def analyst(self) -> Analyst:
        """The in-process Analyst for the current reviewer's inputs (rebuilt when the waiver file changed)."""
        return self.call(self._current_analyst)

    def _current_analyst(self) -> Analyst:
        key = self.gate_key()
        if self._analyst is None or self._analyst.gate_key != key:
            if self._analyst is not None:
                self._analyst.close()
            self._analyst = Analyst(self.settings, key)
        return self._analyst

    def close(self) -> None:
        """Stop the engine and its thread (the server calls this when it stops)."""
        def stop() -> None:
            if self._analyst is not None:
                self._analyst.close()
                self._analyst = None

        self.call(stop)
        self.engine_thread.shutdown(wait=True)

    # --- the dossiers ------------------------------------------------------------------------------------------

    def files(self) -> tuple[list[Item], list[Problem]]:
        """([(key, path, display)], problems of the served folders): every dossier ``renovcheck check`` would
        read under the roots, sorted; a folder that cannot be read is a problem shown on the portfolio."""
        found: list[Item] = []
        problems: list[Problem] = []
        for index, root in enumerate(self.settings.roots):
            try:
                listed = discover([root], exclude=self.settings.waivers_file)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            base = os.path.abspath(root)
            for path, display in listed:
                inside = os.path.basename(path) if os.path.isfile(base) else os.path.relpath(path, base)
                found.append((f"{index}/{inside.replace(os.sep, '/')}", path, display))
        return found, problems

    def find(self, key: str) -> Item | None:
        """(key, path, display) of a served dossier; None for anything else. Only what ``files`` lists is ever
        read, so no address can reach a file outside the served folders (``..``, a link leading out)."""
        for item in self.files()[0]:
            if item[0] == key:
                return item
        return None

    def entries(self, items: list[Item] | None = None) -> list[Entry]:
        """Every served dossier (or ``items``) with its result, checking in parallel what is not cached."""
        return self.call(self._entries, self.files()[0] if items is None else items)

    def _entries(self, items: list[Item]) -> list[Entry]:
        analyst = self._current_analyst()
        gate = analyst.gate_key
        hashes = {path: content_hash(path, self.settings.max_bytes) for _, path, _ in items}
        todo = [(path, display) for _, path, display in items if (display, hashes[path], gate) not in self.cache]
        if todo:
            for (path, display), outcome in zip(todo, self._analyse(todo, analyst)):
                if content_hash(path, self.settings.max_bytes) == hashes[path]:  # unchanged while it was checked
                    self.cache[(display, hashes[path], gate)] = outcome
        out = []
        for key, path, display in items:
            _kind, value, info = self.cache.get((display, hashes[path], gate)) or analyst.analyse(path, display)
            entry = Entry(key, path, display, hashes[path], info=info)
            if isinstance(value, DossierResult):  # kind "ok"
                entry.result = value
            else:
                entry.problems = value
            out.append(entry)
        return out

    def entry(self, key: str) -> Entry | None:
        item = self.find(key)
        return self.entries([item])[0] if item is not None else None

    def _analyse(self, todo: list[tuple[str, str]], analyst: Analyst) -> list[Analysis]:
        jobs = min(self.settings.jobs, len(todo))
        if jobs < 2 or len(todo) < self.parallel_threshold:
            return [analyst.analyse(path, display) for path, display in todo]
        # forkserver: workers start from a fresh process, not from this one with its threads and engine child
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        chunk = max(1, min(16, len(todo) // (jobs * 4)))
        with context.Pool(jobs, initializer=_init_worker, initargs=(self.settings, analyst.gate_key)) as pool:
            return pool.map(_in_worker, todo, chunksize=chunk)

    def shown_root(self, index: int) -> str:
        return file_name(self.settings.roots[index])
