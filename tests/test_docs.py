"""Meta-tests: every contract path and CLI verb is documented, and the README keeps its promise."""

from __future__ import annotations

from pathlib import Path

from kodeks.api.routes import router
from kodeks.cli.main import app

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_registry_path_is_in_the_api_reference() -> None:
    text = (DOCS / "api.md").read_text()
    for route in router.routes:
        path = route.path.replace("{classification_id}", "{id}")  # type: ignore[attr-defined]
        assert path in text, f"{path} is not documented in docs/api.md"


def test_every_cli_verb_is_in_the_cli_reference() -> None:
    text = (DOCS / "cli.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"`kodeks {name}" in text, f"kodeks {name} is not documented in docs/cli.md"


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.read_text().split("```sh", 1)[1].split("```", 1)[0]
    lines = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert lines == ["scripts/bootstrap && .venv/bin/kodeks demo", "scripts/test"]
    assert "scripts/test" in (README.parent / ".ci" / "run").read_text()
