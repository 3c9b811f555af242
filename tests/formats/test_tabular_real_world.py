"""The tabular importer on files as they come: options checked, warnings that say what was decided,
file-order and range hierarchies, fixed-width and headerless text, numbers in code cells."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from kodeks.domain.hierarchy import check_items
from kodeks.domain.release import Bundle
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.tabular import TabularImporter
from kodeks.formats.tabular_options import OPTIONS, ROLES
from tests.conftest import data_file

TABULAR = TabularImporter()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


def read(
    data: bytes, source: str = "list.csv", mapping: dict[str, str] | None = None, **options: str
) -> Bundle:
    [bundle] = TABULAR.read(data, source, ImportOptions(mapping=mapping or {}, options=options))
    return bundle


def _db07_rows() -> list[tuple[str, str]]:
    """``(code, title)`` of the real DB07 file in its order: the deepest filled level column is the code."""
    text = data_file("db07_dk_nace/db07_dksic.tsv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    return [(next(c for c in reversed(r[2:7]) if c), r[8]) for r in rows[1:] if any(r[2:7])]


def _isco_rows() -> list[tuple[str, str]]:
    text = data_file("esco/ISCOGroups_en.csv").read_text(encoding="utf-8")
    return [(r["code"], r["preferredLabel"]) for r in csv.DictReader(io.StringIO(text))]


def _csv(rows: list[tuple[str, str]], header: tuple[str, str] = ("code", "title")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


# --- options are checked ----------------------------------------------------------------------------


def test_a_mistyped_option_is_an_error_that_suggests_the_right_one() -> None:
    with pytest.raises(InvalidContent) as info:
        read(b"code,title\n1,a\n", "x.csv", {"code": "code", "title": "title"}, hierarchi="pattern")
    message = str(info.value)
    assert "'hierarchi'" in message and "did you mean 'hierarchy'" in message
    assert "delimiter" in message and "level_names" in message  # the known ones are named


def test_a_mistyped_role_suggests_the_right_one() -> None:
    with pytest.raises(InvalidContent, match="did you mean 'parent'"):
        read(b"code,up\n1,\n", "x.csv", {"code": "code", "parnet": "up"})


def test_every_option_and_role_is_documented_with_an_example() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for entry in (*OPTIONS, *ROLES):
        assert f"`{entry.name}`" in text, f"{entry.name} is not in docs/formats.md"
        assert entry.example in text, f"the example {entry.example!r} is not in docs/formats.md"


# --- warnings say what was decided --------------------------------------------------------------------


def test_a_flat_result_from_hierarchical_codes_warns_and_names_the_options() -> None:
    data = data_file("esco/ISCOGroups_en.csv").read_bytes()
    bundle = read(data, "groups.csv", {"code": "code", "title_en": "preferredLabel"})
    assert Counter(i.level for i in bundle.items) == {1: 619}
    [warning] = [w for w in bundle.warnings if "hierarchical" in w]
    assert "all 619 codes" in warning
    assert "hierarchy=pattern" in warning and "hierarchy=order" in warning and "parent=" in warning
    quiet = read(data, "groups.csv", {"code": "code", "title_en": "preferredLabel"}, hierarchy="flat")
    assert not any("hierarchical" in w for w in quiet.warnings)


def test_a_flat_list_of_unrelated_codes_gives_no_warning() -> None:
    bundle = read(b"code,title\nAA,a\nBB,b\nCC,c\nDD,d\n", "x.csv", {"code": "code", "title_en": "title"})
    assert bundle.warnings == ()
    numbered = "code,title\n" + "".join(f"{n},Item {n}\n" for n in range(1, 40))  # 12 under 1 by prefix
    assert read(numbered.encode(), "x.csv", {"code": "code", "title_en": "title"}).warnings == ()


def test_rows_with_an_empty_code_are_skipped_and_counted() -> None:
    data = b"code,title\n1,One\n,a heading without a code\n2,Two\n,another\n"
    bundle = read(data, "x.csv", {"code": "code", "title_en": "title"})
    assert [i.code for i in bundle.items] == ["1", "2"]
    assert any("skipped 2 row(s) with an empty code (line 3, 5)" in w for w in bundle.warnings)


def test_no_row_with_a_code_is_an_error() -> None:
    with pytest.raises(InvalidContent, match="no row has a code"):
        read(b"code,title\n,a\n", "x.csv", {"code": "code", "title": "title"})


# --- the language of a plain title column -------------------------------------------------------------


def test_an_english_title_column_is_detected_and_said() -> None:
    data = data_file("esco/ISCOGroups_en.csv").read_bytes()
    bundle = read(data, "groups.csv", {"code": "code", "title": "preferredLabel"}, hierarchy="pattern")
    item = {i.code: i for i in bundle.items}["2111"]
    assert item.titles == {"en": "Physicists and astronomers"}
    assert any("read as English (en)" in w and "lang=" in w for w in bundle.warnings)


def test_a_danish_title_column_is_detected() -> None:
    data = data_file("db07_dk_nace/db07_dksic.tsv").read_bytes()
    bundle = read(data, "db07.tsv", {"code": "DB07", "title": "Tekst"}, hierarchy="pattern")
    assert all(set(i.titles) <= {"da"} for i in bundle.items)
    assert any("read as Danish (da)" in w for w in bundle.warnings)


def test_the_lang_option_and_the_column_name_decide() -> None:
    given = read(b"code,title\n1,Et\n", "x.csv", {"code": "code", "title": "title"}, lang="nb")
    assert given.items[0].titles == {"nb": "Et"} and not any("read as" in w for w in given.warnings)
    named = read(b"code,Title (en)\n1,One\n", "x.csv", {"code": "code", "title": "Title (en)"})
    assert named.items[0].titles == {"en": "One"} and any("as its name says" in w for w in named.warnings)


def test_the_other_columns_name_the_language_when_the_words_cannot() -> None:
    data = b"code,label,description_en\n1,Gizmo,x\n2,Widget,y\n"
    bundle = read(data, "x.csv", {"code": "code", "title": "label"})
    assert bundle.items[0].titles == {"en": "Gizmo"}
    assert any("other columns" in w for w in bundle.warnings)


def test_an_undecidable_title_column_is_read_as_danish_and_said_so() -> None:
    bundle = read(b"code,label\n1,Gizmo\n", "x.csv", {"code": "code", "title": "label"})
    assert bundle.items[0].titles == {"da": "Gizmo"}
    assert any("could not be told" in w and "Danish (da)" in w for w in bundle.warnings)


# --- hierarchies ----------------------------------------------------------------------------------------


def test_file_order_puts_divisions_under_their_section_as_in_the_db07_file() -> None:
    rows = _db07_rows()
    by_order = read(_csv(rows), "nace.csv", {"code": "code", "title_da": "title"}, hierarchy="order")
    preset = read(data_file("db07_dk_nace/db07_dksic.tsv").read_bytes(), "db07_dksic.tsv")
    assert len(by_order.items) == len(preset.items) == 1740
    expected = {i.code: i.parent for i in preset.items}
    got = {i.code: i.parent for i in by_order.items}
    # the preset puts 99.99.99 at the top (its level columns name section X, which is not listed);
    # by code prefix it sits under division 99
    assert {c for c in got if got[c] != expected[c]} == {"99.99.99"} and got["99.99.99"] == "99"
    assert got["01"] == "A" and got["05"] == "B" and got["01.11.00"] == "01.11"
    assert Counter(i.level for i in by_order.items) == {1: 21, 2: 88, 3: 273, 4: 618, 5: 740}
    assert check_items(by_order.items) == []


def test_range_codes_are_parents_of_the_codes_they_span() -> None:
    data = (
        b"code,title\n31,Food\n311-312,Food manufacturing\n311,Meat\n3111,Slaughtering\n"
        b"312,Other food\n313,Drinks\n"
    )
    bundle = read(data, "isic2.csv", {"code": "code", "title_en": "title"}, hierarchy="pattern")
    parents = {i.code: i.parent for i in bundle.items}
    assert parents == {
        "31": None,
        "311-312": "31",
        "311": "311-312",
        "3111": "311",
        "312": "311-312",
        "313": "31",
    }
    assert {i.code: i.level for i in bundle.items}["3111"] == 4


def test_level_names_name_the_levels_in_the_title_language() -> None:
    data = data_file("esco/ISCOGroups_en.csv").read_bytes()
    bundle = read(
        data,
        "groups.csv",
        {"code": "code", "title": "preferredLabel"},
        hierarchy="pattern",
        level_names="Major group,Sub-major group,Minor group,Unit group",
    )
    assert [(lv.number, lv.titles) for lv in bundle.levels][-1] == (4, {"en": "Unit group"})
    with pytest.raises(InvalidContent, match="empty name"):
        read(data, "groups.csv", {"code": "code", "title": "preferredLabel"}, level_names="A,,C")


# --- text shapes ------------------------------------------------------------------------------------------


def test_fixed_width_text_gives_the_same_items_as_the_csv() -> None:
    rows = _isco_rows()
    text = "".join(f"{code:<6}{title}\n" for code, title in rows)
    fixed = read(
        text.encode(),
        "isco.txt",
        {"code": "col1", "title_en": "col2"},
        widths="6,*",
        header="no",
        hierarchy="pattern",
    )
    from_csv = read(_csv(rows), "isco.csv", {"code": "code", "title_en": "title"}, hierarchy="pattern")
    assert fixed.items == from_csv.items and len(fixed.items) == 619


def test_fixed_width_with_a_header_and_a_line_too_long() -> None:
    data = b"kode  navn\n01    Et\n011   Et-et\n"
    bundle = read(data, "x.txt", {"code": "kode", "title_da": "navn"}, widths="6,10", hierarchy="pattern")
    assert {i.code: i.parent for i in bundle.items} == {"01": None, "011": "01"}
    with pytest.raises(MalformedInput, match="line 3"):
        read(b"kode  navn\n01    Et\n011   Et-et er alt for lang\n", "x.txt", {"code": "kode"}, widths="6,10")
    with pytest.raises(MalformedInput, match="widths"):
        read(data, "x.txt", {"code": "kode"}, widths="6,x")


def test_a_headerless_real_file_names_its_columns_col1_col2() -> None:
    path = data_file("skos_stw_thesaurus/stw-en.tsv")
    bundle = read(
        path.read_bytes(), path.name, {"code": "col1", "title": "col2"}, header="no", hierarchy="flat"
    )
    assert len(bundle.items) == 6243
    assert all(set(i.titles) == {"en"} for i in bundle.items)
    with pytest.raises(MalformedInput, match="header must be yes or no"):
        read(path.read_bytes(), path.name, {"code": "col1"}, header="maybe")


def test_several_label_columns_are_joined() -> None:
    data = b"code;name;extra\n1;Wheat;(durum)\n2;Rice;\n"
    bundle = read(data, "x.csv", {"code": "code", "title_en": "name+extra"})
    assert [i.title("en") for i in bundle.items] == ["Wheat (durum)", "Rice"]
    dashed = read(data, "x.csv", {"code": "code", "title_en": "name+extra"}, join_with=" - ")
    assert dashed.items[0].title("en") == "Wheat - (durum)"


# --- codes stored as numbers in a spreadsheet -----------------------------------------------------------


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_numbers_are_padded_to_the_width_of_the_text_codes() -> None:
    data = _xlsx([["code", "title"], ["0110", "Text cell"], [111, "Number cell"], [1120, "Long number"]])
    bundle = read(data, "x.xlsx", {"code": "code", "title_en": "title"})
    assert [i.code for i in bundle.items] == ["0110", "0111", "1120"]
    assert any("padded with zeros to 4 digits" in w and "'111' → '0111'" in w for w in bundle.warnings)


def test_numbers_of_several_lengths_are_refused_with_the_row_unless_told() -> None:
    # the real NACE→ISIC workbook stores ISIC 011 and 0111 as the numbers 11 and 111
    data = _xlsx([["code", "title"], [1, "Division"], [11, "Group"], [111, "Class"]])
    with pytest.raises(InvalidContent) as info:
        read(data, "x.xlsx", {"code": "code", "title_en": "title"})
    message = str(info.value)
    assert "row 2" in message and "code_width" in message and "'1'" in message
    kept = read(data, "x.xlsx", {"code": "code", "title_en": "title"}, code_width="keep")
    assert [i.code for i in kept.items] == ["1", "11", "111"]
    padded = read(data, "x.xlsx", {"code": "code", "title_en": "title"}, code_width="4")
    assert [i.code for i in padded.items] == ["0001", "0011", "0111"]


def test_the_cli_help_lists_the_options_and_roles() -> None:
    from typer.testing import CliRunner

    from kodeks.cli.main import app

    result = CliRunner().invoke(app, ["import", "--help"], terminal_width=400)
    text = re.sub(r"\s+", " ", result.output)
    for name in (
        "delimiter",
        "skip_rows",
        "widths",
        "level_names",
        "code_width",
        "title_<lang>",
        "property.<name>",
    ):
        assert name in text


def test_kodeks_import_prints_the_warnings_and_refuses_a_mistyped_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kodeks.cli.main import run

    path = data_file("esco/ISCOGroups_en.csv")
    db = f"sqlite:///{tmp_path / 'k.sqlite'}"
    args = ["import", str(path), "--classification", "isco", "--release-date", "2008-01-01", "--db", db]
    mapping = ["--map", "code=code", "--map", "title=preferredLabel"]
    assert run([*args, *mapping, "--option", "hierarchi=pattern"]) == 4
    assert "did you mean 'hierarchy'" in " ".join(capsys.readouterr().err.split())  # rich wraps lines
    assert run([*args, *mapping]) == 0
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert "619 items" in captured.out
    assert "read as English (en)" in err and "hierarchy=pattern" in err


def test_a_legacy_xls_workbook_is_read_with_its_sheet_rows() -> None:
    from kodeks.formats.table import read_any

    path = data_file("correspondences/ilo_corrtab88-08.xls")
    data = path.read_bytes()
    assert TABULAR.sniff(data[:4096], path.name) == 10
    table = read_any(data, path.name)
    assert table.header[:3] == ("ISCO-88 Title EN", "ISCO-88 code", "ISCO 08 Code") and len(table.rows) == 671
    first, last = table.rows[0], table.rows[-1]
    assert first.cells[1:3] == ("1110", "1111") and first.numbers == frozenset({1, 2})
    assert last.cells[1:3] == ("0110", "0310") and last.numbers == frozenset()  # stored as text
    # ILO's table lists an ISCO-88 code once per ISCO-08 counterpart: as a code list that is a duplicate
    with pytest.raises(InvalidContent) as info:
        read(data, path.name, {"code": "ISCO-88 code", "title": "ISCO-88 Title EN"})
    assert "sheet 'Sheet1' row 10: duplicate code '1221' (also on sheet 'Sheet1' row 9" in str(info.value)
