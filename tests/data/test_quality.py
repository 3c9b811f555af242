"""The quality declaration (core dimensions, DQV) and the self-contained HTML reports, on real KLE cases."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from rdflib import Graph, Namespace, URIRef

from kodeks.cli.main import run
from kodeks.domain.data.quality import DIMENSIONS
from kodeks.errors import MalformedInput
from kodeks.formats.dk_map import svg_map
from tests.conftest import data_file
from tests.data.test_validate_real_kle import CASES, cases_frame

DQV = Namespace("http://www.w3.org/ns/dqv#")
BOUNDARIES = "dk_municipalities/dagi_kommuner_2014.topojson"


def _self_contained(html: str) -> None:
    assert html.startswith("<!doctype html>") and "<svg" in html
    assert "<script" not in html and "src=" not in html and "<link" not in html and "@import" not in html


def test_the_declaration_measures_every_core_dimension(
    kle_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "sager.parquet"
    kommuner = pl.Series("kommunekode", ["101", "0751", "766"] * len(CASES))[: len(CASES)]
    cases_frame().with_columns(kommuner).write_parquet(source)
    report, ttl = tmp_path / "kvalitet.html", tmp_path / "kvalitet.ttl"
    args = ["data", "quality", str(source), "--bind", "kle=kle", "--date-column", "oprettet"]
    args += ["--municipality-column", "kommunekode", "--boundaries", str(data_file(BOUNDARIES))]
    assert run([*args, "--report", str(report), "--dqv", str(ttl), "--json", "--db", kle_db]) == 0
    body = json.loads(capsys.readouterr().out)
    dims = body["dimensions"]
    assert {d["uri"] for d in dims.values()} == {d.uri for d in DIMENSIONS.values()}
    values = {m["metric"]: m["value"] for d in dims.values() for m in d["measurements"]}
    filled = sum(1 for c in CASES if c[0])
    assert values["filled"] == pytest.approx(filled / len(CASES))
    judged = [c for c in CASES if c[0] and c[2] != "bad_date"]
    fine = sum(1 for c in judged if c[2] in ("valid", "wrong_level"))  # no --level: a gruppe is valid
    assert values["valid_at_date"] == pytest.approx(fine / len(judged))
    assert values["well_formed"] == pytest.approx(1 - 2 / filled)
    assert 0 < values["outdated_now"] < 1 and values["median_age_days"] > 0
    assert set(body["valid_share_by_municipality"]) == {"101", "751", "766"}
    _self_contained(report.read_text())
    assert report.read_text().count("<path") == 311 and "Aarhus (751): " in report.read_text()
    assert "komplethed" in report.read_text() and "aktualitet" in report.read_text()
    graph = Graph().parse(ttl, format="turtle")
    dataset = URIRef("https://kodeks.dk/id/dataset/sager")
    measurements = list(graph.objects(dataset, DQV.hasQualityMeasurement))
    assert len(measurements) == len([m for d in dims.values() for m in d["measurements"]])
    assert {str(o) for o in graph.objects(None, DQV.inDimension)} == {d.uri for d in DIMENSIONS.values()}


def test_the_validation_report_is_self_contained(kle_db: str, tmp_path: Path) -> None:
    source, report = tmp_path / "sager.csv", tmp_path / "rapport.html"
    cases_frame().write_csv(source)
    args = ["data", "validate", str(source), "--column", "kle", "--date-column", "oprettet"]
    assert run([*args, "--report", str(report), "--lang", "en", "--db", kle_db]) == 0
    html = report.read_text()
    _self_contained(html)
    assert "Validation report" in html and "moved" in html and "Invalid values by year" in html


def test_a_binding_to_a_missing_column_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "sager.csv"
    source.write_text("kle,d\n27.24.03,2018-07-01\n")
    assert (
        run(
            [
                "data",
                "quality",
                str(source),
                "--bind",
                "sag=kle",
                "--db",
                f"sqlite:///{tmp_path / 'x.sqlite'}",
            ]
        )
        == 5
    )
    err = capsys.readouterr().err.strip()
    assert "no column 'sag'" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "content", [b"", b"{", b"[]", b'{"objects": {}, "arcs": []}', b'{"arcs": [[["x"]]]}']
)
def test_a_bad_boundary_file_is_one_error(content: bytes) -> None:
    with pytest.raises(MalformedInput):
        svg_map(content, {"101": 0.5})
