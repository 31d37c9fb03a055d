"""A commented dossier template generated from the dossier schema, so it never drifts from it.

Every optional field is a commented line ``# name:``. Removing ``# `` from such a line and from the lines of its
parents (the commented lines above it with less indentation) always leaves valid YAML: sections are written in
block style without ``{}``, a measure is one flow mapping on one line, and a list shows one item, also on one line.
A field written but left empty is ``null``, which the schema refuses with a located message: the template can
never state something the person did not fill in.
"""
from __future__ import annotations

from checker.inputs.resources import load_schema
from checker.schema.index import resolve

# yamllint's relaxed preset without the line-length rule (the field descriptions are long): the template passes it.
YAMLLINT_CONFIG = "{extends: relaxed, rules: {line-length: disable}}"

# Values a fresh template needs to be a valid dossier: the required fields of `project`.
_PLACEHOLDER = {
    ("schema_version",): "1",
    ("project", "id"): "MY-PROJECT-1",
    ("project", "name"): "某某小区综合整治",
    ("project", "district"): "东城区",
    ("project", "phase"): "planning",
}

# x-unit of the dossier schema in each language; a test keeps this complete.
UNIT_LABELS = {
    "-": {"zh": "", "en": ""},
    "measure": {"zh": "措施", "en": "measure"},
    "boolean": {"zh": "是/否:true 或 false", "en": "yes/no: true or false"},
    "text": {"zh": "文字", "en": "text"},
    "date": {"zh": "日期 YYYY-MM-DD", "en": "date YYYY-MM-DD"},
    "date (YYYY-MM-DD)": {"zh": "日期 YYYY-MM-DD", "en": "date YYYY-MM-DD"},
    "enum": {"zh": "取值之一", "en": "one of the values"},
    "list of enum": {"zh": "取值列表", "en": "list of values"},
    "ratio": {"zh": "比例 0–1,如 85% 写 0.85", "en": "ratio 0 to 1, 85 % is 0.85"},
    "id": {"zh": "编号", "en": "identifier"},
    "days": {"zh": "天", "en": "days"},
    "day": {"zh": "天", "en": "days"},
    "complaints": {"zh": "件", "en": "complaints"},
    "list": {"zh": "列表", "en": "list"},
    "list of evidence": {"zh": "证明材料列表", "en": "list of evidence"},
    "version": {"zh": "版本号", "en": "version"},
    "households": {"zh": "户", "en": "households"},
    "buildings": {"zh": "栋", "en": "buildings"},
    "m²": {"zh": "平方米", "en": "m²"},
    "year": {"zh": "年份", "en": "year"},
    "persons": {"zh": "人", "en": "persons"},
    "path": {"zh": "文件路径", "en": "file path"},
    "hex": {"zh": "十六进制", "en": "hexadecimal"},
    "page": {"zh": "页码", "en": "page"},
    "count": {"zh": "次", "en": "count"},
    "times": {"zh": "次", "en": "times"},
    "meetings": {"zh": "次", "en": "meetings"},
    "incidents": {"zh": "次", "en": "incidents"},
}

_HEAD = {
    "zh": [
        "# renovcheck 项目档案模板(由档案结构 schemas/dossier.schema.json 生成)",
        "# 用法:以“# 字段名:”开头的行是可选字段。去掉这一行以及它上级字段行开头的“# ”,再填写冒号后的值;",
        "# 留空的值会被检查拒绝并指出行号,所以模板不会替你声明任何事情。",
        "# 不写某一项表示“未说明”,相关规则的结果是“缺失”;措施写 done: false 表示“未做”。",
    ],
    "en": [
        "# renovcheck project dossier template (generated from schemas/dossier.schema.json)",
        "# Use: a line starting with '# name:' is an optional field. Remove '# ' from it and from the lines of its",
        "# parent fields, then fill in the value after the colon; a value left empty is refused with its line",
        "# number, so the template never states anything for you.",
        "# Leaving an item out means 'nothing said' (the rules that need it report 'missing'); a measure with",
        "# done: false means 'not done'.",
    ],
}
_MEASURE_HEAD = {"zh": "# 措施(measure)写在一行里,字段如下:", "en": "# A measure is written on one line, with these fields:"}
_LIST_NOTE = {"zh": "每项一行,复制“- ”行即可增加一项", "en": "one item per line; copy the '- ' line to add one"}


