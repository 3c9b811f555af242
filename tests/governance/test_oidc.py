"""OpenID Connect tokens, validated against a JWKS given inline in the settings (no external service)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.config import Settings, load_settings
from kodeks.domain.governance.identity import User, system_actor
from kodeks.errors import ConfigurationError
from kodeks.services.governance import identity
from kodeks.services.governance.oidc import OidcConfig
from tests.governance.world import OWN, World, build_world, gov_of

ISSUER, AUDIENCE = "https://login.example.dk/realms/kommune", "kodeks"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def number(value: int) -> str:
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def jwks(rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey) -> str:
    pub = rsa_key.public_key().public_numbers()
    point = ec_key.public_key().public_numbers()
    return json.dumps(
        {
            "keys": [
                {
                    "kty": "RSA",
                    "kid": "rsa-1",
                    "alg": "RS256",
                    "use": "sig",
                    "n": number(pub.n),
                    "e": number(pub.e),
                },
                {
                    "kty": "EC",
                    "kid": "ec-1",
                    "crv": "P-256",
                    "x": b64(point.x.to_bytes(32, "big")),
                    "y": b64(point.y.to_bytes(32, "big")),
                },
            ]
        }
    )


def sign(
    key: Any,
    claims: dict[str, Any],
    *,
    alg: str = "RS256",
    kid: str | None = "rsa-1",
    header: dict[str, Any] | None = None,
) -> str:
    head = header or {"alg": alg, "typ": "JWT", **({"kid": kid} if kid else {})}
    signing_input = f"{b64(json.dumps(head).encode())}.{b64(json.dumps(claims).encode())}".encode()
    if alg == "RS256":
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "ES256":
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    elif alg == "HS256":
        mac = hmac.HMAC(key, hashes.SHA256())
        mac.update(signing_input)
        signature = mac.finalize()
    else:
        signature = b""
    return f"{signing_input.decode()}.{b64(signature)}"


def claims(**kw: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "f3c1-anna", "iat": now, "exp": now + 300, **kw}


@pytest.fixture(scope="module")
def oidc_world(rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey) -> World:
    world = build_world(oidc_issuer=ISSUER, oidc_audience=AUDIENCE, oidc_jwks=jwks(rsa_key, ec_key))
    identity.create_user(
        gov_of(world.kodeks), system_actor(), User("anna", OWN, "Anna", oidc_subject="f3c1-anna")
    )
    return world


@pytest.fixture(scope="module")
def oidc_client(oidc_world: World) -> Any:
    with TestClient(create_app(oidc_world.kodeks), raise_server_exceptions=False) as c:
        yield c


def me(client: TestClient, token: str) -> Any:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_a_valid_provider_token_acts_as_the_registered_user(
    oidc_client: TestClient, rsa_key: Any, ec_key: Any
) -> None:
    for token in (
        sign(rsa_key, claims()),
        sign(ec_key, claims(), alg="ES256", kid="ec-1"),
        sign(rsa_key, claims(aud=["other", AUDIENCE])),
    ):
        r = me(oidc_client, token)
        assert r.status_code == 200, r.text
        assert r.json()["user"] == "anna" and r.json()["via"] == "oidc"


def test_bad_provider_tokens_are_401_and_never_echoed(oidc_client: TestClient, rsa_key: Any) -> None:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem_as_secret = rsa_key.public_key().public_numbers().n.to_bytes(256, "big")
    good = sign(rsa_key, claims())
    head, _body, sig = good.split(".")
    tampered = f"{head}.{b64(json.dumps(claims(sub='someone-else')).encode())}.{sig}"
    bad = {
        "wrong issuer": sign(rsa_key, claims(iss="https://evil.example")),
        "wrong audience": sign(rsa_key, claims(aud="someone-else")),
        "expired": sign(rsa_key, claims(exp=int(time.time()) - 3600)),
        "no expiry": sign(rsa_key, {k: v for k, v in claims().items() if k != "exp"}),
        "not yet valid": sign(rsa_key, claims(nbf=int(time.time()) + 3600)),
        "unknown key": sign(other_key, claims(), kid="rsa-2"),
        "signed by another key": sign(other_key, claims()),
        "tampered": tampered,
        "alg none": sign(rsa_key, claims(), alg="none"),
        "HMAC with the public key": sign(public_pem_as_secret, claims(), alg="HS256"),
        "unregistered subject": sign(rsa_key, claims(sub="nobody")),
        "no subject": sign(rsa_key, {k: v for k, v in claims().items() if k != "sub"}),
        "garbage": "garbage-one.garbage-two.garbage-three",
    }
    for what, token in bad.items():
        r = me(oidc_client, token)
        assert r.status_code == 401, what
        assert token not in r.text and token.split(".")[1] not in r.text, what


def test_oidc_settings_are_all_or_nothing_and_the_jwks_must_parse() -> None:
    with pytest.raises(ConfigurationError):
        Settings(oidc_issuer=ISSUER)
    with pytest.raises(ConfigurationError):
        OidcConfig.from_jwks(ISSUER, AUDIENCE, "{not json")
    with pytest.raises(ConfigurationError):
        OidcConfig.from_jwks(ISSUER, AUDIENCE, '{"keys": []}')
    with pytest.raises(ConfigurationError):
        OidcConfig.from_jwks(ISSUER, AUDIENCE, '{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}')


def test_the_jwks_can_come_from_a_file(tmp_path: Any, rsa_key: Any, ec_key: Any) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(jwks(rsa_key, ec_key), encoding="utf-8")
    settings = load_settings(
        {"KODEKS_OIDC_ISSUER": ISSUER, "KODEKS_OIDC_AUDIENCE": AUDIENCE, "KODEKS_OIDC_JWKS_FILE": str(path)},
        database_url="sqlite://",
    )
    assert settings.oidc_jwks is not None and "rsa-1" in settings.oidc_jwks
    with pytest.raises(ConfigurationError):
        load_settings({"KODEKS_OIDC_JWKS_FILE": str(tmp_path / "missing.json")}, database_url="sqlite://")
