"""Run compiled rulesets in durable-rules' C core, guarded against the engine's known traps: the one driver for
the rulebook (``InProcessEngine``) and the mode book's forward chaining (``ChainingEngine``), both isolated and
time-limited by ``Engine``.

- The C core is driven directly (``durable_rules_engine``), not through durable's Python ``Host``: we assert the
  fact, then ask for the matched rules one at a time (``start_action_for_state`` / ``complete_and_start_action``)
  and read only each match's rule name. There are no Python actions, so nothing can be swallowed: the Host's action
  loop catches every exception an action raises (measured), while here an error of the C core is raised to us.
  Not decoding the matched fact for every action also makes a check several times faster.
- The session state is never updated, so the engine never re-asserts its state object after an action (the
  infinite loop of a bare absence test in shared/notes/durable-rules.md); every compiled condition also requires
  ``kind: dossier``. A loop guard still stops a run that yields more matches than the rulesets have rules.
- One session is reused for every dossier: the fact is asserted, then retracted. A new session per dossier
  costs about 2 MB that is never returned and the engine stops firing after 1,024 sessions, and
  ``delete_state`` crashes the process intermittently (all measured on this machine). After any error the
  session is not touched again (retracting after an abandoned action crashed with SIGSEGV, measured): the
  rulesets are created anew, or, in the isolated engine, the child process is replaced.
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

import itertools
import json
import os
import select
import signal
import time
import weakref
from typing import Any, Protocol

import durable_rules_engine as core

from checker.engine.compiler import CompiledRulebook, JSONObject
from checker.lang.facts import Fact
from checker.model.errors import EngineError

_SESSION = "1"
DEFAULT_TIME_LIMIT = 10.0
_NOT_HANDLED, _OBSERVED = 1, 2
_STATE_MARK = '"$s":'  # only the engine's state object has this key: dossier facts are projections of schema paths


Results = dict[str, Any]  # rule id -> outcome (InProcessEngine), or statement -> True/False (ChainingEngine)
Handle = Any  # a ruleset handle of the C core


class ChainRuleset(Protocol):
    """One ruleset for forward chaining (checker/modes/compile.py): engine rules and what each action derives."""

    @property
    def definition(self) -> dict[str, JSONObject]: ...
    @property
    def actions(self) -> dict[str, tuple[str, bool]]: ...


class Core(Protocol):
    """What ``Engine`` runs, in a child process or in this one."""

    def run(self, fact: Fact) -> Results: ...
    def run_text(self, text: str) -> Results: ...
    def leftover_facts(self) -> list[JSONObject]: ...


_TOKEN = f"renovcheck-number-{os.urandom(8).hex()}-"  # unguessable: no dossier string can forge a number


def engine_json(value: object) -> str:
    """JSON the C core parses correctly.

    The C core's JSON parser refuses a number with an exponent and no fraction (``1e-05``, ``1e+20``: error 204,
    measured) although it reads ``1.0e-05``; Python writes such floats in the refused form, so they are rewritten.
    """
    replaced: dict[str, str] = {}

    def fix(item: object) -> object:
        if isinstance(item, float):
            text = repr(item)
            if "e" in text and "." not in text:
                token = f"{_TOKEN}{len(replaced)}"
                replaced[token] = text.replace("e", ".0e", 1)
                return token
            return item
        if isinstance(item, dict):
            return {k: fix(v) for k, v in item.items()}
        if isinstance(item, list):
            return [fix(v) for v in item]
        return item

    text = json.dumps(fix(value), ensure_ascii=False)
    for token, number in replaced.items():
        text = text.replace(f'"{token}"', number)
    return text


def fact_text(fact: Fact) -> str:
    """The fact for the engine, without ``sid`` and ``id`` (each run adds its own)."""
    return engine_json({k: v for k, v in fact.items() if k not in ("sid", "id")})


def _with_session(text: str, fact_id: str) -> str:
    suffix = f'"sid": "{_SESSION}", "id": "{fact_id}"}}'
    return text[:-1] + (suffix if text == "{}" else ", " + suffix)


def _alternatives(condition: object) -> int:
    """How many ways a condition can match one fact: its terms in disjunctive normal form."""
    if isinstance(condition, dict) and len(condition) == 1:
        key, parts = next(iter(condition.items()))
        if key == "$or":
            return sum(_alternatives(p) for p in parts)
        if key == "$and":
            product = 1
            for p in parts:
                product *= _alternatives(p)
            return product
    return 1


def _rule_name(matches: str) -> str:
    """The engine rule a match belongs to: the first key of ``{"<rule name>":{"m":{...}}}`` (names are ASCII)."""
    start = matches.index('"') + 1
    return matches[start:matches.index('"', start)]


def _matches(handle: Handle, state: str, fired: list[str], limit: int) -> None:
    """Collect every rule the last assert matched, one at a time, within the loop guard (``limit`` matches)."""
    started = core.start_action_for_state(handle, state)
    matches = started[1] if started else None
    while matches:
        if _STATE_MARK in matches:  # a condition without the dossier discriminator matched the state object
            core.abandon_action(handle, state)
            raise EngineError("engine.state_match", rule=_rule_name(matches))
        fired.append(_rule_name(matches))
        if len(fired) > limit:
            core.abandon_action(handle, state)
            raise EngineError("engine.loop", reason=f"more than {limit} matches")
        matches = core.complete_and_start_action(handle, state)


class InProcessEngine:
    """durable-rules' C core in this process, with the loop guard; no time limit (see the module docstring)."""

    def __init__(self, compiled: CompiledRulebook) -> None:
        self.compiled = compiled
        self._outcome_of: dict[str, tuple[str, str]] = {}  # engine rule name -> (rule id, outcome)
        for partition in compiled.partitions:
            for name, rule in partition.definition.items():
                if rule.get("run") not in partition.actions:
                    raise EngineError("engine.load_failed", reason=f"{name} runs an unknown action {rule.get('run')}")
                self._outcome_of[name] = partition.actions[rule["run"]]
        self._definitions = [
            (p.name, engine_json({name: {k: v for k, v in rule.items() if k != "run"}
                                  for name, rule in p.definition.items()}))
            for p in compiled.partitions]
        # durable matches a fact once per alternative of a nested "or" that it satisfies, so a rule may match
        # several times in one run; more matches than all alternatives together can only be a loop
        self._limit = sum(_alternatives(rule["all"][0]["m"]) for p in compiled.partitions
                          for rule in p.definition.values()) + 1
        self._fact_ids = itertools.count(1)
        self._handles = self._create_rulesets()

    def _create_rulesets(self) -> list[Handle]:
        try:
            return [core.create_ruleset(name, definition) for name, definition in self._definitions]
        except Exception as exc:  # the C core raises a bare Exception with an error code
            raise EngineError("engine.load_failed", reason=str(exc)) from None

    def run(self, fact: Fact) -> Results:
        """Outcome per rule id for one fact built by FactBuilder."""
        return self.run_text(fact_text(fact))

    def leftover_facts(self) -> list[JSONObject]:
        """Facts still held by the sessions (a test checks this stays empty)."""
        return [fact for handle in self._handles for fact in _session_facts(handle)]

    def run_text(self, text: str) -> Results:
        """Outcome per rule id for a fact already written by ``fact_text``."""
        message = _with_session(text, f"dossier-{next(self._fact_ids)}")
        fired: list[str] = []
        try:
            for handle in self._handles:
                code, state = core.assert_fact(handle, message)
                if code == _OBSERVED:
                    raise EngineError("engine.failed", reason="the same fact was asserted twice")
                if code != _NOT_HANDLED:
                    _matches(handle, state, fired, self._limit)
                code, state = core.retract_fact(handle, message)
                if code != _NOT_HANDLED:
                    after: list[str] = []
                    _matches(handle, state, after, self._limit)
                    if after:  # every rule needs the dossier fact, which is gone: the engine is not sane
                        raise EngineError("engine.failed", reason=f"{after[0]} matched after the retract")
        except BaseException as exc:
            # Never touch these sessions again: the next dossier gets new rulesets.
            self._handles = self._create_rulesets()
            if isinstance(exc, EngineError):
                raise
            raise EngineError("engine.failed", reason=repr(exc)) from None
        outcomes: dict[str, set[str]] = {}
        for name in fired:
            rule_id, outcome = self._outcome_of[name]
            outcomes.setdefault(rule_id, set()).add(outcome)
        result: Results = {}
        for rule_id in self.compiled.rule_ids:
            got = outcomes.get(rule_id, set())
            if len(got) > 1:
                raise EngineError("engine.outcome_count", rule=rule_id, outcomes=",".join(sorted(got)))
            result[rule_id] = got.pop() if got else "missing"
        return result


