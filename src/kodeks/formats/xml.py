"""Safe XML parsing shared by the XML importers.

Every XML-based input (KLE XML, Taxon XML, SKOS RDF/XML, and the XML parts inside an XLSX
workbook) passes :func:`refuse_entities` before a real parser sees it. The check streams the
document's prolog through expat (it stops at the root element, so a file of any size costs only
its prolog) and refuses a DOCTYPE that declares entities or points to an external DTD, wherever the
DOCTYPE stands: a comment of any length before it changes nothing. Expat reads the declared
encoding itself, so UTF-16 cannot hide a declaration from the check either. After the check lxml
parses with a parser that would not expand entities or load anything anyway.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from typing import IO
from xml.parsers import expat

from lxml import etree

from kodeks.errors import MalformedInput

CHUNK = 64 * 1024
#: Members of an XLSX workbook that are XML (everything else, e.g. images, is not parsed).
_XML_MEMBERS = (".xml", ".rels")
#: What reading a damaged, encrypted or exotic ZIP archive can raise (zipfile does not wrap them).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
)


class _Done(Exception):
    """The prolog is over (root element or end of DOCTYPE): nothing unsafe can follow."""


class _Unsafe(Exception):
    def __init__(self, problem: str, line: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def safe_xml_parser() -> etree.XMLParser:
    """A parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def refuse_entities(data: bytes | Iterable[bytes], source: str, *, part: str | None = None) -> None:
    """Raise ``MalformedInput`` when the XML declares entities or names an external DTD.

    ``data`` is the document or an iterable of its chunks (streamed; reading stops at the root
    element). ``part`` names the member of an archive the document came from.
    """
    chunks = _chunks(data) if isinstance(data, bytes) else data
    parser = expat.ParserCreate()

    def line() -> int:
        return int(parser.CurrentLineNumber)

    def doctype(name: str, system_id: str | None, public_id: str | None, _internal: int) -> None:
        if system_id or public_id:
            raise _Unsafe(f"{name} names an external DTD ({system_id or public_id})", line())

    def entity(name: str, is_parameter: int, *_rest: object) -> None:
        kind = "parameter entity" if is_parameter else "entity"
        raise _Unsafe(f"declares the {kind} {name!r}", line())

    def unparsed(name: str, *_rest: object) -> None:
        raise _Unsafe(f"declares the unparsed entity {name!r}", line())

    def done(*_args: object) -> None:
        raise _Done

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = unparsed
    parser.EndDoctypeDeclHandler = done
    parser.StartElementHandler = done
    where = f"{part}: " if part else ""
    doctype_at = f"{part} DOCTYPE" if part else "DOCTYPE"
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Done:
        return
    except _Unsafe as exc:
        raise MalformedInput(
            f"{exc.problem} (line {exc.line}); XML with entity declarations or an external DTD "
            "is refused as unsafe",
            source=source,
            location=doctype_at,
        ) from None
    except expat.ExpatError as exc:
        raise MalformedInput(
            f"{where}XML is not well-formed: {expat.ErrorString(exc.code)}",
            source=source,
            location=f"line {exc.lineno}",
        ) from None
    except (LookupError, ValueError) as exc:  # an unknown or mangled encoding in the declaration
        raise MalformedInput(
            f"{where}XML declares an encoding that cannot be read: {exc}", source=source
        ) from None


def refuse_entities_in_zip(data: bytes, source: str) -> None:
    """Run :func:`refuse_entities` on every XML member of a ZIP package (an XLSX workbook).

    Each member is streamed and only its prolog is decompressed, so a member that would inflate to
    gigabytes is not inflated here. A file that is no ZIP archive is left to the reader to refuse.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return
    with archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith(_XML_MEMBERS) or info.is_dir():
                continue
            try:
                with archive.open(info) as member:
                    refuse_entities(_stream(member), source, part=info.filename)
            except ZIP_ERRORS as exc:
                raise MalformedInput(
                    f"{info.filename}: cannot be read from the archive ({exc})", source=source
                ) from None


def _chunks(data: bytes) -> Iterable[bytes]:
    return (data[i : i + CHUNK] for i in range(0, len(data), CHUNK))


def _stream(member: IO[bytes]) -> Iterable[bytes]:
    while chunk := member.read(CHUNK):
        yield chunk


def parse_xml(data: bytes, source: str) -> etree._Element:
    """Parse ``data`` safely; refuse DOCTYPE declarations with entities (billion laughs, XXE)."""
    if not data.strip():
        raise MalformedInput("file is empty", source=source)
    refuse_entities(data, source)
    try:
        return etree.fromstring(data, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise MalformedInput(
            f"XML is not well-formed: {exc.msg}", source=source, location=f"line {line}" if line else None
        ) from None
