"""``kodeks requirements``: the requirement catalogue, requirement sets, exports and supplier answers.

The command line acts as a local administrator (``cli``) unless ``--as USER`` names a registered user;
roles and the four-eyes rule then apply as in the API.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.errors import InvalidRequest

app = typer.Typer(
    help="Common requirements, requirement sets for a tender, supplier answers.", no_args_is_help=True
)
out = Console(soft_wrap=True)

Db = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
As = Annotated[str | None, typer.Option("--as", help="act as this registered user (default: local admin)")]
SEED = "ski-arkitekturkrav.json"
MAX_FILE = 20 * 1024 * 1024


def _ctx(db: str | None) -> Any:
    from kodeks.storage.requirements import open_requirements

    kodeks = open_registry(db)
    return open_requirements(kodeks.engine, kodeks.settings, kodeks.listeners)


def _actor(ctx: Any, as_: str | None) -> Any:
    from kodeks.services.governance import identity

    return identity.local_actor(ctx.gov, as_)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise InvalidRequest(f"no file {path}")
    if path.stat().st_size > MAX_FILE:
        raise InvalidRequest(f"{path} is larger than {MAX_FILE:,} bytes")
    return path.read_bytes()


def seed(ctx: Any, actor: Any) -> tuple[int, bool]:
    """Import the bundled SKI-style requirements (published) and their set.

    Returns (requirements written, whether the set was made)."""
    data = json.loads((resources.files("kodeks") / "resources" / SEED).read_text("utf-8"))
    return import_document(ctx, actor, data)


def import_document(ctx: Any, actor: Any, data: Any) -> tuple[int, bool]:
    """A JSON document ``{"owner", "requirements": [...], "set": {...}?}``: requirements published,
    then the set created when it does not exist yet."""
    from kodeks.services.requirements import catalogue, sets

    if not isinstance(data, dict) or not isinstance(data.get("requirements"), list):
        raise InvalidRequest("a requirements document is an object with a list 'requirements'")
    owner = data.get("owner")
    if not isinstance(owner, str):
        raise InvalidRequest("a requirements document names its 'owner' organisation")
    written = catalogue.import_published(ctx, actor, data["requirements"], owner=owner)
    made = False
    spec = data.get("set")
    known = {s.id for s in sets.listing(ctx)}
    if isinstance(spec, dict) and isinstance(spec.get("id"), str) and spec["id"] not in known:
        entries = [{"requirement": r["id"]} for r in data["requirements"] if isinstance(r, dict)]
        sets.save(
            ctx, actor, {**spec, "owner": owner, "entries": entries}, expected_revision=None, create=True
        )
        made = True
    return len(written), made


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="a JSON requirements document, or a ReqIF file (.reqif)")],
    db: Db = None,
    as_: As = None,
) -> None:
    """Import requirements as published common requirements (administrators); a ReqIF file's
    specification also becomes a requirement set."""
    ctx = _ctx(db)
    actor = _actor(ctx, as_)
    data = _read(file)
    if file.suffix.lower() in (".reqif", ".xml"):
        from dataclasses import asdict

        from kodeks.domain.requirements.codec import requirement_to_dict, set_to_dict
        from kodeks.formats.requirements import reqif

        doc = reqif.read(data, file.name)
        owner = doc.requirements[0].owner if doc.requirements else ""
        document: dict[str, Any] = {"owner": owner, "requirements": []}
        for r in doc.requirements:
            d = requirement_to_dict(r)
            for key in ("version", "state", "author", "owner"):
                d.pop(key)
            document["requirements"].append(d)
        if doc.requirement_set is not None:
            rs = set_to_dict(doc.requirement_set)
            document["set"] = {"id": rs["id"], "title": rs["title"], "description": rs["description"]}
        del asdict
    else:
        try:
            document = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise InvalidRequest(f"{file.name} is not JSON (nor a .reqif file)") from None
    count, made = import_document(ctx, actor, document)
    out.print(f"{count} requirement(s) published" + (", requirement set created" if made else ""))


@app.command("seed")
def seed_command(db: Db = None) -> None:
    """Import the bundled architecture requirements (Kodeks' own wording in the style of SKI 02.19)."""
    ctx = _ctx(db)
    count, made = seed(ctx, _actor(ctx, None))
    out.print(
        f"{count} requirement(s) published" + (", requirement set ski-arkitektur created" if made else "")
    )


@app.command("list")
def list_(
    q: Annotated[str | None, typer.Option("--q", help="words to look for")] = None,
    principle: Annotated[
        str | None, typer.Option("--principle", help="a principle or rule, e.g. 6 or 6.1")
    ] = None,
    db: Db = None,
) -> None:
    """The published requirements."""
    from kodeks.services.requirements import catalogue

    ctx = _ctx(db)
    found = catalogue.listing(ctx, _actor(ctx, None), q=q, principle=principle)
    table = Table("id", "v", "priority", "category", "title", "principles")
    for r in found:
        table.add_row(r.id, str(r.version), str(r.priority), r.category, r.title, ", ".join(r.principles))
    out.print(table)


@app.command("export")
def export(
    requirement_set: Annotated[str, typer.Argument(help="the requirement set's id")],
    format: Annotated[str, typer.Option("--format", "-f", help="xlsx | docx | reqif")] = "xlsx",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file (default: SET.FORMAT)")] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="a .docx whose styles the DOCX uses")
    ] = None,
    db: Db = None,
) -> None:
    """Write a requirement set as XLSX (with response columns), DOCX (optionally from a template) or ReqIF."""
    from kodeks.formats import requirements as formats
    from kodeks.services.requirements import sets

    ctx = _ctx(db)
    rset, lines = sets.get(ctx, requirement_set)
    if template is not None:
        if format != "docx":
            raise InvalidRequest("--template is for --format docx")
        from kodeks.formats.requirements import docx

        body = docx.write_set(rset, lines, _read(template))
    else:
        body = formats.export(format, rset, lines)
    target = output or Path(rset.id + formats.EXTENSIONS[format])
    target.write_bytes(body)
    out.print(f"{len(lines)} requirement(s) written to {target}")


