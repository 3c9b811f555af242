"""The ``kle-os2mo`` importer: OS2mo's KLE sheet as CSV or XLSX, giving KLE and the handlingsfacetter."""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter

import openpyxl
import pytest

from kodeks.domain.hierarchy import check_items
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.kle_os2mo import FIELDS, KleOs2moImporter
from tests.conftest import data_file

CSV = "kle/os2mo_kle_2023_emner.csv"
XLSX = "kle/os2mo_kle_import_template.xlsx"
IMPORTER = KleOs2moImporter()
U1, U2, U3, U4 = (str(uuid.UUID(int=n)) for n in range(1, 5))


def read(data: bytes, source: str = "kle.csv", **options: str) -> list[Bundle]:
    return IMPORTER.read(data, source, ImportOptions(options=options))


def xlsx(rows: list[tuple[object, ...]], sheet: str = "KLE") -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Org"
    ws = book.create_sheet(sheet)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check_real(bundles: list[Bundle]) -> None:
    kle, facets = bundles
    assert kle.classification.id == "kle" and facets.classification.id == "kle-handlingsfacetter"
    assert Counter(i.level for i in kle.items) == {1: 36, 2: 488, 3: 2333}
    assert len(facets.items) == 76
    assert Counter(i.level for i in facets.items) == {1: 7, 2: 69}
    for bundle in bundles:
        assert bundle.kind is ReleaseKind.SNAPSHOT and bundle.release_date is None
        assert bundle.fields == FIELDS and "uuid" in FIELDS
        assert all(item.uuid is not None for item in bundle.items)
        assert check_items(bundle.items) == []
    items = {i.code: i for i in kle.items}
    assert items["00.01.00"].uuid == uuid.UUID("15b97b4f-08c6-42fc-9a37-3ec048d8d01b")
    assert items["27.24.00"].parent == "27.24" and items["27.24"].parent == "27"
    assert items["27"].parent is None and items["27"].level == 1
    codes = {i.code: i for i in facets.items}
    assert codes["G01"].parent == "G" and codes["G01"].level == 2 and codes["G"].level == 1


def test_real_csv() -> None:
    path = data_file(CSV)
    bundles = read(path.read_bytes(), path.name)
    check_real(bundles)
    # every title is the sheet's "<code> - <title>" with the prefix cut off, nothing else changed
    raw = {row[1]: row[2] for row in csv.reader(io.StringIO(path.read_text("utf-8")))}
    for item in bundles[0].items + bundles[1].items:
        assert raw[item.code] == f"{item.code} - {item.title()}"


def test_real_xlsx() -> None:
    path = data_file(XLSX)
    check_real(read(path.read_bytes(), path.name))


def test_real_files_agree() -> None:
    csv_bundles = read(data_file(CSV).read_bytes(), "a.csv")
    xlsx_bundles = read(data_file(XLSX).read_bytes(), "a.xlsx")
    assert [b.items for b in csv_bundles] == [b.items for b in xlsx_bundles]


def test_sniff() -> None:
    assert IMPORTER.sniff(data_file(CSV).read_bytes()[:4096], "os2mo.csv") == 95
    whole = data_file(XLSX).read_bytes()
    assert IMPORTER.sniff(whole, "template.xlsx") == 90
    assert IMPORTER.sniff(xlsx([("a",)], sheet="Other"), "other.xlsx") == 0
    assert IMPORTER.sniff(b"code,title\n", "x.csv") == 0
    assert IMPORTER.sniff(b"\x00\rbinary\n", "x.csv") == 0
    assert IMPORTER.sniff(b"<KLE-Emneplan>", "x.xml") == 0


def test_small_csv_with_bom_and_facets() -> None:
    data = (
        "\ufeffuuid,emne_nr,emne_titel\n"
        f'{U1},01,01 - Hoved\n{U2},01.02,"01.02 - Gruppe, med komma"\n\n'
        f"{U3},A,A - Kategori\n{U4},A07,A07 – Facet\n"
    ).encode()
    kle, facets = read(data)
    assert [(i.code, i.title(), i.parent) for i in kle.items] == [
        ("01", "Hoved", None),
        ("01.02", "Gruppe, med komma", "01"),
    ]
    assert [(i.code, i.title(), i.level) for i in facets.items] == [("A", "Kategori", 1), ("A07", "Facet", 2)]


