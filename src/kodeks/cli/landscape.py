"""``kodeks landscape`` — the solution landscape (SYS-AP) from the command line.

kodeks landscape import landskab.xlsx                     # or .csv, .ttl/.rdf/.jsonld, KITOS .json
kodeks landscape import kitos.json --format kitos
kodeks landscape generate --systems 2000 --years 10       # into the database
kodeks landscape generate --systems 60 -o landskab.csv    # to a file (csv, xlsx, ttl)
kodeks landscape export --format sysap-ttl -o landskab.ttl [--at 2022-01-01]
kodeks landscape usage --solution aula --at 2022-01-01 [--known-at 2022-01-01T00:00]
kodeks landscape coverage 751 [--at DATE]
kodeks landscape task 27.24.00
kodeks landscape suppliers | contracts | gaps | overlaps
"""

from __future__ import annotations

import getpass
import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.domain.landscape.codec import use_to_dict
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.services.landscape import queries
from kodeks.services.queries import When

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks
    from kodeks.services.landscape.importing import LandscapeImportReport

app = typer.Typer(
    help="The solution landscape: IT solutions, their use per municipality, KLE tasks.", no_args_is_help=True
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
AtOption = Annotated[str | None, typer.Option("--at", help="valid date YYYY-MM-DD (default: today)")]
KnownOption = Annotated[
    str | None, typer.Option("--known-at", help="as recorded at this UTC time (default: now)")
]
MAX_BYTES = 50 * 1024 * 1024
FORMATS = ("sysap", "sheet", "kitos")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _when(at: str | None, known_at: str | None = None) -> When:
    try:
        day = date.fromisoformat(at) if at else None
        known = datetime.fromisoformat(known_at.replace("Z", "+00:00")) if known_at else None
    except ValueError as exc:
        raise InvalidRequest(f"not a date or time: {exc}") from None
    return When.of(day, known)


def _report(report: LandscapeImportReport) -> None:
    if not report.changed:
        out.print(f"{escape(report.source)}: nothing new (everything is already held)")
    else:
        out.print(
            f"{escape(report.source)}: {report.solutions_added} solutions added, "
            f"{report.solutions_changed} changed; "
            f"uses of {report.pairs_changed} solution × municipality pairs recorded "
            f"({report.uses} uses, {report.municipalities} municipalities)"
        )
    for line in report.flagged[:10]:
        out.print(f"  flagged: {escape(line)}")
    if len(report.flagged) > 10:
        out.print(f"  ... and {len(report.flagged) - 10} more task references KLE has moved or expired")
    for line in report.notes[:20]:
        out.print(f"  note: {escape(line)}")


def _import(kodeks: Kodeks, bundle: object) -> None:
    from kodeks.services.landscape.importing import import_bundle

    _report(import_bundle(kodeks.uow, kodeks.landscape, bundle, actor=_actor()))  # type: ignore[arg-type]


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    format: Annotated[
        str | None, typer.Option("--format", help="sysap | sheet | kitos (default: detect)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Import solutions and their use (all or nothing; problems are listed)."""
    from kodeks.formats import landscape as formats

    if format is not None and format not in FORMATS:
        raise InvalidRequest(f"--format must be one of {', '.join(FORMATS)}")
    if path.stat().st_size > MAX_BYTES:
        raise InputTooLarge(f"the file is larger than {MAX_BYTES:,} bytes", source=path.name)
    bundle = formats.read(path.read_bytes(), path.name, format)
    _import(open_registry(db), bundle)


@app.command()
def generate(
    systems: Annotated[int, typer.Option("--systems", help="how many solutions")] = 100,
    years: Annotated[int, typer.Option("--years", help="how many years, from --first-year")] = 10,
    first_year: Annotated[int, typer.Option("--first-year")] = 2016,
    seed: Annotated[int, typer.Option("--seed")] = 14,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="write a file (.csv, .xlsx, .ttl) instead")
    ] = None,
    db: DbOption = None,
) -> None:
    """Generate a realistic landscape for the 98 municipalities over the registry's KLE."""
    from kodeks.services.landscape.generating import generated_bundle

    kodeks = open_registry(db)
    bundle = generated_bundle(kodeks.uow, systems=systems, years=years, first_year=first_year, seed=seed)
    if output is None:
        _import(kodeks, bundle)
        return
    from kodeks.formats import landscape as formats

    by_suffix = {
        ".csv": "csv",
        ".xlsx": "xlsx",
        ".ttl": "sysap-ttl",
        ".rdf": "sysap-rdfxml",
        ".jsonld": "sysap-jsonld",
    }
    name = by_suffix.get(output.suffix.lower())
    if name is None:
        raise InvalidRequest(f"-o must end in one of {', '.join(by_suffix)}")
    output.write_bytes(formats.writer(name).write(bundle.solutions, bundle.uses, kodeks.settings.base_uri))
    out.print(f"{len(bundle.solutions)} solutions, {len(bundle.uses)} uses written to {escape(str(output))}")


@app.command()
def export(
    format: Annotated[
        str, typer.Option("--format", help="sysap-ttl | sysap-rdfxml | sysap-jsonld | csv | xlsx")
    ],
    output: Annotated[Path, typer.Option("-o", "--output")],
    at: AtOption = None,
    known_at: KnownOption = None,
    db: DbOption = None,
) -> None:
    """Export the landscape (every period; with --at only the uses valid that day)."""
    from kodeks.formats import landscape as formats

    writer = formats.writer(format)
    when = _when(None, known_at)
    day = _when(at).at if at else None
    kodeks = open_registry(db)
    solutions, uses = queries.everything(kodeks.uow, kodeks.landscape, when.known_at, day)
    output.write_bytes(writer.write(solutions, uses, kodeks.settings.base_uri))
    out.print(f"{len(solutions)} solutions, {len(uses)} uses written to {escape(str(output))}")


@app.command()
def usage(
    solution: Annotated[str | None, typer.Option("--solution")] = None,
    municipality: Annotated[str | None, typer.Option("--municipality")] = None,
    at: AtOption = None,
    known_at: KnownOption = None,
    db: DbOption = None,
) -> None:
    """Uses valid on a day as known at a time, as JSON lines."""
    kodeks = open_registry(db)
    when = _when(at, known_at)
    for use in queries.usage(
        kodeks.uow, kodeks.landscape, when, solution=solution, municipality=municipality
    ):
        out.print(json.dumps(use_to_dict(use), ensure_ascii=False), highlight=False, soft_wrap=True)


@app.command()
def coverage(
    municipality: str, at: AtOption = None, known_at: KnownOption = None, db: DbOption = None
) -> None:
    """KLE emner a municipality has solutions for (several marked), and how many have none."""
    kodeks = open_registry(db)
    result = queries.coverage(kodeks.uow, kodeks.landscape, municipality, _when(at, known_at))
    table = Table("KLE", "title", "solutions")
    for code, supports in sorted(result.served.items()):
        names = sorted({s.solution.name for s in supports})
        mark = " (flere)" if len(names) > 1 else ""
        table.add_row(code, escape(result.titles.get(code, "")), escape(", ".join(names)) + mark)
    out.print(table)
    out.print(
        f"{result.municipality.name}: {len(result.served)} emner served, "
        f"{len(result.gaps)} without a solution"
    )


@app.command()
def task(code: str, at: AtOption = None, known_at: KnownOption = None, db: DbOption = None) -> None:
    """Which solutions serve a KLE task in each municipality."""
    from kodeks.domain.local.municipalities import MUNICIPALITIES

    kodeks = open_registry(db)
    view = queries.task(kodeks.uow, kodeks.landscape, code, _when(at, known_at))
    table = Table("municipality", "solutions")
    for town, supports in sorted(view.by_municipality.items()):
        table.add_row(
            f"{town} {MUNICIPALITIES[town].name}",
            escape(", ".join(sorted({s.solution.name for s in supports}))),
        )
    out.print(table)


@app.command()
def suppliers(at: AtOption = None, db: DbOption = None) -> None:
    """Supplier concentration: solutions, municipalities and share of adopted uses."""
    kodeks = open_registry(db)
    table = Table("supplier", "solutions", "municipalities", "uses", "share")
    for row in queries.suppliers(kodeks.uow, kodeks.landscape, _when(at)):
        table.add_row(
            escape(row.supplier),
            str(len(row.solutions)),
            str(row.municipalities),
            str(row.uses),
            f"{row.share:.1%}",
        )
    out.print(table)


@app.command()
def contracts(
    within_days: Annotated[int, typer.Option("--within-days")] = 365, at: AtOption = None, db: DbOption = None
) -> None:
    """Contracts that run out within the given number of days."""
    kodeks = open_registry(db)
    table = Table("end", "solution", "contract", "supplier")
    for row in queries.contracts_ending(kodeks.uow, kodeks.landscape, _when(at), within_days=within_days):
        table.add_row(
            str(row.contract.end),
            escape(row.solution.name),
            escape(row.contract.id),
            escape(row.contract.supplier or ""),
        )
    out.print(table)


@app.command()
def gaps(at: AtOption = None, db: DbOption = None) -> None:
    """KLE emner no municipality has a solution for."""
    kodeks = open_registry(db)
    found = queries.tasks_without_system(kodeks.uow, kodeks.landscape, _when(at))
    for code, title in found:
        out.print(f"{code} {escape(title)}", highlight=False)
    out.print(f"{len(found)} emner without a solution")


@app.command()
def overlaps(at: AtOption = None, db: DbOption = None) -> None:
    """Municipalities with several solutions for one KLE emne."""
    kodeks = open_registry(db)
    found = queries.several_systems(kodeks.uow, kodeks.landscape, _when(at))
    for row in found:
        out.print(f"{row.municipality} {row.task}: {', '.join(row.solutions)}", highlight=False)
    out.print(f"{len(found)} municipality × task pairs with several solutions")


@app.command()
def boundaries(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)], db: DbOption = None
) -> None:
    """Import the municipal boundaries for the map (DAGI TopoJSON with KOMKODE)."""
    from kodeks.formats.landscape import topojson
    from kodeks.services.landscape import maps

    paths, height = topojson.read(path.read_bytes(), path.name)
    kodeks = open_registry(db)
    count = maps.import_boundaries(kodeks.uow, kodeks.landscape, paths, height)
    out.print(f"{count} municipal boundaries imported from {escape(path.name)}")


