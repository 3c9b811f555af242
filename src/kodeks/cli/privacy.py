"""``kodeks privacy pseudonymize|anonymize|risk|synthesize|aggregate|make-testdata``: parse, call, print."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from kodeks.privacy import testdata
from kodeks.privacy.discretion import DiscretionRule
from kodeks.privacy.errors import ConfigError
from kodeks.privacy.hierarchy import to_arx_csv
from kodeks.privacy.jobs import (
    Outputs,
    aggregate_job,
    anonymize_job,
    pseudonymize_job,
    risk_job,
    synthesize_job,
)
from kodeks.privacy.keys import load_key
from kodeks.privacy.pseudonymize import Rule
from kodeks.privacy.tableio import write_table, write_text

app = typer.Typer(
    name="privacy",
    help="Pseudonymize, anonymize with measured risk, and synthesize tables.",
    no_args_is_help=True,
)
console = Console(stderr=True, soft_wrap=True)

Delimiter = Annotated[str, typer.Option("--delimiter", "-d", help="CSV delimiter")]
Encoding = Annotated[str, typer.Option("--encoding", help="CSV text encoding (utf-8, latin-1, ...)")]
JsonOut = Annotated[Path | None, typer.Option("--json", help="write the report as JSON")]
HtmlOut = Annotated[Path | None, typer.Option("--html", help="write the report as HTML")]


def _progress(label: str) -> Progress:
    progress = Progress(
        SpinnerColumn(),
        TextColumn(label),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # a spinner in a log or pipe is an empty line before the result
    )
    progress.add_task(label, total=None)
    return progress


@app.command()
def risk(
    source: Path,
    qi: Annotated[list[str], typer.Option("--qi", help="quasi-identifier column (repeat)")],
    delimiter: Delimiter = ",",
    encoding: Encoding = "utf-8",
    threshold: float = 0.2,
    sampling_fraction: float = 1.0,
    json_out: JsonOut = None,
    html_out: HtmlOut = None,
) -> None:
    """Re-identification risk of a table over its quasi-identifiers."""
    with _progress("assessing risk"):
        report = risk_job(
            source, qi, Outputs(None, json_out, html_out), delimiter, encoding, threshold, sampling_fraction
        )
    r = report.before
    assert r is not None
    typer.echo(
        f"records {r.records}  classes {r.classes}  average prosecutor risk {r.prosecutor_average:.4f}  "
        f"highest {r.prosecutor_max:.4f}  sample uniques {r.sample_uniques:.2%}  "
        f"records at risk {r.records_at_risk:.2%}"
    )


@app.command()
def anonymize(
    source: Path,
    target: Path,
    config: Annotated[
        Path, typer.Option("--config", "-c", help="YAML job description (see docs/privacy.md)")
    ],
    delimiter: Delimiter = ",",
    encoding: Encoding = "utf-8",
    json_out: JsonOut = None,
    html_out: HtmlOut = None,
) -> None:
    """Optimal generalization + suppression, verified independently before the file is written."""
    with _progress("anonymizing"):
        report = anonymize_job(source, config, Outputs(target, json_out, html_out), delimiter, encoding)
    u = report.utility
    after = report.after
    assert after is not None
    typer.echo(
        f"levels {u['levels']}  loss {u['loss']:.4f}  suppressed {u['suppressed_rows']}  "
        f"highest risk after {after.prosecutor_max:.4f}  -> {target}"
    )


@app.command()
def pseudonymize(
    source: Path,
    target: Path,
    column: Annotated[
        list[str],
        typer.Option("--column", help="COLUMN:METHOD (hmac, ff1-cpr, ff1-digits, cpr-text, drop); repeat"),
    ],
    domain: Annotated[str, typer.Option("--domain", help="pseudonymisation domain (project)")],
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="file with the key (hex or raw)")
    ] = None,
    key_env: Annotated[
        str | None, typer.Option("--key-env", help="environment variable with the key")
    ] = None,
    lookup: Annotated[
        Path | None, typer.Option("--lookup", help="write original->pseudonym (key holder only)")
    ] = None,
    decrypt: Annotated[bool, typer.Option("--decrypt", help="reverse the FF1 columns")] = False,
    delimiter: Delimiter = ",",
    encoding: Encoding = "utf-8",
    json_out: JsonOut = None,
) -> None:
    """Keyed pseudonyms (HMAC-SHA-256) and reversible FF1 encryption of CPR numbers."""
    rules = []
    for spec in column:
        name, sep, method = spec.rpartition(":")
        if not sep or not name:
            raise ConfigError(f"--column {spec!r}: write COLUMN:METHOD")
        rules.append(Rule(name, method))  # type: ignore[arg-type]
    key = load_key(key_file, key_env, os.environ)
    with _progress("pseudonymizing"):
        report = pseudonymize_job(
            source, rules, key, domain, Outputs(target, json_out, None), lookup, decrypt, delimiter, encoding
        )
    typer.echo(f"{report.sections['rows']} rows -> {target}")


@app.command()
def synthesize(
    source: Path,
    target: Path,
    epsilon: Annotated[float, typer.Option(help="differential privacy budget")] = 1.0,
    column: Annotated[
        list[str] | None, typer.Option("--column", help="column to synthesize (repeat)")
    ] = None,
    target_column: Annotated[
        str | None, typer.Option("--target", help="column for the TSTR accuracy")
    ] = None,
    rows: int | None = None,
    seed: int | None = None,
    delimiter: Delimiter = ",",
    encoding: Encoding = "utf-8",
    json_out: JsonOut = None,
    html_out: HtmlOut = None,
    method: Annotated[
        str, typer.Option(help="aim (adaptive marginals, default) or mst (a maximum spanning tree)")
    ] = "aim",
    hide_rare: Annotated[
        bool, typer.Option("--hide-rare", help="write rare categories as '(other)' (sensitive value sets)")
    ] = False,
) -> None:
    """Differentially private synthetic table (AIM-style, adaptive marginals) with a fidelity report."""
    if method not in ("aim", "mst"):
        raise ConfigError(f"--method must be aim or mst, not {method!r}")
    with _progress("synthesizing"):
        report = synthesize_job(
            source,
            Outputs(target, json_out, html_out),
            epsilon,
            column,
            target_column,
            rows,
            seed,
            delimiter,
            encoding,
            method,
            hide_rare,
        )
    u = report.utility
    typer.echo(
        f"epsilon {epsilon}  1-way TVD {u['tvd_1way']:.4f}  2-way TVD {u['tvd_2way']:.4f}  "
        f"exact matches {u['exact_match_share']:.2%}  -> {target}"
    )


@app.command("make-testdata")
def make_testdata(
    target: Path,
    data_dir: Annotated[
        Path,
        typer.Option(
            "--data-dir",
            envvar="KODEKS_SHARED_DATA",
            help="folder with dk_municipalities/ and kle/ (see the shared data's SOURCES.md)",
        ),
    ],
    rows: Annotated[int, typer.Option(help="number of rows (cases)")] = 10_000,
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives the same table")] = 0,
    unchecked_share: Annotated[
        float, typer.Option(help="share of numbers issued since 2007 that fail modulus 11")
    ] = 0.3,
    delimiter: Delimiter = ",",
) -> None:
    """Generate the Danish test table, the municipality hierarchy and an example anonymization config.

    Writes TARGET (CSV, Parquet or XLSX), ``kommune_region.csv`` (ARX hierarchy: municipality, region, *) and
    ``danish_testdata.yaml`` beside it. KLE content is read from --data-dir, never shipped with Kodeks.
    """
    if not 0.0 <= unchecked_share <= 1.0:
        raise ConfigError(f"--unchecked-share must be between 0 and 1, got {unchecked_share}")
    sources = testdata.load_sources(data_dir)
    with _progress("generating"):
        frame = testdata.generate(sources, rows, seed, unchecked_share=unchecked_share)
        write_table(frame, target, delimiter)
        hierarchy = testdata.municipality_hierarchy(sources.municipalities)
        write_text(to_arx_csv(hierarchy), target.parent / "kommune_region.csv")
        write_text(testdata.EXAMPLE_CONFIG, target.parent / "danish_testdata.yaml")
    typer.echo(f"{frame.height} rows -> {target}; kommune_region.csv and danish_testdata.yaml beside it")


@app.command()
def aggregate(
    source: Path,
    target: Path,
    by: Annotated[list[str], typer.Option("--by", help="column to count by (repeat for a two-way table)")],
    min_count: Annotated[int, typer.Option(help="smallest number of individuals a cell may rest on")] = 3,
    method: Annotated[str, typer.Option(help="suppress | combine (merge small categories into Øvrige)")] = (
        "suppress"
    ),
    unit: Annotated[
        str | None,
        typer.Option(help="column that identifies the individual (e.g. cpr), counted once per cell"),
    ] = None,
    weight: Annotated[
        str | None, typer.Option(help="column of counts, for tables already aggregated")
    ] = None,
    totals: Annotated[bool, typer.Option("--totals/--no-totals", help="add row and column totals")] = True,
    suppress_zeros: Annotated[bool, typer.Option(help="treat empty cells as small too")] = False,
    wide: Annotated[bool, typer.Option(help="two-way table with the second column across")] = False,
    marker: Annotated[str, typer.Option(help="text shown for a suppressed cell")] = "..",
    delimiter: Delimiter = ",",
    encoding: Encoding = "utf-8",
    json_out: JsonOut = None,
) -> None:
    """Counts by group under Danmarks Statistik's discretion rule (no cell under 3 individuals)."""
    rule = DiscretionRule(min_count, method, suppress_zeros)  # type: ignore[arg-type]
    with _progress("counting"):
        table = aggregate_job(
            source,
            by,
            Outputs(target, json_out, None),
            rule,
            unit,
            weight,
            totals,
            wide,
            marker,
            delimiter,
            encoding,
        )
    merged = sum(len(v) for v in table.merged.values())
    typer.echo(
        f"{table.cells} cells, {table.suppressed_cells} suppressed, {merged} categories merged -> {target}"
    )


