"""OpenID Connect: validate a provider's signed JWT (RS256/ES256 ...) against a configured JWKS.

No network: the JWKS is configured (inline JSON, or a file the operator refreshes), so tests and air-gapped
installations need no external service. Only asymmetric algorithms are accepted (never ``none`` or HMAC,
which would let a public key act as a shared secret). Error messages never contain the token.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from kodeks.errors import ConfigurationError, Unauthorized

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "256": hashes.SHA256,
    "384": hashes.SHA384,
    "512": hashes.SHA512,
}
_CURVES: dict[str, tuple[ec.EllipticCurve, int]] = {
    "P-256": (ec.SECP256R1(), 32),
    "P-384": (ec.SECP384R1(), 48),
}
ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384")
MAX_TOKEN = 16 * 1024


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    audience: str
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    subject_claim: str = "sub"
    leeway_seconds: int = 60

    @classmethod
    def from_jwks(cls, issuer: str, audience: str, jwks: str, subject_claim: str = "sub") -> OidcConfig:
        """Parse a JWKS document (``{"keys": [...]}``); keys without a ``kid`` are numbered."""
        try:
            document = json.loads(jwks)
            keys = {str(k.get("kid") or f"key-{n}"): dict(k) for n, k in enumerate(document["keys"])}
            for key in keys.values():
                _public_key(key)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigurationError(f"the OIDC JWKS is not valid: {exc}") from None
        if not keys:
            raise ConfigurationError("the OIDC JWKS has no keys")
        return cls(issuer, audience, keys, subject_claim)


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _int(value: str) -> int:
    return int.from_bytes(_b64(value), "big")


def _public_key(jwk: dict[str, Any]) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    if jwk.get("kty") == "RSA":
        return rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
    if jwk.get("kty") == "EC" and jwk.get("crv") in _CURVES:
        curve, _size = _CURVES[jwk["crv"]]
        return ec.EllipticCurvePublicNumbers(_int(jwk["x"]), _int(jwk["y"]), curve).public_key()
    raise ValueError(f"unsupported key type {jwk.get('kty')!r}")


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and len(token) <= MAX_TOKEN


def _fail(reason: str) -> Unauthorized:
    return Unauthorized(f"the OIDC token is not valid: {reason}")


def verify(config: OidcConfig, token: str, now: datetime | None = None) -> dict[str, Any]:
    """The token's claims if its signature, issuer, audience and times are right; else ``Unauthorized``."""
    if not looks_like_jwt(token):
        raise _fail("not a JWT")
    head_b64, body_b64, sig_b64 = token.split(".")
    try:
        header = json.loads(_b64(head_b64))
        claims = json.loads(_b64(body_b64))
        signature = _b64(sig_b64)
    except (ValueError, UnicodeDecodeError):
        raise _fail("it cannot be decoded") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise _fail("it cannot be decoded")
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise _fail(f"algorithm {str(alg)[:20]!r} is not accepted")
    jwk = _key_for(config, header.get("kid"), alg)
    _check_signature(jwk, alg, f"{head_b64}.{body_b64}".encode(), signature)
    _check_claims(config, claims, now or datetime.now(UTC))
    return claims


def _key_for(config: OidcConfig, kid: object, alg: str) -> dict[str, Any]:
    kty = "RSA" if alg.startswith("RS") else "EC"
    if isinstance(kid, str) and kid in config.keys:
        jwk = config.keys[kid]
    else:
        candidates = [k for k in config.keys.values() if k.get("kty") == kty]
        if kid is not None or len(candidates) != 1:
            raise _fail("its key is not among the configured keys")
        jwk = candidates[0]
    if jwk.get("kty") != kty or jwk.get("alg") not in (None, alg):
        raise _fail("its algorithm does not match the key")
    return jwk


def _check_signature(jwk: dict[str, Any], alg: str, signed: bytes, signature: bytes) -> None:
    key = _public_key(jwk)
    digest = _HASHES[alg[2:]]()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, padding.PKCS1v15(), digest)
        else:
            size = _CURVES[jwk["crv"]][1]
            if len(signature) != 2 * size:
                raise InvalidSignature
            r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(digest))
    except InvalidSignature:
        raise _fail("the signature does not match") from None


def _check_claims(config: OidcConfig, claims: dict[str, Any], now: datetime) -> None:
    if claims.get("iss") != config.issuer:
        raise _fail("wrong issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if config.audience not in audiences:
        raise _fail("wrong audience")
    stamp = now.timestamp()
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if not isinstance(exp, (int, float)) or stamp > exp + config.leeway_seconds:
        raise _fail("it has expired (or has no expiry)")
    if isinstance(nbf, (int, float)) and stamp < nbf - config.leeway_seconds:
        raise _fail("it is not valid yet")
    subject = claims.get(config.subject_claim)
    if not isinstance(subject, str) or not subject:
        raise _fail(f"it has no {config.subject_claim!r} claim")
