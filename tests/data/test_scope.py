"""Data scopes on real KLE: expansion, drift since a date, checks with reasons, filter expressions,
scopes imported from OS2mo's own KLE sheet; over the CLI and HTTP, with hostile input."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from kodeks.cli.main import run
from kodeks.domain.data import filters
from kodeks.domain.data.scope import Entry, Index, Scope, check, drift, expand
from kodeks.domain.data.status import Status
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.errors import MalformedInput
from kodeks.formats.scope_sheet import read_assignments, scopes_of
from tests.conftest import data_file

D = date
TOKEN = "scope-test-token-" + "y" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def kle(kle_table: ValidTimeTable) -> Index:
    return Index(kle_table)


def valid_with_prefix(table: ValidTimeTable, prefix: str, day: date) -> set[str]:
    return {
        s.code
        for s in table.segments
        if s.code.startswith(prefix) and s.status is Status.VALID and s.contains(day)
    }


def test_a_subtree_expands_to_every_code_valid_under_it_that_day(
    kle: Index, kle_table: ValidTimeTable
) -> None:
    scope = Scope.of(["27.*", "32.18"], ["27.24.03"])
    got = expand(kle, scope, D(2018, 7, 1))
    expected = valid_with_prefix(kle_table, "27", D(2018, 7, 1)) - {"27.24.03"} | {"32.18"}
    assert set(got.codes) == expected and len(got.codes) > 150
    assert got.codes[:3] == ("27", "27.00", "27.00.00") and got.unresolved == ()


def test_a_scope_written_before_the_2014_move_drifts_to_its_successors(kle: Index) -> None:
    d = drift(kle, Scope.of(["00.10.*", "27.24.*"]), D(2014, 1, 1), D(2024, 1, 1))
    [(then, now)] = d.changed
    assert (str(now.entry), then.status, now.status, now.successors) == (
        "00.10.*",
        "valid",
        "moved",
        ("15.40",),
    )
    assert [str(e) for e in d.rewritten.include] == ["15.40.*", "27.24.*"]  # in the moved entry's place
    assert "00.10.00" in d.lost and "15.40.00" in d.gained


@pytest.mark.parametrize(
    ("code", "day", "allowed", "reason"),
    [
        ("27.24.06", D(2018, 7, 1), True, "27.24.06 is included by 27.*"),
        ("27.24.03", D(2018, 7, 1), False, "27.24.03 is excluded by 27.24.03"),
        ("32.18.00", D(2018, 7, 1), False, "32.18.00 is outside the scope"),
        ("00.10.00", D(2018, 7, 1), False, "00.10.00 is moved on 2018-07-01 (moved to 15.40.00)"),
        ("99.99.99", D(2018, 7, 1), False, "99.99.99 is unknown on 2018-07-01"),
    ],
)
def test_a_check_says_why(kle: Index, code: str, day: date, allowed: bool, reason: str) -> None:
    d = check(kle, Scope.of(["27.*", "32.18"], ["27.24.03"]), code, day)
    assert (d.allowed, d.reason) == (allowed, reason)


@pytest.mark.parametrize("text", ["", "*", "27.*.01", "   ", "x" * 300])
def test_an_entry_that_is_not_a_code_or_subtree_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="scope entry"):
        Entry.parse(text)


def test_filter_expressions_select_exactly_the_codes() -> None:
    codes = ("27.24.06", "O'Brien", "32.18")
    frame = pl.DataFrame({"kle": ["27.24.06", "27.24.02", "O'Brien", "32.18"]})
    expr = eval(filters.polars("kle", codes), {"pl": pl})  # the printed expression, as a user pastes it
    assert frame.filter(expr)["kle"].to_list() == ["27.24.06", "O'Brien", "32.18"]
    with sqlite3.connect(":memory:") as db:
        db.execute('create table sager ("kle" text)')
        db.executemany("insert into sager values (?)", [(v,) for v in frame["kle"]])
        got = db.execute(f"select kle from sager where {filters.sql('kle', codes)} order by rowid").fetchall()
    assert [g[0] for g in got] == ["27.24.06", "O'Brien", "32.18"]
    assert filters.spark("kle", codes).startswith("F.col('kle').isin([")
    assert filters.sql("kle", ()) == "FALSE"


@pytest.fixture(scope="module")
def os2mo_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sheet shaped like OS2mo's own KLE template (its sheets and headers, real unit names from its Org
    sheet), with units assigned to a few KLE numbers, one of them (00.10) from before the 2014 move."""
    template = openpyxl.load_workbook(data_file("kle/os2mo_kle_import_template.xlsx"), read_only=True)
    units = [
        str(r[1]).split(" - ")[0] for r in template["Org"].iter_rows(min_row=2, max_row=3, values_only=True)
    ]
    headers = {
        name: next(template[name].iter_rows(max_row=1, values_only=True))
        for name in ("Ansvarlig", "Udførende")
    }
    template.close()
    book = openpyxl.Workbook()
    ansvarlig = book.active
    assert ansvarlig is not None
    ansvarlig.title = "Ansvarlig"
    ansvarlig.append([h for h in headers["Ansvarlig"] if h])
    ansvarlig.append(["2", "00.01", "00.01 - Kommunens styrelse", units[0]])
    ansvarlig.append(["2", "00.10", "00.10 - Integration og udlændinge", units[0]])
    ansvarlig.append(["2", "27.24", "27.24 - Særlig støtte til børn og unge", units[1]])
    ansvarlig.append(["3", "27.24.06", "27.24.06", None])  # no unit: not an assignment
    udforende = book.create_sheet("Udførende")
    udforende.append([h for h in headers["Udførende"] if h])
    udforende.append([units[1], "27.24.03"])
    path = tmp_path_factory.mktemp("os2mo") / "kle.xlsx"
    book.save(path)
    return path


