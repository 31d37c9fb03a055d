"""The dossier schema as dotted paths (used by lint to check rule paths and by messages to label and format values)."""
from __future__ import annotations

REVIEW_AS_OF = "review.as_of"  # reserved: the reviewer's judgement date, put into the facts by the pipeline
REVIEW_NODE = {"type": "string", "format": "date", "description": "The reviewer's judgement date (--as-of)",
               "x-zh": "审查基准日期(--as-of)", "x-unit": "date"}


class SchemaIndex:
    """The dossier schema as dotted paths: each path's schema node, with $ref and allOf resolved."""

    def __init__(self, root: dict):
        self.root = root
        self.nodes: dict = {}
        self._walk(root, "", self.nodes)

    def _resolve(self, node: dict) -> dict:
        while "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            merged = dict(self.root["$defs"][name])
            merged.update({k: v for k, v in node.items() if k != "$ref"})
            node = merged
        props = dict(node.get("properties", {}))
        for part in node.get("allOf", []):
            props = {**self._resolve(part).get("properties", {}), **props}
        if props:
            node = dict(node, properties=props)
        return node

    def _walk(self, node, prefix, into):
        node = self._resolve(node)
        for name, child in node.get("properties", {}).items():
            path = f"{prefix}{name}"
            resolved = self._resolve(child)
            into[path] = resolved
            self._walk(resolved, path + ".", into)

    def get(self, path: str) -> dict | None:
        return self.nodes.get(path)

    def items(self, path: str) -> "SchemaIndex | None":
        """The index of a list's items (for every/some), or None when ``path`` is not a list."""
        node = self.get(path)
        if not node or node.get("type") != "array" or not isinstance(node.get("items"), dict):
            return None
        sub = SchemaIndex.__new__(SchemaIndex)
        sub.root, sub.nodes = self.root, {}
        sub._walk(node["items"], "", sub.nodes)
        return sub

    def node(self, dotted: str) -> dict | None:
        """The schema node of a dotted path that may pass through list items by index (``a.b.1.c``)."""
        if dotted == REVIEW_AS_OF:
            return REVIEW_NODE
        index, prefix = self, ""
        parts = dotted.split(".")
        for i, part in enumerate(parts):
            if part.isdigit():
                index = index.items(prefix.rstrip("."))
                if index is None:
                    return None
                prefix = ""
                if i == len(parts) - 1:
                    return None
                continue
            prefix += part + "."
        return index.get(prefix.rstrip(".")) if prefix else None
