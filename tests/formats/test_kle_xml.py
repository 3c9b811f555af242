"""The ``kle-xml`` importer: KL's KLE-Emneplan XML v2.0 with its full history."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kodeks.domain.hierarchy import check_items
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.kle_xml import FIELDS, KleXmlImporter
from tests.conftest import data_file

REAL = "kle/kle_emneplan_2015-08-01.xml"
IMPORTER = KleXmlImporter()


def read(data: bytes, source: str = "test.xml") -> Bundle:
    bundles = IMPORTER.read(data, source, ImportOptions())
    assert len(bundles) == 1
    return bundles[0]


def emne(
    nr: str, title: str = "Et emne", admin: str = "<OprettetDato>2001-01-01</OprettetDato>", extra: str = ""
) -> str:
    return (
        f"<Emne><EmneNr>{nr}</EmneNr><EmneTitel>{title}</EmneTitel>{extra}"
        f"<EmneAdministrativInfo>{admin}</EmneAdministrativInfo>"
        f"<BevaringJaevnfoerArkivloven>B</BevaringJaevnfoerArkivloven></Emne>"
    )


def plan(*emner: str, gruppe: str = "01.02", hovedgruppe: str = "01", released: str = "2020-01-01") -> bytes:
    """A tiny hand-written KLE-Emneplan (no KL content) with one hovedgruppe and one gruppe."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<KLE-Emneplan>\n'
        f"<UdgivelsesDato>{released}</UdgivelsesDato>\n<Hovedgruppe>"
        f"<HovedgruppeNr>{hovedgruppe}</HovedgruppeNr><HovedgruppeTitel>Hoved</HovedgruppeTitel>"
        f"<HovedgruppeVejledning><VejledningTekst><p>Tekst</p></VejledningTekst></HovedgruppeVejledning>"
        f"<HovedgruppeAdministrativInfo><OprettetDato>2000-01-01</OprettetDato></HovedgruppeAdministrativInfo>\n"
        f"<Gruppe><GruppeNr>{gruppe}</GruppeNr><GruppeTitel>Gruppe</GruppeTitel>"
        f"<GruppeAdministrativInfo><OprettetDato>2000-01-01</OprettetDato></GruppeAdministrativInfo>\n"
        + "\n".join(emner)
        + "\n</Gruppe></Hovedgruppe>\n</KLE-Emneplan>\n"
    ).encode()


def by_code(bundle: Bundle) -> dict[str, Item]:
    return {item.code: item for item in bundle.items}


# --- the real file -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Bundle:
    path = data_file(REAL)
    return read(path.read_bytes(), path.name)


def test_real_counts_and_release(real: Bundle) -> None:
    assert Counter(item.level for item in real.items) == {1: 41, 2: 691, 3: 3457}
    assert real.release_date == date(2015, 8, 1)
    assert real.release_label == "2015-08-01"
    assert real.kind is ReleaseKind.HISTORY
    assert real.fields == FIELDS and "uuid" not in FIELDS and "keywords" not in FIELDS
    assert real.classification.id == "kle" and real.classification.copyrighted
    assert [level.title() for level in real.levels] == ["Hovedgruppe", "Gruppe", "Emne"]
    assert real.format == "kle-xml"


