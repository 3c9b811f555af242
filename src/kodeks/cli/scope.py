"""``kodeks scope`` — data scopes (KLE subtrees in user and rights management) made exact and durable.

kodeks scope expand kle --include '27.*' --include 32.18 --exclude 27.24.03 --at 2026-01-01
kodeks scope expand kle --include '00.10.*' --since 2014-01-01 --at 2026-01-01 --json
kodeks scope import enheder.xlsx --classification kle --since 2014-01-01
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from kodeks.cli.database import open_registry
from kodeks.errors import InvalidRequest

if TYPE_CHECKING:
    from kodeks.domain.data.scope import Drift, Index

app = typer.Typer(help="Data scopes: KLE subtrees as exact, durable sets of codes.", no_args_is_help=True)
out = Console(soft_wrap=True)
DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
MAX_SHEET_BYTES = 50 * 1024 * 1024


@app.callback()
def group() -> None:
    """Data scopes: KLE subtrees as exact, durable sets of codes."""


def _day(value: str | None, option: str) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(f"--known-at: {value!r} is not an ISO timestamp") from None


def _print_drift(d: Drift) -> None:
    if not d.drifted:
        out.print(f"no drift: every entry is valid on {d.day}")
        return
    for then, now in d.changed:
        where = f" → {', '.join(now.successors)}" if now.successors else ""
        since = f" since {now.since}" if now.since else ""
        out.print(
            f"{escape(str(now.entry))}: {then.status} on {d.since}, {now.status}{since} on {d.day}{where}"
        )
    should = d.rewritten
    out.print(
        "should read: include "
        + " ".join(escape(str(e)) for e in should.include)
        + ("; exclude " + " ".join(escape(str(e)) for e in should.exclude) if should.exclude else "")
    )


@app.command()
def expand(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    include: Annotated[list[str], typer.Option("--include", metavar="PATTERN", help="27.* or 32.18")],
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", metavar="CODE", help="27.24.03 or 27.24.*")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", metavar="DATE", help="valid date (default today)")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="the date the scope was written: report drift"),
    ] = None,
    known_at: Annotated[str | None, typer.Option("--known-at", metavar="TIME")] = None,
    column: Annotated[
        str | None, typer.Option("--column", help="column name in the filter expressions")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="print code,title,level as CSV")] = False,
    filter_: Annotated[
        str | None, typer.Option("--filter", metavar="sql|polars|spark", help="print a filter expression")
    ] = None,
    db: DbOption = None,
) -> None:
    """The exact set of codes a scope covers on a date (and, with --since, how it drifted)."""
    from kodeks.domain.data.filters import FILTERS
    from kodeks.domain.data.scope import Scope, drift
    from kodeks.domain.data.scope import expand as expand_on
    from kodeks.services.data.scopes import index

    if filter_ is not None and filter_ not in FILTERS:
        raise InvalidRequest(f"--filter {filter_!r}: choose {', '.join(FILTERS)}")
    try:
        scope = Scope.of(include, exclude or [])
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    day = _day(at, "--at")
    then = _day(since, "--since") if since else None
    kodeks = open_registry(db)
    found = index(kodeks.uow, classification_id, _instant(known_at))
    expansion = expand_on(found, scope, day)
    name = column or classification_id
    if as_json:
        body: dict[str, Any] = {
            "classification": classification_id,
            "at": day.isoformat(),
            "scope": scope.as_dict(),
            "count": len(expansion.codes),
            "codes": list(expansion.codes),
            "unresolved": [s.as_dict() for s in expansion.unresolved],
            "filters": {k: f(name, expansion.codes) for k, f in FILTERS.items()},
        }
        if then is not None:
            body["drift"] = drift(found, scope, then, day).as_dict()
        print(json.dumps(body, ensure_ascii=False))
        return
    if as_csv:
        _write_csv(found, expansion.codes, day)
        return
    if filter_ is not None:
        print(FILTERS[filter_](name, expansion.codes))
        return
    out.print(
        f"{len(expansion.codes)} codes on {day}"
        + (": " + " ".join(expansion.codes) if expansion.codes else "")
    )
    for s in expansion.unresolved:
        where = f" (moved to {', '.join(s.successors)})" if s.successors else ""
        out.print(f"[yellow]not valid on {day}:[/] {escape(str(s.entry))} is {s.status}{where}")
    if then is not None:
        _print_drift(drift(found, scope, then, day))


def _write_csv(found: Index, codes: tuple[str, ...], day: date) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "title", "level"])
    for code in codes:
        seg = found.at(code, day)
        writer.writerow([code, seg.title if seg else "", seg.level if seg and seg.level is not None else ""])


@app.command("import")
def import_(
    sheet: Annotated[Path, typer.Argument(metavar="SHEET", help="XLSX or CSV: unit, KLE code, aspect")],
    classification_id: Annotated[str, typer.Option("--classification", metavar="ID")] = "kle",
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="when the scopes were written")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="DATE", help="read them on this date (default today)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    db: DbOption = None,
) -> None:
    """Read scopes from an OS2mo / FK Organisation-shaped sheet and report the drift of every one."""
    from kodeks.domain.data.scope import drift
    from kodeks.formats.scope_sheet import read_assignments, scopes_of
    from kodeks.services.data.scopes import index

    if not sheet.is_file():
        raise InvalidRequest(f"{sheet}: no such file")
    if sheet.stat().st_size > MAX_SHEET_BYTES:
        raise InvalidRequest(f"{sheet.name}: larger than {MAX_SHEET_BYTES // (1024 * 1024)} MB")
    scopes = scopes_of(read_assignments(sheet.read_bytes(), sheet.name))
    day = _day(at, "--at")
    then = _day(since, "--since") if since else day
    kodeks = open_registry(db)
    found = index(kodeks.uow, classification_id)
    reports = [(s, drift(found, s, then, day)) for s in scopes]
    if as_json:
        print(
            json.dumps(
                {
                    "classification": classification_id,
                    "scopes": len(reports),
                    "drifted": sum(1 for _, d in reports if d.drifted),
                    "reports": [{"unit": s.unit, "aspect": s.aspect, **d.as_dict()} for s, d in reports],
                },
                ensure_ascii=False,
            )
        )
        return
    drifted = [(s, d) for s, d in reports if d.drifted]
    out.print(f"{len(reports)} scopes read, {len(drifted)} drifted between {then} and {day}")
    for s, d in drifted:
        out.print(f"[b]{escape(s.unit or '')}[/] ({escape(s.aspect or '')})")
        _print_drift(d)
