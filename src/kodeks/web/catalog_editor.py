"""Editing catalogue entries in the browser: create an external entry, change any entry.

Who may: an administrator for everything; for a registry classification's entry also whoever may
draft that classification (its editors and owners). Only the fields the form changed are sent, so
the rest of a registry entry keeps following its imports (``services.catalog.update_entry``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from kodeks.bootstrap import Kodeks
from kodeks.domain.catalog import FREQUENCIES, STATUSES, THEMES, CatalogEntry
from kodeks.domain.catalog_codec import entry_to_dict
from kodeks.domain.governance.roles import Action
from kodeks.errors import Forbidden, NotFound, Unauthorized
from kodeks.services import catalog
from kodeks.services.governance.authz import may
from kodeks.services.governance.reading import read_resource
from kodeks.web.access import actor, credential, csrf_token, governance
from kodeks.web.catalog import theme
from kodeks.web.contexts import CatalogForm, Link
from kodeks.web.visit import Visit

BASE = "/redaktion/katalog"
_TEXTS = ("publisher", "owner", "licence", "rights", "subject_area", "version", "landing_page")


def may_edit(kodeks: Kodeks, request: Request, entry: CatalogEntry | None) -> bool:
    """Administrators may edit every entry and create external ones; editors their classification's."""
    person = actor(kodeks, request)
    if not person.authenticated:
        return False
    if person.admin:
        return True
    if entry is None or entry.kind != "registry":
        return False
    resource = read_resource(governance(kodeks), entry.id)
    return resource is not None and may(person, Action.DRAFT, resource)


def _require(kodeks: Kodeks, request: Request, entry: CatalogEntry | None) -> str:
    secret = credential(request)
    if secret is None or not actor(kodeks, request).authenticated:
        raise Unauthorized("sign in first")
    if not may_edit(kodeks, request, entry):
        raise Forbidden("you may not edit this catalogue entry")
    return csrf_token(secret)


def form_page(
    kodeks: Kodeks,
    v: Visit,
    entry_id: str | None,
    posted: dict[str, str] | None = None,
    error: str | None = None,
) -> CatalogForm:
    entry = catalog.get_entry(kodeks.uow, kodeks.catalog, entry_id).entry if entry_id else None
    csrf = _require(kodeks, v.request, entry)
    values = posted if posted is not None else (_values(entry) if entry else {"status": "Completed"})
    title = entry.title(v.lang) if entry else v.t("new_entry")
    action = f"{BASE}/{entry.id}" if entry else f"{BASE}/ny"
    crumbs = (Link(v.urls.home(), v.t("nav_catalog")), Link(action, title))
    return CatalogForm(
        v.meta(v.t("edit_entry_title", title=title), crumbs, "editor"),
        entry.id if entry else None,
        entry.kind if entry else "external",
        action + ("?lang=en" if v.lang == "en" else ""),
        csrf,
        values,
        tuple((code, theme(v, code)) for code in sorted(THEMES)),
        tuple(sorted(FREQUENCIES)),
        tuple(sorted(STATUSES)),
        v.urls.catalog_entry(entry.id) if entry else v.urls.home(),
        error,
    )


def _values(entry: CatalogEntry) -> dict[str, str]:
    """The entry as form fields (lists one per line, the distributions as "URL title")."""
    d = entry_to_dict(entry)
    out = {f"title_{k}": v for k, v in d["titles"].items()}
    out |= {f"description_{k}": v for k, v in d["descriptions"].items()}
    out |= {name: d[name] or "" for name in _TEXTS}
    out |= {"frequency": d["frequency"] or "", "status": d["status"], "id": entry.id}
    out |= {name: "\n".join(d[name]) for name in ("keywords", "used_by", "related", "themes")}
    contact = d["contact"] or {}
    out |= {f"contact_{k}": contact.get(k) or "" for k in ("name", "email", "url")}
    out["distributions"] = "\n".join(f"{x['url']} {x['title'] or ''}".strip() for x in d["distributions"])
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


def to_data(form: dict[str, str]) -> dict[str, Any]:
    """The form as the catalogue's field dict (``kodeks.domain.catalog_codec`` names)."""
    text = {k: (form.get(k) or "").strip() for k in form}
    data: dict[str, Any] = {
        "titles": {lang: text[f"title_{lang}"] for lang in ("da", "en") if text.get(f"title_{lang}")},
        "descriptions": {
            lang: text[f"description_{lang}"] for lang in ("da", "en") if text.get(f"description_{lang}")
        },
        "themes": [t for t in text.get("themes", "").splitlines() if t],
        "keywords": _lines(text.get("keywords", "")),
        "used_by": [x.strip() for x in text.get("used_by", "").splitlines() if x.strip()],
        "related": [x.strip() for x in text.get("related", "").splitlines() if x.strip()],
        "frequency": text.get("frequency") or None,
        "status": text.get("status") or "Completed",
    }
    data |= {name: text.get(name) or None for name in _TEXTS}
    contact = {k: text.get(f"contact_{k}") or None for k in ("name", "email", "url")}
    data["contact"] = contact if any(contact.values()) else None
    distributions = []
    for line in text.get("distributions", "").splitlines():
        url, _, title = line.strip().partition(" ")
        if url:
            distributions.append({"url": url, "title": title.strip() or None})
    data["distributions"] = distributions
    return data


def _changed(entry: CatalogEntry, data: dict[str, Any]) -> dict[str, Any]:
    current = entry_to_dict(entry)
    out: dict[str, Any] = {}
    for name, value in data.items():
        before = current.get(name)
        if name == "distributions":
            before = [{"url": x["url"], "title": x["title"]} for x in before or []]
        if value != before and not (value in (None, [], {}) and before in (None, [], {})):
            out[name] = value
    return out


def save(kodeks: Kodeks, v: Visit, entry_id: str | None, form: dict[str, str]) -> str:
    """Create (``entry_id`` None) or change an entry; returns its id. Refusals raise 4xx errors."""
    entry = catalog.get_entry(kodeks.uow, kodeks.catalog, entry_id).entry if entry_id else None
    _require(kodeks, v.request, entry)
    who = actor(kodeks, v.request).name
    data = to_data(form)
    if entry is None:
        new_id = (form.get("id") or "").strip()
        created = catalog.create_entry(
            kodeks.uow, kodeks.catalog, kodeks.search_index, {"id": new_id, **data}, who
        )
        return created.id
    changes = _changed(entry, data)
    if changes:
        catalog.update_entry(kodeks.uow, kodeks.catalog, kodeks.search_index, entry.id, changes, who)
    return entry.id


__all__ = ["BASE", "NotFound", "form_page", "may_edit", "save", "to_data"]
