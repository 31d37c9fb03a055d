"""SVG charts drawn on the server for every HTML page: the check report, the store's history and portfolio pages and
the workbench. Inline SVG, no script, every label HTML-escaped (checker/text/inert.py), coordinates rounded: the
same data gives the same bytes."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from checker.report.tables import display_width
from checker.text.inert import html_text

SERIES_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
MODE_COLOURS = {"professional": "#23395d", "community_trusteeship": "#2e7d32", "social_organization": "#ef6c00",
                "owner_self_management": "#6a4c93", None: "#b0b7c3"}
LINE_WIDTH, LINE_HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 48, 150, 28, 40


def number(value: float) -> str:
    """A coordinate or value as SVG gets it: one decimal at most, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def text_width(label: str, size: float = 13) -> float:
    """About how wide a label is drawn: a character two terminal columns wide (CJK) is square, others about half."""
    return sum(size if display_width(ch) == 2 else size * 0.56 for ch in label)


@dataclass(frozen=True)
class Segment:
    """One coloured piece of a bar: its value and the tooltip that names it."""
    value: float
    colour: str
    title: str


def segments(parts: Sequence[Segment], x: float, y: float, span: float, top: float, height: float,
             shown: Callable[[float], str] = number) -> tuple[str, float]:
    """Rectangles side by side from ``x``, each ``span * value / top`` wide (empty ones left out); the SVG and where
    the last one ends."""
    out = []
    for part in parts:
        if not part.value:
            continue
        w = span * part.value / top
        out.append(f'<rect x="{shown(x)}" y="{number(y)}" width="{shown(w)}" height="{number(height)}" '
                   f'fill="{part.colour}"><title>{html_text(part.title)}</title></rect>')
        x += w
    return "".join(out), x


def _svg(width: float, height: float, body: str, title: str | None, font_size: int) -> str:
    label = f"<title>{html_text(title)}</title>" if title else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{number(width)}" '
            f'height="{number(height)}" viewBox="0 0 {number(width)} {number(height)}" font-size="{font_size}">'
            f"{label}{body}</svg>")


def _bar_rows(rows: Sequence[tuple[str, Sequence[Segment]]], width: float, title: str | None = None,
              series: Sequence[tuple[str, str]] = (), font_size: int = 13, pitch: int = 22, bar: int = 16) -> str:
    """Labelled horizontal bars of stacked segments, each with its total after it; above them the title and the
    legend (``series``: (label, colour)), wrapped to the width."""
    parts = []
    y = 0.0
    if title:
        parts.append(f'<text x="4" y="16" font-size="13">{html_text(title)}</text>')
        y = 25.0
    if series:
        x, y = 0.0, y + 4
        for label, colour in series:
            step = 24 + text_width(label, font_size)
            if x and x + step > width:
                x, y = 0.0, y + 18
            parts.append(f'<rect x="{number(x)}" y="{number(y)}" width="11" height="11" fill="{colour}"></rect>'
                         f'<text x="{number(x + 15)}" y="{number(y + 10)}">{html_text(label)}</text>')
            x += step
        y += 18
    label_width = max((text_width(label, font_size) for label, _ in rows), default=0) + 12
    top = max((sum(p.value for p in row) for _, row in rows), default=0) or 1
    span = width - label_width - 50
    baseline = bar / 2 + font_size * 0.36  # the label's baseline, its middle level with the bar's
    for i, (label, row) in enumerate(rows):
        row_y = y + i * pitch + 3
        rects, end = segments(row, label_width, row_y, span, top, bar)
        parts.append(f'<text x="{number(label_width - 6)}" y="{number(row_y + baseline)}" text-anchor="end">'
                     f'{html_text(label)}</text>{rects}'
                     f'<text x="{number(end + 6)}" y="{number(row_y + baseline)}">'
                     f'{number(sum(p.value for p in row))}</text>')
    return _svg(width, y + pitch * len(rows) + 6, "".join(parts), title, font_size)


def bars(rows: Sequence[tuple[str, float]], width: int = 520, colour: str = "#c62828", title: str | None = None,
         font_size: int = 13) -> str:
    """Horizontal bars, one per (label, value), the largest as wide as the chart allows."""
    return _bar_rows([(label, [Segment(value, colour, f"{label}: {number(value)}")]) for label, value in rows],
                     width, title, font_size=font_size)


def stacked(rows: Sequence[tuple[str, dict]], series: Sequence[tuple[object, str, str]], width: int = 520,
            title: str | None = None) -> str:
    """Horizontal stacked bars: rows of (label, {series key: count}); series of (key, label, colour), the legend
    above, wrapped to the width."""
    return _bar_rows([(label, [Segment(counts.get(key, 0), colour, f"{label} · {name}: {counts.get(key, 0)}")
                               for key, name, colour in series]) for label, counts in rows],
                     width, title, [(name, colour) for _key, name, colour in series])


def line_chart(title: str, labels: Sequence[str], series: Sequence[tuple], fraction: bool = False) -> str:
    """``series``: (name, values) with one value (or None: no value) per label, or (name, values, "dashed") for a
    line drawn dashed (a total over the others); ``fraction``: values in 0..1."""
    plot_w, plot_h = LINE_WIDTH - LEFT - RIGHT, LINE_HEIGHT - TOP - BOTTOM
    peak = max([v for _, values, *_style in series for v in values if v is not None] or [0])
    top = _ceiling(peak, fraction)
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h - (v / top) * plot_h if top else TOP + plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{LINE_WIDTH}" height="{LINE_HEIGHT}" '
             f'viewBox="0 0 {LINE_WIDTH} {LINE_HEIGHT}"><title>{html_text(title)}</title>',
             f'<text x="{LEFT}" y="16" font-size="13">{html_text(title)}</text>',
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#888"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#888"/>']
    for tick in (0, top / 2, top):
        shown = f"{tick:.0%}" if fraction else number(tick)
        parts.append(f'<text x="{LEFT - 6}" y="{number(y(tick) + 4)}" font-size="11" text-anchor="end">{shown}</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text x="{number(x(i))}" y="{LINE_HEIGHT - BOTTOM + 16}" font-size="11" text-anchor="middle">'
                     f'{html_text(label)}</text>')
    for k, (name, values, *style) in enumerate(series):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        dash = ' stroke-dasharray="6 4"' if "dashed" in style else ""
        if len(points) > 1:
            path = " ".join(f"{number(px)},{number(py)}" for px, py in points)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{path}"/>')
        for px, py in points:
            parts.append(f'<circle cx="{number(px)}" cy="{number(py)}" r="3" fill="{colour}"/>')
        legend_y = TOP + 14 * k + 6
        parts.append(f'<rect x="{LINE_WIDTH - RIGHT + 12}" y="{legend_y - 8}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{LINE_WIDTH - RIGHT + 26}" y="{legend_y + 1}" font-size="11">{html_text(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _ceiling(peak: float, fraction: bool) -> float:
    """The top of a line chart's scale: 1 for fractions, else a round number at or above the peak."""
    if fraction:
        return 1.0
    top = 1
    while top < peak:
        top = top * 2 if top < 10 else top + 10 ** (len(str(int(top))) - 1)
    return float(top)
