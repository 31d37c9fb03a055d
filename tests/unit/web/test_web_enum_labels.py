"""The dossier form shows an enum's choices by name: the schema's x-labels in the page's language, else the name
the field's x-zh gives the value (Chinese pages); the value sent stays the schema's id."""
from __future__ import annotations

import re



def _choices(page: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select id="{re.escape(name)}" name="{re.escape(name)}">(.*?)</select>', page, re.S)
    assert select, name
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select.group(1)))


def test_choices_carry_the_schemas_names_in_each_language(client):
    zh, en = client.get("/new").text, client.get("/new?lang=en").text
    assert _choices(zh, "operations.mode")["community_trusteeship"] == "社区托管"
    assert _choices(en, "operations.mode")["community_trusteeship"] == "community trusteeship"
    assert _choices(zh, "operations.operator_selection")["direct"] == "直接委托"
    assert _choices(zh, "project.phase") == {"planning": "规划设计", "construction": "施工", "completed": "已竣工",
                                             "operating": "运营"}
    assert _choices(en, "project.phase")["completed"] == "completed"  # no English name in the schema: the id
    assert _choices(zh, "project.district")["通州区"] == "通州区"


def test_an_edited_dossier_keeps_its_value_selected_under_its_name(client):
    page = client.get("/edit/0/gucheng-nanlu.yaml").text
    select = re.search(r'<select id="project.phase" name="project.phase">(.*?)</select>', page, re.S).group(1)
    chosen = re.search(r'<option value="([^"]+)" selected>([^<]*)</option>', select)
    assert chosen and chosen.group(2) == {"planning": "规划设计", "construction": "施工", "completed": "已竣工",
                                          "operating": "运营"}[chosen.group(1)]
