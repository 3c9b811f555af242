"""``kodeks local`` — local use from the command line: acts on the database directly (as its operator).

kodeks local municipalities
kodeks local ranges kle --set level=3,low=90,high=99
kodeks local profile save aarhus-kle.json            # a profile in the API's JSON shape
kodeks local profile items kle aarhus --at 2024-05-01
kodeks local profile affected kle aarhus
kodeks local sortiment save esdh.json [--if-version 3]
kodeks local sortiment codes esdh --at 2024-05-01
kodeks local sortiment export esdh --format fhir -o esdh.json
kodeks local correspondence import kle_form.csv --id kle-form --owner kl
kodeks local correspondence import isic.csv --id isic4-31 --owner dst --source isic-rev4 --target isic-rev31 \
    --map source=ISIC4code,target=ISIC31code,partial=partialISIC31,note=Detail --option delimiter=semicolon
kodeks local correspondence import-changes nuts-changes.xlsx --classification nuts --from-release 2016 \
    --to-release 2021 --owner eurostat --map old=Code2016,new=Code2021,change=Change
kodeks local correspondence map kle-form 27.24.00 [--inverse]
kodeks local correspondence invert kle-form form-kle-inverse
kodeks local correspondence export kle-form --format xkos -o kle-form.ttl
kodeks local feed classification kle --since 2024-01-01T00:00:00Z
kodeks local webhook add https://esdh.example.dk/kodeks --classification kle
kodeks local deliver [--watch]
"""

from __future__ import annotations

import getpass
import json
import re
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.domain.classification import classification_uri
from kodeks.domain.codec import item_to_dict
from kodeks.domain.local.codec import profile_from_dict, range_from_dict, sortiment_from_dict
from kodeks.domain.local.correspondence import Side
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.domain.local.webhook import Target, TargetKind
from kodeks.domain.period import Period
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.formats import change_table, correspondence_csv, correspondence_table
from kodeks.services import queries
from kodeks.services.local import (
    correspondences,
    delivery,
    feeds,
    profile_reads,
    profiles,
    ranges,
    sortiments,
    webhooks,
)
from kodeks.services.local.correspondences import ImportSpec
from kodeks.services.queries import When
from kodeks.storage.local import open_local_store as STORE

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks
    from kodeks.storage.local_http import HttpTransport

app = typer.Typer(
    help="Local use: profiles, sortimenter, correspondences, change feeds, webhooks.", no_args_is_help=True
)
profile_app = typer.Typer(help="Profiles of common classifications.", no_args_is_help=True)
sortiment_app = typer.Typer(help="Sortimenter (value sets across classifications).", no_args_is_help=True)
corr_app = typer.Typer(help="Correspondence tables.", no_args_is_help=True)
webhook_app = typer.Typer(help="Webhook subscriptions.", no_args_is_help=True)
app.add_typer(profile_app, name="profile")
app.add_typer(sortiment_app, name="sortiment")
app.add_typer(corr_app, name="correspondence")
app.add_typer(webhook_app, name="webhook")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
AtOption = Annotated[str | None, typer.Option("--at", help="valid date YYYY-MM-DD (default today)")]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON")]
MAX_JSON_BYTES = 20 * 1024 * 1024


def _open(db: str | None) -> Kodeks:
    return open_registry(db)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _day(value: str | None, name: str = "--at") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _json_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise InputTooLarge(f"file is larger than {MAX_JSON_BYTES:,} bytes", source=path.name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeError) as exc:
        raise InvalidRequest(f"{path.name}: not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidRequest(f"{path.name}: expected a JSON object")
    return data


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _write(content: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    tmp = output.with_name(output.name + ".part")
    tmp.write_bytes(content)
    tmp.replace(output)
    err.print(f"wrote {output} ({len(content):,} bytes)")


@app.command()
def municipalities() -> None:
    """List the 98 municipalities (code, name, region)."""
    table = Table("code", "name", "region")
    for m in MUNICIPALITIES.values():
        table.add_row(m.code, m.name, m.region)
    out.print(table)


@app.command("ranges")
def ranges_(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="level=3,low=90,high=99[,width=2,under=27] (repeat; replaces all)"),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="remove every reserved range")] = False,
    db: DbOption = None,
) -> None:
    """Show, or set, the ranges a classification reserves for local codes."""
    kodeks = _open(db)
    if set_ or clear:
        wanted = []
        for spec in set_ or []:
            fields = dict(part.split("=", 1) for part in spec.split(",") if "=" in part)
            try:
                wanted.append(range_from_dict(fields))
            except (KeyError, ValueError) as exc:
                raise InvalidRequest(f"--set {spec!r}: {exc}") from None
        ranges.set_reserved_ranges(kodeks.uow, STORE, classification_id, wanted, actor=_actor())
    for r in ranges.reserved_ranges(kodeks.uow, STORE, classification_id):
        out.print(r.describe() + (f"  ({escape(r.note)})" if r.note else ""))


