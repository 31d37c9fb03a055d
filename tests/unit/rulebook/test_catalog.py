"""The requirement catalogue: complete against the guide text, consistent with the rules, and printed by
``renovcheck rules coverage``."""
import json
import re

import pytest

from checker.rulebook import coverage as cov
from tests.conftest import GUIDE
from tests.conftest import skip_unless_ci


@pytest.fixture(scope="module")
def catalog():
    return cov.load_catalog()


# What the issue names, as (a key phrase of the catalogue, the rules that must check it).
NAMED_REQUIREMENTS = [
    # operations
    ("公开物业收费标准", {"OPS-01"}),
    ("费用去向", {"OPS-02"}),
    ("建立对应的服务标准", {"OPS-04"}),
    ("收费公示", {"OPS-01", "OPS-02"}),
    ("补贴机制", {"OPS-06"}),
    ("建立“改造-运营”无缝衔接机制", {"OPS-03"}),
    ("部分新增设施因后续运营维护机制不完善", {"OPS-12"}),
    ("一些智慧设备的维护服务未能及时跟进", {"OPS-13"}),
    ("将智能门禁、环境监测、应急报警等设备纳入基础服务包", {"OPS-14"}),
    ("可以通过智能停车系统优化车位使用", {"OPS-15"}),
    ("安装安防监测设备提升社区安全", {"OPS-15"}),
    ("运用物联网技术监测高空坠物风险", {"OPS-15"}),
    # governance
    ("建立党建引领的协商机制", {"GOV-01"}),
    ("涵盖物业管理、公共设施使用与维护、环境保护、社区活动等方面", {"GOV-02"}),
    ("明确业主、租户、物业公司等各方权责", {"GOV-07"}),
    ("调动居民、社会组织、物业企业等多元主体积极性", {"GOV-08"}),
    ("运用“线上+线下”渠道加强宣传动员", {"GOV-03"}),
    ("特别注重调动中青年群体参与社区事务的积极性", {"GOV-10"}),
    ("每个方案都征得半数以上居民同意才会实施", {"GOV-04"}),
    ("急事、小事协调物业、包片社工、志愿者第一时间解决", {"GOV-12"}),
    ("难事、大事由社区归档立项", {"GOV-12"}),
    ("在定期召开的议事会进行专项讨论", {"GOV-13"}),
    ("组织居民参与日常维护", {"GOV-11"}),
    # evaluation
    ("改造完成后,应组织专业机构开展全面评估", {"EVA-01"}),
    ("重点考察设施使用效率、居民满意度等关键指标", {"EVA-02"}),
    ("结合居民反馈和专家意见,形成评估报告", {"EVA-03"}),
    ("根据评估结果,制定针对性的改进方案", {"EVA-04", "EVA-09"}),
    ("通过建立动态反馈与改进机制,及时解决新问题", {"EVA-05"}),
    ("大数据监测关注设施运行效能", {"EVA-06"}),
    ("为财政绩效评价提供依据", {"EVA-07"}),
]

# The force each modal word gives (the catalogue header); a case gives at most "should".
WORDING = {"应": {"shall"}, "要": {"shall"}, "宜": {"should"}, "建议": {"should"}, "鼓励": {"should"},
           "可": {"may"}, "可以": {"may"}, "none": {"should"}, "case": {"should", "may"},
           "example": {"should", "may"}, "reading": {"should", "may"}}


@pytest.mark.parametrize("phrase,rules", NAMED_REQUIREMENTS, ids=[p for p, _ in NAMED_REQUIREMENTS])
def test_named_requirement_is_checked_by_its_rules(catalog, phrase, rules):
    (req,) = [r for r in catalog.requirements if r["phrase"] == phrase]
    assert set(req.get("rules", [])) == rules


def test_every_requirement_has_rules_or_a_manual_review(catalog):
    for req in catalog.requirements:
        if req.get("manual"):
            assert not req.get("rules"), req["id"]
            assert req["review"]["zh"].strip() and req["review"]["en"].strip(), req["id"]
        else:
            assert req.get("rules"), req["id"]
        assert req["summary"]["zh"].strip() and req["summary"]["en"].strip(), req["id"]


def test_every_rule_is_referenced_by_the_catalogue(catalog, rulebook):
    referenced = {rule_id for r in catalog.requirements for rule_id in r.get("rules", [])}
    assert {r.id for r in rulebook.rules} - referenced == set()
    assert referenced - {r.id for r in rulebook.rules} == set()


