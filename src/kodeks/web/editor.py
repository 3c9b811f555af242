"""Editor screens for the governance workflow: sign in, open a draft, edit codes, submit, review,
publish. Every step goes through ``services.governance`` (which authorizes, audits and commits);
the screens only show what the signed-in user may do next and say clearly what happened."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request

from kodeks.bootstrap import Kodeks
from kodeks.domain.governance.changeset import ChangeSet, Entry, State
from kodeks.domain.governance.etag import change_set_etag
from kodeks.domain.governance.roles import Action
from kodeks.domain.item import Item
from kodeks.errors import InvalidRequest, Unauthorized
from kodeks.services import queries
from kodeks.services.governance import changesets, drafts, publishing
from kodeks.services.governance.authz import may
from kodeks.services.governance.reading import read_resource
from kodeks.web.access import actor, credential, csrf_token, governance
from kodeks.web.contexts import (
    ChangeSetPage,
    ChangeSetRow,
    EditForm,
    EditorClassification,
    EditorHome,
    EntryRow,
    Link,
)
from kodeks.web.urls import seg
from kodeks.web.visit import Visit, parse_date

BASE = "/redaktion"
MESSAGES = (
    "entry_saved",
    "opened",
    "saved",
    "expired_code",
    "dropped",
    "submitted",
    "approved",
    "rejected",
    "published",
)


def _signed_in(kodeks: Kodeks, request: Request) -> tuple[str, str]:
    """(user name, csrf token) of the signed-in user; 401 otherwise."""
    who = actor(kodeks, request)
    secret = credential(request)
    if not who.authenticated or secret is None:
        raise Unauthorized("sign in first")
    return who.name, csrf_token(secret)


def cs_href(v: Visit, cs_id: int, **params: str) -> str:
    query = "&".join(f"{k}={seg(val)}" for k, val in params.items())
    lang = "lang=en" if v.lang == "en" else ""
    joined = "&".join(p for p in (query, lang) if p)
    return f"{BASE}/aendringssaet/{cs_id}" + (f"?{joined}" if joined else "")


def message(v: Visit) -> str | None:
    key = v.param("besked", limit=40)
    return v.t(f"msg_{key}") if key in MESSAGES else None


def home(kodeks: Kodeks, v: Visit) -> EditorHome:
    who, csrf = _signed_in(kodeks, v.request)
    gov, person = governance(kodeks), actor(kodeks, v.request)
    rows = []
    for c in queries.list_classifications(kodeks.uow):
        resource = read_resource(gov, c.id)
        if resource is None or not may(person, Action.READ_AUDIT, resource):
            continue
        sets = sorted(changesets.list_for(gov, person, c.id), key=lambda cs: cs.id or 0, reverse=True)
        rows.append(
            EditorClassification(
                c.id,
                c.title(v.lang),
                v.urls.classification(c.id),
                may(person, Action.DRAFT, resource),
                f"{BASE}/klassifikationer/{seg(c.id)}/udkast",
                tuple(
                    ChangeSetRow(
                        cs.id or 0,
                        cs.title,
                        cs.label,
                        cs.effective,
                        str(cs.state),
                        cs.author,
                        cs_href(v, cs.id or 0),
                    )
                    for cs in sets
                ),
            )
        )
    return EditorHome(
        v.meta(
            v.t("editor_title"),
            (Link(v.urls.home(), v.t("nav_catalog")), Link(BASE, v.t("editor_title"))),
            "editor",
        ),
        who,
        csrf,
        f"{BASE}/log-ud",
        tuple(rows),
        message(v),
        "/redaktion/katalog/ny" + ("?lang=en" if v.lang == "en" else "") if person.admin else None,
    )


def change_set_page(
    kodeks: Kodeks, v: Visit, cs_id: int, error: str | None = None, form: EditForm | None = None
) -> ChangeSetPage:
    _, csrf = _signed_in(kodeks, v.request)
    gov, person = governance(kodeks), actor(kodeks, v.request)
    cs, entries = changesets.get(gov, person, cs_id)
    cid = cs.classification_id
    resource = read_resource(gov, cid)
    allowed = {
        name
        for name, action in (
            ("edit", Action.DRAFT),
            ("submit", Action.SUBMIT),
            ("review", Action.REVIEW),
            ("publish", Action.PUBLISH),
        )
        if resource is not None and may(person, action, resource)
    }
    actions = frozenset(a for a in allowed if a in _possible(cs))
    rows = tuple(_row(kodeks, v, cs, e) for e in sorted(entries, key=lambda e: e.code))
    code = v.param("kode", limit=200)
    if form is None:
        form = _form(kodeks, v, cs_id, code) if code and "edit" in actions else EditForm()
    title = queries.get_classification(kodeks.uow, cid).title(v.lang)
    crumbs = (
        Link(v.urls.home(), v.t("nav_catalog")),
        Link(BASE, v.t("editor_title")),
        Link(cs_href(v, cs_id), f"{cs.label}"),
    )
    published = v.urls.at_date(cs.effective).classification(cid) if cs.state is State.PUBLISHED else None
    return ChangeSetPage(
        v.meta(v.t("change_set_title", title=cs.title, label=cs.label), crumbs, "editor"),
        cs_id,
        cid,
        title,
        cs.title,
        cs.label,
        cs.effective,
        str(cs.state),
        cs.author,
        cs.reviewer,
        cs.publisher,
        cs.reason,
        cs.note,
        change_set_etag(cs_id, cs.revision),
        csrf,
        rows,
        actions,
        form,
        f"{BASE}/aendringssaet/{cs_id}",
        published,
        message(v),
        error,
    )


def _possible(cs: ChangeSet) -> set[str]:
    return {
        State.DRAFT: {"edit", "submit"},
        State.SUBMITTED: {"review"},
        State.APPROVED: {"review", "publish"},
    }.get(cs.state, set())


def _row(kodeks: Kodeks, v: Visit, cs: ChangeSet, entry: Entry) -> EntryRow:
    before = queries.items(kodeks.uow, cs.classification_id, queries.When.of(cs.effective))
    old = next((i for i in before if i.code == entry.code), None)
    after = entry.item
    return EntryRow(
        entry.code,
        str(entry.op),
        old.title(v.lang) if old else None,
        after.title(v.lang) if after else None,
        after.parent if after else None,
        entry.valid_to,
        False,
        cs_href(v, cs.id or 0, kode=entry.code),
    )


def _form(kodeks: Kodeks, v: Visit, cs_id: int, code: str) -> EditForm:
    found = drafts.draft_item(governance(kodeks), actor(kodeks, v.request), cs_id, code)
    item = found.item
    if item is None:
        return EditForm(code=code, etag=found.etag if found.history or found.entry else "")
    return EditForm(
        code,
        item.titles.get("da", ""),
        item.titles.get("en", ""),
        item.parent or "",
        item.description or "",
        found.etag,
    )


def form_from(posted: dict[str, str]) -> EditForm:
    """The code form as the user sent it, to show again with the reason it was refused."""
    return EditForm(
        posted.get("kode", "")[:200],
        posted.get("titel_da", "")[:500],
        posted.get("titel_en", "")[:500],
        posted.get("overordnet", "")[:200],
        posted.get("beskrivelse", "")[:10_000],
        posted.get("etag", "")[:200],
    )


# -- steps ---------------------------------------------------------------------------------------
def open_draft(kodeks: Kodeks, v: Visit, cid: str, form: dict[str, str]) -> int:
    gov, person = governance(kodeks), actor(kodeks, v.request)
    title, label = form.get("titel", "").strip(), form.get("version", "").strip()
    if not title or not label:
        raise InvalidRequest(v.t("title_and_label_required"), translated=True)
    effective = parse_date(form.get("gyldig_fra", "").strip(), v.t)
    cs = changesets.open_change_set(
        gov, person, cid, title=title[:2000], label=label[:200], effective=effective
    )
    return cs.id or 0


def put_code(kodeks: Kodeks, v: Visit, cs_id: int, form: dict[str, str]) -> None:
    gov, person = governance(kodeks), actor(kodeks, v.request)
    code = form.get("kode", "").strip()
    if not code:
        raise InvalidRequest(v.t("code_required"), translated=True)
    titles = {k: form.get(f"titel_{k}", "").strip() for k in ("da", "en")}
    titles = {k: val for k, val in titles.items() if val}
    if "da" not in titles:
        raise InvalidRequest(v.t("title_required"), translated=True)
    etag = form.get("etag", "").strip() or None
    if etag is None:
        current = drafts.draft_item(gov, person, cs_id, code)
        etag = current.etag if (current.history or current.entry) else None
    try:
        item = Item(
            code,
            titles,
            parent=form.get("overordnet", "").strip() or None,
            description=form.get("beskrivelse", "").strip() or None,
        )
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    drafts.put_item(gov, person, cs_id, code, item, etag)


def expire_code(kodeks: Kodeks, v: Visit, cs_id: int, form: dict[str, str]) -> None:
    gov, person = governance(kodeks), actor(kodeks, v.request)
    code = form.get("kode", "").strip()
    if not code:
        raise InvalidRequest(v.t("code_required"), translated=True)
    valid_to: date = parse_date(form.get("gyldig_til", "").strip(), v.t)
    current = drafts.draft_item(gov, person, cs_id, code)
    drafts.expire_item(gov, person, cs_id, code, valid_to, current.etag)


def drop_code(kodeks: Kodeks, v: Visit, cs_id: int, form: dict[str, str]) -> None:
    gov, person = governance(kodeks), actor(kodeks, v.request)
    code = form.get("kode", "").strip()
    current = drafts.draft_item(gov, person, cs_id, code)
    drafts.drop_item(gov, person, cs_id, code, current.etag)


def step(kodeks: Kodeks, v: Visit, cs_id: int, verb: str, form: dict[str, str]) -> str:
    """Submit, approve, reject or publish with the change set's version tag from the form."""
    gov, person = governance(kodeks), actor(kodeks, v.request)
    etag = form.get("etag") or None
    text = form.get("tekst", "").strip()[:2000] or None
    if verb == "submit":
        changesets.submit(gov, person, cs_id, etag)
        return "submitted"
    if verb == "approve":
        changesets.approve(gov, person, cs_id, etag, text)
        return "approved"
    if verb == "reject":
        changesets.reject(gov, person, cs_id, etag, text)
        return "rejected"
    publishing.publish(gov, person, cs_id, etag, text)
    return "published"
