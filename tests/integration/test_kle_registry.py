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
from tests.conftest import data_file
from tests.factories import memory_registry

XML = "kle/kle_emneplan_2015-08-01.xml"
OS2MO = "kle/os2mo_kle_2023_emner.csv"
OS2KLE = "kle/os2kle_3.23_kle_2026feb_emner_keywords.txt"
RELEASES = {
    XML: (None, None),
    OS2MO: ("KLE 2023 (OS2mo)", date(2023, 1, 1)),
    OS2KLE: ("KLE 2026-02", date(2026, 2, 1)),
}


def load(kodeks: Kodeks, relative: str) -> list[importing.ImportReport]:
    path: Path = data_file(relative)
    label, day = RELEASES[relative]
    return importing.import_data(
        kodeks.uow, kodeks.formats, path.read_bytes(), path.name, release_label=label, release_date=day
    )


@pytest.fixture(scope="module")
def kle() -> Kodeks:
    kodeks = memory_registry()
    for relative in (XML, OS2MO, OS2KLE):
        load(kodeks, relative)
    return kodeks


def state(kodeks: Kodeks) -> list[dict[str, object]]:
    with kodeks.uow() as uow:
        facts = uow.facts_known_at("kle", When.of().known_at)
    return sorted((item_to_dict(f) for f in facts), key=lambda d: (str(d["code"]), str(d["valid_from"])))


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


def test_export_and_reimport_every_format_on_real_kle(kle: Kodeks) -> None:
    when = When.of(date(2012, 5, 1))
    original = sorted(
        (item_to_dict(i) for i in queries.items(kle.uow, "kle", when)), key=lambda d: str(d["code"])
    )
    for fmt in ("json", "csv", "xlsx", "ttl", "jsonld", "rdfxml", "fhir"):
        exported = exporting.export(kle.uow, kle.formats, "kle", fmt, when)
        copy = memory_registry()
        importing.import_data(
            copy.uow,
            copy.formats,
            exported.content,
            exported.filename,
            format=None if fmt not in ("jsonld", "rdfxml", "ttl") else "skos",
            release_date=date(2012, 5, 1),
        )
        [cid] = [c.id for c in queries.list_classifications(copy.uow)]
        fresh = When.of(when.at)
        again = sorted(
            (item_to_dict(i) for i in queries.items(copy.uow, cid, fresh)), key=lambda d: str(d["code"])
        )
        assert [d["code"] for d in again] == [d["code"] for d in original], fmt
        assert [d["titles"] for d in again] == [d["titles"] for d in original], fmt
        assert [d["replaced_by"] for d in again] == [d["replaced_by"] for d in original], fmt
