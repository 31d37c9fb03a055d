"""Run compiled rulesets in durable-rules, guarded against the engine's known traps.

- Actions only record; an exception inside one is kept and re-raised after the call (the engine swallows them).
- An action that fires more often than a dossier can have outcomes aborts the run (loop guard). Raising cannot
  stop durable-rules' action loop (it catches everything), so the guard leaves a value in the session state that
  cannot be serialised: the engine then abandons the action and returns the error to the caller.
- One session is reused for every dossier: the fact is asserted, then retracted. A new session per dossier
  costs about 2 MB that is never returned and the engine stops firing after 1,024 sessions, and
  ``delete_state`` crashes the process intermittently (all measured on this machine).
- The host's two timer threads are never started: they would call into the C core while we assert facts,
  and nothing here uses timers or queued events.
- A rule for which pass, fail and not_applicable all stay silent is ``missing``; two of them at once is an
  engine error, never a verdict.

The time limit. durable-rules' C core holds the GIL and never looks at signals, so nothing inside the process
can interrupt it: a watchdog thread does not even get to run (measured: a thread due after 0.3 s ran only when
a 2.2 s C call returned), and a SIGALRM handler runs only once the C call is back. So the engine runs in a
child process forked from a ready engine (``Engine``, where ``os.fork`` exists): the parent sends each fact
through a pipe and waits at most ``time_limit`` seconds for the outcomes. A run that does not answer in time is
killed and becomes ``engine.timeout`` for that dossier; a child that dies (a crash in the C core) becomes
``engine.crashed``. Either way the next dossier gets a fresh child forked from the untouched template engine.
"""
from __future__ import annotations

import copy
import itertools
import json
import logging
import os
import select
import signal
import time
import weakref

from durable.engine import Host, MessageNotHandledException

from checker.errors import EngineError

# durable-rules logs an abandoned action with a traceback on stderr; we report the cause ourselves.
logging.getLogger("durable").disabled = True


_SESSION = "1"
DEFAULT_TIME_LIMIT = 10.0


class _Abort(Exception):
    pass


class _Unserialisable:
    """Put into the session state to make durable-rules abandon the running action."""


class _RecordingHost(Host):
    def __init__(self, engine):
        self._engine = engine
        super().__init__()

    def _run(self):
        """No dispatch threads (see module docstring)."""

    def get_action(self, action_name):
        engine = self._engine

        def record(closure):
            try:
                engine._record(action_name)
            except BaseException:
                closure.s.renovcheck_abort = _Unserialisable()
                raise

        return record


class InProcessEngine:
    """durable-rules in this process, with the loop guard; no time limit (see the module docstring)."""

    def __init__(self, compiled):
        self.compiled = compiled
        self._actions = {}
        for partition in compiled.partitions:
            self._actions.update(partition.actions)
        self._fact_ids = itertools.count(1)
        self._fired: list = []
        self._error: BaseException | None = None
        self._limit = sum(len(p.definition) for p in compiled.partitions) + 1
        self._host = self._new_host()

    def _new_host(self):
        host = _RecordingHost(self)
        try:
            host.set_rulesets({p.name: copy.deepcopy(p.definition) for p in self.compiled.partitions})
        except Exception as exc:  # durable raises bare Exception with an error code
            raise EngineError("engine.load_failed", reason=str(exc)) from None
        return host

    def _retract(self, ruleset_name, message) -> bool:
        try:
            self._host.retract_fact(ruleset_name, message)
        except MessageNotHandledException:
            pass
        except Exception:
            return False
        return True

    def _record(self, action_name):
        try:
            if len(self._fired) >= self._limit:
                raise _Abort("engine.loop")
            self._fired.append(self._actions[action_name])
        except BaseException as exc:  # kept: durable would swallow it
            if self._error is None:
                self._error = exc
            raise

    def run(self, fact: dict) -> dict:
        """Outcome per rule id for one fact built by FactBuilder."""
        message = dict(fact, sid=_SESSION, id=f"dossier-{next(self._fact_ids)}")
        self._fired = []
        self._error = None
        clean = True
        try:
            for partition in self.compiled.partitions:
                try:
                    self._host.assert_fact(partition.name, message)
                except MessageNotHandledException:
                    pass
                except Exception as exc:
                    if self._error is None:
                        self._error = exc
                if self._error is not None:
                    # Never touch a session after an abandoned action: retracting there can crash the C core
                    # (measured: SIGSEGV in start_action_for_state). The host is replaced instead.
                    clean = False
                    break
                clean = self._retract(partition.name, message) and clean
        finally:
            fired, error = self._fired, self._error
            self._fired, self._error = [], None
            if not clean or error is not None:
                # The session may still hold this dossier's fact: start from a fresh host for the next one.
                self._host = self._new_host()
        if error is not None:
            if isinstance(error, _Abort):
                raise EngineError(error.args[0], reason=repr(error))
            raise EngineError("engine.failed", reason=repr(error))
        outcomes: dict = {}
        for rule_id, outcome in fired:
            outcomes.setdefault(rule_id, set()).add(outcome)
        result = {}
        for rule_id in self.compiled.rule_ids:
            got = outcomes.get(rule_id, set())
            if len(got) > 1:
                raise EngineError("engine.outcome_count", rule=rule_id, outcomes=",".join(sorted(got)))
            result[rule_id] = got.pop() if got else "missing"
        return result