@profile_app.command("save")
def profile_save(
    path: Annotated[Path, typer.Argument(help="the profile as JSON (the API's shape)")],
    if_version: Annotated[int | None, typer.Option("--if-version", help="the version it replaces")] = None,
    db: DbOption = None,
) -> None:
    """Create or replace a profile (replacing needs --if-version)."""
    kodeks = _open(db)
    try:
        profile = profile_from_dict(_json_file(path))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRequest(f"{path.name}: not a profile: {exc}") from None
    stored = profiles.save_profile(kodeks.uow, STORE, profile, expected_version=if_version, actor=_actor())
    out.print(f"profile {profile.classification}/{profile.id} is at version {stored.version}")


@profile_app.command("items")
def profile_items(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    profile_id: Annotated[str, typer.Argument(metavar="PROFILE")],
    at: AtOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The profile's items valid on a date."""
    kodeks = _open(db)
    found = profile_reads.items(kodeks.uow, STORE, classification_id, profile_id, When.of(_day(at)))
    if as_json:
        _print_json([item_to_dict(i) for i in found.items])
        return
    table = Table("code", "title", "origin")
    for i in found.items:
        table.add_row(i.code, escape(i.title()), i.properties.get("profile.origin", ""))
    out.print(table)


@profile_app.command("affected")
def profile_affected(
    classification_id: Annotated[str, typer.Argument(metavar="ID")],
    profile_id: Annotated[str, typer.Argument(metavar="PROFILE")],
    from_: Annotated[str | None, typer.Option("--from", help="default: the profile's based_on")] = None,
    to: Annotated[str | None, typer.Option("--to", help="default: today or the newest release")] = None,
    db: DbOption = None,
) -> None:
    """Entries touched by newer versions of the common classification, with proposed successors."""
    kodeks = _open(db)
    report = profiles.affected_entries(
        kodeks.uow,
        STORE,
        classification_id,
        profile_id,
        from_date=_day(from_, "--from"),
        to_date=_day(to, "--to"),
    )
    out.print(
        f"{classification_id}/{profile_id}: {len(report.entries)} affected from {report.from_date} "
        f"to {report.to_date}"
    )
    for a in report.entries:
        proposal = f" → use {', '.join(a.proposed)}" if a.proposed else ""
        out.print(f"  {a.code} [{a.effect}] {escape(a.message)}{proposal}")


@sortiment_app.command("save")
def sortiment_save(
    path: Annotated[Path, typer.Argument(help="the sortiment as JSON (the API's shape)")],
    if_version: Annotated[int | None, typer.Option("--if-version", help="the version it follows")] = None,
    db: DbOption = None,
) -> None:
    """Record a sortiment version (a new one needs --if-version with the newest version)."""
    kodeks = _open(db)
    data = _json_file(path)
    try:
        sortiment = sortiment_from_dict({**data, "version": 0})
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRequest(f"{path.name}: not a sortiment: {exc}") from None
    stored = sortiments.save(kodeks.uow, STORE, sortiment, expected_version=if_version, actor=_actor())
    out.print(f"sortiment {sortiment.id} version {stored.sortiment.version} from {sortiment.valid_from}")


@sortiment_app.command("from-group")
def sortiment_from_group(
    classification_id: Annotated[str, typer.Argument(metavar="CLASSIFICATION")],
    group: Annotated[str, typer.Argument(help="the group's code (a thesaurus' skos:Collection)")],
    sortiment_id: Annotated[str, typer.Option("--id", help="the new sortiment's id")],
    owner: Annotated[str, typer.Option("--owner", help="the owning municipality or authority")],
    valid_from: Annotated[
        str | None, typer.Option("--valid-from", help="first day it applies (YYYY-MM-DD; default: --at)")
    ] = None,
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Record a new sortiment holding a group's codes (and its nested groups') on a date."""
    kodeks = _open(db)
    when = When.of(_day(at))
    made = sortiments.from_group(
        kodeks.uow,
        classification_id,
        group,
        when,
        sortiment_id=sortiment_id,
        owner=owner,
        valid_from=_day(valid_from, "--valid-from") or when.at,
    )
    stored = sortiments.save(kodeks.uow, STORE, made, expected_version=None, actor=_actor(), create=True)
    out.print(f"sortiment {made.id} version {stored.sortiment.version}: {len(made.entries)} codes of {group}")


@sortiment_app.command("codes")
def sortiment_codes(
    sortiment_id: Annotated[str, typer.Argument(metavar="ID")],
    at: AtOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The sortiment's entries on a date: valid ones, and the others with their status and successors."""
    kodeks = _open(db)
    found = sortiments.codes(kodeks.uow, STORE, sortiment_id, When.of(_day(at)))
    rows = [
        {
            "classification": c.entry.classification,
            "code": c.entry.code,
            "status": str(c.status),
            "title": c.item.title() if c.item else None,
            "label": c.entry.label,
            "successors": list(c.successors),
        }
        for c in found.checks
    ]
    if as_json:
        _print_json(
            {
                "sortiment": sortiment_id,
                "version": found.stored.sortiment.version,
                "at": found.at.isoformat(),
                "entries": rows,
            }
        )
        return
    table = Table("classification", "code", "status", "title", "successors")
    for c in found.checks:
        title = c.entry.label or (c.item.title() if c.item else "")
        table.add_row(
            c.entry.classification, c.entry.code, str(c.status), escape(title), ", ".join(c.successors)
        )
    out.print(table)


@sortiment_app.command("export")
def sortiment_export_(
    sortiment_id: Annotated[str, typer.Argument(metavar="ID")],
    format: Annotated[str, typer.Option("--format", help="skos | fhir")],
    at: AtOption = None,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    db: DbOption = None,
) -> None:
    """Export the version in force on a date as a SKOS Collection or a FHIR ValueSet."""
    from kodeks.formats import sortiment_export

    kodeks = _open(db)
    when = When.of(_day(at))
    found = sortiments.codes(kodeks.uow, STORE, sortiment_id, when)
    written = sortiment_export.write(
        found.stored.sortiment,
        found.checks,
        found.classifications,
        found.at,
        format,
        expanded_at=when.known_at,
    )
    _write(written.content, output)


@corr_app.command("import")
def corr_import(
    path: Annotated[Path, typer.Argument(help="the correspondence file")],
    id_: Annotated[str, typer.Option("--id", help="correspondence id (slug)")],
    owner: Annotated[str, typer.Option("--owner", help="owning organisation")],
    format: Annotated[
        str | None, typer.Option("--format", help=", ".join(correspondence_csv.READERS))
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="source classification id")] = None,
    target: Annotated[str | None, typer.Option("--target", help="target classification id")] = None,
    valid_from: Annotated[str | None, typer.Option("--valid-from", help="YYYY-MM-DD")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Danish title")] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="columns of a table in any layout (CSV, TSV, XLSX, XLS): source=COL,target=COL"
            "[,partial=COL][,note=COL][,source_title=COL][,target_title=COL]",
        ),
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option", help="with --map: " + ", ".join(correspondence_table.OPTIONS) + " (name=value)"
        ),
    ] = None,
    unknown_codes: Annotated[
        str,
        typer.Option(
            "--unknown-codes",
            help="codes their registered classification lacks on the table's date: warn or error",
        ),
    ] = "warn",
    db: DbOption = None,
) -> None:
    """Import a correspondence table (all or nothing; errors name the file and line)."""
    kodeks = _open(db)
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    if path.stat().st_size > kodeks.settings.max_import_bytes:
        raise InputTooLarge(
            f"file is larger than {kodeks.settings.max_import_bytes:,} bytes", source=path.name
        )
    data = path.read_bytes()
    if map_:
        if format:
            raise InvalidRequest("give either --format or --map, not both")
        name = "mapped"
        reader = correspondence_table.mapped_reader(
            correspondence_table.parse_pairs(map_, "--map"),
            correspondence_table.parse_pairs(option or [], "--option"),
        )
    elif option:
        raise InvalidRequest("--option goes with --map")
    else:
        name = format or correspondence_csv.detect(data, path.name)
        reader = correspondence_csv.reader(name)
    spec = ImportSpec(
        id_,
        Side(source) if source else None,
        Side(target) if target else None,
        {"da": title} if title else None,
        owner,
        None,
        Period(_day(valid_from, "--valid-from"), None),
        unknown_codes,
    )
    result = correspondences.import_correspondence(
        kodeks.uow,
        STORE,
        reader,
        data,
        path.name,
        spec,
        max_bytes=kodeks.settings.max_import_bytes,
        actor=_actor(),
    )
    s = result.stored.summary
    out.print(
        f"imported {id_} ({name}): {s['mappings']} mappings, {s['source_codes']} source codes, "
        f"{s['partial']} partial, {s['no_counterpart']} without counterpart"
    )
    if result.duplicates:
        out.print(f"{result.duplicates} duplicate line(s) merged (different notes kept)")
    for warning in result.warnings[:20]:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)


