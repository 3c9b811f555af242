"""``kodeks governance``: organisations, users, tokens, roles, classifications, change sets, audit.

The command line works on the database directly, as a local administrator (``cli``) unless ``--as USER``
names the registered user to act as — the four-eyes rule and roles then apply as they do in the API.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.domain.classification import Classification
from kodeks.domain.codec import item_from_dict, item_to_dict
from kodeks.domain.governance.identity import Organisation, OrgKind, User
from kodeks.domain.governance.roles import ResourceKind, Role
from kodeks.errors import InvalidRequest
from kodeks.services.governance import audit, changesets, classifications, drafts, identity, publishing, roles
from kodeks.services.governance.context import Governance
from kodeks.services.governance.drafts import cs_etag
from kodeks.storage.governance import open_governance


def _group(text: str) -> typer.Typer:
    return typer.Typer(help=text, no_args_is_help=True)


app = _group("Governance: who may do what, and edits through reviewed change sets.")
orgs = _group("Organisations (KL, municipalities, agencies).")
users = _group("Users of an organisation.")
tokens = _group("API tokens (shown once; stored hashed; expiring; revocable).")
roles_app = _group("Role assignments (owner, editor, reviewer, reader).")
changeset = _group("Change sets: draft → submitted → approved → published.")
for sub, name in (
    (orgs, "orgs"),
    (users, "users"),
    (tokens, "tokens"),
    (roles_app, "roles"),
    (changeset, "changeset"),
):
    app.add_typer(sub, name=name)
out = Console(soft_wrap=True)

Db = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
As = Annotated[str | None, typer.Option("--as", help="act as this registered user (default: local admin)")]
Json = Annotated[bool, typer.Option("--json", help="print JSON")]


def _gov(db: str | None) -> Governance:
    kodeks = open_registry(db)
    return open_governance(kodeks.engine, kodeks.settings, kodeks.listeners)


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _valid(make: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return make(*args, **kwargs)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@orgs.command("add")
def orgs_add(
    org_id: str,
    name: str,
    kind: Annotated[OrgKind, typer.Option()] = OrgKind.OTHER,
    db: Db = None,
    as_: As = None,
) -> None:
    """Add an organisation (ORG_ID is its slug; a municipality's is its 3-digit code)."""
    gov = _gov(db)
    org = _valid(Organisation, org_id, name, kind)
    identity.create_organisation(gov, identity.local_actor(gov, as_), org)
    out.print(f"organisation {org_id} added")


@orgs.command("seed-municipalities")
def orgs_seed(
    path: Annotated[Path, typer.Argument(help="DAWA kommuner JSON (kode, navn)")], db: Db = None
) -> None:
    """Add every municipality of a DAWA municipality list (id = 3-digit code), skipping known ones."""
    gov = _gov(db)
    actor = identity.local_actor(gov, None)
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        wanted = [(f"{int(r['kode']):03d}", f"{r['navn']} Kommune") for r in rows]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidRequest(f"{path.name}: not a DAWA municipality list ({exc})") from None
    known = {o.id for o in identity.organisations(gov, actor)}
    added = 0
    for code, name in wanted:
        if code not in known:
            identity.create_organisation(gov, actor, Organisation(code, name, OrgKind.MUNICIPALITY))
            known.add(code)
            added += 1
    out.print(f"{added} municipalities added ({len(wanted) - added} known already)")


@orgs.command("list")
def orgs_list(db: Db = None, as_json: Json = False) -> None:
    """List the organisations."""
    gov = _gov(db)
    found = identity.organisations(gov, identity.local_actor(gov, None))
    if as_json:
        _print_json([{"id": o.id, "name": o.name, "kind": str(o.kind)} for o in found])
        return
    table = Table("id", "name", "kind")
    for o in found:
        table.add_row(o.id, o.name, str(o.kind))
    out.print(table)


@users.command("add")
def users_add(
    user_id: str,
    org: Annotated[str, typer.Option("--org")],
    name: Annotated[str, typer.Option()],
    admin: bool = False,
    oidc_subject: Annotated[str | None, typer.Option()] = None,
    db: Db = None,
    as_: As = None,
) -> None:
    """Add a user to an organisation (--admin: the user administers Kodeks itself)."""
    gov = _gov(db)
    new = _valid(User, user_id, org, name, admin, oidc_subject)
    identity.create_user(gov, identity.local_actor(gov, as_), new)
    out.print(f"user {user_id} added to {org}")


@users.command("list")
def users_list(org: Annotated[str, typer.Option("--org")], db: Db = None, as_json: Json = False) -> None:
    """List the users of an organisation."""
    gov = _gov(db)
    found = identity.users(gov, identity.local_actor(gov, None), org)
    if as_json:
        _print_json([{"id": u.id, "name": u.name, "admin": u.admin} for u in found])
        return
    for u in found:
        out.print(f"{u.id}\t{u.name}{' (admin)' if u.admin else ''}")


@tokens.command("issue")
def tokens_issue(user: str, name: Annotated[str, typer.Option()], days: int = 90, db: Db = None) -> None:
    """Issue a token for USER and print it — the only time it is shown."""
    gov = _gov(db)
    issued = identity.issue_token(gov, identity.local_actor(gov, None), user, name, days)
    expires = f"{issued.record.expires_at:%Y-%m-%d}"
    out.print(f"token {issued.record.id} for {user}, expires {expires}:", highlight=False)
    print(issued.secret)


@tokens.command("list")
def tokens_list(user: str, db: Db = None) -> None:
    """List a user's tokens (never their secrets): expiry or revocation."""
    gov = _gov(db)
    for t in identity.tokens(gov, identity.local_actor(gov, None), user):
        state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else f"expires {t.expires_at:%Y-%m-%d}"
        out.print(f"{t.id}\t{t.name}\t{state}", highlight=False)


@tokens.command("revoke")
def tokens_revoke(token_id: str, reason: Annotated[str | None, typer.Option()] = None, db: Db = None) -> None:
    """Revoke a token at once."""
    gov = _gov(db)
    identity.revoke_token(gov, identity.local_actor(gov, None), token_id, reason)
    out.print(f"token {token_id} revoked")


@roles_app.command("assign")
def roles_assign(
    user: str,
    role: Role,
    classification: Annotated[str | None, typer.Option(help="on this classification")] = None,
    sortiment: Annotated[str | None, typer.Option(help="on this sortiment")] = None,
    model: Annotated[str | None, typer.Option(help="on this information model")] = None,
    organisation: Annotated[str | None, typer.Option(help="on all an organisation owns")] = None,
    codes: Annotated[str | None, typer.Option(help="narrow item edits, e.g. '27.*'")] = None,
    db: Db = None,
    as_: As = None,
) -> None:
    """Give USER a role on exactly one classification, sortiment, information model or organisation."""
    options = (
        (ResourceKind.CLASSIFICATION, classification),
        (ResourceKind.SORTIMENT, sortiment),
        (ResourceKind.MODEL, model),
        (ResourceKind.ORGANISATION, organisation),
    )
    given = [(k, v) for k, v in options if v]
    if len(given) != 1:
        raise InvalidRequest("name exactly one of --classification, --sortiment, --model, --organisation")
    gov = _gov(db)
    kind, resource_id = given[0]
    made = _valid(roles.assign, gov, identity.local_actor(gov, as_), user, role, kind, resource_id, codes)
    out.print(f"role {made.id}: {user} is {made.describe()}")


@roles_app.command("list")
def roles_list(user: Annotated[str | None, typer.Option()] = None, db: Db = None) -> None:
    """List role assignments (of one user with --user)."""
    gov = _gov(db)
    for a in roles.assignments(gov, identity.local_actor(gov, None), user_id=user):
        out.print(f"{a.id}\t{a.user_id}\t{a.describe()}", highlight=False)


@roles_app.command("revoke")
def roles_revoke(
    assignment_id: int, reason: Annotated[str | None, typer.Option()] = None, db: Db = None, as_: As = None
) -> None:
    """Revoke a role assignment by its id."""
    gov = _gov(db)
    roles.revoke(gov, identity.local_actor(gov, as_), assignment_id, reason)
    out.print(f"role {assignment_id} revoked")


@app.command("create-classification")
def create_classification(
    classification_id: str,
    title: Annotated[str, typer.Option()],
    owner: Annotated[str, typer.Option(help="owning organisation id")],
    private: Annotated[bool, typer.Option(help="public read off")] = False,
    four_eyes: Annotated[bool, typer.Option(help="author may not publish")] = True,
    db: Db = None,
    as_: As = None,
) -> None:
    """Register a new, empty classification; its items come through change sets."""
    gov = _gov(db)
    new = _valid(Classification, classification_id, {"da": title})
    classifications.create(
        gov,
        identity.local_actor(gov, as_),
        new,
        owner=owner,
        public_read=False if private else None,
        four_eyes=four_eyes,
    )
    out.print(f"classification {classification_id} created, owned by {owner}")


@app.command("policy")
def policy(
    classification_id: str,
    owner: Annotated[str | None, typer.Option()] = None,
    public_read: Annotated[bool | None, typer.Option("--public/--private")] = None,
    four_eyes: Annotated[bool | None, typer.Option("--four-eyes/--no-four-eyes")] = None,
    db: Db = None,
    as_: As = None,
) -> None:
    """Show a classification's policy, or change its owner, public read or four-eyes rule."""
    gov = _gov(db)
    actor = identity.local_actor(gov, as_)
    current = classifications.governed(gov, actor, classification_id)
    changes: dict[str, Any] = {
        k: v
        for k, v in (("owner", owner), ("public_read", public_read), ("four_eyes", four_eyes))
        if v is not None
    }
    if changes:
        current = classifications.update_policy(gov, actor, classification_id, current.etag, changes)
    p = current.policy
    public = "on" if current.public else "off"
    out.print(
        f"{classification_id}: owner {p.owner or '-'}, public read {public}, "
        f"four eyes {'on' if p.four_eyes else 'off'}"
    )


@changeset.command("create")
def changeset_create(
    classification_id: str,
    title: Annotated[str, typer.Option()],
    label: Annotated[str, typer.Option(help="version label, e.g. 2025.2")],
    effective: Annotated[str, typer.Option(help="YYYY-MM-DD the edits take effect")],
    db: Db = None,
    as_: As = None,
) -> None:
    """Open a draft change set on a classification; prints its id last."""
    gov = _gov(db)
    cs = changesets.open_change_set(
        gov,
        identity.local_actor(gov, as_),
        classification_id,
        title=title,
        label=label,
        effective=_day(effective, "--effective"),
    )
    out.print(f"change set {cs.id} opened on {classification_id} (effective {cs.effective})")
    print(cs.id)


@changeset.command("add")
def changeset_add(
    cs_id: int,
    code: str,
    title: Annotated[str, typer.Option()],
    parent: Annotated[str | None, typer.Option()] = None,
    level: Annotated[int | None, typer.Option()] = None,
    valid_to: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    db: Db = None,
    as_: As = None,
) -> None:
    """Add or change one code in a draft (its title, parent and level; other fields are kept)."""
    gov = _gov(db)
    actor = identity.local_actor(gov, as_)
    current = drafts.draft_item(gov, actor, cs_id, code)
    data: dict[str, Any] = item_to_dict(current.item) if current.item is not None else {"code": code}
    data.update(
        {
            "titles": {**(data.get("titles") or {}), "da": title},
            "valid_from": None,
            "valid_to": valid_to,
            "uuid": None,
        }
    )
    if parent is not None:
        data["parent"] = parent or None
    if level is not None:
        data["level"] = level
    exists = current.entry is not None or bool(current.history)
    item = _valid(item_from_dict, data)
    drafts.put_item(gov, actor, cs_id, code, item, current.etag if exists else None)
    out.print(f"{code} {'changed' if exists else 'added'} in change set {cs_id}")


@changeset.command("expire")
def changeset_expire(
    cs_id: int,
    code: str,
    valid_to: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    db: Db = None,
    as_: As = None,
) -> None:
    """End a code's validity on a date, in a draft."""
    gov = _gov(db)
    actor = identity.local_actor(gov, as_)
    current = drafts.draft_item(gov, actor, cs_id, code)
    drafts.expire_item(gov, actor, cs_id, code, _day(valid_to, "--valid-to"), current.etag)
    out.print(f"{code} expires on {valid_to} in change set {cs_id}")


@changeset.command("show")
def changeset_show(cs_id: int, db: Db = None, as_: As = None) -> None:
    """Show a change set: its state and every edit in it."""
    gov = _gov(db)
    cs, entries = changesets.get(gov, identity.local_actor(gov, as_), cs_id)
    out.print(
        f"change set {cs.id} on {cs.classification_id}: {cs.title!r}, version {cs.label} effective "
        f"{cs.effective}, {cs.state} (author {cs.author}, revision {cs.revision})",
        highlight=False,
    )
    for e in entries:
        what = e.item.title() if e.item else f"valid to {e.valid_to}"
        out.print(f"  {e.op:7} {e.code}\t{what}", highlight=False)


def _step(name: str, cs_id: int, db: str | None, as_: str | None, **kw: Any) -> None:
    gov = _gov(db)
    actor = identity.local_actor(gov, as_)
    cs, _ = changesets.get(gov, actor, cs_id)
    tag = cs_etag(cs)
    if name == "submit":
        cs = changesets.submit(gov, actor, cs_id, tag)
    elif name == "approve":
        cs = changesets.approve(gov, actor, cs_id, tag, kw.get("note"))
    elif name == "reject":
        cs = changesets.reject(gov, actor, cs_id, tag, kw.get("reason"))
    else:
        done = publishing.publish(gov, actor, cs_id, tag, kw.get("note"))
        cs = done.change_set
        out.print(
            f"published {done.report.release_label}: {done.report.inserted} records added, "
            f"{done.report.closed} superseded",
            highlight=False,
        )
    out.print(f"change set {cs_id} is {cs.state}")


@changeset.command("submit")
def changeset_submit(cs_id: int, db: Db = None, as_: As = None) -> None:
    """Submit a draft for review."""
    _step("submit", cs_id, db, as_)


@changeset.command("approve")
def changeset_approve(
    cs_id: int, note: Annotated[str | None, typer.Option()] = None, db: Db = None, as_: As = None
) -> None:
    """Approve a submitted change set (not its author's, when four eyes apply)."""
    _step("approve", cs_id, db, as_, note=note)


@changeset.command("reject")
def changeset_reject(
    cs_id: int, reason: Annotated[str, typer.Option()], db: Db = None, as_: As = None
) -> None:
    """Reject a submitted or approved change set; a reason is required."""
    _step("reject", cs_id, db, as_, reason=reason)


@changeset.command("publish")
def changeset_publish(
    cs_id: int, note: Annotated[str, typer.Option(help="why (required)")], db: Db = None, as_: As = None
) -> None:
    """Publish an approved change set as a new release of its classification."""
    _step("publish", cs_id, db, as_, note=note)


@app.command("audit")
def audit_trail(
    classification_id: Annotated[str | None, typer.Argument()] = None,
    code: Annotated[str | None, typer.Option()] = None,
    after: int = 0,
    limit: int = 100,
    db: Db = None,
    as_: As = None,
    as_json: Json = False,
) -> None:
    """The audit trail of a classification (or one of its codes); without one, everything."""
    gov = _gov(db)
    actor = identity.local_actor(gov, as_)
    if classification_id is None:
        trail = audit.full_trail(gov, actor, after=after, limit=limit)
    else:
        trail = audit.classification_trail(gov, actor, classification_id, code=code, after=after, limit=limit)
    if as_json:
        _print_json(
            [
                {
                    "id": a.id,
                    "at": a.at.isoformat() + "Z",
                    "actor": a.actor,
                    "action": a.action,
                    "classification": a.classification_id,
                    "code": a.code,
                    "change_set": a.change_set_id,
                    "note": a.note,
                    "details": a.details,
                }
                for a in trail
            ]
        )
        return
    for a in trail:
        where = " ".join(x for x in (a.classification_id, a.code) if x)
        note = f" — {a.note}" if a.note else ""
        out.print(f"{a.id}\t{a.at:%Y-%m-%d %H:%M:%S}\t{a.actor}\t{a.action}\t{where}{note}", highlight=False)
