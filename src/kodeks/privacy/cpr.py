"""Danish CPR numbers: validation, century and sex rules, detection in free text.

A CPR number is ``DDMMYY-SSSS``. The first serial digit and ``YY`` give the century (CPR-kontoret's table).
The last digit is odd for men. Numbers issued since 2007 need not pass the modulus-11 check, so validity
means: ten digits that form a real birth date. ``modulus11`` is offered for information only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from kodeks.privacy.errors import CprError

CPR_IN_TEXT = re.compile(r"(?<![0-9-])([0-9]{6})(-?)([0-9]{4})(?![0-9])")
_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def century(yy: int, seventh: int) -> int:
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def allowed_seventh(year: int) -> tuple[int, ...]:
    """Serial digits 7 that are consistent with a birth year."""
    return tuple(d for d in range(10) if century(year % 100, d) == year - year % 100)


@dataclass(frozen=True)
class Cpr:
    digits: str  # ten digits, no hyphen
    birth_date: dt.date

    @property
    def male(self) -> bool:
        return int(self.digits[-1]) % 2 == 1


def parse(text: str) -> Cpr:
    digits = text.strip().replace("-", "", 1)
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        raise CprError("not a CPR number: expected ten digits as DDMMYY-SSSS")
    day, month, yy, seventh = int(digits[:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    try:
        born = dt.date(century(yy, seventh) + yy, month, day)
    except ValueError:
        raise CprError("not a CPR number: the first six digits are not a real date") from None
    return Cpr(digits, born)


def modulus11(digits: str) -> bool:
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def valid_expr(column: str) -> pl.Expr:
    """Polars expression: is each value a valid CPR number (``DDMMYY-SSSS`` or ten digits)?"""
    digits = pl.col(column).cast(pl.String).str.strip_chars().str.replace("-", "", literal=True)
    yy = digits.str.slice(4, 2).cast(pl.Int32, strict=False)
    seventh = digits.str.slice(6, 1).cast(pl.Int32, strict=False)
    cent = (
        pl.when(seventh <= 3)
        .then(1900)
        .when(seventh.is_in([4, 9]))
        .then(pl.when(yy <= 36).then(2000).otherwise(1900))
        .otherwise(pl.when(yy <= 57).then(2000).otherwise(1800))
    )
    iso = pl.format(
        "{}-{}-{}", (cent + yy).cast(pl.String).str.zfill(4), digits.str.slice(2, 2), digits.str.slice(0, 2)
    )
    date_ok = iso.str.to_date("%Y-%m-%d", strict=False).is_not_null()
    return (digits.str.contains(r"^[0-9]{10}$") & date_ok).fill_null(False)


def check_column(frame: pl.DataFrame, column: str) -> None:
    """Raise :class:`CprError` naming the first bad row (never echoing the value) if a value is not a CPR."""
    bad = frame.with_row_index("__row").filter(~valid_expr(column) & pl.col(column).is_not_null())
    if bad.height:
        raise CprError(
            f"column {column!r}: {bad.height} value(s) are not valid CPR numbers "
            f"(first at row {bad['__row'][0] + 1}); "
            "a CPR number is DDMMYY-SSSS with a real birth date"
        )


def replace_in_text(text: str, replace: Callable[[Cpr, str], str]) -> str:
    """Replace every valid CPR number in ``text``; ``replace(cpr, original)`` returns the replacement.

    Ten-digit runs that are not real dates (phone numbers, account numbers) are left alone.
    """

    def sub(match: re.Match[str]) -> str:
        try:
            cpr = parse(match.group(1) + match.group(3))
        except CprError:
            return match.group(0)
        return replace(cpr, match.group(0))

    return CPR_IN_TEXT.sub(sub, text)
