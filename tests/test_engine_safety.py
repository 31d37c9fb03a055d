"""Engine safety: the per-dossier time limit, crashes of the C core, lost exceptions, and the static checks of
compiled rulesets (checker/engine_safety.py)."""
import os
import signal
import time

import pytest

from checker.compiler import CompiledRulebook, Partition
from checker.engine import Engine
from checker.errors import EngineError

ONE_RULE = CompiledRulebook(
    [Partition("safety", {"r": {"all": [{"m": {"kind": "dossier"}}], "run": "CON_01__pass"}},
               {"CON_01__pass": ("CON-01", "pass")})], [], set(), ["CON-01"])

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the isolated engine needs os.fork")


def test_a_run_that_never_answers_becomes_a_timeout_and_the_next_dossier_is_checked():
    engine = Engine(ONE_RULE, time_limit=0.5)
    assert engine.run({"kind": "dossier"}) == {"CON-01": "pass"}
    stuck = engine.child_pid()
    os.kill(stuck, signal.SIGSTOP)  # as if the C core were stuck: no action, no signal handling, no answer
    start = time.monotonic()
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier"})
    assert exc.value.key == "engine.timeout"
    assert time.monotonic() - start < 3
    with pytest.raises(ChildProcessError):
        os.waitpid(stuck, os.WNOHANG)  # killed and reaped, not left behind
    assert engine.run({"kind": "dossier"}) == {"CON-01": "pass"}
    assert engine.child_pid() != stuck
    engine.close()


def test_a_crash_in_the_engine_is_an_error_for_that_dossier_only():
    engine = Engine(ONE_RULE)
    engine.run({"kind": "dossier"})
    os.kill(engine.child_pid(), signal.SIGSEGV)
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier"})
    assert exc.value.key == "engine.crashed" and "SIGSEGV" in exc.value.params["reason"]
    assert engine.run({"kind": "dossier"}) == {"CON-01": "pass"}
    engine.close()


def test_an_exception_inside_an_action_is_reported_not_lost():
    part = Partition("safety_missing_action", {"r": {"all": [{"m": {"kind": "dossier"}}], "run": "CON_01__pass"}},
                     {})  # the action is unknown to the recorder: a KeyError inside the action
    engine = Engine(CompiledRulebook([part], [], set(), ["CON-01"]))
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier"})
    assert exc.value.key == "engine.failed" and "KeyError" in exc.value.params["reason"], exc.value.params
    engine.close()


@pytest.mark.parametrize("isolated", [True, False])
def test_loop_guard_works_in_both_modes(isolated):
    part = Partition("safety_loop", {"r": {"all": [{"m": {"$nex": {"x": 1}}}], "run": "CON_01__pass"}},
                     {"CON_01__pass": ("CON-01", "pass")})
    engine = Engine(CompiledRulebook([part], [], set(), ["CON-01"]), isolated=isolated)
    start = time.monotonic()
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier"})
    assert exc.value.key == "engine.loop" and time.monotonic() - start < 2
    engine.close()


def test_closing_stops_the_child():
    engine = Engine(ONE_RULE)
    engine.run({"kind": "dossier"})
    pid = engine.child_pid()
    engine.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_after_an_engine_error_the_next_dossier_gets_a_clean_engine():
    part = Partition("safety_error_then_ok", {
        "ok": {"all": [{"m": {"$and": [{"kind": "dossier"}, {"x": 1}]}}], "run": "CON_01__pass"},
        "broken": {"all": [{"m": {"$and": [{"kind": "dossier"}, {"x": 2}]}}], "run": "CON_01__unknown"},
    }, {"CON_01__pass": ("CON-01", "pass")})
    engine = Engine(CompiledRulebook([part], [], set(), ["CON-01"]))
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier", "x": 2})  # the action raises KeyError inside the engine
    assert "KeyError" in exc.value.params["reason"]
    for _ in range(3):
        assert engine.run({"kind": "dossier", "x": 1}) == {"CON-01": "pass"}
        assert engine.run({"kind": "dossier", "x": 3}) == {"CON-01": "missing"}
    engine.close()
