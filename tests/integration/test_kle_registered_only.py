"""KLE's 119 emner created and retired on the same day stay in the registry as registrations: each has
a history (one record with its empty lifespan, created and expired on that day), and no read on a
date serves them."""

from __future__ import annotations

from datetime import date, timedelta

from kodeks.bootstrap import Kodeks
from kodeks.formats.base import ImportOptions
from kodeks.formats.kle_xml import IMPORTERS
from kodeks.services import queries
from kodeks.services.item_timeline import EventKind, item_history
from kodeks.services.queries import When
from tests.conftest import data_file

#: Of the 119, the codes with no other fact; the one other (gruppe 06.04) is valid in 1988 as well,
#: as the parent of its emner, and keeps its empty registration beside that.
ONLY_THEN = 118


def same_day_codes() -> dict[str, date]:
    path = data_file("kle/kle_emneplan_2015-08-01.xml")
    (bundle,) = IMPORTERS[0].read(path.read_bytes(), path.name, ImportOptions())
    found = {i.code: i.valid.start for i in bundle.items if i.valid.is_empty}
    return {code: day for code, day in found.items() if day is not None}


def test_every_same_day_emne_has_a_history_and_no_date_serves_it(real_kle: Kodeks) -> None:
    codes = same_day_codes()
    assert len(codes) == 119
    now = When.of()
    only_then = 0
    for code, day in codes.items():
        records = queries.history(real_kle.uow, "kle", code)
        assert records, f"{code} has no history"
        assert [r for r in records if r.period.start == day and r.period.end == day], code
        if all(r.period.is_empty for r in records):  # the code never had a valid day
            only_then += 1
            assert records[0].item.valid.is_empty
            history = item_history(records, now.known_at)
            kinds = [(e.kind, e.day) for e in history.events]
            assert kinds == [(EventKind.CREATED, day), (EventKind.EXPIRED, day)]
    assert only_then == ONLY_THEN
    code, day = next(iter(codes.items()))
    for at in (day - timedelta(days=1), day, day + timedelta(days=1)):
        served = queries.items(real_kle.uow, "kle", When.of(at))
        assert code not in {i.code for i in served if i.valid.is_empty}
        assert all(not i.valid.is_empty for i in served)
