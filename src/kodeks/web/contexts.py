"""One typed context per page. Templates read only these; tests assert on them.

Everything a template shows is prepared here as plain text, dates and ready links: a template never
builds a URL, parses a date or decides what a value means. Text is always escaped on output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kodeks.domain.changes import Move, Rename
from kodeks.domain.item import Keyword, LegalReference
from kodeks.domain.period import Period
from kodeks.services.item_timeline import EventKind
from kodeks.web.guidance import Block


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    label: str


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What every page has: its ``<title>``, language, breadcrumbs and the other language's address."""

    title: str
    lang: str
    home_href: str
    search_href: str
    other_lang: str
    other_lang_href: str
    section: str = ""  # "catalog" | "search": marks the current menu entry
    breadcrumbs: tuple[Link, ...] = ()
    known_at: datetime | None = None  # set when the reader looks at an earlier recorded state


@dataclass(frozen=True, slots=True)
class DateChoice:
    """The "show as it was on" picker: the date shown, whether it was asked for, and "today"."""

    at: date
    chosen: bool
    today_href: str
    action: str
    hidden: tuple[tuple[str, str], ...] = ()


# -- catalog overview and search -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ClassificationSummary:
    id: str
    title: str
    href: str
    description: str | None
    owner: str | None
    licence: str | None
    copyrighted: bool
    latest_version: str | None
    latest_release: date | None
    item_count: int | None
    catalog_href: str | None = None
    themes: tuple[str, ...] = ()
    licence_label: str = "licence"  # "rights" when the text states the owner's rights (KLE)


@dataclass(frozen=True, slots=True)
class HomePage:
    meta: PageMeta
    classifications: tuple[ClassificationSummary, ...]
    search_action: str
    external: tuple[ClassificationSummary, ...] = ()  # catalogue entries Kodeks only links to


@dataclass(frozen=True, slots=True)
class SearchHit:
    href: str
    code: str | None
    title: str
    classification: str
    kind: str  # "item" | "classification" | "catalog"
    valid: Period | None = None
    snippet: str | None = None  # the stikord or guidance line that matched
    reason: str | None = None  # where it matched, when the title does not show it ("fundet i stikord")


@dataclass(frozen=True, slots=True)
class SearchPage:
    meta: PageMeta
    action: str
    q: str
    classification: str
    level: int | None
    at: date | None
    include_expired: bool
    options: tuple[Link, ...]  # classification filter choices (href = id)
    hits: tuple[SearchHit, ...]
    total: int
    searched: bool
    unavailable: bool = False
    start: int = 0  # the first hit's position (paging)
    facets: tuple[tuple[Link, int, bool], ...] = ()  # per classification: link, count, chosen
    previous: Link | None = None
    next: Link | None = None


# -- classification and tree ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TreeNodeView:
    code: str
    title: str
    href: str
    child_count: int
    children_href: str
    dom_id: str
    children: TreeView | None = None  # filled when the URL asked for this node open
    lang: str | None = None  # the title's language when it is not the page's


@dataclass(frozen=True, slots=True)
class TreeView:
    nodes: tuple[TreeNodeView, ...]
    total: int
    remaining: int
    more_href: str | None


@dataclass(frozen=True, slots=True)
class VersionRow:
    label: str
    release_date: date
    valid: Period
    kind: str
    item_count: int
    recorded_at: datetime
    show_href: str
    changes_href: str | None  # changes since the version before


@dataclass(frozen=True, slots=True)
class ClassificationPage:
    meta: PageMeta
    id: str
    title: str
    description: str | None
    owner: str | None
    publisher: str | None
    licence: str | None
    copyrighted: bool
    uri: str
    when: DateChoice
    versions: tuple[VersionRow, ...]
    levels: tuple[tuple[int, str], ...]
    tree: TreeView
    downloads: tuple[Link, ...]
    changes_action: str
    changes_from: date | None
    changes_to: date
    licence_label: str = "licence"
    alphabet_href: str | None = None  # the alphabetical index per language
    groups_href: str | None = None  # the groups (skos:Collection), when the classification has any
    model_usages: tuple[ModelUsageRow, ...] = ()  # information-model elements bound to it
    model_impact: ModelImpactView | None = None  # what the compared dates' change means for them


@dataclass(frozen=True, slots=True)
class ModelUsageRow:
    """A model element whose value domain is the classification, with links to the model pages."""

    model: Link
    element: Link
    valid_at: date | None


@dataclass(frozen=True, slots=True)
class ModelImpactView:
    """The classification's change between two dates, as the bound model elements see it."""

    from_date: date
    to_date: date
    counts: dict[str, int]  # added, expired, renamed, moved
    changes_href: str
    api_href: str


@dataclass(frozen=True, slots=True)
class TreeFragment:
    """The ``<li>`` nodes of one tree level, for htmx to put in place."""

    tree: TreeView
    lang: str


# -- item, history, changes ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EventView:
    day: date | None
    kind: EventKind
    title: str
    old: str | None = None
    new: str | None = None
    links: tuple[Link, ...] = ()
    href: str | None = None  # the item as it was then