def _session_facts(handle: Handle) -> list[JSONObject]:
    try:
        return json.loads(core.get_facts(handle, _SESSION))
    except Exception as exc:  # error 309: the session does not exist yet (nothing was ever asserted)
        if "309" in str(exc):
            return []
        raise


class ChainingEngine:
    """Forward chaining in durable-rules' C core, driven like InProcessEngine (no Host, no Python actions).

    ``compiled.definition`` is one ruleset (engine rule name -> ``{"all": [...], "run": action}``) whose rules
    join the dossier fact and derived facts; ``compiled.actions`` maps each action to the statement it derives
    and its value. A run asserts the dossier fact, reads which rules matched, asserts each newly derived statement
    as a fact ``{"kind": "derived", "name": ..., "value": true|false}`` (rules joined on it then match), and so on
    to a fixpoint; then it retracts every fact of the run, derived ones first, so the reused session is empty.
    A statement derived both true and false is ``modes.contradiction``; more matches than engine rules (plus one)
    is a loop. After any error the ruleset is created anew and the old session is never touched again.
    """

    def __init__(self, compiled: ChainRuleset, ruleset: str) -> None:
        self.compiled = compiled
        self._ruleset = ruleset
        self._derives: dict[str, tuple[str, bool]] = {}  # engine rule name -> (statement, value)
        for name, rule in compiled.definition.items():
            if rule.get("run") not in compiled.actions:
                raise EngineError("engine.load_failed", reason=f"{name} runs an unknown action {rule.get('run')}")
            self._derives[name] = compiled.actions[rule["run"]]
        self._definition = engine_json({name: {k: v for k, v in rule.items() if k != "run"}
                                        for name, rule in compiled.definition.items()})
        self._limit = len(compiled.definition) + 1
        self._fact_ids = itertools.count(1)
        self._handle = self._create_ruleset()

    def _create_ruleset(self) -> Handle:
        try:
            return core.create_ruleset(self._ruleset, self._definition)
        except Exception as exc:  # the C core raises a bare Exception with an error code
            raise EngineError("engine.load_failed", reason=str(exc)) from None

    def run(self, fact: Fact) -> Results:
        return self.run_text(fact_text(fact))

    def run_text(self, text: str) -> Results:
        """Statement name -> True/False for every statement the fact decides (absent = unknown)."""
        handle = self._handle
        truth: Results = {}
        fired: list[str] = []
        asserted = [_with_session(text, f"dossier-{next(self._fact_ids)}")]
        try:
            for message in asserted:  # grows while it is walked: each derived statement is asserted in turn
                code, state = core.assert_fact(handle, message)
                if code == _OBSERVED:
                    raise EngineError("engine.failed", reason="the same fact was asserted twice")
                if code == _NOT_HANDLED:
                    continue
                start = len(fired)
                _matches(handle, state, fired, self._limit)
                for name in fired[start:]:
                    statement, value = self._derives[name]
                    if statement in truth:
                        if truth[statement] != value:
                            raise EngineError("modes.contradiction", name=statement)
                        continue
                    truth[statement] = value
                    derived = {"kind": "derived", "name": statement, "value": value}
                    asserted.append(_with_session(engine_json(derived), f"d{next(self._fact_ids)}"))
            for message in reversed(asserted):
                code, state = core.retract_fact(handle, message)
                if code != _NOT_HANDLED:
                    after: list[str] = []
                    _matches(handle, state, after, self._limit)
                    if after:  # no rule tests for an absence, so a retract cannot make one match
                        raise EngineError("engine.failed", reason=f"{after[0]} matched after a retract")
        except BaseException as exc:
            self._handle = self._create_ruleset()  # never touch that session again
            if isinstance(exc, EngineError):
                raise
            raise EngineError("engine.failed", reason=repr(exc)) from None
        return truth

    def leftover_facts(self) -> list[JSONObject]:
        return _session_facts(self._handle)


