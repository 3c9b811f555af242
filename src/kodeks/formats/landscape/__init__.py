"""Readers and writers of the solution landscape, behind one small registry of names.

Readers (``kodeks landscape import --format``): ``sysap`` (Turtle, RDF/XML, JSON-LD), ``sheet`` (CSV
or XLSX), ``kitos`` (KITOS-API-shaped JSON). Writers (``kodeks landscape export --format``):
``sysap-ttl``, ``sysap-rdfxml``, ``sysap-jsonld``, ``csv``, ``xlsx``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from kodeks.domain.landscape.bundle import LandscapeBundle
from kodeks.domain.landscape.model import Solution, Use
from kodeks.errors import InputTooLarge, UnknownFormat

MAX_BYTES = 50 * 1024 * 1024
READERS = ("sysap", "sheet", "kitos")


@dataclass(frozen=True)
class Writer:
    name: str
    media_type: str
    suffix: str
    write: Callable[[list[Solution], list[Use], str], bytes]


def _sysap(syntax: str) -> Callable[[list[Solution], list[Use], str], bytes]:
    def write(solutions: list[Solution], uses: list[Use], base: str) -> bytes:
        from kodeks.formats.landscape import sysap

        return sysap.write(solutions, uses, base, syntax)

    return write


def _csv(solutions: list[Solution], uses: list[Use], base: str) -> bytes:
    from kodeks.formats.landscape import sheet

    return sheet.write_csv(solutions, uses)


def _xlsx(solutions: list[Solution], uses: list[Use], base: str) -> bytes:
    from kodeks.formats.landscape import sheet

    return sheet.write_xlsx(solutions, uses)


WRITERS = {
    "sysap-ttl": Writer("sysap-ttl", "text/turtle; charset=utf-8", ".ttl", _sysap("turtle")),
    "sysap-rdfxml": Writer("sysap-rdfxml", "application/rdf+xml", ".rdf", _sysap("rdfxml")),
    "sysap-jsonld": Writer("sysap-jsonld", "application/ld+json", ".jsonld", _sysap("jsonld")),
    "csv": Writer("csv", "text/csv; charset=utf-8", ".csv", _csv),
    "xlsx": Writer(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", _xlsx
    ),
}


def detect(data: bytes, filename: str) -> str:
    """The reader for a file: by its extension, else by its first bytes."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".ttl", ".rdf", ".owl", ".jsonld", ".nt"):
        return "sysap"
    if suffix in (".csv", ".tsv", ".xlsx", ".txt"):
        return "sheet"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK"):
        return "sheet"
    if head.startswith((b"{", b"[")):
        return "sysap" if b"@context" in head or b"@id" in head else "kitos"
    if head.startswith((b"@prefix", b"<", b"PREFIX")):
        return "sysap"
    return "sheet"


def read(data: bytes, filename: str, format: str | None = None) -> LandscapeBundle:
    """Read ``data`` with the named reader (``None``: detect it)."""
    if len(data) > MAX_BYTES:
        raise InputTooLarge(f"more than {MAX_BYTES // 2**20} MiB", source=filename)
    name = format or detect(data, filename)
    if name == "sysap":
        from kodeks.formats.landscape import sysap

        return sysap.read(data, filename)
    if name == "sheet":
        from kodeks.formats.landscape import sheet

        return sheet.read(data, filename)
    if name == "kitos":
        from kodeks.formats.landscape import kitos

        return kitos.read(data, filename)
    raise UnknownFormat(f"no landscape reader {name!r}; use one of {', '.join(READERS)}", source=filename)


def writer(name: str) -> Writer:
    if name not in WRITERS:
        raise UnknownFormat(f"no landscape writer {name!r}; use one of {', '.join(WRITERS)}")
    return WRITERS[name]
