"""Check many dossiers: in this process or in several (``--jobs N``), with a progress bar on a terminal.

Each worker process builds its own Checker once (the engine's C core is not shared between processes) and
returns plain values, never exceptions, so that an error crosses the process boundary intact. Results come back
in input order whatever the number of processes, so the report is byte-identical to ``--jobs 1``.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, TextIO, Union, cast

from checker.model.errors import EngineError, InputError
from checker.i18n.messages import text
from checker.check.pipeline import Checker
from checker.check.review import Gate
from checker.inputs.yamlload import Limits
from checker.model.errors import Problem
from checker.model.findings import DossierResult

if TYPE_CHECKING:
    from checker.rulebook.rules import Rulebook

Item = tuple[str, str]  # (path to read, name to show)
Settings = tuple["Rulebook", Limits, Union[str, None], Union[Gate, None]]  # what a worker builds its Checker from
# a worker's answer: ("ok", result), ("input", problems) or ("engine", (key, params, display))
Outcome = tuple[str, Union[DossierResult, list[Problem], tuple[str, dict[str, object], str]]]

_worker_checker: Checker | None = None


def _make_checker(settings: Settings) -> Checker:
    rulebook, limits, encoding, gate = settings
    return Checker(rulebook, limits, encoding) if gate is None else Checker(rulebook, limits, encoding, **gate)


def _init_worker(settings: Settings) -> None:
    global _worker_checker
    from checker.check import signals

    signals.in_worker()  # a worker that took SIGINT/SIGTERM itself would print its own traceback
    _worker_checker = _make_checker(settings)


def _check_one(checker: Checker, item: Item) -> Outcome:
    path, display = item
    try:
        return "ok", checker.check_file(path, display)
    except InputError as exc:
        return "input", exc.problems
    except EngineError as exc:
        return "engine", (exc.key, exc.params, display)


def _in_worker(item: Item) -> Outcome:
    assert _worker_checker is not None, "the pool's initializer makes it"
    return _check_one(_worker_checker, item)


class Progress:
    """Where a batch has got to, on stderr; nothing for a single dossier.

    On a terminal: ``[#####.....] 120/400  35.2/s  ETA 0:08``, redrawn in place. In a CI log (stderr not a terminal
    and the ``CI`` environment variable set, as GitHub Actions, GitLab CI and most others do): one line at every
    10 %, with the same count, rate and time left. Elsewhere (a pipe, a file) nothing: the log stays clean."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30, lang: str = "zh",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.width = width
        self.lang = lang
        self.clock = clock
        self.started = clock()
        tty = _isatty(self.stream)
        self.mode: str | None = None if total <= 1 else "bar" if tty else "lines" if _in_ci() else None
        self.enabled = self.mode is not None
        self.last = -1

    def _rate_eta(self, done: int) -> tuple[float, float]:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = done / elapsed
        return rate, (self.total - done) / rate if rate else 0.0

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        if self.mode == "lines":
            step = 10 * done // self.total  # 0..10: one line each time a further tenth is done
            if step == self.last or step == 0:
                return
            self.last = step
            rate, eta = self._rate_eta(done)
            self.stream.write(text("batch.progress_line", self.lang, done=done, total=self.total,
                                   percent=100 * done // self.total, rate=f"{rate:.1f}", eta=_duration(eta)) + "\n")
            self.stream.flush()
            return
        filled = self.width * done // self.total
        if filled == self.last and done != self.total:
            return
        self.last = filled
        rate, eta = self._rate_eta(done)
        tail = text("batch.progress_rate", self.lang, rate=f"{rate:.1f}", eta=_duration(eta))
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total}  {tail}")
        self.stream.flush()

    def close(self) -> None:
        if self.mode == "bar":
            self.stream.write("\r" + " " * (self.width + 60) + "\r")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _context() -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    # fork: workers inherit the loaded rulebook without pickling it; the parent never starts the engine.
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def iter_results(files: Sequence[Item], rulebook: Rulebook, limits: Limits, encoding: str | None = None,
                 gate: Gate | None = None, jobs: int = 1, progress: Progress | None = None,
                 problems: list[Problem] | None = None) -> Iterator[DossierResult]:
    """Yield the result of every (path, display) in ``files``, in input order, as soon as it is known.

    ``gate`` holds the reviewer's inputs, passed to every Checker: ``as_of``, ``waivers``, ``evidence_root``.

    An unreadable or invalid file yields nothing: its problems are appended to ``problems`` (the caller decides,
    once the batch is done, that there is no report). An EngineError is raised where it happens.
    """
    settings: Settings = (rulebook, limits, encoding, gate)
    progress = progress or Progress(len(files))
    jobs = max(1, min(jobs, len(files)))
    problems = [] if problems is None else problems
    done = 0
    try:
        if jobs == 1:
            checker = _make_checker(settings)
            outcomes = (_check_one(checker, item) for item in files)
            for kind, value in outcomes:
                done += 1
                progress.update(done)
                yield from _unpack(kind, value, problems)
        else:
            chunk = max(1, min(16, len(files) // (jobs * 4)))
            with _context().Pool(jobs, initializer=_init_worker, initargs=(settings,)) as pool:
                for kind, value in pool.imap(_in_worker, files, chunksize=chunk):
                    done += 1
                    progress.update(done)
                    yield from _unpack(kind, value, problems)
    finally:
        progress.close()


def _unpack(kind: str, value: object, problems: list[Problem]) -> Iterator[DossierResult]:
    if kind == "ok":
        yield cast(DossierResult, value)
    elif kind == "input":
        problems.extend(cast(list[Problem], value))
    else:
        key, params, display = cast(tuple[str, dict[str, object], str], value)
        error = EngineError(key, **params)
        error.file = display
        raise error


def run(files: Sequence[Item], rulebook: Rulebook, limits: Limits, encoding: str | None = None,
        gate: Gate | None = None, jobs: int = 1, progress: Progress | None = None) -> list[DossierResult]:
    """Check every (path, display) in ``files``. Returns the results in input order.

    Raises InputError with every unreadable or invalid file's problems, or the first EngineError in input order.
    """
    problems: list[Problem] = []
    results = list(iter_results(files, rulebook, limits, encoding, gate, jobs, progress, problems))
    if problems:
        # No report at all: a partial one could be read as a verdict on the files that were unreadable.
        raise InputError(problems)
    return results
