"""Small SVG charts for the store's HTML pages: a line chart over dates and a bar chart. Inline SVG, no script,
every label HTML-escaped (checker/text/inert.py), coordinates rounded: the same data gives the same bytes."""
from __future__ import annotations

from checker.text.inert import html_text

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 48, 150, 28, 40


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _ceiling(peak: float, fraction: bool) -> float:
    if fraction:
        return 1.0
    top = 1
    while top < peak:
        top = top * 2 if top < 10 else top + 10 ** (len(str(int(top))) - 1)
    return float(top)


def line_chart(title: str, labels: list, series: list, fraction: bool = False) -> str:
    """``series``: (name, values) with one value (or None: no value) per label, or (name, values, "dashed") for a
    line drawn dashed (a total over the others); ``fraction``: values in 0..1."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    peak = max([v for _, values, *_style in series for v in values if v is not None] or [0])
    top = _ceiling(peak, fraction)
    step = plot_w / max(len(labels) - 1, 1)

    def x(i):
        return LEFT + (i * step if len(labels) > 1 else plot_w / 2)

    def y(v):
        return TOP + plot_h - (v / top) * plot_h if top else TOP + plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}"><title>{html_text(title)}</title>',
             f'<text x="{LEFT}" y="16" font-size="13">{html_text(title)}</text>',
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#888"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#888"/>']
    for tick in (0, top / 2, top):
        shown = f"{tick:.0%}" if fraction else _n(tick)
        parts.append(f'<text x="{LEFT - 6}" y="{_n(y(tick) + 4)}" font-size="11" text-anchor="end">{shown}</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text x="{_n(x(i))}" y="{HEIGHT - BOTTOM + 16}" font-size="11" text-anchor="middle">'
                     f'{html_text(label)}</text>')
    for k, (name, values, *style) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        dash = ' stroke-dasharray="6 4"' if "dashed" in style else ""
        if len(points) > 1:
            path = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{path}"/>')
        for px, py in points:
            parts.append(f'<circle cx="{_n(px)}" cy="{_n(py)}" r="3" fill="{colour}"/>')
        legend_y = TOP + 14 * k + 6
        parts.append(f'<rect x="{WIDTH - RIGHT + 12}" y="{legend_y - 8}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{WIDTH - RIGHT + 26}" y="{legend_y + 1}" font-size="11">{html_text(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, items: list) -> str:
    """Horizontal bars, one per (label, value), largest scale at the widest bar."""
    bar, gap, label_w = 16, 6, 190
    height = TOP + len(items) * (bar + gap) + 10
    peak = max([v for _, v in items] or [0]) or 1
    plot_w = WIDTH - label_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}"><title>{html_text(title)}</title>',
             f'<text x="4" y="16" font-size="13">{html_text(title)}</text>']
    for i, (label, value) in enumerate(items):
        top = TOP + i * (bar + gap)
        width = plot_w * value / peak
        parts.append(f'<text x="{label_w - 6}" y="{top + bar - 4}" font-size="11" text-anchor="end">'
                     f'{html_text(label)}</text>'
                     f'<rect x="{label_w}" y="{top}" width="{_n(width)}" height="{bar}" fill="{COLOURS[0]}"/>'
                     f'<text x="{_n(label_w + width + 4)}" y="{top + bar - 4}" font-size="11">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
