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
from kodeks.services import catalog, importing
from tests.factories import FakeCatalog, item, memory_registry, record, tree_bundle

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


EXTERNAL = {
    "id": "ext-plan",
    "titles": {"da": f"Ekstern plan {XSS}", "en": "External plan"},
    "descriptions": {"da": f"Beskrivelse {XSS}"},
    "publisher": f"Udgiver {XSS}",
    "keywords": [f"stikord {XSS}", "affald"],
    "themes": ["GOVE"],
    "used_by": [f"Kommune {XSS}"],
    "related": ["tree", "https://example.org/x"],
    "landing_page": "https://example.org/plan",
    "contact": {"name": "Redaktionen", "email": "redaktion@example.org"},
}


@pytest.fixture(scope="session")
def registry() -> Kodeks:
    """Shared by the read-only tests (building a registry costs most of a test's time). Imported
    with the listeners, so the catalogue and the search index are filled as in production."""
    kodeks = memory_registry()
    importing.import_data(
        kodeks.uow,
        FakeCatalog([tree_bundle(), hostile_bundle()]),
        b"fake",
        "tree.fake",
        listeners=kodeks.listeners,
    )
    catalog.create_entry(kodeks.uow, kodeks.catalog, kodeks.search_index, EXTERNAL, "test")
    return kodeks


@pytest.fixture
def client(registry: Kodeks) -> Iterator[TestClient]:
    with TestClient(create_app(registry), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fresh() -> Kodeks:
    """A registry of its own, for tests that record more."""
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    return kodeks


@pytest.fixture
def fresh_client(fresh: Kodeks) -> Iterator[TestClient]:
    with TestClient(create_app(fresh), raise_server_exceptions=False) as c:
        yield c