def test_force_follows_wording(catalog):
    for req in catalog.requirements:
        assert req["force"] in WORDING[req["wording"]], req["id"]
        assert (req["wording"] == "case") == bool(req.get("case")), req["id"]


def test_each_rule_has_the_force_of_a_requirement_it_checks(catalog, rulebook):
    for rule in rulebook.rules:
        forces = {r["force"] for r in catalog.requirements if rule.id in r.get("rules", [])}
        assert rule.force in forces, (rule.id, rule.force, forces)


def test_case_only_rules_are_at_most_should(rulebook):
    for rule in rulebook.rules:
        if rule.citation.get("case"):
            assert rule.force in ("should", "may"), rule.id


def test_catalogue_is_consistent_with_the_rules(catalog, rulebook):
    assert cov.check_catalog(catalog, rulebook) == []


def _guide_text():
    if not GUIDE.exists():
        skip_unless_ci(f"guide text not found at {GUIDE}: the verbatim checks need ../shared/guide/")
    return GUIDE.read_text(encoding="utf-8")


def test_every_catalogue_phrase_is_verbatim_in_the_guide(catalog):
    guide = _guide_text()
    for entry in catalog.requirements + catalog.context:
        assert entry["phrase"] in guide, entry["id"]
        if entry.get("case"):
            assert entry["case"] in guide, entry["id"]


def _clauses(guide: str) -> list[str]:
    """The text's sentences and ;-clauses, without the header lines, headings and source notes."""
    body = re.sub(r"(资料和图片来源|资料来源|图片来源)[^)\n]*\)?", "", guide)
    out = []
    for line in body.splitlines()[3:]:  # title, publisher line, blank
        line = line.strip()
        if not re.search(r"[。;]", line):  # headings, picture placeholders, the author's name
            continue
        for clause in re.split(r"[。;!?]", line):
            if len(re.findall(r"[\u4e00-\u9fff]", clause)) >= 4:
                out.append(clause.strip())
    return out


def test_nothing_in_the_text_is_left_out(catalog):
    """Every clause of the guide holds the key phrase of a requirement or of a context statement."""
    clauses = _clauses(_guide_text())
    assert len(clauses) > 60
    phrases = [e["phrase"] for e in catalog.requirements + catalog.context]
    left_out = [clause for clause in clauses if not any(p in clause for p in phrases)]
    assert left_out == []


def test_coverage_command_passes_and_counts_add_up(cli):
    res = cli("rules", "coverage", "--format", "json")
    assert res.returncode == 0, res.stdout + res.stderr
    doc = json.loads(res.stdout)
    assert doc["format"] == "renovcheck-coverage" and doc["ok"] is True
    assert doc["unreferenced_rules"] == [] and doc["problems"] == []
    totals = doc["totals"]
    assert totals["requirements"] == totals["checked"] + totals["manual"]
    assert totals["checked"] == len(doc["checked"]) and totals["manual"] == len(doc["manual"])
    for dimension in ("construction", "operations", "governance", "evaluation"):
        counts = doc["by_dimension"][dimension]
        assert counts["requirements"] == counts["checked"] + counts["manual"]
        assert counts["checked"] > 0 and counts["rules"] > 0
    assert all(entry["review"] for entry in doc["manual"])


@pytest.mark.parametrize("lang,words", [("zh", ["留给人工审查的要求", "没有任何要求引用的规则", "施工管理规范化"]),
                                        ("en", ["Requirements left to manual review", "Rules no requirement points to",
                                                "Orderly construction"])])
def test_coverage_text_in_both_languages(cli, lang, words):
    res = cli("rules", "coverage", "--lang", lang)
    assert res.returncode == 0, res.stderr
    for word in words:
        assert word in res.stdout


def test_coverage_fails_on_an_unreferenced_rule(tmp_path, rulebook):
    import shutil

    from checker.rulebook import rules as rb

    rules = tmp_path / "rules"
    shutil.copytree(rulebook.directory, rules)
    text = (rules / "catalog.yaml").read_text(encoding="utf-8")
    (rules / "catalog.yaml").write_text(text.replace("rules: [EVA-07]", "manual: true\n    review: {zh: 甲, en: a}"),
                                        encoding="utf-8")
    result = cov.coverage(cov.load_catalog(rules), rb.load(rules))
    assert result.unreferenced == ["EVA-07"] and not result.ok
