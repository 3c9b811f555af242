"""Validation on hand-picked real KLE cases: every status, each row at its own date, through the
engine, the Python API (Polars and pandas) and the CLI with every file format in and out."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

import kodeks.data
from kodeks.bootstrap import Kodeks
from kodeks.cli.main import run
from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.status import Status
from kodeks.domain.data.valid_time import ValidTimeTable, build_table
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.timeline import Fact
from kodeks.engines.polars_engine import PolarsEngine
from kodeks.formats import datasets
from kodeks.services import queries
from kodeks.services.queries import When

#: (code, row date, status, suggestion, title): real KLE history (2015 XML, 2023 OS2mo, 2026 OS2KLE).
CASES = [
    ("27.24.03", "2018-07-01", "valid", None, "Børnefaglig undersøgelse"),
    ("00.10.00", "2012-05-01", "valid", None, "Integration og udlændinge i almindelighed"),
    (
        "00.10.00",
        "2016-01-01",
        "moved",
        "15.40.00",
        "Integration og udlændinge i almindelighed",
    ),  # moved 2014
    ("00.10.17", "2020-01-01", "moved", "15.40.15", "Integrationsplaner"),
    ("00.10.17", "2026-06-01", "expired", "2014-11-01", "Integrationsplaner"),  # its successor went in 2026
    ("09.17.25", "2010-01-01", "expired", "2007-08-01", "Tilsyn og håndhævelse"),  # successor not yet there
    ("09.17.25", "2020-01-01", "moved", "09.17.60", "Tilsyn og håndhævelse"),
    (
        "00.02.00",
        "2010-01-01",
        "expired",
        "2000-01-01",
        "Andre myndigheders virksomhed/udvikling i almindelighed",
    ),
    ("00.15.12", "2018-01-01", "expired", "2014-11-01", "Kvalitetsstyringssystem, sagsbehandling"),
    ("00.15.12", "2024-01-01", "valid", None, "Kvalitetsstyringssystem, sagsbehandling"),  # came back in 2023
    ("00.07.17", "2020-01-01", "not_yet_valid", "2023-01-01", "Forskelsbehandling og diskrimination"),
    ("27.24", "2018-07-01", "wrong_level", None, "Særlig støtte til børn og unge"),
    ("99.99.99", "2018-07-01", "unknown", None, None),
    ("27.24.3", "2018-07-01", "malformed", None, None),
    ("2724", "2018-07-01", "malformed", None, None),
    ("", "2018-07-01", "empty", None, None),
    (None, "2018-07-01", "empty", None, None),
    ("27.24.03", "31-02-2018", "bad_date", None, None),
    ("27.24.03", None, "bad_date", None, None),
]
DATE_FORMS = ["2018-07-01", "01-07-2018", "01.07.2018", "01/07/2018", "2018-07-01T09:30:00", "20180701"]


def cases_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "sagsnr": [f"S{i:03d}" for i in range(len(CASES))],
            "kle": [c[0] for c in CASES],
            "oprettet": [c[1] for c in CASES],
        },
        schema={"sagsnr": pl.String, "kle": pl.String, "oprettet": pl.String},
    )


def expected() -> list[tuple[str, str | None, str | None]]:
    return [(c[2], c[3], c[4]) for c in CASES]


def statuses(frame: pl.DataFrame) -> list[tuple[str, str | None, str | None]]:
    return list(frame.select("kle_status", "kle_suggestion", "kle_title").iter_rows())


def test_every_status_on_real_kle_through_the_python_api(real_kle: Kodeks) -> None:
    checked = kodeks.data.validate(cases_frame(), "kle", date_column="oprettet", level=3, registry=real_kle)
    assert statuses(checked) == expected()
    assert checked.columns == ["sagsnr", "kle", "oprettet", "kle_status", "kle_suggestion", "kle_title"]
    assert checked["sagsnr"].to_list() == cases_frame()["sagsnr"].to_list()  # every row, in order


def test_pandas_gets_the_same_statuses_back_as_pandas(real_kle: Kodeks) -> None:
    pd = pytest.importorskip("pandas")
    checked = kodeks.data.validate(
        cases_frame().to_pandas(), "kle", date_column="oprettet", level=3, registry=real_kle
    )
    assert isinstance(checked, pd.DataFrame)
    assert [s for s in checked["kle_status"]] == [e[0] for e in expected()]


def test_a_lazy_frame_stays_lazy(real_kle: Kodeks) -> None:
    checked = kodeks.data.validate(cases_frame().lazy(), "kle", date_column="oprettet", registry=real_kle)
    assert isinstance(checked, pl.LazyFrame)
    assert checked.collect().height == len(CASES)


@pytest.mark.parametrize("form", DATE_FORMS)
def test_common_date_forms_are_read(kle_table: ValidTimeTable, form: str) -> None:
    frame = pl.DataFrame({"kle": ["00.10.00"], "d": [form]})
    out = PolarsEngine().validate(frame, kle_table, ValidateSpec("kle", "kle", "d")).collect()
    assert out["kle_status"].to_list() == ["moved"]


def test_date_and_datetime_columns_are_read_as_such(kle_table: ValidTimeTable) -> None:
    frame = pl.DataFrame({"kle": ["00.10.00", "00.10.00"], "d": [date(2012, 1, 1), date(2016, 1, 1)]})
    frame = frame.with_columns(pl.col("d").cast(pl.Datetime).alias("t"))
    engine = PolarsEngine()
    for col in ("d", "t"):
        out = engine.validate(frame, kle_table, ValidateSpec("kle", "kle", col)).collect()
        assert out["kle_status"].to_list() == ["valid", "moved"]


def test_one_date_for_every_row(real_kle: Kodeks) -> None:
    checked = kodeks.data.validate(cases_frame(), "kle", at=date(2016, 1, 1), registry=real_kle)
    assert checked.filter(pl.col("kle") == "00.10.00")["kle_status"].to_list() == ["moved", "moved"]


def test_known_at_reads_the_registry_as_it_was(real_kle: Kodeks) -> None:
    """Known just after the 2015 release was recorded, the 2023 emne 00.07.17 is not a KLE code."""
    first = min(v.recorded_at for v in queries.versions(real_kle.uow, "kle"))
    frame = pl.DataFrame({"kle": ["00.07.17", "00.10.00"], "d": ["2024-01-01", "2012-01-01"]})
    then = kodeks.data.validate(frame, "kle", date_column="d", known_at=first, registry=real_kle)
    now = kodeks.data.validate(frame, "kle", date_column="d", registry=real_kle)
    assert then["kle_status"].to_list() == ["unknown", "valid"]
    assert now["kle_status"].to_list() == ["valid", "valid"]
    assert When.of(None, first - timedelta(days=1)).known_at < first


def test_local_codes_of_a_profile_are_local(real_kle: Kodeks) -> None:
    """A municipality's local code under a real KLE group (the profile's local codes are facts)."""
    with real_kle.uow() as uow:
        facts = uow.facts_known_at("kle", When.of().known_at)
    local = Item(
        "27.24.90", titles={"da": "Lokal: netværksmøder"}, parent="27.24", valid=Period(date(2020, 1, 1))
    )
    table = build_table("kle", facts, [Fact(local, "profile:751-kle", local.valid)], profile="751-kle")
    frame = pl.DataFrame(
        {"kle": ["27.24.90", "27.24.90", "27.24.03"], "d": ["2021-03-01", "2019-03-01", "2021-03-01"]}
    )
    out = PolarsEngine().validate(frame, table, ValidateSpec("kle", "kle", "d")).collect()
    assert out["kle_status"].to_list() == ["local", "not_yet_valid", "valid"]
    assert out["kle_title"].to_list()[0] == "Lokal: netværksmøder"


def test_summary_counts_statuses_unknown_values_years_and_top_level(real_kle: Kodeks) -> None:
    summary = kodeks.data.summarize(cases_frame(), "kle", date_column="oprettet", level=3, registry=real_kle)
    assert summary.rows == len(CASES)
    assert summary.statuses == {s.value: [c[2] for c in CASES].count(s.value) for s in Status}
    assert summary.top_unknown == (("99.99.99", 1),)
    assert dict(summary.invalid_by_year)[2020] == 3  # moved twice, not yet valid once
    assert dict(summary.by_top)["00"] == 2 and dict(summary.by_top)["27"] == 1


SUFFIXES = [".parquet", ".csv", ".xlsx", ".jsonl"]


def _write_input(frame: pl.DataFrame, path: Path) -> None:
    if path.suffix == ".csv":
        frame.write_csv(path, separator=";")
    else:
        datasets.write(frame.lazy(), path)


@pytest.mark.parametrize(("into", "out"), list(zip(SUFFIXES, [*SUFFIXES[1:], SUFFIXES[0]], strict=True)))
def test_every_format_in_and_out_keeps_every_row_and_column(
    kle_table: ValidTimeTable, tmp_path: Path, into: str, out: str
) -> None:
    source, target = tmp_path / f"sager{into}", tmp_path / f"checked{out}"
    _write_input(cases_frame(), source)
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    datasets.write(PolarsEngine().validate(datasets.scan(source), kle_table, spec), target)
    written = datasets.scan(target).collect()
    assert written.height == len(CASES)
    assert written["sagsnr"].to_list() == cases_frame()["sagsnr"].to_list()
    assert statuses(written) == expected()


def test_the_cli_writes_the_rows_and_prints_the_summary_as_json_last(
    kle_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "sager.csv", tmp_path / "checked.parquet"
    _write_input(cases_frame(), source)
    args = [
        "data",
        "validate",
        str(source),
        "--column",
        "kle=kle",
        "--date-column",
        "oprettet",
        "--level",
        "3",
    ]
    assert run([*args, "-o", str(target), "--json", "--fail-on", "unknown>0.2", "--db", kle_db]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["rows"] == len(CASES) and last["statuses"]["moved"] == 3
    assert statuses(pl.read_parquet(target)) == expected()


def test_fail_on_sets_the_exit_code(kle_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "sager.parquet"
    cases_frame().write_parquet(source)
    base = ["data", "validate", str(source), "--column", "kle", "--date-column", "oprettet", "--db", kle_db]
    assert run([*base, "--fail-on", "unknown>0.01,malformed>=2"]) == 6
    captured = capsys.readouterr()
    assert (
        "threshold broken: unknown>0.01" in captured.err and "threshold broken: malformed>=2" in captured.err
    )
    assert "moved" in captured.out and "unknown" in captured.out


def test_without_a_date_every_row_is_read_today(real_kle: Kodeks, kle_table: ValidTimeTable) -> None:
    today = date.today()
    current = next(s.code for s in kle_table.segments if s.status is Status.VALID and s.contains(today))
    checked = kodeks.data.validate(pl.DataFrame({"kle": [current, "00.10.00"]}), "kle", registry=real_kle)
    assert checked["kle_status"].to_list() == ["valid", "moved"]


def test_a_profile_that_does_not_exist_is_not_found(real_kle: Kodeks) -> None:
    from kodeks.errors import NotFound

    with pytest.raises(NotFound, match="no profile 'nope'"):
        kodeks.data.validate(cases_frame(), "kle", date_column="oprettet", profile="nope", registry=real_kle)
