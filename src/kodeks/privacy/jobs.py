"""End-to-end jobs shared by the CLI and the API: read, transform, verify, write atomically, report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from kodeks.privacy.anonymize import AnonymizationResult, anonymize
from kodeks.privacy.config import load_config
from kodeks.privacy.discretion import CountTable, DiscretionRule, count_table
from kodeks.privacy.errors import ConfigError
from kodeks.privacy.fidelity import fidelity
from kodeks.privacy.keys import SecretKey
from kodeks.privacy.pseudonymize import Rule, pseudonymize
from kodeks.privacy.report import Report
from kodeks.privacy.risk import assess
from kodeks.privacy.synthesize import synthesize
from kodeks.privacy.tableio import read_table, write_table, write_text
from kodeks.privacy.verify import verify


@dataclass(frozen=True)
class Outputs:
    data: Path | None = None
    json: Path | None = None
    html: Path | None = None


def _write_report(report: Report, out: Outputs) -> None:
    if out.json:
        write_text(report.to_json(), out.json)
    if out.html:
        write_text(report.to_html(), out.html)


def risk_job(
    source: Path,
    qis: Sequence[str],
    out: Outputs,
    delimiter: str = ",",
    encoding: str = "utf-8",
    threshold: float = 0.2,
    sampling_fraction: float = 1.0,
) -> Report:
    frame = read_table(source, delimiter, encoding)
    report = Report(f"Risk of {source.name}", before=assess(frame, qis, threshold, sampling_fraction))
    _write_report(report, out)
    return report


def anonymize_job(
    source: Path, config_path: Path, out: Outputs, delimiter: str = ",", encoding: str = "utf-8"
) -> Report:
    frame = read_table(source, delimiter, encoding)

    def values(column: str) -> list[str]:
        return frame.select(pl.col(column).cast(pl.String).unique()).collect()[column].drop_nulls().to_list()

    config = load_config(config_path, values)
    result = anonymize(frame, config)
    released = result.frame.collect(engine="streaming")
    verdict = verify(
        released,
        config.quasi_identifiers,
        config.models,
        config.suppression_limit,
        original_rows=result.n_rows,
        reference=frame,
    )
    verdict.raise_if_failed()
    if out.data:
        write_table(released, out.data, delimiter)
    report = Report(
        f"Anonymization of {source.name}",
        before=assess(frame, config.quasi_identifiers),
        after=assess(released, config.quasi_identifiers, exclude_suppressed=True),
        utility={
            "recoding": result.recoding,
            "metric": config.metric if result.recoding == "global" else "loss",
            "loss": result.loss,
            "global_loss": result.global_loss,
            "local_loss": result.local_loss,
            "global_skipped": result.global_skipped,
            "levels": result.levels,
            "suppressed_rows": result.suppressed_rows,
            "rows": result.n_rows,
        },
        sections={
            "models": {str(i): m.describe() for i, m in enumerate(config.models)},
            "search": _search_section(result),
            "verification": {
                "ok": verdict.ok,
                "min_class_size": verdict.min_class_size,
                "suppressed_rows": verdict.suppressed_rows,
            },
        },
    )
    _write_report(report, out)
    return report


def _search_section(result: AnonymizationResult) -> dict[str, object]:
    section: dict[str, object] = {}
    if result.search is not None:
        section.update(
            lattice_nodes=result.search.lattice_size,
            evaluated=result.search.evaluated,
            tagged=result.search.tagged,
            pruned=result.search.pruned,
            seconds=round(result.search.seconds, 4),
        )
    if result.local is not None:
        section.update(
            mondrian_classes=result.local.n_classes, mondrian_seconds=round(result.local.seconds, 4)
        )
    return section


def pseudonymize_job(
    source: Path,
    rules: Sequence[Rule],
    key: SecretKey,
    domain: str,
    out: Outputs,
    lookup: Path | None = None,
    decrypt: bool = False,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Report:
    frame = read_table(source, delimiter, encoding).collect()
    result = pseudonymize(frame, rules, key, domain, decrypt)
    if out.data:
        write_table(result.frame, out.data, delimiter)
    if lookup:
        write_table(result.lookup, lookup, delimiter)
    report = Report(
        f"Pseudonymisation of {source.name}",
        sections={"columns": {r.column: r.method for r in rules}, "domain": domain, "rows": frame.height},
    )
    _write_report(report, out)
    return report


def synthesize_job(
    source: Path,
    out: Outputs,
    epsilon: float,
    columns: Sequence[str] | None = None,
    target: str | None = None,
    rows: int | None = None,
    seed: int | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    method: str = "aim",
    hide_rare: bool = False,
) -> Report:
    frame = read_table(source, delimiter, encoding).collect()
    cols = list(columns) if columns else frame.columns
    result = synthesize(frame, cols, epsilon, rows=rows, seed=seed, method=method, hide_rare=hide_rare)
    if out.data:
        write_table(result.frame, out.data, delimiter)
    fid = fidelity(frame.select(cols), result.frame, cols, target)
    report = Report(
        f"Synthetic data from {source.name}",
        utility=fid.as_dict(),
        sections={
            "privacy": {
                "epsilon": epsilon,
                "delta": result.delta,
                "rho": result.rho,
                "rho_spent": result.rho_spent,
                "method": result.method,
                "measured_marginals": [" × ".join(c) for c in result.cliques]
                or [f"{a} × {b}" for a, b in result.edges],
            }
        },
    )
    _write_report(report, out)
    return report


def aggregate_job(
    source: Path,
    by: Sequence[str],
    out: Outputs,
    rule: DiscretionRule,
    unit: str | None = None,
    weight: str | None = None,
    totals: bool = True,
    wide: bool = False,
    marker: str = "..",
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> CountTable:
    """Counts by ``by`` under Danmarks Statistik's discretion rule; hidden cells are written as ``marker``."""
    if wide and len(by) != 2:
        raise ConfigError("a wide layout needs exactly two columns to count by")
    table = count_table(read_table(source, delimiter, encoding), by, rule, unit, weight, totals)
    if out.data:
        write_table(table.wide(marker) if wide else table.publishable(marker), out.data, delimiter)
    report = Report(f"Counts of {source.name} by {', '.join(by)}", sections={"discretion": table.as_dict()})
    _write_report(report, out)
    return table
