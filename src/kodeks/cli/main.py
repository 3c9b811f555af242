"""``kodeks`` — the command line. Every command takes ``--db URL`` (or ``KODEKS_DATABASE_URL``).

Exit codes: 0 ok, 1 unexpected error, 2 usage error, 3 not found, 4 import failed, 5 invalid request.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.bootstrap import Kodeks, build
from kodeks.cli import catalog, governance, local, privacy
from kodeks.cli import demo as demo_module
from kodeks.cli.output import print_changes, print_item
from kodeks.config import load_settings
from kodeks.domain.codec import item_to_dict
from kodeks.errors import ImportError_, InputTooLarge, InvalidRequest, KodeksError, NotFound
from kodeks.formats import tabular_options
from kodeks.services import exporting, importing, queries
from kodeks.services.ports import ImportOptions
from kodeks.services.queries import When

app = typer.Typer(
    name="kodeks",
    help="Kodeks: the bitemporal classification registry.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL or sqlite:///kodeks.sqlite)"),
]
EXIT_CODES: dict[type[KodeksError], int] = {NotFound: 3, ImportError_: 4, InvalidRequest: 5}


def open_registry(db: str | None) -> Kodeks:
    return build(load_settings(database_url=db))


def _parse_options(values: list[str] | None) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for value in values or []:
        if "=" not in value:
            raise InvalidRequest(f"option {value!r} must look like name=value")
        key, _, val = value.partition("=")
        parsed[key.strip()] = val.strip()
    return parsed


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="file to import")],
    classification: Annotated[str | None, typer.Option(help="classification id (slug)")] = None,
    format: Annotated[str | None, typer.Option("--format", help="force a format; default: detect")] = None,
    release: Annotated[str | None, typer.Option("--release", help="release label")] = None,
    release_date: Annotated[str | None, typer.Option("--release-date", help="YYYY-MM-DD")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="tabular column mapping role=column")
    ] = None,
    option: Annotated[list[str] | None, typer.Option("--option", help=tabular_options.CLI_HELP)] = None,
    db: DbOption = None,
) -> None:
    """Import a file as a new release (version) of its classification. All or nothing."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    kodeks = open_registry(db)
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    size = path.stat().st_size
    if size > kodeks.settings.max_import_bytes:
        raise InputTooLarge(
            f"file is {size:,} bytes; the limit is {kodeks.settings.max_import_bytes:,}", source=path.name
        )
    day = _date(release_date, "--release-date") if release_date else None
    options = ImportOptions(
        classification=classification, mapping=_parse_options(map_), options=_parse_options(option)
    )
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task(f"importing {path.name}")
        reports = importing.import_data(
            kodeks.uow,
            kodeks.formats,
            path.read_bytes(),
            path.name,
            format=format,
            options=options,
            release_label=release,
            release_date=day,
            max_bytes=kodeks.settings.max_import_bytes,
            listeners=kodeks.listeners,
            progress=lambda msg: progress.update(task, description=f"{path.name}: {msg}"),
        )
    for r in reports:
        out.print(
            f"imported [bold]{r.classification_id}[/] release {escape(r.release_label)} ({r.release_date}) "
            f"from {r.format}: {r.items} items; {r.inserted} records added, {r.closed} superseded"
        )
        for warning in r.warnings:
            err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)


