"""``kodeks data`` — classifications on data: validate a dataset's code column.

kodeks data validate sager.parquet --column kle=kle --date-column oprettet -o sager.checked.parquet
kodeks data validate sager.csv --column kle --at 2018-07-01 --json --fail-on 'unknown>0.01'
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.errors import InvalidRequest, MalformedInput

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kodeks.domain.data.summary import Summary

app = typer.Typer(help="Classifications on data: validate a dataset's code column.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True)
DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
#: Exit code when a ``--fail-on`` threshold is broken (3–5 are the error codes of ``kodeks.cli.main``).
THRESHOLD_BROKEN = 6
ENGINES = ("polars", "duckdb", "spark")


@app.callback()
def group() -> None:
    """Classifications on data: validate a dataset's code column, crosswalk it, generate test data."""


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def _instant(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(f"--known-at: {value!r} is not an ISO timestamp") from None


def _binding(value: str) -> tuple[str, str]:
    name, _, classification = value.partition("=")
    name, classification = name.strip(), (classification.strip() or name.strip())
    if not name:
        raise InvalidRequest(f"--column {value!r}: write it as NAME=CLASSIFICATION (e.g. kle=kle)")
    return name, classification


@contextmanager
def _working(what: str) -> Iterator[None]:
    """A spinner on standard error while a long run works (on a terminal only; Polars' streaming
    engine reports no progress of its own, so elapsed time is what it shows)."""
    if not err.is_terminal:
        yield
        return
    with err.status(f"{what} …", spinner="dots"):
        yield


@contextmanager
def _counting(what: str, data: Any, path: Path) -> Iterator[Any]:
    """``data`` with a progress bar on standard error that counts the rows as the engine reads them
    (on a terminal only; elsewhere ``data`` as it is). A Parquet file's row count is in its footer,
    so its bar has a total; for other files the bar counts without one."""
    if not err.is_terminal:
        yield data
        return
    import polars as pl
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    total = pl.scan_parquet(path).select(pl.len()).collect().item() if path.suffix == ".parquet" else None
    columns = (TextColumn(f"{escape(what)} …"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(what, total=total)

        def count(batch: pl.DataFrame) -> pl.DataFrame:
            bar.advance(task, batch.height)
            return batch

        yield data.map_batches(count, streamable=True)


def print_summary(summary: Summary) -> None:
    table = Table("status", "rows", "share", title=f"{summary.column} ({summary.classification})")
    for name, n in summary.statuses.items():
        if n:
            table.add_row(name, str(n), f"{summary.share(name):.2%}")
    table.add_row("[b]all[/]", str(summary.rows), "")
    out.print(table)
    if summary.top_unknown:
        out.print(
            "most frequent unknown values: "
            + ", ".join(f"{escape(v)} ({n})" for v, n in summary.top_unknown[:10])
        )
    if summary.invalid_by_year:
        out.print("invalid by year: " + ", ".join(f"{y}: {n}" for y, n in summary.invalid_by_year))


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="Parquet, CSV, XLSX or JSON Lines")],
    column: Annotated[str, typer.Option("--column", metavar="NAME=CLASSIFICATION", help="the code column")],
    date_column: Annotated[
        str | None, typer.Option("--date-column", metavar="COL", help="each row's date (any common form)")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", metavar="DATE", help="one date for every row")] = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", metavar="TIME", help="the registry as known then")
    ] = None,
    level: Annotated[int | None, typer.Option("--level", help="codes must be of this level")] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", metavar="ID", help="a local profile: its codes are 'local'")
    ] = None,
    engine: Annotated[
        str,
        typer.Option("--engine", help="polars or duckdb (embedded), or spark (local[*], or SPARK_MASTER)"),
    ] = "polars",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="OUT", help="the rows with status columns")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON (last line)")] = False,
    summary_json: Annotated[
        Path | None, typer.Option("--summary", metavar="FILE", help="write the summary as JSON")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", metavar="HTML", help="a self-contained HTML report")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="language of the report: da or en")] = "da",
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", metavar="RULES", help="e.g. 'unknown>0.01,malformed>0': exit 6 if broken"),
    ] = None,
    db: DbOption = None,
) -> None:
    """Give every row's code a status at the row's date: valid, expired, moved, not_yet_valid, unknown,
    malformed, wrong_level, local, empty (bad_date when the date cannot be read)."""
    from kodeks.domain.data import thresholds as rules
    from kodeks.domain.data.spec import ValidateSpec
    from kodeks.engines.errors import read_errors
    from kodeks.engines.polars_engine import PolarsEngine, check_columns
    from kodeks.formats import datasets
    from kodeks.services.data.validating import validate_data
    from kodeks.storage.local import open_local_store

    if engine not in ENGINES:
        raise InvalidRequest(f"--engine {engine!r}: this build has {', '.join(ENGINES)}")
    if date_column and at:
        raise InvalidRequest("give --date-column or --at, not both")
    name, classification = _binding(column)
    try:
        thresholds = tuple(rules.parse(fail_on)) if fail_on else ()
    except ValueError as exc:
        raise InvalidRequest(f"--fail-on: {exc}") from None
    spec = ValidateSpec(name, classification, date_column, _day(at, "--at") if at else None, level)
    if output is not None and output.resolve() == path.resolve():
        raise InvalidRequest("-o names the input file; write the result elsewhere")
    if engine == "spark":
        summary_, broken_ = _validate_on_spark(path, spec, output, db, known_at, profile, thresholds)
        _finish(summary_, broken_, path, output, report, lang, summary_json, as_json)
        return
    with read_errors(path.name):
        data = datasets.scan(path)
        check_columns(data.collect_schema().names(), spec)  # before the registry is opened
    kodeks = open_registry(db)
    if engine == "duckdb":
        with _working(f"validating {path.name}"):
            summary_, broken_ = _validate_on_duckdb(
                path, data, spec, output, kodeks, known_at, profile, thresholds
            )
        _finish(summary_, broken_, path, output, report, lang, summary_json, as_json)
        return

    def sink(checked: Any) -> Any:
        assert output is not None
        datasets.write(checked, output)
        return datasets.scan(output)

    with read_errors(path.name), _counting(f"validating {path.name}", data, path) as counted:
        result = validate_data(
            kodeks.uow,
            PolarsEngine(),
            counted,
            spec,
            known_at=_instant(known_at) if known_at else None,
            profile=profile,
            open_local_store=open_local_store,
            sink=sink if output is not None else None,
            thresholds=thresholds,
        )
    _finish(result.summary, result.broken, path, output, report, lang, summary_json, as_json)


