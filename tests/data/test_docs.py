"""docs/data.md names every command and path of the data part, and every status word."""

from __future__ import annotations

from pathlib import Path

from kodeks.api.data import scope, validate
from kodeks.cli import data
from kodeks.cli import scope as scope_cli
from kodeks.domain.data.crosswalk import Outcome
from kodeks.domain.data.status import Status

DOC = (Path(__file__).resolve().parents[2] / "docs" / "data.md").read_text()


def test_every_command_is_documented() -> None:
    for group, app in (("data", data.app), ("scope", scope_cli.app)):
        for command in app.registered_commands:
            name = command.name or command.callback.__name__.rstrip("_")  # type: ignore[union-attr]
            assert f"kodeks {group} {name}" in DOC, f"kodeks {group} {name}"


def test_every_path_is_documented() -> None:
    for router in (validate.router, scope.reads, scope.writes):
        for route in router.routes:
            path = route.path.replace("{classification_id}", "{id}")  # type: ignore[attr-defined]
            assert path in DOC, path


def test_every_status_and_outcome_word_is_documented() -> None:
    for word in [*Status, *Outcome]:
        assert f"`{word.value}`" in DOC, word
