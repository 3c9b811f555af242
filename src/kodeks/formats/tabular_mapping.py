"""How the columns of a generic table become item fields: roles, the hierarchy mode, and presets.

A *mapping* maps roles to column names. Roles: ``code``, ``parent``, ``title`` (in the language of
the ``lang`` option, default ``da``) or ``title_<lang>``, ``alt_titles_<lang>`` (one per line),
``description``, ``level``, ``valid_from``, ``valid_to`` (ISO dates), ``valid_years`` (text such as
``gælder 2008-2012`` or ``valid from 2014``: whole calendar years, the last one included), ``uuid``,
``replaced_by`` (codes separated by spaces, commas or semicolons), ``notes``, ``keywords`` (one per
line or ``;``-separated), ``property.<name>`` (kept as a property) and ``levels`` (comma-separated
columns from top to bottom, for ``hierarchy=levels``). Several columns joined with ``+``
(``title=Tekst1+Tekst2``) give one value: the non-empty cells joined (``join_with``, one space).
The full list, with an example each, is ``tabular_options.ROLES``.

*Presets* name the mapping of a known file so it imports without one (``preset=db07``) and are
recognised by their header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kodeks.domain.classification import Classification
from kodeks.domain.release import Level
from kodeks.errors import InvalidContent

HIERARCHIES = ("parent", "pattern", "levels", "order", "flat")
_SIMPLE_ROLES = frozenset(
    {
        "code",
        "parent",
        "title",
        "description",
        "level",
        "valid_from",
        "valid_to",
        "valid_years",
        "uuid",
        "replaced_by",
        "notes",
        "keywords",
        "levels",
    }
)
_PREFIX_ROLES = ("title_", "alt_titles_", "property.")


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    signature: tuple[str, ...]  # header columns, in order, that identify the file
    mapping: dict[str, str]
    hierarchy: str
    classification: Classification
    levels: tuple[Level, ...] = ()


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """A checked mapping: role -> column indices in the table's header (several: joined)."""

    roles: dict[str, tuple[int, ...]]
    level_columns: tuple[int, ...] = ()
    hierarchy: str = "parent"
    names: dict[str, str] = field(default_factory=dict)

    def has(self, role: str) -> bool:
        return role in self.roles


DB07 = Preset(
    name="db07",
    signature=("ID", "Niveau", "Section", "Hovedgruppe", "Gruppe", "Undergruppe", "DB07", "NB", "Tekst"),
    mapping={
        "levels": "Section,Hovedgruppe,Gruppe,Undergruppe,DB07",
        "title_da": "Tekst",
        "valid_years": "NB",
        "notes": "NB",
    },
    hierarchy="levels",
    classification=Classification(
        id="db07",
        titles={
            "da": "Dansk Branchekode 2007 (DB07)",
            "en": "Danish Industrial Classification of All Economic Activities 2007 (DB07)",
        },
        description="Danmarks Statistiks danske udgave af EU's NACE rev. 2.",
        owner="Danmarks Statistik",
        publisher="Danmarks Statistik",
        source_uri="https://www.dst.dk/da/Statistik/dokumentation/nomenklaturer/dansk-branchekode-db07",
    ),
    levels=(
        Level(1, {"da": "Sektion", "en": "Section"}),
        Level(2, {"da": "Hovedgruppe", "en": "Division"}),
        Level(3, {"da": "Gruppe", "en": "Group"}),
        Level(4, {"da": "Undergruppe", "en": "Class"}),
        Level(5, {"da": "Branche", "en": "Subclass"}),
    ),
)