def _finish(
    summary: Summary,
    broken: Sequence[Any],
    path: Path,
    output: Path | None,
    report: Path | None,
    lang: str,
    summary_json: Path | None,
    as_json: bool,
) -> None:
    if report is not None:
        from kodeks.formats.data_report import validation_html

        report.write_text(validation_html(summary, path.name, lang), encoding="utf-8")
    if summary_json is not None:
        summary_json.write_text(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "\n")
    if as_json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        print_summary(summary)
        if output is not None:
            out.print(f"wrote {summary.rows} rows to {escape(str(output))}")
    for t in broken:
        err.print(f"threshold broken: {escape(t.text)}", soft_wrap=True)
    if broken:
        raise typer.Exit(THRESHOLD_BROKEN)


def _validate_on_duckdb(
    path: Path,
    data: Any,
    spec: Any,
    output: Path | None,
    kodeks: Any,
    known_at: str | None,
    profile: str | None,
    thresholds: tuple[Any, ...],
) -> tuple[Summary, list[Any]]:
    """DuckDB reads Parquet, CSV and JSON Lines itself (XLSX as ``formats.datasets`` reads it) and
    writes ``-o`` with ``COPY`` (XLSX through ``formats.datasets``)."""
    import duckdb

    from kodeks.engines.duckdb_engine import DuckDBEngine
    from kodeks.formats import datasets
    from kodeks.services.data.validating import validate_data
    from kodeks.storage.local import open_local_store

    engine = DuckDBEngine()
    kind = datasets._kind(path)
    out_kind = datasets._kind(output) if output is not None else None

    def sink(checked: Any) -> Any:
        assert output is not None and out_kind is not None
        if out_kind == "xlsx":
            datasets.write(checked.pl().lazy(), output)
        else:
            engine.write(checked, output, out_kind)
        return engine.read(output, out_kind) if out_kind != "xlsx" else datasets.scan(output)

    try:
        source = (
            data
            if kind == "xlsx"
            else engine.read(path, kind, datasets._separator(path) if kind == "csv" else ",")
        )
        result = validate_data(
            kodeks.uow,
            engine,
            source,
            spec,
            known_at=_instant(known_at) if known_at else None,
            profile=profile,
            open_local_store=open_local_store,
            sink=sink if output is not None else None,
            thresholds=thresholds,
        )
    except duckdb.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise MalformedInput(f"cannot read the data: {first[:300]}", source=path.name) from None
    return result.summary, list(result.broken)