def test_only_kle_gives_one_bundle() -> None:
    bundles = read(f"uuid,emne_nr,emne_titel\n{U1},01,Titel uden nummer\n".encode())
    assert len(bundles) == 1 and bundles[0].items[0].title() == "Titel uden nummer"


def test_xlsx_sheet_option_and_missing_sheet() -> None:
    data = xlsx([("UUID", "EmneNr", "EmneTitel"), (U1, "01", "01 - Hoved")], sheet="Emner")
    assert read(data, "x.xlsx", sheet="Emner")[0].items[0].title() == "Hoved"
    with pytest.raises(MalformedInput, match=r"no sheet 'KLE'") as err:
        read(data, "x.xlsx")
    assert "x.xlsx" in str(err.value)


def test_xlsx_errors_name_sheet_row() -> None:
    data = xlsx([("UUID", "EmneNr", "EmneTitel"), (U1, "01", "01 - Hoved"), ("not-a-uuid", "01.02", "x")])
    with pytest.raises(MalformedInput) as err:
        read(data, "bad.xlsx")
    assert err.value.location == "sheet KLE row 3" and "bad.xlsx" in str(err.value)


def test_broken_xlsx() -> None:
    with pytest.raises(MalformedInput, match=r"broken.xlsx.*XLSX"):
        read(b"PK\x03\x04 not really a zip", "broken.xlsx")


def test_wrong_header() -> None:
    with pytest.raises(MalformedInput) as err:
        read(b"code,title\n01,Hoved\n", "hdr.csv")
    assert err.value.location == "line 1" and "hdr.csv" in str(err.value)


def test_duplicate_code_names_both_lines() -> None:
    data = f"uuid,emne_nr,emne_titel\n{U1},01,01 - A\n{U2},01,01 - B\n".encode()
    with pytest.raises(InvalidContent) as err:
        read(data, "dup.csv")
    assert err.value.location == "line 3" and "line 2" in str(err.value) and "dup.csv" in str(err.value)


def test_unknown_parent_is_returned_as_data() -> None:
    (kle,) = read(f"uuid,emne_nr,emne_titel\n{U1},01.02.03,01.02.03 - Emne\n".encode())
    problems = check_items(kle.items)
    assert [p.code for p in problems] == ["01.02.03"] and "unknown parent" in problems[0].message


def test_bad_code_and_uuid_and_short_row() -> None:
    with pytest.raises(InvalidContent, match=r"x.csv: line 2: 'X1Y'"):
        read(f"uuid,emne_nr,emne_titel\n{U1},X1Y,foo\n".encode(), "x.csv")
    with pytest.raises(MalformedInput, match=r"x.csv: line 2: 'nope' is not a UUID"):
        read(b"uuid,emne_nr,emne_titel\nnope,01,01 - A\n", "x.csv")
    with pytest.raises(MalformedInput, match=r"x.csv: line 2: expected 3 columns"):
        read(f"uuid,emne_nr,emne_titel\n{U1},01\n".encode(), "x.csv")
    with pytest.raises(InvalidContent, match=r"x.csv: line 2: code 01 has no title"):
        read(f"uuid,emne_nr,emne_titel\n{U1},01,01 - \n".encode(), "x.csv")


def test_latin1_names_line() -> None:
    data = f"uuid,emne_nr,emne_titel\n{U1},01,01 - Hoved\n{U2},02,02 - Børn\n".encode("latin-1")
    with pytest.raises(MalformedInput) as err:
        read(data, "latin1.csv")
    assert err.value.location == "line 3" and "latin1.csv" in str(err.value) and "UTF-8" in str(err.value)


def test_empty_and_header_only() -> None:
    with pytest.raises(MalformedInput, match=r"empty.csv.*empty"):
        read(b"", "empty.csv")
    with pytest.raises(MalformedInput, match=r"head.csv: line 2: .*no rows"):
        read(b"uuid,emne_nr,emne_titel\n", "head.csv")


def test_unterminated_quote_is_malformed() -> None:
    with pytest.raises(MalformedInput, match=r"q.csv: line 2: CSV syntax"):
        read(f'uuid,emne_nr,emne_titel\n{U1},01,"01 - open\n'.encode(), "q.csv")