@app.command()
def export(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    format: Annotated[str, typer.Option("--format", help="ttl|jsonld|rdfxml|csv|json|xlsx|fhir")],
    at: Annotated[str | None, typer.Option(help="valid date YYYY-MM-DD (default today)")] = None,
    known_at: Annotated[str | None, typer.Option("--known-at", help="recorded time (ISO)")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file (default stdout)")] = None,
    db: DbOption = None,
) -> None:
    """Export a classification as it was valid on a date."""
    kodeks = open_registry(db)
    exported = exporting.export(kodeks.uow, kodeks.formats, classification_id, format, _when(at, known_at))
    if output is None:
        sys.stdout.buffer.write(exported.content)
        sys.stdout.flush()
    else:
        tmp = output.with_name(output.name + ".part")
        tmp.write_bytes(exported.content)
        tmp.replace(output)
        err.print(f"wrote {output} ({len(exported.content):,} bytes)")


@app.command()
def show(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    code: Annotated[str, typer.Argument(metavar="CODE")],
    at: Annotated[str | None, typer.Option(help="valid date YYYY-MM-DD (default today)")] = None,
    known_at: Annotated[str | None, typer.Option("--known-at", help="recorded time (ISO)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    db: DbOption = None,
) -> None:
    """Show one code as valid on a date (and as known at a time)."""
    kodeks = open_registry(db)
    view = queries.item(kodeks.uow, classification_id, code, _when(at, known_at))
    if as_json:
        data = {
            **item_to_dict(view.item),
            "classification": view.classification,
            "at": view.at.isoformat(),
            "children": view.children,
            "successors_now": list(view.successors_now),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_item(out, view)


@app.command()
def changes(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    from_: Annotated[str, typer.Option("--from", help="earlier date YYYY-MM-DD")],
    to: Annotated[str, typer.Option("--to", help="later date YYYY-MM-DD")],
    known_at: Annotated[str | None, typer.Option("--known-at", help="recorded time (ISO)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    db: DbOption = None,
) -> None:
    """What changed between two dates: added, expired, renamed, moved (old → new)."""
    kodeks = open_registry(db)
    cs = queries.changes(
        kodeks.uow,
        classification_id,
        _date(from_, "--from"),
        _date(to, "--to"),
        _timestamp(known_at) if known_at else None,
    )
    if as_json:
        from kodeks.api.render import changes as render_changes

        print(json.dumps(render_changes(classification_id, cs), ensure_ascii=False, indent=2))
    else:
        print_changes(out, classification_id, cs)


@app.command("list")
def list_(db: DbOption = None) -> None:
    """List the classifications and their versions."""
    kodeks = open_registry(db)
    table = Table("id", "title", "versions", "latest", "owner")
    for c in queries.list_classifications(kodeks.uow):
        vs = queries.versions(kodeks.uow, c.id)
        table.add_row(c.id, c.title(), str(len(vs)), vs[-1].label if vs else "-", c.owner or "")
    out.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log", help="log every request (off: a reverse proxy usually logs)")
    ] = False,
    db: DbOption = None,
) -> None:
    """Serve the web UI and the API (OpenAPI docs at /docs)."""
    import uvicorn

    kodeks = open_registry(db)
    from kodeks.api.app import create_app
    from kodeks.api.server import HttpProtocol, log_config

    out.print(f"Kodeks on http://{host}:{port}  (docs: http://{host}:{port}/docs, db: {_safe_url(kodeks)})")
    if workers > 1:
        import os

        os.environ["KODEKS_DATABASE_URL"] = kodeks.settings.database_url
        uvicorn.run(
            "kodeks.api.asgi:app",
            host=host,
            port=port,
            workers=workers,
            http=HttpProtocol,
            log_config=log_config(access_log=access_log),
            access_log=access_log,
        )
    else:
        uvicorn.run(
            create_app(kodeks),
            host=host,
            port=port,
            http=HttpProtocol,
            log_config=log_config(access_log=access_log),
            access_log=access_log,
        )


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="interface")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="load only, do not serve")] = False,
    shared_data: Annotated[
        Path | None, typer.Option(help="folder with real data (default ../shared/data if present)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Load the bundled open data (and real KLE etc. when ../shared/data is there), then serve.
    Safe to run again: what is loaded already is skipped (and named)."""
    kodeks = open_registry(db)
    out.print(f"database {_safe_url(kodeks)}")
    demo_module.load(kodeks, out, shared_data)
    if not no_serve:
        serve(host=host, port=port, workers=1, access_log=False, db=kodeks.settings.database_url)


def _safe_url(kodeks: Kodeks) -> str:
    from sqlalchemy.engine import make_url

    return make_url(kodeks.settings.database_url).render_as_string(hide_password=True)


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _timestamp(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(f"--known-at: {value!r} is not an ISO timestamp") from None


def _when(at: str | None, known_at: str | None) -> When:
    return When.of(_date(at, "--at") if at else None, _timestamp(known_at) if known_at else None)


app.add_typer(privacy.app, name="privacy")
app.add_typer(governance.app, name="governance")
app.add_typer(local.app, name="local")
app.add_typer(catalog.app, name="catalog")


def run(args: list[str]) -> int:
    """Run the CLI with ``args``; returns the exit code (errors become one line on stderr)."""
    try:
        app(args, standalone_mode=False)
    except KodeksError as exc:
        err.print(f"[red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)
        return next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1)
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", 0))
    except (typer.Abort, KeyboardInterrupt):
        return 130
    except typer.TyperException as exc:  # usage errors: bad option, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        return int(getattr(exc, "exit_code", 2))
    return 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
