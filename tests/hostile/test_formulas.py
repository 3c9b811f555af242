"""No export hands a spreadsheet a formula to run (issue 17.2).

Titles such as ``=HYPERLINK(...)`` and ``=cmd|' /C calc'!A0`` are registry text. Every tabular exporter
in the registry writes them as text: XLSX as string cells (no ``<f>`` element anywhere), CSV with the
OWASP quote in front; re-importing a Kodeks export gives the exact titles back. The same holds for the
correspondence CSV and for what the API serves to anonymous callers.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from kodeks.api.app import create_app
from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.domain.local.correspondence import Correspondence, Mapping, Side
from kodeks.formats import correspondence_csv, correspondence_export, registry
from kodeks.formats.base import ExportSet, ImportOptions
from kodeks.formats.cells import TRIGGERS, csv_cell, from_csv_cell, starts_formula
from tests.factories import item, memory_registry, record, tree_bundle

FORMULAS = (
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
)
TABULAR = sorted(n for n, e in registry.exporters().items() if e.extension in (".csv", ".tsv", ".xlsx"))


def _items() -> tuple[Item, ...]:
    start = date(2020, 1, 1)
    titled = [item(f"{n + 1:02d}", title, start=start) for n, title in enumerate(FORMULAS)]
    numbers = [item("-1", "a negative number as code", start=start), item("+45", "a signed one", start=start)]
    return (*titled, *numbers)


def _export() -> ExportSet:
    return ExportSet(classification=Classification(id="evil"), items=_items(), versions=(), levels=())


def _assert_csv_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    for row in rows:
        for cell in row:
            assert not starts_formula(cell) or cell.startswith("'"), f"live formula in CSV: {cell!r}"
            assert not cell.startswith(TRIGGERS) or re.fullmatch(r"[+-]\d+", cell), cell
    return rows


def _assert_xlsx_safe(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def test_the_decisions() -> None:
    assert csv_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert csv_cell("@SUM(1)") == "'@SUM(1)" and csv_cell("\t=1") == "'\t=1" and csv_cell("\r=1") == "'\r=1"
    # plain numbers stay numbers (codes like -1 and +45); anything more is quoted
    assert [csv_cell(v) for v in ("-1", "+45", "-2.5", "1e-3", "-")] == ["-1", "+45", "-2.5", "1e-3", "'-"]
    assert csv_cell("+45 12 34 56 78") == "'+45 12 34 56 78" and csv_cell("-1+1") == "'-1+1"
    assert csv_cell("'=x") == "''=x" and csv_cell("'s-Hertogenbosch") == "'s-Hertogenbosch"


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r 1.eaA,"), max_size=12) | st.text(max_size=12))
def test_the_quote_comes_off_exactly(value: str) -> None:
    written = csv_cell(value)
    assert from_csv_cell(written) == value
    assert not starts_formula(written) or written.startswith("'")


@pytest.mark.parametrize("name", TABULAR)
def test_every_tabular_exporter(name: str) -> None:
    exporter = registry.get_exporter(name)
    data = exporter.write(_export())
    if exporter.extension == ".xlsx":
        _assert_xlsx_safe(data)
    else:
        _assert_csv_safe(data.decode("utf-8"))
    back = registry.get_importer(name).read(data, f"evil{exporter.extension}", ImportOptions())[0]
    assert {i.code: i.title() for i in back.items} == {i.code: i.title() for i in _items()}


def test_every_tabular_exporter_is_covered() -> None:
    assert set(TABULAR) >= {"csv", "xlsx"}


def test_correspondence_csv() -> None:
    mappings = tuple(
        Mapping(f"{n:02d}", "01", False, formula, formula, None) for n, formula in enumerate(FORMULAS, 1)
    )
    corr = Correspondence(id="c", source=Side("a"), target=Side("b"), mappings=mappings)
    written = correspondence_export.write(corr, "csv", source_uri="http://a", target_uri="http://b")
    _assert_csv_safe(written.content.decode())
    back = correspondence_csv.read_pairs(written.content, "c.csv")
    # the reader strips the space around a note (and reads any line break as "\n")
    assert [m.note for m in back.mappings] == [f.replace("\r", "\n").strip() for f in FORMULAS]


@pytest.fixture
def client() -> TestClient:
    kodeks = memory_registry()
    record(kodeks, tree_bundle(items=_items(), cid="evil"))
    return TestClient(create_app(kodeks), raise_server_exceptions=False)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/classifications/evil/export?format=csv",
        "/api/v1/classifications/evil/items?format=csv&at=2024-01-01",
        "/api/v1/classifications/evil/export?format=xlsx",
    ],
)
def test_anonymous_api_exports(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    if "xlsx" in path:
        _assert_xlsx_safe(response.content)
    else:
        rows = _assert_csv_safe(response.text)
        titles = {cell for row in rows for cell in row}
        assert "'=cmd|' /C calc'!A0" in titles
