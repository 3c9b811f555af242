"""Correspondence tables in any layout: a column mapping over CSV, TSV, XLSX or XLS.

``--map source=ISIC4code,target=ISIC31code,partial=partialISIC4,note=Detail`` names the columns
(roles: ``source``, ``target``, ``partial``, ``note``, ``source_title``, ``target_title``; only
``source`` and ``target`` are required), and the options are the tabular importer's where they make
sense: ``delimiter``, ``encoding``, ``sheet``, ``skip_rows``, ``header`` (``no``: columns ``col1``,
``col2``, ...) and ``code_width`` (codes a spreadsheet stored as numbers; see ``numeric_codes``).

A row with an empty target maps its source to *no counterpart*; a row with an empty source is
skipped and counted in a warning (a mapping needs a source code). ``partial`` is true for ``p``,
``1``, ``true``, ``yes``, ``x``, ``partial`` and false for an empty cell, ``0``, ``false``, ``no``;
anything else is refused naming the row. Known files get a mapping of their own (``PRESETS``), so
the ILO ISCO-88 → ISCO-08 workbook imports without one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from kodeks.domain.local.correspondence import Mapping
from kodeks.domain.local.notation import code_problem
from kodeks.errors import InvalidContent, InvalidRequest
from kodeks.formats.numeric_codes import NumberCodes
from kodeks.formats.table import Table, delimiter_option, read_any
from kodeks.formats.tabular_options import closest
from kodeks.services.local.ports import ParsedMappings

ROLES = ("source", "target", "partial", "note", "source_title", "target_title")
OPTIONS = ("delimiter", "encoding", "sheet", "skip_rows", "header", "code_width")
_TRUE = frozenset({"p", "1", "true", "yes", "x", "partial", "ja"})
_FALSE = frozenset({"", "0", "false", "no", "n", "nej"})

Reader = Callable[[bytes, str], ParsedMappings]

#: The classifications on either side of a known file.
SIDES: dict[str, tuple[str, str]] = {"isco88-isco08-xls": ("isco-88", "isco-08")}
#: Mappings of known files, by reader name (the detected header picks them).
PRESETS: dict[str, dict[str, str]] = {
    "isco88-isco08-xls": {
        "source": "ISCO-88 code",
        "target": "ISCO 08 Code",
        "partial": "ISCO-08 part",
        "note": "Comments",
        "source_title": "ISCO-88 Title EN",
        "target_title": "ISCO-08 Title EN",
    },
}


def parse_pairs(values: Iterable[str], what: str, roles: Iterable[str] = ROLES) -> dict[str, str]:
    """``["source=A,target=B", "note=C"]`` → ``{"source": "A", "target": "B", "note": "C"}``.

    A value is split at a comma only where the next part starts with a role name and ``=``, so a
    column name may hold commas.
    """
    split = re.compile(r",(?=\s*(?:" + "|".join(map(re.escape, roles)) + r")\s*=)")
    out: dict[str, str] = {}
    for value in values:
        for part in split.split(value) if what == "--map" else value.split(","):
            if "=" not in part:
                raise InvalidRequest(f"{what} {part!r} must look like name=value")
            key, _, val = part.partition("=")
            out[key.strip()] = val.strip()
    return out


def check(mapping: dict[str, str], options: dict[str, str]) -> None:
    """``InvalidRequest`` for an unknown role or option (naming the closest) or a missing side."""
    for names, known, what in ((mapping, ROLES, "role"), (options, OPTIONS, "option")):
        for name in names:
            if name not in known:
                guess = closest(name, known)
                hint = f" (did you mean {guess!r}?)" if guess else ""
                raise InvalidRequest(
                    f"unknown correspondence {what} {name!r}{hint}; known: {', '.join(known)}"
                )
    missing = [r for r in ("source", "target") if not mapping.get(r)]
    if missing:
        raise InvalidRequest(f"--map needs the column of {' and '.join(missing)} (source=...,target=...)")


def mapped_reader(
    mapping: dict[str, str], options: dict[str, str] | None = None, sides: tuple[str, str] | None = None
) -> Reader:
    """A reader for files whose columns ``mapping`` names (``sides``: the classifications, if known)."""
    opts = dict(options or {})
    check(mapping, opts)

    def read(data: bytes, source: str) -> ParsedMappings:
        parsed = read_mapped(data, source, mapping, opts)
        return replace(parsed, source=sides[0], target=sides[1]) if sides else parsed

    return read


def read_mapped(data: bytes, source: str, mapping: dict[str, str], options: dict[str, str]) -> ParsedMappings:
    table = _table(data, source, options)
    index = {role: _column(table, role, column, source) for role, column in mapping.items() if column}
    restore = NumberCodes(
        table, frozenset({index["source"], index["target"]}), source, options.get("code_width", "")
    )
    out: list[Mapping] = []
    skipped: list[int] = []
    for row in table.rows:
        where = table.location(row.line)

        def cell(role: str, row_cells: tuple[str, ...] = row.cells) -> str:
            return row_cells[index[role]].strip() if role in index else ""

        from_code, to_code = restore(row, index["source"]).strip(), restore(row, index["target"]).strip()
        if not from_code:
            if to_code or any(row.cells):
                skipped.append(row.line)
            continue
        partial = cell("partial").casefold()
        if partial not in _TRUE | _FALSE:
            raise InvalidContent(
                f"partial must be empty, 0/1, true/false, yes/no or p, not {cell('partial')!r}",
                source=source,
                location=where,
            )
        out.append(
            Mapping(
                _code(from_code, "source", source, where),
                _code(to_code, "target", source, where) if to_code else None,
                partial in _TRUE,
                cell("note") or None,
                cell("source_title") or None,
                cell("target_title") or None,
            )
        )
    warnings = list(restore.warnings)
    if skipped:
        shown = ", ".join(map(str, skipped[:10])) + (", ..." if len(skipped) > 10 else "")
        warnings.append(f"skipped {len(skipped)} row(s) with an empty source code ({table.where} {shown})")
    if not out:
        raise InvalidContent("the file holds no mappings", source=source)
    return ParsedMappings(tuple(out), None, None, None, None, tuple(warnings))


def _table(data: bytes, source: str, options: dict[str, str]) -> Table:
    try:
        skip = int(options.get("skip_rows") or 0)
    except ValueError:
        raise InvalidContent(
            f"skip_rows must be a whole number, got {options['skip_rows']!r}", source=source
        ) from None
    header = options.get("header", "yes").strip().casefold() not in ("no", "false", "0", "none")
    return read_any(
        data,
        source,
        sheet=options.get("sheet"),
        skip_rows=skip,
        header=header,
        delimiter=delimiter_option(options.get("delimiter")),
        encoding=options.get("encoding") or "utf-8",
    )


def _column(table: Table, role: str, column: str, source: str) -> int:
    found = table.column(column)
    if found is None:
        shown = ", ".join(repr(h) for h in table.header if h)
        raise InvalidContent(
            f"--map names column {column!r} (role {role!r}), which the file does not have; "
            f"its columns are: {shown}",
            source=source,
            location=table.location(table.header_line),
        )
    return found


def _code(value: str, what: str, source: str, where: str) -> str:
    problem = code_problem(value)
    if problem:
        raise InvalidContent(f"{what}: {problem}", source=source, location=where)
    return value
