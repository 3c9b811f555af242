"""Datasets to validate (a case extract): Parquet, CSV, XLSX and JSON Lines, in and out, as Polars
LazyFrames, chosen by the file's suffix (``DATASET_FORMATS``).

Readers stream where the format allows (Parquet, CSV, JSON Lines are scanned, never loaded whole);
XLSX is read row by row (``openpyxl`` read-only) and is bounded by Excel's own sheet size. CSV is
read as text (a code such as ``02.00`` or ``0101`` keeps its form); its separator (``;`` ``,`` or tab)
is taken from the header line. What cannot be read is a ``MalformedInput`` naming the file: an empty
file, text that is not UTF-8, a file that is not what its suffix says.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from kodeks.errors import InputTooLarge, InvalidRequest, MalformedInput

#: XLSX: Excel's own limit on rows, and a cap on the file's unpacked size (a zip bomb stops here).
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_UNPACKED = 512 * 1024 * 1024
_SNIFF = 64 * 1024


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    for kind, suffixes in SUFFIXES.items():
        if suffix in suffixes:
            return kind
    known = ", ".join(s for group in SUFFIXES.values() for s in group)
    raise InvalidRequest(f"{path.name}: cannot tell the format from {suffix or 'no suffix'!r} (use {known})")


def _nonempty(path: Path) -> None:
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise MalformedInput("the file is empty (0 bytes)", source=path.name)


def _separator(path: Path) -> str:
    head = path.open("rb").read(_SNIFF)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=len(head) < _SNIFF)
    except UnicodeDecodeError as exc:
        raise MalformedInput(
            f"not UTF-8 text (byte {exc.start}); convert it first, e.g. iconv -f cp1252 -t utf-8",
            source=path.name,
        ) from None
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise MalformedInput("no header line", source=path.name)
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","


def _bom(names: list[str]) -> list[str]:
    return [names[0].lstrip("\ufeff"), *names[1:]] if names else names


def scan_csv(path: Path) -> pl.LazyFrame:
    _nonempty(path)
    separator = _separator(path)
    return pl.scan_csv(
        path,
        separator=separator,
        infer_schema=False,
        with_column_names=_bom,
        missing_columns="insert",
        truncate_ragged_lines=False,
    )


def scan_parquet(path: Path) -> pl.LazyFrame:
    _nonempty(path)
    with path.open("rb") as f:
        magic = f.read(4)
    if magic != b"PAR1":
        raise MalformedInput("not a Parquet file (it does not start with PAR1)", source=path.name)
    return pl.scan_parquet(path)


def scan_ndjson(path: Path) -> pl.LazyFrame:
    _nonempty(path)
    _separator(path)  # UTF-8 and a first line
    return pl.scan_ndjson(path, infer_schema_length=10_000)


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path) -> pl.LazyFrame:
    """The first sheet, every cell as text (dates as ISO dates); the first row names the columns."""
    import openpyxl

    _nonempty(path)
    try:
        with zipfile.ZipFile(path) as z:
            if sum(i.file_size for i in z.infolist()) > XLSX_MAX_UNPACKED:
                raise InputTooLarge("the workbook unpacks to more than 512 MB", source=path.name)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise MalformedInput(f"not an XLSX workbook ({type(exc).__name__})", source=path.name) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise MalformedInput("the first sheet is empty", source=path.name)
        names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
        if len(set(names)) != len(names):
            raise MalformedInput("two columns have the same name in the header row", source=path.name)
        columns: list[list[str | None]] = [[] for _ in names]
        for n, row in enumerate(rows, start=2):
            if n > XLSX_MAX_ROWS:
                raise InputTooLarge(f"more than {XLSX_MAX_ROWS} rows", source=path.name)
            for i in range(len(names)):
                columns[i].append(_cell(row[i]) if i < len(row) else None)
    finally:
        book.close()
    return pl.DataFrame(
        {n: pl.Series(n, c, dtype=pl.String) for n, c in zip(names, columns, strict=True)}
    ).lazy()


def scan(path: Path) -> pl.LazyFrame:
    """The dataset at ``path`` as a LazyFrame (nothing read beyond checks yet, except XLSX)."""
    return READERS[_kind(path)](path)


def _write_xlsx(data: pl.LazyFrame, path: Path) -> None:
    import openpyxl

    frame = data.collect()
    if frame.height >= XLSX_MAX_ROWS:
        raise InvalidRequest(f"{frame.height} rows do not fit an XLSX sheet; write Parquet or CSV")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(list(row))
    book.save(path)


def write(data: pl.LazyFrame, path: Path) -> None:
    """Write ``data`` to ``path`` in the format its suffix names, streaming where it can."""
    kind = _kind(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind in ("csv", "xlsx"):  # text cells: a list (a crosswalk's 1:n targets) is written comma-joined
        lists = [n for n, t in data.collect_schema().items() if isinstance(t, pl.List)]
        data = data.with_columns(pl.col(n).list.join(",") for n in lists) if lists else data
    if kind == "parquet":
        data.sink_parquet(path)
    elif kind == "csv":
        data.sink_csv(path)
    elif kind == "jsonl":
        data.sink_ndjson(path)
    else:
        _write_xlsx(data, path)


SUFFIXES: dict[str, tuple[str, ...]] = {
    "parquet": (".parquet", ".pq"),
    "csv": (".csv", ".tsv", ".txt"),
    "xlsx": (".xlsx",),
    "jsonl": (".jsonl", ".ndjson"),
}
READERS: dict[str, Callable[[Path], pl.LazyFrame]] = {
    "parquet": scan_parquet,
    "csv": scan_csv,
    "xlsx": read_xlsx,
    "jsonl": scan_ndjson,
}
