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
#: ``bench/import_memory.py --formats 4 --models`` (peak RSS above the process's baseline, divided by
#: the file size, with the search index and catalog listeners; rounded up; ``bench/RESULTS.md``) on
#: files of about 4 MB written by Kodeks, or the largest real file where Kodeks has no writer (small
#: real files overstate the factor: the fixed costs count in it). ``kle-os2kle`` has no valid real file
#: at hand: it takes FHIR's, the other JSON read into items. ``services.importing.check_memory`` refuses
#: a file whose size times its factor is over ``Settings.import_memory_bytes`` before parsing. Kodeks
#: CSV (``csv``) streams and has none.
MEMORY_FACTOR = {
    "json": 11,  # 10.6x on 4.0 MB
    "xlsx": 87,  # 86.4x on 3.7 MB (84,000 rows: a workbook is compressed)
    "fhir": 16,  # 15.2x on 4.0 MB
    "skos": 14,  # Turtle 13.6x, RDF/XML 8.9x on 4.0 MB
    "kle-xml": 17,  # 16.4x on the real 3.4 MB file
    "kle-taxon": 27,  # 26.2x on the real 1.5 MB file
    "kle-os2mo": 92,  # 92.0x on the real 0.3 MB file
    "kle-os2kle": 16,  # not measured: FHIR's
    "tabular": 46,  # 45.2x on a 4.0 MB CSV
}
#: The same for the information-model readers (``formats.models_registry``; all read a file whole).
#: The concept list has no filled-in real file at hand: it takes Kodeks XLSX's.
MODEL_MEMORY_FACTOR = {
    "xmi": 12,  # 11.3x on the real 3.1 MB file
    "conceptlist": 87,  # not measured: Kodeks XLSX's
    "linkml": 25,  # 24.5x on 0.5 MB (written from the real XMI)
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
