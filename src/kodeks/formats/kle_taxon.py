"""Importer ``kle-taxon``: the os2web taxonomy export of KLE (``<Taxonomy>`` of ``<Taxon>`` elements).

Each ``<Taxon ParentKey="00.03">`` holds ``<Key>`` (the KLE number), ``<Name>``, an HTML
``<Description>`` (KL's guidance, escaped) and ``<Tag>`` elements: ``TagType="Retskildereference"``
(key = law, value = Retsinformation URL) become legal references, ``TagType="Søgeord"`` become
keywords. The export (about 2014) lists only live codes and has no dates: a snapshot whose release
date the user gives. The parent is the stated ``ParentKey``, so a broken file may carry unknown
parents or cycles; they are returned as data for the registry's structure check to report.
"""

from __future__ import annotations

from lxml import etree

from kodeks.domain.item import Item, Keyword, LegalReference
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.budget import MEMORY_FACTOR
from kodeks.formats.kle_common import (
    KLE_LEVELS,
    guidance_text,
    html_text,
    kle_classification,
    kle_level,
    line_of,
)
from kodeks.formats.xml import parse_xml

ROOT = "Taxonomy"
FIELDS = frozenset({"titles", "level", "parent", "description", "legal_refs", "keywords"})
_LEGAL = "Retskildereference"
_KEYWORD = "Søgeord"


class KleTaxonImporter:
    name = "kle-taxon"
    memory_factor = MEMORY_FACTOR[name]  # read whole: refused over the memory budget
    description = "KLE as exported by os2web_taxonomies (<Taxonomy>/<Taxon> XML, no dates)"
    extensions = (".xml",)

    def sniff(self, head: bytes, filename: str) -> int:
        start = head[:4096]
        if b"<Taxonomy" in start and b"<Taxon" in start.replace(b"<Taxonomy", b""):
            return 90 if b"<Name>KLE</Name>" in start else 60
        return 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        root = parse_xml(data, source)
        if root.tag != ROOT:
            raise MalformedInput(
                f"root element is <{root.tag}>, expected <{ROOT}> (os2web taxonomy)",
                source=source,
                location=f"line {root.sourceline}",
            )
        items: list[Item] = []
        seen: dict[str, int] = {}
        for taxon in root.iter("Taxon"):
            item = _item(taxon, source)
            line = line_of(taxon)
            if item.code in seen:
                raise InvalidContent(
                    f"Key {item.code} appears twice (first on line {seen[item.code]})",
                    source=source,
                    location=f"line {line} <Taxon>",
                )
            seen[item.code] = line
            items.append(item)
        if not items:
            raise MalformedInput(
                "the taxonomy has no <Taxon>", source=source, location=f"line {root.sourceline}"
            )
        return [
            Bundle(
                classification=kle_classification(options.classification),
                items=tuple(items),
                levels=KLE_LEVELS,
                kind=ReleaseKind.SNAPSHOT,
                fields=FIELDS,
                source=source,
                format=self.name,
            )
        ]


def _item(taxon: etree._Element, source: str) -> Item:
    where = f"line {taxon.sourceline} <Taxon>"
    code = name = description = None
    refs: list[LegalReference] = []
    keywords: list[Keyword] = []
    for child in taxon:
        tag = child.tag
        if tag == "Key":
            code = (child.text or "").strip()
        elif tag == "Name":
            name = (child.text or "").strip()
        elif tag == "Description":
            description = _description(child, source)
        elif tag == "Tag":
            key = (child.findtext("Key") or "").strip()
            kind = child.get("TagType")
            if key and kind == _LEGAL:
                refs.append(LegalReference(key, (child.findtext("Value") or "").strip() or None))
            elif key and kind == _KEYWORD:
                keywords.append(Keyword(key))
    if not code:
        raise MalformedInput("<Taxon> has no <Key>", source=source, location=where)
    try:
        level = kle_level(code)
    except ValueError as exc:
        raise InvalidContent(str(exc), source=source, location=where) from None
    if not name:
        raise MalformedInput(f"Taxon {code} has no <Name>", source=source, location=where)
    parent = (taxon.get("ParentKey") or "").strip() or None
    if parent == code:
        raise InvalidContent(f"Taxon {code} names itself as ParentKey", source=source, location=where)
    return Item(
        code=code,
        titles={"da": name},
        level=level,
        parent=parent,
        description=description,
        legal_refs=tuple(refs),
        keywords=tuple(keywords),
    )


def _description(element: etree._Element, source: str) -> str | None:
    text = element.text or ""
    if len(element):  # unescaped markup inside <Description>: already a tree
        return guidance_text(element)
    try:
        return html_text(text)
    except (etree.ParserError, ValueError) as exc:
        raise MalformedInput(
            f"the HTML in <Description> cannot be read ({exc})",
            source=source,
            location=f"line {element.sourceline} <Description>",
        ) from exc


IMPORTERS = [KleTaxonImporter()]
