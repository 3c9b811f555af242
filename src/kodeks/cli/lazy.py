"""A command group whose sub-groups are imported only when used.

``kodeks privacy`` needs Polars and SciPy, ``kodeks governance`` the governance services, and so on;
importing all of them made every command (``kodeks --help`` included) pay for all of them. A
:class:`LazyGroup` names each sub-group by module and one-line help: ``kodeks --help`` lists them from
that line, and ``kodeks privacy ...`` imports ``kodeks.cli.privacy`` when it is resolved.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

from kodeks.cli.helptext import name_formats, plain, tidy


class LazyGroup(TyperGroup):
    """``lazy`` maps a sub-group's name to (module defining ``app``, its one-line help)."""

    lazy: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False
        tidy(self)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(name for name in self.lazy if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in self.lazy:
            command = super().get_command(ctx, cmd_name)
            if command is not None and not self._listing:
                name_formats(command)
            return command
        if self._listing:  # a help page lists it: its line is enough
            return TyperCommand(cmd_name, help=plain(self.lazy[cmd_name][1]))
        return self.load(cmd_name)

    def load(self, name: str) -> TyperGroup:
        """Import the sub-group ``name`` and keep it."""
        sub_app = importlib.import_module(self.lazy[name][0]).app
        group = tidy(typer.main.get_command(sub_app))
        group.name = name
        # Shell completion is the root's business (off there): a sub-group offers none either.
        group.params = [p for p in group.params if p.name not in ("install_completion", "show_completion")]
        self.commands[name] = group
        return group  # type: ignore[no-any-return]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
