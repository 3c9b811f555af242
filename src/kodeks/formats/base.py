"""What every format plugin provides.

An *importer* recognises its files (``sniff``) and turns bytes into one or more
:class:`~kodeks.domain.release.Bundle` objects; an *exporter* turns an :class:`ExportSet` into bytes.
Importers never touch the database and raise only :mod:`kodeks.errors` import errors, naming the
source, the line or element, and the problem. XML is parsed with ``safe_xml_parser`` (no entity
expansion, no network, no DTD loading).
"""

from __future__ import annotations

from kodeks.domain.release import Bundle
from kodeks.services.ports import Exporter, ExportSet, Importer, ImportOptions
from kodeks.services.stream_ports import ItemStream

__all__ = ["Bundle", "ExportSet", "Exporter", "ImportOptions", "Importer", "ItemStream", "bundle_from_export"]


def bundle_from_export(export: ExportSet, *, source: str, format: str) -> Bundle:
    """The bundle that re-importing ``export`` must give back (used by round-trip tests)."""
    latest = export.versions[-1] if export.versions else None
    return Bundle(
        classification=export.classification,
        items=export.items,
        levels=export.levels,
        release_label=latest.label if latest else None,
        release_date=latest.release_date if latest else None,
        source=source,
        format=format,
    )
