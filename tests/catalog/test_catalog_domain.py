"""Catalog entries: the rules an entry keeps, the strict codec, and how imports respect editors."""

from __future__ import annotations

import pytest

from kodeks.domain.catalog import CatalogEntry, ContactPoint, Distribution, apply_changes, enrich
from kodeks.domain.catalog_codec import entry_from_dict, entry_to_dict


def entry(**kw: object) -> CatalogEntry:
    base: dict[str, object] = {"id": "form", "titles": {"da": "FORM"}}
    return CatalogEntry(**{**base, **kw})  # type: ignore[arg-type]


def test_a_full_entry_round_trips_through_the_codec() -> None:
    e = entry(
        titles={"da": "FORM", "en": "FORM"},
        descriptions={"da": "Opgaver"},
        publisher="KL",
        contact=ContactPoint("KL", "kle@example.org", "https://example.org"),
        themes=("GOVE",),
        keywords=("opgaver",),
        frequency="ANNUAL",
        status="UnderDevelopment",
        landing_page="https://example.org/form",
        distributions=(Distribution("https://example.org/form.csv", "CSV", "text/csv"),),
        related=("kle",),
        used_by=("Aarhus Kommune",),
    )
    assert entry_from_dict(entry_to_dict(e)) == e


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"id": "Not A Slug"}, "slug"),
        ({"titles": {"en": "only English"}}, "Danish title"),
        ({"titles": {"da": "x" * 501}}, "longer than 500"),
        ({"titles": {"da": "FORM", "fr": "FORM"}}, "language"),
        ({"themes": ("SPORT",)}, "EU data theme"),
        ({"frequency": "sometimes"}, "frequency"),
        ({"status": "done"}, "status"),
        ({"access": "OPEN"}, "access"),
        ({"landing_page": "javascript:alert(1)"}, "not an http"),
        ({"landing_page": "https://example.org/<script>"}, "not an http"),
        ({"distributions": (Distribution("data:text/html,<script>"),)}, "not an http"),
        ({"contact": ContactPoint(email="not-an-address")}, "e-mail"),
        ({"publisher": "KL\x00"}, "control characters"),
        ({"keywords": ("",)}, "empty"),
        ({"keywords": tuple(str(i) for i in range(101))}, "at most 100"),
    ],
)
def test_broken_entries_are_refused_with_the_reason(changes: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        entry(**changes)


def test_markup_is_kept_as_plain_text() -> None:
    hostile = '<script>alert("x")</script>'
    assert entry(titles={"da": hostile}).title() == hostile


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"id": "form", "titles": {"da": "FORM"}, "owner_email": "x"}, "unknown fields"),
        ({"id": "form", "titles": "FORM"}, "object"),
        ({"id": "form", "titles": {"da": "FORM"}, "keywords": "one"}, "list"),
        ({"id": "form", "titles": {"da": "FORM"}, "keywords": [1]}, "text"),
        ({"id": "form", "titles": {"da": "FORM"}, "issued": "2020-13-01"}, "date"),
        ({"id": "form", "titles": {"da": "FORM"}, "contact": {"phone": "1"}}, "unknown fields"),
        (
            {
                "id": "form",
                "titles": {"da": "FORM"},
                "distributions": [{"url": "https://x.dk", "download": "yes"}],
            },
            "true or false",
        ),
        ({"titles": {"da": "FORM"}}, "id is required"),
        ([], "object"),
    ],
)
def test_the_codec_refuses_what_it_does_not_know(data: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        entry_from_dict(data)  # type: ignore[arg-type]


def test_imports_keep_what_editors_set() -> None:
    stored = entry(kind="registry", publisher="KL", themes=("GOVE",))
    derived = entry(kind="registry", publisher="Kommunernes Landsforening", version="2026")
    merged = enrich(derived, stored, frozenset({"themes"}))
    assert merged.themes == ("GOVE",)
    assert merged.publisher == "Kommunernes Landsforening" and merged.version == "2026"


def test_id_and_kind_cannot_be_changed() -> None:
    with pytest.raises(ValueError, match="cannot be changed"):
        apply_changes(entry(), {"kind": "registry"})
