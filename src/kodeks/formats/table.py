"""A table read from a delimited text file or an XLSX sheet: a header and rows of strings.

Every cell is a string (never a number: codes such as ``01`` keep their leading zeros) and every row
remembers where it starts in the file (``line``: 1-based, counting the header; for XLSX the sheet
row), so importers can name the place of a problem. Rows whose cells are all empty are skipped.
An XLSX row also remembers which of its cells the sheet stored as numbers (``numbers``): a code
such as ``0111`` typed into a number cell comes back as ``111``, and the importer must know.
Files without a header line (``header=False``) get the column names ``col1``, ``col2``, ...;
fixed-width text files are read with :func:`read_fixed_width`.
Shared by the ``tabular``, ``csv`` and ``xlsx`` importers.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from kodeks.errors import KodeksError, MalformedInput
from kodeks.formats.budget import MAX_ROWS, check_rows
from kodeks.formats.xml import refuse_entities_in_zip

DELIMITERS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_CANDIDATES = ("\t", ";", ",", "|")


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    cells: tuple[str, ...]
    numbers: frozenset[int] = frozenset()  # indices of XLSX/XLS cells stored as numbers
    dates: frozenset[int] = frozenset()  # indices of cells stored as dates or times


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    where: str = "line"  # how a location is named: "line 7" or "sheet 'Samlet' row 7"
    header_line: int = 1

    def location(self, line: int) -> str:
        return f"{self.where} {line}"

    def column(self, name: str) -> int | None:
        try:
            return self.header.index(name)
        except ValueError:
            return None


def decode(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Text of ``data``; a UTF-8 byte order mark is dropped; bad bytes name their line."""
    if not data.strip():
        raise MalformedInput("file is empty", source=source)
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig") else encoding
    try:
        return data.decode(codec)
    except LookupError:
        raise MalformedInput(f"unknown encoding {encoding!r}", source=source) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MalformedInput(
            f"bytes are not valid {encoding} ({exc.reason} at byte {exc.start}); "
            "set the encoding option (e.g. encoding=cp1252)",
            source=source,
            location=f"line {line}",
        ) from None


def guess_delimiter(first_line: str) -> str:
    """The candidate delimiter occurring most often in the header line (``,`` if none does)."""
    counts = {d: first_line.count(d) for d in _CANDIDATES}
    best = max(_CANDIDATES, key=lambda d: counts[d])
    return best if counts[best] else ","


def delimiter_option(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    return DELIMITERS.get(value.lower(), value)


def read_delimited(
    data: bytes,
    source: str,
    *,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    skip_rows: int = 0,
    strip: bool = True,
    header: bool = True,
) -> Table:
    """Parse delimited text; the first line after ``skip_rows`` lines is the header.

    ``strip`` removes spaces around every cell (for hand-made files); Kodeks' own CSV keeps them.
    ``header=False``: every line is a row and the columns are named ``col1``, ``col2``, ...
    """
    check_rows(data.count(b"\n"), source)  # before decoding: the memory budget (see ``budget``)
    text = decode(data, source, encoding)
    if not text.strip():
        raise MalformedInput("file is empty", source=source)
    lines = text.split("\n")
    if skip_rows >= len(lines):
        raise MalformedInput(f"skip_rows={skip_rows} skips every line of the file", source=source)
    body = "\n".join(lines[skip_rows:])
    header_text = lines[skip_rows]
    sep = delimiter or guess_delimiter(header_text)
    if len(sep) != 1:
        raise MalformedInput(f"delimiter must be one character, got {sep!r}", source=source)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep, strict=True)
    rows: list[Row] = []
    names: tuple[str, ...] | None = None
    previous_end = 0
    try:
        for record in reader:
            line = skip_rows + previous_end + 1
            previous_end = reader.line_num
            cells = tuple(c.strip() for c in record) if strip else tuple(record)
            if names is None and header:
                names = tuple(c.strip() for c in cells)
                _check_header(names, header_text, sep, source, line)
                continue
            if not any(cells):
                continue
            rows.append(Row(line, cells if names is None else _fit(cells, names, source, f"line {line}")))
    except csv.Error as exc:
        raise MalformedInput(
            f"CSV syntax error: {exc}", source=source, location=f"line {skip_rows + reader.line_num}"
        ) from None
    if not header:
        return _headless(rows, source, skip_rows)
    if names is None:
        raise MalformedInput("file is empty", source=source)
    return Table(names, tuple(rows), header_line=skip_rows + 1)


