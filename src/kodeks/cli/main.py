"""``kodeks`` — the command line. Every command takes ``--db URL`` (or ``KODEKS_DATABASE_URL``).

Exit codes: 0 ok, 1 unexpected error, 2 usage error, 3 not found, 4 import failed, 5 invalid request.
Errors are one line on stderr, never wrapped (logs and cron read them too).

Start-up is kept short: this module imports only Typer and Rich; each command imports what it uses,
and the sub-groups (privacy, governance, local, catalog) are imported when named (``cli.lazy``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

import typer
from rich.console import Console
from rich.markup import escape

from kodeks.cli.database import database_problem, open_registry
from kodeks.cli.helptext import EXPORT_FORMAT, IMPORT_FORMAT
from kodeks.cli.lazy import LazyGroup
from kodeks.errors import ImportError_, InputTooLarge, InvalidRequest, KodeksError, NotFound
from kodeks.formats import tabular_options

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks
    from kodeks.services.queries import When


class Commands(LazyGroup):
    lazy: ClassVar[dict[str, tuple[str, str]]] = {
        "privacy": (
            "kodeks.cli.privacy",
            "Pseudonymize, anonymize with measured risk, and synthesize tables.",
        ),
        "governance": (
            "kodeks.cli.governance",
            "Governance: who may do what, and edits through reviewed change sets.",
        ),
        "local": (
            "kodeks.cli.local",
            "Local use: profiles, sortimenter, correspondences, change feeds, webhooks.",
        ),
        "catalog": ("kodeks.cli.catalog", "The classification catalog (DCAT-AP-DK) and search."),
        "requirements": (
            "kodeks.cli.requirements",
            "Common requirements, requirement sets for a tender, supplier answers.",
        ),
        "screening": ("kodeks.cli.screening", "Screen a project: how much architecture attention it needs."),
        "landscape": (
            "kodeks.cli.landscape",
            "The solution landscape: IT solutions, their use per municipality, KLE tasks.",
        ),
        "codebank": ("kodeks.cli.codebank", "The AI code bank: shared algorithms, offers and interest."),
        "models": (
            "kodeks.cli.models",
            "Information models (UML/XMI, FDA rules): import, check, bind value domains, export.",
        ),
        "data": ("kodeks.cli.data", "Classifications on data: validate a dataset's code column."),
        "scope": ("kodeks.cli.scope", "Data scopes: KLE subtrees as exact, durable sets of codes."),
    }


app = typer.Typer(
    name="kodeks",
    help="Kodeks: the bitemporal classification registry.",
    cls=Commands,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True, highlight=False)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="database URL: sqlite:///PATH or postgresql://... (default: KODEKS_DATABASE_URL or "
        "sqlite:///kodeks.sqlite)",
    ),
]
AtOption = Annotated[
    str | None, typer.Option("--at", metavar="DATE", help="valid date YYYY-MM-DD (default today)")
]
KnownAtOption = Annotated[
    str | None,
    typer.Option("--known-at", metavar="TIME", help="recorded time, ISO 8601: as Kodeks knew it then"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON")]
EXIT_CODES: dict[type[KodeksError], int] = {NotFound: 3, ImportError_: 4, InvalidRequest: 5}


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
    path: Annotated[Path, typer.Argument(metavar="PATH", help="file to import")],
    classification: Annotated[str | None, typer.Option(metavar="ID", help="classification id (slug)")] = None,
    format: Annotated[
        str | None, typer.Option("--format", metavar=IMPORT_FORMAT, help="force a format (default: detect)")
    ] = None,
    release: Annotated[str | None, typer.Option("--release", metavar="LABEL", help="release label")] = None,
    release_date: Annotated[
        str | None, typer.Option("--release-date", metavar="DATE", help="release date YYYY-MM-DD")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="ROLE=COLUMN", help="tabular column mapping (repeatable)"),
    ] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", metavar="NAME=VALUE", help=tabular_options.CLI_HELP)
    ] = None,
    db: DbOption = None,
) -> None:
    """Import a file as a new release (version) of its classification. All or nothing.

    On a terminal a spinner shows the step under way; otherwise only the result is printed.
    """
    from kodeks.services import importing
    from kodeks.services.ports import ImportOptions

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
    with _progress(f"importing {path.name}") as say:
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
            memory_budget=kodeks.settings.import_memory_bytes,
            listeners=kodeks.listeners,
            progress=lambda msg: say(f"{path.name}: {msg}"),
            base_uri=kodeks.settings.base_uri,
        )
    for r in reports:
        if r.already is not None:
            out.print(escape(r.describe()), highlight=False, soft_wrap=True)
            continue
        out.print(
            f"imported [bold]{r.classification_id}[/] release {escape(r.release_label)} ({r.release_date}) "
            f"from {r.format}: {r.items} items; {r.inserted} records added, {r.closed} superseded",
            highlight=False,
            soft_wrap=True,
        )
        if r.date_source:
            out.print(
                f"  release date {r.release_date} from the file's {escape(r.date_source)}", highlight=False
            )
        from kodeks.cli.output import inference_lines

        for line in inference_lines(r.inferences):
            out.print(f"  {escape(line)}", highlight=False, soft_wrap=True)
        for warning in r.warnings:
            err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)


@contextmanager
def _progress(description: str) -> Iterator[Callable[[str], None]]:
    """A Rich spinner with the step under way, on a terminal (stderr); nothing otherwise."""
    if not err.is_terminal:
        yield lambda _msg: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(escape(description), total=None)
        yield lambda msg: progress.update(task, description=escape(msg), refresh=True)


@app.command()
def export(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    format: Annotated[str, typer.Option("--format", metavar=EXPORT_FORMAT, help="export format")],
    at: AtOption = None,
    known_at: KnownAtOption = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="file (default stdout)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export a classification as it was valid on a date."""
    from kodeks.services import exporting

    kodeks = open_registry(db)
    with _known_at_explained(kodeks, classification_id, known_at):
        when = _when(at, known_at)
        exported = exporting.export(kodeks.uow, kodeks.formats, classification_id, format, when)
    if output is None:
        sys.stdout.buffer.write(exported.content)
        sys.stdout.flush()
    else:
        tmp = output.with_name(output.name + ".part")
        tmp.write_bytes(exported.content)
        tmp.replace(output)
        err.print(f"wrote {escape(str(output))} ({len(exported.content):,} bytes)")


