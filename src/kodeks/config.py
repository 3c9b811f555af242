"""Settings: one typed object, built once from the environment (or arguments) and passed in."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kodeks.domain.classification import BASE_URI
from kodeks.errors import ConfigurationError

DEFAULT_DB_FILE = "kodeks.sqlite"
MiB = 1024 * 1024
DEFAULT_IMPORT_MEMORY_MB = 2048


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Kodeks needs to know at start-up.

    ``database_url``: SQLAlchemy URL; the embedded default is a SQLite file in the working folder.
    ``max_import_bytes``: larger inputs are refused before parsing.
    ``import_memory_bytes``: the memory one import of a format read whole may use
    (``KODEKS_IMPORT_MEMORY_MB``); a file whose size times its format's measured factor
    (``formats.budget``) is more is refused before parsing. Kodeks CSV streams and is not bounded by it.
    ``environment``: ``development`` (default) or ``production``; production refuses weak secrets.
    ``api_tokens``: administrator tokens for a fresh installation (until users and tokens exist).
    ``oidc_issuer``, ``oidc_audience``, ``oidc_jwks``: an OpenID Connect provider whose signed tokens
    are accepted (the JWKS as inline JSON); all three or none.
    ``read_model_max_facts``: how many facts the in-process read models hold together
    (``KODEKS_READ_MODEL_MAX_FACTS``; about 1.5 kB each); a classification beyond it is read from the
    database.
    ``base_uri``: where this deployment's identifiers live (``KODEKS_BASE_URI``, ending in ``/``): a
    classification imported now is ``{base_uri}{id}``, its codes ``{base_uri}{id}/{code}``. The
    default names no real host a municipality controls: set it in production.
    ``webhook_allow_loopback``: let webhooks go to 127.0.0.1/::1 (local receivers in tests and
    development; refused in production). Private and link-local addresses are never allowed.
    """

    database_url: str = f"sqlite:///{DEFAULT_DB_FILE}"
    max_import_bytes: int = 200 * MiB
    import_memory_bytes: int = DEFAULT_IMPORT_MEMORY_MB * MiB
    max_request_bytes: int = 20 * MiB
    environment: str = "development"
    api_tokens: tuple[str, ...] = field(default_factory=tuple)
    public_copyrighted: bool = True
    read_cache_seconds: float = 1.0
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks: str | None = None
    webhook_allow_loopback: bool = False
    base_uri: str = BASE_URI
    read_model_max_facts: int = 2_000_000

    def __post_init__(self) -> None:
        if self.environment not in ("development", "production", "test"):
            raise ConfigurationError(
                f"KODEKS_ENV must be development, production or test, not {self.environment!r}"
            )
        if self.max_import_bytes <= 0:
            raise ConfigurationError("KODEKS_MAX_IMPORT_MB must be positive")
        if self.import_memory_bytes <= 0:
            raise ConfigurationError("KODEKS_IMPORT_MEMORY_MB must be positive")
        if self.environment == "production":
            weak = [t for t in self.api_tokens if len(t) < 32 or t in ("changeme", "secret")]
            if weak:
                raise ConfigurationError("API tokens must be at least 32 characters in production")
            if self.webhook_allow_loopback:
                raise ConfigurationError("KODEKS_WEBHOOK_ALLOW_LOOPBACK is for tests and development only")

        oidc = (self.oidc_issuer, self.oidc_audience, self.oidc_jwks)
        if any(oidc) and not all(oidc):
            raise ConfigurationError(
                "OIDC needs KODEKS_OIDC_ISSUER, KODEKS_OIDC_AUDIENCE and "
                "KODEKS_OIDC_JWKS (or KODEKS_OIDC_JWKS_FILE) together"
            )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(env: Mapping[str, str] | None = None, *, database_url: str | None = None) -> Settings:
    """Build settings from ``KODEKS_*`` variables; an explicit ``database_url`` wins (``--db``)."""
    env = os.environ if env is None else env
    url = database_url or env.get("KODEKS_DATABASE_URL") or f"sqlite:///{Path(DEFAULT_DB_FILE)}"
    try:
        max_mb = int(env.get("KODEKS_MAX_IMPORT_MB", "200"))
    except ValueError as exc:
        raise ConfigurationError("KODEKS_MAX_IMPORT_MB must be an integer") from exc
    tokens = tuple(t for t in env.get("KODEKS_API_TOKENS", "").split(",") if t)
    jwks = env.get("KODEKS_OIDC_JWKS")
    if not jwks and env.get("KODEKS_OIDC_JWKS_FILE"):
        try:
            jwks = Path(env["KODEKS_OIDC_JWKS_FILE"]).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(f"KODEKS_OIDC_JWKS_FILE cannot be read: {exc.strerror}") from None
    return Settings(
        database_url=normalise_url(url),
        max_import_bytes=max_mb * MiB,
        import_memory_bytes=_int(env, "KODEKS_IMPORT_MEMORY_MB", DEFAULT_IMPORT_MEMORY_MB) * MiB,
        environment=env.get("KODEKS_ENV", "development"),
        api_tokens=tokens,
        oidc_issuer=env.get("KODEKS_OIDC_ISSUER") or None,
        oidc_audience=env.get("KODEKS_OIDC_AUDIENCE") or None,
        oidc_jwks=jwks or None,
        webhook_allow_loopback=_flag(env.get("KODEKS_WEBHOOK_ALLOW_LOOPBACK")),
        base_uri=_base_uri(env.get("KODEKS_BASE_URI") or BASE_URI),
        read_model_max_facts=_int(env, "KODEKS_READ_MODEL_MAX_FACTS", 2_000_000),
        read_cache_seconds=_seconds(env, "KODEKS_READ_CACHE_SECONDS", 1.0),
    )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    try:
        value = int(env.get(name, str(default)))
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer") from None
    if value < 0:
        raise ConfigurationError(f"{name} must not be negative")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    try:
        return float(env.get(name, str(default)))
    except ValueError:
        raise ConfigurationError(f"{name} must be a number of seconds") from None


def _base_uri(value: str) -> str:
    value = value.strip()
    if not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", value):
        raise ConfigurationError(
            f"KODEKS_BASE_URI must be an http(s) URI without query or fragment, not {value!r}"
        )
    return value if value.endswith("/") else value + "/"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


SUPPORTED_URLS = "sqlite:///PATH or postgresql://USER:PASSWORD@HOST/DATABASE"


def normalise_url(url: str) -> str:
    """Accept ``sqlite:///PATH`` (``sqlite://`` in memory) and ``postgresql[+psycopg]://`` (or ``postgres://``).

    Anything else is refused, so a typo never becomes a new SQLite file named after it.
    """
    scheme, sep, rest = url.strip().partition("://")
    scheme = scheme.lower()
    if sep and scheme in ("postgresql", "postgres", "postgresql+psycopg") and rest:
        return "postgresql+psycopg://" + rest
    if sep and scheme == "sqlite" and (rest == "" or rest.startswith("/")):
        return "sqlite://" + rest
    if not sep:
        shown = url if len(url) <= 60 else url[:57] + "..."
        problem = f"{shown!r} is not a database URL"
    elif scheme == "sqlite":
        problem = "a SQLite URL has three slashes before a relative path (four before an absolute one)"
    else:  # the rest may hold a password: name only the scheme
        problem = f"database URL scheme {scheme!r} is not supported"
    raise ConfigurationError(f"{problem}; use {SUPPORTED_URLS}")
