"""Correctness between two columns on real KLE: hierarchy consistency (``--parent``) and agreement
through KL's real KLE → FORM correspondence (``--agree``), in JSON, the HTML report and DQV."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from kodeks.cli.main import run
from tests.conftest import data_file

DQV = Namespace("http://www.w3.org/ns/dqv#")
METRIC = Namespace("https://kodeks.dk/id/data-quality/metric/")
KLE_FORM = "correspondences/kle_form_2018-07-11.csv"  # KL, via OS2compliance (SOURCES.md)

#: (kle, row date, gruppe, form). Parent judged on rows 1-4 (valid code, gruppe filled): 3 consistent
#: (27.24 and the hovedgruppe 27 stand above 27.24.03; 27.20 does not). Row 5's code had moved by then.
#: Agreement judged on rows 6-9 (both filled): 29.35.00 → 26.40.10.15 and 83.01.00 → 63.05.10 agree.
ROWS = [
    ("27.24.03", "2018-07-01", "27.24", None),
    ("27.24.03", "2018-07-01", "27", None),
    ("27.24.03", "2018-07-01", "27.20", None),
    ("00.10.00", "2012-05-01", "00.10", None),
    ("00.10.00", "2016-01-01", "00.10", None),
    ("29.35.00", "2018-07-01", None, "26.40.10.15"),
    ("83.01.00", "2018-07-01", None, "63.05.10"),
    ("29.35.00", "2018-07-01", None, "63.05.10"),
    ("99.99.99", "2018-07-01", None, "63.05.10"),
]


@pytest.fixture(scope="module")
def kle_form_db(kle_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The real KLE registry with KL's KLE → FORM table imported (a copy: the shared one stays as it is)."""
    target = tmp_path_factory.mktemp("kle-form") / "kle.sqlite"
    shutil.copy(kle_db.removeprefix("sqlite:///"), target)
    url = f"sqlite:///{target}"
    args = ["local", "correspondence", "import", str(data_file(KLE_FORM)), "--id", "kle-form"]
    assert run([*args, "--owner", "kl", "--db", url]) == 0
    return url


def test_parent_and_agreement_are_measured_as_accuracy(
    kle_form_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, report, ttl = tmp_path / "sager.parquet", tmp_path / "kvalitet.html", tmp_path / "kvalitet.ttl"
    pl.DataFrame(ROWS, schema=["kle", "oprettet", "gruppe", "form"], orient="row").write_parquet(source)
    capsys.readouterr()
    args = ["data", "quality", str(source), "--bind", "kle=kle", "--date-column", "oprettet"]
    args += ["--parent", "kle=gruppe", "--agree", "kle:form=kle-form", "--report", str(report)]
    assert run([*args, "--dqv", str(ttl), "--json", "--db", kle_form_db]) == 0
    accuracy = json.loads(capsys.readouterr().out)["dimensions"]["accuracy"]["measurements"]
    between = {m["metric"]: (m["column"], m["against"], m["value"]) for m in accuracy}
    assert between["parent_consistent"] == ("kle", "gruppe", pytest.approx(3 / 4))
    assert between["agrees_via"] == ("kle", "form via kle-form", pytest.approx(2 / 4))
    html = report.read_text()
    assert "forælderkolonnen" in html and "kle / form via kle-form" in html and "75.00%" in html
    graph = Graph().parse(ttl, format="turtle")
    dataset = URIRef("https://kodeks.dk/id/dataset/sager")
    found = {
        (graph.value(m, DQV.isMeasurementOf), graph.value(m, DQV.value))
        for m in graph.objects(dataset, DQV.hasQualityMeasurement)
    }
    assert (METRIC.parent_consistent, Literal(0.75, datatype=XSD.double)) in found
    assert (METRIC.agrees_via, Literal(0.5, datatype=XSD.double)) in found


def test_a_parent_of_an_unbound_column_is_one_clear_error(
    kle_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "sager.parquet"
    pl.DataFrame(ROWS, schema=["kle", "oprettet", "gruppe", "form"], orient="row").write_parquet(source)
    code = run(
        ["data", "quality", str(source), "--bind", "kle=kle", "--parent", "form=gruppe", "--db", kle_db]
    )
    err = capsys.readouterr().err
    assert code != 0 and "--parent 'form=gruppe'" in err and "Traceback" not in err
