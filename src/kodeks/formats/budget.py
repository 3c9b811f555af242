"""How many rows one tabular file read whole may bring into memory.

A reader that returns whole bundles holds the file in memory several times over: the bytes, the decoded
text, the rows, the items, and what the unit of work records (``bench/import_memory.py`` measured 60-80
times the file size for a Kodeks CSV read whole, about 4 KB per row of 70 bytes). Kodeks CSV imports
stream (``services.streaming_import``) and have no row cap; the readers that still read whole (delimited
text for ``tabular``, XLSX sheets, and ``KodeksCsv.read``) refuse a file with more rows than ``MAX_ROWS``
before parsing it (text: counted as line breaks, so a cell holding line breaks counts more than once),
instead of running a server out of memory. ``MAX_ROWS`` is seven times the largest real code list in
the shared data (ESCO occupations, 33,000 rows).
"""

from __future__ import annotations

from kodeks.errors import InputTooLarge

#: Peak memory of one import per byte of file, for every importer that reads a file whole, measured by
#: ``bench/import_memory.py --formats`` (peak RSS above the process's baseline, divided by the file
#: size, with the search index and catalog listeners; rounded up). ``services.importing.check_memory``
#: refuses a file whose size times its factor is over ``Settings.import_memory_bytes`` before parsing.
#: Kodeks CSV (``csv``) streams and has none.
MEMORY_FACTOR = {
    "json": 40,
    "xlsx": 200,
    "fhir": 40,
    "skos": 40,
    "kle-xml": 40,
    "kle-taxon": 40,
    "kle-os2mo": 200,
    "kle-os2kle": 40,
    "tabular": 200,
}

#: The same for the information-model readers (``formats.models_registry``; all read a file whole).
MODEL_MEMORY_FACTOR = {
    "xmi": 40,
    "conceptlist": 200,
    "linkml": 40,
}

MAX_ROWS = 250_000
#: Peak memory of a whole import per row, measured by ``bench/import_memory.py`` (rounded up).
BYTES_PER_ROW = 4_000


def check_rows(rows: int, source: str, *, unit: str = "lines") -> None:
    """``InputTooLarge`` when ``rows`` is more than one import may hold in memory."""
    if rows > MAX_ROWS:
        raise InputTooLarge(
            f"more than {MAX_ROWS:,} {unit}: one import holds at most {MAX_ROWS:,} rows in memory "
            f"(about {MAX_ROWS * BYTES_PER_ROW / 1e9:.0f} GB); split the file",
            source=source,
        )
