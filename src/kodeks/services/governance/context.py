"""What every governance use case needs, built once by the adapter from the settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kodeks.services.clock import Clock, utcnow
from kodeks.services.governance.oidc import OidcConfig
from kodeks.services.governance.ports import GovernanceUowFactory
from kodeks.services.importing import Listener


@dataclass(frozen=True)
class Governance:
    """``uow`` opens governance units of work; ``bootstrap_tokens`` are configured administrator tokens
    for a fresh installation; ``public_copyrighted`` is the default read policy of copyrighted content;
    ``listeners`` run inside the transaction that publishes a change set (as they do for imports);
    ``read_cache_seconds`` is how long a process may reuse a classification's public-read decision
    (changes made through this context take effect at once; 0 turns the reuse off)."""

    uow: GovernanceUowFactory
    public_copyrighted: bool = True
    bootstrap_tokens: tuple[str, ...] = ()
    oidc: OidcConfig | None = None
    token_days: int = 90
    max_token_days: int = 366
    clock: Clock = utcnow
    listeners: tuple[Listener, ...] = field(default=())
    read_cache_seconds: float = 1.0
    _reads: dict[str, tuple[float, Any]] = field(default_factory=dict, compare=False, hash=False, repr=False)
    _reads_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, hash=False, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def remembered(self, key: str, now: float) -> tuple[bool, Any]:
        with self._reads_lock:
            hit = self._reads.get(key)
        if hit is None or now - hit[0] >= self.read_cache_seconds:
            return False, None
        return True, hit[1]

    def remember(self, key: str, value: Any, now: float) -> None:
        if self.read_cache_seconds > 0:
            with self._reads_lock:
                if len(self._reads) > 10_000:
                    self._reads.clear()
                self._reads[key] = (now, value)

    def forget_reads(self) -> None:
        with self._reads_lock:
            self._reads.clear()
