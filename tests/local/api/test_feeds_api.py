"""Change feeds: since/cursor paging over the bitemporal records, for a classification, a profile and a
sortiment; the registry's from/to diff on the same path keeps working."""

from __future__ import annotations

from datetime import date

from kodeks.services import importing
from tests.factories import FakeCatalog, item, tree_bundle
from tests.local.world import World, profile_body, sortiment_body

CHANGES = "/api/v1/classifications/own-plan/changes"
EPOCH = "2000-01-01T00:00:00Z"


def pages(w: World, url: str, limit: int, **params: str) -> list[list[dict]]:  # type: ignore[type-arg]
    out, query = [], {"since": EPOCH, "limit": str(limit), **params}
    for _ in range(100):
        body = w.get(url, params=query).json()
        out.append(body["events"])
        if not body["has_more"]:
            return out
        query = {"cursor": body["cursor"], "limit": str(limit)}
    raise AssertionError("the feed never ended")


def release_2016(w: World) -> None:
    items = [i for i in tree_bundle(cid="own-plan").items if i.code != "20.02.01"]
    items += [
        item("20.02.01", "Støtte til børn", "20.02", start=date(2012, 1, 1), end=date(2016, 1, 1)),
        item("10.02", "Nyt emne", "10", start=date(2016, 1, 1)),
    ]
    importing.import_data(
        w.kodeks.uow,
        FakeCatalog([tree_bundle(date(2016, 1, 1), items=items, cid="own-plan")]),
        b"v2",
        "v2.fake",
        listeners=w.kodeks.listeners,
    )


def test_paging_yields_every_event_once_in_order(w: World) -> None:
    release_2016(w)
    whole = [e for page in pages(w, CHANGES, 1000) for e in page]
    paged = [e for page in pages(w, CHANGES, 3) for e in page]
    assert paged == whole and len(whole) >= 10
    assert [e["recorded_at"] for e in whole] == sorted(e["recorded_at"] for e in whole)
    superseded = [e for e in whole if e["event"] == "superseded"]
    assert {e["code"] for e in superseded} == {"20.02.01"}  # its open-ended record was replaced


def test_polling_with_the_cursor_gives_only_what_is_new(w: World) -> None:
    first = w.get(CHANGES, params={"since": EPOCH, "limit": "1000"}).json()
    assert not first["has_more"]
    idle = w.get(CHANGES, params={"cursor": first["cursor"]}).json()
    assert idle["events"] == [] and idle["cursor"] == first["cursor"]
    release_2016(w)
    new = w.get(CHANGES, params={"cursor": first["cursor"]}).json()
    assert {e["code"] for e in new["events"]} == {"20.02.01", "10.02"}
    since_later = w.get(CHANGES, params={"since": new["events"][0]["recorded_at"]}).json()
    assert since_later["events"] == []  # strictly after


def test_bad_cursors_and_parameters_are_400(w: World) -> None:
    other = w.get("/api/v1/classifications/other-plan/changes", params={"since": EPOCH}).json()["cursor"]
    wrong = w.get(CHANGES, params={"cursor": other})
    assert wrong.status_code == 400 and "another feed" in wrong.json()["error"]["message"]
    for junk in ("%%%", "eyJ2IjoxfQ", "a" * 600):
        assert w.get(CHANGES, params={"cursor": junk}).status_code == 400
    assert w.get(CHANGES, params={"since": "yesterday"}).status_code == 400
    assert w.get(CHANGES, params={"since": EPOCH, "limit": "0"}).status_code == 400
    assert w.get(CHANGES, params={"since": EPOCH, "limit": "1001"}).status_code == 400
    assert w.get(CHANGES).status_code == 400
    assert w.get("/api/v1/classifications/nope/changes", params={"since": EPOCH}).status_code == 404
    diff = w.get(CHANGES, params={"from": "2010-01-01", "to": "2013-01-01"}).json()
    assert diff["counts"]["moved"] == 1  # the contract's diff mode is unchanged


def test_profile_feed_has_its_definition_and_the_common_codes_it_shows(w: World) -> None:
    w.send("POST", "/api/v1/classifications/own-plan/profiles", "reviewer", json=profile_body("skole"))
    events = [
        e for page in pages(w, "/api/v1/classifications/own-plan/profiles/skole/changes", 4) for e in page
    ]
    own = [e for e in events if "profile" in e]
    common = [e for e in events if "item" in e]
    assert {e.get("code") for e in own if "code" in e} == {"10.01.00", "20", "10.01.90"}
    assert any("definition" in e for e in own)
    assert {e["code"] for e in common} == {"10", "10.01", "10.01.00", "20", "20.02", "20.02.01"}


def test_sortiment_feed_has_its_versions_and_its_codes(w: World) -> None:
    w.send("POST", "/api/v1/sortiments", "reviewer", json=sortiment_body("esdh"))
    url = "/api/v1/sortiments/esdh/changes"
    events = [e for page in pages(w, url, 2) for e in page]
    assert [e["version"] for e in events if "sortiment_version" in e] == [1]
    assert {(e["classification"], e["code"]) for e in events if "item" in e} == {
        ("own-plan", "10.01.00"),
        ("own-plan", "10.01.05"),
        ("other-plan", "20.02.01"),
    }
    assert w.get("/api/v1/sortiments/nope/changes", params={"since": EPOCH}).status_code == 404
