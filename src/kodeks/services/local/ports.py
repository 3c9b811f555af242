"""What the local-use services need: a store inside the registry's unit of work, and a way to POST.

``LocalStore`` is opened on a unit of work (``LocalStoreOpener``) so that profile, sortiment and
correspondence writes, the webhook outbox and the registry's own records share one transaction.
Storage implements it (``kodeks.storage.local``); unit tests fake it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from kodeks.domain.local.correspondence import Correspondence, Mapping
from kodeks.domain.local.feed import FeedEvent, FeedKey
from kodeks.domain.local.profile import Profile
from kodeks.domain.local.ranges import ReservedRange
from kodeks.domain.local.sortiment import Sortiment
from kodeks.domain.local.webhook import Outcome, Target
from kodeks.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class StoredProfile:
    profile: Profile
    version: int
    recorded_at: datetime
    actor: str | None


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """One bitemporal row of a profile entry (``kind`` ``select`` or ``local``)."""

    code: str
    kind: str
    data: dict[str, Any]
    recorded_from: datetime
    recorded_to: datetime | None


@dataclass(frozen=True, slots=True)
class StoredSortiment:
    sortiment: Sortiment
    recorded_at: datetime
    actor: str | None


@dataclass(frozen=True, slots=True)
class StoredCorrespondence:
    """``key`` identifies this recorded version of the correspondence (for mapping look-ups)."""

    correspondence: Correspondence
    key: int
    summary: dict[str, int]
    recorded_at: datetime
    actor: str | None


@dataclass(frozen=True, slots=True)
class Webhook:
    id: str
    url: str
    secret: str
    target: Target
    actor: str | None
    created_at: datetime
    deactivated_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.deactivated_at is None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    delivery_id: str
    webhook: Webhook
    event_type: str
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one try at delivering an outbox item gave."""

    outbox_id: int
    attempt: int
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    outcome: Outcome
    next_attempt_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    delivery_id: str
    event_type: str
    created_at: datetime
    status: Outcome
    attempts: tuple[Attempt, ...]


class LocalStore(Protocol):
    """Local-use records inside one unit of work's transaction."""

    def last_recorded_at(self) -> datetime | None: ...

    # reserved ranges
    def reserved_ranges(self, classification_id: str, known_at: datetime) -> list[ReservedRange]: ...

    def set_reserved_ranges(
        self,
        classification_id: str,
        ranges: Sequence[ReservedRange],
        recorded_at: datetime,
        actor: str | None,
    ) -> None: ...

    # profiles
    def profile(
        self, classification_id: str, profile_id: str, known_at: datetime
    ) -> StoredProfile | None: ...

    def profiles(
        self, known_at: datetime, *, classification_id: str | None = None, owner: str | None = None
    ) -> list[StoredProfile]:
        """Profiles without their entries."""
        ...

    def save_profile(
        self, profile: Profile, version: int, recorded_at: datetime, actor: str | None
    ) -> None: ...

    def profile_entry_records(
        self, classification_id: str, profile_id: str, code: str
    ) -> list[EntryRecord]: ...

    def tree_at(
        self, classification_id: str, at: date, known_at: datetime
    ) -> dict[str, tuple[str | None, int | None]]:
        """The classification's codes valid on ``at`` (as known at ``known_at``): code → (parent, level)."""
        ...

    # sortimenter
    def sortiment_versions(self, sortiment_id: str, known_at: datetime) -> list[StoredSortiment]: ...

    def sortiments(self, known_at: datetime, *, owner: str | None = None) -> list[StoredSortiment]:
        """The newest version of each sortiment."""
        ...

    def add_sortiment_version(
        self, sortiment: Sortiment, recorded_at: datetime, actor: str | None
    ) -> None: ...

    def sortiments_using(self, classification_id: str) -> list[str]:
        """Ids of the sortimenter whose current versions hold a code of ``classification_id``."""
        ...

    # correspondences
    def correspondence(
        self, correspondence_id: str, known_at: datetime, *, with_mappings: bool = False
    ) -> StoredCorrespondence | None: ...

    def correspondences(self, known_at: datetime) -> list[StoredCorrespondence]: ...

    def save_correspondence(
        self,
        correspondence: Correspondence,
        summary: dict[str, int],
        sha256: str | None,
        recorded_at: datetime,
        actor: str | None,
    ) -> None: ...

    def mappings_of(self, key: int, code: str, *, inverse: bool) -> list[Mapping]:
        """Mappings of one code (a source code; a target code when ``inverse``), as stored."""
        ...

    def codes_per_other_side(self, key: int, codes: Sequence[str], *, inverse: bool) -> dict[str, int]:
        """How many source codes map to each of ``codes`` (target codes; source codes when ``inverse``)."""
        ...

    # feeds: events strictly after ``after``, sorted by key, at most ``limit``
    def item_events(
        self, classification_id: str, codes: Sequence[str] | None, after: FeedKey, limit: int
    ) -> list[FeedEvent]: ...

    def profile_events(
        self, classification_id: str, profile_id: str, after: FeedKey, limit: int
    ) -> list[FeedEvent]: ...

    def sortiment_events(self, sortiment_id: str, after: FeedKey, limit: int) -> list[FeedEvent]: ...

    # webhooks
    def add_webhook(self, webhook: Webhook) -> None: ...

    def webhook(self, webhook_id: str) -> Webhook | None: ...

    def webhooks(self, actor: str | None = None) -> list[Webhook]: ...

    def deactivate_webhook(self, webhook_id: str, at: datetime) -> None: ...

    def subscribers(self, targets: Sequence[Target]) -> list[Webhook]:
        """Active webhooks on any of ``targets``."""
        ...

    def enqueue(
        self, webhook: Webhook, delivery_id: str, event_type: str, payload: dict[str, Any], at: datetime
    ) -> None: ...

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[OutboxItem]:
        """Pending items due by ``now``, each claimed (hidden from other workers) until ``lease_until``."""
        ...

    def finish_attempt(self, attempt: Attempt) -> None: ...

    def deliveries(self, webhook_id: str, limit: int) -> list[DeliveryRecord]: ...


LocalStoreOpener = Callable[[UnitOfWork], LocalStore]


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body_excerpt: str = ""


class Transport(Protocol):
    """Sends webhook POSTs to addresses the installation allows."""

    def check(self, url: str) -> str | None:
        """Why ``url`` may not be called (its host resolves to a forbidden address), or ``None``."""
        ...

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
        """Send one POST; raises ``OSError`` (or a subclass) when it cannot be sent."""
        ...


@dataclass(frozen=True, slots=True)
class ParsedMappings:
    """What a correspondence reader found: mappings, the sides it knows, and what it tolerated."""

    mappings: tuple[Mapping, ...]
    source: str | None = None
    target: str | None = None
    source_version: str | None = None
    target_version: str | None = None
    warnings: tuple[str, ...] = ()


#: Parses a correspondence file (bytes, file name); raises ``ImportError_`` naming the file and line.
CorrespondenceReader = Callable[[bytes, str], ParsedMappings]