def _validate_on_spark(
    path: Path,
    spec: Any,
    output: Path | None,
    db: str | None,
    known_at: str | None,
    profile: str | None,
    thresholds: tuple[Any, ...],
) -> tuple[Summary, list[Any]]:
    """Spark reads the file, validates it with the table broadcast, and writes ``-o`` as Spark writes:
    a folder of Parquet, CSV or JSON Lines parts."""
    import os

    from kodeks.domain.data.thresholds import broken
    from kodeks.engines.spark_engine import SparkEngine
    from kodeks.formats.datasets import SUFFIXES, _separator
    from kodeks.services.data.tables import cached_table
    from kodeks.services.data.validating import dated
    from kodeks.storage.local import open_local_store

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InvalidRequest("--engine spark needs pyspark (pip install kodeks[spark]) and Java") from None
    kind = next((k for k, v in SUFFIXES.items() if path.suffix.lower() in v), None)
    if kind not in ("parquet", "csv", "jsonl") or not path.exists():
        raise InvalidRequest(f"{path.name}: --engine spark reads an existing Parquet, CSV or JSON Lines file")
    spark = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
        .appName("kodeks")
        .getOrCreate()
    )
    if kind == "parquet":
        data = spark.read.parquet(str(path))
    elif kind == "csv":
        data = spark.read.options(header=True, sep=_separator(path), inferSchema=False).csv(str(path))
    else:
        data = spark.read.json(str(path))
    spec = dated(spec)
    kodeks = open_registry(db)
    table = cached_table(
        kodeks.uow,
        spec.classification,
        _instant(known_at) if known_at else None,
        profile=profile,
        open_local_store=open_local_store,
    )
    engine = SparkEngine(spark)
    checked = engine.validate(data, table, spec)
    if output is not None:
        out_kind = next((k for k, v in SUFFIXES.items() if output.suffix.lower() in v), None)
        writer = checked.write.mode("errorifexists")
        if out_kind == "parquet":
            writer.parquet(str(output))
        elif out_kind == "csv":
            writer.options(header=True).csv(str(output))
        elif out_kind == "jsonl":
            writer.json(str(output))
        else:
            raise InvalidRequest("--engine spark writes Parquet, CSV or JSON Lines (a folder of parts)")
        checked = spark.read.parquet(str(output)) if out_kind == "parquet" else checked
    summary = engine.summarize(checked, table, spec)
    return summary, broken(thresholds, summary)


@app.command()
def crosswalk(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="Parquet, CSV, XLSX or JSON Lines")],
    column: Annotated[str, typer.Option("--column", metavar="NAME", help="the code column")],
    via: Annotated[
        str, typer.Option("--via", metavar="CORRESPONDENCE[,..]", help="correspondence ids, in order")
    ],
    at: Annotated[
        str | None, typer.Option("--at", metavar="DATE", help="the tables must be valid then")
    ] = None,
    known_at: Annotated[str | None, typer.Option("--known-at", metavar="TIME")] = None,
    explode: Annotated[bool, typer.Option("--explode", help="one row per target (1:n)")] = False,
    single: Annotated[bool, typer.Option("--single", help="one target or 'ambiguous'")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="OUT")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the counts as JSON")] = False,
    db: DbOption = None,
) -> None:
    """Map a code column through correspondence tables: mapped, ambiguous (--single), no_counterpart,
    unmapped or empty per row; 1:n targets as a list, or one row each with --explode. No row is dropped."""
    from kodeks.engines.errors import read_errors
    from kodeks.engines.polars_crosswalk import counts, plan
    from kodeks.formats import datasets
    from kodeks.services.data.crosswalks import crosswalk as compose_tables
    from kodeks.storage.local import open_local_store

    if explode and single:
        raise InvalidRequest("give --explode or --single, not both")
    if output is not None and output.resolve() == path.resolve():
        raise InvalidRequest("-o names the input file; write the result elsewhere")
    with read_errors(path.name):
        data = datasets.scan(path)
        data.collect_schema()
    kodeks = open_registry(db)
    steps = [v.strip() for v in via.split(",") if v.strip()]
    cw = compose_tables(
        kodeks.uow,
        open_local_store,
        steps,
        _day(at, "--at") if at else None,
        _instant(known_at) if known_at else None,
    )
    mode = "explode" if explode else "single" if single else "list"
    with read_errors(path.name):
        mapped = plan(data, cw, column, mode)
        if output is not None:
            datasets.write(mapped, output)
            mapped = datasets.scan(output)
        found = counts(mapped, column, cw)
    rows = sum(found.values())
    if as_json:
        print(json.dumps({"rows": rows, "via": list(cw.via), "target": cw.target, "outcomes": found}))
        return
    table = Table("outcome", "rows", title=f"{column} → {cw.target} via {', '.join(cw.via)}")
    for name, n in found.items():
        if n:
            table.add_row(name, str(n))
    table.add_row("[b]all[/]", str(rows))
    out.print(table)
    if output is not None:
        out.print(f"wrote {rows} rows to {escape(str(output))}")


