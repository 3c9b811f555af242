"""What the search service needs from an index (storage implements it; tests may fake it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from kodeks.domain.period import ALWAYS, Period
from kodeks.domain.search_rank import DocumentTerms
from kodeks.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One searchable thing: an item fact (``kind="item"``) or a catalog entry (``kind="catalog"``).

    ``classification_id`` is the item's classification, or the entry's id for catalog entries.
    ``fts`` holds the analysed text per index column (``code``, ``title``, ``keywords``, ``body``).
    """

    kind: str
    classification_id: str
    title: str
    titles: dict[str, str]
    terms: DocumentTerms
    code: str | None = None
    level: int | None = None
    valid: Period = ALWAYS
    fts: dict[str, str] = field(default_factory=dict)
    #: the code's lifespan, shown as its validity (``valid`` is the fact's period, used to filter)
    lifespan: Period | None = None


@dataclass(frozen=True, slots=True)
class TermGroup:
    """One query word for the full-text match: any exact term, or any term starting with a prefix."""

    exact: frozenset[str]
    prefixes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Filters:
    classification: str | None = None
    level: int | None = None
    at: date | None = None
    include_expired: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """A document the index found, with its own full-text rank (higher is better)."""

    kind: str
    classification_id: str
    code: str | None
    level: int | None
    title: str
    titles: dict[str, str]
    valid: Period
    terms: DocumentTerms
    db_rank: float = 0.0
    lifespan: Period | None = None


class SearchIndex(Protocol):
    """The search index, inside the unit of work's transaction."""

    def replace_items(self, classification_id: str, documents: Iterable[SearchDocument]) -> None:
        """Drop the classification's item documents and add ``documents`` (read once, in batches)."""
        ...

    def replace_entry(self, entry_id: str, document: SearchDocument | None) -> None:
        """Drop the catalog document of ``entry_id`` and add ``document`` (if any)."""
        ...

    def clear(self) -> None: ...

    def text_candidates(
        self, groups: Sequence[TermGroup], filters: Filters, *, match_all: bool, limit: int
    ) -> list[Candidate]: ...

    def code_candidates(self, codes: Sequence[str], filters: Filters, *, limit: int) -> list[Candidate]:
        """Documents whose code equals, or starts with, one of ``codes`` (``code_key`` form)."""
        ...

    def count_matches(
        self, groups: Sequence[TermGroup], codes: Sequence[str], filters: Filters, *, match_all: bool
    ) -> dict[str, int]:
        """How many codes (and catalog entries) match the words or the codes, per classification id:
        the result's total and facets. ``filters.classification`` is not applied (facets show the others)."""
        ...

    def term_neighbours(self, keys: Sequence[str]) -> list[tuple[str, str]]:
        """``(variant, term)`` rows of the typo index whose variant is one of ``keys``."""
        ...

    def knows(self, classification_id: str) -> bool:
        """Whether any document belongs to ``classification_id`` (an item's classification or an entry)."""
        ...

    def document_count(self) -> int: ...


SearchIndexOpener = Callable[[UnitOfWork], SearchIndex]
