"""Issue 12 §6: `recommend PATH...` for a planner — a portfolio table in five formats, one plain sentence per
community, and `--set PARAM=VALUE` for the assumed thresholds. Expected modes are derived by hand from the guide's
2(2) wording and the thresholds in rules/parameters.yaml, not taken from the tool's output."""
import csv
import io
import json
import shutil

from click.testing import CliRunner

from checker.cli import cli
from tests.conftest import SAMPLES


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="renovcheck")


def _portfolio(*args):
    result = run("recommend", SAMPLES, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {row["file"].rsplit("/", 1)[-1]: row for row in json.loads(result.stdout)["dossiers"]}


def test_each_community_gets_the_modes_the_guide_words_give():
    rows = _portfolio()
    # 1,680 households (≥ 500, our line for 规模较大), good base, 90 % fees: "建议引入专业化物业管理企业"
    assert rows["gucheng-nanlu.yaml"]["recommended"] == ["professional"]
    # 210 households (< 300, our line for 规模较小) and 55 % fees (< 70 %): "可采取社区托管、社会组织代管等模式";
    # the dossier declares professional, which our reading does not advise for a small, fee-difficult community
    liupukang = rows["liupukang-1.yaml"]
    assert liupukang["recommended"] == [] and set(liupukang["permitted"]) == {"community_trusteeship",
                                                                             "social_organization"}
    assert liupukang["declared"] == "professional" and liupukang["declared_fit"] == "not_advised"
    # strong willingness to self-govern: "鼓励成立业主自管组织"
    assert rows["zaoyuan.json"]["recommended"] == ["owner_self_management"]


def test_the_answer_is_one_plain_sentence_with_the_deciding_facts_and_no_parameter_ids():
    rows = _portfolio()
    answer = rows["gucheng-nanlu.yaml"]["answer"]
    assert answer.startswith("建议采用专业化物业管理企业:") and answer.endswith("。") and answer.count("。") == 1
    assert "1,680 户(≥ 500,本工具假设的界线)" in answer and "物业费收缴率 90%" in answer
    assert "large_scale_households" not in answer and "_" not in answer
    assert rows["liupukang-1.yaml"]["answer"].startswith("可采用社区托管(指南允许):")


def test_set_a_parameter_changes_the_assumption_for_every_dossier():
    # 玉桥南里 has 1,150 households: with the large-community line at 1,200 it is no longer 规模较大
    assert _portfolio()["yuqiao-nanli.yaml"]["recommended"] == ["professional"]
    rows = _portfolio("--set", "large_scale_households=1200")
    assert rows["yuqiao-nanli.yaml"]["recommended"] == []
    assert rows["gucheng-nanlu.yaml"]["recommended"] == ["professional"]  # 1,680 ≥ 1,200
    doc = json.loads(run("recommend", SAMPLES, "--format", "json", "--set", "large_scale_households=1200").stdout)
    assert doc["parameters"]["large_scale_households"] == 1200


def test_set_refuses_what_a_profile_could_not_set_and_fields_across_several_dossiers():
    result = run("recommend", SAMPLES, "--set", "large_scale_households=-3")
    assert result.exit_code == 2 and "large_scale_households" in result.stderr and "Traceback" not in result.output
    result = run("recommend", SAMPLES, "--set", "community.households=10")
    assert result.exit_code == 2 and "单个档案" in result.stderr
    assert result.stdout == ""


def test_single_dossier_what_if_on_a_parameter_names_what_moved():
    result = run("recommend", SAMPLES / "yuqiao-nanli.yaml", "--set", "large_scale_households=1200")
    assert result.exit_code == 0
    assert "large_scale_households: 500 → 1200" in result.stdout
    assert "professional:推荐 → 可行" in result.stdout


def test_text_markdown_csv_and_html_tables(tmp_path):
    text = run("recommend", SAMPLES).stdout
    assert text.startswith("物业服务模式建议:4 个小区") and "一句话建议" in text
    assert "| 文件 | 项目 |" in run("recommend", SAMPLES, "--format", "markdown").stdout
    out = tmp_path / "p.csv"
    assert run("recommend", SAMPLES, "--format", "csv", "-o", out).exit_code == 0
    raw = out.read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(raw[1:])))
    assert len(table) == 5 and table[0][0] == "文件"
    html = run("recommend", SAMPLES, "--format", "html").stdout
    assert "Content-Security-Policy" in html and "<script" not in html and "<td>古城南路东、西小区改造</td>" in html


def test_dossier_text_is_inert_in_every_portfolio_format(tmp_path):
    folder = tmp_path / "batch"
    shutil.copytree(SAMPLES, folder)
    path = folder / "gucheng-nanlu.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: 古城南路东、西小区改造", 'name: "=HYPERLINK(1)<script>x</script>|`a`\\u001b[31m"'), encoding="utf-8")
    html = run("recommend", folder, "--format", "html").stdout
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    raw = run("recommend", folder, "--format", "csv").stdout
    assert ",'=HYPERLINK(1)" in raw
    assert "\x1b" not in run("recommend", folder).stdout
    assert "<script>x" not in run("recommend", folder, "--format", "markdown").stdout
