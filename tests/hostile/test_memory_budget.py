"""Issue 17.4: a file of a format read whole is refused before parsing when its size times the format's
measured memory factor is over the import memory budget (``KODEKS_IMPORT_MEMORY_MB``); Kodeks CSV
streams and is not bounded by it. A small budget stands in for a large file."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kodeks.cli.main import run
from kodeks.config import MiB, Settings, load_settings
from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.release import Release
from kodeks.errors import ConfigurationError, InputTooLarge
from kodeks.formats import budget, registry
from kodeks.formats.base import ExportSet
from kodeks.services import importing
from kodeks.services.ports import ReadsWhole
from kodeks.services.stream_ports import StreamingImporter
from tests.models.conftest import SMALL_XMI

ROWS = 400  # a Kodeks JSON file of about 170 kB: needs about 1.9 MB at the JSON factor


def json_file(path: Path) -> Path:
    since = Period(date(2026, 1, 1), None)
    items = tuple(Item(f"K{n:04d}", {"da": f"Emne {n}"}, 1, valid=since) for n in range(ROWS))
    export = ExportSet(Classification("whole"), items, (), (Release("2026", date(2026, 1, 1)),))
    path.write_bytes(registry.get_exporter("json").write(export))
    return path


def csv_file(path: Path) -> Path:
    path.write_text("code,title_da,level\n" + "".join(f"C{n:04d},Emne {n},1\n" for n in range(ROWS)))
    return path


def counts(db: Path) -> dict[str, int]:
    """Rows in every table of the SQLite file."""
    with sqlite3.connect(db) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def test_every_importer_streams_or_declares_its_memory_factor() -> None:
    for name, importer in registry.importers().items():
        streams = isinstance(importer, StreamingImporter)
        declared = isinstance(importer, ReadsWhole)
        assert streams != declared, name  # exactly one of the two
        if declared:
            assert importer.memory_factor == budget.MEMORY_FACTOR[name] > 1, name


def test_the_budget_is_a_setting_in_megabytes() -> None:
    assert load_settings({}).import_memory_bytes == 2048 * MiB
    assert load_settings({"KODEKS_IMPORT_MEMORY_MB": "300"}).import_memory_bytes == 300 * MiB
    with pytest.raises(ConfigurationError, match="KODEKS_IMPORT_MEMORY_MB must be positive"):
        Settings(import_memory_bytes=0)


def test_the_service_refuses_before_parsing(tmp_path: Path) -> None:
    data = json_file(tmp_path / "whole.json").read_bytes()
    need = len(data) * budget.MEMORY_FACTOR["json"]
    with pytest.raises(InputTooLarge) as refused:
        importing.read_bundles(registry.Registry(), b"{" + data, "whole.json", memory_budget=need - 1)
    assert (
        refused.value.code == "input_too_large" and refused.value.status == 413
    )  # the 413 of any too-large input
    # the file was not parsed: the same bytes with a broken first character were refused for size, not syntax
    assert refused.value.details["format"] == "json" and refused.value.details["budget"] == need - 1
    name, bundles = importing.read_bundles(registry.Registry(), data, "whole.json", memory_budget=need)
    assert (name, len(bundles[0].items)) == ("json", ROWS)
    # Kodeks CSV streams: no size is too large for the budget (the byte limit bounds it)
    assert importing.check_memory(registry.get_importer("csv"), 200 * MiB, 1, "big.csv") is None
    with pytest.raises(InputTooLarge):
        importing.check_memory(registry.get_importer("tabular"), 200 * MiB, 1, "big.csv")


def test_the_cli_refuses_in_one_line_and_leaves_the_database_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "k.sqlite"
    url = f"sqlite:///{db}"
    monkeypatch.setenv("KODEKS_IMPORT_MEMORY_MB", "1")
    # Kodeks CSV streams: the budget does not apply to it
    assert (
        run(["import", str(csv_file(tmp_path / "streamed.csv")), "--release-date", "2026-01-01", "--db", url])
        == 0
    )
    capsys.readouterr()
    before = counts(db)
    assert sum(before.values()) > ROWS  # the streamed rows are there

    path = json_file(tmp_path / "whole.json")
    assert run(["import", str(path), "--db", url]) == 4  # as for any other input too large
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    size = path.stat().st_size / MiB
    assert lines[0].startswith(f"error: whole.json: this json file of {size:.2f} MiB needs about ")
    assert "the import memory budget is 1.00 MiB (KODEKS_IMPORT_MEMORY_MB)" in lines[0]
    assert "Convert the file to Kodeks CSV (format csv), which streams" in lines[0]
    assert counts(db) == before

    monkeypatch.setenv("KODEKS_IMPORT_MEMORY_MB", "64")  # honoured: a larger budget lets it in
    assert run(["import", str(path), "--db", url]) == 0
    assert counts(db) != before


def test_the_models_cli_refuses_a_model_over_the_budget_before_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "padded.xmi"  # 200 kB of comment: about 2.4 MB at the XMI factor, over a 1 MiB budget
    path.write_bytes(SMALL_XMI.replace(b"?>", b"?><!--" + b" " * 200_000 + b"-->", 1))
    monkeypatch.setenv("KODEKS_IMPORT_MEMORY_MB", "1")
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    assert run(["models", "import", str(path), "--db", url]) == 4
    lines = capsys.readouterr().err.strip().splitlines()
    size = path.stat().st_size / MiB
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: padded.xmi: this xmi model file of {size:.2f} MiB needs about ")
    monkeypatch.setenv("KODEKS_IMPORT_MEMORY_MB", "64")
    assert run(["models", "import", str(path), "--db", url]) == 0
