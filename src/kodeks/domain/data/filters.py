"""A set of codes as a filter expression for SQL, Polars and Spark (exact: an ``IN`` list)."""

from __future__ import annotations

from collections.abc import Sequence


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _py_string(value: str) -> str:
    return repr(value)


def sql(column: str, codes: Sequence[str]) -> str:
    if not codes:
        return "FALSE"
    return f"{_sql_name(column)} IN ({', '.join(_sql_string(c) for c in codes)})"


def polars(column: str, codes: Sequence[str]) -> str:
    return f"pl.col({_py_string(column)}).is_in([{', '.join(_py_string(c) for c in codes)}])"


def spark(column: str, codes: Sequence[str]) -> str:
    return f"F.col({_py_string(column)}).isin([{', '.join(_py_string(c) for c in codes)}])"


FILTERS = {"sql": sql, "polars": polars, "spark": spark}
