"""A commented dossier template generated from the dossier schema, so it never drifts from it."""
from __future__ import annotations

from checker.schema import load_schema

_PLACEHOLDER = {
    ("schema_version",): "1",
    ("project", "id"): "MY-PROJECT-1",
    ("project", "name"): "某某小区综合整治",
    ("project", "district"): "东城区",
    ("project", "phase"): "planning",
    ("community", "households"): "0",
}


def _resolve(node, root):
    while "$ref" in node:
        node = root["$defs"][node["$ref"].split("/")[-1]]
    if "allOf" in node:
        merged = {"properties": {}}
        for part in node["allOf"]:
            merged["properties"].update(_resolve(part, root).get("properties", {}))
        merged["properties"].update(node.get("properties", {}))
        return dict(node, **merged)
    return node


def _describe(node) -> str:
    unit = node.get("x-unit", "-")
    enum = node.get("enum")
    extra = f" [{' | '.join(map(str, enum))}]" if enum else ""
    return f"{node.get('x-zh', '')} / {node.get('description', '')} ({unit}){extra}"


def _lines(node, root, path, indent, required_path):
    node = _resolve(node, root)
    out = []
    required = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        child_path = path + (name,)
        child_node = _resolve(child, root)
        is_required = required_path and name in required
        prefix = "  " * indent + ("" if is_required else "# ")
        out.append("  " * indent + "# " + _describe(child if "description" in child else child_node))
        if child_node.get("type") == "object" and child_node.get("properties"):
            empty = is_required and not child_node.get("required")
            out.append(f"{prefix}{name}:" + (" {}" if empty else ""))
            out.extend(_lines(child_node, root, child_path, indent + 1, is_required))
        elif child_node.get("type") == "array":
            out.append(f"{prefix}{name}: []  # " + ("一项一行 / one item per line"))
        else:
            out.append(f"{prefix}{name}: {_PLACEHOLDER.get(child_path, '')}".rstrip())
    return out


def render() -> str:
    root = load_schema("dossier.schema.json")
    head = [
        "# renovcheck 项目档案模板 / project dossier template",
        "# 以 # 开头的是可选字段:去掉 # 并填写。一项措施不写表示“未说明”,写 done: false 表示“未做”。",
        "# Lines starting with # are optional fields: uncomment and fill in. Leaving a measure out means",
        "# 'nothing said'; done: false means 'not done'. Measures take done, date, evidence (file, sha256, page), note.",
        "",
    ]
    return "\n".join(head + _lines(root, root, (), 0, True)) + "\n"
