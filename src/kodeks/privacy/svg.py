"""Tiny inline SVG bar charts for the HTML reports (no plotting library)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

COLOURS = ("#1f5f8b", "#d9822b", "#3a9d5d", "#8e44ad")


def bar_chart(
    title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]], percent: bool = False
) -> str:
    width, height, left, bottom, top = 640, 260, 50, 50, 30
    groups = max(len(labels), 1)
    peak = max([max(v, default=0.0) for v in series.values()] + [1e-12])
    plot_w, plot_h = width - left - 10, height - bottom - top
    slot = plot_w / groups
    bar = slot * 0.8 / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="{left}" y="18" font-size="14" font-family="sans-serif">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    for s, (name, values) in enumerate(series.items()):
        colour = COLOURS[s % len(COLOURS)]
        for i, value in enumerate(values):
            h = plot_h * value / peak
            x = left + i * slot + slot * 0.1 + s * bar
            shown = f"{value:.1%}" if percent else f"{value:g}"
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}">'
                f"<title>{escape(name)} {escape(labels[i])}: {shown}</title></rect>"
            )
        parts.append(
            f'<rect x="{width - 150}" y="{top + 14 * s}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{width - 135}" y="{top + 9 + 14 * s}" font-size="11" font-family="sans-serif">'
            f"{escape(name)}</text>"
        )
    for i, label in enumerate(labels):
        x = left + i * slot + slot / 2
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="10" text-anchor="middle" '
            f'font-family="sans-serif">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