def test_real_history(real: Bundle) -> None:
    items = by_code(real)
    assert sum(len(item.replaced_by) for item in real.items) == 279
    moved_without_successor = sorted(
        c for c, i in items.items() if i.properties.get("historisk") == "flyttet" and not i.replaced_by
    )
    assert moved_without_successor == ["17.20.25", "81.20"]
    assert items["00.10.00"].valid.end == date(2014, 11, 1)
    assert items["00.10.00"].replaced_by == ("15.40.00",)
    assert items["16.03.00"].valid.end == date(2010, 2, 1)
    assert items["16.03.00"].replaced_by == ("27.24.00",)
    assert items["27.24.00"].valid.contains(date(2012, 5, 1)) and items["27.24.00"].valid.end is None
    assert items["27.24.00"].parent == "27.24" and items["27.24"].parent == "27"
    # a successor on another level: hovedgruppe 16 moved to emne 27.00.00
    assert items["16"].replaced_by == ("27.00.00",)
    expired = [i for i in real.items if i.valid.end is not None]
    assert len(expired) == 1537
    live = Counter(i.level for i in real.items if i.valid.end is None)
    assert live == {1: 36, 2: 480, 3: 2136}  # the same as the 2014 os2web export
    assert sum(1 for i in expired if i.valid.is_empty) == 119  # created and expired on one day
    assert not any("[udgået]" in i.title().lower() for i in real.items)
    # the moved emne and its successor share a title once the "[udgået]" marker is gone
    assert items["16.03.00"].title() == items["27.24.00"].title()


def test_real_content(real: Bundle) -> None:
    items = by_code(real)
    first = items["00.01.00"]
    assert first.properties["bevaring"] == "B"
    assert first.properties["sletning"] == "P1800D"
    assert first.properties["oprettet"] == "2004-02-01" and first.properties["rettet"] == "2011-05-01"
    assert "FolkeskolenDelplan" in first.properties["filtre"].split(", ")
    assert first.legal_refs[0].title == "Kommunestyrelsesloven"
    assert first.legal_refs[0].reference and first.legal_refs[0].reference.startswith("A")
    # ParagrafEllerKapitel is kept in the title
    assert any("§" in ref.title for ref in items["27.24.00"].legal_refs)
    hoved = items["00"].description or ""
    assert "\n\n" in hoved and "\n- " in hoved and "<" not in hoved
    assert sum(1 for i in real.items if i.description) == 2025
    assert sum(len(i.legal_refs) for i in real.items) == 2625


def test_real_file_passes_the_structure_rules(real: Bundle) -> None:
    # No number occurs twice in the 2015 release, every parent exists, there are no cycles.
    assert check_items(real.items) == []
    assert len({item.code for item in real.items}) == len(real.items)


def test_real_file_is_recognised() -> None:
    head = data_file(REAL).read_bytes()[:4096]
    assert IMPORTER.sniff(head, "kle_emneplan_2015-08-01.xml") == 100


# --- small hand-written files --------------------------------------------------------------------


def test_minimal_plan() -> None:
    bundle = read(
        plan(
            emne(
                "01.02.03",
                "Gammelt emne [udgået]",
                "<OprettetDato>2001-01-01</OprettetDato><RettetDato>2002-02-02</RettetDato>"
                "<Historisk><Flyttet><FlyttetDato>2005-01-01</FlyttetDato>"
                "<AfloestAf><GruppeNr>01.09</GruppeNr></AfloestAf>"
                "<AfloestAf><EmneNr>01.02.05</EmneNr></AfloestAf>"
                "<AfloestAf><HandlingsfacetNr>G01</HandlingsfacetNr></AfloestAf></Flyttet></Historisk>",
            ),
            emne("01.02.05", "Nyt emne", "<OprettetDato>2005-01-01</OprettetDato>"),
        )
    )
    items = by_code(bundle)
    old = items["01.02.03"]
    assert old.title() == "Gammelt emne"
    assert old.valid == Period(date(2001, 1, 1), date(2005, 1, 1))
    assert old.replaced_by == ("01.09", "01.02.05")
    assert old.properties == {
        "bevaring": "B",
        "oprettet": "2001-01-01",
        "rettet": "2002-02-02",
        "historisk": "flyttet",
        "afloest_af_handlingsfacet": "G01",
    }
    assert items["01.02.05"].valid == Period(date(2005, 1, 1), None)
    assert items["01"].description == "Tekst"
    assert bundle.release_date == date(2020, 1, 1)


