"""``migrate`` leaves a database at the heads alone without importing Alembic, and is right about it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from kodeks.storage.engine import alembic_config, at_heads, heads, make_engine, migrate


def test_the_heads_read_from_the_files_are_alembics_heads() -> None:
    engine = make_engine("sqlite://")
    assert heads() == frozenset(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def test_a_fresh_database_is_migrated_and_then_known_to_be_at_the_heads() -> None:
    engine = make_engine("sqlite://")
    assert not at_heads(engine)
    migrate(engine)
    assert at_heads(engine)
    migrate(engine)  # idempotent
    assert at_heads(engine)


def test_opening_a_migrated_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    migrate(make_engine(url))
    probe = (
        "import sys; from kodeks.storage.engine import make_engine, migrate; "
        f"migrate(make_engine({url!r})); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
