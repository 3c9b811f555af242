"""Format-preserving encryption of CPR numbers with FF1, reversible for the key holder.

``keep_rules=False``: the ten digits are encrypted as a radix-10 numeral string; the result looks like a CPR
number but need not be a real date. ``keep_rules=True``: the result is again a valid CPR number, a real birth
date in 1858-2057 whose seventh digit fits the century rule, with the parity of the last digit (sex) kept. The
valid numbers of one sex are ranked (date, seventh digit, digits 8-9, last digit); the rank is encrypted with
FF1 over bits and cycle-walked back into range (only the values that fell out of range walk again).

Everything runs on the numbers as unsigned 64-bit integers: Polars parses and formats the text, NumPy checks
the dates and computes ranks, and :meth:`FF1.encrypt_ints` encrypts whole columns; no value becomes a Python
string. Values keep their hyphen if they had one. Nulls stay null. Invalid CPR numbers raise :class:`CprError`
naming the first bad row, never the value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl

from kodeks.privacy.cpr import allowed_seventh
from kodeks.privacy.cpr import century as century_of
from kodeks.privacy.errors import CprError
from kodeks.privacy.ff1 import FF1

IntArray = npt.NDArray[np.int64]
U64Array = npt.NDArray[np.uint64]
BoolArray = npt.NDArray[np.bool_]
FIRST = dt.date(1858, 1, 1)
LAST = dt.date(2057, 12, 31)
PER_SEVENTH = 500  # digits 8-9 (100) x last digit of one parity (5)


@dataclass(frozen=True)
class _Tables:
    start: IntArray  # rank of the first number born on each day
    day: IntArray
    month: IntArray
    year: IntArray
    seventh: IntArray  # (years, 10): allowed seventh digits per year, padded with -1
    position: IntArray  # (years, 10): position of a seventh digit among the allowed ones
    total: int


@lru_cache(maxsize=1)
def tables() -> _Tables:
    n_days = (LAST - FIRST).days + 1
    dates = [FIRST + dt.timedelta(days=i) for i in range(n_days)]
    years = range(FIRST.year, LAST.year + 1)
    seventh = np.full((len(years), 10), -1, dtype=np.int64)
    position = np.full((len(years), 10), -1, dtype=np.int64)
    for i, y in enumerate(years):
        allowed = allowed_seventh(y)
        seventh[i, : len(allowed)] = allowed
        position[i, list(allowed)] = np.arange(len(allowed))
    per_day = np.array(
        [(seventh[d.year - FIRST.year] >= 0).sum() * PER_SEVENTH for d in dates], dtype=np.int64
    )
    start = np.concatenate([[0], np.cumsum(per_day)[:-1]])
    return _Tables(
        start=start,
        day=np.array([d.day for d in dates], dtype=np.int64),
        month=np.array([d.month for d in dates], dtype=np.int64),
        year=np.array([d.year for d in dates], dtype=np.int64),
        seventh=seventh,
        position=position,
        total=int(per_day.sum()),
    )


@lru_cache(maxsize=1)
def day_lookup() -> tuple[IntArray, IntArray]:
    """``century[seventh * 100 + yy]`` (0: 1800s, 1: 1900s, 2: 2000s) and ``day[century * 320000 + DDMMYY]``.

    ``day`` is the index of the birth date since 1858-01-01, or -1 where ``DDMMYY`` is not a real date in that
    century: one table lookup replaces date arithmetic and validation for a whole column.
    """
    century = np.array(
        [(century_of(yy, s) - 1800) // 100 for s in range(10) for yy in range(100)], dtype=np.int64
    )
    t = tables()
    day = np.full(3 * 320_000, -1, dtype=np.int64)
    day[(t.year - 1800) // 100 * 320_000 + t.day * 10_000 + t.month * 100 + t.year % 100] = np.arange(
        t.day.shape[0]
    )
    return century, day


def day_index(x: U64Array) -> IntArray:
    """Index of each number's birth date since 1858-01-01; -1 where the first six digits are not a date."""
    century, day = day_lookup()
    ddmmyy = (x // np.uint64(10_000)).astype(np.int64)
    seventh = (x // np.uint64(1000) % np.uint64(10)).astype(np.int64)
    inside = ddmmyy < 320_000  # days 32-99 are never dates
    found = day[century[seventh * 100 + ddmmyy % 100] * 320_000 + np.where(inside, ddmmyy, 0)]
    result: IntArray = np.where(inside, found, -1)
    return result


def parse_column(series: pl.Series, check_dates: bool = True) -> tuple[U64Array, BoolArray, BoolArray]:
    """Numbers, hyphen flags and the not-null mask of a column of ``DDMMYY-SSSS`` or ten-digit values.

    Raises :class:`CprError` naming the first bad row when a value is not ten digits (with an optional hyphen
    after the sixth) or, with ``check_dates``, when its first six digits are not a real birth date.
    """
    text = series.cast(pl.String).str.strip_chars()
    present = text.is_not_null().to_numpy()
    values = text.drop_nulls()
    shape_ok = values.str.contains(r"^[0-9]{6}-?[0-9]{4}$")
    good = shape_ok.to_numpy()
    x = np.zeros(values.len(), dtype=np.uint64)
    x[good] = values.filter(shape_ok).str.replace("-", "", literal=True).cast(pl.UInt64).to_numpy()
    if check_dates:
        good &= day_index(x) >= 0
    if not good.all():
        first = int(np.nonzero(present)[0][int(np.argmin(good))])
        what = "a real birth date" if check_dates else "ten digits"
        raise CprError(
            f"column {series.name!r}: {int((~good).sum())} value(s) are not valid CPR numbers "
            f"(first at row {first + 1}); a CPR number is DDMMYY-SSSS with {what}"
        )
    return x, values.str.contains("-", literal=True).to_numpy(), present


def format_column(name: str, x: U64Array, hyphen: BoolArray, present: BoolArray) -> pl.Series:
    """Ten-digit text of ``x`` (with the hyphen where ``hyphen``), nulls where not ``present``."""
    text = pl.Series(name, x).cast(pl.String).str.zfill(10)
    frame = pl.DataFrame({"t": text, "h": hyphen})
    shown = frame.select(
        pl.when(pl.col("h"))
        .then(pl.concat_str([pl.col("t").str.slice(0, 6), pl.lit("-"), pl.col("t").str.slice(6)]))
        .otherwise(pl.col("t"))
    ).to_series()
    if present.all():
        return shown.alias(name)
    result = pl.Series(name, [None] * present.shape[0], dtype=pl.String)
    return result.scatter(np.nonzero(present)[0], shown)


def rank(x: U64Array) -> tuple[IntArray, IntArray]:
    """Rank of each valid CPR number among those of its sex, and the sex (parity of the last digit)."""
    t = tables()
    index = day_index(x)
    serial = (x % np.uint64(10_000)).astype(np.int64)
    seventh, last = serial // 1000, serial % 10
    pos = t.position[t.year[index] - FIRST.year, seventh]
    result: IntArray = t.start[index] + pos * PER_SEVENTH + (serial // 10 % 100) * 5 + last // 2
    return result, last % 2


def unrank(ranks: IntArray, parity: IntArray) -> U64Array:
    t = tables()
    index = np.searchsorted(t.start, ranks, side="right") - 1
    rest = ranks - t.start[index]
    year = t.year[index]
    seventh = t.seventh[year - FIRST.year, rest // PER_SEVENTH]
    rest = rest % PER_SEVENTH
    ddmmyy = t.day[index] * 10_000 + t.month[index] * 100 + year % 100
    serial = seventh * 1000 + (rest // 5) * 10 + (rest % 5) * 2 + parity
    number: U64Array = (ddmmyy * 10_000 + serial).astype(np.uint64)
    return number


def _permute_ranks(ff1: FF1, ranks: IntArray, parity: IntArray, decrypt: bool) -> IntArray:
    total = tables().total
    width = max(int(total - 1).bit_length(), ff1.min_length)
    out = ranks.copy()
    for p in (0, 1):
        tweak = b"kodeks-cpr-keep-rules" + bytes([p])
        todo = np.nonzero(parity == p)[0]
        current = out[todo].astype(np.uint64)
        while todo.size:  # cycle walking: only values that left the range go round again
            moved = (
                ff1.decrypt_ints(current, width, tweak)
                if decrypt
                else ff1.encrypt_ints(current, width, tweak)
            )
            done = moved < total
            out[todo[done]] = moved[done].astype(np.int64)
            todo, current = todo[~done], moved[~done]
    return out


def transform(series: pl.Series, key: bytes, keep_rules: bool = True, decrypt: bool = False) -> pl.Series:
    """Encrypt (or with ``decrypt`` reverse) a column of CPR numbers with FF1 under ``key`` (32 bytes)."""
    x, hyphen, present = parse_column(series, check_dates=keep_rules or not decrypt)
    if x.shape[0] == 0:
        return series.cast(pl.String)
    if keep_rules:
        ff1 = FF1(key[:32], radix=2)
        ranks, parity = rank(x)
        out = unrank(_permute_ranks(ff1, ranks, parity, decrypt), parity)
    else:
        ff1 = FF1(key[:32], radix=10)
        tweak = b"kodeks-cpr-digits"
        out = ff1.decrypt_ints(x, 10, tweak) if decrypt else ff1.encrypt_ints(x, 10, tweak)
    return format_column(series.name, out, hyphen, present)
