"""``kodeks catalog`` — the classification catalog and search from the command line.

kodeks catalog list
kodeks catalog show kle
kodeks catalog add form --title-da FORM --publisher KL --theme GOVE --landing-page https://...
kodeks catalog import-sheet katalog.xlsx
kodeks catalog seed                      # the bundled external entries (FORM, DB07, SKS, ...)
kodeks catalog search hjemmehjælp --classification kle
kodeks catalog export --format ttl -o catalog.ttl
kodeks catalog reindex
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.domain.catalog_codec import entry_to_dict
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.formats import catalog_sheet
from kodeks.services import catalog as catalog_service
from kodeks.services.search import SearchQuery
from kodeks.services.search import search as run_search
from kodeks.services.search_indexing import reindex as rebuild_index

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks

app = typer.Typer(help="The classification catalog (DCAT-AP-DK) and search.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
MAX_SHEET_BYTES = 20 * 1024 * 1024
SEED = "catalog_seed.csv"


def _open(db: str | None) -> Kodeks:
    return open_registry(db)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@app.command("list")
def list_(db: DbOption = None) -> None:
    """List the catalog entries."""
    kodeks = _open(db)
    table = Table("id", "kind", "title", "publisher", "themes", "version")
    for stored in catalog_service.list_entries(kodeks.uow, kodeks.catalog):
        e = stored.entry
        table.add_row(
            escape(e.id),
            e.kind,
            escape(e.title()),
            escape(e.publisher or ""),
            " ".join(e.themes),
            escape(e.version or ""),
        )
    out.print(table)


@app.command()
def show(entry_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None) -> None:
    """Show one entry as JSON."""
    kodeks = _open(db)
    stored = catalog_service.get_entry(kodeks.uow, kodeks.catalog, entry_id)
    data = {**entry_to_dict(stored.entry), "edited": sorted(stored.edited)}
    print(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
def add(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="slug, e.g. form")],
    title_da: Annotated[str, typer.Option("--title-da", help="Danish title")],
    title_en: Annotated[str | None, typer.Option("--title-en")] = None,
    description: Annotated[str | None, typer.Option("--description", help="Danish description")] = None,
    publisher: Annotated[str | None, typer.Option()] = None,
    owner: Annotated[str | None, typer.Option()] = None,
    licence: Annotated[str | None, typer.Option()] = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", help="EU data theme code (GOVE, SOCI, ...)")
    ] = None,
    keyword: Annotated[list[str] | None, typer.Option("--keyword")] = None,
    landing_page: Annotated[str | None, typer.Option("--landing-page")] = None,
    download: Annotated[list[str] | None, typer.Option("--download", help="download URL")] = None,
    db: DbOption = None,
) -> None:
    """Add an external entry (a classification Kodeks links to but holds no items for)."""
    data: dict[str, Any] = {
        "id": entry_id,
        "titles": {"da": title_da, **({"en": title_en} if title_en else {})},
        "publisher": publisher,
        "owner": owner,
        "licence": licence,
        "themes": list(theme or []),
        "keywords": list(keyword or []),
        "landing_page": landing_page,
        "distributions": [{"url": u} for u in download or []],
    }
    if description:
        data["descriptions"] = {"da": description}
    kodeks = _open(db)
    entry = catalog_service.create_entry(kodeks.uow, kodeks.catalog, kodeks.search_index, data, _actor())
    out.print(f"added {escape(entry.id)}: {escape(entry.title())}", highlight=False)


@app.command("import-sheet")
def import_sheet(
    path: Annotated[Path, typer.Argument(help="CSV or XLSX sheet, one entry per row")], db: DbOption = None
) -> None:
    """Create or update entries from a sheet (columns: see docs/search.md). All or nothing."""
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    if path.stat().st_size > MAX_SHEET_BYTES:
        raise InputTooLarge(f"the sheet is larger than {MAX_SHEET_BYTES:,} bytes", source=path.name)
    _import(_open(db), path.read_bytes(), path.name)


@app.command()
def seed(db: DbOption = None) -> None:
    """Add the bundled entries for classifications municipalities look for (FORM, DISCO-08, SKS, ...)."""
    data = (resources.files("kodeks") / "resources" / SEED).read_bytes()
    _import(_open(db), data, SEED)


def _import(kodeks: Kodeks, data: bytes, source: str) -> None:
    rows = catalog_sheet.read_sheet(data, source)
    report = catalog_service.import_entries(kodeks.uow, kodeks.catalog, kodeks.search_index, rows, _actor())
    out.print(
        f"{source}: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged",
        highlight=False,
    )


@app.command("search")
def search_(
    query: Annotated[str, typer.Argument(help="words or a code")],
    classification: Annotated[str | None, typer.Option(help="only this classification")] = None,
    level: Annotated[int | None, typer.Option(help="only this level")] = None,
    at: Annotated[str | None, typer.Option(help="valid date YYYY-MM-DD (default today)")] = None,
    include_expired: Annotated[bool, typer.Option("--include-expired")] = False,
    limit: Annotated[int, typer.Option(help="at most this many hits")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    db: DbOption = None,
) -> None:
    """Search items and catalog entries."""
    day = None
    if at:
        try:
            day = date.fromisoformat(at)
        except ValueError:
            raise InvalidRequest(f"--at: {at!r} is not a date (YYYY-MM-DD)") from None
    kodeks = _open(db)
    result = run_search(
        kodeks.uow,
        kodeks.search_index,
        SearchQuery(query, classification, level, day, include_expired, limit),
    )
    if as_json:
        from kodeks.api.catalog import render_hit

        print(json.dumps([render_hit(h) for h in result.hits], ensure_ascii=False, indent=2))
        return
    table = Table("classification", "code", "title", "valid", "score")
    for h in result.hits:
        valid = f"[{h.valid.start or '-∞'}, {h.valid.end or '∞'})"
        table.add_row(
            escape(h.classification_id),
            escape(h.code or "(catalog)"),
            escape(h.title),
            valid,
            f"{h.score:.2f}",
        )
    out.print(table)
    if result.corrections:
        err.print(
            "also searched: " + "; ".join(f"{k} → {', '.join(v)}" for k, v in result.corrections.items()),
            highlight=False,
            markup=False,
        )


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", help="ttl | jsonld | rdfxml | json")] = "ttl",
    base_url: Annotated[
        str, typer.Option("--base-url", help="where the API is served")
    ] = "https://kodeks.dk",
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    db: DbOption = None,
) -> None:
    """Export the catalog as DCAT-AP-DK, or JSON (``{"entries": […], "models": […]}``); both list the
    information models Kodeks holds too."""
    from kodeks.formats import dcat

    if format not in (*dcat.FORMATS, "json"):
        raise InvalidRequest(f"--format must be one of ttl, jsonld, rdfxml, json; not {format!r}")
    from kodeks.services.models import catalogue as model_catalogue

    kodeks = _open(db)
    entries = [s.entry for s in catalog_service.list_entries(kodeks.uow, kodeks.catalog)]
    models = model_catalogue.held_entries(kodeks.uow, kodeks.models, base_url)
    if format == "json":
        from kodeks.domain.models.catalogue import entry_to_dict as model_entry_to_dict

        document = {
            "entries": [entry_to_dict(e) for e in entries],
            "models": [model_entry_to_dict(m) for m in models],
        }
        content = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    else:
        links = [
            dcat.ExportLink(n, kodeks.formats.exporter(n).media_type) for n in kodeks.formats.exporter_names()
        ]
        quality = catalog_service.qualities(kodeks.uow, kodeks.catalog)
        content = dcat.serialize(entries, format, base_url, links, models=models, quality=quality)
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        output.write_bytes(content)
        err.print(f"wrote {output} ({len(content):,} bytes)")


@app.command()
def reindex(db: DbOption = None) -> None:
    """Rebuild the search index and the registry's catalog entries (after an upgrade, or to repair)."""
    kodeks = _open(db)
    count = rebuild_index(kodeks.uow, kodeks.search_index, kodeks.catalog, progress=err.print)
    out.print(f"indexed {count:,} documents")
