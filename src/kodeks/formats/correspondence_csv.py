"""Correspondence readers for delimited text: one function per known layout, behind a small registry.

These are not classification formats (they are not in ``formats.registry``): each reader turns a file
into mappings (``ParsedMappings``) or raises an ``ImportError_`` naming the file and the line.

- ``kle-form``: KL's KLE → FORM table: no header, ``;``, several FORM numbers comma-separated in one cell.
- ``form-kle``: FORM → KLE: header ``FORMNummer;KLE nummer``; "Ikke med i KLE" means no counterpart;
  several KLE numbers in one quoted cell, ``;``-separated.
- ``nace-isic``: Eurostat NACE Rev. 2 → ISIC Rev. 4, TAB-separated, two header lines (names, "Source/Target").
- ``isco88-isco08``: ILO's ISCO-88 → ISCO-08 table (CSV with a header); ``p`` marks a partial mapping.
- ``pairs``: Kodeks' own ``source,target,partial,note`` CSV (what the CSV export writes; ``,`` ``;`` or TAB).
- ``isco88-isco08-xls``: ILO's own workbook of the same table (``corrtab88-08.xls``), read with xlrd.
- any other layout: a column mapping (``correspondence_table``: ``--map source=...,target=...``).

``nace-isic`` also reads Eurostat's XLSX of the table (a title row, then the TSV's rows).

Text is UTF-8 (a BOM is ignored); a file that is not UTF-8 is read as Windows-1252 (Danish exports
often are) with a warning. ``\\r\\r\\n`` line ends occur in the real FORM file and are read as one.
A target cell that holds a code followed by its title keeps the code, with a warning.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator

from kodeks.domain.local.correspondence import Mapping
from kodeks.domain.local.notation import code_problem
from kodeks.errors import ImportError_, InvalidContent, MalformedInput, UnknownFormat
from kodeks.formats.cells import from_csv_cell
from kodeks.formats.correspondence_table import PRESETS, SIDES, mapped_reader
from kodeks.formats.numeric_codes import date_code
from kodeks.formats.table import XLS_MAGIC, read_any, read_sheet
from kodeks.services.local.ports import ParsedMappings

MAX_LINES = 1_000_000
MAX_FIELD = 10_000
NO_KLE = "ikke med i kle"
_CODE_AND_TEXT = re.compile(r"^(\S+)\s+(\S.*)$")

Reader = Callable[[bytes, str], ParsedMappings]


class _Text:
    """Decoded text with its warnings, read as CSV rows with the line each row starts on."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        self.warnings: list[str] = []
        if b"\x00" in data:
            raise MalformedInput("the file holds NUL bytes: it is binary, not delimited text", source=source)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise MalformedInput(
                    "the file is neither UTF-8 nor Windows-1252 text", source=source, location=f"line {line}"
                ) from None
            self.warnings.append(f"line {line}: not UTF-8; the file was read as Windows-1252")
        self.text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
        if self.text.count("\n") > MAX_LINES:
            raise MalformedInput(f"the file has more than {MAX_LINES:,} lines", source=source)

    def rows(self, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(self.text), delimiter=delimiter, strict=True)
        line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise MalformedInput(
                    f"not valid delimited text: {exc}", source=self.source, location=f"line {line}"
                ) from None
            if any(len(cell) > MAX_FIELD for cell in row):
                raise MalformedInput(
                    f"a field is longer than {MAX_FIELD:,} characters",
                    source=self.source,
                    location=f"line {line}",
                )
            if any(cell.strip() for cell in row):
                yield line, row
            line = reader.line_num + 1

    def error(self, line: int, message: str) -> InvalidContent:
        return InvalidContent(message, source=self.source, location=f"line {line}")

    def code(self, line: int, cell: str, what: str, *, title_allowed: bool = False) -> str:
        value = cell.strip()
        if code_problem(value) and title_allowed:
            match = _CODE_AND_TEXT.match(value)
            if match and code_problem(match.group(1)) is None:
                self.warnings.append(
                    f"line {line}: kept the {what} code {match.group(1)!r} and ignored the text after it"
                )
                return match.group(1)
        problem = code_problem(value)
        if problem:
            raise self.error(line, f"{what}: {problem}")
        return value


def _result(
    text: _Text,
    mappings: list[Mapping],
    source: str,
    target: str,
    *,
    source_version: str | None = None,
    target_version: str | None = None,
) -> ParsedMappings:
    if not mappings:
        raise InvalidContent("the file holds no mappings", source=text.source)
    return ParsedMappings(
        tuple(mappings), source, target, source_version, target_version, tuple(text.warnings)
    )


