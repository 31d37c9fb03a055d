"""Tables of every report: plain text for terminals (CJK characters take two columns), and Markdown rows.

Cells arrive as the medium shows them: callers make dossier text inert (checker/text/inert.py) before it gets here.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def padded(text: str, width: int, right: bool = False) -> str:
    """``text`` filled with spaces to ``width`` terminal columns, on the right (or on the left: numbers)."""
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def aligned(head: Sequence[str], rows: Sequence[Sequence[str]], align: str = "", rule: bool = True,
            indent: str = "") -> list[str]:
    """The lines of a table: header, a rule of dashes (unless ``rule`` is false), one line per row; columns padded to
    their widest cell, two spaces apart. ``align`` has one letter per column, ``l`` or ``r`` (right-aligned:
    numbers); columns it does not reach are left-aligned."""
    widths = [max(display_width(x) for x in column) for column in zip(head, *rows)]

    def line(cells: Sequence[str]) -> str:
        return (indent + "  ".join(padded(c, w, align[i:i + 1] == "r")
                                   for i, (c, w) in enumerate(zip(cells, widths)))).rstrip()

    dashes = [line(["-" * w for w in widths])] if rule else []
    return [line(head), *dashes] + [line(r) for r in rows]


def wrapped(head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int], indent: str = "  ") -> list[str]:
    """A table of fixed column widths whose cells wrap onto more lines: columns apart by ``│``, a rule ``─┼─`` under
    the header. For long prose in cells (recommend --compare), where widest-cell columns would not fit a terminal."""
    out = []

    def emit(cells: Sequence[str]) -> None:
        lines = [wrap(str(cell), widths[i]) for i, cell in enumerate(cells)]
        for k in range(max(len(cell) for cell in lines)):
            parts = [padded(cell[k] if k < len(cell) else "", widths[i]) for i, cell in enumerate(lines)]
            out.append((indent + " │ ".join(parts)).rstrip())

    emit(head)
    out.append(indent + "─┼─".join("─" * w for w in widths))
    for row in rows:
        emit(row)
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` terminal columns: between words, or between CJK characters."""
    lines, line = [], ""
    for word in _words(text):
        if line and display_width(line + word) > width:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    if line or not lines:
        lines.append(line.rstrip())
    return lines


def _words(text: str) -> Iterator[str]:
    """Words for wrapping: runs of non-space latin text with their trailing space; single CJK characters."""
    token = ""
    for ch in text:
        if display_width(ch) == 2:
            if token:
                yield token
                token = ""
            yield ch
        else:
            token += ch
            if ch == " ":
                yield token
                token = ""
    if token:
        yield token


def markdown_row(cells: Sequence[str]) -> str:
    """One Markdown table row of cells already escaped for Markdown."""
    return "| " + " | ".join(cells) + " |"


def markdown_head(head: Sequence[str]) -> list[str]:
    """A Markdown table's header row (cells already escaped) and the line under it."""
    return [markdown_row(head), "|" + "---|" * len(head)]