def stream_delimited(
    data: bytes, source: str, *, delimiter: str | None = None, encoding: str = "utf-8", strip: bool = True
) -> tuple[tuple[str, ...], Iterator[Row]]:
    """The header and a one-pass iterator of the rows of delimited text, decoded as it is read.

    What ``read_delimited`` does for a file with a header line, without holding the text or the rows:
    memory stays proportional to one row (the caller decides what to keep), so there is no row cap.
    Errors (bad bytes, CSV syntax) are raised when the iterator reaches them.
    """
    if not data or data.isspace():
        raise MalformedInput("file is empty", source=source)
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig") else encoding
    try:
        text = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
    except LookupError:
        raise MalformedInput(f"unknown encoding {encoding!r}", source=source) from None
    try:
        header_text = text.readline()
    except UnicodeDecodeError:
        raise _bad_bytes(data, codec, encoding, source) from None
    sep = delimiter or guess_delimiter(header_text.rstrip("\r\n"))
    if len(sep) != 1:
        raise MalformedInput(f"delimiter must be one character, got {sep!r}", source=source)
    try:
        first = next(csv.reader([header_text], delimiter=sep, strict=True), [])
    except csv.Error as exc:
        raise MalformedInput(f"CSV syntax error: {exc}", source=source, location="line 1") from None
    names = tuple(c.strip() for c in first)
    if not any(names):
        raise MalformedInput("file is empty", source=source)
    _check_header(names, header_text, sep, source, 1)
    return names, _rows(text, names, sep, strip, source, lambda: _bad_bytes(data, codec, encoding, source))


def _rows(
    text: io.TextIOWrapper,
    names: tuple[str, ...],
    sep: str,
    strip: bool,
    source: str,
    bad_bytes: Callable[[], MalformedInput],
) -> Iterator[Row]:
    reader = csv.reader(text, delimiter=sep, strict=True)
    previous_end = 0
    try:
        for record in reader:
            line = previous_end + 2  # the header is line 1
            previous_end = reader.line_num
            cells = tuple(c.strip() for c in record) if strip else tuple(record)
            if any(cells):
                yield Row(line, _fit(cells, names, source, f"line {line}"))
    except csv.Error as exc:
        raise MalformedInput(
            f"CSV syntax error: {exc}", source=source, location=f"line {reader.line_num + 1}"
        ) from None
    except UnicodeDecodeError:
        raise bad_bytes() from None


def _bad_bytes(data: bytes, codec: str, encoding: str, source: str) -> MalformedInput:
    """The error ``decode`` gives, with the byte and line of the first bad byte (found again, as the
    text was decoded a chunk at a time)."""
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return MalformedInput(
            f"bytes are not valid {encoding} ({exc.reason} at byte {exc.start}); "
            "set the encoding option (e.g. encoding=cp1252)",
            source=source,
            location=f"line {line}",
        )
    return MalformedInput(f"bytes are not valid {encoding}", source=source)


def _headless(rows: list[Row], source: str, skip_rows: int, where: str = "line") -> Table:
    """A table of rows without a header line: columns ``col1`` ... ``colN`` (N: the widest row)."""
    if not rows:
        raise MalformedInput("file is empty", source=source)
    width = max(len(r.cells) for r in rows)
    names = tuple(f"col{n}" for n in range(1, width + 1))
    fitted = tuple(Row(r.line, r.cells + ("",) * (width - len(r.cells)), r.numbers, r.dates) for r in rows)
    return Table(names, fitted, where=where, header_line=skip_rows)


