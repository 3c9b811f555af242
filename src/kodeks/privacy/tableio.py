"""Read and write CSV, Parquet and XLSX tables; writes are atomic (temp file, then rename).

CSV and Parquet are scanned lazily so files larger than memory stream through Polars. Bad input gives an
:class:`InputError` naming the problem: empty file, a header that looks split by another delimiter, text that
is not in the declared encoding.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import polars as pl

from kodeks.privacy.errors import ConfigError, InputError

FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".parquet": "parquet", ".xlsx": "xlsx"}
_PROBE = 1 << 20


def table_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ConfigError(f"unsupported file type {path.suffix!r}; use .csv, .parquet or .xlsx") from None


def _check_csv(path: Path, delimiter: str, encoding: str) -> None:
    with path.open("rb") as fh:
        head = fh.read(_PROBE)
    if not head.strip():
        raise InputError(f"{path.name} is empty")
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError as exc:
        if len(head) < _PROBE or exc.start < len(head) - 4:
            raise InputError(
                f"{path.name} is not valid {encoding} (byte {exc.start}); "
                "pass the right --encoding, e.g. latin-1"
            ) from None
        text = head[: exc.start].decode(encoding)
    header = text.splitlines()[0] if text.splitlines() else ""
    if delimiter not in header:
        for other in (";", ",", "\t", "|"):
            if other != delimiter and other in header:
                raise InputError(
                    f"{path.name}: the header has no {delimiter!r} but contains {other!r}; "
                    f"is the delimiter {other!r}?"
                )
    if len(text.splitlines()) < 2:
        raise InputError(f"{path.name} has a header but no data rows")


def read_table(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> pl.LazyFrame:
    """All columns are read as text (codes like ``0101`` keep their leading zeros)."""
    if not path.is_file():
        raise InputError(f"input file {path.name} not found")
    fmt = table_format(path)
    try:
        if fmt == "csv":
            _check_csv(path, delimiter, encoding)
            if encoding.lower().replace("-", "") in ("utf8", "utf8sig"):
                return pl.scan_csv(path, separator=delimiter, infer_schema=False)
            text = path.read_bytes().decode(encoding)
            return pl.read_csv(io.StringIO(text), separator=delimiter, infer_schema=False).lazy()
        if fmt == "parquet":
            return pl.scan_parquet(path)
        frame = pl.read_excel(path, infer_schema_length=0)
        if frame.height == 0:
            raise InputError(f"{path.name} has no data rows")
        return frame.lazy()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name} is not valid {encoding}: {exc.reason}") from None
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise InputError(f"cannot read {path.name}: {str(exc).splitlines()[0]}") from None


def write_table(frame: pl.DataFrame | pl.LazyFrame, path: Path, delimiter: str = ",") -> None:
    """Write atomically: nothing is left at ``path`` (or next to it) if anything fails."""
    fmt = table_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "csv":
            if isinstance(frame, pl.LazyFrame):
                frame.sink_csv(tmp, separator=delimiter)
            else:
                frame.write_csv(tmp, separator=delimiter)
        elif fmt == "parquet":
            if isinstance(frame, pl.LazyFrame):
                frame.sink_parquet(tmp)
            else:
                frame.write_parquet(tmp)
        else:
            (frame.collect() if isinstance(frame, pl.LazyFrame) else frame).write_excel(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_text(text: str, path: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