ISCO08 = Preset(
    name="isco08",
    signature=("conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "inScheme", "description"),
    mapping={
        "code": "code",
        "title_en": "preferredLabel",
        "alt_titles_en": "altLabels",
        "description": "description",
        "property.uri": "conceptUri",
    },
    hierarchy="pattern",
    classification=Classification(
        id="isco08",
        titles={
            "en": "International Standard Classification of Occupations 2008 (ISCO-08)",
            "da": "International standardklassifikation af erhverv 2008 (ISCO-08)",
        },
        owner="International Labour Organization",
        publisher="International Labour Organization",
        source_uri="https://www.ilo.org/public/english/bureau/stat/isco/isco08/",
    ),
    levels=(
        Level(1, {"en": "Major group"}),
        Level(2, {"en": "Sub-major group"}),
        Level(3, {"en": "Minor group"}),
        Level(4, {"en": "Unit group"}),
    ),
)

PRESETS: dict[str, Preset] = {p.name: p for p in (DB07, ISCO08)}


def preset_for_header(header: Sequence[str]) -> Preset | None:
    """The preset whose signature starts the header, if any."""
    for preset in PRESETS.values():
        if tuple(header[: len(preset.signature)]) == preset.signature:
            return preset
    return None


def check_role(role: str) -> bool:
    return role in _SIMPLE_ROLES or any(role.startswith(p) and len(role) > len(p) for p in _PREFIX_ROLES)


def resolve(
    mapping: Mapping[str, str],
    header: Sequence[str],
    hierarchy: str,
    *,
    lang: str,
    source: str,
    location: str,
) -> ColumnMap:
    """Check every role and column; ``InvalidContent`` names a missing column and the file's columns."""
    roles: dict[str, tuple[int, ...]] = {}
    names: dict[str, str] = {}
    shown = ", ".join(repr(h) for h in header if h)

    def index(column: str, role: str) -> int:
        if column not in header:
            raise InvalidContent(
                f"the mapping names column {column!r} (role {role!r}), which the file "
                f"does not have; its columns are: {shown}",
                source=source,
                location=location,
            )
        return header.index(column)

    for role, column in mapping.items():
        if role == "hierarchy":
            continue
        if not check_role(role):
            raise InvalidContent(f"unknown mapping role {role!r}{_suggest(role)}", source=source)
        key = f"title_{lang}" if role == "title" else role
        if key != "levels":
            parts = [column] if column in header else _parts(column)
            roles[key] = tuple(index(part.strip(), role) for part in parts)
            names[key] = column
    if hierarchy not in HIERARCHIES:
        raise InvalidContent(
            f"hierarchy must be one of {', '.join(HIERARCHIES)}, got {hierarchy!r}", source=source
        )
    level_columns: tuple[int, ...] = ()
    if hierarchy == "levels":
        if "levels" not in mapping:
            raise InvalidContent(
                "hierarchy=levels needs the role 'levels' (columns from top to bottom)", source=source
            )
        level_columns = tuple(index(c.strip(), "levels") for c in mapping["levels"].split(",") if c.strip())
    elif "code" not in roles:
        raise InvalidContent("the mapping has no 'code' column", source=source, location=location)
    return ColumnMap(roles, level_columns, hierarchy, names)


def _parts(column: str) -> list[str]:
    """``"A+B"`` → ``["A", "B"]`` (a column whose own name holds ``+`` is matched whole first)."""
    return [column] if "+" not in column else [p for p in column.split("+") if p.strip()] or [column]


def _suggest(role: str) -> str:
    from kodeks.formats.tabular_options import ROLES, closest

    guess = closest(role, [r.name for r in ROLES if "<" not in r.name])
    known = ", ".join(r.name for r in ROLES)
    return (f" (did you mean {guess!r}?)" if guess else "") + f"; known roles: {known}"


_YEARS = re.compile(r"(\d{4})\s*(?:-\s*(\d{4})?)?")


def year_span(text: str) -> tuple[int, int | None] | None:
    """``(first, last)`` years of a text like ``gælder 2008-2012``, ``2013-`` or ``valid from 2014``.

    A single year after *from*/*fra* opens the end; a lone year without it means that year only.
    ``None`` when the text names no year.
    """
    match = _YEARS.search(text)
    if not match:
        return None
    first = int(match.group(1))
    if match.group(2):
        return first, int(match.group(2))
    if "-" in match.group(0) or re.search(r"\b(from|fra|siden)\b", text, re.IGNORECASE):
        return first, None
    return first, first