def parse_widths(text: str, source: str) -> tuple[int | None, ...]:
    """``"6,*"`` → ``(6, None)``: column widths of a fixed-width file; ``*`` (last only) takes the rest."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    widths: list[int | None] = []
    for n, part in enumerate(parts):
        if part == "*" and n == len(parts) - 1:
            widths.append(None)
            continue
        if not part.isdigit() or int(part) == 0:
            raise MalformedInput(
                f"widths must be positive whole numbers separated by commas (the last may be *), "
                f"got {text!r}",
                source=source,
            )
        widths.append(int(part))
    if not widths:
        raise MalformedInput("widths is empty; give column widths such as widths=6,*", source=source)
    return tuple(widths)


def read_fixed_width(
    data: bytes,
    source: str,
    widths: tuple[int | None, ...],
    *,
    encoding: str = "utf-8",
    skip_rows: int = 0,
    header: bool = True,
) -> Table:
    """A fixed-width text file cut into columns of ``widths`` characters; cells are stripped.

    Text past the last width is an error unless the last width is ``None`` (the rest of the line).
    """
    text = decode(data, source, encoding)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if skip_rows >= len(lines):
        raise MalformedInput(f"skip_rows={skip_rows} skips every line of the file", source=source)
    total = sum(w for w in widths if w is not None)
    rows: list[Row] = []
    names: tuple[str, ...] | None = None
    for number, line_text in enumerate(lines[skip_rows:], start=skip_rows + 1):
        if not line_text.strip():
            continue
        if widths[-1] is not None and line_text[total:].strip():
            raise MalformedInput(
                f"the line is longer than the widths ({total} characters); widen the last column or end "
                "widths with *",
                source=source,
                location=f"line {number}",
            )
        cells: list[str] = []
        start = 0
        for width in widths:
            end = None if width is None else start + width
            cells.append(line_text[start:end].strip())
            start = end or len(line_text)
        if names is None and header:
            names = tuple(cells)
            continue
        rows.append(Row(number, tuple(cells)))
    if not header:
        return _headless(rows, source, skip_rows)
    if names is None:
        raise MalformedInput("file is empty", source=source)
    return Table(names, tuple(rows), header_line=skip_rows + 1)


def _check_header(header: tuple[str, ...], text: str, sep: str, source: str, line: int) -> None:
    if len(header) == 1:
        others = [d for d in _CANDIDATES if d != sep and text.count(d)]
        if others:
            shown = "TAB" if others[0] == "\t" else repr(others[0])
            raise MalformedInput(
                f"header has a single column with delimiter {sep!r}, but the line contains "
                f"{shown}; set the delimiter option",
                source=source,
                location=f"line {line}",
            )


def _fit(cells: tuple[str, ...], header: tuple[str, ...], source: str, where: str) -> tuple[str, ...]:
    if len(cells) > len(header) and any(cells[len(header) :]):
        raise MalformedInput(
            f"row has {len(cells)} fields but the header has {len(header)} "
            "(wrong delimiter or unquoted separator?)",
            source=source,
            location=where,
        )
    if len(cells) < len(header):
        return cells + ("",) * (len(header) - len(cells))
    return cells[: len(header)]


def cell_text(value: Any, strip: bool = True) -> str:
    """An XLSX cell as text; whole numbers lose no digits and dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip() if strip else str(value)


def open_workbook(data: bytes, source: str) -> Any:
    """An openpyxl read-only workbook, or ``MalformedInput`` when ``data`` is not an XLSX file."""
    if not data:
        raise MalformedInput("file is empty", source=source)
    if not data.startswith(b"PK"):
        raise MalformedInput("not an XLSX workbook (not a ZIP archive)", source=source)
    refuse_entities_in_zip(data, source)
    import openpyxl

    with xlsx_errors(source), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


@contextmanager
def xlsx_errors(source: str, kind: str = "XLSX") -> Iterator[None]:
    """Turn whatever openpyxl (or xlrd) raises on a damaged workbook into ``MalformedInput``.

    Its failure modes are many and undocumented (zlib, lxml and ElementTree errors, ``KeyError``,
    ``TypeError``, ``IndexError``, ...), and a read-only workbook parses its sheets lazily, so this wraps
    the loading and every pass over the rows. Our own errors and ``MemoryError`` pass through.
    """
    try:
        yield
    except (KodeksError, MemoryError):
        raise
    except Exception as exc:
        raise MalformedInput(
            f"not a readable {kind} workbook ({type(exc).__name__}: {exc})", source=source
        ) from None


