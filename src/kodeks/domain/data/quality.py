"""A dataset's quality declared in the Danish public sector's core dimensions (Fælles sprog for
datakvalitet, ``CoreDataQualityDimensions``): completeness (komplethed), accuracy (korrekthed),
currentness (aktualitet) and reusability (genbrugelighed) — the dimension URIs are the model's own.

Each measurement belongs to one dimension, one metric and (where it applies) one bound column; its
value is a share in [0, 1] unless the metric says days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CORE = "https://data.gov.dk/model/core/CoreDataQualityDimensions#"


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    uri: str
    da: str
    en: str


DIMENSIONS = {
    "completeness": Dimension("completeness", CORE + "Completeness", "komplethed", "completeness"),
    "accuracy": Dimension("accuracy", CORE + "Accuracy", "korrekthed", "accuracy"),
    "currentness": Dimension("currentness", CORE + "Currentness", "aktualitet", "currentness"),
    "reusability": Dimension("reusability", CORE + "Reusability", "genbrugelighed", "reusability"),
}


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    dimension: str
    da: str
    en: str
    unit: str = "share"


METRICS = {
    m.key: m
    for m in (
        Metric("filled", "completeness", "andel udfyldte værdier", "share of values filled in"),
        Metric(
            "valid_at_date",
            "accuracy",
            "andel gyldige koder på postens dato",
            "share of codes valid at the record's date",
        ),
        Metric("well_formed", "accuracy", "andel koder med korrekt form", "share of codes of a correct form"),
        Metric(
            "parent_consistent",
            "accuracy",
            "andel rækker hvor forælderkolonnen har en overordnet kode på postens dato",
            "share of rows whose parent column holds an ancestor of the code at the record's date",
        ),
        Metric(
            "agrees_via",
            "accuracy",
            "andel rækker hvor to kolonner stemmer overens gennem en korrespondance",
            "share of rows whose two columns agree through a correspondence",
        ),
        Metric(
            "outdated_now",
            "currentness",
            "andel koder gyldige dengang, ikke i dag",
            "share of codes valid then, not today",
        ),
        Metric(
            "median_age_days",
            "currentness",
            "postens alder (median, dage)",
            "age of records (median, days)",
            "days",
        ),
        Metric(
            "published_binding",
            "reusability",
            "bundet til en udgivet klassifikation med licens",
            "bound to a published classification with a licence",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Measurement:
    """``against``: for a measure between two columns, the other column (the parent column of
    ``parent_consistent``; for ``agrees_via`` the other column and the correspondence, as
    ``form via kle-form``)."""

    metric: str
    value: float
    column: str | None = None
    against: str | None = None

    @property
    def dimension(self) -> Dimension:
        return DIMENSIONS[METRICS[self.metric].dimension]


@dataclass(frozen=True, slots=True)
class Declaration:
    dataset: str
    rows: int
    bindings: dict[str, str]
    measurements: tuple[Measurement, ...]
    notes: dict[str, Any] = field(default_factory=dict)

    def by_dimension(self) -> dict[str, list[Measurement]]:
        out: dict[str, list[Measurement]] = {k: [] for k in DIMENSIONS}
        for m in self.measurements:
            out[m.dimension.key].append(m)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "rows": self.rows,
            "bindings": dict(self.bindings),
            "dimensions": {
                key: {
                    "uri": DIMENSIONS[key].uri,
                    "label": {"da": DIMENSIONS[key].da, "en": DIMENSIONS[key].en},
                    "measurements": [
                        {
                            "metric": m.metric,
                            "column": m.column,
                            "against": m.against,
                            "value": m.value,
                            "unit": METRICS[m.metric].unit,
                        }
                        for m in found
                    ],
                }
                for key, found in self.by_dimension().items()
            },
            **self.notes,
        }


def declaration_from_dict(data: dict[str, Any]) -> Declaration:
    """The declaration ``Declaration.as_dict`` wrote (a stored one; unknown metrics are left out)."""
    measurements = tuple(
        Measurement(str(m["metric"]), float(m["value"]), m.get("column"), m.get("against"))
        for d in data.get("dimensions", {}).values()
        for m in d.get("measurements", [])
        if m.get("metric") in METRICS
    )
    return Declaration(str(data["dataset"]), int(data["rows"]), dict(data.get("bindings", {})), measurements)
