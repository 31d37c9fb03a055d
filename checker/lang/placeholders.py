"""The placeholders of rule messages and remedies (filled by checker/check/finding_text.py, checked by lint):

    {param:NAME}   a parameter's value in force        {value:PATH}   the dossier value at PATH
    {item:PATH}    PATH inside the deciding list item  {absent}       the fields the dossier does not state
"""
from __future__ import annotations

import re
from collections.abc import Iterator

PLACEHOLDER = re.compile(r"\{(?:(param|value|item):([A-Za-z0-9_.]+)|(absent))\}")
ANY_BRACES = re.compile(r"\{[^{}]*\}")


def placeholders(text: str) -> Iterator[tuple[str, str]]:
    """(kind, argument) of every placeholder in a text; kind is "param", "value", "item" or "absent"."""
    for match in PLACEHOLDER.finditer(text):
        yield ("absent", "") if match.group(3) else (match.group(1), match.group(2))


def unknown_placeholders(text: str) -> list[str]:
    """Every ``{…}`` in a text that is not a placeholder: it would be printed to the reader as written."""
    return [m.group(0) for m in ANY_BRACES.finditer(text) if not PLACEHOLDER.fullmatch(m.group(0))]
