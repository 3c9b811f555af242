"""The Spark engine in local mode (``local[2]``) gives exactly the embedded engine's result on the same
data: hand-picked real KLE cases and generated cases from the real history.

Needs pyspark (the ``spark`` extra) and a Java runtime (``scripts/java`` installs Debian's). Skipped,
saying why, where either is missing — except in CI (``CI=true``), which must run it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.engines.generate import generate
from kodeks.engines.polars_engine import PolarsEngine
from tests.data.test_validate_real_kle import cases_frame


def _missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install kodeks[spark])"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (scripts/java installs Debian's)"
    return None


@pytest.fixture
def spark() -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Spark tests: {reason}")
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("kodeks-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _both(
    spark: Any, frame: pl.DataFrame, table: ValidTimeTable, spec: ValidateSpec, tmp: Path
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    from kodeks.engines.spark_engine import SparkEngine

    path = tmp / "data.parquet"
    frame.write_parquet(path)
    cols = ["sagsnr", *spec.added]
    embedded = (
        PolarsEngine().validate(pl.scan_parquet(path), table, spec).select(cols).collect().sort("sagsnr")
    )
    engine = SparkEngine(spark)
    distributed = engine.validate(spark.read.parquet(str(path)), table, spec).select(*cols).orderBy("sagsnr")
    return [tuple(r) for r in embedded.iter_rows()], [tuple(r) for r in distributed.collect()]


def _spark_gives_the_embedded_engines_result_on_real_kle_cases(
    spark: Any, kle_table: ValidTimeTable, tmp_path: Path
) -> None:
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    embedded, distributed = _both(spark, cases_frame(), kle_table, spec, tmp_path)
    assert distributed == embedded and len(embedded) == cases_frame().height


def _spark_gives_the_embedded_engines_result_on_generated_cases(
    spark: Any, kle_table: ValidTimeTable, tmp_path: Path
) -> None:
    from kodeks.engines.spark_engine import SparkEngine

    frame = generate(kle_table, 2_000, seed=5).collect()
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    embedded, distributed = _both(spark, frame, kle_table, spec, tmp_path)
    assert distributed == embedded and len(embedded) == 2_000
    checked = SparkEngine(spark).validate(spark.read.parquet(str(tmp_path / "data.parquet")), kle_table, spec)
    summary = SparkEngine(spark).summarize(checked, kle_table, spec)
    engine = PolarsEngine()
    assert summary == engine.summarize(engine.validate(frame, kle_table, spec), kle_table, spec)


def _the_python_api_validates_a_spark_dataframe_lazily(spark: Any, real_kle: Any, tmp_path: Path) -> None:
    import kodeks.data

    path = tmp_path / "cases.parquet"
    cases_frame().write_parquet(path)
    checked = kodeks.data.validate(
        spark.read.parquet(str(path)), "kle", date_column="oprettet", level=3, registry=real_kle
    )
    assert type(checked).__module__.startswith("pyspark")
    polars_result = kodeks.data.validate(
        cases_frame(), "kle", date_column="oprettet", level=3, registry=real_kle
    )
    cols = ["sagsnr", "kle_status", "kle_suggestion", "kle_title"]
    assert [tuple(r) for r in checked.select(*cols).orderBy("sagsnr").collect()] == [
        tuple(r) for r in polars_result.select(cols).sort("sagsnr").iter_rows()
    ]


def _the_cli_validates_on_spark_and_writes_a_folder_of_parts(
    spark: Any, kle_db: str, kle_table: ValidTimeTable, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from kodeks.cli.main import run

    source, target = tmp_path / "sager.parquet", tmp_path / "checked.parquet"
    cases_frame().write_parquet(source)
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
    assert run([*args, "--engine", "spark", "-o", str(target), "--json", "--db", kle_db]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["rows"] == cases_frame().height and last["statuses"]["moved"] == 3
    written = pl.read_parquet(target / "*.parquet").sort("sagsnr")
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    expected = PolarsEngine().validate(cases_frame(), kle_table, spec).collect().sort("sagsnr")
    assert written.select(spec.added).rows() == expected.select(spec.added).rows()


def test_spark_in_local_mode_gives_the_embedded_engines_result(
    spark: Any,
    real_kle: Any,
    kle_db: str,
    kle_table: ValidTimeTable,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One test, so that one JVM serves it even when the suite runs on several workers."""
    for i, check in enumerate(
        (
            lambda d: _spark_gives_the_embedded_engines_result_on_real_kle_cases(spark, kle_table, d),
            lambda d: _spark_gives_the_embedded_engines_result_on_generated_cases(spark, kle_table, d),
            lambda d: _the_python_api_validates_a_spark_dataframe_lazily(spark, real_kle, d),
            lambda d: _the_cli_validates_on_spark_and_writes_a_folder_of_parts(
                spark, kle_db, kle_table, d, capsys
            ),
        )
    ):
        folder = tmp_path / str(i)
        folder.mkdir()
        check(folder)
