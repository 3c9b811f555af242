"""The ``tabular`` importer's options and mapping roles, as data: checked, documented, printed.

``OPTIONS`` and ``ROLES`` are the one list of what ``--option name=value`` and ``--map role=column``
accept; ``docs/formats.md`` documents each with an example (a test keeps both in step) and
``kodeks import --help`` prints :data:`CLI_HELP`. :func:`check_options` refuses an unknown option
name, naming the known ones and the closest (``hierarchi`` → ``hierarchy``). This module imports
nothing heavy, so the CLI can read it without loading a spreadsheet library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches

from kodeks.errors import InvalidContent


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    values: str
    help: str
    example: str


OPTIONS: tuple[Option, ...] = (
    Option(
        "delimiter",
        "tab, comma, semicolon, pipe or one character",
        "column separator; guessed from the header line when absent",
        "delimiter=semicolon",
    ),
    Option(
        "encoding",
        "a Python codec name",
        "text encoding (default UTF-8; a byte order mark is dropped)",
        "encoding=cp1252",
    ),
    Option("sheet", "a sheet name", "the XLSX sheet to read (default: the first)", "sheet=Samlet"),
    Option("skip_rows", "a whole number", "lines (rows) before the header", "skip_rows=2"),
    Option(
        "header",
        "yes or no",
        "no: the file has no header line; columns are named col1, col2, ...",
        "header=no",
    ),
    Option(
        "widths",
        "whole numbers, comma-separated; * for the rest of the line",
        "read a fixed-width text file with these column widths",
        "widths=6,*",
    ),
    Option(
        "hierarchy",
        "parent, pattern, levels, order or flat",
        "where parents come from: a parent column, code prefixes (and range codes), level columns, "
        "file order (sections then their numeric codes), or none",
        "hierarchy=pattern",
    ),
    Option(
        "level_names",
        "names, comma-separated, top level first",
        "the names of the levels (in the language of lang)",
        "level_names=Section,Division,Group,Class",
    ),
    Option(
        "lang",
        "a language tag (da, en, de, ...)",
        "the language of a plain title column (and of level_names); detected from the words when absent",
        "lang=en",
    ),
    Option(
        "code_width",
        "a whole number",
        "digits of a code that a spreadsheet stored as a number (0111 read as 111): pad it back with zeros",
        "code_width=4",
    ),
    Option(
        "join_with",
        "text",
        "what joins several columns mapped to one role (title=Name+Extra); default one space",
        "join_with= - ",
    ),
    Option(
        "preset",
        "db07 or isco08",
        "a known file's mapping (detected from the header when there is no mapping)",
        "preset=db07",
    ),
    Option(
        "classification",
        "a slug",
        "the classification id (default: from the file name)",
        "classification=isic4",
    ),
)

#: Mapping roles (``--map role=column``); ``<lang>`` and ``<name>`` are filled in by the user.
ROLES: tuple[Option, ...] = (
    Option(
        "code",
        "column",
        "the code (brugervendt nøgle); rows with an empty code are skipped and counted",
        "code=Kode",
    ),
    Option(
        "parent", "column", "the parent's code (empty at the top); for hierarchy=parent", "parent=Overordnet"
    ),
    Option("title", "column", "the title, in the language of lang (detected when absent)", "title=Tekst"),
    Option("title_<lang>", "column", "the title in one language", "title_en=Title"),
    Option("alt_titles_<lang>", "column", "alternative titles, one per line", "alt_titles_en=altLabels"),
    Option("description", "column", "a description", "description=Beskrivelse"),
    Option("level", "column", "the level number (1 at the top)", "level=Niveau"),
    Option("valid_from", "column", "ISO date the code is valid from", "valid_from=Fra"),
    Option("valid_to", "column", "ISO date the code is valid to (exclusive)", "valid_to=Til"),
    Option(
        "valid_years",
        "column",
        "text naming whole years: gælder 2008-2012, valid from 2014",
        "valid_years=NB",
    ),
    Option("uuid", "column", "a UUID kept with the code", "uuid=UUID"),
    Option(
        "replaced_by",
        "column",
        "successor codes, separated by spaces, commas or semicolons",
        "replaced_by=Erstattet",
    ),
    Option("notes", "column", "a note", "notes=Note"),
    Option("keywords", "column", "keywords (stikord), one per line or ;-separated", "keywords=Stikord"),
    Option("property.<name>", "column", "any other column, kept as a property", "property.uri=conceptUri"),
    Option(
        "levels",
        "columns, comma-separated, top first",
        "one column per level; for hierarchy=levels",
        "levels=Section,Division,Group,Class",
    ),
)

OPTION_NAMES: frozenset[str] = frozenset(o.name for o in OPTIONS)

CLI_HELP = (
    "format option name=value; tabular options: "
    + ", ".join(o.name for o in OPTIONS)
    + "; --map roles: "
    + ", ".join(r.name for r in ROLES)
    + " (see docs/formats.md)"
)


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to a mistyped one, if any is close."""
    found = get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return found[0] if found else None


def check_options(options: Iterable[str], source: str) -> None:
    """``InvalidContent`` for the first option name the importer does not know."""
    for name in options:
        if name in OPTION_NAMES:
            continue
        guess = closest(name, OPTION_NAMES)
        hint = f" (did you mean {guess!r}?)" if guess else ""
        raise InvalidContent(
            f"unknown option {name!r}{hint}; the tabular importer knows: {', '.join(sorted(OPTION_NAMES))}",
            source=source,
        )