def test_guidance_becomes_plain_text() -> None:
    guidance = (
        "<EmneVejledning><VejledningTekst><p>Første  afsnit\n med <b>fed</b> tekst.</p>"
        "<p><ul><li>et</li><li>to <i>og</i> tre</li></ul></p><p>Sidste.</p>"
        "</VejledningTekst></EmneVejledning>"
    )
    item = by_code(read(plan(emne("01.02.03", extra=guidance))))["01.02.03"]
    assert item.description == "Første afsnit med fed tekst.\n\n- et\n- to og tre\n\nSidste."


def test_legal_references_with_and_without_paragraph() -> None:
    refs = (
        "<EmneRetskildeReference><RetskildeTitel>Loven</RetskildeTitel>"
        "<RetsinfoAccessionsNr>A1</RetsinfoAccessionsNr></EmneRetskildeReference>"
        "<EmneRetskildeReference><RetskildeTitel>Loven</RetskildeTitel>"
        "<ParagrafEllerKapitel>§ 3</ParagrafEllerKapitel>"
        "<RetsinfoAccessionsNr>A1_P3</RetsinfoAccessionsNr>"
        "<RetskildeTitel>Anden lov</RetskildeTitel><RetsinfoAccessionsNr>B2</RetsinfoAccessionsNr>"
        "</EmneRetskildeReference>"
    )
    item = by_code(read(plan(emne("01.02.03", extra=refs))))["01.02.03"]
    assert [(r.title, r.reference) for r in item.legal_refs] == [
        ("Loven", "A1"),
        ("Loven § 3", "A1_P3"),
        ("Anden lov", "B2"),
    ]


def test_created_and_expired_on_the_same_day_is_an_empty_period() -> None:
    admin = (
        "<OprettetDato>1988-01-01</OprettetDato><Historisk><UdgaaetDato>1988-01-01</UdgaaetDato></Historisk>"
    )
    item = by_code(read(plan(emne("01.02.03", admin=admin))))["01.02.03"]
    assert item.valid.is_empty and item.properties["historisk"] == "udgået"


def test_number_reused_after_expiry_is_two_facts() -> None:
    old = emne(
        "01.02.03",
        "Før",
        "<OprettetDato>2001-01-01</OprettetDato><Historisk><UdgaaetDato>2005-01-01</UdgaaetDato></Historisk>",
    )
    new = emne("01.02.03", "Efter", "<OprettetDato>2006-01-01</OprettetDato>")
    bundle = read(plan(old, new))
    facts = [i for i in bundle.items if i.code == "01.02.03"]
    assert [f.title() for f in facts] == ["Før", "Efter"]
    assert check_items(bundle.items) == []


def test_number_stated_twice_with_overlapping_validity_is_refused() -> None:
    with pytest.raises(InvalidContent) as err:
        read(plan(emne("01.02.03"), emne("01.02.03", "Igen")), "dup.xml")
    assert "dup.xml" in str(err.value) and "01.02.03" in str(err.value)
    assert err.value.location == "line 7"  # the second statement
    assert "line 6" in str(err.value)


def test_number_that_disagrees_with_its_nesting_is_refused() -> None:
    with pytest.raises(InvalidContent) as err:
        read(plan(emne("09.02.03")), "nest.xml")
    assert "nest.xml" in str(err.value) and "09.02.03" in str(err.value)
    assert err.value.location == "line 6 <Emne>"


def test_malformed_number_is_refused() -> None:
    with pytest.raises(InvalidContent, match=r"bad.xml: line 6 <Emne>: .*'01.02.3'"):
        read(plan(emne("01.02.3")), "bad.xml")


def test_bad_date_names_line() -> None:
    with pytest.raises(MalformedInput) as err:
        read(plan(emne("01.02.03", admin="<OprettetDato>2001-13-01</OprettetDato>")), "date.xml")
    assert err.value.location == "line 6 <OprettetDato>" and "date.xml" in str(err.value)


