"""What every governance use case needs, built once by the adapter from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kodeks.services.clock import Clock, utcnow
from kodeks.services.governance.oidc import OidcConfig
from kodeks.services.governance.ports import GovernanceUowFactory
from kodeks.services.importing import Listener


@dataclass(frozen=True)
class Governance:
    """``uow`` opens governance units of work; ``bootstrap_tokens`` are configured administrator tokens
    for a fresh installation; ``public_copyrighted`` is the default read policy of copyrighted content;
    ``listeners`` run inside the transaction that publishes a change set (as they do for imports)."""

    uow: GovernanceUowFactory
    public_copyrighted: bool = True
    bootstrap_tokens: tuple[str, ...] = ()
    oidc: OidcConfig | None = None
    token_days: int = 90
    max_token_days: int = 366
    clock: Clock = utcnow
    listeners: tuple[Listener, ...] = field(default=())

    def now(self) -> datetime:
        return self.clock()
