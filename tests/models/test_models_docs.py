"""docs/models.md names every model route and CLI command; the README's model lines run as written."""

from __future__ import annotations

from pathlib import Path

from kodeks.api.models import router as api_router
from kodeks.cli.models import app
from kodeks.web.models import router as web_router

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "models.md").read_text()


def test_every_api_path_is_in_the_docs() -> None:
    for route in api_router.routes:
        path = route.path.replace("{model_id}", "{id}").replace("{classification_id}", "{id}")  # type: ignore[attr-defined]
        path = path.replace("{element_id}", "{element}")
        assert f"{next(iter(route.methods))} {path}" in DOC, path  # type: ignore[attr-defined]


def test_every_web_path_is_in_the_docs() -> None:
    for route in web_router.routes:
        path = route.path.replace("{model_id}", "{id}").replace("{package_id}", "{package}")  # type: ignore[attr-defined]
        path = path.replace("{class_id}", "{class}")
        if path.startswith("/models") or path.endswith("diagram.svg"):
            continue  # the English alias and the diagram's own address
        assert path in DOC, path


def test_every_cli_command_is_in_the_docs() -> None:
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"kodeks models {name.rstrip('_')}" in DOC, name


def test_the_readme_model_lines_run_as_written(tmp_path: Path, capsys: object, monkeypatch: object) -> None:
    import shlex

    import pytest

    from kodeks.cli.main import run
    from tests.conftest import SHARED_DATA, data_file

    data_file("infomodels/digst_nemkontoregisteret_fdaprofil_ea.xmi.xml")  # skips without the real data
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Information models", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines()]
    commands = [line.split("  #")[0].strip() for line in lines if line.startswith("kodeks models")]
    promised = [line.removeprefix("# ").strip() for line in lines if line.startswith("# imported")]
    assert len(commands) == 3 and len(promised) == 1
    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    mp.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'readme.sqlite'}"
    outputs = []
    for command in commands:
        args = [a.replace("../shared/data", str(SHARED_DATA)) for a in shlex.split(command)[1:]]
        assert run([*args, "--db", db]) == 0, command
        outputs.append(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert outputs[0].strip() == promised[0]
    assert '"rule": "uri"' in outputs[1]
    assert (tmp_path / "nemkonto.shacl.ttl").read_text().startswith("@prefix")