def _is_measure(node: dict) -> bool:
    return node.get("x-unit") == "measure"


def describe(node: dict, lang: str) -> str:
    """The comment that explains one field: its label, unit and allowed values, in one language."""
    label = node.get("x-zh", "") if lang == "zh" else node.get("description", "")
    unit = UNIT_LABELS.get(node.get("x-unit", "-"), {"zh": node.get("x-unit", ""), "en": node.get("x-unit", "")})
    parts = [label]
    if unit[lang] and node.get("x-unit") != "measure":
        parts.append(f"({unit[lang]})" if lang == "zh" else f"({unit[lang]})")
    enum = node.get("enum") or node.get("items", {}).get("enum")
    if enum:
        parts.append("[" + " | ".join(map(str, enum)) + "]")
    return " ".join(p for p in parts if p)


def _flow(node: dict, root: dict) -> str:
    """One line of flow YAML with every field of an object left empty (nested objects and lists in flow too)."""
    fields = []
    for name, child in resolve(node, root).get("properties", {}).items():
        child = resolve(child, root)
        if child.get("type") == "array" and isinstance(child.get("items"), dict):
            items = resolve(child["items"], root)
            fields.append(f"{name}: [{_flow(items, root)}]" if items.get("properties") else f"{name}: []")
        elif child.get("type") == "object" and child.get("properties"):
            fields.append(f"{name}: {_flow(child, root)}")
        else:
            fields.append(f"{name}: ")
    return "{" + ", ".join(fields) + "}" if fields else "{}"


def _lines(node: dict, root: dict, path: tuple, indent: int, lang: str, required_here: bool) -> list[str]:
    node = resolve(node, root)
    out = []
    pad = "  " * indent
    required = set(node.get("required", [])) if required_here else set()
    for name, child in node.get("properties", {}).items():
        child_path = path + (name,)
        child_node = resolve(child, root)
        shown = child if ("description" in child or "x-zh" in child) else child_node
        is_required = name in required
        lead = pad if is_required else pad + "# "
        out.append(f"{pad}# {describe(shown, lang)}")
        if _is_measure(child_node):
            out.append(f"{lead}{name}: {_measure_line(child_node, root)}")
        elif child_node.get("type") == "array" and isinstance(child_node.get("items"), dict):
            items = resolve(child_node["items"], root)
            out.append(f"{lead}{name}:")
            if items.get("properties"):
                out.append(f"{pad}  # {_LIST_NOTE[lang]}:")
                for item_name, item_child in items["properties"].items():
                    out.append(f"{pad}  #   {item_name}: {describe(resolve(item_child, root), lang)}")
                out.append(f"{pad}  # - {_flow(items, root)}")
            else:
                out.append(f"{pad}  # - ")
        elif child_node.get("type") in ("object", ["object", "null"]) and child_node.get("properties"):
            out.append(f"{lead}{name}:")
            out.extend(_lines(child_node, root, child_path, indent + 1, lang, is_required))
        else:
            out.append(f"{lead}{name}: {_PLACEHOLDER.get(child_path, '')}".rstrip())
    return out


def _measure_line(node: dict, root: dict) -> str:
    """A measure on one line: ``done``, the fields particular to this measure, then its date and evidence (the
    shape of a measure is described once, at the top of the template)."""
    common = resolve(root["$defs"]["measure_base"], root).get("properties", {})
    own = {k: v for k, v in node.get("properties", {}).items() if k not in common}
    line = _flow({"properties": own}, root)[1:-1]
    return "{done: " + (", " + line if line else "") + ", date: , evidence: [{file: , sha256: }]}"


def render(lang: str = "zh") -> str:
    root = load_schema("dossier.schema.json")
    measure = resolve(root["$defs"]["measure_base"], root)
    head = list(_HEAD[lang]) + [_MEASURE_HEAD[lang]]
    for name, child in measure.get("properties", {}).items():
        head.append(f"#   {name}: {describe(resolve(child, root), lang)}")
    for name, child in resolve(root["$defs"]["evidence"], root).get("properties", {}).items():
        head.append(f"#     evidence.{name}: {describe(resolve(child, root), lang)}")
    head.append("")
    return "\n".join(head + _lines(root, root, (), 0, lang, True)) + "\n"