# ---- the child process: one request, one reply, as length-prefixed JSON over two pipes ----

_HEADER = 8
_LEFTOVER = b"?"  # a request for the facts left in the sessions (a fact is a JSON object: it starts with "{")


def _write_message(fd: int, body: bytes) -> None:
    data = memoryview(len(body).to_bytes(_HEADER, "big") + body)
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes | None:
    """``size`` bytes from ``fd``; None at end of file; raises TimeoutError past ``deadline``."""
    chunks: list[bytes] = []
    remaining = size
    poller = select.poll() if deadline is not None else None
    if poller is not None:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    while remaining:
        if poller is not None and deadline is not None:
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


def _read_message(fd: int, deadline: float | None = None) -> bytes | None:
    header = _read_exact(fd, _HEADER, deadline)
    if header is None:
        return None
    return _read_exact(fd, int.from_bytes(header, "big"), deadline)


def _die_with_parent() -> None:
    """Linux: be killed when the parent dies, whatever else holds our pipes."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _serve(core: Core, requests: int, replies: int) -> None:
    """The child's loop: a fact in, outcomes (or an error) out, until the parent closes the pipe."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    while True:
        fact = _read_message(requests)
        if fact is None:
            return
        if fact == _LEFTOVER:
            _write_message(replies, json.dumps({"leftover": core.leftover_facts()}).encode("utf-8"))
            continue
        try:
            reply: JSONObject = {"outcomes": core.run_text(fact.decode("utf-8"))}
        except EngineError as exc:
            reply = {"error": exc.key, "params": {k: str(v) for k, v in exc.params.items()}}
        except BaseException as exc:  # never lost: it becomes this dossier's error
            reply = {"error": "engine.failed", "params": {"reason": repr(exc)}}
        _write_message(replies, json.dumps(reply, ensure_ascii=False).encode("utf-8"))
        if "error" in reply:
            return  # the parent forks a fresh child from the untouched template for the next dossier


