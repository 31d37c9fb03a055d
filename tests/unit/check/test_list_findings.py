"""Rules over lists point at the item that decided (#9 §2), on the samples' cases named in the issue.

Each expectation is derived by hand from the sample and the rule, with its reason; never from the tool's output.
Positions are 1-based line:column of the deciding value in the sample file, counted by hand.
"""
import pytest

from tests.conftest import SAMPLES

CASES = [
    # (sample, rule, outcome, main field, line, column, reason)
    ("zaoyuan.json", "OPS-12", "fail", "operations.new_facilities.1.maintenance_arranged", 50, 52,
     "the second facility, 口袋公园健身器材, is stated without maintenance; the first one is maintained"),
    ("gucheng-nanlu.yaml", "OPS-13", "fail", "operations.smart_facilities.4.maintenance_contract.done", 140, 36,
     "the fifth device, the parking barrier, is installed and its contract is stated not renewed"),
    ("yuqiao-nanli.yaml", "GOV-04", "fail", "governance.plan_approvals.1.approval_share", 145, 39,
     "the second plan, 停车与绿化调整, was carried out with 45 %; the first had 62 %"),
]
IDS = [f"{c[1]}-{c[0]}" for c in CASES]

# what the message must name of the deciding item, and what of another item it must not
MESSAGES = [
    ("zaoyuan.json", "OPS-12", ["口袋公园健身器材"], ["议事厅"]),
    ("gucheng-nanlu.yaml", "OPS-13", ["智能停车系统", "停车道闸", "某停车设备有限公司"], ["某安防科技有限公司", "一键求助"]),
    ("yuqiao-nanli.yaml", "GOV-04", ["停车与绿化调整", "45%", "2024-06-15"], ["外墙保温", "62%"]),
]


def _finding(checker, sample, rule_id):
    result = checker.check_file(str(SAMPLES / sample), sample)
    return next(f for f in result.findings if f.rule_id == rule_id)


@pytest.mark.parametrize("sample,rule_id,outcome,main,line,column,reason", CASES, ids=IDS)
def test_outcome_of_the_list_case(checker, sample, rule_id, outcome, main, line, column, reason):
    assert _finding(checker, sample, rule_id).outcome == outcome, reason


@pytest.mark.parametrize("sample,rule_id,outcome,main,line,column,reason", CASES, ids=IDS)
def test_the_finding_points_at_the_deciding_item(checker, sample, rule_id, outcome, main, line, column, reason):
    finding = _finding(checker, sample, rule_id)
    assert (finding.path, finding.missing_paths) == (main, []), reason
    assert (finding.located_at, finding.line, finding.column) == (main, line, column), reason


@pytest.mark.parametrize("sample,rule_id,named,not_named", MESSAGES, ids=[f"{m[1]}-{m[0]}" for m in MESSAGES])
def test_the_message_names_the_deciding_item(checker, sample, rule_id, named, not_named):
    message = _finding(checker, sample, rule_id).texts["message"]["zh"]
    assert all(text in message for text in named), message
    assert not any(text in message for text in not_named), message