@corr_app.command("import-changes")
def corr_import_changes(
    path: Annotated[Path, typer.Argument(help="the change table (CSV, TSV, XLSX, XLS)")],
    classification: Annotated[str, typer.Option("--classification", help="the classification that changed")],
    from_release: Annotated[str, typer.Option("--from-release", help="label of the earlier release")],
    to_release: Annotated[str, typer.Option("--to-release", help="label of the later release")],
    owner: Annotated[str, typer.Option("--owner", help="owning organisation")],
    map_: Annotated[
        list[str],
        typer.Option("--map", help="columns: old=COL,new=COL[,change=COL][,note=COL]"),
    ],
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help=", ".join(change_table.OPTIONS) + " (name=value)"),
    ] = None,
    id_: Annotated[
        str | None, typer.Option("--id", help="correspondence id (default CLASS-changes-A-B)")
    ] = None,
    unknown_codes: Annotated[str, typer.Option("--unknown-codes", help="warn or error")] = "warn",
    db: DbOption = None,
) -> None:
    """Import a published change table (old code, new code, change) as links between two releases.

    The links are recorded as a correspondence from the earlier release to the later one; old codes
    are checked against the earlier release, new codes against the later one.
    """
    kodeks = _open(db)
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    if path.stat().st_size > kodeks.settings.max_import_bytes:
        raise InputTooLarge(
            f"file is larger than {kodeks.settings.max_import_bytes:,} bytes", source=path.name
        )
    versions = {v.label: v for v in queries.versions(kodeks.uow, classification)}
    missing = [r for r in (from_release, to_release) if r not in versions]
    if missing:
        raise InvalidRequest(
            f"{classification} has no release {missing[0]!r}; its releases: {', '.join(versions) or 'none'}"
        )
    old, new = versions[from_release], versions[to_release]
    mapping = correspondence_table.parse_pairs(map_, "--map", change_table.ROLES)
    options = correspondence_table.parse_pairs(option or [], "--option")
    table = change_table.read_change_table(path.read_bytes(), path.name, mapping, options)
    parsed = change_table.as_mappings(table, classification, from_release, to_release)
    cid = id_ or _slug(f"{classification}-changes-{from_release}-{to_release}")
    spec = ImportSpec(
        cid,
        titles={"da": f"Ændringer i {classification} fra {from_release} til {to_release}"},
        owner=owner,
        valid=Period(new.release_date, None),
        unknown_codes=unknown_codes,
        source_at=old.release_date,
        target_at=new.release_date,
    )
    result = correspondences.import_correspondence(
        kodeks.uow,
        STORE,
        lambda _data, _name: parsed,
        path.read_bytes(),
        path.name,
        spec,
        max_bytes=kodeks.settings.max_import_bytes,
        actor=_actor(),
    )
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(table.counts().items()))
    out.print(
        f"imported {cid}: {len(table.changes)} changes ({counts}); {result.stored.summary['mappings']} links"
    )
    for warning in result.warnings[:20]:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)


