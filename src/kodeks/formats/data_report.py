"""Self-contained HTML reports of a validation and of a quality declaration: inline SVG plots, inline
CSS, no script, no request to anywhere. Danish by default (``lang="en"`` for English)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from kodeks.domain.data.quality import DIMENSIONS, METRICS, Declaration, Measurement
from kodeks.domain.data.summary import Summary

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}"
    "table{border-collapse:collapse}td,th{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font-size:12px}"
)
WORDS = {
    "da": {
        "report": "Valideringsrapport",
        "status": "status",
        "rows": "rækker",
        "share": "andel",
        "unknown": "Hyppigste ukendte værdier",
        "years": "Ugyldige værdier pr. år",
        "top": "Gyldige rækker pr. hovedgruppe",
        "quality": "Datakvalitetsdeklaration",
        "dimension": "dimension",
        "metric": "mål",
        "column": "kolonne",
        "value": "værdi",
        "map": "Andel gyldige koder pr. kommune",
    },
    "en": {
        "report": "Validation report",
        "status": "status",
        "rows": "rows",
        "share": "share",
        "unknown": "Most frequent unknown values",
        "years": "Invalid values by year",
        "top": "Valid rows by top-level code",
        "quality": "Data quality declaration",
        "dimension": "dimension",
        "metric": "metric",
        "column": "column",
        "value": "value",
        "map": "Share of valid codes by municipality",
    },
}


def bars(pairs: Sequence[tuple[str, float]], *, width: int = 560, label_width: int = 120) -> str:
    """A horizontal bar chart as inline SVG (bars scaled to the largest value)."""
    if not pairs:
        return ""
    top = max(v for _, v in pairs) or 1.0
    row = 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row * len(pairs) + 4}" role="img">'
    ]
    for i, (label, value) in enumerate(pairs):
        y = i * row + 2
        w = (width - label_width - 80) * value / top
        parts.append(f'<text x="0" y="{y + 14}">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="14" fill="#2b6cb0"/>')
        shown = f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.3f}"
        parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 14}">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _page(title: str, body: str, lang: str) -> str:
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>\n"
    )


def validation_html(summary: Summary, source: str, lang: str = "da") -> str:
    w = WORDS.get(lang, WORDS["da"])
    rows = "".join(
        f"<tr><td>{escape(k)}</td><td class=n>{v:,}</td><td class=n>{summary.share(k):.2%}</td></tr>"
        for k, v in summary.statuses.items()
        if v
    )
    body = [
        f"<h1>{w['report']}: {escape(source)}</h1>",
        f"<p>{escape(summary.column)} → {escape(summary.classification)}, {summary.rows:,} {w['rows']}</p>",
        f"<table><tr><th>{w['status']}</th><th>{w['rows']}</th><th>{w['share']}</th></tr>{rows}</table>",
        bars([(k, float(v)) for k, v in summary.statuses.items() if v]),
    ]
    if summary.invalid_by_year:
        body += [f"<h2>{w['years']}</h2>", bars([(str(y), float(n)) for y, n in summary.invalid_by_year])]
    if summary.top_unknown:
        body += [f"<h2>{w['unknown']}</h2>", bars([(v, float(n)) for v, n in summary.top_unknown])]
    if summary.by_top:
        body += [f"<h2>{w['top']}</h2>", bars([(c, float(n)) for c, n in summary.by_top[:40]])]
    return _page(f"{w['report']}: {source}", "".join(body), lang)


def against(m: Measurement) -> str:
    """`` / gruppe``: the other column of a measure between two columns, as the report shows it."""
    return f" / {m.against}" if m.against else ""


def quality_html(declaration: Declaration, lang: str = "da", map_svg: str = "") -> str:
    w = WORDS.get(lang, WORDS["da"])
    rows = []
    for key, found in declaration.by_dimension().items():
        d = DIMENSIONS[key]
        for m in found:
            metric = METRICS[m.metric]
            label = metric.da if lang == "da" else metric.en
            shown = f"{m.value:.1f}" if metric.unit == "days" else f"{m.value:.2%}"
            rows.append(
                f'<tr><td><a href="{escape(d.uri)}">{escape(d.da if lang == "da" else d.en)}</a></td>'
                f"<td>{escape(label)}</td><td>{escape(m.column or '')}{escape(against(m))}</td>"
                f"<td class=n>{shown}</td></tr>"
            )
    shares = [
        (f"{m.column or ''}{against(m)} {m.metric}", m.value)
        for m in declaration.measurements
        if METRICS[m.metric].unit == "share"
    ]
    body = (
        f"<h1>{w['quality']}: {escape(declaration.dataset)}</h1><p>{declaration.rows:,} {w['rows']}</p>"
        f"<table><tr><th>{w['dimension']}</th><th>{w['metric']}</th><th>{w['column']}</th><th>{w['value']}</th></tr>"
        + "".join(rows)
        + "</table>"
        + bars(shares, label_width=220)
        + (f"<h2>{w['map']}</h2>{map_svg}" if map_svg else "")
    )
    return _page(f"{w['quality']}: {declaration.dataset}", body, lang)
