"""renovcheck recommend (issue 4): the mode book, the fits and their ranking, the explanation, what-if, formats,
and the MODE-01 advisory in check."""
import copy
import json
import os
import shutil

import pytest

from checker.model.errors import EngineError, InputError
from checker.rulebook.modebook import MODE_IDS
from checker.rulebook import modebook as mb
from checker.modes.recommend import Recommender
from checker.inputs.yamlload import load_file
from tests.conftest import GUIDE, ROOT, SAMPLES
from tests.conftest import skip_unless_ci
from tests.conftest import documentation

BASE = {
    "schema_version": 1,
    "project": {"id": "T-1", "name": "测试小区", "district": "通州区", "phase": "planning"},
    "community": {},
}


def dossier(**community):
    data = copy.deepcopy(BASE)
    data["community"].update(community)
    return data


@pytest.fixture(scope="module")
def recommender():
    return Recommender()


def fits(rec):
    return {m.id: m.fit for m in rec.modes}


# --- the mode book --------------------------------------------------------------------------------------

def test_mode_book_loads_with_the_four_mode_ids(recommender):
    assert tuple(recommender.book.modes) == MODE_IDS
    assert recommender.compiled.rule_count < 150  # far from durable-rules' ~200 rules per ruleset


def test_every_citation_is_verbatim_in_the_guide(recommender):
    if not GUIDE.exists():
        skip_unless_ci(f"guide text not found at {GUIDE}")
    guide = GUIDE.read_text(encoding="utf-8")
    book = recommender.book
    cites = [f.citation for f in book.facts.values()] + [m.citation for m in book.modes.values()]
    cites += [o.citation for o in book.obligations.values()]
    for cite in cites:
        assert cite["phrase"] in guide, cite
        if cite.get("case"):
            assert cite["case"] in guide, cite
    phrases = {c["phrase"] for c in cites}
    for phrase in ("建议引入专业化物业管理企业", "可采取社区托管、社会组织代管等模式", "鼓励成立业主自管组织",
                   "建立对应的服务标准、收费公示及补贴机制"):
        assert phrase in phrases


def test_every_threshold_is_a_parameter_marked_as_an_assumption(recommender):
    # The guide gives no number for any of them, so each default is ours and must say so.
    params = recommender.book.parameters
    assert set(params) == {"large_scale_households", "small_scale_households", "fee_collection_difficult_rate",
                           "self_governance_participation"}
    for p in params.values():
        assert p.assumption is True, p.name
        assert p.description["zh"] and p.description["en"]


def _book_copy(tmp_path, edit):
    target = tmp_path / "rules"
    target.mkdir()
    text = (ROOT / "rules" / "modes.yaml").read_text(encoding="utf-8")
    new = edit(text)
    assert new != text
    (target / "modes.yaml").write_text(new, encoding="utf-8")
    shutil.copy(ROOT / "rules" / "parameters.yaml", target)
    return target


@pytest.mark.parametrize("old, new, key", [
    ("recommended_when: {fact: professional_conditions}", "recommended_when: {fact: no_such_fact}",
     "modes.unknown_fact"),
    ("    when: {path: community.base_condition, eq: poor}", "    when: {fact: poor_base}", "modes.fact_cycle"),
    ("lt: {param: fee_collection_difficult_rate}", "lt: {param: fee_rate}", "modes.unknown_param"),
    ("{path: community.base_condition, eq: good}", "{path: community.base_state, eq: good}", "modes.unknown_path"),
    ("  community.owners_committee:\n    label: {zh: 已成立业主委员会, en: owners' committee set up}\n", "",
     "modes.unlabelled_input"),
    ("obligations: [service_standard, fee_disclosure, subsidy_mechanism]\n\n  - id: social_organization",
     "obligations: [service_standard, nothing_like_it]\n\n  - id: social_organization", "modes.unknown_obligation"),
    ("  - id: poor_base\n", "  - id: good_base\n", "modes.duplicate_id"),
])
def test_a_broken_mode_book_is_refused_with_a_located_message(tmp_path, old, new, key):
    directory = _book_copy(tmp_path, lambda t: t.replace(old, new, 1))
    with pytest.raises(InputError) as info:
        mb.load(directory)
    assert key in [p.key for p in info.value.problems]
    assert all(p.render("en") for p in info.value.problems)


