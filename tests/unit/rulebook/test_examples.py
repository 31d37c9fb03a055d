"""Every inline rule example is its own test (id ``RULE::name``): its outcome and, where the example states them,
the field the finding points at, the fields it lists as missing and the values it shows."""
import pytest

from checker.rulebook import rules as rb
from checker.check.examples import ExampleRunner

_BOOK = rb.load()
_CASES = [(rule, example) for rule in _BOOK.rules for example in rule.examples]


@pytest.fixture(scope="module")
def runner():
    runner = ExampleRunner(_BOOK)
    yield runner
    runner.close()


@pytest.mark.parametrize("rule, example", _CASES, ids=[f"{r.id}::{e['name']}" for r, e in _CASES])
def test_example(runner, rule, example):
    result = runner.run(rule, example)
    assert result.actual == result.expected, result.detail
    assert not result.mismatches, result.mismatches
