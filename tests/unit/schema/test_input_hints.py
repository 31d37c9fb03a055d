"""Issue 12 §3: an input error says how to fix it, and names kinds of value in the report's language."""
from click.testing import CliRunner

from checker.cli import cli as main

BAD = """schema_version: 1
project: {id: T-1, name: 测试, district: 丰台, phase: planning}
community: {fee_collection_rate: 85, owners_committee: 是, househols: 3}
施工管理: {}
"""


def _errors(tmp_path, lang):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--lang", lang])
    assert result.exit_code == 2 and result.stdout == ""
    return {line.split(": ", 1)[1].split(":")[0]: line for line in result.stderr.splitlines()}


def test_each_refused_value_comes_with_its_fix(tmp_path):
    zh = _errors(tmp_path, "zh")
    assert zh["project/district"].endswith("是否要写 丰台区?")
    assert zh["community/fee_collection_rate"].endswith("比率写成小数:85 → 0.85")
    assert "类型应为 是/否(true/false)" in zh["community/owners_committee"]
    assert zh["community/owners_committee"].endswith("“是” → true")
    assert zh["community/househols"].endswith("是否要写 households(户数)?")
    assert zh["施工管理"].endswith("是否要写 construction(施工管理)?")
    en = _errors(tmp_path, "en")
    assert en["project/district"].endswith("did you mean 丰台区?")
    assert en["community/fee_collection_rate"].endswith("write a rate as a fraction: 85 → 0.85")
    assert "boolean" not in zh["community/owners_committee"]


def test_dates_and_types_are_named_in_chinese(tmp_path):
    path = tmp_path / "date.yaml"
    path.write_text("schema_version: 1\nproject: {id: T-1, name: 测试, district: 丰台区, phase: planning,\n"
                    "  dates: {report_date: '2025-02-30'}}\ncommunity: {households: many}\n", encoding="utf-8")
    err = CliRunner().invoke(main, ["check", str(path)]).stderr
    assert "不是有效的 日期" in err and "类型应为 整数" in err
    for word in ("date", "integer", "boolean", "number"):
        assert f" {word}" not in err, err
