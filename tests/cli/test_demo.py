"""``kodeks demo`` loads the bundled open data once, and again is a no-op."""

from __future__ import annotations

from pathlib import Path

import pytest

from kodeks.cli.main import run


def test_demo_loads_bundled_open_data_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    no_real_data = str(tmp_path / "no-shared-data")
    assert run(["demo", "--no-serve", "--shared-data", no_real_data, "--db", db]) == 0
    first = capsys.readouterr().out
    for cid in ("db07", "isco-08", "eu-countries", "eu-file-types", "eu-data-themes"):
        assert f"loaded {cid}" in first
    assert "catalog:" in first
    assert run(["demo", "--no-serve", "--shared-data", no_real_data, "--db", db]) == 0
    assert "loaded" not in capsys.readouterr().out
    assert run(["show", "db07", "01.11.00", "--json", "--db", db]) == 0
    assert '"parent": "01.11"' in capsys.readouterr().out
