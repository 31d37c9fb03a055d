"""Run compiled rulesets in durable-rules, guarded against the engine's known traps.

- Actions only record; an exception inside one is kept and re-raised after the call (the engine swallows them).
- An action that fires more often than a dossier can have outcomes aborts the run (loop guard), and so does
  a run longer than the time limit. Raising cannot stop durable-rules' action loop (it catches everything),
  so the guard leaves a value in the session state that cannot be serialised: the engine then abandons the
  action and returns the error to the caller.
- One session is reused for every dossier: the fact is asserted, then retracted. A new session per dossier
  costs about 2 MB that is never returned and the engine stops firing after 1,024 sessions, and
  ``delete_state`` crashes the process intermittently (all measured on this machine).
- The host's two timer threads are never started: they would call into the C core while we assert facts,
  and nothing here uses timers or queued events.
- A rule for which pass, fail and not_applicable all stay silent is ``missing``; two of them at once is an
  engine error, never a verdict.
"""
from __future__ import annotations

import copy
import itertools
import logging
import time

from durable.engine import Host, MessageNotHandledException

from checker.errors import EngineError

# durable-rules logs an abandoned action with a traceback on stderr; we report the cause ourselves.
logging.getLogger("durable").disabled = True


_SESSION = "1"


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


class Engine:
    def __init__(self, compiled, time_limit: float = 10.0):
        self.compiled = compiled
        self.time_limit = time_limit
        self._actions = {}
        for partition in compiled.partitions:
            self._actions.update(partition.actions)
        self._fact_ids = itertools.count(1)
        self._fired: list = []
        self._error: BaseException | None = None
        self._deadline = 0.0
        self._limit = 0
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
            if time.monotonic() > self._deadline:
                raise _Abort("engine.timeout")
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
        self._limit = sum(len(p.definition) for p in self.compiled.partitions) + 1
        self._deadline = time.monotonic() + self.time_limit
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
                clean = self._retract(partition.name, message) and clean
                if self._error is not None:
                    break
        finally:
            fired, error = self._fired, self._error
            self._fired, self._error = [], None
            if not clean or error is not None:
                # The session may still hold this dossier's fact: start from a fresh host for the next one.
                self._host = self._new_host()
        if error is not None:
            key = error.args[0] if isinstance(error, _Abort) else "engine.failed"
            raise EngineError(key, reason=repr(error), limit=self.time_limit)
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
