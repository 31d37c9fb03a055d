"""The rulebook and the mode recommender must not disagree about what "large" or "fees hard to collect" means."""
from checker import resources
from checker.yamlload import load_file

# (rule id, rulebook parameter) -> (modes.yaml fact, its parameter): the same notion of the guide.
SAME_NOTION = {
    ("OPS-07", "large_households"): ("large_scale", "large_scale_households"),
    ("OPS-09", "small_households"): ("small_scale", "small_scale_households"),
    ("OPS-09", "difficult_collection_rate"): ("fee_collection_difficult", "fee_collection_difficult_rate"),
}


def test_shared_thresholds_agree(rulebook):
    modes = load_file(str(resources.rules_dir() / "modes.yaml")).data
    facts = {f["id"]: f for f in modes["facts"]}
    for (rule_id, name), (fact_id, mode_name) in SAME_NOTION.items():
        rule_default = rulebook.get(rule_id).parameters[name].default
        mode_default = facts[fact_id]["parameters"][mode_name]["default"]
        assert rule_default == mode_default, (rule_id, name, fact_id, mode_name)
