"""docs/landscape.md names every landscape and code bank route and every CLI command."""

from __future__ import annotations

from pathlib import Path

from fastapi.routing import APIRoute

DOC = Path(__file__).resolve().parents[2] / "docs" / "landscape.md"


def test_every_route_is_documented() -> None:
    from kodeks.api.landscape.codebank import router as codebank
    from kodeks.api.landscape.routes import router as landscape

    text = DOC.read_text(encoding="utf-8")
    for router, prefix in ((landscape, "/api/v1/landscape"), (codebank, "/api/v1/codebank")):
        for route in router.routes:
            assert isinstance(route, APIRoute)
            path = route.path.removeprefix(prefix)
            assert f"{path}`" in text or f"{path}?" in text, f"{route.path} is not in docs/landscape.md"


def test_every_command_is_documented() -> None:
    from kodeks.cli.codebank import app as codebank
    from kodeks.cli.landscape import app as landscape

    text = DOC.read_text(encoding="utf-8")
    for command in landscape.registered_commands:
        name = command.name or command.callback.__name__.rstrip("_")  # type: ignore[union-attr]
        assert f"`{name}`" in text or f"landscape {name}" in text, name
    names = [c.name or c.callback.__name__.rstrip("_") for c in codebank.registered_commands]  # type: ignore[union-attr]
    assert f"kodeks codebank {'|'.join(names)}" in text
