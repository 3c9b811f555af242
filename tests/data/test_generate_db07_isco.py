"""``kodeks data generate --column branche=db07 --column stilling=isco-08``: branch codes (DB07) and
occupations (ISCO-08) drawn from the real bundled classifications, which ``kodeks data validate``
then finds valid at each row's date, but for the documented blanks and typos."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import polars as pl
import pytest

from kodeks.cli.main import run

ROWS = 2_000
#: The demo's own import of the bundled DB07 and ISCO-08 sheets (``kodeks.cli.demo.BUNDLED``).
SHEETS = (("db07_dksic.tsv", "db07", "DB07", "db07"), ("ISCOGroups_en.csv", "isco-08", "ISCO-08", "isco08"))


@pytest.fixture(scope="module")
def db(kle_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    target = tmp_path_factory.mktemp("db07-isco") / "kle.sqlite"
    shutil.copy(kle_db.removeprefix("sqlite:///"), target)
    url = f"sqlite:///{target}"
    root = resources.files("kodeks") / "resources"
    for name, cid, release, preset in SHEETS:
        path = Path(str(root / name))
        args = ["import", str(path), "--classification", cid, "--format", "tabular", "--release", release]
        assert run([*args, "--release-date", "2008-01-01", "--option", f"preset={preset}", "--db", url]) == 0
    return url


def test_db07_and_isco_columns_validate_at_each_rows_date(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "sager.parquet"
    args = ["data", "generate", "--rows", str(ROWS), "-o", str(target), "--seed", "4"]
    assert run([*args, "--column", "branche=db07", "--column", "stilling=isco-08", "--db", db]) == 0
    frame = pl.read_parquet(target)
    assert frame.columns == ["sagsnr", "kle", "oprettet", "kommunekode", "branche", "stilling"]
    capsys.readouterr()
    for column, cid, level in (("branche", "db07", 5), ("stilling", "isco-08", 4)):
        checked = tmp_path / f"{column}.parquet"
        validate = [
            "data",
            "validate",
            str(target),
            "--column",
            f"{column}={cid}",
            "--date-column",
            "oprettet",
        ]
        assert run([*validate, "--level", str(level), "-o", str(checked), "--json", "--db", db]) == 0
        found = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        s = found["statuses"]
        assert found["rows"] == ROWS and pl.read_parquet(checked).height == ROWS
        assert s["valid"] + s["empty"] + s["malformed"] == ROWS, s  # no code drawn outside its validity
        assert 0.95 < s["valid"] / ROWS < 0.995 and s["empty"] > 0 and s["malformed"] > 0
