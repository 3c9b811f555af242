"""Correspondence tables in any layout (``--map``), as CSV, XLSX and XLS, checked against the registry."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.domain.local.correspondence import Mapping
from kodeks.errors import InvalidContent, InvalidRequest
from kodeks.formats import correspondence_csv
from kodeks.formats.base import ImportOptions
from kodeks.formats.correspondence_table import mapped_reader, parse_pairs
from kodeks.formats.tabular import TabularImporter
from tests.conftest import data_file
from tests.factories import record

ILO_MAP = {
    "source": "ISCO-88 code",
    "target": "ISCO 08 Code",
    "partial": "ISCO-08 part",
    "note": "Comments",
}


def _pairs(mappings: tuple[Mapping, ...]) -> list[tuple[str, str | None, bool]]:
    return [(m.source, m.target, m.partial) for m in mappings]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- readers -----------------------------------------------------------------------------------------------


def test_the_ilo_workbook_gives_the_same_mappings_as_the_csv() -> None:
    xls = data_file("correspondences/ilo_corrtab88-08.xls")
    data = xls.read_bytes()
    assert correspondence_csv.detect(data, xls.name) == "isco88-isco08-xls"
    from_xls = correspondence_csv.reader("isco88-isco08-xls")(data, xls.name)
    csv_path = data_file("correspondences/ilo_isco88_isco08_correspondence.csv")
    from_csv = correspondence_csv.reader("isco88-isco08")(csv_path.read_bytes(), csv_path.name)
    assert len(from_xls.mappings) == 671
    assert _pairs(from_xls.mappings) == _pairs(from_csv.mappings)
    # the workbook stores 0110 as text and 1110 as a number: nothing lost, nothing padded
    assert ("0110", "0110", False) in _pairs(from_xls.mappings)
    assert (from_xls.source, from_xls.target) == ("isco-88", "isco-08")


def test_the_ilo_workbook_with_an_explicit_map() -> None:
    path = data_file("correspondences/ilo_corrtab88-08.xls")
    parsed = mapped_reader(ILO_MAP, {"sheet": "Sheet1"})(path.read_bytes(), path.name)
    assert len(parsed.mappings) == 671 and sum(m.partial for m in parsed.mappings) > 100
    note = next(m.note for m in parsed.mappings if (m.source, m.target) == ("1226", "1330"))
    assert note == "Telecommunications department managers"


def test_the_eurostat_workbook_is_refused_where_excel_turned_a_code_into_a_time() -> None:
    xlsx = data_file("correspondences/nace2_isic4_normative.xlsx")
    assert correspondence_csv.detect(xlsx.read_bytes(), xlsx.name) == "nace-isic"
    with pytest.raises(InvalidContent) as info:
        correspondence_csv.reader("nace-isic")(xlsx.read_bytes(), xlsx.name)
    message = str(info.value)  # the TSV of the same table has 02.00 there
    assert "sheet 'Sheet 1' row 44" in message and "date or time" in message and "02.00" in message


def test_a_workbook_of_the_nace_isic_layout_gives_the_same_mappings_as_the_tsv() -> None:
    tsv = data_file("correspondences/nace2_isic4_normative.tsv")
    from_tsv = correspondence_csv.reader("nace-isic")(tsv.read_bytes(), tsv.name)
    rows = [["NACE REV. 2 - ISIC REV. 4"], ["formatted_nace", "ISIC", "Sub", "NACE"], ["Source", "Target"]]
    # the ISIC codes as numbers, as Eurostat's workbook stores them
    rows += [
        [m.source, int(m.target) if m.target and m.target.isdigit() else m.target] for m in from_tsv.mappings
    ]
    from_xlsx = correspondence_csv.reader("nace-isic")(_xlsx(rows), "nace2isic.xlsx")
    assert len(from_xlsx.mappings) == 996 and from_xlsx.mappings == from_tsv.mappings
    assert any("stored as numbers" in w for w in from_xlsx.warnings)


def _un_layout(delimiter: str = ";") -> bytes:
    """The real NACE → ISIC rows in the UN's layout: other column names, a partial flag column, a note."""
    rows = correspondence_csv.reader("nace-isic")(
        data_file("correspondences/nace2_isic4_normative.tsv").read_bytes(), "nace2isic.tsv"
    ).mappings
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["NACE2code", "partialNACE2", "ISIC4code", "partialISIC4", "Detail"])
    for n, m in enumerate(rows[:40]):
        writer.writerow(
            [m.source, "0", m.target, "1" if n % 3 == 0 else "0", f"row {n}" if n % 5 == 0 else ""]
        )
    return out.getvalue().encode("cp1252")


