"""Landscape readers and writers: the real SYS-AP examples, the sheet, KITOS-shaped JSON, round trips
and hostile input (each refused on one line, never a crash)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from kodeks.domain.landscape.model import (
    Contract,
    Scope,
    Solution,
    Status,
    TaskRef,
    TaskScheme,
    Use,
    task_ref,
)
from kodeks.domain.period import Period
from kodeks.errors import ImportError_, InputTooLarge, MalformedInput
from kodeks.formats import landscape as formats
from kodeks.formats.landscape import sheet, sysap
from tests.conftest import data_file

EXAMPLE = "sysap/SYS-AP-ExampleDataGraph.ttl"
ARCHIVES = "sysap/NationalArchivesExampleDataGraph.ttl"


def small_landscape() -> tuple[list[Solution], list[Use]]:
    solutions = [
        Solution(
            "sbsys",
            "SBSYS",
            Scope.CROSS,
            category="ESDH",
            supplier="Fujitsu",
            description="Sags- og dokumenthåndtering",
            purposes=(task_ref("85.02.10"), task_ref("FORM 65.50.05")),
            contracts=(
                Contract("K-1", "Fujitsu", "maintenance contract", date(2020, 1, 1), date(2026, 6, 30)),
            ),
            predecessor="acadre",
            provides=("https://example.com/dataset/journal",),
        ),
        Solution("acadre", "Acadre", Scope.LOCAL, supplier="Formpipe", alt_names=("Acadre CM",)),
    ]
    uses = [
        Use("acadre", "751", Status.ADOPTED, Period(date(2010, 1, 1), date(2019, 1, 1))),
        Use("acadre", "751", Status.PHASED_OUT, Period(date(2019, 1, 1), None)),
        Use("sbsys", "751", Status.ADOPTED, Period(date(2019, 1, 1), None), (task_ref("85.02.10"),)),
        Use("sbsys", "101", Status.PLANNED, Period(date(2027, 1, 1), None)),
    ]
    return solutions, uses


def test_the_national_archives_example_reads_as_one_solution() -> None:
    path = data_file(ARCHIVES)
    bundle = formats.read(path.read_bytes(), path.name)
    [acadre] = bundle.solutions
    assert (acadre.id, acadre.name, acadre.alt_names) == ("acadre", "Acadre", ("Acadre CM",))
    assert acadre.purposes == (TaskRef(TaskScheme.FORM, "65.50.05"), TaskRef(TaskScheme.KLE, "85.02.10"))
    assert acadre.in_use_from == date(2019, 1, 1)
    assert "https://example.com/thing-2" in acadre.provides  # dct:hasPart data set
    assert "https://example.com/thing-4" in acadre.provides  # produced by its instance
    assert bundle.uses == [] and bundle.problems == []


def test_the_sys_ap_example_is_refused_at_its_syntax_error() -> None:
    """The profile's own example ends thing-2's description with ';' instead of '.' (line 31), so it
    is not Turtle: the reader says where, and nothing else."""
    path = data_file(EXAMPLE)
    with pytest.raises(MalformedInput, match="line 33, column 3"):
        formats.read(path.read_bytes(), path.name)


def repaired_example() -> bytes:
    text = data_file(EXAMPLE).read_text(encoding="utf-8")
    fixed = text.replace('"Journalsager fra kommune x"@da ;\n', '"Journalsager fra kommune x"@da .\n')
    assert fixed != text
    return fixed.encode()


@pytest.mark.parametrize("syntax", ["turtle", "rdfxml", "jsonld"])
def test_sysap_round_trip_of_the_real_examples(syntax: str) -> None:
    for data, name in (
        (repaired_example(), "example.ttl"),
        (data_file(ARCHIVES).read_bytes(), "archives.ttl"),
    ):
        first = formats.read(data, name)
        written = sysap.write(first.solutions, first.uses, "https://kodeks.example", syntax)
        again = formats.read(
            written, "again." + {"turtle": "ttl", "rdfxml": "rdf", "jsonld": "jsonld"}[syntax]
        )
        assert again.solutions == first.solutions
        assert again.uses == first.uses


@pytest.mark.parametrize("name", ["sysap-ttl", "sysap-rdfxml", "sysap-jsonld", "csv", "xlsx"])
def test_every_writer_round_trips_the_landscape(name: str) -> None:
    solutions, uses = small_landscape()
    writer = formats.writer(name)
    data = writer.write(solutions, uses, "https://kodeks.example")
    assert data == writer.write(solutions, uses, "https://kodeks.example"), "output is stable"
    back = formats.read(data, "landskab" + writer.suffix)
    by_id = {s.id: s for s in back.solutions}
    assert sorted(map(repr, back.uses)) == sorted(map(repr, uses))
    if name.startswith("sysap"):
        assert by_id["sbsys"] == replace_uri(solutions[0], by_id["sbsys"].uri)
    else:  # the sheet keeps one contract without start/kind, no data sets
        sb = by_id["sbsys"]
        assert (sb.name, sb.scope, sb.supplier, sb.category, sb.purposes, sb.predecessor) == (
            "SBSYS",
            Scope.CROSS,
            "Fujitsu",
            "ESDH",
            solutions[0].purposes,
            "acadre",
        )
        assert sb.contracts[0].end == date(2026, 6, 30)


def replace_uri(s: Solution, uri: str | None) -> Solution:
    from dataclasses import replace

    return replace(s, uri=uri)


def test_sheet_rows_read_danish_headers_dates_and_tasks() -> None:
    csv_text = (
        "Kommunekode;System;Status;Fra;Til;KLE;Type;Leverandør\n"
        "0751;Kommunernes Ydelsessystem;I drift;2019-04-01;;32.18.00, 32.18.02;fælleskommunal;Netcompany\n"
        "Aarhus;Kommunernes Ydelsessystem;planlagt;01-01-2018;2019-04-01;;;\n"
    )
    bundle = formats.read(csv_text.encode(), "landskab.csv")
    assert bundle.problems == []
    [ky] = bundle.solutions
    assert (ky.id, ky.scope, ky.supplier) == ("kommunernes-ydelsessystem", Scope.COMMON, "Netcompany")
    assert [(u.municipality, u.status, str(u.valid)) for u in bundle.uses] == [
        ("751", Status.ADOPTED, "[2019-04-01, ∞)"),
        ("751", Status.PLANNED, "[2018-01-01, 2019-04-01)"),
    ]
    assert bundle.uses[0].purposes == (task_ref("32.18.00"), task_ref("32.18.02"))


def test_sheet_problems_are_collected_per_row() -> None:
    csv_text = "kommunekode,system,fra,leverandør\n999,X,2020-01-01,A\n751,X,2020-13-01,A\n751,X,,B\n"
    bundle = formats.read(csv_text.encode(), "bad.csv")
    messages = [str(p) for p in bundle.problems]
    assert any("line 2" in m and "'999' is not a Danish municipality" in m for m in messages)
    assert any("line 3" in m and "month must be in 1..12" in m for m in messages)
    assert any("line 4" in m and "supplier of x is 'B'" in m for m in messages)


def test_kitos_shaped_json_maps_systems_usages_and_kle() -> None:
    doc = {
        "itSystems": [
            {
                "uuid": "9F1C0E3A-0000-4000-8000-000000000001",
                "name": "Fasit",
                "rightsHolder": {"name": "Schultz"},
                "businessType": {"name": "Beskæftigelse"},
                "scope": "Global",
                "kle": [{"kleNumber": "15.00.00"}, "15.01.00"],
            }
        ],
        "itSystemUsages": [
            {
                "systemContext": {"uuid": "9F1C0E3A-0000-4000-8000-000000000001", "name": "Fasit"},
                "organizationContext": {"name": "Odense Kommune"},
                "general": {
                    "validity": {"validFrom": "2016-01-01T00:00:00Z", "validTo": None},
                    "lifeCycleStatus": "Operational",
                },
                "kle": {"addedKLE": [{"kleNumber": "15.02.00"}], "removedKLE": ["15.00.00"]},
            }
        ],
    }
    bundle = formats.read(json.dumps(doc).encode(), "kitos.json")
    [fasit] = bundle.solutions
    assert (fasit.id, fasit.scope, fasit.supplier, fasit.category) == (
        "kitos-9f1c0e3a-0000-4000-8000-000000000001",
        Scope.CROSS,
        "Schultz",
        "Beskæftigelse",
    )
    [u] = bundle.uses
    assert (u.municipality, u.status, u.valid.start) == ("461", Status.ADOPTED, date(2016, 1, 1))
    assert u.purposes == (task_ref("15.01.00"), task_ref("15.02.00"))


@pytest.mark.parametrize(
    ("data", "name", "fmt"),
    [
        (b"", "empty.ttl", None),
        (b"@prefix x: <http://x/> . x:a x:b", "truncated.ttl", None),
        (b"\xff\xfe@prefix", "utf16.ttl", None),
        (b"@prefix x: <http://x/> . x:a x:b x:c .", "no-systems.ttl", None),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&b;</rdf:RDF>',
            "bomb.rdf",
            None,
        ),
        (b"[" * 100_000 + b"]" * 100_000, "deep.json", "kitos"),
        (b'{"itSystemUsages": 5}', "shape.json", "kitos"),
        (b"PK\x03\x04not really a zip", "broken.xlsx", None),
        (b'kommunekode,system\n751,"unterminated\n', "quote.csv", None),
        (b"anything", "x.bin", "nonsense"),
    ],
)
def test_hostile_and_malformed_inputs_are_refused_on_one_line(
    data: bytes, name: str, fmt: str | None
) -> None:
    with pytest.raises(ImportError_) as caught:
        bundle = formats.read(data, name, fmt)
        if bundle.problems:  # row problems are refused by the import service
            raise MalformedInput(str(bundle.problems[0]))
    assert "\n" not in str(caught.value) and caught.value.source in (name, None)


def test_oversized_input_is_refused_before_parsing() -> None:
    with pytest.raises(InputTooLarge):
        formats.read(b" " * (formats.MAX_BYTES + 1), "big.ttl")


def test_sheet_cells_that_would_be_formulas_are_written_as_text() -> None:
    solutions = [Solution("evil", '=HYPERLINK("http://x","y")', supplier="@SUM(1)")]
    csv_text = sheet.write_csv(solutions, []).decode()
    assert "'=HYPERLINK" in csv_text and "'@SUM(1)" in csv_text
    back = formats.read(csv_text.encode(), "x.csv")
    assert back.solutions[0].name == '=HYPERLINK("http://x","y")'
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(sheet.write_xlsx(solutions, [])))
    cell = book.active.cell(2, 4)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","y")'