def sheet_rows(
    workbook: Any, sheet: str | None, source: str, strip: bool = True
) -> tuple[str, Iterator[tuple[int, tuple[str, ...]]]]:
    """Name and non-empty rows ``(row number, cells)`` of ``sheet`` (default: the first sheet)."""
    names = list(workbook.sheetnames)
    if sheet is None:
        name = names[0]
    elif sheet in names:
        name = sheet
    else:
        raise MalformedInput(
            f"no sheet {sheet!r}; the workbook has {', '.join(map(repr, names))}", source=source
        )

    def rows() -> Iterator[tuple[int, tuple[str, ...]]]:
        with xlsx_errors(source), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values in enumerate(workbook[name].iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    check_rows(number, source, unit=f"rows on sheet {name!r}")
                cells = tuple(cell_text(v, strip) for v in values)
                if any(cells):
                    yield number, cells

    return name, rows()


def read_sheet(
    data: bytes,
    source: str,
    *,
    sheet: str | None = None,
    skip_rows: int = 0,
    strip: bool = True,
    header: bool = True,
) -> Table:
    """The table on one sheet; the first non-empty row after ``skip_rows`` rows is the header.

    Each row notes which cells the sheet stored as numbers (see ``Row.numbers``).
    """
    workbook = open_workbook(data, source)
    try:
        name, _ = sheet_rows(workbook, sheet, source, strip)
        names: tuple[str, ...] | None = None
        header_line = 0
        body: list[Row] = []
        for number, values in enumerate(_sheet_values(workbook[name], source), start=1):
            cells = tuple(cell_text(v, strip) for v in values)
            if number <= skip_rows or not any(cells):
                continue
            if names is None and header:
                names, header_line = _trim(cells), number
                continue
            numeric = frozenset(
                i for i, v in enumerate(values) if isinstance(v, int | float) and not isinstance(v, bool)
            )
            dated = frozenset(i for i, v in enumerate(values) if isinstance(v, date | time))
            fitted = cells if names is None else _fit(cells, names, source, f"sheet {name!r} row {number}")
            body.append(Row(number, fitted, numeric, dated))
    finally:
        workbook.close()
    if not header:
        return _headless(body, source, skip_rows, where=f"sheet {name!r} row")
    if names is None:
        raise MalformedInput(f"sheet {name!r} is empty", source=source)
    return Table(names, tuple(body), where=f"sheet {name!r} row", header_line=header_line)


def _sheet_values(worksheet: Any, source: str) -> Iterator[tuple[Any, ...]]:
    with xlsx_errors(source), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                check_rows(number, source, unit=f"rows on sheet {worksheet.title!r}")
            yield values


XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_xls(
    data: bytes, source: str, *, sheet: str | None = None, skip_rows: int = 0, header: bool = True
) -> Table:
    """The table on one sheet of a legacy Excel ``.xls`` (BIFF) workbook, read with ``xlrd``.

    Like :func:`read_sheet`: cells as text, numbers remembered, the first non-empty row after
    ``skip_rows`` is the header. Dates are read as ISO dates.
    """
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # xlrd raises its own error classes and struct errors on bad input
        raise MalformedInput(f"not a readable XLS workbook ({exc})", source=source) from None
    try:
        names = book.sheet_names()
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise MalformedInput(
                f"no sheet {sheet!r}; the workbook has {', '.join(map(repr, names))}", source=source
            )
        with xlsx_errors(source, "XLS"):
            ws = book.sheet_by_name(name)
        check_rows(ws.nrows, source, unit=f"rows on sheet {name!r}")
        columns: tuple[str, ...] | None = None
        header_line = 0
        body: list[Row] = []
        for index in range(ws.nrows):
            number = index + 1
            values = []
            numeric, dated = set(), set()
            for col, cell in enumerate(ws.row(index)):
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    numeric.add(col)
                    values.append(cell_text(cell.value))
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    dated.add(col)
                    values.append(cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    values.append(cell_text(bool(cell.value)))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    values.append("")
                else:
                    values.append(cell_text(cell.value))
            cells = tuple(values)
            if number <= skip_rows or not any(cells):
                continue
            if columns is None and header:
                columns, header_line = _trim(cells), number
                continue
            fitted = (
                cells if columns is None else _fit(cells, columns, source, f"sheet {name!r} row {number}")
            )
            body.append(Row(number, fitted, frozenset(numeric), frozenset(dated)))
    finally:
        book.release_resources()
    if not header:
        return _headless(body, source, skip_rows, where=f"sheet {name!r} row")
    if columns is None:
        raise MalformedInput(f"sheet {name!r} is empty", source=source)
    return Table(columns, tuple(body), where=f"sheet {name!r} row", header_line=header_line)


def read_any(
    data: bytes,
    source: str,
    *,
    sheet: str | None = None,
    skip_rows: int = 0,
    header: bool = True,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    widths: tuple[int | None, ...] | None = None,
) -> Table:
    """A table from XLSX, XLS, fixed-width or delimited text, told apart by the bytes and ``widths``."""
    if data.startswith(XLS_MAGIC):
        return read_xls(data, source, sheet=sheet, skip_rows=skip_rows, header=header)
    if data.startswith(b"PK") or sheet:
        return read_sheet(data, source, sheet=sheet, skip_rows=skip_rows, header=header)
    if widths:
        return read_fixed_width(data, source, widths, encoding=encoding, skip_rows=skip_rows, header=header)
    return read_delimited(
        data, source, delimiter=delimiter, encoding=encoding, skip_rows=skip_rows, header=header
    )


def _trim(header: tuple[str, ...]) -> tuple[str, ...]:
    """Drop trailing unnamed columns (XLSX sheets often report far more columns than are used)."""
    end = len(header)
    while end and not header[end - 1]:
        end -= 1
    return header[:end]
