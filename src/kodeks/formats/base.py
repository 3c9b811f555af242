"""What every format plugin provides.

An *importer* recognises its files (``sniff``) and turns bytes into one or more
:class:`~kodeks.domain.release.Bundle` objects; an *exporter* turns an :class:`ExportSet` into bytes.
Importers never touch the database and raise only :mod:`kodeks.errors` import errors, naming the
source, the line or element, and the problem. XML is parsed with ``safe_xml_parser`` (no entity
expansion, no network, no DTD loading).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.domain.release import Bundle, Level, Release


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the user may tell an importer.

    ``classification`` overrides the classification id; ``mapping`` maps roles (``code``,
    ``parent``, ``title``, ``title_en``, ``valid_from``, ``valid_to``, ``level``, ``description``,
    ``hierarchy=pattern``...) to column names for tabular formats; ``options`` holds other
    format-specific settings (``sheet``, ``delimiter``, ``encoding``, ``scheme``...).
    """

    classification: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportSet:
    """What is exported: a classification, its levels and versions, and the items chosen.

    ``items`` are the facts valid on ``at`` (each with its own validity period), or every fact when
    ``at`` is ``None``. ``versions`` lists the recorded releases, oldest first.
    """

    classification: Classification
    items: tuple[Item, ...]
    levels: tuple[Level, ...] = ()
    versions: tuple[Release, ...] = ()
    at: date | None = None


class Importer(Protocol):
    name: str
    description: str
    extensions: tuple[str, ...]

    def sniff(self, head: bytes, filename: str) -> int:
        """Confidence 0-100 that the file (first bytes ``head``, its name) is in this format."""
        ...

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        ...


class Exporter(Protocol):
    name: str
    media_type: str
    extension: str

    def write(self, export: ExportSet, options: dict[str, str] | None = None) -> bytes:
        ...


def bundle_from_export(export: ExportSet, *, source: str, format: str) -> Bundle:
    """The bundle that re-importing ``export`` must give back (used by round-trip tests)."""
    latest = export.versions[-1] if export.versions else None
    return Bundle(classification=export.classification, items=export.items, levels=export.levels,
                  release_label=latest.label if latest else None,
                  release_date=latest.release_date if latest else None, source=source, format=format)