@app.command()
def show(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    code: Annotated[str, typer.Argument(metavar="CODE")],
    at: AtOption = None,
    known_at: KnownAtOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show one code as valid on a date (and as known at a time)."""
    from kodeks.services import queries

    kodeks = open_registry(db)
    with _known_at_explained(kodeks, classification_id, known_at):
        view = queries.item(kodeks.uow, classification_id, code, _when(at, known_at))
    if as_json:
        from kodeks.domain.codec import item_to_dict

        data = {
            **item_to_dict(view.item),
            "classification": view.classification,
            "at": view.at.isoformat(),
            "children": view.children,
            "successors_now": list(view.successors_now),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from kodeks.cli.output import print_item

        print_item(out, view)


@app.command()
def changes(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    from_: Annotated[str, typer.Option("--from", metavar="DATE", help="earlier date YYYY-MM-DD")],
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="later date YYYY-MM-DD")],
    known_at: KnownAtOption = None,
    propose_moves: Annotated[
        bool,
        typer.Option(
            "--propose-moves",
            help="also propose successors for codes that expired without one (same or close title, "
            "shared keywords); nothing is applied",
        ),
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What changed between two dates: added, expired, renamed, moved (old → new), reused codes."""
    from kodeks.services import queries

    kodeks = open_registry(db)
    with _known_at_explained(kodeks, classification_id, known_at):
        cs = queries.changes(
            kodeks.uow,
            classification_id,
            _date(from_, "--from"),
            _date(to, "--to"),
            _timestamp(known_at) if known_at else None,
        )
    proposals = (
        queries.proposed_moves(
            kodeks.uow,
            classification_id,
            cs.from_date,
            cs.to_date,
            _timestamp(known_at) if known_at else None,
        )
        if propose_moves
        else None
    )
    if as_json:
        from kodeks.api.render import changes as render_changes
        from kodeks.api.render import proposal as render_proposal

        body = render_changes(classification_id, cs)
        if proposals is not None:
            body["proposed_moves"] = [render_proposal(p) for p in proposals]
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        from kodeks.cli.output import print_changes, print_proposals

        print_changes(out, classification_id, cs)
        if proposals is not None:
            print_proposals(out, proposals)


@app.command("list")
def list_(as_json: JsonOption = False, db: DbOption = None) -> None:
    """List the classifications and their versions (releases), oldest first."""
    from kodeks.cli.output import classification_rows, print_classifications
    from kodeks.services import queries

    kodeks = open_registry(db)
    listed = [(c, queries.versions(kodeks.uow, c.id)) for c in queries.list_classifications(kodeks.uow)]
    if as_json:
        print(json.dumps(classification_rows(listed), ensure_ascii=False, indent=2))
    else:
        print_classifications(out, listed)


@app.command()
def serve(
    host: Annotated[str, typer.Option(metavar="HOST", help="interface")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="port")] = 8000,
    workers: Annotated[int, typer.Option(metavar="N", help="worker processes")] = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log", help="log every request (off: a reverse proxy usually logs)")
    ] = False,
    db: DbOption = None,
) -> None:
    """Serve the web UI and the API (OpenAPI docs at /docs)."""
    import uvicorn

    from kodeks.api.app import create_app
    from kodeks.api.server import HttpProtocol, log_config
    from kodeks.cli.database import safe_url

    kodeks = open_registry(db)
    url = safe_url(kodeks.settings.database_url)
    base = f"http://{host}:{port}"
    out.print(f"Kodeks on {base}  (docs: {base}/docs, db: {url})", highlight=False)
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
            create_app(kodeks, warm=True),
            host=host,
            port=port,
            http=HttpProtocol,
            log_config=log_config(access_log=access_log),
            access_log=access_log,
        )


