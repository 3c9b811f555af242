"""An item (kode, emne, concept): one code of a classification with what the source says of it."""

from __future__ import annotations

import re
import uuid as uuidlib
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from kodeks.domain.language import shown_title
from kodeks.domain.period import ALWAYS, Period

#: A code is words separated by single spaces (as FHIR's ``code`` type and SKOS notations expect).
_BAD_SPACE = re.compile(r"\s\s|[^\S ]")


@dataclass(frozen=True, slots=True)
class Keyword:
    """A search word (KLE *stikord*), optionally weighted as the source weights it."""

    term: str
    weight: int | None = None


@dataclass(frozen=True, slots=True)
class LegalReference:
    """A legal source (KLE *retskildereference*): a title and, where known, an identifier or URL."""

    title: str
    reference: str | None = None


#: The kinds of language-tagged text a concept may carry (SKOS' documentation properties).
TEXT_KINDS: tuple[str, ...] = (
    "definition",
    "scopeNote",
    "note",
    "example",
    "historyNote",
    "editorialNote",
    "changeNote",
)


@dataclass(frozen=True, slots=True)
class LangText:
    """A definition or note in one language (``und``: the source did not say): SKOS documentation."""

    kind: str
    lang: str
    text: str


@dataclass(frozen=True, slots=True)
class Item:
    """One code with its content over a validity period ``valid`` (half-open, dates).

    ``parent`` is the parent's code (``None`` at the top); ``other_parents`` are the further parents
    of a code with several (a thesaurus' polyhierarchy, in code order after ``parent``): ``parents``
    gives them all, and none is privileged except as the one a breadcrumb follows. ``related`` are
    the codes of associated concepts (``skos:related``); ``groups`` the codes of the collections
    (``skos:Collection``, see ``domain.group``) the code is a direct member of. ``texts`` are
    definitions and notes with their language; ``description`` and ``notes`` stay the plain texts
    callers show (``description`` is also the preferred definition). ``created``/``modified`` are
    the dates the source gives the concept itself (``dct:created``/``dct:modified``).
    ``replaced_by`` holds the codes that succeed this one once it expires (KLE ``AfloestAf``,
    ``dct:isReplacedBy``). ``properties`` keeps source attributes that have no field of their own
    (KLE's *bevaring*, *sletning*, filters) as ``name -> text``.
    """

    code: str
    titles: dict[str, str] = field(default_factory=dict)
    level: int | None = None
    parent: str | None = None
    valid: Period = ALWAYS
    uuid: uuidlib.UUID | None = None
    description: str | None = None
    notes: tuple[str, ...] = ()
    alt_titles: tuple[tuple[str, str], ...] = ()
    keywords: tuple[Keyword, ...] = ()
    replaced_by: tuple[str, ...] = ()
    legal_refs: tuple[LegalReference, ...] = ()
    properties: dict[str, str] = field(default_factory=dict)
    other_parents: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    texts: tuple[LangText, ...] = ()
    created: date | None = None
    modified: date | None = None

    def __post_init__(self) -> None:
        if not self.code or self.code != self.code.strip():
            raise ValueError(f"code {self.code!r} is empty or has surrounding spaces")
        if _BAD_SPACE.search(self.code):
            raise ValueError(f"code {self.code!r} has a line break, a tab or two spaces in a row")
        if self.parent == self.code or self.code in self.other_parents:
            raise ValueError(f"code {self.code!r} is its own parent")
        if self.other_parents:
            # Callers that know one parent stay right: no parent means none at all (``replace(item,
            # parent=None)`` makes a top item), and the first parent is not repeated among the others.
            others = () if self.parent is None else tuple(dict.fromkeys(self.other_parents))
            object.__setattr__(self, "other_parents", tuple(p for p in others if p != self.parent))

    @property
    def parents(self) -> tuple[str, ...]:
        """All parents: ``parent`` first, then ``other_parents`` (empty at the top)."""
        return (self.parent, *self.other_parents) if self.parent is not None else ()

    def title(self, lang: str = "da") -> str:
        """The title in ``lang``, else Danish, else English, else the first (``language.shown_title``)."""
        shown = shown_title(self.titles, lang)
        return shown[1] if shown else ""

    def content(self) -> tuple[Any, ...]:
        """Everything except validity: two facts with equal content say the same thing."""
        return tuple(
            getattr(self, f.name)
            if f.name not in ("titles", "properties")
            else tuple(sorted(getattr(self, f.name).items()))
            for f in fields(self)
            if f.name != "valid"
        )

    def with_valid(self, valid: Period) -> Item:
        return replace(self, valid=valid)


#: Fields an importer can declare it carries; the rest are inherited from earlier facts.
CONTENT_FIELDS: frozenset[str] = frozenset(f.name for f in fields(Item) if f.name not in ("code", "valid"))


def item_uuid(classification_uri: str, code: str) -> uuidlib.UUID:
    """Stable UUID for a code without a source UUID: UUIDv5 of the classification URI and the code."""
    return uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"{classification_uri.rstrip('/')}/{code}")