# ---- the child process: one request, one reply, as length-prefixed JSON over two pipes ----

_HEADER = 8


def _write_message(fd: int, payload: dict) -> None:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    data = memoryview(len(body).to_bytes(_HEADER, "big") + body)
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes | None:
    """``size`` bytes from ``fd``; None at end of file; raises TimeoutError past ``deadline``."""
    chunks, remaining = [], size
    poller = select.poll() if deadline is not None else None
    if poller is not None:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    while remaining:
        if poller is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(max(1, int(left * 1000))):
                if time.monotonic() >= deadline:
                    raise TimeoutError
                continue
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _read_message(fd: int, deadline: float | None = None):
    header = _read_exact(fd, _HEADER, deadline)
    if header is None:
        return None
    body = _read_exact(fd, int.from_bytes(header, "big"), deadline)
    return None if body is None else json.loads(body)


def _die_with_parent() -> None:
    """Linux: be killed when the parent dies, whatever else holds our pipes."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _serve(core: InProcessEngine, requests: int, replies: int) -> None:
    """The child's loop: a fact in, outcomes (or an error) out, until the parent closes the pipe."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    while True:
        fact = _read_message(requests)
        if fact is None:
            return
        try:
            reply = {"outcomes": core.run(fact)}
        except EngineError as exc:
            reply = {"error": exc.key, "params": {k: str(v) for k, v in exc.params.items()}}
        except BaseException as exc:  # never lost: it becomes this dossier's error
            reply = {"error": "engine.failed", "params": {"reason": repr(exc)}}
        _write_message(replies, reply)
        if "error" in reply:
            return  # the parent forks a fresh child from the untouched template for the next dossier


class _Child:
    def __init__(self, pid: int, requests: int, replies: int):
        self.pid = pid
        self.requests = requests  # we write facts here
        self.replies = replies  # and read outcomes here


def _stop_child(child: _Child) -> str:
    """Kill and reap the child; a description of how it ended."""
    for fd in (child.requests, child.replies):
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        os.kill(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        _, status = os.waitpid(child.pid, 0)
    except ChildProcessError:
        return "gone"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"signal {number} ({signal.Signals(number).name})"
        except ValueError:
            return f"signal {number}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


class Engine:
    """The engine with a per-dossier time limit: runs in a forked child where the platform can fork.

    ``isolated=False`` (or a platform without ``os.fork``) runs in this process with the loop guard only.
    """

    def __init__(self, compiled, time_limit: float = DEFAULT_TIME_LIMIT, isolated: bool | None = None):
        self.compiled = compiled
        self.time_limit = time_limit
        self.isolated = hasattr(os, "fork") if isolated is None else isolated
        # Built here so that a ruleset the engine refuses is reported at once; children are forked from it
        # and it is never run in this process when isolated, so every child starts from a clean session.
        self._template = InProcessEngine(compiled)
        self._child: _Child | None = None
        self._finalizer = None
        self.children_started = 0

    def run(self, fact: dict) -> dict:
        if not self.isolated:
            return self._template.run(fact)
        child = self._child or self._start_child()
        deadline = time.monotonic() + self.time_limit
        try:
            _write_message(child.requests, fact)
            reply = _read_message(child.replies, deadline)
        except TimeoutError:
            self._discard_child()
            raise EngineError("engine.timeout", limit=self.time_limit) from None
        except OSError:
            reply = None
        if reply is None:
            how = self._discard_child()
            raise EngineError("engine.crashed", reason=how)
        if "error" in reply:
            self._discard_child()
            raise EngineError(reply["error"], **reply["params"])
        return reply["outcomes"]

    def close(self) -> None:
        """Stop the child process, if one is running (it also stops when this object is collected)."""
        self._discard_child()

    def child_pid(self) -> int | None:
        return self._child.pid if self._child else None

    def _start_child(self) -> _Child:
        requests_read, requests_write = os.pipe()
        replies_read, replies_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: serve until the parent goes away, never return into the caller's code
            code = 0
            try:
                os.close(requests_write)
                os.close(replies_read)
                _serve(self._template, requests_read, replies_write)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(requests_read)
        os.close(replies_write)
        self._child = _Child(pid, requests_write, replies_read)
        self._finalizer = weakref.finalize(self, _stop_child, self._child)
        self.children_started += 1
        return self._child

    def _discard_child(self) -> str:
        if self._child is None:
            return "not running"
        self._child = None
        finalizer, self._finalizer = self._finalizer, None
        return finalizer() if finalizer is not None else "stopped"
