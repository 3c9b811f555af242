"""Webhooks: which URLs may be called, how a payload is signed, and when a failed delivery is retried.

A subscription names a *target*: a classification, a profile (``<classification>/<profile>``) or a
sortiment. Payloads are signed with HMAC-SHA256 over ``"<timestamp>.<body>"`` and sent in the header
``X-Kodeks-Signature: t=<unix seconds>,v1=<hex>``; the receiver recomputes it with the secret it was
shown once at registration and rejects old timestamps (replays). A failed delivery is retried after
``base · 2^(attempt-1)`` seconds, capped, at most ``max_attempts`` times.

Only ``http``/``https`` URLs without credentials are accepted. Whether the host may resolve to a
private address is decided where it is resolved (:func:`address_problem`): never for private,
link-local, multicast or reserved ranges; loopback only when the settings allow it (tests use a
receiver on 127.0.0.1).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlsplit

MAX_URL = 2000
SIGNATURE_HEADER = "X-Kodeks-Signature"


class TargetKind(StrEnum):
    CLASSIFICATION = "classification"
    PROFILE = "profile"
    SORTIMENT = "sortiment"


@dataclass(frozen=True, slots=True)
class Target:
    kind: TargetKind
    id: str  # classification id, "<classification>/<profile>", or sortiment id

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a webhook target (before any name is resolved), or ``None``."""
    if len(url) > MAX_URL:
        return f"the URL is longer than {MAX_URL} characters"
    if not url.isprintable() or any(c.isspace() for c in url):
        return "the URL contains spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"the URL cannot be parsed: {exc}"
    if parts.scheme not in ("http", "https"):
        return "only http and https URLs can receive webhooks"
    if not parts.hostname:
        return "the URL has no host"
    if parts.username is not None or parts.password is not None:
        return "the URL must not carry credentials; use the signing secret instead"
    if parts.fragment:
        return "the URL must not have a fragment"
    if port == 0:
        return "the URL's port must not be 0"
    return None


def address_problem(address: str, *, allow_loopback: bool) -> str | None:
    """Why a webhook must not be sent to ``address`` (an IP address the host resolved to), or ``None``."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if allow_loopback else f"{address} is a loopback address"
    if ip.is_global and not ip.is_multicast:
        return None
    return f"{address} is not a public address (private, link-local, multicast or reserved)"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """Whether ``header`` is a valid signature of ``body`` made within ``tolerance`` seconds of ``now``."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


class Outcome(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 2.0
    cap_seconds: float = 3600.0

    def __post_init__(self) -> None:
        if not 1 <= self.max_attempts <= 50:
            raise ValueError("max_attempts must be between 1 and 50")
        if self.base_seconds < 0 or self.cap_seconds < self.base_seconds:
            raise ValueError("backoff base must be >= 0 and the cap at least the base")

    def delay(self, attempts: int) -> timedelta | None:
        """Wait before the next try after ``attempts`` failed ones; ``None`` when it is time to give up."""
        if attempts >= self.max_attempts:
            return None
        return timedelta(seconds=min(self.cap_seconds, self.base_seconds * 2 ** (attempts - 1)))
