"""Rules over lists point at the item that decided (#9 §2), on the samples' cases named in the issue.

Each expectation is derived by hand from the sample and the rule, with its reason; never from the tool's output.
"""
import pytest

from tests.conftest import SAMPLES

CASES = [
    # (sample, rule, outcome, main field, reason)
    ("zaoyuan.json", "OPS-12", "fail", "operations.new_facilities.1.maintenance_arranged",
     "the second facility, 口袋公园健身器材, is stated without maintenance; the first one is maintained"),
    ("gucheng-nanlu.yaml", "OPS-13", "fail", "operations.smart_facilities.4.maintenance_contract.done",
     "the fifth device, the parking barrier, is installed and its contract is stated not renewed"),
    ("yuqiao-nanli.yaml", "GOV-04", "fail", "governance.plan_approvals.1.approval_share",
     "the second plan, 停车与绿化调整, was carried out with 45 %; the first had 62 %"),
]


def _finding(checker, sample, rule_id):
    result = checker.check_file(str(SAMPLES / sample), sample)
    return next(f for f in result.findings if f.rule_id == rule_id)


@pytest.mark.parametrize("sample,rule_id,outcome,main,reason", CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_outcome_of_the_list_case(checker, sample, rule_id, outcome, main, reason):
    assert _finding(checker, sample, rule_id).outcome == outcome, reason


@pytest.mark.parametrize("sample,rule_id,outcome,main,reason", CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_the_finding_points_at_the_deciding_item(checker, sample, rule_id, outcome, main, reason):
    finding = _finding(checker, sample, rule_id)
    assert (finding.path, finding.missing_paths) == (main, []), reason


@pytest.mark.xfail(strict=True, reason="the message's {item:} placeholders follow the deciding item (H1, #9 §2)")
def test_gov04_message_names_the_plan_and_its_share(checker):
    finding = _finding(checker, "yuqiao-nanli.yaml", "GOV-04")
    message = finding.texts["message"]["zh"]
    assert "停车与绿化调整" in message and "45%" in message and "外墙保温" not in message
