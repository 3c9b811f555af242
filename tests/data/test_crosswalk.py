"""Crosswalks through real correspondence tables (KL's KLE ↔ FORM, 2018): 1:1, 1:n as a list, exploded
or 'ambiguous', unmapped rows flagged, chains; no row dropped."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.domain.data.crosswalk import compose, step_of
from kodeks.engines.polars_crosswalk import plan
from kodeks.services.data.crosswalks import crosswalk
from kodeks.storage.local import open_local_store
from tests.conftest import data_file

KLE_FORM = "correspondences/kle_form_2018-07-11.csv"  # KL, via OS2compliance (SOURCES.md)
FORM_KLE = "correspondences/form_kle_2018-07-11.csv"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cw') / 'cw.sqlite'}"
    for name, cid in ((KLE_FORM, "kle-form"), (FORM_KLE, "form-kle")):
        assert (
            run(
                [
                    "local",
                    "correspondence",
                    "import",
                    str(data_file(name)),
                    "--id",
                    cid,
                    "--owner",
                    "kl",
                    "--db",
                    url,
                ]
            )
            == 0
        )
    return url


def test_composing_steps_follows_every_branch_and_keeps_no_counterpart() -> None:
    first = step_of([("a", "x"), ("a", "y"), ("b", None), ("c", "z")])
    second = step_of([("x", "1"), ("y", "2"), ("y", "1")])
    assert compose([first, second]) == {"a": ("1", "2"), "b": ()}  # c: z is not named by step two


def test_one_to_one_one_to_many_unmapped_and_empty(db: str, tmp_path: Path) -> None:
    kodeks = build(Settings(database_url=db, environment="test"))
    form_kle = crosswalk(kodeks.uow, open_local_store, ["form-kle"])
    many = next(code for code, targets in form_kle.mapping.items() if len(targets) > 1)
    assert form_kle.mapping["02"] == ()  # FORM 02: "Ikke med i KLE"
    frame = pl.DataFrame({"sag": [1, 2, 3, 4, 5], "form": [many, "99.99.99.99", None, many, "02"]})
    listed = plan(frame.lazy(), form_kle, "form").collect()
    assert listed["form_crosswalk"].to_list() == ["mapped", "unmapped", "empty", "mapped", "no_counterpart"]
    n = len(form_kle.mapping[many])
    assert n > 1 and listed["form_kle"].to_list()[0] == list(form_kle.mapping[many])
    exploded = plan(frame.lazy(), form_kle, "form", "explode").collect()
    assert exploded.height == 2 * n + 3 and exploded["sag"].unique().len() == 5  # no row lost
    single = plan(frame.lazy(), form_kle, "form", "single").collect()
    assert single["form_crosswalk"].to_list()[0] == "ambiguous" and single["form_kle"][0] is None
    kodeks.engine.dispose()


def test_the_cli_chains_correspondences_and_counts_rows(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "sager.csv", tmp_path / "out.csv"
    source.write_text("sagsnr;kle\n1;01.02.27\n2;99.99.99\n3;\n")
    args = [
        "data",
        "crosswalk",
        str(source),
        "--column",
        "kle",
        "--via",
        "kle-form,form-kle",
        "--at",
        "2018-07-11",
    ]
    assert run([*args, "-o", str(target), "--json", "--db", db]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["rows"] == 3 and body["target"] == "kle" and body["outcomes"]["unmapped"] == 1
    written = pl.read_csv(target, infer_schema=False)
    assert written.columns == ["sagsnr", "kle", "kle_kle", "kle_crosswalk"] and written.height == 3


@pytest.mark.parametrize(
    ("via", "message", "code"),
    [
        ("nope", "no correspondence 'nope'", 3),
        ("kle-form,kle-form", "ends in form", 5),
        (",", "at least one correspondence", 5),
    ],
)
def test_bad_chains_are_one_error_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], via: str, message: str, code: int
) -> None:
    source = tmp_path / "sager.csv"
    source.write_text("kle\n01.02.27\n")
    assert run(["data", "crosswalk", str(source), "--column", "kle", "--via", via, "--db", db]) == code
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