class _Child:
    def __init__(self, pid: int, requests: int, replies: int) -> None:
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


def _keep_only(*fds: int) -> None:
    """In a forked child: close every inherited descriptor but stdin/out/err and ``fds``. A child forked while
    another program's pipes are open in this process (a browser driver, a worker pool) would otherwise hold them,
    and that program would wait for the child to end (Playwright's browser.close() did, measured)."""
    start = 3
    for fd in sorted(fds):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)


class Engine:
    """An engine with a per-fact time limit: runs in a forked child where the platform can fork.

    The one driver for every use of the C core: the rulebook (``InProcessEngine``, the default) and the mode
    book's forward chaining (``ChainingEngine``, passed as ``core``) get the same isolation and time limit.
    ``isolated=False`` (or a platform without ``os.fork``) runs in this process with the loop guard only.
    """

    def __init__(self, compiled: CompiledRulebook | ChainRuleset, time_limit: float = DEFAULT_TIME_LIMIT,
                 isolated: bool | None = None, core: Core | None = None) -> None:
        self.compiled = compiled
        self.time_limit = time_limit
        self.isolated = hasattr(os, "fork") if isolated is None else isolated
        # Built here so that a ruleset the engine refuses is reported at once; children are forked from it
        # and it is never run in this process when isolated, so every child starts from a clean session.
        if core is None:
            if not isinstance(compiled, CompiledRulebook):
                raise TypeError("a chaining ruleset runs in the ChainingEngine given as core")
            core = InProcessEngine(compiled)
        self._template: Core = core
        self._child: _Child | None = None
        self._finalizer: weakref.finalize[[_Child], Engine] | None = None
        self.children_started = 0

    def run(self, fact: Fact) -> Results:
        if not self.isolated:
            return self._template.run(fact)
        child = self._live_child()
        deadline = time.monotonic() + self.time_limit
        try:
            _write_message(child.requests, fact_text(fact).encode("utf-8"))
            reply = _read_message(child.replies, deadline)
        except TimeoutError:
            self._discard_child()
            raise EngineError("engine.timeout", limit=self.time_limit) from None
        except OSError:
            reply = None
        if reply is None:
            how = self._discard_child()
            raise EngineError("engine.crashed", reason=how)
        answer = json.loads(reply)
        if "error" in answer:
            self._discard_child()
            raise EngineError(answer["error"], **answer["params"])
        return answer["outcomes"]

    def leftover_facts(self) -> list[JSONObject]:
        """Facts still held by the engine's sessions, in the child when isolated (a test checks none are)."""
        if not self.isolated:
            return self._template.leftover_facts()
        child = self._live_child()
        _write_message(child.requests, _LEFTOVER)
        reply = _read_message(child.replies, time.monotonic() + self.time_limit)
        if reply is None:
            raise EngineError("engine.crashed", reason=self._discard_child())
        return json.loads(reply)["leftover"]

    def close(self) -> None:
        """Stop the child process, if one is running (it also stops when this object is collected)."""
        self._discard_child()

    def child_pid(self) -> int | None:
        return self._child.pid if self._child else None

    def _live_child(self) -> _Child:
        """The running child, or a new one when there is none or it died while idle: PR_SET_PDEATHSIG kills it
        when the *thread* that forked it ends (a web server's worker thread, say), which is no dossier's fault."""
        if self._child is not None:
            try:
                ended, _ = os.waitpid(self._child.pid, os.WNOHANG)
            except ChildProcessError:
                ended = self._child.pid
            if ended:
                self._discard_child()
        return self._child or self._start_child()

    def _start_child(self) -> _Child:
        requests_read, requests_write = os.pipe()
        replies_read, replies_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: serve until the parent goes away, never return into the caller's code
            code = 0
            try:
                _keep_only(requests_read, replies_write)
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

    def _discard_child(self) -> str | None:
        if self._child is None:
            return "not running"
        self._child = None
        finalizer, self._finalizer = self._finalizer, None
        return finalizer() if finalizer is not None else "stopped"
