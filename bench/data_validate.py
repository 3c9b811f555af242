"""Validate N generated case rows (per-row dates) against real KLE: Kodeks' embedded engine (Polars,
streaming to Parquet) and Kodeks' DuckDB engine (``--engine duckdb``) against a hand-written DuckDB
as-of join on the same Parquet file, each in its own process for peak RSS; then HTTP validate of
100 codes (p50/p99, in-process ASGI client).

Run: python bench/data_validate.py 1000000 [--db sqlite:///kle.sqlite] [--spark]
(--spark also times the Spark engine in local[2]: pyspark and Java needed)
(without --db the three real KLE releases are imported into a temporary database first)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, percentiles


def registry(db: str | None, folder: Path) -> str:
    if db:
        return db
    from tests.conftest import import_real_kle

    from kodeks.bootstrap import build
    from kodeks.config import Settings

    url = f"sqlite:///{folder / 'kle.sqlite'}"
    import_real_kle(build(Settings(database_url=url, environment="test")))
    return url


def child_kodeks(db: str, source: str, target: str) -> dict[str, float]:
    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.domain.data.spec import ValidateSpec
    from kodeks.engines.polars_engine import PolarsEngine
    from kodeks.formats import datasets
    from kodeks.services.data.tables import cached_table

    kodeks = build(Settings(database_url=db, environment="test"))
    t0 = time.perf_counter()
    table = cached_table(kodeks.uow, "kle")
    t1 = time.perf_counter()
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    engine = PolarsEngine()
    datasets.write(engine.validate(datasets.scan(Path(source)), table, spec), Path(target))
    t2 = time.perf_counter()
    summary = engine.summarize(datasets.scan(Path(target)), table, spec)
    t3 = time.perf_counter()
    return {
        "table": t1 - t0,
        "validate": t2 - t1,
        "summary": t3 - t2,
        "rows": summary.rows,
        "valid": summary.statuses["valid"],
    }


def child_kodeks_duckdb(db: str, source: str, target: str) -> dict[str, float]:
    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.domain.data.spec import ValidateSpec
    from kodeks.engines.duckdb_engine import DuckDBEngine
    from kodeks.services.data.tables import cached_table

    kodeks = build(Settings(database_url=db, environment="test"))
    table = cached_table(kodeks.uow, "kle")
    t1 = time.perf_counter()
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    engine = DuckDBEngine()
    engine.write(engine.validate(engine.read(Path(source), "parquet"), table, spec), Path(target), "parquet")
    t2 = time.perf_counter()
    summary = engine.summarize(engine.read(Path(target), "parquet"), table, spec)
    t3 = time.perf_counter()
    return {
        "validate": t2 - t1,
        "summary": t3 - t2,
        "rows": summary.rows,
        "valid": summary.statuses["valid"],
    }


DUCK = """
COPY (
  SELECT d.*,
    CASE WHEN d.kle IS NULL OR trim(d.kle) = '' THEN 'empty'
         WHEN s.status IS NULL THEN 'unknown'
         WHEN s.status = 'valid' AND s.level <> 3 THEN 'wrong_level'
         ELSE s.status END AS kle_status,
    s.suggestion AS kle_suggestion, s.title AS kle_title
  FROM read_parquet('{source}') d
  ASOF LEFT JOIN read_parquet('{segments}') s ON trim(d.kle) = s.code AND d.oprettet >= s.start
) TO '{target}' (FORMAT parquet)
"""


def child_duckdb(segments: str, source: str, target: str) -> dict[str, float]:
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(DUCK.format(source=source, segments=segments, target=target))
    t1 = time.perf_counter()
    rows, valid = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE kle_status = 'valid') FROM read_parquet('{target}')"
    ).fetchone()
    return {"validate": t1 - t0, "rows": rows, "valid": valid}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_spark(db: str, source: str, target: str) -> dict[str, float]:
    from pyspark.sql import SparkSession

    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.domain.data.spec import ValidateSpec
    from kodeks.engines.spark_engine import SparkEngine
    from kodeks.services.data.tables import cached_table

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    table = cached_table(build(Settings(database_url=db, environment="test")).uow, "kle")
    spec = ValidateSpec("kle", "kle", "oprettet", level=3)
    t0 = time.perf_counter()
    engine = SparkEngine(spark)
    engine.validate(spark.read.parquet(source), table, spec).write.parquet(target)
    t1 = time.perf_counter()
    summary = engine.summarize(spark.read.parquet(target), table, spec)
    return {"validate": t1 - t0, "rows": summary.rows, "valid": summary.statuses["valid"]}


def run_child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def http_p99(db: str) -> tuple[float, float]:
    from fastapi.testclient import TestClient

    from kodeks.api.app import create_app
    from kodeks.bootstrap import build
    from kodeks.config import Settings

    token = "bench-token-" + "z" * 32
    app = create_app(build(Settings(database_url=db, environment="test", api_tokens=(token,))))
    codes = ["27.24.03", "00.10.00", "99.99.99", "2724", "00.07.17"] * 20
    body = {"items": [{"code": c, "at": "2018-07-01"} for c in codes]}
    samples = []
    with TestClient(app) as client:
        for i in range(320):
            t = time.perf_counter()
            r = client.post(
                "/api/v1/classifications/kle/validate",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
            )
            if i >= 20:  # the first requests build the table
                samples.append(time.perf_counter() - t)
            assert r.status_code == 200
    p50, _, p99 = percentiles(samples)
    return p50, p99


def main() -> None:
    args = sys.argv[1:]
    if args and args[0] == "--child":
        kind, *rest = args[1:]
        children = {
            "kodeks": child_kodeks,
            "kodeks-duckdb": child_kodeks_duckdb,
            "duckdb": child_duckdb,
            "spark": child_spark,
        }
        result = children[kind](*rest)
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return
    n = int(args[0]) if args else 1_000_000
    db = args[args.index("--db") + 1] if "--db" in args else None
    import polars as pl

    from kodeks.bootstrap import build
    from kodeks.config import Settings
    from kodeks.engines.generate import generate
    from kodeks.engines.polars_engine import SEG, segments_frame
    from kodeks.services.data.tables import cached_table

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = registry(db, folder)
        table = cached_table(build(Settings(database_url=url, environment="test")).uow, "kle")
        source, segments = folder / "sager.parquet", folder / "segments.parquet"
        t = time.perf_counter()
        generate(table, n).sink_parquet(source)
        print(
            f"generated {n:,} rows in {time.perf_counter() - t:.2f} s "
            f"({source.stat().st_size / 2**20:.0f} MB Parquet)"
        )
        seg = segments_frame(table).rename({v: k for k, v in SEG.items()})
        seg.with_columns(pl.col("start").fill_null(pl.date(1, 1, 1))).write_parquet(segments)
        k = run_child("kodeks", url, str(source), str(folder / "kodeks.parquet"))
        kd = run_child("kodeks-duckdb", url, str(source), str(folder / "kodeks-duck.parquet"))
        d = run_child("duckdb", str(segments), str(source), str(folder / "duck.parquet"))
        print(
            f"kodeks (Polars): table {k['table']:.2f} s, validate+write {k['validate']:.2f} s, "
            f"summary {k['summary']:.2f} s, "
            f"peak RSS {k['peak_rss_mb']:.0f} MB, rows {k['rows']:,}, valid {k['valid']:,}"
        )
        print(
            f"kodeks (DuckDB engine): validate+write {kd['validate']:.2f} s, summary {kd['summary']:.2f} s, "
            f"peak RSS {kd['peak_rss_mb']:.0f} MB, rows {kd['rows']:,}, valid {kd['valid']:,}"
        )
        print(
            f"DuckDB as-of join: validate+write {d['validate']:.2f} s, peak RSS {d['peak_rss_mb']:.0f} MB, "
            f"rows {d['rows']:,}, valid {d['valid']:,}"
        )
        print(f"throughput ratio kodeks/duckdb: {d['validate'] / k['validate']:.2f}x (target >= 0.7x)")
        print(f"throughput ratio kodeks-duckdb-engine/duckdb: {d['validate'] / kd['validate']:.2f}x")
        if "--spark" in args:
            sp = run_child("spark", url, str(source), str(folder / "spark.parquet"))
            print(
                f"Spark local[2]: validate+write {sp['validate']:.2f} s "
                f"(driver RSS {sp['peak_rss_mb']:.0f} MB), rows {sp['rows']:,}, valid {sp['valid']:,}; "
                f"Kodeks/Spark time {k['validate'] / sp['validate']:.2f}"
            )
        p50, p99 = http_p99(url)
        print(
            f"HTTP validate, 100 codes: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms (target p99 < 20 ms)"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main()
