"""Kodeks' own CSV: one row per item fact, a plain CSV any spreadsheet opens (import and export).

Export options (KLASS style): ``fields`` = comma-separated record fields (see
:data:`kodeks.formats.records.FIELDS`; ``titles`` stands for every ``title_<lang>`` column, and a
single ``title_da`` may be named; ``code`` is always first), ``sep`` = ``,`` (default), ``;`` or
``\\t`` (also ``tab``, ``semicolon``), ``lang`` = only that title language, ``bom=true`` = start with a
UTF-8 byte order mark (Excel then shows æøå right). The CSV carries items only: on import the
classification id comes from ``--classification`` or the file name, and the release from the user.
List fields are JSON in their cell, so the default export is lossless (empty strings read as absent).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace

from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.domain.release import Bundle
from kodeks.errors import InvalidContent, InvalidRequest
from kodeks.formats import records
from kodeks.formats.base import ExportSet, ImportOptions, ItemStream
from kodeks.formats.budget import check_rows
from kodeks.formats.cells import csv_row, from_csv_cell
from kodeks.formats.table import Row, delimiter_option, guess_delimiter, stream_delimited

SEPARATORS = {",": ",", ";": ";", "\t": "\t", "\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";"}


class KodeksCsv:
    name = "csv"
    description = "Kodeks CSV: one row per item, every field (list fields as JSON cells)"
    extensions = (".csv", ".tsv")
    media_type = "text/csv"
    extension = ".csv"
    dated = False  # the bytes do not carry the export's day (``services.exporting``)

    def sniff(self, head: bytes, filename: str) -> int:
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
        first = (text.splitlines() or [""])[0]
        try:
            names = next(csv.reader([first], delimiter=guess_delimiter(first)), [])
        except csv.Error:  # not CSV (binary, or a quote left open in the header)
            return 0
        if names and names[0] == "code" and len(names) > 1 and all(records.known_column(n) for n in names):
            return 70
        return 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        """The whole file as one bundle (at most ``budget.MAX_ROWS`` rows: ``stream`` has no cap)."""
        check_rows(data.count(b"\n"), source)
        stream = self.stream(data, source, options)
        return [replace(stream.bundle, items=tuple(stream.items))]

    def stream(self, data: bytes, source: str, options: ImportOptions) -> ItemStream:
        """The bundle's metadata at once (the header is checked), its items one row at a time."""
        opts = options.options
        header, rows = stream_delimited(
            data,
            source,
            delimiter=delimiter_option(opts.get("sep") or opts.get("delimiter")),
            encoding=opts.get("encoding", "utf-8"),
            strip=False,
        )
        where = "line 1"
        if "code" not in header:
            raise InvalidContent(
                "no 'code' column (use --format tabular for other CSV files)", source=source, location=where
            )
        unknown = [h for h in header if not records.known_column(h)]
        if unknown:
            raise InvalidContent(
                f"unknown column(s) {', '.join(map(repr, unknown))}; known: "
                f"{', '.join(records.columns(['<lang>']))}",
                source=source,
                location=where,
            )
        if len(set(header)) != len(header):
            raise InvalidContent("a column name occurs twice", source=source, location=where)
        classification = Classification(id=records.classification_id(source, options.classification))
        bundle = Bundle(
            classification=classification,
            items=(),
            fields=records.fields_of(header),
            source=source,
            format=self.name,
        )
        return ItemStream(bundle, _items(header, rows, source))

    def write(self, export: ExportSet, options: dict[str, str] | None = None) -> bytes:
        opts = options or {}
        sep = SEPARATORS.get(opts.get("sep", ","))
        if sep is None:
            raise InvalidRequest(f"sep must be one of ',', ';', '\\t', got {opts['sep']!r}")
        items = records.ordered(export.items, export.classification.code_order)
        langs = [opts["lang"]] if opts.get("lang") else records.languages(items)
        names = records.columns(langs, _selection(opts.get("fields"), items))
        out = io.StringIO(newline="")
        if opts.get("bom", "").lower() in ("1", "true", "yes"):
            out.write("\ufeff")
        writer = csv.writer(out, delimiter=sep, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(names)
        for item in items:
            writer.writerow(csv_row(records.to_cells(records.to_record(item), names)))
        return out.getvalue().encode("utf-8")


def _items(header: tuple[str, ...], rows: Iterator[Row], source: str) -> Iterator[Item]:
    for row in rows:
        where = f"line {row.line}"
        # ``from_csv_cell`` drops the quote the writer puts before a formula
        cells = tuple(map(from_csv_cell, row.cells))
        record = records.from_cells(header, cells, source=source, location=where)
        yield records.from_record(record, source=source, location=where)


def _selection(fields: str | None, items: list[Item]) -> list[str]:
    if not fields:
        return list(records.used_fields(items))
    chosen: list[str] = ["code"]
    for raw in fields.split(","):
        name = {"title": "titles", "valid": "valid_from"}.get(raw.strip(), raw.strip())
        if not name:
            continue
        if not records.known_column(name) and name != "titles":
            raise InvalidRequest(f"unknown field {name!r}; known: {', '.join(records.ALL_FIELDS)}")
        if name not in chosen:
            chosen.append(name)
        if raw.strip() == "valid" and "valid_to" not in chosen:
            chosen.append("valid_to")
    return chosen


IMPORTERS = [KodeksCsv()]
EXPORTERS = [KodeksCsv()]
