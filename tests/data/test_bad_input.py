"""Malformed, hostile and oversized datasets: one clear error line (CLI) or a per-row status, never a
traceback and never a silently dropped row."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
import pytest

from kodeks.cli.main import run
from kodeks.domain.data.spec import ValidateSpec
from kodeks.domain.data.valid_time import ValidTimeTable
from kodeks.engines.errors import read_errors
from kodeks.engines.polars_engine import PolarsEngine
from kodeks.errors import InputTooLarge, InvalidRequest, MalformedInput
from kodeks.formats import datasets

SPEC = ValidateSpec("kle", "kle", "d")


def checked(table: ValidTimeTable, path: Path) -> pl.DataFrame:
    with read_errors(path.name):
        return PolarsEngine().validate(datasets.scan(path), table, SPEC).collect()


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx", ".jsonl"])
def test_an_empty_file_is_refused_by_every_reader(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(MalformedInput, match="empty"):
        datasets.scan(path)


@pytest.mark.parametrize(
    ("suffix", "content", "problem"),
    [
        (".csv", "kle;d\n27.24.03;2018-07-01;søn\n".encode("cp1252"), "not UTF-8"),
        (".parquet", b"kle,d\n27.24.03,2018-07-01\n", "not a Parquet file"),
        (".xlsx", b"PK\x03\x04 not really a zip", "not an XLSX workbook"),
        (".jsonl", b"\xff\xfe{}", "not UTF-8"),
        (".csv", b"\n\n", "no header line"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_one_error(
    tmp_path: Path, suffix: str, content: bytes, problem: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(MalformedInput, match=problem):
        datasets.scan(path)


def test_bad_bytes_past_the_first_block_are_one_error(kle_table: ValidTimeTable, tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_bytes(b"kle;d\n" + b"27.24.03;2018-07-01\n" * 20_000 + "søn;2018-07-01\n".encode("cp1252"))
    with pytest.raises(MalformedInput, match="cannot read the data"):
        checked(kle_table, path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"kle": "27.24.03", "d": "2018-07-01"}\n{"kle": \n', "cannot read the data"),
        (b"kle;d\n27.24.03;2018-07-01;x;y\n", "cannot read the data"),
    ],
)
def test_broken_lines_are_one_error(
    kle_table: ValidTimeTable, tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / ("bad.jsonl" if content.startswith(b"{") else "bad.csv")
    path.write_bytes(content)
    with pytest.raises(MalformedInput, match=problem):
        checked(kle_table, path)


def test_mixed_types_and_hostile_values_get_a_status_and_no_row_is_lost(
    kle_table: ValidTimeTable, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"kle": 27, "d": 20180701}\n'
        '{"kle": "27.24.03", "d": "2018-07-01"}\n'
        '{"kle": null, "d": null}\n'
        '{"kle": "=HYPERLINK(\\"http://x\\")", "d": "2018-07-01"}\n'
        '{"kle": "27.24.03\\u0000", "d": "2018-07-01"}\n'
    )
    out = checked(kle_table, path)
    assert out.height == 5
    assert out["kle_status"].to_list()[1:] == ["valid", "empty", "malformed", "malformed"]


def test_a_header_only_file_gives_zero_rows(kle_table: ValidTimeTable, tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("kle,d\n")
    assert checked(kle_table, path).height == 0


def test_a_workbook_that_unpacks_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b" " * 2_000_000)
    monkeypatch.setattr(datasets, "XLSX_MAX_UNPACKED", 1_000_000)
    with pytest.raises(InputTooLarge):
        datasets.scan(path)


@pytest.mark.parametrize("name", ["data.docx", "data", "missing.csv"])
def test_unknown_suffixes_and_missing_files_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name != "missing.csv":
        path.write_text("kle\n")
    with pytest.raises(InvalidRequest):
        datasets.scan(path)


def test_a_validated_column_name_already_taken_is_refused(kle_table: ValidTimeTable) -> None:
    frame = pl.DataFrame({"kle": ["27.24.03"], "d": ["2018-07-01"], "kle_status": ["mine"]})
    with pytest.raises(InvalidRequest, match="kle_status"):
        PolarsEngine().validate(frame, kle_table, SPEC)


@pytest.mark.parametrize(
    ("extra", "message", "code"),
    [
        (["--column", "sag"], "no column 'sag'", 5),
        (["--column", "kle", "--date-column", "dato"], "no date column 'dato'", 5),
        (["--column", "kle", "--date-column", "d", "--at", "2018-01-01"], "not both", 5),
        (["--column", "kle", "--at", "1. juli"], "is not a date", 5),
        (["--column", "kle", "--fail-on", "unknown>>1"], "--fail-on", 5),
        (["--column", "kle", "--engine", "dask"], "--engine", 5),
        (["--column", "=kle"], "NAME=CLASSIFICATION", 5),
    ],
)
def test_the_cli_says_what_is_wrong_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str, code: int
) -> None:
    path = tmp_path / "sager.csv"
    path.write_text("kle,d\n27.24.03,2018-07-01\n")
    assert run(["data", "validate", str(path), *extra, "--db", f"sqlite:///{tmp_path / 'x.sqlite'}"]) == code
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_the_cli_refuses_a_non_utf8_file_and_writing_over_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sager.csv"
    path.write_bytes("kle;d\nsøn;2018\n".encode("cp1252"))
    assert run(["data", "validate", str(path), "--column", "kle"]) == 4
    assert "not UTF-8" in capsys.readouterr().err
    assert run(["data", "validate", str(path), "--column", "kle", "-o", str(path)]) == 5
    assert "-o names the input file" in capsys.readouterr().err
