"""Forward chaining in durable-rules, guarded against the traps measured in checker/engine/driver.py.

One run: the dossier fact is asserted; every engine rule that matches asserts its statement as a derived fact
(``{"kind": "derived", "name": ..., "value": true|false}``) from inside its action, and rules joined on that
fact fire in the same call, to a fixpoint. Afterwards every fact of the run is retracted, derived ones first,
so the single reused session is empty again (checked by a test over thousands of runs).

- One host, one session id, reused: a new session per dossier costs ~2 MB never returned and the engine stops
  firing after 1,024 of them; ``delete_state`` crashes intermittently. Never called here.
- The host's timer threads are never started (``_run`` is a no-op): they would call into the C core
  concurrently. ``logging.getLogger("durable")`` is silenced; we report errors ourselves.
- Actions record and assert only. An exception inside an action is swallowed by durable-rules, so it is kept
  and re-raised after the call; to stop a runaway action loop the action leaves an unserialisable value in the
  session state, which makes the engine abandon it. A run that fires more actions than there are engine rules,
  or runs past the time limit, is stopped that way.
- Each statement is asserted at most once per run (a second alternative that fires is only recorded), with a
  unique id: asserting an identical fact twice raises MessageObservedException. A statement derived both true
  and false is an engine error, never a verdict.
- After an error the host is replaced, without retracting anything: the session may still hold facts of the
  failed run, and touching a session after an abandoned action can crash the C core.
- The fact carries only what the conditions read: values for comparisons, ``done`` for measures, and ``true``
  in place of anything only tested for existence (an evidence list, for instance), so its size does not
  depend on the dossier's notes or evidence lists.
- Numbers are written for the C core's own JSON parser, which refuses an exponent without a fraction
  (``1e-05``, as Python writes 0.00001: error 204) in facts and in rulesets alike; we write ``1.0e-05``.
- No forked child and no hard time limit, unlike the rulebook engine: the ruleset is small and bundled and the
  fact is bounded, so a run takes about 1.5 ms (measured); the loop guard and a time check between actions
  stop a runaway chain.
"""
from __future__ import annotations

import copy
import itertools
import json
import logging
import time

import durable_rules_engine
from durable.engine import Host, MessageNotHandledException, Promise, Ruleset

from checker.model.errors import EngineError
from checker.lang.paths import get_path, MISSING
from checker.modes.compile import RULESET

logging.getLogger("durable").disabled = True

_SESSION = "1"


class _Abort(Exception):
    pass


class _Unserialisable:
    """Put into the session state to make durable-rules abandon the running action."""


def dumps(value) -> str:
    """JSON as durable-rules' C parser reads it: Python writes 0.00001 as ``1e-05``, which the parser refuses
    (error 204, measured), so an exponent always gets a fraction (``1.0e-05``). Everything else as json.dumps."""
    if isinstance(value, float):
        text = repr(value)
        mantissa, mark, exponent = text.partition("e")
        return f"{mantissa}.0e{exponent}" if mark and "." not in mantissa else text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


class _Ruleset(Ruleset):
    """durable.engine.Ruleset (2.0.28) writing its JSON with ``dumps``; only the methods we call."""

    def __init__(self, name, host, definition):  # noqa: super().__init__ would write the ruleset with json.dumps
        self._actions = {}
        self._name = name
        self._host = host
        for rule_name, rule in definition.items():
            self._actions[rule_name] = Promise(host.get_action(rule.pop("run")))
        self._handle = durable_rules_engine.create_ruleset(name, dumps(definition))
        self._definition = definition

    def assert_fact(self, fact):
        return self._handle_result(durable_rules_engine.assert_fact(self._handle, dumps(fact)), fact)

    def retract_fact(self, fact):
        return self._handle_result(durable_rules_engine.retract_fact(self._handle, dumps(fact)), fact)


class _ChainHost(Host):
    def __init__(self, engine):
        self._engine = engine
        super().__init__()

    def _run(self):
        """No dispatch threads (see module docstring)."""

    def get_action(self, action_name):
        engine = self._engine

        def derive(closure):
            try:
                fact = engine._derive(action_name)
            except BaseException:
                closure.s.renovcheck_abort = _Unserialisable()
                raise
            if fact is None:
                return
            try:
                closure.assert_fact(fact)
            except MessageNotHandledException:
                pass  # nothing builds on this statement: a final conclusion
            except BaseException as exc:
                engine._keep(exc)
                closure.s.renovcheck_abort = _Unserialisable()
                raise

        return derive