#: What ``kodeks demo`` generates: a small landscape (the benchmark uses 2,000 systems).
DEMO_SYSTEMS = 60
BOUNDARIES = "dk_municipalities/dagi_kommuner_2014.topojson"


def load_demo(kodeks: Kodeks, console: Console, root: Path) -> list[str]:
    """For ``kodeks demo``: the map's boundaries (from the real-data folder) and a generated landscape
    over the registry's KLE, unless the database holds solutions already. Returns what it skipped."""
    from kodeks.formats.landscape import topojson
    from kodeks.services.landscape import maps
    from kodeks.services.landscape.generating import generated_bundle
    from kodeks.services.landscape.importing import import_bundle

    skipped: list[str] = []
    with kodeks.uow() as uow:
        held, _ = kodeks.landscape(uow).boundaries()
    path = root / BOUNDARIES
    if held:
        skipped.append("landskab: kommunegrænser")
    elif path.is_file():
        paths, height = topojson.read(path.read_bytes(), path.name)
        maps.import_boundaries(kodeks.uow, kodeks.landscape, paths, height)
        console.print(f"landscape: {len(paths)} municipal boundaries for the map")
    if queries.list_solutions(kodeks.uow, kodeks.landscape, When.of()):
        return [*skipped, "landskab: løsninger"]
    bundle = generated_bundle(kodeks.uow, systems=DEMO_SYSTEMS, years=10, first_year=2016)
    report = import_bundle(kodeks.uow, kodeks.landscape, bundle, actor="demo")
    console.print(
        f"landscape: {report.solutions_added} generated solutions, {report.uses} uses in "
        f"{report.municipalities} municipalities (synthetic; see /landskab)"
    )
    return skipped
