"""The ``kle-taxon`` importer: os2web's KLE taxonomy XML (a dateless snapshot)."""

from __future__ import annotations

from collections import Counter

import pytest
from lxml import etree

from kodeks.domain.hierarchy import check_items
from kodeks.domain.item import Keyword, LegalReference
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.kle_taxon import FIELDS, KleTaxonImporter
from tests.conftest import data_file

REAL = "kle/os2web_taxonomies_kle_taxon_2014.xml"
IMPORTER = KleTaxonImporter()


def taxonomy(*taxa: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<Taxonomy SqlID="1">\n<Name>KLE</Name>\n'
        + "\n".join(taxa)
        + "\n</Taxonomy>\n"
    ).encode()


def taxon(
    key: str, name: str = "Navn", parent: str | None = None, description: str = "", tags: str = ""
) -> str:
    parent_attr = f' ParentKey="{parent}"' if parent else ""
    return (
        f'<Taxon SqlID="9"{parent_attr}><Key>{key}</Key><Name>{name}</Name>'
        f"<Description>{description}</Description>{tags}</Taxon>"
    )


def read(data: bytes, source: str = "taxon.xml") -> Bundle:
    (bundle,) = IMPORTER.read(data, source, ImportOptions())
    return bundle


def test_real_file() -> None:
    path = data_file(REAL)
    bundle = read(path.read_bytes(), path.name)
    assert Counter(i.level for i in bundle.items) == {1: 36, 2: 480, 3: 2108}
    assert bundle.kind is ReleaseKind.SNAPSHOT
    assert bundle.release_date is None and bundle.release_label is None
    assert bundle.fields == FIELDS and "uuid" not in FIELDS
    assert check_items(bundle.items) == []
    items = {i.code: i for i in bundle.items}
    assert items["00.03.04"].parent == "00.03" and items["00"].parent is None
    names = {t.findtext("Key"): t.findtext("Name") or "" for t in etree.parse(str(path)).iter("Taxon")}
    assert all(i.title() == names[i.code].strip() for i in bundle.items)
    assert names["00.03.08"] != names["00.03.08"].strip()  # the file has stray spaces; the titles do not
    assert (
        LegalReference("Forvaltningsloven", "http://www.retsinfo.dk/_GETDOC_/ACCN/A200701365290")
        in items["00.07.00"].legal_refs
    )
    assert items["00.07.00"].description == "- Forvaltningsloven"  # a list holding one law's name
    desc = items["00.07"].description or ""
    assert desc.startswith("- ") and desc.count("\n- ") == 2 and desc.count("\n\n") >= 2
    assert "<" not in desc and "&lt;" not in desc
    assert items["00.05.00"].description is None
    assert sum(len(i.legal_refs) for i in bundle.items) == 2090
    assert sum(len(i.keywords) for i in bundle.items) == 854
    assert IMPORTER.sniff(path.read_bytes()[:4096], path.name) == 90


def test_small_taxonomy() -> None:
    tags = (
        '<Tag TagType="Retskildereference"><Key>Loven § 2</Key><Value>http://x/A1_P2</Value></Tag>'
        '<Tag TagType="Søgeord"><Key>ord</Key></Tag><Tag TagType="Andet"><Key>ignoreret</Key></Tag>'
    )
    bundle = read(
        taxonomy(
            taxon("01", "Hoved"),
            taxon("01.02", "Gruppe", "01"),
            taxon(
                "01.02.03",
                "Emne",
                "01.02",
                "&lt;p&gt;Et &lt;b&gt;afsnit&lt;/b&gt;.&lt;/p&gt;"
                "&lt;ul&gt;&lt;li&gt;a&lt;/li&gt;&lt;li&gt;b&lt;/li&gt;&lt;/ul&gt;",
                tags,
            ),
        )
    )
    emne = bundle.items[2]
    assert (emne.code, emne.level, emne.parent) == ("01.02.03", 3, "01.02")
    assert emne.description == "Et afsnit.\n\n- a\n- b"
    assert emne.legal_refs == (LegalReference("Loven § 2", "http://x/A1_P2"),)
    assert emne.keywords == (Keyword("ord"),)


