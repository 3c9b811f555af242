"""Plain factory functions for small tables and hierarchies used by the privacy tests."""

from __future__ import annotations

import numpy as np
import polars as pl

from kodeks.privacy import hierarchy as hier

AGE_WIDTHS = (5, 10, 20)
ADULT_QIS = (
    "sex",
    "age",
    "race",
    "marital-status",
    "education",
    "native-country",
    "workclass",
    "occupation",
    "salary-class",
)


def small_table(rows: int = 60, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "age": rng.integers(18, 70, rows).astype(str),
            "sex": rng.choice(["M", "F"], rows),
            "zip": rng.choice(["2100", "2200", "8000", "8200", "5000"], rows),
            "disease": rng.choice(["flu", "cancer", "hiv", "none"], rows, p=[0.4, 0.2, 0.1, 0.3]),
            "name": [f"person{i}" for i in range(rows)],
        }
    )


def zip_hierarchy() -> hier.Hierarchy:
    return hier.Hierarchy.from_rows(
        "zip",
        [
            ["2100", "21**", "2***", "*"],
            ["2200", "22**", "2***", "*"],
            ["8000", "80**", "8***", "*"],
            ["8200", "82**", "8***", "*"],
            ["5000", "50**", "5***", "*"],
        ],
    )


def disease_hierarchy() -> hier.Hierarchy:
    return hier.Hierarchy.from_rows(
        "disease",
        [
            ["flu", "infection", "*"],
            ["hiv", "infection", "*"],
            ["cancer", "chronic", "*"],
            ["none", "none", "*"],
        ],
    )


def small_hierarchies(frame: pl.DataFrame) -> dict[str, hier.Hierarchy]:
    return {
        "age": hier.from_intervals("age", frame["age"].unique().to_list(), AGE_WIDTHS),
        "sex": hier.identity("sex", ["M", "F"]),
        "zip": zip_hierarchy(),
    }