def test_scopes_are_read_from_os2mos_kle_sheet(os2mo_sheet: Path) -> None:
    scopes = scopes_of(read_assignments(os2mo_sheet.read_bytes(), os2mo_sheet.name))
    shown = sorted((s.aspect or "", [str(e) for e in s.include]) for s in scopes)
    assert shown == [
        ("Ansvarlig", ["00.01.*", "00.10.*"]),
        ("Ansvarlig", ["27.24.*"]),
        ("Udførende", ["27.24.03.*"]),
    ]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("s.csv", b"", "empty"),
        ("s.csv", b"foo;bar\n1;2\n", "needs the columns"),
        ("s.csv", "EnhedNavn;KLE;Aspekt\nSøn;27;x\n".encode("cp1252"), "not UTF-8"),
        ("s.xlsx", b"PK\x03\x04garbage", "not an XLSX workbook"),
    ],
)
def test_a_bad_scope_sheet_is_one_error(name: str, content: bytes, problem: str) -> None:
    with pytest.raises(MalformedInput, match=problem):
        read_assignments(content, name)


def test_the_cli_expands_and_reports_drift_as_json(kle_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["scope", "expand", "kle", "--include", "00.10.*", "--include", "32.18", "--exclude", "32.18.04"]
    assert run([*args, "--since", "2014-01-01", "--at", "2024-01-01", "--json", "--db", kle_db]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["codes"][0] == "32.18" and body["unresolved"][0]["successors"] == ["15.40"]
    assert body["drift"]["should_read"]["include"] == ["15.40.*", "32.18"]
    assert body["filters"]["sql"].startswith('"kle" IN (')


def test_the_cli_imports_an_os2mo_sheet_and_reports_drift(
    kle_db: str, os2mo_sheet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "scope",
        "import",
        str(os2mo_sheet),
        "--since",
        "2014-01-01",
        "--at",
        "2024-01-01",
        "--db",
        kle_db,
    ]
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "3 scopes read, 1 drifted between 2014-01-01 and 2024-01-01" in out
    assert "00.10.*: valid on 2014-01-01, moved on 2024-01-01 → 15.40" in out


@pytest.fixture(scope="module")
def client(real_kle: Kodeks) -> Iterator[TestClient]:
    served = dataclasses.replace(
        real_kle, settings=dataclasses.replace(real_kle.settings, api_tokens=(TOKEN,))
    )
    with TestClient(create_app(served), raise_server_exceptions=False) as c:
        yield c


def test_the_api_expands_a_scope_as_json_and_csv(client: TestClient, kle_table: ValidTimeTable) -> None:
    url = "/api/v1/classifications/kle/scope"
    params = {"include": ["27.*"], "exclude": ["27.24.03"], "at": "2018-07-01", "since": "2010-01-01"}
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    assert set(r.json()["codes"]) == valid_with_prefix(kle_table, "27", D(2018, 7, 1)) - {"27.24.03"}
    assert "drift" in r.json()
    csv_text = client.get(url, params={**params, "format": "csv"}).text
    assert (
        csv_text.splitlines()[0] == "code,title,level" and len(csv_text.splitlines()) == r.json()["count"] + 1
    )


def test_the_api_checks_codes_against_a_scope(client: TestClient) -> None:
    body = {
        "classification": "kle",
        "scope": {"include": ["27.*"], "exclude": ["27.24.03"], "aspect": "Udførende"},
        "items": [{"code": "27.24.06", "at": "2018-07-01"}, {"code": "27.24.03", "at": "2018-07-01"}],
    }
    r = client.post("/api/v1/scopes/check", json=body, headers=AUTH)
    assert r.status_code == 200, r.text
    assert [(x["allowed"], x["reason"]) for x in r.json()["results"]] == [
        (True, "27.24.06 is included by 27.*"),
        (False, "27.24.03 is excluded by 27.24.03"),
    ]
    assert r.json()["aspect"] == "Udførende"


def test_a_known_at_with_a_time_zone_reads_as_utc(client: TestClient) -> None:
    """Recorded times are stored as naive UTC: a zoned ``known_at`` is converted, not compared raw."""
    url = "/api/v1/classifications/kle/scope?include=27.24.*&at=2013-01-01&known_at="
    before = client.get(url + "0119-04-21T18:49:43%2B20:06", headers=AUTH)
    assert before.status_code == 404, before.text  # nothing was known in year 119
    zoned = client.get(url + "2100-01-01T12:00:00%2B02:00", headers=AUTH).json()
    plain = client.get(url + "2100-01-01T10:00:00", headers=AUTH).json()
    assert zoned["codes"] == plain["codes"] and "27.24.03" in zoned["codes"]


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("get", "/api/v1/classifications/nope/scope?include=27.*", {}, 404),
        ("get", "/api/v1/classifications/kle/scope?include=27.*.01", {}, 400),
        ("get", "/api/v1/classifications/kle/scope?include=27.*&at=soon", {}, 400),
        ("get", "/api/v1/classifications/kle/scope", {}, 400),
        ("post", "/api/v1/scopes/check", {"content": b"{"}, 400),
        ("post", "/api/v1/scopes/check", {"json": {"classification": "kle", "items": []}}, 400),
        (
            "post",
            "/api/v1/scopes/check",
            {
                "json": {
                    "classification": "kle",
                    "scope": {"include": ["27"]},
                    "items": [{"code": "27"}] * 10_001,
                }
            },
            413,
        ),
        (
            "post",
            "/api/v1/scopes/check",
            {"json": {"classification": "nope", "scope": {"include": ["27"]}, "items": []}},
            404,
        ),
    ],
)
def test_bad_scope_requests_are_one_error(
    client: TestClient, method: str, url: str, kwargs: dict[str, object], status: int
) -> None:
    r = client.request(method.upper(), url, headers=AUTH, **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status, r.text
    assert set(r.json()["error"]) >= {"code", "message"}


def test_the_readme_drift_example(kle_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["scope", "expand", "kle", "--include", "00.10.*", "--since", "2014-01-01", "--at", "2026-01-01"]
    assert run([*args, "--db", kle_db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "00.10.*: valid on 2014-01-01, moved on 2026-01-01 → 15.40" in lines
    assert "should read: include 15.40.*" in lines
