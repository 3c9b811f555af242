"""The landscape API: the contract endpoints, writes by who may write, one error shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import data_file

API = "/api/v1/landscape"
SHEET = (
    "kommunekode;system;system_id;status;fra;til;kle;type;leverandør;kontrakt;kontrakt_udløb\n"
    "751;Kommunernes Ydelsessystem;ky;adopted;2020-01-01;;;fælleskommunal;KOMBIT;KY-1;2026-12-31\n"
    "101;Kommunernes Ydelsessystem;ky;planned;2021-01-01;2022-03-01;;;;;\n"
    "101;Kommunernes Ydelsessystem;ky;adopted;2022-03-01;;;;;;\n"
    ";Acadre;acadre;;;;;lokal;Formpipe;;\n"
)


def bearer(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"}


def load(client: TestClient, tokens: dict[str, str]) -> None:
    got = client.post(
        f"{API}/imports?filename=l.csv", content=SHEET.encode(), headers=bearer(tokens, "admin")
    )
    assert got.status_code == 200, got.text
    assert got.json()["solutions_added"] == 2


def test_solutions_usage_and_coverage_contracts(client: TestClient, tokens: dict[str, str]) -> None:
    load(client, tokens)
    solutions = client.get(f"{API}/solutions").json()
    assert [s["id"] for s in solutions] == ["acadre", "ky"]
    assert client.get(f"{API}/solutions?scope=common").json()[0]["id"] == "ky"
    usage = client.get(f"{API}/usage?solution=ky&at=2021-06-01").json()["usage"]
    assert [(u["municipality"], u["status"]) for u in usage] == [("101", "planned"), ("751", "adopted")]
    assert usage[1]["municipality_name"] == "Aarhus"
    known_before = client.get(f"{API}/usage?solution=ky&at=2021-06-01&known_at=2001-01-01T00:00:00Z").json()
    assert known_before["usage"] == []
    cov = client.get(f"{API}/coverage?municipality=751&at=2021-06-01").json()
    assert cov["municipality_name"] == "Aarhus" and cov["served"] == {} and len(cov["gaps"]) > 1000
    matrix = client.get(f"{API}/matrix?at=2022-06-01&region=1084").json()
    row = next(r for r in matrix["rows"] if r["municipality"] == "101")
    assert row["cells"] == {"ky": "adopted"}
    contracts = client.get(f"{API}/contracts?at=2026-06-01").json()
    assert [(c["solution"], c["end"]) for c in contracts] == [("ky", "2026-12-31")]
    assert client.get(f"{API}/suppliers?at=2023-01-01").json()[0]["supplier"] == "KOMBIT"
    ttl = client.get(f"{API}/export?format=sysap-ttl")
    assert ttl.status_code == 200 and b"sys:ITSystem" in ttl.content


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        (f"{API}/coverage?municipality=999", 404, "not_found"),
        (f"{API}/coverage", 400, "invalid_request"),
        (f"{API}/usage?at=2022-13-01", 400, "invalid_request"),
        (f"{API}/usage?status=sometimes", 400, "invalid_request"),
        (f"{API}/solutions/nowhere", 404, "not_found"),
        (f"{API}/tasks/27.2x", 400, "invalid_request"),
        (f"{API}/matrix?region=Atlantis", 400, "invalid_request"),
        (f"{API}/matrix?limit=0", 400, "invalid_request"),
        (f"{API}/export?format=pdf", 400, "invalid_request"),
    ],
)
def test_bad_reads_have_the_one_error_shape(client: TestClient, url: str, status: int, code: str) -> None:
    got = client.get(url)
    assert got.status_code == status, got.text
    assert got.json()["error"]["code"] == code


def test_writes_need_a_user_and_a_municipality_writes_its_own_use_only(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = [{"status": "adopted", "valid_from": "2020-01-01"}]
    assert client.put(f"{API}/usage/ky/751", json=body).status_code == 401
    load(client, tokens)
    assert client.put(f"{API}/usage/ky/751", json=body, headers=bearer(tokens, "kl")).status_code == 403
    other = client.put(f"{API}/usage/ky/101", json=body, headers=bearer(tokens, "aarhus"))
    assert other.status_code == 403 and other.json()["error"]["code"] == "forbidden"
    own = client.put(f"{API}/usage/ky/751", json=body, headers=bearer(tokens, "aarhus"))
    assert own.status_code == 200 and own.json()["pairs_changed"] == 0  # the same as held
    later = [{"status": "adopted", "valid_from": "2020-01-01", "valid_to": "2024-01-01"}]
    assert (
        client.put(f"{API}/usage/ky/751", json=later, headers=bearer(tokens, "aarhus")).json()[
            "pairs_changed"
        ]
        == 1
    )
    solution = client.put(f"{API}/solutions/new", json={"name": "Ny"}, headers=bearer(tokens, "aarhus"))
    assert solution.status_code == 403
    made = client.put(f"{API}/solutions/new", json={"name": "Ny"}, headers=bearer(tokens, "admin"))
    assert made.status_code == 200 and made.json()["solutions_added"] == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"kommunekode;system\n998;X\n", 422, "invalid_content"),
        (b"\x00\x01\x02", 422, "invalid_content"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><r>&a;</r>', 422, "malformed_input"),
        (b"[" * 50_000, 422, "malformed_input"),
    ],
)
def test_hostile_imports_are_refused_and_record_nothing(
    client: TestClient, tokens: dict[str, str], body: bytes, status: int, code: str
) -> None:
    names = {b"[": "x.json", b"<": "x.rdf"}
    got = client.post(
        f"{API}/imports?filename={names.get(body[:1], 'x.csv')}",
        content=body,
        headers=bearer(tokens, "admin"),
    )
    assert got.status_code == status, got.text
    assert got.json()["error"]["code"] == code
    assert client.get(f"{API}/solutions").json() == []


def test_an_oversized_import_is_refused_by_its_declared_length(
    client: TestClient, tokens: dict[str, str]
) -> None:
    headers = {**bearer(tokens, "admin"), "Content-Length": str(60 * 1024 * 1024)}
    got = client.post(f"{API}/imports", content=b"x", headers=headers)
    assert got.status_code in (413, 400)


def test_the_real_archives_graph_imports_through_the_api(client: TestClient, tokens: dict[str, str]) -> None:
    path: Path = data_file("sysap/NationalArchivesExampleDataGraph.ttl")
    got = client.post(
        f"{API}/imports?filename={path.name}", content=path.read_bytes(), headers=bearer(tokens, "admin")
    )
    assert got.status_code == 200 and got.json()["solutions_added"] == 1
    task = client.get(f"{API}/tasks/85.02.10").json()
    assert task["title"] == "Sagsstyring" and task["municipalities"] == {}  # no municipality named


@pytest.mark.parametrize(
    "view",
    [
        "matrix?at=2022-06-01",
        "suppliers?at=2023-01-01",
        "contracts?at=2026-06-01",
        "coverage?municipality=751&at=2022-06-01",
        "overlaps?at=2022-06-01",
        "gaps?at=2022-06-01",
    ],
)
def test_every_view_downloads_as_csv_and_xlsx(client: TestClient, tokens: dict[str, str], view: str) -> None:
    import csv
    import io

    import openpyxl

    load(client, tokens)
    as_csv = client.get(f"{API}/{view}&format=csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    as_xlsx = client.get(f"{API}/{view}&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx.content), read_only=True)
    assert [[c or "" for c in r] for r in book.active.iter_rows(values_only=True)] == rows
    if view.startswith("matrix"):
        aarhus = next(r for r in rows if r[0] == "751")
        assert rows[0][:3] == ["kommunekode", "kommune", "region"] and "adopted" in aarhus
    if view.startswith("contracts"):
        assert rows[1][:3] == ["2026-12-31", "Kommunernes Ydelsessystem", "KY-1"]
