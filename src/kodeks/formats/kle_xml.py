"""Importer ``kle-xml``: KL's official KLE-Emneplan XML, format version 2.0, with its full history.

The file (schema ``KLE-Emneplan-version-2-0.xsd``) nests ``Hovedgruppe`` → ``Gruppe`` → ``Emne``; each
states its number, title, guidance, legal sources and ``AdministrativInfo`` dates. Expired and moved
codes stay in the file (``Historisk`` with ``UdgaaetDato`` or ``Flyttet``/``FlyttetDato``/``AfloestAf``),
so the bundle is a HISTORY: every item carries its own validity ``[OprettetDato, end)``.

Decisions, checked against the 2015-08-01 release:

- Titles of expired codes end in a ``[udgået]`` marker; it is dropped, since the dates say the same.
  Other bracketed notes (``[udgår 2015]`` on three live codes) are KL's title text and are kept.
- About 120 codes expired on the day they were created (``OprettetDato == UdgaaetDato``, codes retired
  before KLE recorded real dates). Their validity is the empty period KL states; they are kept.
- A number may appear more than once with non-overlapping validity (reuse after expiry) and is then
  returned as separate facts. The same number with overlapping validity contradicts itself and is
  refused naming both lines. The 2015 release has no repeated number at all.
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
from kodeks.formats.kle_common import KLE_LEVELS, guidance_text, kle_classification
from kodeks.formats.xml import parse_xml

ROOT = "KLE-Emneplan"
_LEVELS = ("Hovedgruppe", "Gruppe", "Emne")
_PATTERNS = {
    "Hovedgruppe": re.compile(r"^\d\d$"),
    "Gruppe": re.compile(r"^\d\d\.\d\d$"),
    "Emne": re.compile(r"^\d\d\.\d\d\.\d\d$"),
}
_SUCCESSOR_TAGS = frozenset({"HovedgruppeNr", "GruppeNr", "EmneNr"})
_EXPIRED_MARK = re.compile(r"\s*\[udgået\]\.?$", re.IGNORECASE)

FIELDS = CONTENT_FIELDS - {"uuid", "keywords"}


class KleXmlImporter:
    name = "kle-xml"
    description = "KLE-Emneplan XML v2.0 from KL (all three levels, with history)"
    extensions = (".xml",)

    def sniff(self, head: bytes, filename: str) -> int:
        return 100 if b"<KLE-Emneplan" in head[:4096] else 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        root = parse_xml(data, source)
        if root.tag != ROOT:
            raise MalformedInput(f"root element is <{root.tag}>, expected <{ROOT}> (KLE-Emneplan v2.0)",
                                 source=source, location=f"line {root.sourceline}")
        reader = _Reader(source)
        released: date | None = None
        for child in root:
            if child.tag == "UdgivelsesDato":
                released = reader.date(child)
            elif child.tag == "Hovedgruppe":
                reader.node(child, 0, None)
        if released is None:
            raise MalformedInput("<UdgivelsesDato> is missing", source=source, location=f"line {root.sourceline}")
        if not reader.items:
            raise MalformedInput("no <Hovedgruppe> in the file", source=source, location=f"line {root.sourceline}")
        reader.check_repeats()
        return [Bundle(classification=kle_classification(options.classification), items=tuple(reader.items),
                       levels=KLE_LEVELS, release_label=released.isoformat(), release_date=released,
                       kind=ReleaseKind.HISTORY, fields=FIELDS, source=source, format=self.name)]


class _Reader:
    """Walks the nested elements once, collecting items and their source lines."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[Item] = []
        self.lines: list[int | None] = []

    def fail(self, element: etree._Element, problem: str, kind: type[MalformedInput] | type[InvalidContent] = MalformedInput
             ) -> NoReturn:
        raise kind(problem, source=self.source, location=f"line {element.sourceline} <{element.tag}>")

    def date(self, element: etree._Element) -> date:
        text = (element.text or "").strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(element, f"{text!r} is not a date (yyyy-mm-dd)")

    def node(self, element: etree._Element, depth: int, parent: str | None) -> None:
        kind = _LEVELS[depth]
        code = title = None
        description: str | None = None
        refs: list[LegalReference] = []
        admin: etree._Element | None = None
        properties: dict[str, str] = {}
        children: list[etree._Element] = []
        for child in element:
            tag = child.tag
            if tag == f"{kind}Nr":
                code = (child.text or "").strip()
            elif tag == f"{kind}Titel":
                title = _EXPIRED_MARK.sub("", (child.text or "").strip())
            elif tag == f"{kind}Vejledning":
                text = child.find("VejledningTekst")
                description = guidance_text(text) if text is not None else None
            elif tag == f"{kind}RetskildeReference":
                refs.extend(_legal_refs(child))
            elif tag == f"{kind}AdministrativInfo":
                admin = child
            elif tag == "BevaringJaevnfoerArkivloven":
                properties["bevaring"] = (child.text or "").strip()
            elif tag == "SletningJaevnfoerPersondataloven":
                properties["sletning"] = (child.text or "").strip()
            elif tag == f"{kind}Filter":
                names = [(f.text or "").strip() for f in child if f.tag == "FilterTitel"]
                properties["filtre"] = ", ".join(n for n in names if n)
            elif depth < 2 and tag == _LEVELS[depth + 1]:
                children.append(child)
        if not code:
            self.fail(element, f"<{kind}> has no <{kind}Nr>")
        if not _PATTERNS[kind].match(code):
            self.fail(element, f"{kind} number {code!r} does not have the form the schema requires", InvalidContent)
        if parent is not None and code.rpartition(".")[0] != parent:
            self.fail(element, f"{kind} {code} is nested under {parent}, but its number says otherwise",
                      InvalidContent)
        if not title:
            self.fail(element, f"{kind} {code} has no <{kind}Titel>")
        if admin is None:
            self.fail(element, f"{kind} {code} has no <{kind}AdministrativInfo>")
        valid, replaced_by = self.admin(admin, properties, code)
        self.items.append(Item(code=code, titles={"da": title}, level=depth + 1, parent=parent, valid=valid,
                               description=description, replaced_by=replaced_by, legal_refs=tuple(refs),
                               properties={k: v for k, v in properties.items() if v}))
        self.lines.append(element.sourceline)
        for child in children:
            self.node(child, depth + 1, code)

    def admin(self, element: etree._Element, properties: dict[str, str], code: str
              ) -> tuple[Period, tuple[str, ...]]:
        created: date | None = None
        ended: date | None = None
        corrected: list[str] = []
        successors: list[str] = []
        for child in element:
            if child.tag == "OprettetDato":
                created = self.date(child)
            elif child.tag == "RettetDato":
                corrected.append(self.date(child).isoformat())
            elif child.tag == "Historisk":
                for status in child:
                    if status.tag == "UdgaaetDato":
                        ended = self.date(status)
                        properties["historisk"] = "udgået"
                    elif status.tag == "Flyttet":
                        properties["historisk"] = "flyttet"
                        ended, successors = self.moved(status)
        if created is None:
            self.fail(element, f"{code} has no <OprettetDato>")
        properties["oprettet"] = created.isoformat()
        properties["rettet"] = ", ".join(corrected)
        if ended is not None and ended < created:
            self.fail(element, f"{code} ends ({ended}) before it was created ({created})", InvalidContent)
        return Period(created, ended), tuple(successors)

    def moved(self, element: etree._Element) -> tuple[date | None, list[str]]:
        ended: date | None = None
        successors: list[str] = []
        for child in element:
            if child.tag == "FlyttetDato":
                ended = self.date(child)
            elif child.tag == "AfloestAf":
                successors.extend((nr.text or "").strip() for nr in child if nr.tag in _SUCCESSOR_TAGS)
        if ended is None:
            self.fail(element, "<Flyttet> has no <FlyttetDato>")
        return ended, [s for s in successors if s]

    def check_repeats(self) -> None:
        """Refuse a number stated twice with overlapping validity (see the module docstring)."""
        seen: dict[str, list[int]] = {}
        for index, item in enumerate(self.items):
            seen.setdefault(item.code, []).append(index)
        for code, indexes in seen.items():
            if len(indexes) < 2:
                continue
            for a in indexes:
                for b in indexes:
                    first, second = self.items[a], self.items[b]
                    if a < b and not first.valid.is_empty and not second.valid.is_empty \
                            and first.valid.intersect(second.valid) is not None:
                        raise InvalidContent(
                            f"number {code} appears twice with overlapping validity ({first.valid} on line "
                            f"{self.lines[a]}, {second.valid})", source=self.source, location=f"line {self.lines[b]}")


def _legal_refs(element: etree._Element) -> list[LegalReference]:
    """``RetskildeTitel [ParagrafEllerKapitel] RetsinfoAccessionsNr`` groups (the schema repeats them)."""
    refs: list[LegalReference] = []
    title = section = None
    for child in element:
        text = (child.text or "").strip()
        if child.tag == "RetskildeTitel":
            title, section = text, None
        elif child.tag == "ParagrafEllerKapitel":
            section = text
        elif child.tag == "RetsinfoAccessionsNr" and title:
            label = f"{title} {section}" if section else title
            refs.append(LegalReference(label, text or None))
            title = section = None
    if title:
        refs.append(LegalReference(f"{title} {section}" if section else title, None))
    return refs


IMPORTERS = [KleXmlImporter()]
