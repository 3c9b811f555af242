"""The ``kle-os2kle`` importer: OS2KLE's one-emne-per-line text file with weighted search words."""

from __future__ import annotations

import pytest

from kodeks.domain.hierarchy import check_items
from kodeks.domain.item import Keyword
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.kle_os2kle import FIELDS, KleOs2kleImporter
from tests.conftest import data_file

REAL = "kle/os2kle_3.23_kle_2026feb_emner_keywords.txt"
IMPORTER = KleOs2kleImporter()


def read(data: bytes, source: str = "OS2KLE.txt") -> Bundle:
    (bundle,) = IMPORTER.read(data, source, ImportOptions())
    return bundle


def line(code: str = "01.02.03", title: str = "Et emne", keywords: str = "ord[5];") -> str:
    return f"KLENummer='{code}':KLETitel='{title}':Keywords[Weight]={keywords}"


def test_real_file() -> None:
    path = data_file(REAL)
    bundle = read(path.read_bytes(), path.name)
    assert len(bundle.items) == 2390
    assert {i.level for i in bundle.items} == {3}
    assert bundle.levels_covered == frozenset({3})
    assert bundle.fields == FIELDS == frozenset({"titles", "level", "parent", "keywords"})
    assert bundle.kind is ReleaseKind.SNAPSHOT and bundle.release_date is None
    assert bundle.release_label == "OS2KLE 3.23"
    assert sum(len(i.keywords) for i in bundle.items) == 32295
    items = {i.code: i for i in bundle.items}
    first = items["00.01.00"]
    assert f"KLENummer='00.01.00':KLETitel='{first.title()}':" in path.read_text("utf-8")
    assert first.parent == "00.01"
    assert first.keywords[0] == Keyword("Partistøtteloven §4", 5)
    assert Keyword("ok01", 1000) in first.keywords
    assert items["88.24.20"].keywords[0] == Keyword("Udbud med forhandling", 5)
    assert "27.24.00" not in items  # gone by 2026 (it exists in the 2015 XML)
    # parents lie in other releases: only missing parents may be reported
    assert all("unknown parent" in p.message for p in check_items(bundle.items))
    assert check_items(bundle.items, external_parents=True) == []
    assert IMPORTER.sniff(path.read_bytes()[:4096], path.name) == 100


def test_title_with_quote_and_colon_and_odd_terms() -> None:
    data = (
        line("01.02.03", "Børn's sager: særlige", "a;b[5];x[1]y[10];")
        + "\n"
        + line("01.02.04", "Uden ord", "")
        + "\r\n"
    ).encode()
    first, second = read(data, "os2kle_v3.24.txt").items
    assert first.title() == "Børn's sager: særlige"
    assert first.keywords == (Keyword("a;b", 5), Keyword("x[1]y", 10))
    assert second.keywords == ()
    assert read(data, "OS2KLE.txt").release_label is None


def test_title_holding_the_keywords_marker_itself_is_not_needed_to_parse() -> None:
    bundle = read(line(title="Titel med ':KLETitel=' midt i").encode())
    assert bundle.items[0].title() == "Titel med ':KLETitel=' midt i"


def test_malformed_line_names_its_number() -> None:
    data = (line() + "\n\n" + "KLENummer='01.02.05' KLETitel='glemt kolon'\n").encode()
    with pytest.raises(MalformedInput) as err:
        read(data, "bad.txt")
    assert err.value.location == "line 3" and "bad.txt" in str(err.value)


def test_keyword_without_weight() -> None:
    with pytest.raises(MalformedInput, match=r"w.txt: line 1: search word 'sidste' has no \[weight\]"):
        read(line(keywords="ord[5];sidste").encode(), "w.txt")


def test_bad_code_empty_title_duplicate() -> None:
    with pytest.raises(InvalidContent, match=r"c.txt: line 1: KLENummer '01.02' is not an emne"):
        read(line(code="01.02").encode(), "c.txt")
    with pytest.raises(InvalidContent, match=r"c.txt: line 1: KLENummer 01.02.03 has no title"):
        read(line(title=" ").encode(), "c.txt")
    with pytest.raises(InvalidContent) as err:
        read((line() + "\n" + line(title="Igen")).encode(), "c.txt")
    assert err.value.location == "line 2" and "line 1" in str(err.value)


def test_empty_file_and_wrong_encoding() -> None:
    with pytest.raises(MalformedInput, match=r"empty.txt: file is empty"):
        read(b"\n\n", "empty.txt")
    data = (line() + "\n" + line("01.02.04", "Børn")).encode("latin-1")
    with pytest.raises(MalformedInput) as err:
        read(data, "latin1.txt")
    assert err.value.location == "line 2" and "latin1.txt" in str(err.value)


def test_sniff() -> None:
    assert IMPORTER.sniff(("\ufeff" + line()).encode(), "x.txt") == 100
    assert IMPORTER.sniff(b"uuid,emne_nr,emne_titel", "x.txt") == 0