@app.command()
def generate(
    rows: Annotated[int, typer.Option("--rows", min=0, max=100_000_000, help="how many cases")],
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="OUT", help="Parquet, CSV, XLSX or JSON Lines")
    ],
    classification: Annotated[str, typer.Option("--classification", metavar="ID")] = "kle",
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="NAME=CLASSIFICATION",
            help="a further code column drawn from that classification (e.g. branche=db07)",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="the same seed gives the same rows")] = 12,
    db: DbOption = None,
) -> None:
    """Write a realistic case extract drawn from the classification's real history (codes valid on each
    row's date, with a share of real-world errors), for testing a pipeline."""
    from kodeks.engines.generate import Extra
    from kodeks.engines.generate import generate as draw
    from kodeks.formats import datasets
    from kodeks.services.data.tables import cached_table

    extras = [_binding(c) for c in column or []]
    taken = {"sagsnr", "kle", "oprettet", "kommunekode"}
    for name, _ in extras:
        if name in taken:
            raise InvalidRequest(f"--column {name}: the extract already has a column {name!r}")
        taken.add(name)
    kodeks = open_registry(db)
    table = cached_table(kodeks.uow, classification)
    also = tuple(Extra(name, cached_table(kodeks.uow, cid)) for name, cid in extras)
    try:
        frame = draw(table, rows, seed=seed, also=also)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    datasets.write(frame, output)
    out.print(f"wrote {rows} cases to {escape(str(output))}")


def _between(
    kodeks: Any,
    data: Any,
    bound: dict[str, str],
    parents: Sequence[str],
    agrees: Sequence[str],
    date_column: str | None,
    today: date,
) -> list[Any]:
    """The measures between two columns asked for with ``--parent`` and ``--agree``."""
    from kodeks.domain.data.quality import Measurement
    from kodeks.domain.data.spec import ValidateSpec
    from kodeks.engines.polars_quality import agreement_share, parent_consistent_share
    from kodeks.services.data.crosswalks import crosswalk
    from kodeks.services.data.tables import cached_table
    from kodeks.storage.local import open_local_store

    out = []
    for value in parents:
        child, _, above = (x.strip() for x in value.partition("="))
        if not child or not above or child not in bound:
            raise InvalidRequest(
                f"--parent {value!r}: write CHILD=PARENT, CHILD a column bound with --bind (e.g. kle=gruppe)"
            )
        spec = ValidateSpec(child, bound[child], date_column, None if date_column else today)
        share = parent_consistent_share(data, cached_table(kodeks.uow, bound[child]), spec, above)
        out.append(Measurement("parent_consistent", share, child, above))
    for value in agrees:
        pair, _, via = value.partition("=")
        column, _, other = (x.strip() for x in pair.partition(":"))
        steps = [v.strip() for v in via.split(",") if v.strip()]
        if not column or not other or not steps:
            raise InvalidRequest(
                f"--agree {value!r}: write COL:OTHER=CORRESPONDENCE (e.g. kle:form=kle-form)"
            )
        cw = crosswalk(kodeks.uow, open_local_store, steps)
        share = agreement_share(data, cw, column, other)
        out.append(Measurement("agrees_via", share, column, f"{other} via {','.join(steps)}"))
    return out


