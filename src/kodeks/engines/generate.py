"""Realistic case extracts drawn from a classification's real history, for testing pipelines.

Each row is a case (``sagsnr``) opened on a date (``oprettet``) in a municipality (``kommunekode``,
the 98 real codes) with a code (``kle``) that was valid on that date — drawn from the registry's
valid-time table, so the codes and their dates are the real history's. A share of rows carries the
errors real extracts have: codes used after they expired or moved, typos (a dot lost: malformed),
a group's code where an emne is expected (wrong level), blanks, and local codes (a municipality's own
number under a real group). Generation is vectorised (NumPy and Polars) in chunks: no Python object
per row, so 10 million rows are practical.

Further code columns (``also``: a branch code from DB07, an occupation from ISCO-08) are drawn from
their own classification's valid-time table: a code of its finest level valid on the row's date,
with ``Extra`` shares of blanks and of typos (a digit typed twice: malformed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from kodeks.domain.data.status import Status
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.domain.local.municipalities import MUNICIPALITIES

EPOCH = date(1970, 1, 1)
CHUNK = 1_000_000


@dataclass(frozen=True, slots=True)
class Mix:
    """Shares of rows with each kind of error (the rest are valid on their date)."""

    outdated: float = 0.04
    typo: float = 0.01
    wrong_level: float = 0.01
    blank: float = 0.01
    local: float = 0.005

    def total(self) -> float:
        return self.outdated + self.typo + self.wrong_level + self.blank + self.local


@dataclass(frozen=True, slots=True)
class Extra:
    """A further code column: ``name`` drawn from ``table``, with shares of blanks and typos."""

    name: str
    table: ValidTimeTable
    blank: float = 0.01
    typo: float = 0.01


#: Redraws for rows whose drawn code is not valid on the row's date; rows still without one are blank.
_TRIES = 16


def _days(d: date) -> int:
    return (d - EPOCH).days


def _pool(
    table: ValidTimeTable, statuses: set[Status], level: int | None, lo: date, hi: date
) -> pl.DataFrame:
    rows = [
        (s.code, _days(max(s.start or lo, lo)), _days(min(s.end or hi, hi)), s.parent or s.code)
        for s in table.segments
        if s.status in statuses
        and (level is None or s.level == level)
        and (s.start or lo) < hi
        and (s.end or hi) > lo
    ]
    rows = [r for r in rows if r[2] > r[1]]
    if not rows:
        raise ValueError("the classification has no codes to draw from in that period")
    return pl.DataFrame(rows, schema=["code", "lo", "hi", "parent"], orient="row")


def generate(
    table: ValidTimeTable,
    rows: int,
    *,
    seed: int = 12,
    mix: Mix | None = None,
    start: date = date(2008, 1, 1),
    end: date = date(2026, 6, 30),
    also: tuple[Extra, ...] = (),
) -> pl.LazyFrame:
    """``rows`` cases as a LazyFrame (built chunk by chunk), with a column for each of ``also``."""
    mix = mix or Mix()
    if rows < 0 or mix.total() > 1:
        raise ValueError("rows must be ≥ 0 and the error shares at most 1 together")
    levels = {s.level for s in table.segments if s.level is not None}
    leaf = max(levels) if levels else None
    valid = _pool(table, {Status.VALID}, leaf, start, end)
    outdated = _pool(table, {Status.MOVED, Status.EXPIRED}, leaf, start, end)
    known = {s.code for s in table.segments}
    kommuner = np.array(sorted(MUNICIPALITIES))
    extras = [(x, _pool(x.table, {Status.VALID}, _finest(x.table), start, end)) for x in also]
    rng = np.random.default_rng(seed)
    chunks = []
    for offset in range(0, max(rows, 1), CHUNK):  # one empty chunk when rows is 0
        n = min(CHUNK, rows - offset)
        chunk = _chunk(rng, n, offset, valid, outdated, known, kommuner, mix)
        days = chunk["oprettet"].cast(pl.Int64).to_numpy()
        columns = [_extra(rng, x, pool, days) for x, pool in extras]
        chunks.append(chunk.with_columns(columns).lazy())
    return pl.concat(chunks)


def _finest(table: ValidTimeTable) -> int | None:
    levels = {s.level for s in table.segments if s.level is not None}
    return max(levels) if levels else None


def _extra(rng: np.random.Generator, extra: Extra, pool: pl.DataFrame, days: np.ndarray) -> pl.Series:
    """One code per row valid on the row's day (``days``: days since 1970), then blanks and typos."""
    n = len(days)
    codes = np.full(n, "", dtype=object)
    todo = np.arange(n)
    for _ in range(_TRIES):
        if not len(todo):
            break
        drawn = _draw(rng, pool, len(todo))
        lo, hi = drawn["lo"].to_numpy(), drawn["hi"].to_numpy()
        fits = (lo <= days[todo]) & (days[todo] < hi)
        codes[todo[fits]] = drawn["code"].to_numpy()[fits]
        todo = todo[~fits]
    kind = rng.random(n)
    series = pl.Series(extra.name, codes, dtype=pl.String)
    typo = pl.Series((kind >= extra.blank) & (kind < extra.blank + extra.typo))
    frame = pl.DataFrame({"code": series, "blank": pl.Series(kind < extra.blank), "typo": typo})
    value = (
        pl.when(pl.col("blank"))
        .then(pl.lit(""))
        .when(pl.col("typo") & (pl.col("code") != ""))
        .then(pl.col("code") + pl.col("code").str.slice(-1))
        .otherwise(pl.col("code"))
    )
    return frame.select(value.alias(extra.name)).to_series()


