"""Every ``--help`` page reads as prose: no Python types (``<bool>``, ``<list[str]>``), no reST markup."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer

from kodeks.cli.main import Commands, app, run
from kodeks.formats.registry import exporters, importers

#: Python types as Typer prints them; placeholders such as ``title_<lang>`` are prose, not types.
TYPE_LABEL = re.compile(r"<(?:bool|str|int|float|path|file|directory|datetime|uuid|list\[[^\]]*\])>")
REST = re.compile(r"`|:(?:func|class|meth|mod|attr):")


def _paths(command: Any, prefix: list[str]) -> Iterator[list[str]]:
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, [*prefix, name])


def every_command() -> list[list[str]]:
    root = typer.main.get_command(app)
    for name in getattr(root, "lazy", {}):
        root.get_command(typer.Context(root), name)  # imports the sub-group
    return list(_paths(root, []))


def help_page(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert run([*args, "--help"]) == 0
    return capsys.readouterr().out


def test_the_walk_sees_every_sub_group() -> None:
    seen = {" ".join(p) for p in every_command()}
    expected = {"privacy anonymize", "governance changeset submit", "local deliver", "catalog seed"}
    assert expected <= seen
    assert len(seen) > 60


@pytest.mark.parametrize("args", every_command(), ids=lambda p: " ".join(p) or "kodeks")
def test_help_shows_no_python_types_and_no_rest_markup(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per option: nothing is split across lines
    text = help_page(args, capsys)
    assert "Usage:" in text
    command = " ".join(["kodeks", *args])
    assert not TYPE_LABEL.findall(text), f"{command} --help shows types: {TYPE_LABEL.findall(text)}"
    assert not REST.findall(text), f"{command} --help shows reST markup"


def test_format_options_list_the_registered_formats(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    exported = help_page(["export"], capsys)
    assert "one of: " + ", ".join(sorted(exporters())) in exported
    imported = help_page(["import"], capsys)
    assert "one of: " + ", ".join(sorted(importers())) in imported


def test_the_listed_line_of_each_sub_group_is_its_own_help() -> None:
    for name, (module, line) in Commands.lazy.items():
        sub_app = importlib.import_module(module).app
        assert sub_app.info.help == line, f"kodeks --help lists {name} with a stale line"


def test_the_root_help_lists_sub_groups_without_importing_them(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_page([], capsys)
    for name in Commands.lazy:
        assert f" {name} " in text
