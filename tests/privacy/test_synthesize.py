from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from kodeks.privacy.errors import ColumnError, ConfigError, InputError
from kodeks.privacy.fidelity import fidelity
from kodeks.privacy.synthesize import rho_from_epsilon, synthesize

from .privacy_factories import small_table


def test_rho_conversion_is_monotone() -> None:
    assert 0 < rho_from_epsilon(0.5, 1e-9) < rho_from_epsilon(1.0, 1e-9) < rho_from_epsilon(10.0, 1e-9)
    with pytest.raises(ConfigError):
        rho_from_epsilon(0, 1e-9)


def test_synthetic_table_has_the_shape_and_domain() -> None:
    real = small_table(3000, 5).drop("name")
    result = synthesize(real, epsilon=5.0, seed=1, method="mst")
    assert result.frame.columns == real.columns and result.frame.height == real.height
    assert len(result.edges) == real.width - 1
    assert set(result.frame["sex"].unique()) <= {"M", "F", "(other)"}
    report = fidelity(real, result.frame, target="disease")
    assert report.tvd_1way < 0.1
    result = synthesize(real, epsilon=5.0, seed=1)  # AIM, the default: only real values come out
    assert result.method == "aim" and result.frame.shape == real.shape
    assert set(result.frame["sex"].unique()) <= {"M", "F"}
    report = fidelity(real, result.frame, target="disease")
    assert report.tvd_1way < 0.1
    assert 0 <= report.exact_match_share <= 1


def test_more_budget_gives_better_fidelity(adult: pl.DataFrame) -> None:
    low = fidelity(adult, synthesize(adult, epsilon=0.05, seed=2).frame).tvd_2way
    high = fidelity(adult, synthesize(adult, epsilon=5.0, seed=2).frame).tvd_2way
    assert high < low
    assert high < 0.1


def test_bad_input() -> None:
    with pytest.raises(InputError):
        synthesize(pl.DataFrame({"a": [], "b": []}))
    with pytest.raises(ColumnError):
        synthesize(small_table(10), columns=["sex", "nope"])
    with pytest.raises(ConfigError):
        synthesize(small_table(10), columns=["sex"])


def test_the_cli_offers_both_methods_and_hiding_rare_values(tmp_path: Path) -> None:
    from kodeks.cli.main import run

    source = tmp_path / "people.csv"
    lines = ["town,job"] + [
        f"{'Aarhus' if i % 3 else 'Ry'},{'nurse' if i % 2 else 'smith'}" for i in range(300)
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for method in ("aim", "mst"):
        out, report = tmp_path / f"{method}.csv", tmp_path / f"{method}.json"
        args = ["privacy", "synthesize", str(source), str(out), "--method", method, "--seed", "1"]
        assert run([*args, "--json", str(report), "--hide-rare"]) == 0
        privacy = json.loads(report.read_text())["privacy"]
        assert privacy["method"] == method
        assert privacy["rho_spent"] <= privacy["rho"] + 1e-12
        assert out.read_text().splitlines()[0] == "town,job"
    assert run(["privacy", "synthesize", str(source), str(tmp_path / "x.csv"), "--method", "gan"]) != 0
    assert not (tmp_path / "x.csv").exists()
