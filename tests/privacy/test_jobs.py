"""Files in and out: CLI, API router, atomic writes and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from fastapi import FastAPI, Header
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kodeks.api.errors import install
from kodeks.api.privacy import build_router
from kodeks.cli.privacy import app
from kodeks.errors import Unauthorized
from kodeks.privacy.errors import (
    ColumnError,
    ConfigError,
    HierarchyCoverageError,
    InputError,
    VerificationError,
)
from kodeks.privacy.jobs import Outputs, anonymize_job
from kodeks.privacy.tableio import read_table, write_table

from .privacy_factories import small_table

CONFIG = """
identifiers: [name]
quasi_identifiers:
  age: {type: interval, widths: [5, 10, 20]}
  sex: {type: identity}
  zip: {type: arx, path: zip.csv}
models:
  - {type: k-anonymity, k: 3}
  - {type: l-diversity, column: disease, l: 2}
suppression_limit: 0.1
"""
ZIP = "2100;21**;*\n2200;22**;*\n8000;80**;*\n8200;82**;*\n5000;50**;*\n"


@pytest.fixture
def job(tmp_path: Path) -> Path:
    small_table(300, 4).write_csv(tmp_path / "in.csv")
    (tmp_path / "zip.csv").write_text(ZIP)
    (tmp_path / "job.yaml").write_text(CONFIG)
    return tmp_path


def test_cli_anonymize_risk_pseudonymize_synthesize(job: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "anonymize",
            str(job / "in.csv"),
            str(job / "out.csv"),
            "-c",
            str(job / "job.yaml"),
            "--json",
            str(job / "r.json"),
            "--html",
            str(job / "r.html"),
        ],
    )
    assert res.exit_code == 0, res.output
    out = pl.read_csv(job / "out.csv", infer_schema=False)
    assert "name" not in out.columns and out.height == 300
    report = json.loads((job / "r.json").read_text())
    assert report["verification"]["ok"] and report["risk_after"]["prosecutor_max"] <= 1 / 3
    assert "<svg" in (job / "r.html").read_text()
    res = runner.invoke(app, ["risk", str(job / "in.csv"), "--qi", "age", "--qi", "sex"])
    assert res.exit_code == 0 and "classes" in res.output
    (job / "key").write_text("ab" * 32)
    pd = pl.DataFrame({"cpr": ["010190-1234", "020290-2345"], "x": ["a", "b"]})
    pd.write_csv(job / "p.csv")
    res = runner.invoke(
        app,
        [
            "pseudonymize",
            str(job / "p.csv"),
            str(job / "p2.csv"),
            "--column",
            "cpr:ff1-cpr",
            "--domain",
            "test",
            "--key-file",
            str(job / "key"),
            "--lookup",
            str(job / "lk.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert pl.read_csv(job / "lk.csv").height == 2
    res = runner.invoke(
        app,
        [
            "pseudonymize",
            str(job / "p2.csv"),
            str(job / "p3.csv"),
            "--column",
            "cpr:ff1-cpr",
            "--domain",
            "test",
            "--key-file",
            str(job / "key"),
            "--decrypt",
        ],
    )
    assert pl.read_csv(job / "p3.csv")["cpr"].to_list() == pd["cpr"].to_list()
    res = runner.invoke(
        app,
        [
            "synthesize",
            str(job / "in.csv"),
            str(job / "s.csv"),
            "--epsilon",
            "2",
            "--column",
            "age",
            "--column",
            "sex",
            "--column",
            "disease",
            "--seed",
            "1",
        ],
    )
    assert res.exit_code == 0, res.output
    assert pl.read_csv(job / "s.csv").columns == ["age", "sex", "disease"]


def test_no_partial_output_on_error(job: Path) -> None:
    (job / "job.yaml").write_text(CONFIG.replace("k: 3", "k: 1000"))
    with pytest.raises(Exception, match="at least 1000"):
        anonymize_job(job / "in.csv", job / "job.yaml", Outputs(job / "out.csv"))
    assert sorted(p.name for p in job.iterdir()) == ["in.csv", "job.yaml", "zip.csv"]
    with pytest.raises(pl.exceptions.PolarsError):
        write_table(pl.LazyFrame({"a": ["x"]}).select(pl.col("a").cast(pl.Int64)), job / "x.csv")
    assert not any(p.name.startswith(".x.csv") or p.name == "x.csv" for p in job.iterdir())


def test_bad_input_files(job: Path) -> None:
    (job / "empty.csv").write_text("")
    with pytest.raises(InputError, match="empty"):
        read_table(job / "empty.csv")
    (job / "semi.csv").write_text("a;b\n1;2\n")
    with pytest.raises(InputError, match="delimiter ';'"):
        read_table(job / "semi.csv")
    (job / "latin.csv").write_bytes("navn,by\nSøren,Århus\n".encode("latin-1"))
    with pytest.raises(InputError, match="not valid utf-8"):
        read_table(job / "latin.csv")
    assert read_table(job / "latin.csv", encoding="latin-1").collect()["by"][0] == "Århus"
    (job / "header.csv").write_text("a,b\n")
    with pytest.raises(InputError, match="no data rows"):
        read_table(job / "header.csv")
    with pytest.raises(ConfigError, match="unsupported"):
        read_table(job / "job.yaml")


def test_bad_configs(job: Path) -> None:
    out = Outputs(job / "out.csv")
    (job / "job.yaml").write_text(CONFIG.replace("zip: {type: arx", "postnr: {type: arx"))
    with pytest.raises(ColumnError, match="'postnr'"):
        anonymize_job(job / "in.csv", job / "job.yaml", out)
    (job / "zip.csv").write_text(ZIP.replace("5000;50**;*\n", ""))
    (job / "job.yaml").write_text(CONFIG)
    with pytest.raises(HierarchyCoverageError, match="'5000'"):
        anonymize_job(job / "in.csv", job / "job.yaml", out)
    (job / "job.yaml").write_text(CONFIG.replace("k-anonymity, k: 3", "k-anonymity"))
    with pytest.raises(ConfigError, match="needs the setting 'k'"):
        anonymize_job(job / "in.csv", job / "job.yaml", out)
    assert not (job / "out.csv").exists()
    with pytest.raises(VerificationError):
        from kodeks.privacy.models import KAnonymity
        from kodeks.privacy.verify import verify

        verify(small_table(20), ["age"], [KAnonymity(5)]).raise_if_failed()


def _api(limit: int = 1 << 20) -> TestClient:
    def require_user(authorization: str | None = Header(default=None)) -> str:
        if authorization != "Bearer good":
            raise Unauthorized("authentication required")
        return "tester"

    api = FastAPI()
    install(api)
    api.include_router(build_router(require_user, max_upload_bytes=limit))
    return TestClient(api)


def test_api_requires_a_user_and_runs_jobs(job: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _api()
    data = (job / "in.csv").read_bytes()
    anon = client.post("/api/v1/privacy/risk", files={"file": ("in.csv", data)}, data={"qi": ["age"]})
    assert anon.status_code == 401
    auth = {"Authorization": "Bearer good"}
    ok = client.post(
        "/api/v1/privacy/risk", files={"file": ("in.csv", data)}, data={"qi": ["age", "sex"]}, headers=auth
    )
    assert ok.status_code == 200 and ok.json()["risk_before"]["records"] == 300
    files = [
        ("file", ("in.csv", data)),
        ("config", ("job.yaml", CONFIG.encode())),
        ("hierarchies", ("zip.csv", ZIP.encode())),
    ]
    res = client.post("/api/v1/privacy/anonymize", files=files, headers=auth)
    assert res.status_code == 200, res.text
    assert json.loads(res.headers["X-Kodeks-Report"])["utility"]["rows"] == 300
    created: list[Path] = []
    import tempfile

    real = tempfile.mkdtemp

    def spy(*args: object, **kwargs: object) -> str:
        path = real(*args, **kwargs)  # type: ignore[call-overload]
        created.append(Path(path))
        return str(path)

    monkeypatch.setattr(tempfile, "mkdtemp", spy)
    syn = client.post(
        "/api/v1/privacy/synthesize", files={"file": ("in.csv", data)}, data={"seed": "1"}, headers=auth
    )
    assert syn.status_code == 200
    bad = client.post(
        "/api/v1/privacy/risk", files={"file": ("in.csv", data)}, data={"qi": ["nope"]}, headers=auth
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "privacy_column"
    assert created and not any(p.exists() for p in created)


def test_api_upload_limit() -> None:
    client = _api(limit=100)
    res = client.post(
        "/api/v1/privacy/risk",
        files={"file": ("in.csv", b"a,b\n" + b"1,2\n" * 100)},
        data={"qi": ["a"]},
        headers={"Authorization": "Bearer good"},
    )
    assert res.status_code == 413
