"""How ``--help`` reads: values named (TEXT, DATE, a list of formats), never Python types or reST.

Typer prints each parameter's Python type beside it (``<bool>`` for a flag, ``<list[str]>`` for a
repeatable option) and a docstring's reST literals verbatim. :func:`tidy` rewrites a command tree
once, before it parses: flags show no value, options their metavar (else TEXT, INTEGER, PATH, ...),
arguments only their name, and help texts lose the reST markup. An option whose metavar is one of
``FORMAT_LISTS`` reads FORMAT, and :func:`name_formats` adds the registered formats' names to its
help when the command is resolved (the format modules are heavy: only the commands that take a
format, and load the formats anyway, pay for reading them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption


def _import_formats() -> list[str]:
    from kodeks.formats.registry import importers

    return sorted(importers())


def _export_formats() -> list[str]:
    from kodeks.formats.registry import exporters

    return sorted(exporters())


IMPORT_FORMAT = "IMPORT_FORMAT"
EXPORT_FORMAT = "EXPORT_FORMAT"
FORMAT_LISTS: dict[str, Callable[[], list[str]]] = {
    IMPORT_FORMAT: _import_formats,
    EXPORT_FORMAT: _export_formats,
}
_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "datetime": "DATETIME", "uuid": "UUID"}
_REST = re.compile(r"``(.+?)``|(?<![\w`])`([^`\n]+)`(?![\w`])|:(?:func|class|meth|mod|attr):`~?([^`]+)`")


def plain(text: str | None) -> str | None:
    """``text`` without reST inline markup (````x````, ```x```, ``:func:`x```)."""
    if not text:
        return text
    return _REST.sub(lambda m: next(g for g in m.groups() if g is not None), text)


def _label(param: TyperOption, ctx: typer.Context) -> str | None:
    if param.is_flag or param.count:
        return None
    if param.metavar in FORMAT_LISTS:
        return "FORMAT"
    if param.metavar is not None:
        return param.metavar
    shown = param.display_type(ctx).strip("<>")
    shown = shown.removeprefix("list[").removesuffix("]")
    if "|" in shown:  # a choice
        return f"[{shown}]"
    return _TYPES.get(shown, shown.upper())


def _no_type(ctx: typer.Context) -> None:
    return None


def _tidy_param(param: Any) -> None:
    param.help = plain(param.help)
    # Typer asks each parameter for ``display_type_rich(ctx)``; this instance answers instead.
    if isinstance(param, TyperOption):
        vars(param)["display_type_rich"] = partial(_label, param)
    elif isinstance(param, TyperArgument):
        vars(param)["display_type_rich"] = _no_type


def tidy(command: Any) -> Any:
    """Tidy ``command``'s help (and its sub-commands'), in place; returns it."""
    command.help = plain(command.help)
    command.short_help = plain(command.short_help)
    context = typer.Context(command)
    for param in [*command.params, command.get_help_option(context)]:
        if param is not None:
            _tidy_param(param)
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            tidy(sub)
    return command


def name_formats(command: Any) -> None:
    """Add the registered formats' names to the help of ``command``'s format options (once)."""
    for param in command.params:
        names = FORMAT_LISTS.get(param.metavar or "")
        if names is not None and not getattr(param, "formats_named", False):
            param.help = f"{param.help or 'format'}; one of: " + ", ".join(names())
            param.formats_named = True
