"""Safe XML parsing shared by the XML importers."""

from __future__ import annotations

from lxml import etree

from kodeks.errors import MalformedInput


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


def parse_xml(data: bytes, source: str) -> etree._Element:
    """Parse ``data`` safely; refuse DOCTYPE declarations with entities (billion laughs, XXE)."""
    head = data[:4096].lstrip()
    if b"<!DOCTYPE" in data[:65536] and b"<!ENTITY" in data[:65536]:
        raise MalformedInput(
            "XML declares entities (DOCTYPE with ENTITY); refused as unsafe",
            source=source,
            location="DOCTYPE",
        )
    if not head:
        raise MalformedInput("file is empty", source=source)
    try:
        return etree.fromstring(data, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise MalformedInput(
            f"XML is not well-formed: {exc.msg}", source=source, location=f"line {line}" if line else None
        ) from exc
