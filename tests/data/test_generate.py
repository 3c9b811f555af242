"""The case-extract generator draws from the real KLE history: every row's code and date are real,
with the documented share of errors; the same seed gives the same rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from kodeks.cli.main import run
from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.engines.generate import Mix, generate
from kodeks.engines.polars_engine import PolarsEngine


def test_a_thousand_cases_hold_the_errors_of_real_extracts(kle_table: ValidTimeTable) -> None:
    cases = generate(
        kle_table, 1_000, seed=3, mix=Mix(outdated=0.1, typo=0.05, wrong_level=0.05, blank=0.05, local=0.05)
    )
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    engine = PolarsEngine()
    summary = engine.summarize(engine.validate(cases, kle_table, spec), kle_table, spec)
    s = summary.statuses
    assert summary.rows == 1_000
    assert 550 < s["valid"] < 800
    assert (
        s["expired"] + s["moved"] > 50 and s["malformed"] > 20 and s["wrong_level"] > 20 and s["empty"] > 20
    )
    assert s["unknown"] > 20  # local codes, unknown without their profile
    assert s["bad_date"] == 0 and s["not_yet_valid"] == 0


def test_the_same_seed_gives_the_same_rows(kle_table: ValidTimeTable) -> None:
    a = generate(kle_table, 50, seed=7).collect()
    assert a.equals(generate(kle_table, 50, seed=7).collect())
    assert not a.equals(generate(kle_table, 50, seed=8).collect())
    assert a.columns == ["sagsnr", "kle", "oprettet", "kommunekode"] and a["sagsnr"][0] == "S000000001"


def test_the_generate_command_writes_the_file(kle_db: str, tmp_path: Path) -> None:
    target = tmp_path / "sager.parquet"
    assert run(["data", "generate", "--rows", "1000", "-o", str(target), "--db", kle_db]) == 0
    assert pl.read_parquet(target).height == 1_000


def test_impossible_shares_are_refused(kle_table: ValidTimeTable) -> None:
    with pytest.raises(ValueError, match="shares"):
        generate(kle_table, 10, mix=Mix(outdated=0.9, typo=0.2))


def test_the_default_mix_is_about_92_percent_valid_and_passes_the_readme_threshold(
    kle_table: ValidTimeTable,
) -> None:
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    engine = PolarsEngine()
    summary = engine.summarize(engine.validate(generate(kle_table, 5_000), kle_table, spec), kle_table, spec)
    assert 0.90 < summary.share("valid") < 0.95
    assert summary.share("unknown") <= 0.01  # --fail-on 'unknown>0.01' exits 0


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_validate_counts_the_rows_on_a_terminal(
    kle_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """On a terminal, a bar counts the rows as the engine reads them (with the total from a Parquet
    footer); every row is counted once."""
    import io

    from rich.console import Console

    from kodeks.cli import data as data_cli

    cases = tmp_path / "sager.parquet"
    assert run(["data", "generate", "--rows", "3000", "-o", str(cases), "--db", kle_db]) == 0
    source = cases if suffix == ".parquet" else tmp_path / "sager.csv"
    if suffix == ".csv":
        pl.read_parquet(cases).write_csv(source)
    screen = io.StringIO()
    monkeypatch.setattr(data_cli, "err", Console(file=screen, force_terminal=True, width=120))
    args = ["data", "validate", str(source), "--column", "kle=kle", "--date-column", "oprettet"]
    assert run([*args, "-o", str(tmp_path / f"out{suffix}"), "--db", kle_db]) == 0
    shown = screen.getvalue()
    total = "3000/3000" if suffix == ".parquet" else "3000/?"
    assert "validating sager" in shown and total in shown