def _width(text: _Text, line: int, row: list[str], expected: int) -> None:
    if len(row) != expected:
        raise text.error(line, f"expected {expected} fields separated by the delimiter, found {len(row)}")


def read_kle_form(data: bytes, source: str) -> ParsedMappings:
    text = _Text(data, source)
    out: list[Mapping] = []
    for line, row in text.rows(";"):
        _width(text, line, row, 2)
        kle = text.code(line, row[0], "KLE")
        targets = [t for t in (c.strip() for c in row[1].split(",")) if t]
        if not targets:
            out.append(Mapping(kle, None))
        out += [Mapping(kle, text.code(line, t, "FORM")) for t in targets]
    return _result(text, out, "kle", "form")


def read_form_kle(data: bytes, source: str) -> ParsedMappings:
    text = _Text(data, source)
    out: list[Mapping] = []
    rows = text.rows(";")
    first = next(rows, None)
    if first is None or [c.strip().casefold() for c in first[1]] != ["formnummer", "kle nummer"]:
        raise InvalidContent("expected the header 'FORMNummer;KLE nummer'", source=source, location="line 1")
    for line, row in rows:
        _width(text, line, row, 2)
        form = text.code(line, row[0], "FORM")
        cell = row[1].strip()
        if cell.casefold() == NO_KLE:
            out.append(Mapping(form, None, note="Ikke med i KLE"))
            continue
        targets = [t for t in (c.strip() for c in cell.split(";")) if t]
        if not targets:
            text.warnings.append(f"line {line}: the KLE cell is empty; read as no counterpart")
            out.append(Mapping(form, None, note="empty in the source"))
            continue
        out += [Mapping(form, text.code(line, t, "KLE", title_allowed=True)) for t in targets]
    return _result(text, out, "form", "kle")


def read_nace_isic(data: bytes, source: str) -> ParsedMappings:
    if data.startswith(b"PK"):
        return _nace_isic_sheet(data, source)
    text = _Text(data, source)
    return _nace_isic(text, text.rows("\t"), "line")


def _nace_isic(text: _Text, rows: Iterator[tuple[int, list[str]]], where: str) -> ParsedMappings:
    source = text.source
    names, kinds = next(rows, None), next(rows, None)
    if names is None or [c.strip().casefold() for c in names[1][:2]] != ["formatted_nace", "isic"]:
        raise InvalidContent(
            "expected a first header line starting 'formatted_nace<TAB>ISIC'",
            source=source,
            location=f"{where} {names[0] if names else 1}",
        )
    if kinds is None or [c.strip().casefold() for c in kinds[1][:2]] != ["source", "target"]:
        raise InvalidContent(
            "expected a second header line 'Source<TAB>Target'",
            source=source,
            location=f"{where} {kinds[0] if kinds else names[0] + 1}",
        )
    out: list[Mapping] = []
    for line, row in rows:
        if len(row) < 2:
            raise text.error(line, f"expected at least 2 TAB-separated fields, found {len(row)}")
        out.append(Mapping(text.code(line, row[0], "NACE"), text.code(line, row[1], "ISIC")))
    return _result(text, out, "nace-rev2", "isic-rev4")


def _nace_isic_sheet(data: bytes, source: str) -> ParsedMappings:
    """The Eurostat workbook: a title row, then the same two header rows and columns as the TSV."""
    table = read_sheet(data, source, header=False)
    text = _Text(b"-", source)
    rows = [(r.line, list(r.cells)) for r in table.rows]
    start = next(
        (n for n, (_, cells) in enumerate(rows) if cells[0].strip().casefold() == "formatted_nace"), 0
    )
    numbers = [r for r in table.rows if 1 in r.numbers and r.line > rows[start][0]]
    if numbers:
        text.warnings.append(
            f"{len(numbers)} ISIC codes are stored as numbers in the sheet, which drops leading zeros "
            f"(e.g. {numbers[0].cells[1]!r} on {table.location(numbers[0].line)}); they are kept as the "
            "sheet shows them, as in the TSV"
        )
    for row in table.rows:
        for index in sorted(row.dates & {0, 1}):
            raise date_code(row.cells[index], source, table.location(row.line))
    return _nace_isic(text, iter(rows[start:]), table.where)


