"""every/some evaluated while building facts (checker/lang/quantifiers.py), through the real engine.

durable-rules decides ``$or`` inside ``$iany``/``$iall`` by the order of the item's keys when its branches read
different fields; these cases failed when quantifiers were handed to the engine.
"""
import pytest

from tests.unit.engine.test_compiler import outcome

PLAN_RULE = {"every": "plans", "require": {"any": [{"path": "adopted", "eq": False},
                                                   {"path": "share", "gte": {"param": "majority"}}]}}


@pytest.mark.parametrize("item", [{"adopted": True, "share": 0.7}, {"share": 0.7, "adopted": True}])
def test_any_over_two_fields_of_an_item_does_not_depend_on_key_order(item):
    assert outcome(PLAN_RULE, {"plans": [item]}, params={"majority": 0.5}) == "pass"


@pytest.mark.parametrize("items,expected", [
    ([{"adopted": False, "share": 0.4}, {"adopted": True, "share": 0.5}], "pass"),
    ([{"adopted": True, "share": 0.4}], "fail"),
    ([{"share": 0.4}], "missing"),       # dropped or carried out: not stated
    ([{"share": 0.6}], "pass"),          # past half: whether it was carried out does not matter
    ([], "pass"),                        # every over no items
])
def test_every_is_kleene_over_the_items(items, expected):
    assert outcome(PLAN_RULE, {"plans": items}, params={"majority": 0.5}) == expected


def test_parameters_are_bound_per_profile():
    data = {"plans": [{"adopted": True, "share": 0.55}]}
    assert outcome(PLAN_RULE, data, params={"majority": 0.5}) == "pass"
    assert outcome(PLAN_RULE, data, params={"majority": 0.6}) == "fail"


SOME_KIND = {"some": "devices", "require": {"all": [{"path": "kind", "in": ["parking", "camera"]},
                                                    {"path": "installed", "eq": True}]}}


@pytest.mark.parametrize("items,expected", [
    ([{"kind": "door", "installed": True}, {"kind": "parking", "installed": False}], "fail"),
    ([{"installed": True, "kind": "door"}, {"kind": "camera", "installed": True}], "pass"),
    ([{"kind": "door", "installed": True}, {"kind": "camera"}], "missing"),
    ([], "fail"),
])
def test_some_over_a_conjunction_of_two_fields(items, expected):
    assert outcome(SOME_KIND, {"devices": items}) == expected


def test_two_dates_of_one_item_are_compared():
    rule = {"every": "plans", "require": {"path": "voted", "lte": {"path": "started"}}}
    assert outcome(rule, {"plans": [{"voted": "2024-01-01", "started": "2024-01-01"}]}) == "pass"
    assert outcome(rule, {"plans": [{"voted": "2024-01-02", "started": "2024-01-01"}]}) == "fail"
    assert outcome(rule, {"plans": [{"voted": "2024-01-02"}]}) == "missing"
    before = {"every": "plans", "require": {"path": "voted", "lte": {"path": "started", "days_before": 7}}}
    assert outcome(before, {"plans": [{"voted": "2023-12-26", "started": "2024-01-01"}]}) == "fail"
    assert outcome(before, {"plans": [{"voted": "2023-12-25", "started": "2024-01-01"}]}) == "pass"


def test_measures_inside_items():
    rule = {"every": "devices", "require": {"any": [{"path": "installed", "eq": False},
                                                    {"all": [{"path": "maintainer", "eq": "m"}, {"done": "contract"}]}]}}
    ok = {"installed": True, "maintainer": "m", "contract": {"done": True}}
    assert outcome(rule, {"devices": [{"installed": False}, ok]}) == "pass"
    assert outcome(rule, {"devices": [ok, dict(ok, contract={"done": False})]}) == "fail"
    assert outcome(rule, {"devices": [{"installed": True, "maintainer": "m"}]}) == "missing"
