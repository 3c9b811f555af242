"""The DuckDB engine gives exactly the Polars engine's result on the same data: hand-picked real KLE
cases (every status, dates in many forms) and cases generated from the real KLE history, through the
engine and through ``kodeks data validate --engine duckdb``."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from kodeks.cli.main import run
from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.engines.duckdb_engine import DuckDBEngine
from kodeks.engines.generate import generate
from kodeks.engines.polars_engine import PolarsEngine
from tests.data.test_validate_real_kle import DATE_FORMS, cases_frame, expected, statuses


def _dated_forms() -> pl.DataFrame:
    """The 27.24.03 case on one date written in every form the engines read."""
    return pl.DataFrame(
        {"sagsnr": [f"D{i}" for i in range(len(DATE_FORMS))], "kle": ["00.10.00"] * len(DATE_FORMS)}
    ).with_columns(pl.Series("oprettet", DATE_FORMS))


@pytest.mark.parametrize("frame", [cases_frame(), _dated_forms()], ids=["cases", "date-forms"])
def test_duckdb_gives_the_polars_engines_rows_on_real_kle_cases(
    frame: pl.DataFrame, kle_table: ValidTimeTable
) -> None:
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    embedded = PolarsEngine().validate(frame, kle_table, spec).collect()
    duck = DuckDBEngine().validate(frame, kle_table, spec).pl()
    assert duck.rows() == embedded.rows() and duck.columns == embedded.columns
    if frame.height == len(expected()):
        assert statuses(duck) == expected()


def test_duckdb_gives_the_polars_engines_rows_and_summary_on_generated_cases(
    kle_table: ValidTimeTable, tmp_path: Path
) -> None:
    path = tmp_path / "sager.parquet"
    generate(kle_table, 3_000, seed=7).collect().write_parquet(path)
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    polars_engine, duck = PolarsEngine(), DuckDBEngine()
    embedded = polars_engine.validate(pl.scan_parquet(path), kle_table, spec)
    checked = duck.validate(duck.read(path, "parquet"), kle_table, spec)
    assert checked.pl().rows() == embedded.collect().rows()
    summary = duck.summarize(checked, kle_table, spec)
    assert summary == polars_engine.summarize(embedded, kle_table, spec)
    assert summary.rows == 3_000 and summary.statuses["moved"] > 0 and summary.statuses["malformed"] > 0


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_the_cli_validates_on_duckdb_as_on_polars(
    suffix: str, kle_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kodeks.formats import datasets

    source = tmp_path / f"sager{suffix}"
    datasets.write(cases_frame().lazy(), source)
    found = {}
    for engine in ("polars", "duckdb"):
        target = tmp_path / f"{engine}{suffix}"
        args = ["data", "validate", str(source), "--column", "kle=kle", "--date-column", "oprettet"]
        code = run([*args, "--level", "3", "--engine", engine, "-o", str(target), "--json", "--db", kle_db])
        last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        found[engine] = (code, last, datasets.scan(target).collect().rows())
    assert found["duckdb"] == found["polars"]
    assert found["duckdb"][1]["rows"] == cases_frame().height and found["duckdb"][1]["statuses"]["moved"] == 3
