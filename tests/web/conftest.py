"""Web UI fixtures: the small test plan recorded in an in-memory registry, and a client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from kodeks.domain.item import Keyword, LegalReference
from kodeks.domain.release import ReleaseKind
from tests.factories import item, memory_registry, record, tree_bundle

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def hostile_bundle():  # type: ignore[no-untyped-def]
    """A plan whose every text field carries markup that must come out as text."""
    items = [
        item("1", f"Top {XSS}", start=date(2000, 1, 1)),
        item(
            "1.1",
            f"Under {XSS}",
            "1",
            start=date(2000, 1, 1),
            description=f"Intro {XSS}\n\n- punkt {XSS}",
            keywords=(Keyword(f"ord {XSS}", 3),),
            legal_refs=(LegalReference(f"Lov {XSS}", "javascript:alert(1)"),),
            notes=(f"note {XSS}",),
            properties={"bevaring": XSS},
        ),
    ]
    bundle = tree_bundle(items=items, cid="xss", kind=ReleaseKind.SNAPSHOT, release_date=date(2000, 1, 1))
    from dataclasses import replace

    from kodeks.domain.classification import Classification

    c = Classification(
        "xss", {"da": f"Plan {XSS}", "en": f"Plan {XSS}"}, description=f"Om {XSS}", owner=XSS, licence=XSS
    )
    return replace(bundle, classification=c)


@pytest.fixture
def registry() -> Kodeks:
    kodeks = memory_registry()
    record(kodeks, tree_bundle(), hostile_bundle())
    return kodeks


@pytest.fixture
def client(registry: Kodeks) -> Iterator[TestClient]:
    with TestClient(create_app(registry), raise_server_exceptions=False) as c:
        yield c
