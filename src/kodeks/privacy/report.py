"""JSON and HTML reports: risk before and after, utility, the transformation and the verification verdict."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from kodeks.privacy.risk import RiskReport
from kodeks.privacy.svg import bar_chart


@dataclass
class Report:
    title: str
    before: RiskReport | None = None
    after: RiskReport | None = None
    utility: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "risk_before": self.before.as_dict() if self.before else None,
            "risk_after": self.after.as_dict() if self.after else None,
            "utility": self.utility,
            **self.sections,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"

    def to_html(self) -> str:
        body = [f"<h1>{escape(self.title)}</h1>"]
        risks = {name: r for name, r in (("before", self.before), ("after", self.after)) if r is not None}
        if risks:
            keys = (
                "records",
                "classes",
                "prosecutor_max",
                "prosecutor_average",
                "journalist_average",
                "marketer",
                "sample_uniques",
                "records_at_risk",
                "population_uniques",
            )
            rows = "".join(
                f"<tr><th>{escape(k)}</th>"
                + "".join(f"<td>{_fmt(getattr(r, k))}</td>" for r in risks.values())
                + "</tr>"
                for k in keys
            )
            head = "".join(f"<th>{escape(n)}</th>" for n in risks)
            body.append(f"<h2>Re-identification risk</h2><table><tr><th></th>{head}</tr>{rows}</table>")
            first = next(iter(risks.values()))
            labels = [b[0] for b in first.size_histogram]
            body.append(
                bar_chart(
                    "Equivalence classes by size",
                    labels,
                    {n: [b[1] for b in r.size_histogram] for n, r in risks.items()},
                )
            )
            rlabels = [b[0] for b in first.risk_distribution]
            body.append(
                bar_chart(
                    "Share of records by prosecutor risk",
                    rlabels,
                    {n: [b[1] for b in r.risk_distribution] for n, r in risks.items()},
                    percent=True,
                )
            )
        for name, content in [("Utility", self.utility), *self.sections.items()]:
            if content:
                body.append(f"<h2>{escape(name.replace('_', ' ').capitalize())}</h2>{_table(content)}")
        style = (
            "body{font-family:sans-serif;max-width:60rem;margin:2rem auto}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}"
        )
        return (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(self.title)}</title>'
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
        )


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return escape(str(value))


def _table(content: Any) -> str:
    if isinstance(content, Mapping):
        rows = "".join(f"<tr><th>{escape(str(k))}</th><td>{_table(v)}</td></tr>" for k, v in content.items())
        return f"<table>{rows}</table>"
    if isinstance(content, list | tuple):
        return ", ".join(_table(v) for v in content)
    return _fmt(content)
