"""The registry on real KLE: the issue's questions, asked of the real files.

KLE is © KL and is read from ../shared/data; these tests skip when it is absent.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kodeks.bootstrap import Kodeks
from kodeks.domain.codec import item_to_dict
from kodeks.errors import NotFound
from kodeks.services import exporting, importing, queries
from kodeks.services.queries import When
from tests.conftest import KLE_RELEASES, data_file
from tests.factories import memory_registry

XML, OS2MO, OS2KLE = (name for name, *_ in KLE_RELEASES)
RELEASES = {name: (label, day) for name, _format, label, day in KLE_RELEASES}


def load(kodeks: Kodeks, relative: str) -> list[importing.ImportReport]:
    path: Path = data_file(relative)
    label, day = RELEASES[relative]
    return importing.import_data(
        kodeks.uow, kodeks.formats, path.read_bytes(), path.name, release_label=label, release_date=day
    )


@pytest.fixture
def kle(real_kle: Kodeks) -> Kodeks:
    """The three releases in date order, imported once per session (``tests/conftest.py``)."""
    return real_kle


def state(kodeks: Kodeks) -> list[tuple[str, str, str]]:
    with kodeks.uow() as uow:
        facts = uow.facts_known_at("kle", When.of().known_at)
    return sorted((f.code, str(f.period), repr(item_to_dict(f.item))) for f in facts)


def test_a_moved_emne_on_a_date_before_the_move(kle: Kodeks) -> None:
    view = queries.item(kle.uow, "kle", "00.10.00", When.of(date(2012, 5, 1)))
    assert view.item.valid.start == date(1988, 1, 1)
    assert view.item.valid.end == date(2014, 11, 1)
    assert view.item.replaced_by == ("15.40.00",)
    assert "15.40.00" in view.successors_now


def test_a_moved_emne_after_the_move_is_404_saying_when_it_was_valid(kle: Kodeks) -> None:
    with pytest.raises(NotFound, match=r"2014-11-01"):
        queries.item(kle.uow, "kle", "00.10.00", When.of(date(2016, 1, 1)))


def test_changes_over_the_move_pair_old_and_new_codes(kle: Kodeks) -> None:
    cs = queries.changes(kle.uow, "kle", date(2014, 1, 1), date(2015, 1, 1))
    pairs = {(m.old, m.new) for m in cs.moved}
    assert ("00.10.00", "15.40.00") in pairs
    assert cs.counts["moved"] == len(cs.moved) >= 5


def test_the_2026_release_brings_keywords_and_keeps_guidance_from_2015(kle: Kodeks) -> None:
    view = queries.item(kle.uow, "kle", "00.01.00", When.of(date(2026, 6, 1)))
    assert view.item.keywords, "OS2KLE 3.23 gives stikord for 00.01.00"
    assert view.item.level == 3 and view.item.parent == "00.01"
    earlier = queries.item(kle.uow, "kle", "00.01.00", When.of(date(2015, 9, 1)))
    assert earlier.item.keywords == ()
    if earlier.item.description:
        assert view.item.description == earlier.item.description


def test_groups_survive_a_release_that_states_only_emner(kle: Kodeks) -> None:
    groups = queries.items(kle.uow, "kle", When.of(date(2026, 6, 1)), level=2)
    assert len(groups) > 400
    assert len(queries.items(kle.uow, "kle", When.of(date(2026, 6, 1)), level=1)) >= 36


@pytest.mark.slow
def test_releases_imported_out_of_order_give_the_same_registry(kle: Kodeks) -> None:
    shuffled = memory_registry()
    for relative in (OS2KLE, XML, OS2MO):
        load(shuffled, relative)
    assert state(shuffled) == state(kle)


def snapshot(kodeks: Kodeks, cid: str, day: date) -> dict[str, dict[str, object]]:
    """Every item valid on ``day``: code, lifespan, parent, titles and every attribute."""
    return {i.code: item_to_dict(i) for i in queries.items(kodeks.uow, cid, When.of(day))}


EXPORTERS = ("json", "csv", "xlsx", "ttl", "jsonld", "rdfxml", "fhir")
DATES = (date(2012, 5, 1), date(2024, 1, 1), date(2026, 6, 1))


@pytest.mark.parametrize(
    ("day", "fmt"),
    # The writers on the date with inferred and retired groups (JSON-LD and RDF/XML write the same
    # SKOS graph as Turtle, and their syntax round-trips on real thesauri in tests/formats); the past
    # dates through Kodeks JSON, and 2012 also through SKOS: the suite stays under its time budget.
    [(DATES[-1], fmt) for fmt in EXPORTERS if fmt not in ("jsonld", "rdfxml")]
    + [(DATES[0], "json"), (DATES[0], "ttl"), (DATES[1], "json")],
    ids=str,
)
def test_export_and_reimport_is_identity_at_the_date(kle: Kodeks, fmt: str, day: date) -> None:
    """Export at a date, import as a new classification: every item's code, lifespan, parent, titles,
    attributes and UUID are the same on that date."""
    exported = exporting.export(kle.uow, kle.formats, "kle", fmt, When.of(day))
    copy = memory_registry()
    importing.import_data(
        copy.uow,
        copy.formats,
        exported.content,
        exported.filename,
        options=importing.ImportOptions(classification="kle-copy"),
        release_date=day,
    )
    original, again = snapshot(kle, "kle", day), snapshot(copy, "kle-copy", day)
    assert sorted(again) == sorted(original)
    differing = [code for code in original if again[code] != original[code]]
    assert differing == [], (fmt, original[differing[0]], again[differing[0]])


def test_a_code_valid_since_2004_is_valid_since_2004_whatever_later_releases_add(kle: Kodeks) -> None:
    view = queries.item(kle.uow, "kle", "00.01.00", When.of(date(2026, 6, 1)))
    assert view.item.valid.start == date(2004, 2, 1) and view.item.valid.end is None
    assert view.item.keywords  # the 2026 release's stikord: a new version, not a new validity
    history = queries.history(kle.uow, "kle", "00.01.00")
    assert {r.item.valid for r in history if r.recorded_to is None} == {view.item.valid}
    assert len({r.period for r in history if r.recorded_to is None}) >= 2


def test_search_shows_the_codes_lifespan_not_its_latest_version(kle: Kodeks) -> None:
    from kodeks.services.search import SearchQuery, search

    result = search(
        kle.uow, kle.search_index, SearchQuery("00.01.00", classification="kle", at=date(2026, 6, 1))
    )
    [hit] = [h for h in result.hits if h.code == "00.01.00"]
    assert hit.valid.start == date(2004, 2, 1) and hit.valid.end is None


@pytest.mark.parametrize(
    "day", [date(2015, 8, 1), date(2023, 1, 1), date(2026, 2, 1), date(2026, 12, 6)], ids=str
)
def test_no_orphan_and_no_empty_group_on_any_release_date(kle: Kodeks, day: date) -> None:
    items = {i.code: i for i in queries.items(kle.uow, "kle", When.of(day))}
    orphans = [c for c, i in items.items() if i.parent is not None and i.parent not in items]
    parents = {i.parent for i in items.values()}
    empty = [c for c, i in items.items() if (i.level or 3) < 3 and c not in parents]
    assert (orphans, empty) == ([], [])


def test_the_new_hovedgruppe_34_exists_and_an_emptied_group_is_retired(kle: Kodeks) -> None:
    when = When.of(date(2026, 6, 1))
    main = queries.item(kle.uow, "kle", "34", when)
    assert main.children == 10 and main.item.valid.start == date(2026, 2, 1)
    assert "not in this release" in main.item.properties["kodeks:inferred"]
    with pytest.raises(
        NotFound, match=r"kle 27\.24 is not valid on 2026-06-01; it was valid \[2009-05-01, 2026-02-01\)"
    ):
        queries.item(kle.uow, "kle", "27.24", when)
    assert len(queries.children(kle.uow, "kle", "27.24", When.of(date(2025, 1, 1)))) > 5


def test_every_inference_is_reported_in_the_registration(kle: Kodeks) -> None:
    with kle.uow() as uow:
        summaries = {r.summary["release"]: r.summary for r in uow.registrations("kle", When.of().known_at)}
    first = summaries["2015-08-01"]
    # 16.28 has no title in the XML; 06.04 was registered on 1988-01-01 (created and retired that day),
    # so where its emner need it, it is inferred with the title of that registration
    assert (first["inferred_untitled-parent"], first["inferred_parent"]) == (1, 1)
    group = queries.item(kle.uow, "kle", "06.04", When.of(date(1988, 6, 1))).item
    assert "carried from release '2015-08-01'" in group.properties["kodeks:inferred"] and group.title()
    latest = summaries["KLE 2026-02"]
    # a registration counts the inferences of the whole rebuilt timeline: 06.04 (above) again
    assert (latest["inferred_retired"], latest["inferred_parent"], latest["inferred_untitled-parent"]) == (
        18,
        3,
        28,
    )
    carried = queries.item(kle.uow, "kle", "15.25", When.of(date(2026, 6, 1))).item
    assert carried.title() and "carried from release '2015-08-01'" in carried.properties["kodeks:inferred"]


def test_the_27_to_34_moves_are_proposed_not_applied(kle: Kodeks) -> None:
    proposals = queries.proposed_moves(kle.uow, "kle", date(2025, 1, 1), date(2026, 6, 1))
    pairs = {(p.old, p.new) for p in proposals}
    assert {("27.24.20", "34.15.61"), ("27.33.04", "34.20.10"), ("27.37.08", "23.30.10")} <= pairs
    assert queries.changes(kle.uow, "kle", date(2025, 1, 1), date(2026, 6, 1)).counts["moved"] == 0


def test_spacing_around_a_slash_is_no_rename(kle: Kodeks) -> None:
    renamed = queries.changes(kle.uow, "kle", date(2025, 1, 1), date(2026, 6, 1)).renamed
    assert not [r for r in renamed if r.old_title.replace(" ", "") == r.new_title.replace(" ", "")]
    assert "00.05.10" not in {r.code for r in renamed}  # 'Gaver til og fra kommunen/institutionen'


def test_the_same_release_imported_again_records_nothing(kle: Kodeks) -> None:
    [report] = load(kle, OS2KLE)
    assert report.already == "KLE 2026-02"
    assert [v.label for v in queries.versions(kle.uow, "kle")] == [
        "2015-08-01",
        "KLE 2023 (OS2mo)",
        "KLE 2026-02",
    ]