def _draw(rng: np.random.Generator, pool: pl.DataFrame, n: int) -> pl.DataFrame:
    span = (pool["hi"] - pool["lo"]).to_numpy().astype(np.float64)
    # a segment is drawn in proportion to its length: row dates spread evenly over the period
    picked = pool[rng.choice(pool.height, size=n, p=span / span.sum())] if n else pool.clear()
    lo, hi = picked["lo"].to_numpy(), picked["hi"].to_numpy()
    day = lo + np.floor(rng.random(n) * (hi - lo)).astype(np.int64)
    return picked.with_columns(pl.Series("day", day, dtype=pl.Int64))


def _chunk(
    rng: np.random.Generator,
    n: int,
    offset: int,
    valid: pl.DataFrame,
    outdated: pl.DataFrame,
    known: set[str],
    kommuner: np.ndarray,
    mix: Mix,
) -> pl.DataFrame:
    kind = rng.random(n)
    edges = np.cumsum([mix.outdated, mix.typo, mix.wrong_level, mix.blank, mix.local])
    good = _draw(rng, valid, n)
    old = _draw(rng, outdated, n)
    use_old = kind < edges[0]
    code = pl.Series(
        "code", np.where(use_old, old["code"].to_numpy(), good["code"].to_numpy()), dtype=pl.String
    )
    day = np.where(use_old, old["day"].to_numpy(), good["day"].to_numpy())
    typo = (kind >= edges[0]) & (kind < edges[1])
    level = (kind >= edges[1]) & (kind < edges[2])
    blank = (kind >= edges[2]) & (kind < edges[3])
    local = (kind >= edges[3]) & (kind < edges[4])
    suffix = rng.integers(90, 100, size=n).astype(str)
    frame = pl.DataFrame(
        {
            "code": code,
            "parent": good["parent"],
            "suffix": suffix,
            "typo": typo,
            "level": level,
            "blank": blank,
            "local": local,
        }
    )
    local_code = pl.col("parent") + "." + pl.col("suffix")
    kle = (
        pl.when(pl.col("blank"))
        .then(pl.lit(""))
        .when(pl.col("typo"))
        .then(pl.col("code").str.replace(r"\.(\d+)$", "$1"))
        .when(pl.col("level"))
        .then(pl.col("parent"))
        .when(pl.col("local") & ~local_code.is_in(sorted(known)))
        .then(local_code)
        .otherwise(pl.col("code"))
    )
    return pl.DataFrame(
        {
            "sagsnr": pl.int_range(offset + 1, offset + n + 1, eager=True).cast(pl.String).str.zfill(9),
            "kle": frame.select(kle).to_series(),
            "oprettet": pl.Series(day, dtype=pl.Int64).cast(pl.Date),
            "kommunekode": pl.Series(kommuner[rng.integers(0, len(kommuner), size=n)], dtype=pl.String),
        }
    ).with_columns(pl.lit("S").add(pl.col("sagsnr")).alias("sagsnr"))
