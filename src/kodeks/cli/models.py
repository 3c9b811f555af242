"""``kodeks models`` — information models from the command line.

kodeks models import FINT.xml [--model fint] [--format xmi|conceptlist|linkml]
kodeks models list [--json]
kodeks models show fint [--json]
kodeks models versions fint
kodeks models diff fint 1 2
kodeks models check fint [--json]
kodeks models bind fint EAID_… kle [--at 2026-01-01]
kodeks models export fint --format xmi|rdf|shacl|jsonschema|linkml|html|conceptlist -o FILE [--at DATE]
kodeks models from-classification kle --as enumeration|classes|external|conceptlist -o FILE [--at DATE]
"""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.errors import InputTooLarge, InvalidRequest

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks

app = typer.Typer(
    help="Information models (UML/XMI, FDA rules): import, check, bind value domains, export.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON")]
AtOption = Annotated[str | None, typer.Option("--at", metavar="DATE", help="valid date YYYY-MM-DD")]


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _date(value: str | None, option: str = "--at") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def _open(db: str | None) -> Kodeks:
    return open_registry(db)


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="XMI, concept-list XLSX or LinkML YAML")],
    model: Annotated[str | None, typer.Option("--model", metavar="ID", help="model id (slug)")] = None,
    format: Annotated[
        str | None, typer.Option("--format", metavar="xmi|conceptlist|linkml", help="default: detect")
    ] = None,
    valid_from: Annotated[str | None, typer.Option("--valid-from", metavar="DATE")] = None,
    db: DbOption = None,
) -> None:
    """Import a model file as a new version of its model. All or nothing."""
    from kodeks.bootstrap import model_formats
    from kodeks.services.models import library

    kodeks = _open(db)
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    limit = library.MAX_MODEL_BYTES
    if path.stat().st_size > limit:
        raise InputTooLarge(
            f"file is {path.stat().st_size:,} bytes; the limit is {limit:,}", source=path.name
        )
    result = library.import_model(
        kodeks.uow,
        kodeks.models,
        model_formats(),
        path.read_bytes(),
        path.name,
        model_id=model,
        format=format,
        valid_from=_date(valid_from, "--valid-from"),
        actor=_actor(),
        memory_budget=kodeks.settings.import_memory_bytes,
    )
    c = result.counts
    summary = (
        f"{c['classes']} classes, {c['attributes']} attributes, {c['associations']} associations, "
        f"{c['enumerations']} enumerations, {c['concepts']} concepts"
    )
    if result.already:
        out.print(
            f"{escape(path.name)} is already held as version {result.sequence} "
            f"of model {escape(result.model_id)}",
            highlight=False,
            soft_wrap=True,
        )
        return
    out.print(
        f"imported model [bold]{escape(result.model_id)}[/] version {result.sequence} "
        f"from {result.format}: {summary}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("list")
def list_(json_: JsonOption = False, db: DbOption = None) -> None:
    """List the models (newest version of each) with their counts."""
    from kodeks.services.models import library

    kodeks = _open(db)
    infos = library.list_models(kodeks.uow, kodeks.models)
    if json_:
        rows = [
            {
                "id": i.model_id,
                "name": i.name,
                "version": i.sequence,
                "label": i.label,
                "format": i.format,
                "recorded_at": i.recorded_at.isoformat(),
                **{
                    k: i.counts.get(k, 0)
                    for k in ("classes", "attributes", "associations", "enumerations", "concepts")
                },
            }
            for i in infos
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(
        "id", "name", "version", "classes", "attributes", "associations", "enumerations", "concepts"
    )
    for i in infos:
        c = i.counts
        table.add_row(
            escape(i.model_id),
            escape(i.name),
            str(i.sequence),
            *(
                str(c.get(k, 0))
                for k in ("classes", "attributes", "associations", "enumerations", "concepts")
            ),
        )
    out.print(table)


@app.command()
def show(
    model_id: Annotated[str, typer.Argument(metavar="ID")],
    version: Annotated[int | None, typer.Option("--version", help="version number (default newest)")] = None,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show a model: its packages and classes (or the whole model as JSON)."""
    from kodeks.domain.models.codec import model_to_dict
    from kodeks.services.models import library

    kodeks = _open(db)
    stored = library.get_model(kodeks.uow, kodeks.models, model_id, version)
    if json_:
        print(json.dumps(model_to_dict(stored.model), ensure_ascii=False, indent=2))
        return
    m = stored.model
    out.print(f"[bold]{escape(m.name)}[/] ({escape(m.id)}) version {stored.info.sequence}", highlight=False)
    for pkg in m.packages:
        depth = len(m.package_path(pkg.id)) - 1
        classes = [c.name for c in m.classes if c.package == pkg.id]
        out.print(f"{'  ' * depth}{escape(pkg.name)}: {len(classes)} classes", highlight=False)


@app.command()
def versions(model_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None) -> None:
    """The recorded versions of a model, with their valid time [from, to)."""
    from kodeks.services.models import library

    kodeks = _open(db)
    for v, p in library.periods(kodeks.uow, kodeks.models, model_id):
        valid = str(p) if p is not None else "(corrected)"
        out.print(
            f"{v.sequence}  {v.recorded_at:%Y-%m-%d %H:%M:%S}  valid {valid}  {escape(v.source_name)}  "
            f"{escape(v.label)}",
            highlight=False,
        )


@app.command()
def diff(
    model_id: Annotated[str, typer.Argument(metavar="ID")],
    old: Annotated[int, typer.Argument(metavar="OLD")],
    new: Annotated[int, typer.Argument(metavar="NEW")],
    db: DbOption = None,
) -> None:
    """What changed between two versions: classes, attributes and associations added, removed, changed."""
    from kodeks.services.models import library

    kodeks = _open(db)
    d = library.compare_versions(kodeks.uow, kodeks.models, model_id, old, new)
    print(json.dumps(asdict(d), ensure_ascii=False, indent=2))


@app.command()
def check(
    model_id: Annotated[str, typer.Argument(metavar="ID")], json_: JsonOption = False, db: DbOption = None
) -> None:
    """Check a model against the machine-checkable model rules; exit 0 even when rules are broken."""
    from kodeks.services.models import checking

    kodeks = _open(db)
    report = checking.check_model(kodeks.uow, kodeks.models, model_id)
    if json_:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for finding in report.findings:
        out.print(
            f"{finding.rule}  {escape(finding.element)}: {escape(finding.message)}",
            highlight=False,
            soft_wrap=True,
        )
    out.print(f"{len(report.findings)} findings; rules broken: {', '.join(report.broken_rules()) or 'none'}")


@app.command()
def bind(
    model_id: Annotated[str, typer.Argument(metavar="ID")],
    element: Annotated[
        str, typer.Argument(metavar="ELEMENT", help="attribute or enumeration id (or Class.attribute)")
    ],
    classification: Annotated[str, typer.Argument(metavar="CLASSIFICATION")],
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Bind an attribute's (or enumeration's) value domain to a registry classification."""
    from kodeks.services.models import valuedomains

    kodeks = _open(db)
    binding = valuedomains.bind(
        kodeks.uow, kodeks.models, model_id, element, classification, valid_at=_date(at), actor=_actor()
    )
    out.print(
        f"bound {escape(binding.element_id)} of {escape(model_id)} to {escape(binding.classification_id)}",
        highlight=False,
    )


@app.command()
def export(
    model_id: Annotated[str, typer.Argument(metavar="ID")],
    format: Annotated[
        str, typer.Option("--format", metavar="xmi|rdf|shacl|jsonschema|linkml|html|conceptlist")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE")],
    at: AtOption = None,
    version: Annotated[int | None, typer.Option("--version")] = None,
    db: DbOption = None,
) -> None:
    """Export a model: --version N, else the version valid on --at, else the newest (value domains
    bound to classifications are taken as valid on --at)."""
    from kodeks.bootstrap import model_formats
    from kodeks.services.models import exporting

    kodeks = _open(db)
    data = exporting.export_model(
        kodeks.uow, kodeks.models, model_formats(), model_id, format, at=_date(at), sequence=version
    )
    output.write_bytes(data)
    out.print(f"wrote {escape(str(output))} ({len(data):,} bytes)", highlight=False)


@app.command("status")
def status_(
    model_id: Annotated[str, typer.Argument(metavar="ID")],
    to: Annotated[str | None, typer.Argument(metavar="[draft|review|published]")] = None,
    db: DbOption = None,
) -> None:
    """Show the newest version's status, or move it: draft → review → published (four eyes)."""
    from kodeks.services.models import lifecycle

    kodeks = _open(db)
    if to is None:
        s = lifecycle.status(kodeks.uow, kodeks.models, model_id)
    else:
        s = lifecycle.set_status(kodeks.uow, kodeks.models, model_id, to, actor=_actor())
    out.print(f"{escape(s.model_id)} version {s.sequence}: {s.status}", highlight=False)


@app.command()
def impact(
    classification: Annotated[str, typer.Argument(metavar="CLASSIFICATION")],
    from_: Annotated[str, typer.Option("--from", metavar="DATE")],
    to: Annotated[str, typer.Option("--to", metavar="DATE")],
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Which model elements use a classification, and what its change between two dates does to them."""
    from kodeks.services.models import valuedomains

    kodeks = _open(db)
    start, end = _date(from_, "--from"), _date(to, "--to")
    assert start is not None and end is not None
    found = valuedomains.impact(kodeks.uow, kodeks.models, classification, start, end)
    if json_:
        rows = [
            {
                "model": i.usage.model_id,
                "element": i.usage.element,
                "added": list(i.added),
                "expired": list(i.expired),
                "renamed": list(i.renamed),
                "moved": [list(m) for m in i.moved],
            }
            for i in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        out.print(f"no model uses {escape(classification)}", highlight=False)
    for i in found:
        out.print(
            f"{escape(i.usage.model_id)} {escape(i.usage.element)}: {len(i.added)} codes added, "
            f"{len(i.expired)} expired, {len(i.renamed)} renamed, {len(i.moved)} moved",
            highlight=False,
            soft_wrap=True,
        )


@app.command("import-catalogue")
def import_catalogue(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="a model catalogue in RDF/XML (DCAT)")],
    db: DbOption = None,
) -> None:
    """Import the entries of a model catalogue (DIGST's) in its own vocabulary. All or nothing."""
    from kodeks.formats.models_catalogue import read_catalogue
    from kodeks.services.models import catalogue

    kodeks = _open(db)
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    result = catalogue.import_catalogue(
        kodeks.uow, kodeks.models, read_catalogue, path.read_bytes(), path.name, actor=_actor()
    )
    out.print(f"{result.entries} catalogue entries read, {result.recorded} recorded", highlight=False)


@app.command()
def catalog(
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE")] = None,
    db: DbOption = None,
) -> None:
    """The model catalogue as DCAT (Turtle): imported entries and every model Kodeks holds."""
    from kodeks.formats.models_catalogue import write_catalogue
    from kodeks.services.models import catalogue

    kodeks = _open(db)
    base = kodeks.settings.base_uri
    data = write_catalogue(
        catalogue.catalogue(kodeks.uow, kodeks.models, base), f"{base.rstrip('/')}/modeller/katalog"
    )
    if output is None:
        print(data.decode(), end="")
        return
    output.write_bytes(data)
    out.print(f"wrote {escape(str(output))} ({len(data):,} bytes)", highlight=False)


@app.command("from-classification")
def from_classification(
    classification: Annotated[str, typer.Argument(metavar="CLASSIFICATION")],
    as_: Annotated[str, typer.Option("--as", metavar="enumeration|classes|external|conceptlist")],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE")],
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Turn a registry classification into a representation the model rules allow, as XMI (or XLSX)."""
    from kodeks.bootstrap import model_formats
    from kodeks.services.models import valuedomains

    kodeks = _open(db)
    data = valuedomains.classification_as_model(
        kodeks.uow, model_formats(), classification, as_, at=_date(at)
    )
    output.write_bytes(data)
    out.print(f"wrote {escape(str(output))} ({len(data):,} bytes)", highlight=False)