def test_end_before_start_is_refused() -> None:
    admin = (
        "<OprettetDato>2001-01-01</OprettetDato><Historisk><UdgaaetDato>2000-01-01</UdgaaetDato></Historisk>"
    )
    expected = r"order.xml: line 6 <EmneAdministrativInfo>: 01.02.03 ends \(2000-01-01\) before"
    with pytest.raises(InvalidContent, match=expected):
        read(plan(emne("01.02.03", admin=admin)), "order.xml")


def test_missing_pieces_are_refused() -> None:
    with pytest.raises(MalformedInput, match=r"test.xml: line 6 <Emne>: Emne 01.02.03 has no <EmneTitel>"):
        read(
            plan(
                "<Emne><EmneNr>01.02.03</EmneNr><EmneAdministrativInfo><OprettetDato>2001-01-01"
                "</OprettetDato></EmneAdministrativInfo></Emne>"
            )
        )
    with pytest.raises(MalformedInput, match=r"test.xml: line 6 <Emne>: .* has no <EmneAdministrativInfo>"):
        read(plan("<Emne><EmneNr>01.02.03</EmneNr><EmneTitel>T</EmneTitel></Emne>"))
    no_date = b"<KLE-Emneplan></KLE-Emneplan>"
    with pytest.raises(MalformedInput, match=r"test.xml: line 1: <UdgivelsesDato> is missing"):
        read(no_date)


def test_wrong_root_is_refused() -> None:
    with pytest.raises(MalformedInput) as err:
        read(
            b'<?xml version="1.0"?>\n<KLE-Handlingsfacetter><UdgivelsesDato>2020-01-01</UdgivelsesDato>'
            b"</KLE-Handlingsfacetter>",
            "facetter.xml",
        )
    assert "KLE-Handlingsfacetter" in str(err.value) and "facetter.xml" in str(err.value)
    assert err.value.location == "line 2"


def test_truncated_file_names_line() -> None:
    data = plan(emne("01.02.03"))
    with pytest.raises(MalformedInput) as err:
        read(data[: len(data) // 2], "cut.xml")
    assert "cut.xml" in str(err.value)
    assert err.value.location is not None and err.value.location.startswith("line ")


def test_empty_file() -> None:
    with pytest.raises(MalformedInput, match=r"empty.xml.*empty"):
        read(b"", "empty.xml")


def test_latin1_bytes_in_utf8_file() -> None:
    data = plan(emne("01.02.03", "Børn")).replace("Børn".encode(), "Børn".encode("latin-1"))
    with pytest.raises(MalformedInput) as err:
        read(data, "latin1.xml")
    assert "latin1.xml" in str(err.value) and err.value.location == "line 6"


def test_billion_laughs_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE KLE-Emneplan [\n <!ENTITY a "aaaaaaaaaa">\n'
        b' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        b' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
        b"<KLE-Emneplan><UdgivelsesDato>2020-01-01</UdgivelsesDato>&c;</KLE-Emneplan>"
    )
    with pytest.raises(MalformedInput) as err:
        read(bomb, "bomb.xml")
    assert "bomb.xml" in str(err.value) and err.value.location == "DOCTYPE"


def test_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE KLE-Emneplan [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<KLE-Emneplan><UdgivelsesDato>2020-01-01</UdgivelsesDato>&x;</KLE-Emneplan>"
    )
    with pytest.raises(MalformedInput) as err:
        read(xxe, "xxe.xml")
    assert "xxe.xml" in str(err.value) and "entit" in str(err.value).lower()


def test_sniff() -> None:
    assert IMPORTER.sniff(plan(emne("01.02.03"))[:200], "x.xml") == 100
    assert IMPORTER.sniff(b'<?xml version="1.0"?><Taxonomy/>', "x.xml") == 0
    assert IMPORTER.sniff(b"uuid,emne_nr,emne_titel\n", "x.csv") == 0


def test_classification_override() -> None:
    bundles = IMPORTER.read(plan(emne("01.02.03")), "x.xml", ImportOptions(classification="kle-test"))
    assert bundles[0].classification.id == "kle-test"