def project(data: dict, reads) -> dict:
    """The dossier values at ``reads`` ({dotted path: "value" or "presence"}), nested as in the dossier;
    a path only tested for existence carries ``true``."""
    out: dict = {}
    for dotted in sorted(reads):
        value = get_path(data, dotted)
        if value is MISSING:
            continue
        if reads[dotted] == "presence":
            value = True
        node = out
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = copy.deepcopy(value)
    return out


class ChainEngine:
    def __init__(self, compiled, time_limit: float = 10.0):
        self.compiled = compiled
        self.time_limit = time_limit
        self._ids = itertools.count(1)
        self._truth: dict = {}
        self._fired: list = []
        self._asserted: list = []
        self._error: BaseException | None = None
        self._limit = compiled.rule_count + 1
        self._deadline = 0.0
        self._host = self._new_host()

    def _new_host(self):
        host = _ChainHost(self)
        try:
            ruleset = _Ruleset(RULESET, host, copy.deepcopy(self.compiled.definition))
        except Exception as exc:  # durable raises bare Exception with an error code
            raise EngineError("engine.load_failed", reason=str(exc)) from None
        host._ruleset_directory[RULESET] = ruleset
        host._ruleset_list.append(ruleset)
        return host

    def _keep(self, exc):
        if self._error is None:
            self._error = exc

    def _derive(self, action_name):
        """Record one firing; the derived fact to assert, or None when the statement is already known."""
        try:
            self._fired.append(action_name)
            if len(self._fired) > self._limit:
                raise _Abort("engine.loop")
            if time.monotonic() > self._deadline:
                raise _Abort("engine.timeout")
            name, value = self.compiled.actions[action_name]
            if name in self._truth:
                if self._truth[name] != value:
                    raise _Abort("modes.contradiction", name)
                return None
            self._truth[name] = value
            fact = {"kind": "derived", "name": name, "value": value, "sid": _SESSION, "id": f"d{next(self._ids)}"}
            self._asserted.append(fact)
            return fact
        except BaseException as exc:
            self._keep(exc)
            raise

    def run(self, data: dict) -> dict:
        """Statement name -> True/False for every statement the dossier decides (absent = unknown)."""
        fact = project(data, self.compiled.read_paths)
        fact.update(self._calc(data))
        fact.update(kind="dossier", sid=_SESSION, id=f"dossier-{next(self._ids)}")
        self._truth, self._fired, self._asserted, self._error = {}, [], [], None
        self._deadline = time.monotonic() + self.time_limit
        clean = True
        try:
            try:
                self._host.assert_fact(RULESET, fact)
            except MessageNotHandledException:
                pass
            except Exception as exc:
                self._keep(exc)
            if self._error is not None:
                # Never touch a session after an abandoned action: retracting there can crash the C core
                # (measured by checker/engine/driver.py: SIGSEGV in start_action_for_state). The host is replaced.
                clean = False
            else:
                for message in reversed(self._asserted):
                    clean = self._retract(message) and clean
                clean = self._retract(fact) and clean
        finally:
            truth, error = self._truth, self._error
            self._truth, self._fired, self._asserted, self._error = {}, [], [], None
            if not clean or error is not None:
                self._host = self._new_host()
        if error is not None:
            if isinstance(error, _Abort):
                key = error.args[0]
                raise EngineError(key, reason=repr(error), limit=self.time_limit,
                                  name=error.args[1] if len(error.args) > 1 else "")
            raise EngineError("engine.failed", reason=repr(error))
        return truth

    def leftover_facts(self) -> list:
        """Facts still held by the session (a test checks this stays empty)."""
        try:
            return self._host.get_facts(RULESET, _SESSION)
        except Exception as exc:  # error 309: no session yet (a fresh host)
            if "309" in str(exc):
                return []
            raise

    def _retract(self, message) -> bool:
        try:
            self._host.retract_fact(RULESET, message)
        except MessageNotHandledException:
            pass
        except Exception:
            return False
        return True

    def _calc(self, data) -> dict:
        if not self.compiled.derivations:
            return {}
        from checker.lang.facts import compute

        calc = {}
        for derivation in self.compiled.derivations:
            value = compute(derivation, data)
            if value is not MISSING:
                calc[derivation.name] = value
        return {"calc": calc}
