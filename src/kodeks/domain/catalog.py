"""Catalog entries (*klassifikationskatalog*): what a classification is, who keeps it, where to get it.

Every classification in the registry has an entry (``kind = "registry"``), derived from its metadata
and enriched by editors; an *external* entry describes a classification Kodeks only links to and holds
no items for. The fields follow DCAT-AP-DK (``dcat:Dataset``): see ``kodeks.formats.dcat`` for the
mapping. Values are plain text: whoever renders them escapes them. Links must be ``http(s)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from kodeks.domain.classification import is_slug

#: EU data themes (``http://publications.europa.eu/resource/authority/data-theme/<code>``).
THEMES: frozenset[str] = frozenset(
    {
        "AGRI",
        "ECON",
        "EDUC",
        "ENER",
        "ENVI",
        "GOVE",
        "HEAL",
        "INTR",
        "JUST",
        "OP_DATPRO",
        "REGI",
        "SOCI",
        "TECH",
        "TRAN",
    }
)
#: EU frequency codes (``.../authority/frequency/<code>``).
FREQUENCIES: frozenset[str] = frozenset(
    {
        "ANNUAL",
        "BIENNIAL",
        "TRIENNIAL",
        "QUARTERLY",
        "MONTHLY",
        "WEEKLY",
        "DAILY",
        "CONT",
        "IRREG",
        "NEVER",
        "UNKNOWN",
        "OTHER",
    }
)
#: ADMS status (``http://purl.org/adms/status/<code>``).
STATUSES: frozenset[str] = frozenset({"Completed", "UnderDevelopment", "Deprecated", "Withdrawn"})
KINDS: frozenset[str] = frozenset({"registry", "external"})

MAX_TEXT = 10_000
MAX_SHORT = 500
MAX_LIST = 100
_URL = re.compile(r"^https?://[^\s<>\"'`{}|\\^]+$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """``dcat:contactPoint`` as a ``vcard:Organization``."""

    name: str | None = None
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Distribution:
    """``dcat:Distribution``: one way to get the classification (a download or an access page)."""

    url: str
    title: str | None = None
    media_type: str | None = None
    download: bool = True


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One entry. ``titles``/``descriptions`` map ``da``/``en`` to text; ``themes``, ``frequency`` and
    ``status`` take the EU/ADMS codes above. ``used_by`` names municipalities or systems using it;
    ``related`` names other entries (ids) or URIs. ``classification_id`` links a registry entry to
    its classification (the same id)."""

    id: str
    titles: dict[str, str]
    kind: str = "external"
    descriptions: dict[str, str] = field(default_factory=dict)
    publisher: str | None = None
    owner: str | None = None
    contact: ContactPoint | None = None
    licence: str | None = None
    rights: str | None = None
    access: str = "PUBLIC"
    themes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    subject_area: str | None = None
    frequency: str | None = None
    status: str = "Completed"
    landing_page: str | None = None
    distributions: tuple[Distribution, ...] = ()
    related: tuple[str, ...] = ()
    used_by: tuple[str, ...] = ()
    version: str | None = None
    issued: date | None = None
    modified: date | None = None
    identifier: str | None = None

    def __post_init__(self) -> None:
        problems = entry_problems(self)
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def classification_id(self) -> str | None:
        return self.id if self.kind == "registry" else None

    def title(self, lang: str = "da") -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), self.id)

    def description(self, lang: str = "da") -> str:
        return self.descriptions.get(lang) or next(iter(self.descriptions.values()), "")


#: Fields an editor may set; ``id`` and ``kind`` are not among them.
EDITABLE: frozenset[str] = frozenset(f.name for f in fields(CatalogEntry) if f.name not in ("id", "kind"))


def entry_problems(entry: CatalogEntry) -> list[str]:
    """What is wrong with an entry, as plain sentences (empty when it is fine)."""
    p: list[str] = []
    if not is_slug(entry.id):
        p.append(f"id {entry.id!r} is not a slug (a-z, 0-9, '-', at most 63 characters)")
    if entry.kind not in KINDS:
        p.append(f"kind must be one of {sorted(KINDS)}")
    if not (entry.titles.get("da") or "").strip():
        p.append("a Danish title (titles.da) is required")
    for name, texts in (("titles", entry.titles), ("descriptions", entry.descriptions)):
        limit = MAX_SHORT if name == "titles" else MAX_TEXT
        for lang, text in texts.items():
            if lang not in ("da", "en"):
                p.append(f"{name}: language {lang!r} is not 'da' or 'en'")
            p += _text(f"{name}.{lang}", text, limit)
    for name in ("publisher", "owner", "licence", "rights", "subject_area", "version"):
        p += _text(name, getattr(entry, name), MAX_SHORT)
    p += [
        f"themes: {t!r} is not an EU data theme ({', '.join(sorted(THEMES))})"
        for t in entry.themes
        if t not in THEMES
    ]
    if entry.frequency is not None and entry.frequency not in FREQUENCIES:
        p.append(f"frequency {entry.frequency!r} is not one of {', '.join(sorted(FREQUENCIES))}")
    if entry.status not in STATUSES:
        p.append(f"status {entry.status!r} is not one of {', '.join(sorted(STATUSES))}")
    if entry.access not in ("PUBLIC", "RESTRICTED", "NON_PUBLIC"):
        p.append("access must be PUBLIC, RESTRICTED or NON_PUBLIC")
    for name in ("keywords", "related", "used_by", "distributions"):
        if len(getattr(entry, name)) > MAX_LIST:
            p.append(f"{name}: at most {MAX_LIST} values")
    for name in ("keywords", "used_by", "related"):
        for value in getattr(entry, name):
            p += _text(name, value, MAX_SHORT, required=True)
    p += _url("landing_page", entry.landing_page)
    p += _url("identifier", entry.identifier)
    for d in entry.distributions:
        p += _url("distributions.url", d.url) if d.url else ["distributions.url is required"]
        p += _text("distributions.title", d.title, MAX_SHORT)
        p += _text("distributions.media_type", d.media_type, 200)
    if entry.contact is not None:
        p += _text("contact.name", entry.contact.name, MAX_SHORT)
        p += _url("contact.url", entry.contact.url)
        if entry.contact.email is not None and not _EMAIL.match(entry.contact.email):
            p.append(f"contact.email {entry.contact.email!r} is not an e-mail address")
    return p


def _text(name: str, value: str | None, limit: int, *, required: bool = False) -> list[str]:
    if value is None:
        return []
    if required and not value.strip():
        return [f"{name}: empty values are not allowed"]
    if len(value) > limit:
        return [f"{name} is longer than {limit} characters"]
    if _CONTROL.search(value):
        return [f"{name} contains control characters"]
    return []


def _url(name: str, value: str | None) -> list[str]:
    if value is None or _URL.match(value):
        return [] if value is None or len(value) <= 2000 else [f"{name} is longer than 2000 characters"]
    return [f"{name} {value[:80]!r} is not an http(s) URL"]


def enrich(derived: CatalogEntry, stored: CatalogEntry | None, edited: frozenset[str]) -> CatalogEntry:
    """The entry after an import: derived metadata, but every field an editor set keeps its value."""
    if stored is None:
        return derived
    kept: dict[str, Any] = {name: getattr(stored, name) for name in edited if name in EDITABLE}
    return replace(derived, **kept)


def apply_changes(entry: CatalogEntry, changes: dict[str, Any]) -> CatalogEntry:
    """``entry`` with ``changes`` (field name → new value); ``ValueError`` names unknown or fixed fields."""
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ValueError(f"fields that cannot be changed: {', '.join(unknown)}")
    return replace(entry, **changes)