@app.command()
def demo(
    host: Annotated[str, typer.Option(metavar="HOST", help="interface")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="port")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="load only, do not serve")] = False,
    shared_data: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="folder with real data (default ../shared/data if present)"),
    ] = None,
    db: DbOption = None,
) -> None:
    """Load the bundled open data (and real KLE etc. when ../shared/data is there), then serve.
    Safe to run again: what is loaded already is skipped (and named)."""
    from kodeks.cli import demo as demo_module
    from kodeks.cli.database import safe_url

    kodeks = open_registry(db)
    out.print(f"database {safe_url(kodeks.settings.database_url)}", highlight=False)
    demo_module.load(kodeks, out, shared_data)
    if not no_serve:
        serve(host=host, port=port, workers=1, access_log=False, db=kodeks.settings.database_url)


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
    from kodeks.services.queries import When

    return When.of(_date(at, "--at") if at else None, _timestamp(known_at) if known_at else None)


@contextmanager
def _known_at_explained(kodeks: Kodeks, cid: str, known_at: str | None) -> Iterator[None]:
    """Turn "no classification" at a ``--known-at`` before it was first recorded into when it was."""
    try:
        yield
    except NotFound as exc:
        if known_at is None or "code" in exc.details:
            raise
        first = _first_recorded(kodeks, cid)
        if first is None:
            raise
        raise NotFound(
            f"{cid!r} was first recorded at {first}; nothing was known of it at {known_at}",
            classification=cid,
            first_recorded=first,
        ) from None


def _first_recorded(kodeks: Kodeks, cid: str) -> str | None:
    """When Kodeks first recorded a release of ``cid`` (ISO, UTC), as it knows now; None if never."""
    from kodeks.services import queries

    try:
        versions = queries.versions(kodeks.uow, cid)
    except NotFound:
        return None
    if not versions:
        return None
    first = min(v.recorded_at for v in versions)
    return first.isoformat(timespec="seconds").replace("+00:00", "") + "Z"


def _usage_line(exc: typer.TyperException) -> str:
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    ctx = getattr(exc, "ctx", None)
    hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
    return f"{message}{hint}"


def _error(message: str) -> None:
    """One line on stderr, however long: never wrapped, never split."""
    err.print(f"[red]error:[/] {escape(' '.join(message.split()))}", soft_wrap=True)


def run(args: list[str]) -> int:
    """Run the CLI with ``args``; returns the exit code (errors become one line on stderr)."""
    try:
        returned = app(args, standalone_mode=False, prog_name="kodeks")
        if isinstance(returned, int) and not isinstance(returned, bool):
            return returned  # a command's ``typer.Exit(code)``: click hands the code back
    except KodeksError as exc:
        _error(exc.message)
        return next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1)
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", 0))
    except (typer.Abort, KeyboardInterrupt):
        return 130
    except typer.TyperException as exc:  # usage errors: bad option, missing argument
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group (``kodeks``): its help
            show = getattr(exc, "show", None)
            if callable(show):
                show()
        else:
            _error(_usage_line(exc))
        return int(getattr(exc, "exit_code", 2))
    except Exception as exc:
        if "sqlalchemy" in sys.modules:
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(exc, SQLAlchemyError):  # a database that went away, a lost connection, ...
                _error(f"database: {database_problem(exc)}")
                return 1
        raise
    return 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
