"""click's own texts (usage, help headings, parse errors) in the reader's language.

click marks its messages for gettext and binds ``_``/``ngettext`` in each of its modules at import; replacing those
bindings is the one place where its words can be changed without copying click's code. The catalogue is
checker.messages.CLICK_TEXTS; a text it does not know stays as click wrote it. A parse error happens before
``--lang`` is parsed, so the language is read from the command line as given: Chinese unless ``--lang en``.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from checker.i18n.messages import CLICK_TEXTS

_MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types)
_language = {"current": "zh"}


def language_of(argv: Iterable[str]) -> str:
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg == "--lang=en" or (arg == "--lang" and i + 1 < len(argv) and argv[i + 1] == "en"):
            return "en"
    return "zh"


def translated(message: str) -> str:
    if _language["current"] == "en":
        return message
    return CLICK_TEXTS.get(message, message)


def translated_plural(singular: str, plural: str, count: int) -> str:
    return translated(singular if count == 1 else plural)


def use_language_of(argv: Sequence[str] | None) -> None:
    """Called with each command line, before click parses it (checker.cli.LazyGroup.main)."""
    _language["current"] = language_of(sys.argv[1:] if argv is None else argv)


def install() -> None:
    for module in _MODULES:
        for name, replacement in (("_", translated), ("ngettext", translated_plural)):
            if hasattr(module, name):  # bound by click at import: rebinding the name is what changes its words
                setattr(module, name, replacement)