def read_isco(data: bytes, source: str) -> ParsedMappings:
    text = _Text(data, source)
    rows = text.rows(",")
    header = next(rows, None)
    if header is None:
        raise InvalidContent("the file is empty", source=source)
    names = [c.strip().casefold() for c in header[1]]
    missing = [n for n in ("isco88_code", "isco08_code", "isco08_part") if n not in names]
    if missing:
        raise InvalidContent(
            f"the header lacks the column(s) {', '.join(missing)}", source=source, location="line 1"
        )
    col = {n: names.index(n) for n in names}
    out: list[Mapping] = []
    for line, row in rows:
        _width(text, line, row, len(names))
        part = row[col["isco08_part"]].strip().casefold()
        if part not in ("", "p"):
            raise text.error(line, f"isco08_part must be empty or 'p', not {row[col['isco08_part']]!r}")
        note = row[col["comments"]].strip() or None if "comments" in col else None
        out.append(
            Mapping(
                text.code(line, row[col["isco88_code"]], "ISCO-88"),
                text.code(line, row[col["isco08_code"]], "ISCO-08"),
                part == "p",
                note,
                _cell(row, col, "isco88_title_en"),
                _cell(row, col, "isco08_title_en"),
            )
        )
    return _result(text, out, "isco-88", "isco-08")


def _cell(row: list[str], col: dict[str, int], name: str) -> str | None:
    return (row[col[name]].strip() or None) if name in col else None


def read_pairs(data: bytes, source: str) -> ParsedMappings:
    text = _Text(data, source)
    head = text.text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=head.count)
    rows = text.rows(delimiter)
    header = next(rows, None)
    names = [c.strip().casefold() for c in header[1]] if header else []
    if "source" not in names or "target" not in names:
        raise InvalidContent(
            "expected a header with the columns source and target (and optionally partial, note)",
            source=source,
            location="line 1",
        )
    col = {n: names.index(n) for n in names}
    out: list[Mapping] = []
    for line, cells in rows:
        row = [from_csv_cell(c) for c in cells]  # the quote the CSV export puts before a formula
        _width(text, line, row, len(names))
        target = row[col["target"]].strip()
        partial = row[col["partial"]].strip().casefold() if "partial" in col else ""
        if partial not in ("", "true", "false", "p", "1", "0"):
            raise text.error(line, f"partial must be true or false, not {partial!r}")
        out.append(
            Mapping(
                text.code(line, row[col["source"]], "source"),
                text.code(line, target, "target") if target else None,
                partial in ("true", "p", "1"),
                _cell(row, col, "note"),
                _cell(row, col, "source_title"),
                _cell(row, col, "target_title"),
            )
        )
    return _result(text, out, "", "")


READERS: dict[str, Reader] = {
    "kle-form": read_kle_form,
    "form-kle": read_form_kle,
    "nace-isic": read_nace_isic,
    "isco88-isco08": read_isco,
    "pairs": read_pairs,
    **{name: mapped_reader(mapping, sides=SIDES.get(name)) for name, mapping in PRESETS.items()},
}


def reader(name: str) -> Reader:
    try:
        return READERS[name]
    except KeyError:
        raise UnknownFormat(
            f"unknown correspondence format {name!r}; known: {', '.join(sorted(READERS))}"
        ) from None


def detect(data: bytes, source: str) -> str:
    """The reader for a file, from its first line (a workbook: its first rows); ``UnknownFormat`` if none."""
    if data.startswith((b"PK", XLS_MAGIC)):
        return _detect_workbook(data, source)
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0].strip().casefold()
    if head.startswith("formnummer;"):
        return "form-kle"
    if head.startswith("formatted_nace\t"):
        return "nace-isic"
    if "isco88_code" in head and "isco08_code" in head:
        return "isco88-isco08"
    if re.split(r"[;,\t]", head)[:2] == ["source", "target"]:
        return "pairs"
    if re.fullmatch(r"[0-9.]+;[0-9.,]*", head):
        return "kle-form"
    raise UnknownFormat(
        "no correspondence reader recognises this file; name the format or map its columns "
        "(--map source=COLUMN,target=COLUMN)",
        source=source,
    )


def _detect_workbook(data: bytes, source: str) -> str:
    try:
        table = read_any(data, source, header=False)
    except ImportError_:
        raise UnknownFormat("not a readable workbook", source=source) from None
    for row in table.rows[:3]:
        cells = [c.strip() for c in row.cells]
        if [c.casefold() for c in cells[:2]] == ["formatted_nace", "isic"]:
            return "nace-isic"
        for name, mapping in PRESETS.items():
            if {mapping["source"], mapping["target"]} <= set(cells):
                return name
    raise UnknownFormat(
        "no correspondence reader recognises this workbook; "
        "map its columns (--map source=COLUMN,target=COLUMN)",
        source=source,
    )
