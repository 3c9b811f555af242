"""``kodeks local``: the same use cases from the command line, on a SQLite file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.services import importing
from tests.conftest import data_file
from tests.factories import FakeCatalog, item, record, tree_bundle
from tests.local.receiver import receiver
from tests.local.world import profile_body, sortiment_body


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kodeks.sqlite'}"
    record(build(Settings(database_url=url)), tree_bundle(cid="own-plan"))
    return url


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ranges_profiles_and_sortiments(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "local", "ranges", "own-plan", "--set", "level=3,low=90,high=99", "--db", db)[0] == 0
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({**profile_body("skole"), "classification": "own-plan"}))
    code, out, _ = cli(capsys, "local", "profile", "save", str(profile), "--db", db)
    assert code == 0 and "version 1" in out
    code, _, err = cli(capsys, "local", "profile", "save", str(profile), "--db", db)
    assert code == 1 and "If-Match" in err  # replacing needs --if-version
    code, out, _ = cli(
        capsys, "local", "profile", "items", "own-plan", "skole", "--at", "2013-06-01", "--json", "--db", db
    )
    assert code == 0 and "10.01.90" in [i["code"] for i in json.loads(out)]
    assert cli(capsys, "local", "profile", "affected", "own-plan", "skole", "--db", db)[0] == 0
    sortiment = tmp_path / "s.json"
    body = sortiment_body("esdh", entries=[{"classification": "own-plan", "code": "10.01.05"}])
    sortiment.write_text(json.dumps(body))
    assert cli(capsys, "local", "sortiment", "save", str(sortiment), "--db", db)[0] == 0
    code, out, _ = cli(
        capsys, "local", "sortiment", "codes", "esdh", "--at", "2013-06-01", "--json", "--db", db
    )
    entry = json.loads(out)["entries"][0]
    assert (entry["status"], entry["successors"]) == ("expired", ["20.02.01"])
    target = tmp_path / "esdh.json"
    assert (
        cli(
            capsys, "local", "sortiment", "export", "esdh", "--format", "fhir", "-o", str(target), "--db", db
        )[0]
        == 0
    )
    assert json.loads(target.read_text())["resourceType"] == "ValueSet"


def test_correspondences(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_file("correspondences/ilo_isco88_isco08_correspondence.csv")
    code, out, _ = cli(
        capsys, "local", "correspondence", "import", str(path), "--id", "isco", "--owner", "kl", "--db", db
    )
    assert code == 0 and "671 mappings" in out and "356 partial" in out
    code, out, _ = cli(capsys, "local", "correspondence", "map", "isco", "1141", "--db", db)
    assert "1114" in out and "[partial]" in out
    assert cli(capsys, "local", "correspondence", "invert", "isco", "isco-back", "--db", db)[0] == 0
    csv_file = tmp_path / "isco.csv"
    assert (
        cli(
            capsys,
            "local",
            "correspondence",
            "export",
            "isco-back",
            "--format",
            "csv",
            "-o",
            str(csv_file),
            "--db",
            db,
        )[0]
        == 0
    )
    assert csv_file.read_text().splitlines()[0].startswith("source,target,partial")
    assert "isco-back" in cli(capsys, "local", "correspondence", "list", "--db", db)[1]
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\n1,A\n=evil(),B\n")
    code, _, err = cli(
        capsys,
        "local",
        "correspondence",
        "import",
        str(bad),
        "--id",
        "bad",
        "--owner",
        "kl",
        "--source",
        "a",
        "--target",
        "b",
        "--db",
        db,
    )
    assert code == 4 and "bad.csv: line 3" in err.replace("\n", "")


def test_feed_webhook_and_deliver(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KODEKS_WEBHOOK_ALLOW_LOOPBACK", "1")
    code, out, _ = cli(
        capsys,
        "local",
        "feed",
        "classification",
        "own-plan",
        "--since",
        "2000-01-01T00:00:00Z",
        "--limit",
        "3",
        "--db",
        db,
    )
    page = json.loads(out)
    assert code == 0 and page["count"] == 3 and page["has_more"]
    more = json.loads(
        cli(capsys, "local", "feed", "classification", "own-plan", "--cursor", page["cursor"], "--db", db)[1]
    )
    assert more["count"] == 5 and not more["has_more"]
    with receiver() as r:
        code, out, _ = cli(
            capsys, "local", "webhook", "add", r.url, "--classification", "own-plan", "--db", db
        )
        assert code == 0 and "shown once" in out
        kodeks = build(Settings(database_url=db))
        items = [*tree_bundle(cid="own-plan").items, item("10.02", "Nyt", "10", start=date(2016, 1, 1))]
        importing.import_data(
            kodeks.uow,
            FakeCatalog([tree_bundle(date(2016, 1, 1), items=items, cid="own-plan")]),
            b"v2",
            "v2.fake",
            listeners=kodeks.listeners,
        )
        code, out, _ = cli(capsys, "local", "deliver", "--db", db)
        assert code == 0 and "delivered 1" in out
        assert json.loads(r.wait_for(1)[0].body)["type"] == "classification.changed"
        listed = cli(capsys, "local", "webhook", "list", "--db", db)[1]
        assert "127.0.0.1" in listed and "yes" in listed
    assert "Aarhus" in cli(capsys, "local", "municipalities")[1]