@app.command("answers")
def answers(
    requirement_set: Annotated[str, typer.Argument(help="the requirement set's id")],
    file: Annotated[Path, typer.Argument(help="the supplier's filled-in XLSX")],
    supplier: Annotated[
        str | None, typer.Option("--supplier", help="default: the sheet's Leverandør row")
    ] = None,
    db: Db = None,
    as_: As = None,
) -> None:
    """Import a supplier's answers (replaces that supplier's earlier answers to the set)."""
    from kodeks.formats.requirements.xlsx import read_answers
    from kodeks.services.requirements import sets

    ctx = _ctx(db)
    sheet = read_answers(_read(file), file.name, supplier)
    if sheet.set_id and sheet.set_id != requirement_set:
        raise InvalidRequest(f"{file.name} is for requirement set {sheet.set_id}, not {requirement_set}")
    who = supplier or sheet.supplier or ""
    count = sets.import_answers(ctx, _actor(ctx, as_), requirement_set, who, sheet.answers)
    out.print(f"{count} answer(s) from {who} imported")


@app.command("compare")
def compare(
    requirement_set: Annotated[str, typer.Argument(help="the requirement set's id")],
    db: Db = None,
    as_: As = None,
) -> None:
    """The suppliers' answers side by side, and what each leaves unmet of the must requirements."""
    from kodeks.domain.requirements.answers import COMPLIANCE_DA
    from kodeks.services.requirements import sets

    ctx = _ctx(db)
    result = sets.comparison(ctx, _actor(ctx, as_), requirement_set)
    table = Table("krav", "prioritet", *result.suppliers)
    for line, got in result.rows:
        cells = [COMPLIANCE_DA[a.compliance] if a and a.compliance else "–" for a in got]
        table.add_row(line.requirement.id, str(line.priority), *cells)
    out.print(table)
    for s in result.summaries:
        verdict = "opfylder alle skal-krav" if s.qualified else f"mangler skal-krav: {', '.join(s.must_gaps)}"
        out.print(
            f"{s.supplier}: {s.yes} ja, {s.partly} delvist, {s.no} nej, {s.unanswered} ubesvaret; {verdict}"
        )