def _slug(text: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", text.casefold())).strip("-")[:63]


@corr_app.command("map")
def corr_map(
    correspondence_id: Annotated[str, typer.Argument(metavar="ID")],
    code: Annotated[str, typer.Argument(metavar="CODE")],
    at: AtOption = None,
    inverse: Annotated[bool, typer.Option("--inverse", help="map a target code back")] = False,
    db: DbOption = None,
) -> None:
    """The counterparts of a code on a date."""
    kodeks = _open(db)
    result = correspondences.map_code(
        kodeks.uow, STORE, correspondence_id, code, When.of(_day(at)), inverse=inverse
    )
    source = f"{code} {escape(result.source.title)}" if result.source.title else code
    out.print(f"{source} ({result.cardinality})" + (": no counterpart" if not result.targets else ""))
    for m, view in result.targets:
        flags = escape(" [partial]") if m.partial else ""
        validity = "" if view.valid is None else (" (valid)" if view.valid else " (not valid then)")
        out.print(f"  → {view.code} {escape(view.title or '')}".rstrip() + f"{flags}{validity}")
    if result.targets and not any(view.title for _m, view in result.targets):
        target = result.correspondence.target.classification
        out.print(f"  ({target} is not in the registry and the table gives no titles)")


@corr_app.command("invert")
def corr_invert(
    correspondence_id: Annotated[str, typer.Argument(metavar="ID")],
    new_id: Annotated[str, typer.Argument(metavar="NEW_ID")],
    db: DbOption = None,
) -> None:
    """Record the inverse of a correspondence under a new id."""
    kodeks = _open(db)
    stored = correspondences.invert(kodeks.uow, STORE, correspondence_id, new_id, actor=_actor())
    out.print(f"recorded {new_id}: {stored.summary['mappings']} mappings")


@corr_app.command("export")
def corr_export(
    correspondence_id: Annotated[str, typer.Argument(metavar="ID")],
    format: Annotated[str, typer.Option("--format", help="xkos | fhir | csv")],
    inverse: Annotated[bool, typer.Option("--inverse", help="export the inverse")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    db: DbOption = None,
) -> None:
    """Export as an XKOS Correspondence, a FHIR ConceptMap or CSV."""
    from kodeks.formats import correspondence_export

    kodeks = _open(db)
    found = correspondences.get(kodeks.uow, STORE, correspondence_id, with_mappings=True, inverse=inverse)
    c = found.correspondence

    def scheme(cid: str) -> str:
        with kodeks.uow() as uow:
            registered = uow.classification(cid, When.of().known_at)
        return registered.canonical_uri if registered else classification_uri(cid)

    _write(
        correspondence_export.write(
            c, format, source_uri=scheme(c.source.classification), target_uri=scheme(c.target.classification)
        ).content,
        output,
    )


@corr_app.command("list")
def corr_list(db: DbOption = None) -> None:
    """List the correspondence tables."""
    kodeks = _open(db)
    table = Table("id", "source", "target", "mappings", "owner")
    for s in correspondences.list_correspondences(kodeks.uow, STORE):
        c = s.correspondence
        table.add_row(
            c.id, c.source.describe(), c.target.describe(), str(s.summary.get("mappings", 0)), c.owner or ""
        )
    out.print(table)


@app.command()
def feed(
    kind: Annotated[str, typer.Argument(help="classification | profile | sortiment")],
    target: Annotated[str, typer.Argument(help="id (a profile: CLASSIFICATION/PROFILE)")],
    since: Annotated[str | None, typer.Option("--since", help="ISO timestamp (UTC)")] = None,
    cursor: Annotated[str | None, typer.Option("--cursor", help="from a previous page")] = None,
    limit: Annotated[int, typer.Option("--limit", help="page size")] = 100,
    db: DbOption = None,
) -> None:
    """One page of a change feed, as JSON (its cursor continues it)."""
    kodeks = _open(db)
    when: datetime | None = None
    if since is not None:
        try:
            when = datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidRequest(f"--since: {since!r} is not an ISO timestamp") from None
    if kind == "classification":
        page = feeds.classification_feed(kodeks.uow, STORE, target, since=when, cursor=cursor, limit=limit)
    elif kind == "profile" and "/" in target:
        cid, _, pid = target.partition("/")
        page = feeds.profile_feed(kodeks.uow, STORE, cid, pid, since=when, cursor=cursor, limit=limit)
    elif kind == "sortiment":
        page = feeds.sortiment_feed(kodeks.uow, STORE, target, since=when, cursor=cursor, limit=limit)
    else:
        raise InvalidRequest("kind is classification, profile (CLASSIFICATION/PROFILE) or sortiment")
    _print_json(
        {
            "feed": page.scope,
            "count": len(page.events),
            "events": [e.data for e in page.events],
            "cursor": page.cursor,
            "has_more": page.has_more,
        }
    )


def _transport(kodeks: Kodeks) -> HttpTransport:
    from kodeks.storage.local_http import HttpTransport

    return HttpTransport(allow_loopback=kodeks.settings.webhook_allow_loopback)


@webhook_app.command("add")
def webhook_add(
    url: Annotated[str, typer.Argument(help="http(s) URL that receives the POSTs")],
    classification: Annotated[str | None, typer.Option("--classification")] = None,
    profile: Annotated[str | None, typer.Option("--profile", help="CLASSIFICATION/PROFILE")] = None,
    sortiment: Annotated[str | None, typer.Option("--sortiment")] = None,
    db: DbOption = None,
) -> None:
    """Subscribe a URL; prints the signing secret (shown this once)."""
    kodeks = _open(db)
    chosen = [
        (TargetKind.CLASSIFICATION, classification),
        (TargetKind.PROFILE, profile),
        (TargetKind.SORTIMENT, sortiment),
    ]
    given = [(k, v) for k, v in chosen if v]
    if len(given) != 1:
        raise InvalidRequest("name exactly one of --classification, --profile, --sortiment")
    hook = webhooks.register(kodeks.uow, STORE, _transport(kodeks), url, Target(*given[0]), actor=_actor())
    out.print(f"webhook {hook.id} on {hook.target}")
    out.print(f"signing secret (shown once): {hook.secret}")


@webhook_app.command("list")
def webhook_list(db: DbOption = None) -> None:
    """List every webhook."""
    kodeks = _open(db)
    table = Table("id", "target", "active", "url")
    for h in webhooks.webhooks(kodeks.uow, STORE, None):
        table.add_row(h.id, str(h.target), "yes" if h.active else "no", escape(h.url))
    out.print(table)


@webhook_app.command("log")
def webhook_log(webhook_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None) -> None:
    """The delivery log of a webhook, newest first."""
    kodeks = _open(db)
    for d in webhooks.deliveries(kodeks.uow, STORE, webhook_id, None):
        out.print(f"{d.delivery_id} {d.event_type} {d.status} ({len(d.attempts)} attempt(s))")
        for a in d.attempts:
            out.print(
                f"  #{a.attempt} {a.attempted_at:%Y-%m-%d %H:%M:%S} {a.outcome} "
                f"{a.status_code or ''} {escape(a.error or '')}"
            )


@webhook_app.command("remove")
def webhook_remove(webhook_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None) -> None:
    """Deactivate a webhook (its log is kept)."""
    kodeks = _open(db)
    webhooks.deactivate(kodeks.uow, STORE, webhook_id, None)
    out.print(f"webhook {webhook_id} deactivated")


@app.command()
def deliver(
    watch: Annotated[bool, typer.Option("--watch", help="keep delivering until interrupted")] = False,
    interval: Annotated[float, typer.Option("--interval", help="seconds between rounds")] = 5.0,
    rounds: Annotated[int | None, typer.Option("--rounds", help="stop after this many rounds")] = None,
    db: DbOption = None,
) -> None:
    """Send the queued webhook events that are due (retries follow the backoff)."""
    kodeks = _open(db)
    done = 0
    while True:
        report = delivery.deliver_due(kodeks.uow, STORE, _transport(kodeks))
        if report.attempted or not watch:
            out.print(f"delivered {report.delivered}, retrying {report.retrying}, failed {report.failed}")
        done += 1
        if not watch or (rounds is not None and done >= rounds):
            return
        time.sleep(max(0.1, interval))
