"""The official concept-list template: the real template filled in, read, written back; bad sheets."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.models_conceptlist import read_conceptlist, write_conceptlist
from tests.conftest import data_file

TEMPLATE = "infomodels/digst_begrebsliste_skabelon.xlsx"


def _filled(path: Path) -> bytes:
    """DIGST's real template with two concepts and some metadata typed in, as a user would."""
    book = load_workbook(path)
    sheet = book["Begrebsliste DA"]
    sheet.cell(row=3, column=1, value="sag")
    sheet.cell(row=3, column=2, value="forvaltningssag")
    sheet.cell(row=3, column=4, value="afgrænset forløb i en myndighed")
    sheet.cell(row=3, column=8, value="https://www.retsinformation.dk/eli/lta/2014/433")
    sheet.cell(row=3, column=11, value="sag")
    sheet.cell(row=4, column=1, value="part")
    sheet.cell(row=4, column=4, value="person eller virksomhed som en sag angår")
    meta = book["Forretningsmetadata"]
    for row in meta.iter_rows(max_col=2):
        if row[0].value == "Modelnavn":
            row[1].value = "Sagsbegreber"
        if row[0].value == "Versionsnummer":
            row[1].value = "1.0.0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_empty_real_template_is_refused_as_holding_no_concepts() -> None:
    path = data_file(TEMPLATE)
    with pytest.raises(InvalidContent, match="holds no concepts"):
        read_conceptlist(path.read_bytes(), path.name)


def test_a_filled_template_reads_and_writes_back_the_same() -> None:
    model = read_conceptlist(_filled(data_file(TEMPLATE)), "sager.xlsx")
    assert (model.name, model.version, model.kind) == ("Sagsbegreber", "1.0.0", "concept")
    sag, part = sorted(model.concepts, key=lambda c: c.name, reverse=True)
    assert (sag.id, sag.definition, sag.source) == (
        "sag",
        "afgrænset forløb i en myndighed",
        "https://www.retsinformation.dk/eli/lta/2014/433",
    )
    assert dict(sag.tags)["altLabel (da)"] == "forvaltningssag"
    assert part.id == "begreb-4"  # no identifier: named by its row
    written = write_conceptlist(model)
    assert written == write_conceptlist(model)
    again = read_conceptlist(written, "again.xlsx", model.id)
    assert again.concepts == model.concepts and again.version == model.version


def _sheet(rows: list[list[object]], title: str = "Begrebsliste DA") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (_sheet([["Foretrukken term", "Kilde"], ["sag", "x"]]), "lacks the column(s) 'Definition'"),
        (_sheet([["a", "b"]], title="Ark1"), "no concept sheet"),
        (_sheet([["noget andet"]]), "no heading row"),
        (
            _sheet([["Foretrukken term", "Definition"], ["", "en definition uden term"]]),
            "row 2: a concept without",
        ),
        (
            _sheet(
                [["Foretrukken term", "Definition", "Identifikator"], ["a", "x", "id1"], ["b", "y", "id1"]]
            ),
            "'id1' is used twice",
        ),
    ],
)
def test_bad_sheets_name_the_problem(data: bytes, says: str) -> None:
    with pytest.raises(InvalidContent) as caught:
        read_conceptlist(data, "bad.xlsx")
    assert says in str(caught.value)


def test_not_a_workbook() -> None:
    with pytest.raises(MalformedInput):
        read_conceptlist(b"PK\x03\x04 broken", "bad.xlsx")
    with pytest.raises(MalformedInput):
        read_conceptlist(b"hello", "bad.xlsx")
