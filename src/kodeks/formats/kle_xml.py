"""Importer ``kle-xml``: KL's official KLE-Emneplan XML, format version 2.0, with its full history.

The file (schema ``KLE-Emneplan-version-2-0.xsd``) nests ``Hovedgruppe`` → ``Gruppe`` → ``Emne``; each
states its number, title, guidance, legal sources and ``AdministrativInfo`` dates. Expired and moved
codes stay in the file (``Historisk`` with ``UdgaaetDato`` or ``Flyttet``/``FlyttetDato``/``AfloestAf``),
so the bundle is a HISTORY: every item carries its own validity ``[OprettetDato, end)``.

Decisions, checked against the 2015-08-01 release:

- Titles of expired codes end in a ``[udgået]`` marker; it is dropped, since the dates say the same.
  Other bracketed notes (``[udgår 2015]`` on three live codes) are KL's title text and are kept.
- 119 codes expired on the day they were created (``OprettetDato == UdgaaetDato``, codes retired
  before KLE recorded real dates). Their validity is the empty period KL states; they are kept.
- A number may appear more than once with non-overlapping validity (reuse after expiry) and is then
  returned as separate facts. The same number with overlapping validity contradicts itself and is
  refused naming both lines. The 2015 release has no repeated number at all.
- ``AfloestAf`` may name a ``HandlingsfacetNr`` (the schema allows it; the 2015 file has none): facets are
  another classification, so such a successor is kept as the property ``afloest_af_handlingsfacet``.
- Besides ``bevaring``, ``sletning``, ``filtre``, ``oprettet`` and ``rettet``, the property ``historisk``
  (``udgået`` or ``flyttet``) keeps which of the two ends KL recorded, which the dates alone cannot say.
- The parent is the enclosing element; a number that does not start with its parent's number (as in
  hand-edited test files) is refused, because KLE's numbering and nesting must agree.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NoReturn

from lxml import etree

from kodeks.domain.item import CONTENT_FIELDS, Item, LegalReference
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.budget import MEMORY_FACTOR
from kodeks.formats.kle_common import KLE_LEVELS, guidance_text, kle_classification, line_of
from kodeks.formats.xml import parse_xml

ROOT = "KLE-Emneplan"
FIELDS = CONTENT_FIELDS - {"uuid", "keywords"}  # format 2.0 has neither UUIDs nor stikord

_LEVELS = ("Hovedgruppe", "Gruppe", "Emne")
_PATTERNS = tuple(re.compile(r"[0-9]{2}" + r"\.[0-9]{2}" * depth) for depth in range(3))
_SUCCESSOR_TAGS = frozenset({"HovedgruppeNr", "GruppeNr", "EmneNr"})
_EXPIRED_MARK = re.compile(r"\s*\[udgået\]\.?$", re.IGNORECASE)

# What each child element of a level's element means (anything else is ignored).
_NR, _TITLE, _GUIDANCE, _LEGAL, _ADMIN, _FILTER, _CHILD = range(7)
_PROPERTY = {"BevaringJaevnfoerArkivloven": "bevaring", "SletningJaevnfoerPersondataloven": "sletning"}


def _roles(depth: int) -> dict[str, int]:
    kind = _LEVELS[depth]
    roles = {
        f"{kind}Nr": _NR,
        f"{kind}Titel": _TITLE,
        f"{kind}Vejledning": _GUIDANCE,
        f"{kind}RetskildeReference": _LEGAL,
        f"{kind}AdministrativInfo": _ADMIN,
        f"{kind}Filter": _FILTER,
    }
    if depth < 2:
        roles[_LEVELS[depth + 1]] = _CHILD
    return roles


_ROLES = tuple(_roles(depth) for depth in range(3))


class KleXmlImporter:
    name = "kle-xml"
    memory_factor = MEMORY_FACTOR[name]  # read whole: refused over the memory budget
    description = "KLE-Emneplan XML v2.0 from KL (all three levels, with history)"
    extensions = (".xml",)

    def sniff(self, head: bytes, filename: str) -> int:
        return 100 if b"<KLE-Emneplan" in head[:4096] else 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        root = parse_xml(data, source)
        where = f"line {root.sourceline}"
        if root.tag != ROOT:
            raise MalformedInput(
                f"root element is <{root.tag}>, expected <{ROOT}> (KLE-Emneplan v2.0)",
                source=source,
                location=where,
            )
        reader = _Reader(source)
        released: date | None = None
        for child in root:
            if child.tag == "UdgivelsesDato":
                released = reader.day(child)
            elif child.tag == "Hovedgruppe":
                reader.node(child, 0, None)
        if released is None:
            raise MalformedInput("<UdgivelsesDato> is missing", source=source, location=where)
        if not reader.items:
            raise MalformedInput("the file has no <Hovedgruppe>", source=source, location=where)
        reader.check_repeats()
        return [
            Bundle(
                classification=kle_classification(options.classification),
                items=tuple(reader.items),
                levels=KLE_LEVELS,
                release_label=released.isoformat(),
                release_date=released,
                kind=ReleaseKind.HISTORY,
                fields=FIELDS,
                source=source,
                format=self.name,
            )
        ]


class _Reader:
    """Walks the nested elements once, collecting items and the line each was stated on."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[Item] = []
        self.lines: list[int] = []

    def fail(self, element: etree._Element, problem: str, invalid: bool = False) -> NoReturn:
        kind = InvalidContent if invalid else MalformedInput
        raise kind(problem, source=self.source, location=f"line {element.sourceline} <{element.tag}>")

    def day(self, element: etree._Element) -> date:
        text = element.text or ""
        try:
            return date.fromisoformat(text)
        except ValueError:
            try:
                return date.fromisoformat(text.strip())
            except ValueError:
                self.fail(element, f"{text.strip()!r} is not a date (yyyy-mm-dd)")

    def node(self, element: etree._Element, depth: int, parent: str | None) -> None:
        roles = _ROLES[depth]
        code = title = description = admin = None
        refs: list[LegalReference] = []
        properties: dict[str, str] = {}
        children: list[etree._Element] = []
        for child in element:
            tag = child.tag
            role = roles.get(tag)  # type: ignore[call-overload]
            if role is None:
                if tag in _PROPERTY:
                    value = (child.text or "").strip()
                    if value:
                        properties[_PROPERTY[tag]] = value  # type: ignore[index]
            elif role == _CHILD:
                children.append(child)
            elif role == _NR:
                code = (child.text or "").strip()
            elif role == _TITLE:
                title = (child.text or "").strip()
                if title.endswith(("]", ".")):
                    title = _EXPIRED_MARK.sub("", title)
            elif role == _ADMIN:
                admin = child
            elif role == _GUIDANCE:
                for text in child:
                    if text.tag == "VejledningTekst":
                        description = guidance_text(text)
            elif role == _LEGAL:
                refs.extend(_legal_refs(child))
            elif role == _FILTER:
                names = ", ".join(n for n in (_text(f) for f in child if f.tag == "FilterTitel") if n)
                if names:
                    properties["filtre"] = names
        code = self.check(element, depth, parent, code, title, admin)
        valid, replaced_by = self.admin(admin, properties, code)  # type: ignore[arg-type]
        self.items.append(
            Item(
                code=code,
                titles={"da": title},  # type: ignore[dict-item]
                level=depth + 1,
                parent=parent,
                valid=valid,
                description=description,
                replaced_by=replaced_by,
                legal_refs=tuple(refs),
                properties=properties,
            )
        )
        self.lines.append(line_of(element))
        for child in children:
            self.node(child, depth + 1, code)

    def check(
        self,
        element: etree._Element,
        depth: int,
        parent: str | None,
        code: str | None,
        title: str | None,
        admin: etree._Element | None,
    ) -> str:
        kind = _LEVELS[depth]
        if not code:
            self.fail(element, f"<{kind}> has no <{kind}Nr>")
        if not _PATTERNS[depth].fullmatch(code):
            self.fail(element, f"{kind} number {code!r} does not have the form the schema requires", True)
        if parent is not None and code.rpartition(".")[0] != parent:
            self.fail(element, f"{kind} {code} is nested under {parent}, but its number says otherwise", True)
        if not title:
            self.fail(element, f"{kind} {code} has no <{kind}Titel>")
        if admin is None:
            self.fail(element, f"{kind} {code} has no <{kind}AdministrativInfo>")
        return code

    def admin(
        self, element: etree._Element, properties: dict[str, str], code: str
    ) -> tuple[Period, tuple[str, ...]]:
        created = ended = None
        corrected: list[str] = []
        successors: tuple[str, ...] = ()
        for child in element:
            tag = child.tag
            if tag == "OprettetDato":
                created = self.day(child)
            elif tag == "RettetDato":
                corrected.append(self.day(child).isoformat())
            elif tag == "Historisk":
                for status in child:
                    if status.tag == "UdgaaetDato":
                        ended = self.day(status)
                        properties["historisk"] = "udgået"
                    elif status.tag == "Flyttet":
                        ended, successors, facets = self.moved(status)
                        properties["historisk"] = "flyttet"
                        if facets:
                            properties["afloest_af_handlingsfacet"] = ", ".join(facets)
        if created is None:
            self.fail(element, f"{code} has no <OprettetDato>")
        properties["oprettet"] = created.isoformat()
        if corrected:
            properties["rettet"] = ", ".join(corrected)
        if ended is not None and ended < created:
            self.fail(element, f"{code} ends ({ended}) before it was created ({created})", True)
        return Period(created, ended), successors

    def moved(self, element: etree._Element) -> tuple[date, tuple[str, ...], list[str]]:
        """End date, successor codes, and successors that are handlingsfacetter (another classification)."""
        ended = None
        successors: list[str] = []
        facets: list[str] = []
        for child in element:
            if child.tag == "FlyttetDato":
                ended = self.day(child)
            elif child.tag == "AfloestAf":
                for nr in child:
                    code = (nr.text or "").strip()
                    if code and nr.tag in _SUCCESSOR_TAGS:
                        successors.append(code)
                    elif code and nr.tag == "HandlingsfacetNr":
                        facets.append(code)
        if ended is None:
            self.fail(element, "<Flyttet> has no <FlyttetDato>")
        return ended, tuple(successors), facets

    def check_repeats(self) -> None:
        """Refuse a number stated twice with overlapping validity (see the module docstring)."""
        first_line: dict[str, list[int]] = {}
        for index, item in enumerate(self.items):
            first_line.setdefault(item.code, []).append(index)
        for code, indexes in first_line.items():
            for i, a in enumerate(indexes):
                for b in indexes[i + 1 :]:
                    one, other = self.items[a], self.items[b]
                    if (
                        one.valid.intersect(other.valid) is not None
                        and not one.valid.is_empty
                        and not other.valid.is_empty
                    ):
                        raise InvalidContent(
                            f"number {code} is stated twice with overlapping validity: {one.valid} on line "
                            f"{self.lines[a]} and {other.valid} here",
                            source=self.source,
                            location=f"line {self.lines[b]}",
                        )


def _text(element: etree._Element) -> str:
    return (element.text or "").strip()


def _legal_refs(element: etree._Element) -> list[LegalReference]:
    """``RetskildeTitel [ParagrafEllerKapitel] RetsinfoAccessionsNr`` groups (the schema repeats them).

    The title keeps the paragraph (``Serviceloven § 57``); the reference is Retsinformation's
    accession number (``A20150015029_P57``), which KL documents as a key to retsinfo.dk.
    """
    refs: list[LegalReference] = []
    title = section = None
    for child in element:
        tag = child.tag
        text = (child.text or "").strip()
        if tag == "RetskildeTitel":
            if title:
                refs.append(LegalReference(f"{title} {section}" if section else title))
            title, section = text, None
        elif tag == "ParagrafEllerKapitel":
            section = text or None
        elif tag == "RetsinfoAccessionsNr" and title:
            refs.append(LegalReference(f"{title} {section}" if section else title, text or None))
            title = section = None
    if title:
        refs.append(LegalReference(f"{title} {section}" if section else title))
    return refs


IMPORTERS = [KleXmlImporter()]
