"""Dossier text made inert for each medium it is shown in. The one place that knows how to neutralise it.

A dossier is written by the people the check judges, so any string from it (a name, a value, a file name) may try
to act on where it is shown: a terminal (escape sequences, CR), a CI log (GitHub workflow commands ``::error …``
and ``##[…]``), a reader's eyes (bidi overrides that reorder what is displayed), a Markdown renderer (links,
@mentions, #references, HTML). Each function here takes text and returns text that only shows itself.
"""
from __future__ import annotations

import html
import re

# C0 controls except tab, DEL, C1 controls, line/paragraph separators, and the bidi controls: embeddings and
# overrides U+202A–202E, isolates U+2066–2069, marks U+200E/U+200F/U+061C (they reorder what a reader sees).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# file names that are not UTF-8 arrive as lone surrogates (Python's surrogateescape); any other lone surrogate too
_SURROGATE = re.compile("[\ud800-\udfff]")
# GitHub Actions reads a line that starts with "::" (after blanks) as a command, and "##[" anywhere as one
_COMMAND_START = re.compile(r"^(\s*):")
_COMMAND_V1 = "##["


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape: show that byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def controls(text: object) -> str:
    """Control, line-breaking and bidi characters shown as ``\\xNN``/``\\uNNNN``; everything else as it is."""
    text = str(text)
    text = _SURROGATE.sub(lambda m: _escape(m.group()), text)
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def line(text: object) -> str:
    """One line for a terminal, a log or a text report: :func:`controls`, and no workflow command can start.

    ``::`` at the start of the line becomes ``\\x3a:`` and ``##[`` becomes ``\\x23#[`` (the escape notation the
    report already uses), so the GitHub runner sees no command however the line is printed."""
    text = controls(text)
    text = _COMMAND_START.sub(lambda m: m.group(1) + "\\x3a", text)
    return text.replace(_COMMAND_V1, "\\x23#[")


def lines(document: str) -> str:
    """A document of our own lines (the newlines are ours; a dossier's were escaped by :func:`line` before)."""
    return "\n".join(line(part) for part in document.split("\n"))


def file_name(path: object) -> str:
    """A file name as it can be shown anywhere: bytes that are not UTF-8 as ``\\xNN``, controls escaped."""
    return controls(path)


# --- Markdown (GitHub and GitLab flavours) ------------------------------------------------------------------------

# what can start emphasis, code, links, images, tables, strikethrough or maths in the middle of a line; every
# line we write starts with our own text, so block markers (#, -, 1.) cannot take effect
_MD_SPECIAL = re.compile(r"([\\`*\[\]|~$]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")  # snake_case cannot emphasise
# what GitHub turns into a link or a notification even in plain text: @mentions, #123 / GH-123 references,
# bare URLs (scheme:// and www.) and e-mail addresses (they contain an @). A WORD JOINER (U+2060, invisible)
# after the trigger breaks each pattern without changing what a reader sees.
_MD_TRIGGER = re.compile(r"(@|#|(?<=[A-Za-z]):(?=//)|(?i:\bwww)(?=\.)|(?i:\bgh)(?=-\d))")
_WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Inline text, safe in the middle of a line of Markdown, table cells included: no HTML, no emphasis or
    links, no autolinks, @mentions or #references, on one line."""
    one_line = re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " ", str(text))
    defused = _MD_TRIGGER.sub(lambda m: m.group() + _WORD_JOINER, controls(one_line))  # before &#…; entities exist
    return _MD_SPECIAL.sub(r"\\\1", html.escape(defused, quote=True))


def md_code(text: object, in_table: bool = False) -> str:
    """Dossier text as a code span: GitHub and GitLab render nothing inside one (no link, mention or reference).

    The fence is one backtick longer than the longest run of backticks inside; in a table cell ``|`` is escaped,
    as GitHub's table parser needs even inside code."""
    shown = controls(text)
    longest = max((len(run) for run in re.findall("`+", shown)), default=0)
    fence = "`" * (longest + 1)
    if in_table:
        shown = shown.replace("|", "\\|")
    pad = " " if shown.startswith(("`", " ")) or shown.endswith(("`", " ")) or not shown else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def html_code(text: object) -> str:
    """Dossier text inside raw HTML (a ``<summary>``): escaped, and in ``<code>``, where GitHub links nothing."""
    return f"<code>{html.escape(controls(text), quote=True)}</code>"


def html_text(text: object) -> str:
    """Text for an HTML page: escaped, with control and bidi characters shown rather than acting."""
    return html.escape(controls(text), quote=True)


# --- spreadsheets (CSV, xlsx) ----------------------------------------------------------------------------------------

# a cell that starts with one of these is read as a formula by spreadsheet software (CSV/formula injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: object) -> str:
    """Dossier text for a spreadsheet cell: controls shown, and a leading ``'`` where it could start a formula."""
    shown = controls(text)
    return "'" + shown if shown.startswith(_FORMULA_START) else shown