@app.command()
def quality(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="Parquet, CSV, XLSX or JSON Lines")],
    bind: Annotated[list[str], typer.Option("--bind", metavar="COL=CLASSIFICATION", help="a bound column")],
    date_column: Annotated[str | None, typer.Option("--date-column", metavar="COL")] = None,
    report: Annotated[Path | None, typer.Option("--report", metavar="HTML")] = None,
    dqv: Annotated[
        Path | None, typer.Option("--dqv", metavar="TTL", help="the declaration as DQV Turtle")
    ] = None,
    dataset_uri: Annotated[
        str | None, typer.Option("--dataset-uri", help="the dataset's URI in the DQV graph")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="da or en")] = "da",
    municipality_column: Annotated[
        str | None,
        typer.Option("--municipality-column", metavar="COL", help="kommunekode: map the first binding"),
    ] = None,
    boundaries: Annotated[
        Path | None,
        typer.Option("--boundaries", metavar="TOPOJSON", help="municipality boundaries for the map"),
    ] = None,
    parent: Annotated[
        list[str] | None,
        typer.Option(
            "--parent",
            metavar="CHILD=PARENT",
            help="PARENT column holds an ancestor of the bound CHILD column's code (e.g. kle=gruppe)",
        ),
    ] = None,
    agree: Annotated[
        list[str] | None,
        typer.Option(
            "--agree",
            metavar="COL:OTHER=CORRESPONDENCE[,..]",
            help="OTHER holds a target of COL through the correspondences (e.g. kle:form=kle-form)",
        ),
    ] = None,
    catalog_entry: Annotated[
        str | None,
        typer.Option(
            "--catalog-entry",
            metavar="ID",
            help="attach the declaration to this catalog entry (the DCAT feed carries it)",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the declaration as JSON")] = False,
    db: DbOption = None,
) -> None:
    """Declare a dataset's quality in the core dimensions (komplethed, korrekthed, aktualitet,
    genbrugelighed) against its classification bindings."""
    from kodeks.domain.data.spec import ValidateSpec
    from kodeks.engines.errors import read_errors
    from kodeks.engines.polars_engine import PolarsEngine, check_columns, median_age_days, outdated_share
    from kodeks.formats import datasets
    from kodeks.services.data.quality import declare
    from kodeks.services.data.tables import cached_table

    bindings = [_binding(b) for b in bind]
    today = date.today()
    with read_errors(path.name):
        data = datasets.scan(path)
        names = data.collect_schema().names()
        for column, cid in bindings:
            check_columns(names, ValidateSpec(column, cid, date_column))
    kodeks = open_registry(db)
    with read_errors(path.name):
        now = {
            column: outdated_share(data, cached_table(kodeks.uow, cid), column, date_column, today)
            for column, cid in bindings
        }
        age = median_age_days(data, date_column, today) if date_column else None
        between = _between(kodeks, data, dict(bindings), parent or [], agree or [], date_column, today)
        declaration, _ = declare(
            kodeks.uow,
            PolarsEngine(),
            data,
            path.name,
            bindings,
            date_column=date_column,
            today=today,
            now_shares=now,
            median_age_days=age,
            between=between,
        )
    if catalog_entry is not None:
        from kodeks.services import catalog as catalog_service

        catalog_service.attach_quality(kodeks.uow, kodeks.catalog, catalog_entry, declaration)
    by_municipality: dict[str, float] = {}
    if municipality_column is not None:
        from kodeks.engines.polars_engine import valid_share_by

        column, cid = bindings[0]
        spec = ValidateSpec(column, cid, date_column, None if date_column else today)
        with read_errors(path.name):
            by_municipality = valid_share_by(data, cached_table(kodeks.uow, cid), spec, municipality_column)
    if report is not None:
        from kodeks.formats.data_report import quality_html
        from kodeks.formats.dk_map import svg_map

        drawn = ""
        if by_municipality and boundaries is not None:
            if not boundaries.is_file():
                raise InvalidRequest(f"--boundaries: {boundaries}: no such file")
            drawn = svg_map(boundaries.read_bytes(), by_municipality, label=municipality_column or "")
        report.write_text(quality_html(declaration, lang, drawn), encoding="utf-8")
    if dqv is not None:
        from kodeks.formats.dqv import turtle

        dqv.write_text(turtle(declaration, dataset_uri or f"https://kodeks.dk/id/dataset/{path.stem}"))
    if as_json:
        body = declaration.as_dict()
        if by_municipality:
            body["valid_share_by_municipality"] = dict(sorted(by_municipality.items()))
        print(json.dumps(body, ensure_ascii=False))
        return
    table = Table("dimension", "metric", "column", "value", title=f"{path.name}: {declaration.rows} rows")
    for key, found in declaration.by_dimension().items():
        for m in found:
            shown = f"{m.value:.1f} days" if m.metric == "median_age_days" else f"{m.value:.2%}"
            table.add_row(key, m.metric, escape(m.column or ""), shown)
    out.print(table)
