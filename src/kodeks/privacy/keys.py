"""Pseudonymisation keys: loaded from a file or an environment variable, never logged, derived per domain.

A key holds at least 32 bytes of material (64 hex characters or 32 raw bytes). Keys for a *pseudonymisation
domain* (EDPB: the project or recipient the pseudonyms are made for) and a purpose (``hmac``, ``ff1``) are
derived with HKDF-SHA-256, so one master key gives unlinkable pseudonyms per project, and the same domain
gives the same pseudonyms across files and runs.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kodeks.privacy.errors import KeyMaterialError

MIN_KEY_BYTES = 32


@dataclass(frozen=True)
class SecretKey:
    material: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.material) < MIN_KEY_BYTES:
            raise KeyMaterialError(
                f"the key is too short: {len(self.material)} bytes, at least {MIN_KEY_BYTES} are required "
                '(generate one with `python -c "import secrets; print(secrets.token_hex(32))"`)'
            )

    def __repr__(self) -> str:
        return "SecretKey(<hidden>)"

    __str__ = __repr__

    def derive(self, domain: str, purpose: str, length: int = 32) -> bytes:
        if not domain:
            raise KeyMaterialError("a pseudonymisation domain (project name) is required")
        info = f"kodeks-privacy/{purpose}/{domain}".encode()
        return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(self.material)


def _decode(raw: bytes) -> bytes:
    text = raw.strip()
    if (
        len(text) >= 2 * MIN_KEY_BYTES
        and len(text) % 2 == 0
        and all(chr(c) in string.hexdigits for c in text)
    ):
        return bytes.fromhex(text.decode())
    return text


def load_key(
    path: Path | None = None, env: str | None = None, environ: Mapping[str, str] | None = None
) -> SecretKey:
    """Read the key from ``path`` or from the environment variable ``env`` (hex text or raw bytes)."""
    if path is not None:
        try:
            return SecretKey(_decode(path.read_bytes()))
        except OSError as exc:
            raise KeyMaterialError(f"cannot read the key file {path.name}: {exc.strerror}") from None
    if env is not None:
        value = (environ if environ is not None else {}).get(env)
        if not value:
            raise KeyMaterialError(f"the environment variable {env} holding the key is not set")
        return SecretKey(_decode(value.encode()))
    raise KeyMaterialError("no key given: pass a key file or the name of an environment variable")
