"""Every governance route and CLI group is in docs/governance.md."""

from __future__ import annotations

from pathlib import Path

from kodeks.api import governance, governance_changesets
from kodeks.cli.governance import app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "governance.md").read_text(encoding="utf-8")
CS = "/api/v1/classifications/{id}/changesets/{change_set_id}"


def test_every_governance_route_is_documented() -> None:
    for module in (governance, governance_changesets):
        for route in module.router.routes:
            path = route.path.replace("{classification_id}", "{id}")  # type: ignore[attr-defined]
            if path.startswith(CS):
                tail = path[len(CS) :]
                forms = (
                    [".../changesets/{cs}"] if not tail else [f"...{tail}", f"...{tail.rsplit('}', 1)[-1]}"]
                )
            else:
                forms = [path, path.replace("/api/v1/classifications/{id}", "...")]
            assert any(f in DOC for f in forms), f"{path} is not in docs/governance.md"


def test_every_cli_group_and_command_is_documented() -> None:
    groups = [g.name for g in app.registered_groups]
    commands = [c.name for c in app.registered_commands]
    for name in [*groups, *commands]:
        assert f"kodeks governance {name}" in DOC, f"kodeks governance {name} is not in docs/governance.md"
