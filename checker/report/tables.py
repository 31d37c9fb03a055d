"""Plain-text tables for terminals and text reports: CJK characters take two columns."""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def aligned(head: list, rows: list) -> list:
    """The lines of a table: header, a rule of dashes, one line per row; columns padded to their widest cell."""
    widths = [max(display_width(x) for x in column) for column in zip(head, *rows)]

    def fmt(cells):
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths)).rstrip()

    return [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
