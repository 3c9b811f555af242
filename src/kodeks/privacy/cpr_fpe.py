"""Format-preserving encryption of CPR numbers with FF1, reversible for the key holder.

``keep_rules=False``: the ten digits are encrypted as a radix-10 numeral string; the result looks like a CPR
number but need not be a real date. ``keep_rules=True``: the result is again a valid CPR number, a real birth
date in 1858-2057 whose seventh digit fits the century rule, with the parity of the last digit (sex) kept. The
valid numbers of one sex are ranked (date, seventh digit, digits 8-9, last digit); the rank is encrypted with
FF1 over bits and cycle-walked back into range.

Values keep their hyphen if they had one. Nulls stay null. Invalid CPR numbers raise :class:`CprError`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl

from kodeks.privacy.cpr import allowed_seventh, check_column
from kodeks.privacy.ff1 import FF1

IntArray = npt.NDArray[np.int64]
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


def days_from_civil(y: IntArray, m: IntArray, d: IntArray) -> IntArray:
    """Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm), vectorised."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    result: IntArray = era * 146097 + doe - 719468
    return result


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


def digits_matrix(digits: pl.Series) -> IntArray:
    """Ten-digit strings to an (n, 10) integer matrix in one pass."""
    joined = digits.str.join("").item()
    return (np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, 10).astype(np.int64)) - 48


def matrix_to_series(name: str, matrix: IntArray) -> pl.Series:
    raw = (matrix + 48).astype(np.uint8).tobytes()
    return pl.Series(name, np.frombuffer(raw, dtype="S10")).cast(pl.String)


def _rank(m: IntArray) -> tuple[IntArray, IntArray]:
    t = tables()
    day, month, yy, seventh = m[:, 0] * 10 + m[:, 1], m[:, 2] * 10 + m[:, 3], m[:, 4] * 10 + m[:, 5], m[:, 6]
    century = np.where(
        seventh <= 3,
        1900,
        np.where(
            (seventh == 4) | (seventh == 9), np.where(yy <= 36, 2000, 1900), np.where(yy <= 57, 2000, 1800)
        ),
    )
    year = century + yy
    index = days_from_civil(year, month, day) - days_from_civil(
        np.array([FIRST.year]), np.array([1]), np.array([1])
    )
    pos = t.position[year - FIRST.year, seventh]
    rank = t.start[index] + pos * PER_SEVENTH + (m[:, 7] * 10 + m[:, 8]) * 5 + m[:, 9] // 2
    return rank, m[:, 9] % 2


def _unrank(rank: IntArray, parity: IntArray) -> IntArray:
    t = tables()
    index = np.searchsorted(t.start, rank, side="right") - 1
    rest = rank - t.start[index]
    year = t.year[index]
    seventh = t.seventh[year - FIRST.year, rest // PER_SEVENTH]
    rest = rest % PER_SEVENTH
    serial89, last = rest // 5, (rest % 5) * 2 + parity
    day, month, yy = t.day[index], t.month[index], year % 100
    cols = [
        day // 10,
        day % 10,
        month // 10,
        month % 10,
        yy // 10,
        yy % 10,
        seventh,
        serial89 // 10,
        serial89 % 10,
        last,
    ]
    return np.stack(cols, axis=1)


def _bits(values: IntArray, width: int) -> IntArray:
    shifts = np.arange(width - 1, -1, -1, dtype=np.int64)
    bits: IntArray = (values[:, None] >> shifts[None, :]) & 1
    return bits


def _from_bits(bits: IntArray) -> IntArray:
    width = bits.shape[1]
    result: IntArray = (bits << np.arange(width - 1, -1, -1, dtype=np.int64)[None, :]).sum(axis=1)
    return result


def _permute_ranks(ff1: FF1, rank: IntArray, parity: IntArray, decrypt: bool) -> IntArray:
    total = tables().total
    width = max(int(total - 1).bit_length(), ff1.min_length)
    out = rank.copy()
    for p in (0, 1):
        tweak = b"kodeks-cpr-keep-rules" + bytes([p])
        todo = np.nonzero(parity == p)[0]
        current = out[todo]
        while todo.size:
            bits = _bits(current, width)
            moved = _from_bits(ff1.decrypt_batch(bits, tweak) if decrypt else ff1.encrypt_batch(bits, tweak))
            done = moved < total
            out[todo[done]] = moved[done]
            todo, current = todo[~done], moved[~done]
    return out


def transform(series: pl.Series, key: bytes, keep_rules: bool = True, decrypt: bool = False) -> pl.Series:
    """Encrypt (or with ``decrypt`` reverse) a column of CPR numbers with FF1 under ``key`` (32 bytes)."""
    name = series.name
    frame = pl.DataFrame({name: series.cast(pl.String).str.strip_chars()})
    if keep_rules or not decrypt:
        check_column(frame, name)
    present = frame[name].drop_nulls()
    if present.len() == 0:
        return frame[name]
    hyphen = present.str.contains("-", literal=True)
    m = digits_matrix(present.str.replace("-", "", literal=True))
    ff1 = FF1(key[:32], radix=10 if not keep_rules else 2)
    if keep_rules:
        rank, parity = _rank(m)
        out = _unrank(_permute_ranks(ff1, rank, parity, decrypt), parity)
    else:
        tweak = b"kodeks-cpr-digits"
        out = ff1.decrypt_batch(m, tweak) if decrypt else ff1.encrypt_batch(m, tweak)
    text = matrix_to_series(name, out)
    text = pl.select(
        pl.when(hyphen)
        .then(pl.concat_str([text.str.slice(0, 6), pl.lit("-"), text.str.slice(6)]))
        .otherwise(text)
    ).to_series()
    result = frame[name].clone()
    mask = frame[name].is_not_null()
    return result.scatter(np.nonzero(mask.to_numpy())[0], text).alias(name)
