"""What the code bank service needs from storage (``kodeks.storage.landscape_codebank``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from kodeks.domain.landscape.codebank import CodeBankEntry, Offer, OfferKind
from kodeks.services.ports import UnitOfWork


class CodeBankStore(Protocol):
    def entries(self, known_at: datetime) -> list[CodeBankEntry]: ...

    def entry(self, entry_id: str, known_at: datetime) -> CodeBankEntry | None: ...

    def put_entry(self, entry: CodeBankEntry, actor: str | None, recorded_at: datetime) -> bool: ...

    def add_offer(
        self, entry_id: str, kind: OfferKind, municipality: str, note: str, actor: str | None, at: datetime
    ) -> int: ...

    def offers(self, entry_id: str | None = None) -> list[Offer]: ...

    def offer(self, offer_id: int) -> Offer | None: ...

    def add_interest(
        self, offer_id: int, municipality: str, note: str, actor: str | None, at: datetime
    ) -> None: ...


CodeBankStoreOpener = Callable[[UnitOfWork], CodeBankStore]
