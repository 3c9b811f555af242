"""Anonymize a table: optimal full-domain generalization plus record suppression, or Mondrian local recoding.

Suppressed records keep their non-QI columns and get ``*`` in every quasi-identifier (ARX convention), or are
dropped (``suppression="drop"``). Direct identifiers are removed. The result is lazy: write it with
:func:`kodeks.privacy.tableio.write_table` to stream it to disk.

**Global or local recoding** (``recoding``): ``global`` is the optimal full-domain generalization (one level
per column), ``local`` is Mondrian (each class generalized only as far as it needs), and ``auto`` (the
default) decides: global recoding is kept while its information loss (GenILoss, in [0, 1], suppressed cells
counting 1) is at most ``max_global_loss`` (default 0.3), because one level per column is what analysts can
work with most easily and what stays comparable between releases. Above that, Mondrian is run as well and
replaces the global result when it loses at least ``local_min_gain`` (default 20 %) less. When the lattice of
global recoding is too large to search (:class:`~kodeks.privacy.errors.SearchSpaceTooLarge`), ``auto`` uses
Mondrian alone and says why in ``global_skipped``. Local recoding is never chosen with the average-risk model,
which it cannot enforce.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from kodeks.privacy.encoding import EncodedTable, as_text, check_columns, encode
from kodeks.privacy.errors import ConfigError, SearchSpaceTooLarge
from kodeks.privacy.hierarchy import Hierarchy
from kodeks.privacy.metrics import MetricName, build_metric
from kodeks.privacy.models import (
    AverageRisk,
    DistinctLDiversity,
    EntropyLDiversity,
    PrivacyModel,
    RecursiveCLDiversity,
    TCloseness,
)
from kodeks.privacy.mondrian import MondrianResult, mondrian
from kodeks.privacy.search import SearchResult, exhaustive_search, optimal_search

SUPPRESSED = "*"
FLAG = "__kodeks_suppressed"


@dataclass(frozen=True)
class AnonymizationConfig:
    quasi_identifiers: tuple[str, ...]
    hierarchies: Mapping[str, Hierarchy]
    models: tuple[PrivacyModel, ...]
    suppression_limit: float = 0.0
    metric: MetricName = "loss"
    identifiers: tuple[str, ...] = ()
    suppression: Literal["mask", "drop"] = "mask"
    search: Literal["optimal", "exhaustive"] = "optimal"
    recoding: Literal["global", "local", "auto"] = "auto"
    numeric: tuple[str, ...] = ()  # quasi-identifiers Mondrian cuts as numbers (interval hierarchies)
    max_global_loss: float = 0.3
    local_min_gain: float = 0.2

    def __post_init__(self) -> None:
        if not 0.0 <= self.suppression_limit <= 1.0:
            raise ConfigError(f"suppression limit must be between 0 and 1, got {self.suppression_limit}")
        if not self.models:
            raise ConfigError("declare at least one privacy model")
        if not self.quasi_identifiers:
            raise ConfigError("declare at least one quasi-identifier")
        if self.recoding not in ("global", "local", "auto"):
            raise ConfigError(f"recoding must be global, local or auto, got {self.recoding!r}")
        if self.recoding == "local" and any(isinstance(m, AverageRisk) for m in self.models):
            raise ConfigError("local recoding (Mondrian) does not support the average-risk model; use global")
        if not (0.0 <= self.max_global_loss <= 1.0 and 0.0 <= self.local_min_gain < 1.0):
            raise ConfigError("max_global_loss must be in [0, 1] and local_min_gain in [0, 1)")
        unknown = set(self.numeric) - set(self.quasi_identifiers)
        if unknown:
            raise ConfigError(f"numeric column(s) {sorted(unknown)} are not quasi-identifiers")
        overlap = set(self.quasi_identifiers) & set(self.identifiers)
        if overlap:
            raise ConfigError(f"column(s) {sorted(overlap)} declared both identifier and quasi-identifier")

    @property
    def sensitive(self) -> tuple[str, ...]:
        cols = [
            m.column
            for m in self.models
            if isinstance(m, DistinctLDiversity | EntropyLDiversity | RecursiveCLDiversity | TCloseness)
        ]
        return tuple(dict.fromkeys(cols))


@dataclass
class AnonymizationResult:
    frame: pl.LazyFrame
    levels: dict[str, int]  # global recoding: the level of each quasi-identifier (empty for local recoding)
    labels: dict[str, str]
    suppressed_rows: int
    n_rows: int
    loss: float  # the configured metric for global recoding, GenILoss for local recoding
    search: SearchResult | None
    table: EncodedTable = field(repr=False)
    recoding: Literal["global", "local"] = "global"
    global_loss: float | None = None  # GenILoss of the global optimum, when it was computed
    local: MondrianResult | None = field(default=None, repr=False)
    global_skipped: str | None = None  # why global recoding was not tried (auto: the lattice was too large)

    @property
    def local_loss(self) -> float | None:
        return self.local.loss if self.local is not None else None


def anonymize(frame: pl.DataFrame | pl.LazyFrame, config: AnonymizationConfig) -> AnonymizationResult:
    lazy = frame.lazy()
    check_columns(lazy.collect_schema().names(), [*config.quasi_identifiers, *config.identifiers])
    table = encode(lazy, config.quasi_identifiers, config.hierarchies, config.sensitive)
    result: SearchResult | None = None
    global_loss: float | None = None
    skipped: str | None = None
    if config.recoding != "local":
        metric = build_metric(config.metric, table)
        searcher = optimal_search if config.search == "optimal" else exhaustive_search
        try:
            result = searcher(table, config.models, config.suppression_limit, metric)
        except SearchSpaceTooLarge as exc:
            if config.recoding != "auto" or any(isinstance(m, AverageRisk) for m in config.models):
                raise
            skipped = exc.message  # auto: Mondrian's work grows with the data, not with the lattice
    if result is not None:
        ev = result.evaluation
        global_loss = (
            result.value
            if config.metric == "loss"
            else build_metric("loss", table).value(ev.classes, ev.suppressed)
        )
    local: MondrianResult | None = None
    if result is None or _try_local(config, global_loss):
        local = mondrian(table, config.models, config.numeric)
    if result is not None and (
        local is None or global_loss is None or not _local_wins(config, global_loss, local)
    ):
        released = apply_transformation(lazy, table, result, config)
        levels = dict(zip(config.quasi_identifiers, result.levels, strict=True))
        labels = {q: _level_label(config.hierarchies[q], lv) for q, lv in levels.items()}
        suppressed = result.evaluation.suppressed_rows
        return AnonymizationResult(
            released,
            levels,
            labels,
            suppressed,
            table.n_rows,
            result.value,
            result,
            table,
            "global",
            global_loss,
            local,
        )
    assert local is not None
    released = apply_local(lazy, table, local, config)
    labels = dict.fromkeys(config.quasi_identifiers, "local")
    return AnonymizationResult(
        released, {}, labels, 0, table.n_rows, local.loss, result, table, "local", global_loss, local, skipped
    )


def _try_local(config: AnonymizationConfig, global_loss: float | None) -> bool:
    if config.recoding != "auto" or global_loss is None:
        return False
    if any(isinstance(m, AverageRisk) for m in config.models):
        return False
    return global_loss > config.max_global_loss


def _local_wins(config: AnonymizationConfig, global_loss: float, local: MondrianResult) -> bool:
    return local.loss <= global_loss * (1.0 - config.local_min_gain)


def _level_label(hierarchy: Hierarchy, level: int) -> str:
    return f"{level}/{hierarchy.height - 1}"


def apply_transformation(
    lazy: pl.LazyFrame, table: EncodedTable, result: SearchResult, config: AnonymizationConfig
) -> pl.LazyFrame:
    ev = result.evaluation
    qis = list(config.quasi_identifiers)
    row_suppressed = ev.suppressed[ev.classes.row_class]
    out = lazy.drop(list(config.identifiers))
    if row_suppressed.any():
        leaves = {q: table.hierarchies[a].leaves for a, q in enumerate(qis)}
        sup = pl.DataFrame(
            {q: [leaves[q][i] for i in table.leaf_codes[row_suppressed, a]] for a, q in enumerate(qis)},
            schema=dict.fromkeys(qis, pl.String),
        ).unique()
        out = (
            out.with_columns([as_text(q) for q in qis])
            .join(sup.lazy().with_columns(pl.lit(True).alias(FLAG)), on=qis, how="left", nulls_equal=True)
            .with_columns(pl.col(FLAG).fill_null(False))
        )
    else:
        out = out.with_columns(pl.lit(False).alias(FLAG))
    generalized = []
    for a, q in enumerate(qis):
        level = result.levels[a]
        mapping = config.hierarchies[q].mapping(level)
        expr = as_text(q).replace_strict(mapping, return_dtype=pl.String)
        generalized.append(pl.when(pl.col(FLAG)).then(pl.lit(SUPPRESSED)).otherwise(expr).alias(q))
    out = out.with_columns(generalized)
    if config.suppression == "drop":
        out = out.filter(~pl.col(FLAG))
    return out.drop(FLAG)


def apply_local(
    lazy: pl.LazyFrame, table: EncodedTable, local: MondrianResult, config: AnonymizationConfig
) -> pl.LazyFrame:
    """Replace each record's quasi-identifiers by its Mondrian class's values."""
    qis = list(config.quasi_identifiers)
    new = [f"{q}__kodeks_local" for q in qis]
    leaves = [table.hierarchies[a].leaves for a in range(len(qis))]
    columns: dict[str, list[str]] = {q: [] for q in [*qis, *new]}
    for r, labels in enumerate(local.row_labels):
        for a, q in enumerate(qis):
            columns[q].append(leaves[a][int(table.leaf_codes[r, a])])
            columns[new[a]].append(labels[a])
    mapping = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)).unique(subset=qis)
    out = lazy.drop(list(config.identifiers)).with_columns([as_text(q) for q in qis])
    out = out.join(mapping.lazy(), on=qis, how="left", nulls_equal=True, maintain_order="left")
    return out.with_columns([pl.col(n).alias(q) for q, n in zip(qis, new, strict=True)]).drop(new)
