"""The import use case against the in-memory unit of work: all or nothing, strictly increasing time."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kodeks.domain.period import Period
from kodeks.errors import (
    Conflict,
    InputTooLarge,
    InvalidContent,
    InvalidRequest,
    MalformedInput,
    UnknownFormat,
)
from kodeks.services.importing import import_data, read_bundles
from kodeks.services.ports import ImportOptions
from tests.unit.fakes import (
    BundleImporter,
    FakeCatalog,
    FakeUnitOfWorkFactory,
    SteppingClock,
    catalog_for,
    make_bundle,
    make_item,
)

D = date.fromisoformat
TREE = (make_item("1"), make_item("1.1", parent="1"), make_item("2"))


def test_an_import_records_classification_release_facts_and_registration() -> None:
    uow = FakeUnitOfWorkFactory()
    clock = SteppingClock()
    [report] = import_data(uow, catalog_for(make_bundle(*TREE, label="v1")), b"", "test.fake", clock=clock)
    assert (report.classification_id, report.release_label, report.release_date) == (
        "test",
        "v1",
        D("2020-01-01"),
    )
    assert (report.items, report.inserted, report.closed, report.format) == (3, 3, 0, "fake")
    assert report.recorded_at == clock.now
    store = uow.store
    assert store.commits == 1
    assert [c.id for c, _, _ in store.classifications] == ["test"]
    assert [(r.release.label, r.sequence, len(r.items)) for r in store.releases] == [("v1", 1, 3)]
    assert store.releases[0].sha256 is not None
    assert sorted(r.fact.item.code for r in store.rows) == ["1", "1.1", "2"]
    assert all(r.fact.item.valid == Period(D("2020-01-01"), None) for r in store.rows)
    assert all(r.fact.item.uuid is not None for r in store.rows)
    [(registration, sequence)] = store.registrations
    assert (registration.action, registration.note, sequence) == ("import", "test.fake", 1)
    assert registration.summary == {"release": "v1", "items": 3, "inserted": 3, "closed": 0, "format": "fake"}


def test_a_new_release_closes_what_changed_and_adds_the_new_facts() -> None:
    uow = FakeUnitOfWorkFactory()
    clock = SteppingClock()
    import_data(uow, catalog_for(make_bundle(*TREE)), b"", "a.fake", clock=clock)
    first = clock.now
    clock.advance(hours=1)
    renamed = (make_item("1"), make_item("1.1", "new title", parent="1"))
    [report] = import_data(
        uow, catalog_for(make_bundle(*renamed, day=D("2021-01-01"))), b"", "b.fake", clock=clock
    )
    # 1.1 and 2 lose their open-ended facts; 1.1 gets two, 2 one closed at 2021: 3 inserted, 2 closed
    assert (report.inserted, report.closed) == (3, 2)
    closed = [r for r in uow.store.rows if r.recorded_to is not None]
    assert sorted(r.fact.item.code for r in closed) == ["1.1", "2"]
    assert all(r.recorded_from == first and r.recorded_to == clock.now for r in closed)
    assert all(r.fact.item.valid == Period(D("2020-01-01"), None) for r in closed)  # closed rows keep content


def test_reimporting_the_same_release_records_nothing_and_says_which_version_holds_it() -> None:
    uow = FakeUnitOfWorkFactory()
    catalog = catalog_for(make_bundle(*TREE))
    [first] = import_data(uow, catalog, b"", "a.fake")
    rows = copy.deepcopy(uow.store.rows)
    registrations = list(uow.store.registrations)
    [report] = import_data(uow, catalog, b"", "a.fake")
    assert (report.inserted, report.closed, report.already) == (0, 0, first.release_label)
    assert "already imported as version" in report.describe()
    assert uow.store.rows == rows
    assert uow.store.registrations == registrations
    assert len(uow.store.releases) == 1


def test_the_same_content_under_another_label_is_a_conflict_that_records_nothing() -> None:
    uow = FakeUnitOfWorkFactory()
    catalog = catalog_for(make_bundle(*TREE))
    import_data(uow, catalog, b"", "a.fake", release_label="2020")
    with pytest.raises(Conflict, match="already imported as version '2020'"):
        import_data(uow, catalog, b"", "a.fake", release_label="another")
    assert len(uow.store.releases) == 1


def test_a_crash_after_commit_then_a_retry_adds_no_second_version() -> None:
    """The retry of an import whose process died after its commit finds the content already there."""
    uow = FakeUnitOfWorkFactory()
    catalog = catalog_for(make_bundle(*TREE))
    import_data(uow, catalog, b"", "a.fake", release_label="2020")
    [retry] = import_data(uow, catalog, b"", "a.fake", release_label="2020")
    assert retry.already == "2020"
    assert [r.release.label for r in uow.store.releases] == ["2020"]


def test_recorded_time_strictly_increases_with_a_frozen_clock() -> None:
    uow = FakeUnitOfWorkFactory()
    frozen = SteppingClock()
    times = [
        import_data(uow, catalog_for(make_bundle(make_item(f"T{n}"))), b"", "a.fake", clock=frozen)[
            0
        ].recorded_at
        for n in range(3)
    ]
    assert times == [frozen.now + timedelta(microseconds=n) for n in range(3)]


def test_a_clock_that_goes_backwards_still_gives_later_times() -> None:
    uow = FakeUnitOfWorkFactory()
    clock = SteppingClock()
    t1 = import_data(uow, catalog_for(make_bundle(make_item("A"))), b"", "a.fake", clock=clock)[0].recorded_at
    clock.advance(days=-1)
    t2 = import_data(uow, catalog_for(make_bundle(make_item("B"))), b"", "a.fake", clock=clock)[0].recorded_at
    assert t2 > t1


def test_an_aware_clock_is_recorded_as_naive_utc() -> None:
    uow = FakeUnitOfWorkFactory()
    cet = timezone(timedelta(hours=1))
    [report] = import_data(
        uow,
        catalog_for(make_bundle(*TREE)),
        b"",
        "a.fake",
        clock=lambda: datetime(2024, 1, 1, 13, 0, tzinfo=cet),
    )
    assert report.recorded_at == datetime(2024, 1, 1, 12, 0)
    assert report.recorded_at.tzinfo is None
    assert datetime(2024, 1, 1, 12, 0, tzinfo=UTC).replace(tzinfo=None) == report.recorded_at


def test_one_file_with_several_classifications_is_one_registration_time() -> None:
    uow = FakeUnitOfWorkFactory()
    catalog = catalog_for(make_bundle(*TREE, cid="one"), make_bundle(*TREE, cid="two"))
    reports = import_data(uow, catalog, b"", "both.fake", release_label="L")
    assert [(r.classification_id, r.release_label) for r in reports] == [("one", "L"), ("two", "2020-01-01")]
    assert reports[0].recorded_at == reports[1].recorded_at
    assert uow.store.commits == 1


def test_a_structural_problem_records_nothing_and_names_file_and_code() -> None:
    uow = FakeUnitOfWorkFactory()
    cyclic = make_bundle(make_item("A", parent="B"), make_item("B", parent="A"))
    with pytest.raises(InvalidContent) as raised:
        import_data(uow, catalog_for(cyclic), b"", "cycle.fake")
    assert raised.value.source == "cycle.fake"
    assert raised.value.location == "code A"
    assert "cycle in hierarchy" in str(raised.value) and str(raised.value).startswith("cycle.fake: code A: ")
    assert uow.store.commits == 0 and uow.store.rows == [] and uow.store.releases == []


def test_many_problems_are_summarised() -> None:
    orphans = make_bundle(*(make_item(f"c{i}", parent="missing") for i in range(7)))
    with pytest.raises(InvalidContent, match=r"7 problem\(s\).*\(and 2 more\)") as raised:
        read_bundles(catalog_for(orphans), b"", "orphans.fake")
    assert len(raised.value.details["problems"]) == 7


def test_a_partial_release_may_name_parents_it_does_not_carry() -> None:
    partial = make_bundle(make_item("1.1", parent="1"), levels_covered=frozenset({2}))
    assert read_bundles(catalog_for(partial), b"", "p.fake")[1] == [partial]


@pytest.mark.parametrize(
    "method",
    ["record_classification", "add_release", "close_records", "insert_facts", "add_registration", "commit"],
)
def test_a_failure_midway_leaves_the_store_as_it_was(method: str) -> None:
    uow = FakeUnitOfWorkFactory()
    import_data(uow, catalog_for(make_bundle(*TREE)), b"", "a.fake")
    before = copy.deepcopy(uow.store)
    failing = FakeUnitOfWorkFactory(uow.store, fail_on=method)
    changed = make_bundle(make_item("1", "changed"), day=D("2021-01-01"))
    with pytest.raises(RuntimeError, match=f"injected failure in {method}"):
        import_data(failing, catalog_for(changed), b"", "b.fake")
    assert uow.store == before


def test_a_failing_listener_aborts_the_import() -> None:
    uow = FakeUnitOfWorkFactory()
    seen = []

    def listener(_uow: object, report: object) -> None:
        seen.append(report)
        raise RuntimeError("index down")

    with pytest.raises(RuntimeError, match="index down"):
        import_data(uow, catalog_for(make_bundle(*TREE)), b"", "a.fake", listeners=[listener])
    assert len(seen) == 1 and uow.store.commits == 0 and uow.store.rows == []


def test_a_later_bundle_without_date_undoes_the_earlier_ones() -> None:
    uow = FakeUnitOfWorkFactory()
    catalog = catalog_for(make_bundle(*TREE, cid="one"), make_bundle(*TREE, cid="two", day=None))
    with pytest.raises(InvalidRequest, match=r"no release date for 'two'.*--release-date"):
        import_data(uow, catalog, b"", "x.fake")
    assert uow.store.commits == 0 and uow.store.releases == []


def test_the_user_gives_the_release_date_when_the_file_does_not() -> None:
    uow = FakeUnitOfWorkFactory()
    [report] = import_data(
        uow, catalog_for(make_bundle(*TREE, day=None)), b"", "x.fake", release_date=D("2023-05-01")
    )
    assert (report.release_label, report.release_date) == ("2023-05-01", D("2023-05-01"))


def test_the_user_may_rename_the_classification() -> None:
    uow = FakeUnitOfWorkFactory()
    [report] = import_data(
        uow, catalog_for(make_bundle(*TREE)), b"", "x.fake", options=ImportOptions(classification="mine")
    )
    assert report.classification_id == "mine"


def test_importer_errors_become_malformed_input_naming_the_file() -> None:
    def broken() -> list:  # type: ignore[type-arg]
        raise KeyError("Emne")

    with pytest.raises(MalformedInput, match=r"^bad\.fake: cannot be read as fake: 'Emne'$"):
        import_data(FakeUnitOfWorkFactory(), FakeCatalog(BundleImporter(broken)), b"", "bad.fake")


def test_empty_results_and_empty_bundles_are_refused() -> None:
    with pytest.raises(InvalidContent, match="no classification found"):
        read_bundles(catalog_for(), b"", "e.fake")
    with pytest.raises(InvalidContent, match="'test' has no items"):
        read_bundles(catalog_for(make_bundle()), b"", "e.fake")


def test_size_limit_and_format_choice() -> None:
    with pytest.raises(InputTooLarge, match=r"^big\.fake: file is 11 bytes; the limit is 10$"):
        read_bundles(catalog_for(make_bundle(*TREE)), b"x" * 11, "big.fake", max_bytes=10)
    with pytest.raises(UnknownFormat):
        read_bundles(catalog_for(make_bundle(*TREE)), b"", "file.unknown")
    assert read_bundles(catalog_for(make_bundle(*TREE)), b"", "file.unknown", format="fake")[0] == "fake"


def test_progress_is_reported() -> None:
    said: list[str] = []
    import_data(
        FakeUnitOfWorkFactory(),
        catalog_for(make_bundle(*TREE, label="v1")),
        b"",
        "a.fake",
        progress=said.append,
    )
    assert said == ["parsing", "recording test v1"]


def test_an_import_locks_each_classification_it_records() -> None:
    uow = FakeUnitOfWorkFactory()
    import_data(uow, catalog_for(make_bundle(*TREE, label="v1")), b"", "test.fake", clock=SteppingClock())
    assert uow.store.locks == ["classification:test"]


def test_a_classification_gets_this_registrys_uri_and_keeps_the_files_as_its_source() -> None:
    uow = FakeUnitOfWorkFactory()
    bundle = make_bundle(make_item("1"), cid="copy")
    foreign = replace(bundle, classification=replace(bundle.classification, uri="https://example.org/scheme"))
    import_data(uow, catalog_for(foreign), b"", "a.fake", base_uri="https://klassifikation.aarhus.dk/id/")
    [(stored, _, _)] = uow.store.classifications
    assert stored.canonical_uri == "https://klassifikation.aarhus.dk/id/copy"
    assert stored.source_uri == "https://example.org/scheme"
    # A later import keeps the URI the classification was first recorded with.
    import_data(
        uow,
        catalog_for(make_bundle(make_item("2"), cid="copy")),
        b"",
        "b.fake",
        base_uri="https://other.example/",
    )
    assert {c.canonical_uri for c, _, _ in uow.store.classifications} == {
        "https://klassifikation.aarhus.dk/id/copy"
    }
