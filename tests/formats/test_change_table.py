"""Published change tables: successor links, additions and deletions between two releases."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.errors import InvalidContent
from kodeks.formats.base import ImportOptions
from kodeks.formats.change_table import as_mappings, kind_of_text, read_change_table
from kodeks.formats.kle_xml import KleXmlImporter
from kodeks.formats.tabular import TabularImporter
from tests.conftest import data_file
from tests.factories import record

NUTS = """Code 2016;Code 2021;Change;Remark
DE915;DE91C;merged;Göttingen
DE919;DE91C;merged;Göttingen
FRB01;FRB01;label change;Cher
FR101;;discontinued;
;FRY50;new;Mayotte
UKC11;UKC11;;
PL12;PL91;split;
PL12;PL92;split;
;;;a remark without codes
"""


def _nuts() -> bytes:
    return NUTS.encode()


def test_a_change_table_gives_links_additions_and_deletions() -> None:
    table = read_change_table(
        _nuts(),
        "nuts.csv",
        {"old": "Code 2016", "new": "Code 2021", "change": "Change", "note": "Remark"},
        {"delimiter": "semicolon"},
    )
    assert table.successors() == {
        "DE915": ("DE91C",),
        "DE919": ("DE91C",),
        "FRB01": ("FRB01",),
        "UKC11": ("UKC11",),
        "PL12": ("PL91", "PL92"),
    }
    assert table.added() == ("FRY50",) and table.deleted() == ("FR101",)
    kinds = {(c.old, c.new): c.kind for c in table.changes}
    assert kinds[("DE915", "DE91C")] == "merged" and kinds[("PL12", "PL92")] == "split"
    assert kinds[("FRB01", "FRB01")] == "renamed" and kinds[("UKC11", "UKC11")] == "renamed"
    assert table.counts() == {"merged": 2, "renamed": 2, "deleted": 1, "added": 1, "split": 2}
    assert any("skipped 1 row(s) with neither" in w for w in table.warnings)
    assert next(c for c in table.changes if c.new == "FRY50").note == "Mayotte"


def test_the_kind_comes_from_the_rows_when_the_table_has_no_change_column() -> None:
    data = b"old,new\n1,2\n3,4\n3,5\n6,7\n8,7\n9,\n,10\n"
    table = read_change_table(data, "x.csv", {"old": "old", "new": "new"})
    assert [c.kind for c in table.changes] == [
        "replaced",
        "split",
        "split",
        "merged",
        "merged",
        "deleted",
        "added",
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Udgået", "deleted"),
        ("Flyttet til 02.05", "replaced"),
        ("Opdelt", "split"),
        ("Sammenlægning", "merged"),
        ("Name change", "renamed"),
        ("Boundary change", "replaced"),
        ("aufgeteilt", "split"),
        ("?", None),
    ],
)
def test_change_words_in_several_languages(text: str, kind: str | None) -> None:
    assert kind_of_text(text) == kind


def test_bad_tables_name_the_problem() -> None:
    with pytest.raises(InvalidContent, match="did you mean 'new'"):
        read_change_table(b"a,b\n1,2\n", "x.csv", {"old": "a", "nwe": "b"})
    with pytest.raises(InvalidContent, match="'Old'"):
        read_change_table(b"a,b\n1,2\n", "x.csv", {"old": "Old", "new": "b"})
    with pytest.raises(InvalidContent, match="no changes"):
        read_change_table(b"a,b\n,\n", "x.csv", {"old": "a", "new": "b"})


def _kle_2014_changes() -> tuple[bytes, dict[str, tuple[str, ...]], set[str], set[str]]:
    """KL's 2014 changes as a change table, derived from the real KLE XML (moved, discontinued, created)."""
    path = data_file("kle/kle_emneplan_2015-08-01.xml")
    [bundle, *_] = KleXmlImporter().read(path.read_bytes(), path.name, ImportOptions())
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Gammelt nummer", "Nyt nummer", "Ændring"])
    moved: dict[str, tuple[str, ...]] = {}
    gone, new = set(), set()
    for item in bundle.items:
        if item.valid.end and item.valid.end.year == 2014:
            if item.replaced_by:
                moved[item.code] = item.replaced_by
                writer.writerows([item.code, r, "Flyttet"] for r in item.replaced_by)
            else:
                gone.add(item.code)
                writer.writerow([item.code, "", "Udgået"])
        if item.valid.start and item.valid.start.year == 2014:
            new.add(item.code)
            writer.writerow(["", item.code, "Ny"])
    return out.getvalue().encode("utf-8"), moved, gone, new


def test_a_change_table_derived_from_the_real_kle_xml() -> None:
    data, moved, gone, new = _kle_2014_changes()
    table = read_change_table(
        data, "kle-2014.csv", {"old": "Gammelt nummer", "new": "Nyt nummer", "change": "Ændring"}
    )
    assert table.successors() == moved and len(moved) == 10
    assert set(table.deleted()) == gone and len(gone) == 38
    assert set(table.added()) == new and len(new) == 50
    parsed = as_mappings(table, "kle", "2013", "2014")
    assert len(parsed.mappings) == sum(map(len, moved.values())) + len(gone)
    assert (parsed.source_version, parsed.target_version) == ("2013", "2014")
    assert any("50 code(s) are new in 2014" in w for w in parsed.warnings)


# --- the CLI verb: recorded as a correspondence between the two releases ------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kodeks.sqlite'}"
    kodeks = build(Settings(database_url=url))
    options = ImportOptions(mapping={"code": "code", "title_en": "title"}, options={"hierarchy": "flat"})
    old = (
        b"code,title\nDE915,Goettingen\nDE919,Osterode\nFRB01,Cher\nFR101,Paris\nPL12,Mazowieckie\n"
        b"UKC11,Hartlepool\n"
    )
    new = (
        b"code,title\nDE91C,Goettingen\nFRB01,Cher\nFRY50,Mayotte\nPL91,Warszawski\nPL92,Mazowiecki\n"
        b"UKC11,Hartlepool\n"
    )
    for label, day, data in (("2016", date(2018, 1, 1), old), ("2021", date(2021, 1, 1), new)):
        [bundle] = TabularImporter().read(data, "nuts.csv", replace(options, classification="nuts"))
        record(kodeks, replace(bundle, release_label=label, release_date=day))
    return url


def test_import_changes_records_links_between_two_releases(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nuts-changes.csv"
    path.write_bytes(_nuts())
    args = [
        "local", "correspondence", "import-changes", str(path), "--classification", "nuts",
        "--from-release", "2016", "--to-release", "2021", "--owner", "eurostat", "--db", db,
        "--map", "old=Code 2016,new=Code 2021,change=Change,note=Remark", "--option", "delimiter=semicolon",
    ]  # fmt: skip
    code = run(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "imported nuts-changes-2016-2021: 8 changes" in out and "7 links" in out
    assert "1 code(s) are new in 2021" in err and "not codes of" not in err
    assert run(["local", "correspondence", "map", "nuts-changes-2016-2021", "PL12", "--db", db]) == 0
    mapped = capsys.readouterr().out
    assert "PL91" in mapped and "PL92" in mapped
    # an old code the earlier release does not have
    path.write_bytes(_nuts().replace(b"DE915;", b"DE999;"))
    assert run([*args, "--id", "bad", "--unknown-codes", "error"]) == 4
    assert "'DE999'" in capsys.readouterr().err
    assert run([*args[:8], "--to-release", "2024", *args[10:]]) == 5
    assert "no release '2024'" in capsys.readouterr().err
