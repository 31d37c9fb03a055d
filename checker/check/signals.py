"""SIGINT and SIGTERM end a run cleanly: exit 130 or 143, one line on stderr, no traceback, no temporary file.

Both signals are turned into exceptions raised where the program is, so every ``finally`` and ``except
BaseException`` runs (checker/cli/output.py removes its temporary file there). SIGINT is not left as Python's
KeyboardInterrupt: click would turn that into "Aborted!" and exit 1 when it arrives outside a command.
"""
from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import NoReturn

EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + the signal, as a shell reports them


class Stopped(BaseException):
    """A signal asked the run to stop; ``code`` is the exit code that says which."""

    code = EXIT_INTERRUPTED


class Interrupted(Stopped):
    code = EXIT_INTERRUPTED


class Terminated(Stopped):
    code = EXIT_TERMINATED


def _raise(signum: int, frame: FrameType | None) -> NoReturn:
    raise Terminated() if signum == signal.SIGTERM else Interrupted()


def install() -> dict:
    """Raise Interrupted/Terminated on SIGINT/SIGTERM from now on; returns the previous handlers (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is signal.SIG_IGN:
            continue  # ignored by whoever started us (a shell's background job): stays ignored
        previous[signum] = signal.signal(signum, _raise)
    return previous


def restore(previous: dict) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def in_worker() -> None:
    """In a ``--jobs`` worker: the main process alone answers both signals (it ends the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def exit_stopped(stopped: Stopped, message: str = "renovcheck: 已中断 / interrupted") -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    sys.exit(stopped.code)
