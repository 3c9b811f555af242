"""``kodeks demo``: load the bundled open classifications, and real local data when present.

The demo is idempotent: a second run imports nothing that is there already and says so, source by
source. It loads

- the bundled open data (DB07, ISCO-08, three EU vocabularies) and the municipalities and regions
  (``dagi-kommuner``, from ``kodeks.domain.local.municipalities``: DAWA's DAGI codes, MIT);
- from ``../shared/data`` when present: KLE (three releases), FSIII and ICD-10 (with its chapters
  and blocks), and the correspondence tables KLE → FORM, FORM → KLE, ISCO-88 → ISCO-08 and
  NACE → ISIC;
- a generated solution landscape (``kodeks.cli.landscape.load_demo``: 60 systems over the real KLE,
  synthetic use) and the municipal boundaries for its map, when KLE is loaded;
- a demo editor and a demo reviewer (organisation 751 Aarhus Kommune, classification
  ``aarhus-lokal``) whose API tokens are printed once and written to ``kodeks-demo-tokens.txt``
  (mode 0600) beside the SQLite database (else in the current folder): sign in at
  ``/redaktion/log-ind`` with one of them. Delete the file and run the demo again for new tokens.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from kodeks.bootstrap import Kodeks
from kodeks.domain.item import CONTENT_FIELDS
from kodeks.domain.local.municipalities import MUNICIPALITIES, REGIONS
from kodeks.errors import KodeksError
from kodeks.services import importing, queries
from kodeks.services.ports import ImportOptions


@dataclass(frozen=True)
class Source:
    """One file the demo imports, with what the file itself does not say."""

    path: str
    classification: str | None
    format: str | None = None
    release: str | None = None
    release_date: date | None = None
    options: dict[str, str] = field(default_factory=dict)


BUNDLED = (
    Source("db07_dksic.tsv", "db07", "tabular", "DB07", date(2008, 1, 1), {"preset": "db07"}),
    Source(
        "ISCOGroups_en.csv",
        "isco-08",
        "tabular",
        "ISCO-08 (ESCO v1.0)",
        date(2008, 1, 1),
        {"preset": "isco08"},
    ),
    Source("countries-skos.rdf", "eu-countries", "skos", "20221214-0", date(2022, 12, 14)),
    Source("filetypes-skos.rdf", "eu-file-types", "skos", "20221214-0", date(2022, 12, 14)),
    Source("data-theme-skos-ap-act.ttl", "eu-data-themes", "skos", "20161225-1", date(2016, 12, 25)),
    # The white paper is of 2017; its day is not stated, so the release is dated 1 January 2017.
    Source(
        "fda-principper.ttl",
        "fda-principper",
        "skos",
        "Hvidbog 2017 (Kodeks' sammenfatning)",
        date(2017, 1, 1),
    ),
)

#: Real data that may not be redistributed (KLE is © KL) or whose licence is unstated: imported
#: from a local copy only. Release dates the files do not carry are given here, with the reason.
LOCAL = (
    Source("kle/kle_emneplan_2015-08-01.xml", None, "kle-xml"),
    # OS2mo's sheet is from 2023 and carries no date: the 1 January 2023 is an approximation.
    Source("kle/os2mo_kle_2023_emner.csv", None, "kle-os2mo", "KLE 2023 (OS2mo)", date(2023, 1, 1)),
    # OS2KLE 3.23 is KLE as of February 2026.
    Source(
        "kle/os2kle_3.23_kle_2026feb_emner_keywords.txt",
        None,
        "kle-os2kle",
        "KLE 2026-02 (OS2KLE 3.23)",
        date(2026, 2, 1),
    ),
    Source("fsiii/CodeSystem-FSIII.json", "fsiii", "fhir"),  # its version 20240530 is its date
    # the SKS file lists categories only: chapters and blocks are added from their code ranges
    Source("icd10_da_sks/CodeSystem-icd10-da.json", "icd10-da", "fhir", options={"hierarchy": "icd10"}),
)

MUNICIPALITIES_ID = "dagi-kommuner"
#: Kommunalreformen: the 98 municipalities and 5 regions exist since 1 January 2007.
MUNICIPALITIES_SINCE = date(2007, 1, 1)


@dataclass(frozen=True)
class Correspondence:
    path: str
    id: str
    reader: str
    title: str
    valid_from: date | None
    owner: str


CORRESPONDENCES = (
    Correspondence(
        "correspondences/kle_form_2018-07-11.csv",
        "kle-form",
        "kle-form",
        "KLE → FORM",
        date(2018, 7, 11),
        "KL",
    ),
    Correspondence(
        "correspondences/form_kle_2018-07-11.csv",
        "form-kle",
        "form-kle",
        "FORM → KLE",
        date(2018, 7, 11),
        "KL",
    ),
    Correspondence(
        "correspondences/ilo_isco88_isco08_correspondence.csv",
        "isco88-isco08",
        "isco88-isco08",
        "ISCO-88 → ISCO-08 (ILO)",
        None,
        "ILO",
    ),
    Correspondence(
        "correspondences/nace2_isic4_normative.tsv",
        "nace-isic",
        "nace-isic",
        "NACE rev. 2 → ISIC rev. 4",
        None,
        "EU",
    ),
)

TOKENS_FILE = Path("kodeks-demo-tokens.txt")
DEMO_ORGANISATION = ("751", "Aarhus Kommune")
DEMO_CLASSIFICATION = ("aarhus-lokal", "Aarhus Kommunes lokale emner (demo)")
DEMO_USERS = (("demo-redaktoer", "Demo Redaktør", "editor"), ("demo-godkender", "Demo Godkender", "reviewer"))


def default_shared_data() -> Path | None:
    candidate = Path.cwd().parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


def tokens_path(kodeks: Kodeks) -> Path:
    """Where the demo users' tokens are kept: beside the SQLite database file, else in the current folder."""
    from sqlalchemy.engine import make_url

    url = make_url(kodeks.settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / TOKENS_FILE
    return TOKENS_FILE


def load(kodeks: Kodeks, console: Console, shared_data: Path | None = None) -> list[str]:
    """Import every demo source not imported yet; returns the classification ids loaded. Says what it
    skips, so a second run tells the user that the database already holds the demo."""
    loaded: list[str] = []
    already: list[str] = []
    have = {c.id for c in queries.list_classifications(kodeks.uow)}
    bundled_root = resources.files("kodeks") / "resources"
    for source in BUNDLED:
        if source.classification in have:
            already.append(source.classification or source.path)
            continue
        data = (bundled_root / source.path).read_bytes()
        loaded += _import(kodeks, console, source, data)
    if MUNICIPALITIES_ID in have:
        already.append(MUNICIPALITIES_ID)
    else:
        source = Source("dagi-kommuner.json", MUNICIPALITIES_ID, "json")
        loaded += _import(kodeks, console, source, municipalities_document())
    _seed_catalog(kodeks, console)
    root = shared_data or default_shared_data()
    if root is None or not root.is_dir():
        console.print(
            f"no real-data folder {escape(str(root or '../shared/data'))}: KLE, FSIII, ICD-10 and the "
            "correspondence tables are not loaded (they are not bundled)"
        )
    else:
        done_files = {v.source for c in have for v in queries.versions(kodeks.uow, c)}
        for source in LOCAL:
            path = root / source.path
            if not path.is_file():
                console.print(f"[yellow]not found, skipped:[/] {escape(str(path))}")
            elif path.name in done_files:
                already.append(source.path)
            else:
                loaded += _import(kodeks, console, source, path.read_bytes(), path.name)
        already += _correspondences(kodeks, console, root)
        if "kle" in have or "kle" in loaded:
            from kodeks.cli.landscape import load_demo

            already += load_demo(kodeks, console, root)
    _demo_users(kodeks, console, tokens_path(kodeks))
    _seed_requirements(kodeks, console)
    if already:
        console.print(f"already loaded, skipped: {', '.join(already)}")
    if not loaded:
        console.print("nothing new to load: the database holds the demo data already")
    return loaded


DEMO_TENDER = "aarhus-udbud-demo"


def _seed_requirements(kodeks: Kodeks, console: Console) -> None:
    """The architecture requirements (Kodeks' wording in the style of SKI 02.19) owned by KL, the
    screening questionnaire, and a tender set of Aarhus (the demo users' organisation) that picks
    them and tailors one; each only when not there yet."""
    from kodeks.cli import requirements as requirement_cli
    from kodeks.cli import screening as screening_cli
    from kodeks.domain.governance.identity import Organisation, OrgKind, system_actor
    from kodeks.services.governance import identity
    from kodeks.services.requirements import sets
    from kodeks.storage.requirements import open_requirements
    from kodeks.storage.screening import open_screening

    ctx = open_requirements(kodeks.engine, kodeks.settings, kodeks.listeners)
    admin = system_actor("demo")
    with ctx.gov.uow() as uow:
        have_kl = uow.governance.organisation("kl") is not None
    if not have_kl:
        identity.create_organisation(ctx.gov, admin, Organisation("kl", "KL", OrgKind.ASSOCIATION))
    try:
        count, _ = requirement_cli.seed(ctx, admin)
        q = screening_cli.seed(open_screening(kodeks.engine, kodeks.settings, kodeks.listeners))
        made = DEMO_TENDER not in {s.id for s in sets.listing(ctx)}
        if made:
            ski, _lines = sets.get(ctx, "ski-arkitektur")
            entries = [{"requirement": e.requirement_id} for e in ski.entries]
            entries[0]["local_text"] = (
                "Leverandøren skal klassificere sager og dokumenter efter KLE og Aarhus Kommunes lokale "
                "emner (aarhus-lokal)."
            )
            body = {
                "id": DEMO_TENDER,
                "title": "Aarhus Kommune: udbud af et omsorgssystem (demo)",
                "owner": DEMO_ORGANISATION[0],
                "entries": entries,
            }
            sets.save(ctx, admin, body, expected_revision=None, create=True)
    except KodeksError as exc:
        console.print(f"[yellow]requirements skipped:[/] {escape(exc.message)}")
        return
    if count or made:
        console.print(
            f"requirements: {count} published, questionnaire {q.id} v{q.version}, "
            f"tender set {DEMO_TENDER} (/krav, /screening)"
        )


def municipalities_document() -> bytes:
    """The 98 municipalities under their 5 regions as a Kodeks JSON document."""
    since = MUNICIPALITIES_SINCE.isoformat()

    def item(code: str, title: str, level: int, parent: str | None) -> dict[str, object]:
        return {"code": code, "titles": {"da": title}, "level": level, "parent": parent, "valid_from": since}

    items = [item(code, name, 1, None) for code, name in REGIONS.items()]
    items += [item(m.code, m.name, 2, m.region_code) for m in MUNICIPALITIES.values()]
    document = {
        "format": "kodeks-json",
        "format_version": 1,
        "classification": {
            "id": MUNICIPALITIES_ID,
            "titles": {"da": "Kommuner og regioner", "en": "Danish municipalities and regions"},
            "description": (
                "De 98 kommuner med kommunekode (fx 751 Aarhus) under de 5 regioner med regionskode "
                "(1081-1085), som i Danmarks Administrative Geografiske Inddeling (DAGI)."
            ),
            "owner": "Klimadatastyrelsen (DAGI)",
            "publisher": "Kodeks (fra DAWA's DAGI-tabel, MIT-licens)",
            "licence": "MIT",
            "copyrighted": False,
            "source_uri": "https://github.com/DanmarksAdresser/Dawa",
            "code_order": "natural",
        },
        "levels": [
            {"number": 1, "titles": {"da": "Region", "en": "Region"}},
            {"number": 2, "titles": {"da": "Kommune", "en": "Municipality"}},
        ],
        "versions": [
            {
                "label": "Kommunalreformen 2007",
                "release_date": since,
                "kind": "snapshot",
                "fields": sorted(CONTENT_FIELDS),
                "source": "dagi-kommuner.json",
                "format": "json",
                "levels_covered": None,
            }
        ],
        "items": items,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _seed_catalog(kodeks: Kodeks, console: Console) -> None:
    """Catalog entries for classifications municipalities look for, also those Kodeks only links to."""
    from kodeks.cli.catalog import SEED
    from kodeks.formats import catalog_sheet
    from kodeks.services import catalog as catalog_service

    data = (resources.files("kodeks") / "resources" / SEED).read_bytes()
    rows = catalog_sheet.read_sheet(data, SEED)
    report = catalog_service.import_entries(kodeks.uow, kodeks.catalog, kodeks.search_index, rows, "demo")
    if report.created or report.updated:
        console.print(f"catalog: {len(report.created) + len(report.updated)} entries written")


def _import(
    kodeks: Kodeks, console: Console, source: Source, data: bytes, name: str | None = None
) -> list[str]:
    try:
        reports = importing.import_data(
            kodeks.uow,
            kodeks.formats,
            data,
            name or source.path,
            format=source.format,
            options=ImportOptions(classification=source.classification, options=source.options),
            release_label=source.release,
            release_date=source.release_date,
            listeners=kodeks.listeners,
            base_uri=kodeks.settings.base_uri,
        )
    except KodeksError as exc:
        console.print(f"[yellow]skipped {source.path}:[/] {escape(exc.message)}")
        return []
    for r in reports:
        console.print(f"loaded {r.classification_id} {r.release_label}: {r.items} items")
    return [r.classification_id for r in reports]


def _correspondences(kodeks: Kodeks, console: Console, root: Path) -> list[str]:
    """Import the real correspondence tables not recorded yet; returns the ids already there."""
    from kodeks.domain.period import Period
    from kodeks.formats import correspondence_csv
    from kodeks.services.local import correspondences
    from kodeks.services.local.correspondences import ImportSpec
    from kodeks.storage.local import open_local_store

    have = {s.correspondence.id for s in correspondences.list_correspondences(kodeks.uow, open_local_store)}
    already = []
    for c in CORRESPONDENCES:
        path = root / c.path
        if c.id in have:
            already.append(c.id)
            continue
        if not path.is_file():
            console.print(f"[yellow]not found, skipped:[/] {escape(str(path))}")
            continue
        spec = ImportSpec(c.id, titles={"da": c.title}, owner=c.owner, valid=Period(c.valid_from, None))
        try:
            result = correspondences.import_correspondence(
                kodeks.uow,
                open_local_store,
                correspondence_csv.reader(c.reader),
                path.read_bytes(),
                path.name,
                spec,
                max_bytes=kodeks.settings.max_import_bytes,
                actor="demo",
            )
        except KodeksError as exc:
            console.print(f"[yellow]skipped {c.path}:[/] {escape(exc.message)}")
            continue
        console.print(f"loaded correspondence {c.id}: {result.stored.summary['mappings']} mappings")
    return already


def _demo_users(kodeks: Kodeks, console: Console, tokens_file: Path) -> None:
    """An editor and a reviewer in organisation 751 with an empty classification to edit; their
    tokens are printed once and kept in ``tokens_file`` (mode 0600). A later run issues new tokens
    only when that file is gone."""
    from kodeks.domain.classification import Classification
    from kodeks.domain.governance.identity import Organisation, OrgKind, User, system_actor
    from kodeks.domain.governance.roles import ResourceKind, Role
    from kodeks.services.governance import classifications, identity, roles
    from kodeks.storage.governance import open_governance

    gov = open_governance(kodeks.engine, kodeks.settings, kodeks.listeners)
    admin = system_actor("demo")
    org_id, org_name = DEMO_ORGANISATION
    with gov.uow() as uow:
        have_org = uow.governance.organisation(org_id) is not None
        have_users = {u: uow.governance.user(u) is not None for u, _n, _r in DEMO_USERS}
    if not have_org:
        identity.create_organisation(gov, admin, Organisation(org_id, org_name, OrgKind.MUNICIPALITY))
    for user, name, role in DEMO_USERS:
        if not have_users[user]:
            identity.create_user(gov, admin, User(user, org_id, name))
            roles.assign(gov, admin, user, Role(role), ResourceKind.ORGANISATION, org_id)
    cid, title = DEMO_CLASSIFICATION
    if cid not in {c.id for c in queries.list_classifications(kodeks.uow)}:
        classifications.create(gov, admin, Classification(cid, {"da": title}), owner=org_id)
    if tokens_file.exists():
        console.print(
            f"demo editor and reviewer: their tokens are in {tokens_file} (sign in at /redaktion/log-ind)"
        )
        return
    lines = []
    for user, _name, role in DEMO_USERS:
        secret = identity.issue_token(gov, admin, user, "kodeks demo").secret
        lines.append(f"{user}\t{role}\t{secret}")
    fd = os.open(tokens_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# Kodeks demo users: sign in at /redaktion/log-ind with a token (user, role, token)\n")
        handle.write("\n".join(lines) + "\n")
    console.print(
        "demo users for the editor (sign in at /redaktion/log-ind; shown once, "
        f"kept in {tokens_file}, mode 0600):"
    )
    for line in lines:
        console.print("  " + escape(line.replace("\t", "  ")), highlight=False)
