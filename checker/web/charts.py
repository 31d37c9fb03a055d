"""SVG charts of the portfolio, drawn on the server: no script, no external asset, every label escaped."""
from __future__ import annotations

from checker.text.inert import html_text as _e

def text_width(label: str, size: int = 13) -> float:
    """About how wide a label is drawn (CJK characters are square, Latin ones about half as wide)."""
    return sum(size if ord(ch) > 0x2e80 else size * 0.56 for ch in label)


MODE_COLOURS = {"professional": "#23395d", "community_trusteeship": "#2e7d32", "social_organization": "#ef6c00",
                "owner_self_management": "#6a4c93", None: "#b0b7c3"}


def bars(rows: list, width: int = 520, bar_height: int = 22, colour: str = "#c62828") -> str:
    """Horizontal bars: rows of (label, value)."""
    label_width = max((text_width(label) for label, _ in rows), default=0) + 12
    top = max((v for _, v in rows), default=0) or 1
    span = width - label_width - 50
    height = bar_height * len(rows) + 6
    parts = []
    for i, (label, value) in enumerate(rows):
        y = i * bar_height + 3
        w = span * value / top
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height * 0.68:.1f}" text-anchor="end">{_e(label)}</text>'
                     f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height - 6}" fill="{colour}">'
                     f'<title>{_e(label)}: {value}</title></rect>'
                     f'<text x="{label_width + w + 6:.1f}" y="{y + bar_height * 0.68:.1f}">{value}</text>')
    return (f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'font-size="13">{"".join(parts)}</svg>')


def stacked(rows: list, series: list, width: int = 520, bar_height: int = 22) -> str:
    """Horizontal stacked bars: rows of (label, {series key: count}); series of (key, label, colour), the legend
    above, wrapped to the width."""
    label_width = max((text_width(label) for label, _ in rows), default=0) + 12
    top = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    span = width - label_width - 50
    parts = []
    x, y = 0.0, 4
    for _key, label, colour in series:
        step = 24 + text_width(label)
        if x and x + step > width:
            x, y = 0.0, y + 18
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="11" height="11" fill="{colour}"></rect>'
                     f'<text x="{x + 15:.1f}" y="{y + 10}">{_e(label)}</text>')
        x += step
    legend_height = y + 18
    height = bar_height * len(rows) + legend_height + 6
    for i, (label, counts) in enumerate(rows):
        y = legend_height + i * bar_height + 3
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height * 0.68:.1f}" text-anchor="end">{_e(label)}</text>')
        x = float(label_width)
        for key, name, colour in series:
            n = counts.get(key, 0)
            if not n:
                continue
            w = span * n / top
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height - 6}" fill="{colour}">'
                         f'<title>{_e(label)} · {_e(name)}: {n}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_height * 0.68:.1f}">{sum(counts.values())}</text>')
    return (f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'font-size="13">{"".join(parts)}</svg>')