def test_unescaped_markup_in_description() -> None:
    bundle = read(taxonomy(taxon("01", description="<p>Rå</p><p>markup</p>")))
    assert bundle.items[0].description == "Rå\n\nmarkup"


def test_cycle_and_unknown_parent_are_data() -> None:
    bundle = read(
        taxonomy(taxon("01.01", parent="01.02"), taxon("01.02", parent="01.01"), taxon("02.01", parent="02"))
    )
    messages = [p.message for p in check_items(bundle.items)]
    assert any("cycle" in m for m in messages) and any("unknown parent '02'" in m for m in messages)


def test_duplicate_key() -> None:
    with pytest.raises(InvalidContent) as err:
        read(taxonomy(taxon("01"), taxon("01")), "dup.xml")
    assert err.value.location == "line 5 <Taxon>"
    assert "line 4" in str(err.value) and "dup.xml" in str(err.value)


def test_bad_key_self_parent_and_missing_parts() -> None:
    with pytest.raises(InvalidContent, match=r"bad.xml: line 4 <Taxon>: '1A' is not a KLE number"):
        read(taxonomy(taxon("1A")), "bad.xml")
    with pytest.raises(InvalidContent, match=r"bad.xml: line 4 <Taxon>: Taxon 01 names itself"):
        read(taxonomy(taxon("01", parent="01")), "bad.xml")
    with pytest.raises(MalformedInput, match=r"bad.xml: line 4 <Taxon>: .*no <Name>"):
        read(taxonomy(taxon("01", name="")), "bad.xml")
    with pytest.raises(MalformedInput, match=r"bad.xml: line 4 <Taxon>: <Taxon> has no <Key>"):
        read(taxonomy("<Taxon><Name>x</Name></Taxon>"), "bad.xml")
    with pytest.raises(MalformedInput, match=r"bad.xml: line 2: the taxonomy has no <Taxon>"):
        read(taxonomy(), "bad.xml")


def test_wrong_root() -> None:
    with pytest.raises(MalformedInput, match=r"other.xml: line 1: root element is <KLE-Emneplan>"):
        read(b"<KLE-Emneplan/>", "other.xml")


def test_hostile_and_broken_xml() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Taxonomy [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        b"<Taxonomy>&b;</Taxonomy>"
    )
    with pytest.raises(MalformedInput, match=r"bomb.xml: DOCTYPE"):
        read(bomb, "bomb.xml")
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Taxonomy [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<Taxonomy><Taxon><Key>01</Key><Name>&x;</Name></Taxon></Taxonomy>"
    )
    with pytest.raises(MalformedInput, match=r"xxe.xml: DOCTYPE"):
        read(xxe, "xxe.xml")
    data = taxonomy(taxon("01"), taxon("02"))
    with pytest.raises(MalformedInput) as err:
        read(data[:-30], "cut.xml")
    assert "cut.xml" in str(err.value) and (err.value.location or "").startswith("line ")
    with pytest.raises(MalformedInput, match=r"empty.xml: file is empty"):
        read(b"", "empty.xml")
    latin1 = taxonomy(taxon("01", "Børn")).replace("Børn".encode(), "Børn".encode("latin-1"))
    with pytest.raises(MalformedInput, match=r"latin1.xml: line 4: "):
        read(latin1, "latin1.xml")


def test_sniff() -> None:
    assert IMPORTER.sniff(taxonomy(taxon("01"))[:300], "x.xml") == 90
    assert IMPORTER.sniff(b"<Taxonomy><Name>Andet</Name><Taxon>", "x.xml") == 60
    assert IMPORTER.sniff(b"<KLE-Emneplan>", "x.xml") == 0
    assert IMPORTER.sniff(b"<Taxonomy/>", "x.xml") == 0
