"""Reading a row's date from any common date or datetime form, as a Polars expression."""

from __future__ import annotations

import polars as pl

#: Day-first and year-first forms read from text, tried in this order after ISO dates and datetimes.
TEXT_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%Y%m%d", "%d-%m-%y", "%d.%m.%y")
_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ].*)?$"


def date_expr(column: str, dtype: pl.DataType) -> pl.Expr:
    """``column`` as a date: ``null`` where it is missing or cannot be read (``bad_date``)."""
    col = pl.col(column)
    if dtype == pl.Date:
        return col
    if isinstance(dtype, pl.Datetime):
        return col.dt.date()
    text = col.cast(pl.String, strict=False).str.strip_chars()
    iso = pl.when(text.str.contains(_ISO)).then(text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
    return pl.coalesce(iso, *(text.str.to_date(f, strict=False) for f in TEXT_FORMATS))