def test_a_book_whose_mode_is_both_recommended_and_not_advised_gives_no_recommendation(tmp_path):
    directory = _book_copy(tmp_path, lambda t: t.replace(
        "    not_advised_when: {fact: weak_self_governance}", "    not_advised_when: {fact: self_governance_will}"))
    rec = Recommender(mb.load(directory))
    with pytest.raises(EngineError) as info:
        rec.recommend(dossier(self_governance_willingness="strong", owners_committee=True))
    assert info.value.key == "modes.both"
    # the engine is still usable afterwards
    assert rec.recommend(dossier(households=100)).modes


# --- the samples ----------------------------------------------------------------------------------------

SAMPLE_TOP = {
    "yuqiao-nanli.yaml": "professional",
    "gucheng-nanlu.yaml": "professional",
    "liupukang-1.yaml": "community_trusteeship",
    "zaoyuan.json": "owner_self_management",
}


@pytest.mark.parametrize("name, top", sorted(SAMPLE_TOP.items()))
def test_sample_recommendations(recommender, name, top):
    doc = load_file(str(SAMPLES / name))
    rec = recommender.recommend(doc.data, name)
    assert rec.top == top
    # 六铺炕 plans a property company for a small community short of fees: the one sample whose mode does not fit
    assert (rec.advisory() is not None) == (name == "liupukang-1.yaml")


def test_the_samples_lead_to_at_least_three_different_recommended_modes():
    assert len(set(SAMPLE_TOP.values())) >= 3


# --- each mode reachable, thresholds on both sides -------------------------------------------------------

def test_every_mode_can_be_the_recommended_one(recommender):
    cases = {
        "professional": dossier(households=800, base_condition="good", fee_collection_rate=0.9),
        "community_trusteeship": dossier(households=150, owners_committee=False, fee_collection_rate=0.5),
        "social_organization": dossier(households=150, owners_committee=True, social_organization_available=True),
        "owner_self_management": dossier(households=400, self_governance_willingness="strong", owners_committee=True),
    }
    for mode, data in cases.items():
        rec = recommender.recommend(data)
        assert rec.top == mode, (mode, fits(rec))


def test_every_mode_can_be_possible_and_not_advised(recommender):
    seen = {m: set() for m in MODE_IDS}
    for data in (dossier(households=800, base_condition="good", fee_collection_rate=0.9,
                         self_governance_willingness="weak"),
                 dossier(households=150, fee_collection_rate=0.5, self_governance_willingness="moderate"),
                 dossier(households=400, base_condition="fair", fee_collection_rate=0.8,
                         self_governance_willingness="moderate")):
        for mode, fit in fits(recommender.recommend(data)).items():
            seen[mode].add(fit)
    for mode in MODE_IDS:
        assert {"possible", "not_advised"} <= seen[mode], (mode, seen)


@pytest.mark.parametrize("fact, below, at", [
    ("large_scale", dict(households=499), dict(households=500)),
    ("small_scale", dict(households=300), dict(households=299)),
    ("fee_collection_difficult", dict(fee_collection_rate=0.7), dict(fee_collection_rate=0.69)),
    ("organised_owners", dict(owners_committee=False, resident_participation_rate=0.49),
     dict(owners_committee=False, resident_participation_rate=0.5)),
])
def test_each_threshold_on_both_sides(recommender, fact, below, at):
    assert recommender.recommend(dossier(**below)).facts[fact] == "false"
    assert recommender.recommend(dossier(**at)).facts[fact] == "true"


def test_a_threshold_moves_with_its_parameter(recommender):
    book = recommender.book.with_parameters({"large_scale_households": 1200})
    other = Recommender(book)
    data = dossier(households=1150, base_condition="good", fee_collection_rate=0.86)
    assert recommender.recommend(data).top == "professional"
    assert other.recommend(data).mode("professional").fit == "possible"
    with pytest.raises(InputError):
        recommender.book.with_parameters({"no_such_parameter": 1})


