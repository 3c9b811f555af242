"""FHIR CodeSystem format plugins: the ``fhir`` importer and exporter (``application/fhir+json``).

Reading is in :mod:`kodeks.formats.fhir_read`, writing in :mod:`kodeks.formats.fhir_write`. Twin concept
trees (FSIII lists every concept twice) are folded first (:mod:`kodeks.formats.fhir_twins`); option
``hierarchy=icd10`` adds ICD-10's chapters and blocks (:mod:`kodeks.formats.icd10_structure`).
"""

from __future__ import annotations

import json
from pathlib import PurePath

from kodeks.domain.release import Bundle
from kodeks.errors import InvalidContent
from kodeks.formats.base import ExportSet, ImportOptions
from kodeks.formats.budget import MEMORY_FACTOR
from kodeks.formats.fhir_read import load_json, read_codesystem, validate
from kodeks.formats.fhir_twins import fold_twins
from kodeks.formats.fhir_write import codesystem
from kodeks.formats.icd10_structure import add_chapters_and_blocks


class FhirImporter:
    name = "fhir"
    memory_factor = MEMORY_FACTOR[name]  # read whole: refused over the memory budget
    description = "FHIR R4 CodeSystem (JSON): hierarchy from nesting or parent properties, designations"
    extensions = (".json",)

    def sniff(self, head: bytes, filename: str) -> int:
        compact = head.replace(b" ", b"")
        if b'"resourceType":"CodeSystem"' in compact:
            return 95
        if b'"resourceType"' in compact and PurePath(filename).suffix.lower() == ".json":
            return 20
        return 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        obj = load_json(data, source)
        validate(obj, source)
        obj, _folded = fold_twins(obj)
        bundle = read_codesystem(obj, source, options)
        if options.options.get("hierarchy") == "icd10":
            try:
                bundle = add_chapters_and_blocks(bundle)
            except ValueError as exc:
                raise InvalidContent(str(exc), source=source) from None
        return [bundle]


class FhirExporter:
    name = "fhir"
    media_type = "application/fhir+json"
    extension = ".json"
    dated = False  # the bytes do not carry the export's day (``services.exporting``)

    def write(self, export: ExportSet, options: dict[str, str] | None = None) -> bytes:
        text = json.dumps(codesystem(export), ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")


IMPORTERS = [FhirImporter()]
EXPORTERS = [FhirExporter()]
