"""Meta-test: every local-use route and command is in docs/local-use.md."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from kodeks.api import local, local_correspondences, local_profiles, local_sortiments, local_webhooks
from kodeks.cli.local import app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "local-use.md").read_text()
NAMES = {
    "classification_id": "id",
    "profile_id": "profile",
    "sortiment_id": "sortiment",
    "correspondence_id": "correspondence",
    "webhook_id": "webhook",
}


def test_every_route_is_in_the_reference() -> None:
    for module in (local, local_profiles, local_sortiments, local_correspondences, local_webhooks):
        for route in module.router.routes:
            path = re.sub(r"\{(\w+)\}", lambda m: "{" + NAMES.get(m.group(1), m.group(1)) + "}", route.path)  # type: ignore[attr-defined]
            method = sorted(route.methods)[0]  # type: ignore[attr-defined]
            assert f"| {method} | `{path}` |" in DOC, f"{method} {path} is not in docs/local-use.md"


def test_every_command_is_shown() -> None:
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        for full in [f"{name} {sub}" for sub in subcommands] if subcommands else [name]:
            assert f"kodeks local {full}" in DOC, f"kodeks local {full} is not in docs/local-use.md"
