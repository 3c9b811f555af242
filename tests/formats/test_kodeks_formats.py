"""Kodeks' own JSON, CSV and XLSX formats: options, layout, bad input (round trips: test_roundtrip)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kodeks.domain.classification import Classification
from kodeks.domain.item import Item, Keyword
from kodeks.domain.period import Period
from kodeks.domain.release import Level, Release, ReleaseKind
from kodeks.errors import ImportError_, InvalidContent, InvalidRequest, MalformedInput
from kodeks.formats.base import ExportSet, ImportOptions
from kodeks.formats.kodeks_csv import KodeksCsv
from kodeks.formats.kodeks_json import KodeksJson, indented
from kodeks.formats.kodeks_xlsx import KodeksXlsx

CSV, JSON, XLSX = KodeksCsv(), KodeksJson(), KodeksXlsx()


def export_set(at: date | None = None) -> ExportSet:
    items = (
        Item("01", {"da": "Æbler", "en": "Apples"}, level=1, valid=Period(date(2020, 1, 1), None)),
        Item("01.1", {"da": "Røde æbler"}, level=2, parent="01", keywords=(Keyword("frugt", 2),)),
    )
    return ExportSet(
        Classification("frugt", {"da": "Frugt"}),
        items,
        (Level(1, {"da": "Gruppe"}),),
        (Release("v1", date(2020, 1, 1)),),
        at,
    )


def rows(data: bytes, sep: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=sep))


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_is_plain_with_a_header_of_field_names() -> None:
    table = rows(CSV.write(export_set()))
    assert table[0][:5] == ["code", "parent", "level", "title_da", "title_en"]
    assert table[1][:5] == ["01", "", "1", "Æbler", "Apples"]
    assert json.loads(table[2][table[0].index("keywords")]) == [{"term": "frugt", "weight": 2}]


def test_csv_field_selection_separator_and_language() -> None:
    data = CSV.write(export_set(), {"fields": "title,parent", "sep": ";", "lang": "da"})
    assert rows(data, ";") == [
        ["code", "title_da", "parent"],
        ["01", "Æbler", ""],
        ["01.1", "Røde æbler", "01"],
    ]
    [bundle] = CSV.read(data, "frugt.csv", ImportOptions())
    assert bundle.fields == {"titles", "parent"}  # the rest is inherited from earlier releases
    assert bundle.items[1].parent == "01"


def test_csv_tab_separator_and_bom() -> None:
    data = CSV.write(export_set(), {"sep": "\\t", "bom": "true"})
    assert data.startswith("\ufeffcode\tparent".encode())
    [bundle] = CSV.read(data, "frugt.tsv", ImportOptions())
    assert [i.code for i in bundle.items] == ["01", "01.1"]


@pytest.mark.parametrize("options", [{"sep": "|"}, {"fields": "code,colour"}])
def test_csv_bad_export_options(options: dict[str, str]) -> None:
    with pytest.raises(InvalidRequest):
        CSV.write(export_set(), options)


def test_csv_classification_id_from_option_or_file_name() -> None:
    data = CSV.write(export_set())
    assert CSV.read(data, "/tmp/Frugt 2024.csv", ImportOptions())[0].classification.id == "frugt-2024"
    assert CSV.read(data, "x.csv", ImportOptions(classification="kle"))[0].classification.id == "kle"


def test_csv_sniff() -> None:
    assert CSV.sniff(CSV.write(export_set())[:200], "x.csv") == 70
    assert CSV.sniff(b"code;title_da\n1;a\n", "x.csv") == 70
    assert CSV.sniff(b"Kode,Titel\n1,a\n", "x.csv") == 0


def _csv_error(data: bytes, exc_type: type[ImportError_] = InvalidContent) -> str:
    with pytest.raises(exc_type) as info:
        CSV.read(data, "bad.csv", ImportOptions())
    assert "bad.csv" in str(info.value)
    return str(info.value)


def test_csv_errors_name_file_and_line() -> None:
    assert "line 1" in _csv_error(b"title_da,parent\na,b\n")
    assert "'colour'" in _csv_error(b"code,colour\n1,red\n")
    assert "line 3" in _csv_error(b'code,keywords\n1,\n2,"[{""term"": "\n')
    assert "line 2" in _csv_error(b"code,valid_from\n1,2019-02-30\n")
    assert "line 2" in _csv_error(b"code,uuid\n1,not-a-uuid\n")
    assert "line 3" in _csv_error(b"code,title_da\n1,a\n,b\n")
    assert "line 2" in _csv_error(b"code,title_da\n1,K\xf8\n", MalformedInput)
    assert "empty" in _csv_error(b"", MalformedInput)


# --- JSON ------------------------------------------------------------------------------------------


def test_json_document_layout() -> None:
    data = JSON.write(export_set(at=date(2024, 1, 1)))
    doc = json.loads(data)
    assert list(doc) == ["format", "format_version", "at", "classification", "levels", "versions", "items"]
    assert doc["at"] == "2024-01-01" and doc["items"][0]["valid_from"] == "2020-01-01"
    assert doc["items"][0]["valid_to"] is None
    assert "Æbler" in data.decode()  # not \u-escaped
    [bundle] = JSON.read(data, "f.json", ImportOptions())
    assert bundle.kind is ReleaseKind.SNAPSHOT and bundle.release_label == "v1"
    assert JSON.read(JSON.write(export_set()), "f.json", ImportOptions())[0].kind is ReleaseKind.HISTORY


def test_json_classification_override() -> None:
    [bundle] = JSON.read(JSON.write(export_set()), "f.json", ImportOptions(classification="frugt-2"))
    assert bundle.classification.id == "frugt-2"
    assert bundle.classification.canonical_uri.endswith("/frugt-2")


def _json_error(data: bytes, exc_type: type[ImportError_] = InvalidContent) -> str:
    with pytest.raises(exc_type) as info:
        JSON.read(data, "bad.json", ImportOptions())
    assert "bad.json" in str(info.value)
    return str(info.value)


def test_json_errors_name_file_and_place() -> None:
    assert "line 3" in _json_error(b'{\n  "format": \n', MalformedInput)
    assert "empty" in _json_error(b"", MalformedInput)
    assert "line 1" in _json_error(b"[]")
    assert "format_version" in _json_error(b'{"format": "kodeks-json", "format_version": 99}')
    doc = json.loads(JSON.write(export_set()))
    doc["items"][1]["valid_from"] = "2019-02-30"
    assert "items[1]" in _json_error(json.dumps(doc).encode())
    doc["items"][1] = "01.2"
    assert "items[1]" in _json_error(json.dumps(doc).encode())
    del doc["classification"]["id"]
    assert "classification" in _json_error(json.dumps(doc).encode())


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_sheets_and_text_cells() -> None:
    data = XLSX.write(export_set())
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["Items", "Metadata", "Levels", "Versions"]
    items = list(book["Items"].iter_rows(values_only=True))
    assert items[1][:4] == ("01", None, "1", "Æbler")  # codes and numbers stay text
    meta = dict(book["Metadata"].iter_rows(values_only=True))
    assert meta["id"] == "frugt"
    book.close()


def test_xlsx_is_byte_stable_with_fixed_time_stamps() -> None:
    data = XLSX.write(export_set())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[:2] == ["[Content_Types].xml", "xl/workbook.xml"]
    assert XLSX.sniff(data[:4096], "x.xlsx") == 90


def test_xlsx_refuses_control_characters_clearly() -> None:
    export = export_set()
    bad = ExportSet(export.classification, (Item("1", {"da": "a\x01b"}),))
    with pytest.raises(InvalidRequest, match="control characters"):
        XLSX.write(bad)


def _xlsx_error(data: bytes) -> str:
    with pytest.raises(ImportError_) as info:
        XLSX.read(data, "bad.xlsx", ImportOptions())
    assert "bad.xlsx" in str(info.value)
    return str(info.value)


def test_xlsx_errors_name_file_and_place() -> None:
    assert "empty" in _xlsx_error(b"")
    assert "ZIP" in _xlsx_error(b"not a zip")
    assert "XLSX" in _xlsx_error(b"PK\x03\x04broken")
    other = openpyxl.Workbook()
    other.active.append(["Kode", "Titel"])
    raw = io.BytesIO()
    other.save(raw)
    assert "Kodeks workbook" in _xlsx_error(raw.getvalue())
    book = openpyxl.load_workbook(io.BytesIO(XLSX.write(export_set())))
    book["Items"]["A3"] = None  # an item without a code
    raw = io.BytesIO()
    book.save(raw)
    assert "sheet 'Items' row 3" in _xlsx_error(raw.getvalue())


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_the_json_writer_writes_what_the_standard_library_writes(doc: object) -> None:
    """``kodeks_json.indented`` (orjson) and ``json.dumps(indent=2)`` give the same bytes."""
    assert indented(doc) == (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
