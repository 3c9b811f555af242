"""The catalog service on SQLite and PostgreSQL: derived entries, edits, external entries, sheets."""

from __future__ import annotations

from datetime import date

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.errors import Conflict, InvalidContent, InvalidRequest, NotFound
from kodeks.formats.catalog_sheet import read_sheet
from kodeks.services import catalog
from kodeks.services.search import SearchQuery, search
from tests.factories import tree_bundle
from tests.search.backends import load

FORM = {"id": "form", "titles": {"da": "FORM"}, "publisher": "KL", "themes": ["GOVE"]}


def create(kodeks: Kodeks, data: dict[str, object], actor: str = "editor") -> None:
    catalog.create_entry(kodeks.uow, kodeks.catalog, kodeks.search_index, data, actor)


def update(kodeks: Kodeks, entry_id: str, data: dict[str, object]) -> None:
    catalog.update_entry(kodeks.uow, kodeks.catalog, kodeks.search_index, entry_id, data, "editor")


def get(kodeks: Kodeks, entry_id: str) -> catalog.StoredEntry:
    return catalog.get_entry(kodeks.uow, kodeks.catalog, entry_id)


def test_every_imported_classification_gets_an_entry(registry: Kodeks) -> None:
    stored = get(registry, "tree")
    assert stored.entry.kind == "registry"
    assert stored.entry.titles == {"da": "Testplan", "en": "Test plan"}
    assert stored.entry.owner == "Test" and stored.entry.modified == date(2015, 8, 1)
    assert stored.entry.identifier == "https://kodeks.dk/id/tree"
    assert stored.edited == frozenset()


def test_editors_enrich_and_imports_keep_it(registry: Kodeks) -> None:
    update(registry, "tree", {"themes": ["EDUC"], "owner": "Skoleforvaltningen"})
    load(registry, tree_bundle(release_date=date(2016, 1, 1)))
    stored = get(registry, "tree")
    assert stored.entry.themes == ("EDUC",) and stored.entry.owner == "Skoleforvaltningen"
    assert stored.entry.modified == date(2016, 1, 1)
    assert stored.edited == {"themes", "owner"}


def test_external_entries_are_created_found_and_deleted(registry: Kodeks) -> None:
    create(registry, FORM)
    assert get(registry, "form").entry.kind == "external"
    hits = search(registry.uow, registry.search_index, SearchQuery("FORM")).hits
    assert hits[0].classification_id == "form" and hits[0].kind == "catalog"
    catalog.delete_entry(registry.uow, registry.catalog, registry.search_index, "form")
    with pytest.raises(NotFound):
        get(registry, "form")
    assert not [
        h
        for h in search(registry.uow, registry.search_index, SearchQuery("FORM")).hits
        if h.classification_id == "form"
    ]


def test_conflicts(registry: Kodeks) -> None:
    create(registry, FORM)
    with pytest.raises(Conflict):
        create(registry, FORM)
    with pytest.raises(Conflict, match="PATCH"):
        create(registry, {"id": "tree", "titles": {"da": "Ny"}})
    with pytest.raises(Conflict, match="cannot be deleted"):
        catalog.delete_entry(registry.uow, registry.catalog, registry.search_index, "tree")


def test_bad_writes_change_nothing(registry: Kodeks) -> None:
    before = get(registry, "tree")
    for data in (
        {"landing_page": "javascript:alert(1)"},
        {"themes": ["NOPE"]},
        {"id": "other"},
        {"kind": "external"},
        {"unknown": 1},
        {"titles": {"da": ""}},
    ):
        with pytest.raises(InvalidRequest):
            update(registry, "tree", data)
    assert get(registry, "tree") == before
    with pytest.raises(InvalidRequest):
        create(registry, {"id": "x", "titles": {"da": "X"}, "kind": "registry"})
    with pytest.raises(NotFound):
        update(registry, "nope", {"keywords": ["x"]})
    with pytest.raises(NotFound):
        update(registry, "bad\x00id", {"keywords": ["x"]})


def test_edits_are_kept_as_history(registry: Kodeks) -> None:
    update(registry, "tree", {"keywords": ["skole"]})
    update(registry, "tree", {"keywords": ["skole", "undervisning"]})
    with registry.uow() as uow:
        history = registry.catalog(uow).history("tree")
    assert [h.entry.keywords for h in history] == [(), ("skole",), ("skole", "undervisning")]
    assert history[-1].actor == "editor"


SHEET = (
    b"id;title_da;publisher;themes;keywords;landing_page\n"
    b"form;FORM;KL;GOVE;opgaver;https://example.org/form\n"
    b'tree;;;EDUC;"skole\nundervisning";\n'
)


def test_a_sheet_creates_and_enriches(registry: Kodeks) -> None:
    rows = read_sheet(SHEET, "katalog.csv")
    report = catalog.import_entries(registry.uow, registry.catalog, registry.search_index, rows, "editor")
    assert report.created == ("form",) and report.updated == ("tree",)
    tree = get(registry, "tree")
    assert tree.entry.keywords == ("skole", "undervisning") and tree.entry.titles["da"] == "Testplan"
    again = catalog.import_entries(registry.uow, registry.catalog, registry.search_index, rows, "editor")
    assert again.unchanged == ("form", "tree")


def test_a_bad_row_refuses_the_whole_sheet(registry: Kodeks) -> None:
    rows = read_sheet(SHEET + b"bad;Bad;;SPORT;;\n", "katalog.csv")
    with pytest.raises(InvalidRequest, match="row 3"):
        catalog.import_entries(registry.uow, registry.catalog, registry.search_index, rows, "editor")
    with pytest.raises(NotFound):
        get(registry, "form")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"id;titel;farve\nx;X;blue\n", "unknown columns farve"),
        (b"titel\nX\n", "no 'id' column"),
        (b"id;titel\n;X\n", "id cell is empty"),
        (b"\xff\xfe\x00i\x00d", "UTF-8"),
        (b"PK\x03\x04broken", "XLSX"),
    ],
)
def test_unreadable_sheets_are_refused(data: bytes, problem: str) -> None:
    with pytest.raises((InvalidContent, InvalidRequest, Exception), match=problem):
        read_sheet(data, "katalog.csv")


def test_an_xlsx_sheet_with_danish_headers(tmp_path: object) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "Titel", "Udgiver", "Temaer", "Nøgleord", "Anvendes af"])
    sheet.append(["sks", "SKS", "Sundhedsdatastyrelsen", "HEAL", "diagnoser; procedurer", "Aarhus Kommune"])
    buffer = io.BytesIO()
    book.save(buffer)
    [row] = read_sheet(buffer.getvalue(), "katalog.xlsx")
    assert row == {
        "id": "sks",
        "titles": {"da": "SKS"},
        "publisher": "Sundhedsdatastyrelsen",
        "themes": ["HEAL"],
        "keywords": ["diagnoser", "procedurer"],
        "used_by": ["Aarhus Kommune"],
    }


def test_theme_labels_come_from_the_eu_vocabulary_when_loaded(registry: Kodeks) -> None:
    from kodeks.domain.item import Item

    assert catalog.theme_labels(registry.uow)["HEAL"] == "HEAL"
    themes = tree_bundle(
        cid="eu-data-themes", items=[Item("HEAL", {"da": "Sundhed", "en": "Health"}, level=1)]
    )
    load(registry, themes)
    labels = catalog.theme_labels(registry.uow)
    assert labels["HEAL"] == "Sundhed" and labels["GOVE"] == "GOVE"
    assert catalog.theme_labels(registry.uow, "en")["HEAL"] == "Health"