def test_households_decide_scale_and_silence_leaves_it_unknown(recommender):
    # No fallback on buildings: a fallback would make the absence of households informative (removing
    # households=320 next to buildings=40 would turn "not large" into "large").
    assert recommender.recommend(dossier(households=320, buildings=40)).facts["large_scale"] == "false"
    assert recommender.recommend(dossier(buildings=40)).facts["large_scale"] == "unknown"
    assert recommender.recommend(dossier()).facts["large_scale"] == "unknown"


def test_ranking_order(recommender):
    # 枣园: three recommended; the guide's "should" (鼓励) before "may" (可); then the preference
    rec = recommender.recommend(load_file(str(SAMPLES / "zaoyuan.json")).data)
    assert [m.id for m in rec.modes] == ["owner_self_management", "social_organization", "community_trusteeship",
                                         "professional"]
    # a possible mode that could still be recommended ranks before a settled possible one
    rec = recommender.recommend(dossier(households=320, base_condition="fair"))
    assert rec.mode("professional").fit == "possible" and rec.mode("professional").confirmed
    assert rec.mode("community_trusteeship").outlook == "could_be_permitted"
    assert rec.mode("community_trusteeship").rank < rec.mode("professional").rank


# --- explanation -----------------------------------------------------------------------------------------

def test_the_explanation_names_values_and_assumptions_and_the_parameter_list_names_them(cli):
    out = cli("recommend", SAMPLES / "yuqiao-nanli.yaml", "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert ("1,150 households ≥ 500 (our assumption; a profile or --set can change it) → large scale → "
            "good base, large scale and fees collected → professional: recommended") in out.stdout
    assert "fee collection rate 86% ≥ 70% (our assumption; a profile or --set can change it)" in out.stdout
    assert "Recommended mode: professional" in out.stdout
    trace = out.stdout.split("\nParameters")[0]
    assert "large_scale_households" not in trace  # ids only in the parameter list, where --set needs them
    assert "large_scale_households = 500" in out.stdout
    zh = cli("recommend", SAMPLES / "yuqiao-nanli.yaml")
    assert "1,150 户 ≥ 500(本工具的假设,可由配置调整) → 规模较大" in zh.stdout
    assert zh.stdout.splitlines()[1] == ("建议采用专业化物业管理企业:户数 1,150 户(≥ 500,本工具假设的界线)、基础条件较好、"
                                         "物业费收缴率 86%(≥ 70%,本工具假设的界线)。")


def test_missing_facts_are_named(cli):
    out = cli("recommend", SAMPLES / "yuqiao-nanli.yaml", "--lang", "en", "--set", "community.fee_collection_rate=null")
    assert out.returncode == 0, out.stderr
    assert "fee collection rate unknown: the fit of professional cannot be confirmed" in out.stdout
    assert "professional (professional property-management company): possible (facts missing: it could be recommended)" \
        in out.stdout


def test_the_obligations_of_the_recommended_mode_and_whether_they_are_shown(recommender):
    rec = recommender.recommend(load_file(str(SAMPLES / "yuqiao-nanli.yaml")).data)
    states = {o.id: o.state for o in rec.mode("professional").obligations}
    assert states == {"service_standard": "true", "quality_supervision": "unknown", "fee_disclosure": "true",
                      "subsidy_mechanism": "unknown"}
    rec = recommender.recommend(load_file(str(SAMPLES / "zaoyuan.json")).data)
    states = {o.id: o.state for o in rec.mode("owner_self_management").obligations}
    assert states["owner_capacity_building"] == "unknown"
    assert states["service_standard"] == "false"  # stated as not done
    assert rec.mode("owner_self_management").obligations[0].missing == []


# --- what-if ---------------------------------------------------------------------------------------------