@dataclass(frozen=True, slots=True)
class ItemPage:
    meta: PageMeta
    classification_id: str
    classification_title: str
    code: str
    title: str
    valid: Period
    level_name: str | None
    when: DateChoice
    titles: tuple[tuple[str, str], ...]
    alt_titles: tuple[tuple[str, str], ...]
    guidance: tuple[Block, ...]
    notes: tuple[tuple[Block, ...], ...]
    legal_refs: tuple[LegalReference, ...]
    keywords: tuple[Keyword, ...]
    properties: tuple[tuple[str, str], ...]
    parent: Link | None
    children: tuple[Link, ...]
    successors: tuple[Link, ...]
    successors_now: tuple[Link, ...]
    predecessors: tuple[Link, ...]
    events: tuple[EventView, ...]
    history_href: str
    tree_href: str
    uuid: str | None
    title_lang: str | None = None  # the title's language when it is not the page's
    # thesauri: every parent (a polyhierarchy), related concepts, groups, notes with their language
    parents: tuple[Link, ...] = ()
    related: tuple[Link, ...] = ()
    groups: tuple[Link, ...] = ()
    texts: tuple[tuple[str, str, str], ...] = ()  # (kind, language, text)
    created: date | None = None
    modified: date | None = None


@dataclass(frozen=True, slots=True)
class RecordRow:
    valid: Period
    title: str
    parent: str | None
    release: str
    recorded_from: datetime
    recorded_to: datetime | None
    href: str | None
    changed: tuple[str, ...] = ()  # a replaced recording: what the recording that replaced it changed


@dataclass(frozen=True, slots=True)
class HistoryPage:
    meta: PageMeta
    classification_id: str
    code: str
    title: str
    item_href: str
    events: tuple[EventView, ...]
    facts: tuple[RecordRow, ...]
    superseded: tuple[RecordRow, ...]


@dataclass(frozen=True, slots=True)
class ChangedItem:
    code: str
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class ChangesPage:
    meta: PageMeta
    classification_id: str
    classification_title: str
    action: str
    fra: date | None
    til: date | None
    suggestions: tuple[Link, ...]  # version pairs to compare
    compared: bool
    counts: dict[str, int] = field(default_factory=dict)
    added: tuple[ChangedItem, ...] = ()
    expired: tuple[ChangedItem, ...] = ()
    renamed: tuple[tuple[Rename, str], ...] = ()  # with the link to the item at "til"
    moved: tuple[tuple[Move, str, str], ...] = ()  # with links to old (at "fra") and new (at "til")


@dataclass(frozen=True, slots=True)
class ErrorPage:
    meta: PageMeta
    status: int
    heading: str
    message: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class CatalogEntryPage:
    """A catalogue entry (DCAT-AP-DK dataset): every field as text or link; ``classification_href``
    leads to the classification when Kodeks holds its items."""

    meta: PageMeta
    id: str
    title: str
    description: str
    kind: str
    classification_href: str | None
    facts: tuple[tuple[str, str], ...]  # label → text
    links: tuple[tuple[str, Link], ...]  # label → link (landing page, identifier, contact page)
    contact_email: str | None
    themes: tuple[str, ...]
    keywords: tuple[str, ...]
    used_by: tuple[str, ...]
    related: tuple[Link, ...]
    distributions: tuple[Link, ...]
    dcat_href: str
    edit_href: str | None = None
    message: str | None = None


# -- editor screens (governance workflow) --------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LoginPage:
    meta: PageMeta
    action: str
    error: str | None = None  # a sign-in that failed (shown as an error)
    notice: str | None = None  # why the page is shown (not an error: nothing was tried yet)


@dataclass(frozen=True, slots=True)
class ChangeSetRow:
    id: int
    title: str
    label: str
    effective: date
    state: str
    author: str
    href: str


@dataclass(frozen=True, slots=True)
class EditorClassification:
    id: str
    title: str
    href: str
    can_draft: bool
    new_action: str
    change_sets: tuple[ChangeSetRow, ...]


@dataclass(frozen=True, slots=True)
class EditorHome:
    meta: PageMeta
    user: str
    csrf: str
    logout_action: str
    classifications: tuple[EditorClassification, ...]
    message: str | None = None
    new_entry_href: str | None = None  # administrators create external catalogue entries


@dataclass(frozen=True, slots=True)
class EntryRow:
    code: str
    op: str  # "upsert" | "expire"
    before: str | None  # title in the registry on the effective date
    after: str | None  # title the change set publishes
    parent_after: str | None
    valid_to: date | None
    stale: bool
    edit_href: str


@dataclass(frozen=True, slots=True)
class EditForm:
    """The code form, empty for a new code or filled from the draft for an existing one."""

    code: str = ""
    title_da: str = ""
    title_en: str = ""
    parent: str = ""
    description: str = ""
    etag: str = ""


@dataclass(frozen=True, slots=True)
class ChangeSetPage:
    meta: PageMeta
    id: int
    classification_id: str
    classification_title: str
    title: str
    label: str
    effective: date
    state: str
    author: str
    reviewer: str | None
    publisher: str | None
    reason: str | None
    note: str | None
    etag: str
    csrf: str
    entries: tuple[EntryRow, ...]
    actions: frozenset[str]  # what the signed-in user may do now: edit, submit, review, publish
    form: EditForm
    action_base: str
    published_href: str | None
    message: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CatalogForm:
    """Create an external catalogue entry (``id`` None) or edit one; ``values`` are the form's fields."""

    meta: PageMeta
    id: str | None
    kind: str
    action: str
    csrf: str
    values: dict[str, str]
    themes: tuple[tuple[str, str], ...]  # code, name
    frequencies: tuple[str, ...]
    statuses: tuple[str, ...]
    cancel_href: str
    error: str | None = None
