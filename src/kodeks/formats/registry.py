"""The one registry of formats.

Modules listed in ``BUILTIN`` are loaded on first use; each defines ``IMPORTERS`` and/or
``EXPORTERS`` (lists of plugin objects). ``detect`` picks the importer most confident about a file.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import PurePath

from kodeks.errors import UnknownFormat
from kodeks.formats.base import Exporter, Importer

BUILTIN = (
    "kodeks.formats.kle_xml",
    "kodeks.formats.kle_os2mo",
    "kodeks.formats.kle_taxon",
    "kodeks.formats.kle_os2kle",
    "kodeks.formats.fhir",
    "kodeks.formats.skos",
    "kodeks.formats.tabular",
    "kodeks.formats.kodeks_json",
    "kodeks.formats.kodeks_csv",
    "kodeks.formats.kodeks_xlsx",
)


@cache
def _load() -> tuple[dict[str, Importer], dict[str, Exporter]]:
    importers: dict[str, Importer] = {}
    exporters: dict[str, Exporter] = {}
    for name in BUILTIN:
        module = importlib.import_module(name)
        for imp in getattr(module, "IMPORTERS", []):
            importers[imp.name] = imp
        for exp in getattr(module, "EXPORTERS", []):
            exporters[exp.name] = exp
    return importers, exporters


def importers() -> dict[str, Importer]:
    return dict(_load()[0])


def exporters() -> dict[str, Exporter]:
    return dict(_load()[1])


def get_importer(name: str) -> Importer:
    try:
        return _load()[0][name]
    except KeyError:
        known = ", ".join(sorted(_load()[0]))
        raise UnknownFormat(f"unknown import format {name!r}; known: {known}") from None


def get_exporter(name: str) -> Exporter:
    try:
        return _load()[1][name]
    except KeyError:
        known = ", ".join(sorted(_load()[1]))
        raise UnknownFormat(f"unknown export format {name!r}; known: {known}") from None


def detect(head: bytes, filename: str) -> Importer:
    """The importer most confident about this file; ``UnknownFormat`` if none is."""
    scored = sorted(
        ((imp.sniff(head, filename), imp.name, imp) for imp in _load()[0].values()),
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )
    if not scored or scored[0][0] <= 0:
        raise UnknownFormat(
            f"no importer recognises this file (extension {PurePath(filename).suffix!r}); use --format",
            source=filename,
        )
    return scored[0][2]


class Registry:
    """The registry as the services' ``FormatCatalog`` port."""

    def detect(self, head: bytes, filename: str) -> Importer:
        return detect(head, filename)

    def importer(self, name: str) -> Importer:
        return get_importer(name)

    def exporter(self, name: str) -> Exporter:
        return get_exporter(name)

    def exporter_names(self) -> list[str]:
        return sorted(exporters())