@app.command("hierarchy")
def hierarchy_from_registry(
    classification_id: Annotated[str, typer.Argument(metavar="ID", help="a classification in the registry")],
    output: Annotated[Path, typer.Argument(help="ARX hierarchy file to write (CSV, ';')")],
    at: Annotated[str | None, typer.Option(help="valid date YYYY-MM-DD (default today)")] = None,
    level: Annotated[
        int | None, typer.Option(help="the level the data's values are at (default: every leaf)")
    ] = None,
    db: Annotated[str | None, typer.Option("--db", help="database URL")] = None,
) -> None:
    """Write a classification's hierarchy as valid on a date (KLE 27.24.10 → 27.24 → 27 → *) as an
    ARX hierarchy file, for a config's ``{type: arx, path: ...}``."""
    from datetime import date as _date

    from kodeks.bootstrap import build
    from kodeks.config import load_settings
    from kodeks.errors import InvalidRequest
    from kodeks.privacy.hierarchy import from_parent_pairs
    from kodeks.services import queries

    try:
        day = _date.fromisoformat(at) if at else None
    except ValueError:
        raise InvalidRequest(f"--at: {at!r} is not a date (YYYY-MM-DD)") from None
    kodeks = build(load_settings(database_url=db))
    items = queries.items(kodeks.uow, classification_id, queries.When.of(day))
    leaves = [i.code for i in items if i.level == level] if level is not None else None
    if leaves == []:
        raise InvalidRequest(f"{classification_id} has no codes at level {level} on {day or 'today'}")
    built = from_parent_pairs(classification_id, [(i.code, i.parent) for i in items], leaves)
    write_text(to_arx_csv(built), output)
    Console(stderr=True, soft_wrap=True).print(
        f"wrote {output}: {len(built.rows)} values, {built.height} levels"
    )
