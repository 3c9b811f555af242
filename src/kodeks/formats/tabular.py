"""Generic code lists in CSV, TSV or XLSX, with a column mapping (see ``tabular_mapping``).

Options: ``delimiter`` (guessed from the header when absent; ``tab``, ``;``, ``,``), ``encoding``
(default UTF-8, a byte order mark is dropped), ``sheet``, ``skip_rows`` (lines before the header),
``hierarchy`` = ``parent`` | ``pattern`` | ``levels``, ``preset`` (``db07``, ``isco08``; detected by the
header when there is no mapping), ``lang`` (the language of the ``title`` role) and ``classification``.
Every cell is read as text (the ``csv`` module and openpyxl; Polars would need its line numbers
reconstructed), so ``01`` stays ``01``. Problems name the file and the 1-based line, header included.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import PurePath

from kodeks.domain.classification import Classification
from kodeks.domain.item import CONTENT_FIELDS, Item, Keyword
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, Level
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats import tabular_hierarchy as hierarchy
from kodeks.formats.base import ImportOptions
from kodeks.formats.records import classification_id
from kodeks.formats.table import Row, Table, delimiter_option, guess_delimiter, read_delimited, read_sheet
from kodeks.formats.tabular_mapping import PRESETS, ColumnMap, Preset, preset_for_header, resolve, year_span

_TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
_LIST_SPLIT = re.compile(r"[\s,;]+")
_KEYWORD_SPLIT = re.compile(r"[;\n]")
_FIELD_OF_PREFIX = (("title_", "titles"), ("alt_titles_", "alt_titles"), ("property.", "properties"))


class TabularImporter:
    name = "tabular"
    description = "Generic code list in CSV/TSV/XLSX with a column mapping (presets: db07, isco08)"
    extensions = (".csv", ".tsv", ".txt", ".xlsx")

    def sniff(self, head: bytes, filename: str) -> int:
        suffix = PurePath(filename).suffix.lower()
        if suffix in _TEXT_SUFFIXES:
            first = head.decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
            header = [c.strip() for c in first.split(guess_delimiter(first))]
            return 80 if preset_for_header(header) else 10
        return 10 if suffix == ".xlsx" and head.startswith(b"PK") else 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        opts = {**options.options}
        table = _table(data, source, opts)
        preset = _preset(opts.get("preset"), options.mapping, table, source)
        mapping = options.mapping or (preset.mapping if preset else {})
        if not mapping:
            raise InvalidContent(
                "no column mapping given and no preset recognises the header; give a "
                f"mapping (code, title, parent, ...) or a preset ({', '.join(PRESETS)})",
                source=source,
                location=table.location(table.header_line),
            )
        mode = opts.get("hierarchy") or mapping.get("hierarchy") or (preset.hierarchy if preset else "parent")
        columns = resolve(
            mapping,
            table.header,
            mode,
            lang=opts.get("lang", "da"),
            source=source,
            location=table.location(table.header_line),
        )
        items = _items(table, columns, source)
        base = preset.classification if preset else None
        slug = classification_id(
            source, options.classification or opts.get("classification") or (base.id if base else None)
        )
        classification = replace(base, id=slug) if base else Classification(id=slug)
        levels = preset.levels if preset else _level_names(table, columns)
        return [
            Bundle(
                classification=classification,
                items=items,
                levels=levels,
                fields=_fields(columns),
                source=source,
                format=self.name,
            )
        ]


def _table(data: bytes, source: str, opts: dict[str, str]) -> Table:
    try:
        skip = int(opts.get("skip_rows") or 0)
    except ValueError:
        raise MalformedInput(
            f"skip_rows must be a whole number, got {opts['skip_rows']!r}", source=source
        ) from None
    if data.startswith(b"PK") or opts.get("sheet"):
        return read_sheet(data, source, sheet=opts.get("sheet"), skip_rows=skip)
    return read_delimited(
        data,
        source,
        delimiter=delimiter_option(opts.get("delimiter")),
        encoding=opts.get("encoding") or "utf-8",
        skip_rows=skip,
    )


def _preset(name: str | None, mapping: dict[str, str], table: Table, source: str) -> Preset | None:
    if name:
        if name not in PRESETS:
            raise InvalidContent(f"unknown preset {name!r}; known: {', '.join(PRESETS)}", source=source)
        return PRESETS[name]
    return None if mapping else preset_for_header(table.header)


def _items(table: Table, columns: ColumnMap, source: str) -> tuple[Item, ...]:
    raw: list[tuple[Row, Item, tuple[str, ...]]] = []
    for row in table.rows:
        item, ancestors = _item(row, table, columns, source)
        raw.append((row, item, ancestors))
    if not raw:
        raise InvalidContent(
            "the table has a header but no rows",
            source=source,
            location=table.location(table.header_line + 1),
        )
    _check_duplicates(raw, table, source)
    codes = {item.code for _, item, _ in raw}
    if columns.hierarchy == "pattern":
        parents = hierarchy.pattern_parents(codes)
        raw = [(row, replace(item, parent=parents[item.code]), a) for row, item, a in raw]
    elif columns.hierarchy == "levels":
        raw = [(row, replace(item, parent=hierarchy.nearest_known(a, codes)), a) for row, item, a in raw]
    if not columns.has("level") and columns.hierarchy != "levels":
        depth = hierarchy.depths({item.code: item.parent for _, item, _ in raw})
        raw = [(row, replace(item, level=depth.get(item.code)), a) for row, item, a in raw]
    return tuple(item for _, item, _ in raw)


def _item(row: Row, table: Table, columns: ColumnMap, source: str) -> tuple[Item, tuple[str, ...]]:
    where = table.location(row.line)

    def cell(role: str) -> str:
        index = columns.roles.get(role)
        return row.cells[index] if index is not None else ""

    def fail(message: str) -> InvalidContent:
        return InvalidContent(message, source=source, location=where)

    ancestors: tuple[str, ...] = ()
    level: int | None = None
    if columns.hierarchy == "levels":
        path = hierarchy.level_path([row.cells[i] for i in columns.level_columns])
        if path is None:
            raise fail("empty code (every level column is empty)")
        code, level, ancestors = path
    else:
        code = cell("code")
        if not code:
            raise fail(f"empty code in column {columns.names['code']!r}")
    if cell("level"):
        try:
            level = int(cell("level"))
        except ValueError:
            raise fail(f"level {cell('level')!r} is not a whole number") from None
    start, end = _date(cell("valid_from"), "valid_from", fail), _date(cell("valid_to"), "valid_to", fail)
    if cell("valid_years"):
        years = year_span(cell("valid_years"))
        if years is not None:
            start = date(years[0], 1, 1)
            end = date(years[1] + 1, 1, 1) if years[1] is not None else None
    if start and end and end <= start:
        raise fail(f"validity ends ({end}) before or when it starts ({start})")
    try:
        uid = uuidlib.UUID(cell("uuid")) if cell("uuid") else None
    except ValueError:
        raise fail(f"{cell('uuid')!r} is not a UUID") from None
    parent = cell("parent") or None
    if parent == code:
        raise fail(f"code {code!r} names itself as parent")
    titles = {r[len("title_") :]: cell(r) for r in columns.roles if r.startswith("title_") and cell(r)}
    alt = tuple(
        (r[len("alt_titles_") :], line.strip())
        for r in columns.roles
        if r.startswith("alt_titles_")
        for line in cell(r).splitlines()
        if line.strip()
    )
    item = Item(
        code=code,
        titles=titles,
        level=level,
        parent=parent,
        valid=Period(start, end),
        uuid=uid,
        description=cell("description") or None,
        notes=(cell("notes"),) if cell("notes") else (),
        alt_titles=alt,
        keywords=tuple(Keyword(k.strip()) for k in _KEYWORD_SPLIT.split(cell("keywords")) if k.strip()),
        replaced_by=tuple(c for c in _LIST_SPLIT.split(cell("replaced_by")) if c),
        properties={
            r[len("property.") :]: cell(r) for r in columns.roles if r.startswith("property.") and cell(r)
        },
    )
    return item, ancestors


def _date(text: str, column: str, fail: Callable[[str], InvalidContent]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text)
    except ValueError as exc:
        raise fail(f"invalid date {text!r} in {column} ({exc}); use YYYY-MM-DD") from None


def _check_duplicates(raw: list[tuple[Row, Item, tuple[str, ...]]], table: Table, source: str) -> None:
    seen: dict[str, list[tuple[Row, Item]]] = {}
    for row, item, _ in raw:
        for other_row, other in seen.get(item.code, []):
            if other.valid.intersect(item.valid) is not None:
                raise InvalidContent(
                    f"duplicate code {item.code!r} (also on {table.where} {other_row.line}, "
                    "with overlapping validity)",
                    source=source,
                    location=table.location(row.line),
                )
        seen.setdefault(item.code, []).append((row, item))


def _level_names(table: Table, columns: ColumnMap) -> tuple[Level, ...]:
    return tuple(Level(n, {"da": table.header[i]}) for n, i in enumerate(columns.level_columns, start=1))


def _fields(columns: ColumnMap) -> frozenset[str]:
    """Item fields the mapping fills; the hierarchy always gives parent and level."""
    carried = {"parent", "level"}
    for role in columns.roles:
        for prefix, name in _FIELD_OF_PREFIX:
            if role.startswith(prefix):
                role = name
        carried.add(role)
    return frozenset(carried & CONTENT_FIELDS)


IMPORTERS = [TabularImporter()]
