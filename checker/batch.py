"""Check many dossiers: in this process or in several (``--jobs N``), with a progress bar on a terminal.

Each worker process builds its own Checker once (the engine's C core is not shared between processes) and
returns plain values, never exceptions, so that an error crosses the process boundary intact. Results come back
in input order whatever the number of processes, so the report is byte-identical to ``--jobs 1``.
"""
from __future__ import annotations

import multiprocessing
import sys

from checker.errors import EngineError, InputError
from checker.pipeline import Checker

_worker_checker = None


def _make_checker(settings) -> Checker:
    rulebook, limits, encoding, gate = settings
    return Checker(rulebook, limits, encoding, **(gate or {}))


def _init_worker(settings) -> None:
    global _worker_checker
    from checker import signals

    signals.in_worker()  # a worker that took SIGINT/SIGTERM itself would print its own traceback
    _worker_checker = _make_checker(settings)


def _check_one(checker: Checker, item):
    path, display = item
    try:
        return "ok", checker.check_file(path, display)
    except InputError as exc:
        return "input", exc.problems
    except EngineError as exc:
        return "engine", (exc.key, exc.params, display)


def _in_worker(item):
    return _check_one(_worker_checker, item)


class Progress:
    """``[#####.....] 120/400`` on stderr, redrawn in place; only when stderr is a terminal."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.width = width
        self.enabled = total > 1 and _isatty(self.stream)
        self.last = -1

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        filled = self.width * done // self.total
        if filled == self.last and done != self.total:
            return
        self.last = filled
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (self.width + 24) + "\r")
            self.stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork: workers inherit the loaded rulebook without pickling it; the parent never starts the engine.
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def iter_results(files, rulebook, limits, encoding=None, gate: dict | None = None, jobs: int = 1,
                 progress: Progress | None = None, problems: list | None = None):
    """Yield the result of every (path, display) in ``files``, in input order, as soon as it is known.

    ``gate`` holds the reviewer's inputs, passed to every Checker: ``as_of``, ``waivers``, ``evidence_root``.

    An unreadable or invalid file yields nothing: its problems are appended to ``problems`` (the caller decides,
    once the batch is done, that there is no report). An EngineError is raised where it happens.
    """
    settings = (rulebook, limits, encoding, gate)
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


def _unpack(kind, value, problems):
    if kind == "ok":
        yield value
    elif kind == "input":
        problems.extend(value)
    else:
        key, params, display = value
        error = EngineError(key, **params)
        error.file = display
        raise error


def run(files, rulebook, limits, encoding=None, gate: dict | None = None, jobs: int = 1,
        progress: Progress | None = None):
    """Check every (path, display) in ``files``. Returns the results in input order.

    Raises InputError with every unreadable or invalid file's problems, or the first EngineError in input order.
    """
    problems: list = []
    results = list(iter_results(files, rulebook, limits, encoding, gate, jobs, progress, problems))
    if problems:
        # No report at all: a partial one could be read as a verdict on the files that were unreadable.
        raise InputError(problems)
    return results