def test_whatif_dropping_the_fee_collection_rate_of_a_large_community_changes_the_ranking_and_says_why(cli, tmp_path):
    target = tmp_path / "yuqiao.yaml"
    shutil.copy(SAMPLES / "yuqiao-nanli.yaml", target)
    before = (target.read_bytes(), os.stat(target).st_mtime_ns)
    out = cli("recommend", target, "--set", "community.fee_collection_rate=0.5", "--format", "json", "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert (target.read_bytes(), os.stat(target).st_mtime_ns) == before  # never modified
    doc = json.loads(out.stdout)
    w = doc["whatif"]
    assert w["set"] == [{"path": "community.fee_collection_rate", "value": 0.5, "previous": 0.86}]
    assert w["recommended_before"] == "professional"
    assert doc["recommended"] != "professional"
    change = next(c for c in w["changes"] if c["mode"] == "professional")
    assert change["fit"] == {"before": "recommended", "after": "possible"}
    why = " ".join(ch["text"] for ch in change["because"])
    assert "fee collection rate 50% < 70% (our assumption; a profile or --set can change it) → fees hard to collect" in why
    assert {"fact": "fee_collection_difficult", "before": "false", "after": "true"} in w["facts"]
    text = cli("recommend", target, "--set", "community.fee_collection_rate=0.5", "--lang", "en").stdout
    assert "professional: recommended → possible (rank 1 → 4)" in text
    assert "Recommended mode: professional → social_organization" in text


def test_whatif_several_sets_and_removal(cli):
    out = cli("recommend", SAMPLES / "liupukang-1.yaml", "--format", "json",
              "--set", "community.social_organization_available=true", "--set", "community.owners_committee=null")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [s["path"] for s in doc["whatif"]["set"]] == ["community.social_organization_available",
                                                         "community.owners_committee"]
    assert doc["inputs"]["community.owners_committee"] is None
    assert doc["recommended"] == "community_trusteeship"  # the owning unit still hands over
    assert doc["ranking"][1]["mode"] == "social_organization"


@pytest.mark.parametrize("assignment, words", [
    ("community.households", "PATH=VALUE"),
    ("=3", "PATH=VALUE"),
    ("community..households=3", "PATH=VALUE"),
    ("community.households=abc", "expected an integer"),
    ("community.fee_collection_rate=1.5", "greater than the maximum 1"),
    ("community.no_such_field=1", "unknown field no_such_field"),
    ("community.households.count=1", "community.households is a single value"),
    ("community.households=[1, 2]", "one YAML scalar"),
    ("community.households={a: 1}", "one YAML scalar"),
    ("governance.plan_approvals.7.approval_share=0.5", "not a valid index"),
])
def test_a_bad_set_is_a_clear_message_and_exit_2(cli, assignment, words):
    out = cli("recommend", SAMPLES / "yuqiao-nanli.yaml", "--lang", "en", "--set", assignment)
    assert out.returncode == 2, out.stdout
    assert out.stdout == ""
    assert words in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


def test_set_reads_values_as_yaml_scalars():
    from checker.modes import whatif

    assert whatif.parse("a.b=3").value == 3
    assert whatif.parse("a.b=0.5").value == 0.5
    assert whatif.parse("a.b=true").value is True
    assert whatif.parse("a.b=good").value == "good"
    assert whatif.parse("a.b='3'").value == "3"
    assert whatif.parse("a.b=2025-01-01").value == "2025-01-01"  # a date stays text, as in dossiers
    assert whatif.parse("a.b=null").value is None
    assert whatif.parse("a.b=").value is None
    assert whatif.parse("a.b=x=y").value == "x=y"


# --- formats ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_formats_are_deterministic(cli, fmt, lang):
    args = ("recommend", SAMPLES / "zaoyuan.json", "--format", fmt, "--lang", lang, "--compare")
    first, second = cli(*args), cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    for mode in MODE_IDS:
        assert mode in first.stdout
    if fmt == "json":
        doc = json.loads(first.stdout)
        assert doc["format"] == "renovcheck-recommendation" and doc["layout"] == "compare"
        assert [m["rank"] for m in doc["ranking"]] == [1, 2, 3, 4]
        assert {m["fit"] for m in doc["ranking"]} <= {"recommended", "permitted", "possible", "not_advised"}
    if fmt == "markdown":
        assert "| " + ("方面" if lang == "zh" else "aspect") + " | professional | community_trusteeship |" in first.stdout


def test_compare_shows_the_four_modes_side_by_side(cli):
    out = cli("recommend", SAMPLES / "liupukang-1.yaml", "--compare", "--lang", "en")
    assert out.returncode == 0, out.stderr
    header = next(line for line in out.stdout.splitlines() if "aspect" in line)
    positions = [header.index(m) for m in MODE_IDS]
    assert positions == sorted(positions)
    fit_row = next(line for line in out.stdout.splitlines() if line.strip().startswith("fit "))
    assert fit_row.split("│")[1:] and "not advised (our reading)" in fit_row and "permitted" in fit_row


def test_output_file_and_bad_input(cli, tmp_path):
    target = tmp_path / "out.json"
    out = cli("recommend", SAMPLES / "gucheng-nanlu.yaml", "--format", "json", "-o", target)
    assert out.returncode == 0 and out.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["recommended"] == "professional"
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nproject: {id: X}\ncommunity: {households: many}\n", encoding="utf-8")
    out = cli("recommend", bad)
    assert out.returncode == 2 and out.stdout == ""
    assert "bad.yaml:3:" in out.stderr
    assert cli("recommend", tmp_path / "absent.yaml").returncode == 2
    assert cli("recommend", tmp_path).returncode == 2  # a folder holding bad.yaml: the portfolio refuses it too


# --- MODE-01 in check ------------------------------------------------------------------------------------

def test_check_adds_an_advisory_when_the_declared_mode_does_not_fit(cli, tmp_path):
    data = json.loads((SAMPLES / "zaoyuan.json").read_text(encoding="utf-8"))
    data["community"]["self_governance_willingness"] = "moderate"
    target = tmp_path / "zaoyuan-moderate.json"
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = cli("check", target, "--format", "json")
    doc = json.loads(out.stdout)
    (advisory,) = doc["dossiers"][0]["advisories"]
    assert advisory["id"] == "MODE-01" and advisory["declared"] == "owner_self_management"
    assert advisory["fit"] == "possible" and "owner_self_management" not in advisory["fitting"]
    # advisories are not gaps: the exit code follows the gaps alone
    assert out.returncode == (1 if doc["dossiers"][0]["gaps"] else 0)
    text = cli("check", target, "--lang", "en").stdout
    assert "! MODE-01 advisory: the declared property-service mode owner_self_management is 'possible'" in text


def test_check_gives_the_advisory_to_the_one_sample_whose_mode_does_not_fit(cli):
    out = cli("check", SAMPLES, "--format", "json")
    doc = json.loads(out.stdout)
    advised = {d["file"].split("/")[-1]: [a["id"] for a in d["advisories"]] for d in doc["dossiers"]}
    assert advised == {"gucheng-nanlu.yaml": [], "liupukang-1.yaml": ["MODE-01"], "yuqiao-nanli.yaml": [],
                       "zaoyuan.json": []}


def test_the_readme_table_of_sample_recommendations_is_current(recommender):
    readme = documentation()
    section = readme.split("## Management-mode recommendation", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `") and line.split("|")[1].strip("` ") in SAMPLE_TOP]
    assert len(rows) == len(SAMPLE_TOP)
    for line in rows:
        name, top, also, possible, not_advised = [c.strip() for c in line.strip("|").split("|")]
        rec = recommender.recommend(load_file(str(SAMPLES / name.strip("`"))).data)
        listed = lambda cell: [] if cell == "—" else cell.split(", ")  # noqa: E731
        assert top == rec.top
        assert listed(also) == [m.id for m in rec.modes if m.fit in ("recommended", "permitted")][1:]
        assert listed(possible) == [m.id for m in rec.modes if m.fit == "possible"]
        assert listed(not_advised) == [m.id for m in rec.modes if m.fit == "not_advised"]
