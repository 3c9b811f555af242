"""Reads the web pages need beyond ``queries``: one tree level at a time, the path to an item, and
the items that an item replaced (its predecessors).

A tree level is read in two steps so that a level of 2,000 codes (ICD-10's top) stays cheap: the
codes of the level come from plain columns (``TreeReader.child_codes``), are put in the
classification's code order and sliced; only the slice is read as full items. Whether a node can be
expanded comes from one grouped count (``TreeReader.child_counts``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from threading import Lock
from typing import Protocol
from weakref import WeakKeyDictionary

from kodeks.domain.classification import Classification
from kodeks.domain.codes import sort_key
from kodeks.domain.item import Item
from kodeks.domain.language import shown_title
from kodeks.domain.timeline import Fact
from kodeks.errors import InvalidRequest
from kodeks.services import queries
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When

#: Most nodes rendered for one tree level at a time; the rest come with "show more".
TREE_PAGE = 300
#: Deepest parent chain followed (a guard against cycles in bad data).
MAX_DEPTH = 32


class TreeReader(Protocol):
    """Column-level reads for the tree (storage implements it; see ``storage/tree_reader.py``)."""

    def child_codes(
        self, classification_id: str, parent: str | None, at: date, known_at: datetime
    ) -> list[str]:
        """Distinct codes valid on ``at`` whose parent is ``parent`` (``None``: the top level)."""
        ...

    def stamp(self, classification_id: str, known_at: datetime) -> datetime | None:
        """When the classification was last registered as of ``known_at``: what a level read as of
        ``known_at`` depends on (every change of its items comes with a registration)."""
        ...

    def child_counts(
        self, classification_id: str, parents: Sequence[str], at: date, known_at: datetime
    ) -> dict[str, int]:
        """For each of ``parents`` that has children valid on ``at``: how many."""
        ...

    def nodes(
        self, classification_id: str, codes: Sequence[str], at: date, known_at: datetime
    ) -> list[NodeRow]:
        """Code, titles and level of each of ``codes`` valid on ``at`` (no full item is decoded)."""
        ...

    def codes_mentioning(self, classification_id: str, code: str, known_at: datetime) -> list[str]:
        """Codes whose recorded facts mention ``code`` anywhere (a superset; callers check exactly)."""
        ...


@dataclass(frozen=True, slots=True)
class NodeRow:
    """What a tree node shows of an item."""

    code: str
    titles: dict[str, str]
    level: int | None

    def title(self, lang: str = "da") -> str:
        shown = shown_title(self.titles, lang)
        return shown[1] if shown else ""


@dataclass(frozen=True, slots=True)
class TreeNode:
    row: NodeRow
    child_count: int


@dataclass(frozen=True, slots=True)
class TreeLevel:
    """One level of the tree under ``parent`` (``None``: the top), a slice ``[offset, offset+len)``."""

    classification: Classification
    parent: str | None
    nodes: tuple[TreeNode, ...]
    total: int
    offset: int

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.offset - len(self.nodes))

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.nodes)


def tree_level(
    uow_factory: UnitOfWorkFactory,
    reader: TreeReader,
    cid: str,
    parent: str | None,
    when: When,
    offset: int = 0,
    limit: int | None = None,
) -> TreeLevel:
    """The children of ``parent`` valid on ``when.at`` in code order; ``NotFound`` for an unknown
    classification, or a parent that is not valid then (saying when it was)."""
    limit = TREE_PAGE if limit is None else limit
    if offset < 0 or limit < 1:
        raise InvalidRequest("offset must be 0 or more and limit at least 1", offset=offset, limit=limit)
    classification = queries.get_classification(uow_factory, cid, when.known_at)
    if parent is not None:
        queries.item(uow_factory, cid, parent, when)
    codes = _sorted_children(reader, classification, parent, when)
    page = codes[offset : offset + limit]
    found = {row.code: row for row in reader.nodes(cid, page, when.at, when.known_at)} if page else {}
    counts = reader.child_counts(cid, page, when.at, when.known_at) if page else {}
    nodes = tuple(TreeNode(found[c], counts.get(c, 0)) for c in page if c in found)
    return TreeLevel(classification, parent, nodes, len(codes), offset)


_CACHE_SIZE = 256
_caches: WeakKeyDictionary[TreeReader, OrderedDict[tuple[object, ...], list[str]]] = WeakKeyDictionary()
_lock = Lock()


def _sorted_children(
    reader: TreeReader, classification: Classification, parent: str | None, when: When
) -> list[str]:
    """The codes of a level in code order, kept per reader until the classification is registered again."""
    cid = classification.id
    key = (cid, parent, when.at, reader.stamp(cid, when.known_at), str(classification.code_order))
    with _lock:
        cache = _caches.setdefault(reader, OrderedDict())
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
    codes = sorted(
        set(reader.child_codes(cid, parent, when.at, when.known_at)), key=sort_key(classification.code_order)
    )
    with _lock:
        cache[key] = codes
        if len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return codes


def ancestors(uow_factory: UnitOfWorkFactory, cid: str, item: Item, when: When) -> list[Item]:
    """The parent chain of ``item`` on ``when.at``, top first (stops at a parent not valid then)."""
    chain: list[Item] = []
    seen = {item.code}
    parent = item.parent
    with uow_factory() as uow:
        while parent is not None and parent not in seen and len(chain) < MAX_DEPTH:
            seen.add(parent)
            found = uow.items_at(cid, when.at, when.known_at, code=parent)
            if not found:
                break
            chain.append(found[0])
            parent = found[0].parent
    return list(reversed(chain))


@dataclass(frozen=True, slots=True)
class Predecessor:
    """A code whose (last) fact names this one in ``replaced_by``, with that fact."""

    item: Item


def predecessors(
    uow_factory: UnitOfWorkFactory, reader: TreeReader, cid: str, code: str, when: When
) -> list[Predecessor]:
    """Items whose ``replaced_by`` points to ``code`` (KLE ``AfloestAf``), as known at ``when.known_at``."""
    classification = queries.get_classification(uow_factory, cid, when.known_at)
    candidates = [c for c in reader.codes_mentioning(cid, code, when.known_at) if c != code]
    if not candidates:
        return []
    with uow_factory() as uow:
        facts = uow.facts_known_at(cid, when.known_at, codes=candidates)
    last: dict[str, Fact] = {}
    for fact in facts:
        if code in fact.item.replaced_by:
            held = last.get(fact.code)
            if held is None or (fact.period.start or date.min) > (held.period.start or date.min):
                last[fact.code] = fact
    key = sort_key(classification.code_order)
    return [Predecessor(last[c].item) for c in sorted(last, key=key)]
