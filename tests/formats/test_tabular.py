"""The generic tabular importer: real DB07 and ISCO-08 files, mappings, hierarchy modes, bad input."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kodeks.domain.hierarchy import check_items
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats import registry
from kodeks.formats.base import ImportOptions
from kodeks.formats.tabular import TabularImporter
from kodeks.formats.tabular_hierarchy import depths, pattern_parents
from kodeks.formats.tabular_mapping import year_span
from tests.conftest import data_file

TABULAR = TabularImporter()


def read(
    data: bytes, source: str = "list.csv", mapping: dict[str, str] | None = None, **options: str
) -> Bundle:
    [bundle] = TABULAR.read(data, source, ImportOptions(mapping=mapping or {}, options=options))
    return bundle


def by_code(bundle: Bundle) -> dict[str, Item]:
    return {i.code: i for i in bundle.items}


# --- real files ------------------------------------------------------------------------------------


def test_db07_tsv_is_detected_and_read_with_its_preset() -> None:
    path = data_file("db07_dk_nace/db07_dksic.tsv")
    data = path.read_bytes()
    assert registry.detect(data[:4096], path.name).name == "tabular"
    bundle = read(data, path.name)
    assert bundle.classification.id == "db07"
    assert len(bundle.items) == 1740
    assert Counter(i.level for i in bundle.items) == {1: 21, 2: 88, 3: 272, 4: 618, 5: 741}
    assert check_items(bundle.items) == []
    items = {i.code: i for i in bundle.items}
    assert (
        items["01"].parent == "A"
        and items["01"].title() == "Plante- og husdyravl, jagt og serviceydelser i forbindelse hermed"
    )
    assert items["01.11.00"].parent == "01.11"
    assert items["01.1"].title() == "Dyrkning af etårige afgrøder"
    # the NB column: "gælder 2008-2012" and "gælder 2013-" become validity, the text stays a note
    assert items["42.10"].valid == Period(date(2008, 1, 1), date(2013, 1, 1))
    assert items["42.11.00"].valid == Period(date(2013, 1, 1), None)
    assert items["47.91.10"].valid == Period(date(2008, 1, 1), date(2014, 1, 1))
    assert items["42.10"].notes == ("gælder 2008-2012",)
    assert items["99.99.99"].parent is None  # its section "X" is not listed in the file
    assert items["E"].title().startswith("Vandforsyning; kloakvæsen")  # quoted in the file
    assert [lv.title("da") for lv in bundle.levels][:2] == ["Sektion", "Hovedgruppe"]


def test_db07_xlsx_gives_the_same_items_as_the_tsv() -> None:
    tsv = read(data_file("db07_dk_nace/db07_dksic.tsv").read_bytes(), "db07_dksic.tsv")
    path = data_file("db07_dk_nace/db07_struktur.xlsx")
    xlsx = read(path.read_bytes(), path.name)  # the header identifies the preset
    assert xlsx.items == tsv.items
    assert xlsx.classification.id == "db07"


def test_isco08_groups_follow_the_code_pattern() -> None:
    path = data_file("esco/ISCOGroups_en.csv")
    data = path.read_bytes()
    assert registry.detect(data[:4096], path.name).name == "tabular"
    bundle = read(data, path.name)
    assert bundle.classification.id == "isco08"
    assert len(bundle.items) == 619
    assert Counter(i.level for i in bundle.items) == {1: 10, 2: 43, 3: 130, 4: 436}
    assert check_items(bundle.items) == []
    items = {i.code: i for i in bundle.items}
    assert items["0"].parent is None and items["01"].parent == "0" and items["0110"].parent == "011"
    assert items["2111"].parent == "211" and items["2111"].title("en") == "Physicists and astronomers"
    assert items["2111"].properties == {"uri": "http://data.europa.eu/esco/isco/C2111"}
    assert items["0"].description is not None and "armed forces" in items["0"].description


def test_isco08_with_an_explicit_mapping_and_pattern_hierarchy() -> None:
    data = data_file("esco/ISCOGroups_en.csv").read_bytes()
    bundle = read(
        data,
        "groups.csv",
        {"code": "code", "title_en": "preferredLabel"},
        hierarchy="pattern",
        classification="isco",
    )
    assert bundle.classification.id == "isco" and len(bundle.items) == 619
    assert by_code(bundle)["21"].parent == "2"
    assert bundle.fields == {"titles", "parent", "level"}


# --- mappings and modes ----------------------------------------------------------------------------


def test_parent_column_keeps_leading_zeros_and_reads_every_role() -> None:
    data = (
        "Kode;Overordnet;Titel;Title;Fra;Til;Note;Erstattet\n"
        "01;;Ét;One;2020-01-01;;;\n"
        "010;01;Nul-ti;Ten;2020-01-01;2021-01-01;udgår;011 012\n"
        "011;01;Elleve;Eleven;2021-01-01;;;\n"
        "012;01;Tolv;Twelve;;;;\n"
    ).encode()
    mapping = {
        "code": "Kode",
        "parent": "Overordnet",
        "title": "Titel",
        "title_en": "Title",
        "valid_from": "Fra",
        "valid_to": "Til",
        "notes": "Note",
        "replaced_by": "Erstattet",
    }
    bundle = read(data, "Mine koder.csv", mapping)
    assert bundle.classification.id == "mine-koder"
    items = by_code(bundle)
    ten = items["010"]
    assert ten.parent == "01" and ten.level == 2
    assert ten.titles == {"da": "Nul-ti", "en": "Ten"}
    assert ten.valid == Period(date(2020, 1, 1), date(2021, 1, 1))
    assert ten.replaced_by == ("011", "012") and ten.notes == ("udgår",)


def test_bom_and_tab_delimiter_and_skip_rows() -> None:
    data = "\ufeffKodeliste fra 2024\ncode\tname\n1\tEt\n1.1\tEt-et\n".encode()
    bundle = read(data, "x.tsv", {"code": "code", "title": "name"}, skip_rows="1", hierarchy="pattern")
    assert by_code(bundle)["1.1"].parent == "1"


def test_pattern_parents_and_depths() -> None:
    parents = pattern_parents(["2", "21", "211", "2111", "A", "A.1", "A.1.2", "99"])
    assert parents == {
        "2": None,
        "21": "2",
        "211": "21",
        "2111": "211",
        "A": None,
        "A.1": "A",
        "A.1.2": "A.1",
        "99": None,
    }
    assert depths({"a": None, "b": "a", "c": "b", "x": "y", "p": "q", "q": "p"}) == {
        "a": 1,
        "b": 2,
        "c": 3,
        "x": None,
        "p": None,
        "q": None,
    }


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("gælder 2008-2012", (2008, 2012)),
        ("gælder 2013-", (2013, None)),
        ("valid from  2014", (2014, None)),
        ("2019", (2019, 2019)),
        ("ingen", None),
    ],
)
def test_year_spans(text: str, span: tuple[int, int | None] | None) -> None:
    assert year_span(text) == span


def test_cycles_and_unknown_parents_are_returned_as_data() -> None:
    data = b"code,parent\na,b\nb,a\nc,zz\n"
    bundle = read(data, "cyc.csv", {"code": "code", "parent": "parent"})
    assert {i.code: i.level for i in bundle.items} == {"a": None, "b": None, "c": None}
    problems = check_items(bundle.items)
    assert any("cycle" in p.message for p in problems) and any(
        "unknown parent" in p.message for p in problems
    )


def test_sniff_is_low_for_any_table_and_zero_for_other_files() -> None:
    assert TABULAR.sniff(b"a,b\n1,2\n", "x.csv") == 10
    assert TABULAR.sniff(b"PK\x03\x04", "x.xlsx") == 10
    assert TABULAR.sniff(b"<xml/>", "x.xml") == 0


# --- bad input: every error names the file and the place -------------------------------------------


def _error(
    exc_type: type[Exception],
    data: bytes,
    source: str = "bad.csv",
    mapping: dict[str, str] | None = None,
    **options: str,
) -> str:
    with pytest.raises(exc_type) as info:
        read(data, source, mapping if mapping is not None else {"code": "code", "title": "title"}, **options)
    message = str(info.value)
    assert source in message
    return message


def test_missing_column_names_the_column_and_the_file() -> None:
    message = _error(InvalidContent, b"kode,titel\n1,a\n", mapping={"code": "code"})
    assert "'code'" in message and "'kode'" in message and "line 1" in message


def test_wrong_delimiter() -> None:
    message = _error(MalformedInput, b"code;title\n1;a\n", delimiter=",")
    assert "line 1" in message and "delimiter" in message


def test_a_row_with_too_many_fields() -> None:
    message = _error(MalformedInput, b"code,title\n1,a\n2,b,c\n")
    assert "line 3" in message


def test_wrong_encoding_names_the_line() -> None:
    message = _error(MalformedInput, "code,title\n1,a\n2,Kø\n".encode("latin-1"))
    assert "line 3" in message and "utf-8" in message
    assert (
        by_code(
            read(
                "code,title\n2,Kø\n".encode("latin-1"),
                "ok.csv",
                {"code": "code", "title": "title"},
                encoding="latin-1",
            )
        )["2"].title()
        == "Kø"
    )


@pytest.mark.parametrize("data", [b"", b"  \n", b"\xef\xbb\xbf"])
def test_empty_file(data: bytes) -> None:
    assert "empty" in _error(MalformedInput, data)


def test_header_without_rows() -> None:
    assert "line 2" in _error(InvalidContent, b"code,title\n")


def test_empty_code_is_skipped_and_named_in_a_warning() -> None:
    bundle = read(b"code,title\n1,a\n,b\n", "x.csv", {"code": "code", "title": "title"})
    assert [i.code for i in bundle.items] == ["1"]
    assert any("empty code" in w and "line 3" in w for w in bundle.warnings)


def test_duplicate_codes_name_both_lines() -> None:
    message = _error(InvalidContent, b'code,title\n1,"a\nover two lines"\n2,b\n1,c\n')
    assert "line 5" in message and "line 2" in message and "duplicate code '1'" in message


def test_duplicate_codes_with_disjoint_validity_are_history() -> None:
    data = b"code,title,from,to\n1,a,2019-01-01,2020-01-01\n1,b,2020-01-01,\n"
    bundle = read(data, "h.csv", {"code": "code", "title": "title", "valid_from": "from", "valid_to": "to"})
    assert [i.title() for i in bundle.items] == ["a", "b"]


def test_bad_date_names_line_and_column() -> None:
    message = _error(
        InvalidContent,
        b"code,title,from\n1,a,2019-02-01\n2,b,2019-02-30\n",
        mapping={"code": "code", "title": "title", "valid_from": "from"},
    )
    assert "line 3" in message and "2019-02-30" in message and "valid_from" in message


def test_validity_ending_before_it_starts() -> None:
    message = _error(
        InvalidContent,
        b"code,from,to\n1,2020-01-01,2019-01-01\n",
        mapping={"code": "code", "valid_from": "from", "valid_to": "to"},
    )
    assert "line 2" in message


def test_no_mapping_and_no_preset() -> None:
    assert "mapping" in _error(InvalidContent, b"a,b\n1,2\n", mapping={})


def test_unknown_preset_and_role() -> None:
    assert "preset" in _error(InvalidContent, b"code\n1\n", preset="nope")
    assert "role" in _error(InvalidContent, b"code\n1\n", mapping={"code": "code", "colour": "code"})


def test_xlsx_that_is_not_a_workbook() -> None:
    assert "XLSX" in _error(MalformedInput, b"PK\x03\x04not really a zip", "bad.xlsx")


def test_xlsx_unknown_sheet() -> None:
    path = data_file("db07_dk_nace/db07_struktur.xlsx")
    with pytest.raises(MalformedInput, match="Samlet") as info:
        read(path.read_bytes(), path.name, sheet="Ark1")
    assert path.name in str(info.value)
