"""Generic code lists in CSV, TSV, fixed-width text or XLSX, with a column mapping (``tabular_mapping``).

The options (``--option name=value``) and roles (``--map role=column``) are listed, with an example
each, in ``tabular_options`` (and ``docs/formats.md``); an unknown option name is an error. Every cell
is read as text (the ``csv`` module and openpyxl; Polars would need its line numbers reconstructed),
so ``01`` stays ``01``; a code that a spreadsheet stored as a number is padded back (``code_width``,
or the width of the column's other codes) or refused with its row. Problems name the file and the
1-based line, header included.

What the importer decides without refusing the file goes into the bundle's ``warnings``: rows
skipped because their code is empty (with a count), the language a plain ``title`` column was read
in (detected from its words or column names when ``lang`` is not given), codes padded back, and a
flat list whose codes look hierarchical (naming the hierarchy options).
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
from kodeks.domain.language import guess_language, language_of_name
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, Level
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats import tabular_hierarchy as hierarchy
from kodeks.formats.base import ImportOptions
from kodeks.formats.budget import MEMORY_FACTOR
from kodeks.formats.numeric_codes import NumberCodes
from kodeks.formats.records import classification_id
from kodeks.formats.table import (
    XLS_MAGIC,
    Row,
    Table,
    delimiter_option,
    guess_delimiter,
    parse_widths,
    read_any,
)
from kodeks.formats.tabular_mapping import PRESETS, ColumnMap, Preset, preset_for_header, resolve, year_span
from kodeks.formats.tabular_options import check_options

_TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
_LIST_SPLIT = re.compile(r"[\s,;]+")
_KEYWORD_SPLIT = re.compile(r"[;\n]")
_FIELD_OF_PREFIX = (("title_", "titles"), ("alt_titles_", "alt_titles"), ("property.", "properties"))


class TabularImporter:
    name = "tabular"
    memory_factor = MEMORY_FACTOR[name]  # read whole: refused over the memory budget
    description = (
        "Generic code list in CSV/TSV/fixed-width text/XLSX/XLS with a column mapping (presets: db07, isco08)"
    )
    extensions = (".csv", ".tsv", ".txt", ".xlsx", ".xls")

    def sniff(self, head: bytes, filename: str) -> int:
        suffix = PurePath(filename).suffix.lower()
        if suffix in _TEXT_SUFFIXES:
            first = head.decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
            header = [c.strip() for c in first.split(guess_delimiter(first))]
            return 80 if preset_for_header(header) else 10
        if suffix == ".xls" and head.startswith(XLS_MAGIC):
            return 10
        return 10 if suffix == ".xlsx" and head.startswith(b"PK") else 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        opts = {**options.options}
        check_options(opts, source)
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
        asked = opts.get("hierarchy") or mapping.get("hierarchy")
        mode = asked or (preset.hierarchy if preset else "parent")
        warnings: list[str] = []
        lang = _title_language(opts, mapping, table, warnings)
        columns = resolve(
            mapping, table.header, mode, lang=lang, source=source, location=table.location(table.header_line)
        )
        items = _items(table, columns, source, opts, warnings)
        if not asked and not preset and not columns.has("parent") and not columns.has("level"):
            hint = _flat_hint(items)
            if hint:
                warnings.append(hint)
        base = preset.classification if preset else None
        slug = classification_id(
            source, options.classification or opts.get("classification") or (base.id if base else None)
        )
        classification = replace(base, id=slug) if base else Classification(id=slug)
        levels = _levels(opts, lang, source) or (preset.levels if preset else _level_names(table, columns))
        return [
            Bundle(
                classification=classification,
                items=items,
                levels=levels,
                fields=_fields(columns),
                source=source,
                format=self.name,
                warnings=tuple(warnings),
            )
        ]


def _flag(opts: dict[str, str], name: str, default: bool, source: str) -> bool:
    value = opts.get(name, "").strip().casefold()
    if not value:
        return default
    if value in ("yes", "true", "1"):
        return True
    if value in ("no", "false", "0", "none"):
        return False
    raise MalformedInput(f"{name} must be yes or no, got {opts[name]!r}", source=source)


def _table(data: bytes, source: str, opts: dict[str, str]) -> Table:
    try:
        skip = int(opts.get("skip_rows") or 0)
    except ValueError:
        raise MalformedInput(
            f"skip_rows must be a whole number, got {opts['skip_rows']!r}", source=source
        ) from None
    widths = parse_widths(opts["widths"], source) if opts.get("widths") else None
    return read_any(
        data,
        source,
        sheet=opts.get("sheet"),
        skip_rows=skip,
        header=_flag(opts, "header", True, source),
        delimiter=delimiter_option(opts.get("delimiter")),
        encoding=opts.get("encoding") or "utf-8",
        widths=widths,
    )


def _preset(name: str | None, mapping: dict[str, str], table: Table, source: str) -> Preset | None:
    if name:
        if name not in PRESETS:
            raise InvalidContent(f"unknown preset {name!r}; known: {', '.join(PRESETS)}", source=source)
        return PRESETS[name]
    return None if mapping else preset_for_header(table.header)


_LANGUAGE_NAMES = {"da": "Danish", "en": "English", "de": "German", "sv": "Swedish", "fr": "French"}


def _title_language(opts: dict[str, str], mapping: dict[str, str], table: Table, warnings: list[str]) -> str:
    """The language of a plain ``title`` column: ``lang``, else the column names, else its words, else da."""
    if opts.get("lang"):
        return opts["lang"].strip()
    column = mapping.get("title")
    if column is None:
        return "da"
    fix = "set --option lang=... to choose"
    named = language_of_name(column)
    if named:
        warnings.append(
            f"the title column {column!r} was read as {_name(named)} ({named}), as its name says; {fix}"
        )
        return named
    stated = {lang for h in table.header if h != column and (lang := language_of_name(h))}
    index = table.column(column)
    texts = (row.cells[index] for row in table.rows) if index is not None else iter(())
    guessed, why = guess_language(texts)
    if guessed:
        warnings.append(f"the title column {column!r} was read as {_name(guessed)} ({guessed}): {why}; {fix}")
        return guessed
    if len(stated) == 1:
        (only,) = stated
        warnings.append(
            f"the title column {column!r} was read as {_name(only)} ({only}), the language the file's other "
            f"columns name; {fix}"
        )
        return only
    warnings.append(
        f"the language of the title column {column!r} could not be told ({why}); "
        f"it was read as Danish (da); {fix}"
    )
    return "da"


def _name(lang: str) -> str:
    return _LANGUAGE_NAMES.get(lang, lang)


def _levels(opts: dict[str, str], lang: str, source: str) -> tuple[Level, ...]:
    text = opts.get("level_names")
    if not text:
        return ()
    names = [n.strip() for n in text.split(",")]
    if not all(names):
        raise InvalidContent(f"level_names has an empty name: {text!r}", source=source)
    return tuple(Level(n, {lang: name}) for n, name in enumerate(names, start=1))


Raw = list[tuple[Row, Item, tuple[str, ...]]]


def _items(
    table: Table, columns: ColumnMap, source: str, opts: dict[str, str], warnings: list[str]
) -> tuple[Item, ...]:
    raw: Raw = []
    skipped: list[int] = []
    code_columns = set(columns.roles.get("code", ())) | set(columns.roles.get("parent", ()))
    restore = NumberCodes(
        table, frozenset(code_columns | set(columns.level_columns)), source, opts.get("code_width", "")
    )
    join = opts.get("join_with", " ")
    for row in table.rows:
        made = _item(row, table, columns, source, restore, join)
        if made is None:
            skipped.append(row.line)
            continue
        raw.append((row, *made))
    if not table.rows:
        raise InvalidContent(
            "the table has a header but no rows",
            source=source,
            location=table.location(table.header_line + 1),
        )
    if skipped:
        shown = ", ".join(map(str, skipped[:10])) + (", ..." if len(skipped) > 10 else "")
        warnings.append(f"skipped {len(skipped)} row(s) with an empty code ({table.where} {shown})")
    if not raw:
        raise InvalidContent(
            "no row has a code", source=source, location=table.location(table.header_line + 1)
        )
    warnings.extend(restore.warnings)
    _check_duplicates(raw, table, source)
    codes = [item.code for _, item, _ in raw]
    if columns.hierarchy in ("pattern", "order"):
        parents = (
            hierarchy.order_parents(codes)
            if columns.hierarchy == "order"
            else hierarchy.pattern_parents(codes)
        )
        raw = [(row, replace(item, parent=parents[item.code]), a) for row, item, a in raw]
    elif columns.hierarchy == "levels":
        known = set(codes)
        raw = [(row, replace(item, parent=hierarchy.nearest_known(a, known)), a) for row, item, a in raw]
    elif columns.hierarchy == "flat":
        raw = [(row, replace(item, parent=None), a) for row, item, a in raw]
    if not columns.has("level") and columns.hierarchy != "levels":
        depth = hierarchy.depths({item.code: item.parent for _, item, _ in raw})
        raw = [(row, replace(item, level=depth.get(item.code)), a) for row, item, a in raw]
    return tuple(item for _, item, _ in raw)


def _item(
    row: Row, table: Table, columns: ColumnMap, source: str, restore: NumberCodes, join: str
) -> tuple[Item, tuple[str, ...]] | None:
    """The item of one row, with its ancestors (``levels`` mode); ``None`` when its code is empty."""
    where = table.location(row.line)

    def cell(role: str) -> str:
        indices = columns.roles.get(role, ())
        if len(indices) == 1:
            return restore(row, indices[0]) if role in ("code", "parent") else row.cells[indices[0]]
        return join.join(row.cells[i] for i in indices if row.cells[i])

    def fail(message: str) -> InvalidContent:
        return InvalidContent(message, source=source, location=where)

    ancestors: tuple[str, ...] = ()
    level: int | None = None
    if columns.hierarchy == "levels":
        path = hierarchy.level_path([restore(row, i) for i in columns.level_columns])
        if path is None:
            return None
        code, level, ancestors = path
    else:
        code = cell("code")
        if not code:
            return None
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


def _check_duplicates(raw: Raw, table: Table, source: str) -> None:
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


def _flat_hint(items: tuple[Item, ...]) -> str | None:
    """A warning when every code is at the top but the codes look hierarchical."""
    if len(items) < 2 or any(i.parent for i in items):
        return None
    codes = [i.code for i in items]
    if _running_numbers(codes):
        return None
    by_prefix = sum(1 for p in hierarchy.pattern_parents(codes).values() if p)
    by_order = sum(1 for p in hierarchy.order_parents(codes).values() if p)
    if max(by_prefix, by_order) * 4 < len(codes):
        return None
    example = next((f" (e.g. {c!r} under {p!r})" for c, p in hierarchy.order_parents(codes).items() if p), "")
    return (
        f"all {len(codes)} codes are at the top level, but the codes look hierarchical{example}; "
        "set --option hierarchy=pattern (code prefixes and ranges), hierarchy=order (sections in file "
        "order, then prefixes), hierarchy=levels with --map levels=..., or --map parent=COLUMN; "
        "hierarchy=flat keeps the list flat without this warning"
    )


def _running_numbers(codes: list[str]) -> bool:
    """Codes that are the numbers 1..N (or 0..N) without leading zeros: a numbered list, not a hierarchy."""
    if not all(c.isdigit() and (c == "0" or not c.startswith("0")) for c in codes):
        return False
    numbers = sorted(int(c) for c in codes)
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] in (0, 1)


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