def test_a_table_in_another_layout_imports_with_a_map_as_csv_and_xlsx() -> None:
    mapping = parse_pairs(["source=NACE2code,target=ISIC4code,partial=partialISIC4", "note=Detail"], "--map")
    as_csv = mapped_reader(mapping, {"delimiter": "semicolon", "encoding": "cp1252"})(_un_layout(), "un.csv")
    assert len(as_csv.mappings) == 40
    assert as_csv.mappings[0] == Mapping("A", "A", True, "row 0")
    assert sum(m.partial for m in as_csv.mappings) == 14
    text = _un_layout(",").decode("cp1252")
    sheet = _xlsx([row for row in csv.reader(io.StringIO(text))])
    as_xlsx = mapped_reader(mapping)(sheet, "un.xlsx")
    assert as_xlsx.mappings == as_csv.mappings


def test_empty_sides_bad_partial_and_unknown_names() -> None:
    data = b"from;to;p\n01;A1;\n02;;\n;B2;\n03;C3;maybe\n"
    read = mapped_reader({"source": "from", "target": "to", "partial": "p"}, {"delimiter": ";"})
    with pytest.raises(InvalidContent, match="line 5") as info:
        read(data, "x.csv")
    assert "maybe" in str(info.value)
    parsed = read(data.replace(b"maybe", b"p"), "x.csv")
    assert _pairs(parsed.mappings) == [("01", "A1", False), ("02", None, False), ("03", "C3", True)]
    assert any("skipped 1 row(s) with an empty source code (line 4)" in w for w in parsed.warnings)
    with pytest.raises(InvalidRequest, match="did you mean 'target'"):
        mapped_reader({"source": "from", "traget": "to"})
    with pytest.raises(InvalidRequest, match="did you mean 'delimiter'"):
        mapped_reader({"source": "from", "target": "to"}, {"delimeter": ";"})
    with pytest.raises(InvalidContent, match="'From'"):
        mapped_reader({"source": "From", "target": "to"}, {"delimiter": ";"})(data, "x.csv")


# --- import: duplicates and validation against the registry ---------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kodeks.sqlite'}"
    path = data_file("esco/ISCOGroups_en.csv")
    [bundle] = TabularImporter().read(path.read_bytes(), path.name, ImportOptions())
    bundle = replace(bundle, release_date=date(2008, 1, 1))
    record(build(Settings(database_url=url)), bundle)  # ISCO-08 as "isco08", 619 groups
    return url


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_codes_are_checked_against_the_registered_classifications(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_file("correspondences/ilo_corrtab88-08.xls")
    base = ["local", "correspondence", "import", str(path), "--owner", "ilo", "--db", db]
    sides = ["--source", "isco88", "--target", "isco08", "--valid-from", "2012-01-01"]
    code, out, err = cli(capsys, *base, "--id", "isco-88-08", *sides)
    assert code == 0 and "671 mappings" in out
    assert "'isco88' is not registered" in err and "isco08" not in err.replace("'isco88'", "")
    # a target code ISCO-08 does not have
    broken = tmp_path / "broken.csv"
    broken.write_text("isco88;isco08;note\n1110;1111;a\n1110;9999;b\n1120;1112;one\n1120;1112;two\n")
    mapped = ["--map", "source=isco88,target=isco08,note=note", "--option", "delimiter=semicolon"]
    code, out, err = cli(
        capsys, "local", "correspondence", "import", str(broken), "--owner", "ilo", "--db", db,
        "--id", "broken", *sides, *mapped,
    )  # fmt: skip
    assert code == 0 and "1 target code(s) are not codes of isco08 on 2012-01-01: '9999'" in err
    assert "1 duplicate line(s) merged" in out
    code, _, err = cli(capsys, "local", "correspondence", "map", "broken", "1120", "--db", db)
    code, out, _ = cli(capsys, "local", "correspondence", "export", "broken", "--format", "csv", "--db", db)
    assert code == 0 and "one | two" in out
    code, _, err = cli(
        capsys, "local", "correspondence", "import", str(broken), "--owner", "ilo", "--db", db,
        "--id", "broken2", *sides, *mapped, "--unknown-codes", "error",
    )  # fmt: skip
    assert code == 4 and "'9999'" in err
    code, _, err = cli(capsys, *base, "--id", "x", *sides, "--option", "sheet=Sheet1")
    assert code == 5 and "--option goes with --map" in err
