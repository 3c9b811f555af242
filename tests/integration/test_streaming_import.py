"""A Kodeks CSV import streams (``services.streaming_import``) and records exactly what reading the
file whole records: the same facts, records, digests, reports and refusals, on every backend.

The whole-file path is the same importer with its ``stream`` hidden, so ``import_data`` falls back
to ``read``. The cases cover several releases, own validities (back-filled before the release date),
a code given twice, source UUIDs, a child valid before its parent (the structural rule's fallback
in memory), and files the checks refuse.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kodeks.bootstrap import Kodeks
from kodeks.domain.codec import item_to_dict
from kodeks.errors import ImportError_, InputTooLarge
from kodeks.formats import registry
from kodeks.formats.registry import Registry
from kodeks.services import streaming_import
from kodeks.services.importing import import_data
from kodeks.services.ports import Importer, ImportOptions
from kodeks.storage.tables import item_other_parent, item_record, release
from tests.integration.registry_kit import Databases

HEAD = "code,parent,level,title_da,valid_from,valid_to,uuid\n"
U1 = "0b7e4c3a-39f5-4d8e-9f6c-1f1b2c3d4e5f"


class Whole:
    """The Kodeks CSV importer without ``stream``: the import reads the file whole."""

    def __init__(self, inner: Importer) -> None:
        self.inner = inner
        self.name, self.description, self.extensions = inner.name, inner.description, inner.extensions

    def sniff(self, head: bytes, filename: str) -> int:
        return self.inner.sniff(head, filename)

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Any]:
        return self.inner.read(data, source, options)


class WholeCatalog(Registry):
    def importer(self, name: str) -> Importer:
        return Whole(registry.get_importer(name))


def _clock() -> datetime:
    """A stopped clock: each registration is then 1 µs after the last, however often it is asked."""
    return datetime(2026, 1, 1)


def _state(kodeks: Kodeks, files: list[tuple[str, date]], whole: bool) -> list[Any]:
    """Import ``files`` in turn; what the registry holds and what each import said."""
    catalog = WholeCatalog() if whole else kodeks.formats
    said: list[Any] = []
    for text, day in files:
        try:
            reports = import_data(
                kodeks.uow,
                catalog,
                text.encode(),
                "x.csv",
                format="csv",
                release_date=day,
                clock=_clock,
            )
            said.append([(r.items, r.inserted, r.closed, r.already, r.inferences) for r in reports])
        except ImportError_ as exc:
            said.append((type(exc).__name__, str(exc)))
    with kodeks.engine.connect() as conn:
        records = conn.execute(
            select(
                item_record.c.code,
                item_record.c.fingerprint,
                item_record.c.data,
                item_record.c.valid_from,
                item_record.c.valid_to,
                item_record.c.release_label,
                item_record.c.recorded_from,
                item_record.c.recorded_to,
                item_record.c.title,
            ).order_by(item_record.c.id)
        ).all()
        releases = conn.execute(
            select(release.c.sequence, release.c.sha256, release.c.item_count).order_by(release.c.id)
        ).all()
        further = conn.execute(
            select(item_record.c.code, item_record.c.fingerprint, item_other_parent.c.parent)
            .join(item_other_parent, item_other_parent.c.item_record_id == item_record.c.id)
            .order_by(item_record.c.code, item_other_parent.c.parent)
        ).all()
    with kodeks.uow() as uow:
        facts = [
            (f.code, f.period, item_to_dict(f.item), f.release)
            for f in uow.facts_known_at("x", datetime(2100, 1, 1))
        ]
    return [
        said,
        [tuple(r) for r in records],
        [tuple(r) for r in releases],
        facts,
        [tuple(r) for r in further],
    ]


def _same(databases: Databases, files: list[tuple[str, date]]) -> list[Any]:
    streamed = _state(databases.new(), files, whole=False)
    whole = _state(databases.new(), files, whole=True)
    assert streamed == whole
    return streamed


CASES = {
    "releases": [
        (HEAD + "A,,1,Alfa,,,\nA.1,A,2,En,,,\nB,,1,Beta,,,\n", date(2020, 1, 1)),
        (HEAD + "A,,1,Alfa ny,,,\nA.2,A,2,To,,,\nB,,1,Beta,,,\n", date(2021, 1, 1)),
        (HEAD + "A,,1,Alfa,,,\nA.1,A,2,En,,,\nB,,1,Beta,,,\n", date(2019, 6, 1)),
    ],
    "own validity and a code twice": [
        (
            HEAD + "A,,1,Alfa,2010-01-01,,\nA.1,A,2,Gammel,2010-01-01,2015-01-01,\nA.1,A,2,Ny,2015-01-01,,\n",
            date(2020, 1, 1),
        ),
        (HEAD + f"A,,1,Alfa,2010-01-01,,{U1}\nA.1,A,2,Ny,2015-01-01,2022-01-01,\n", date(2021, 1, 1)),
    ],
    "child valid before its parent": [
        (HEAD + "A,,1,Alfa,2015-01-01,,\nA.1,A,2,En,2012-01-01,,\n", date(2020, 1, 1)),
    ],
    "the same content twice": [
        (HEAD + "A,,1,Alfa,,,\n", date(2020, 1, 1)),
        (HEAD + "A,,1,Alfa,,,\n", date(2020, 1, 1)),
    ],
    "polyhierarchy": [
        (
            'code,parent,other_parents,level,title_da\nA,,,1,Alfa\nB,,,1,Beta\nA.1,A,"[""B""]",2,Begge\n',
            date(2020, 1, 1),
        ),
    ],
    "refused": [
        (HEAD + "A,,1,Alfa,,,\nA,,1,Alfa igen,,,\n", date(2020, 1, 1)),
        (HEAD + "A,Z,1,Alfa,,,\n", date(2020, 1, 1)),
        (HEAD + "A,B,1,Alfa,,,\nB,A,1,Beta,,,\nC,,1,Gamma,,,\n", date(2020, 1, 1)),
        (HEAD + "A,,1,Alfa,2019-13-01,,\n", date(2020, 1, 1)),
        (HEAD, date(2020, 1, 1)),
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_streaming_records_what_reading_whole_records(databases: Databases, case: str) -> None:
    said, records, _releases, facts, further = _same(databases, CASES[case])
    if case == "refused":
        assert [s[0] for s in said] == ["InvalidContent"] * 4 + ["InvalidContent"]
    else:
        assert records and facts
    if case == "polyhierarchy":
        assert [(code, parent) for code, _fp, parent in further] == [("A.1", "B")]
    if case == "child valid before its parent":
        assert said[0][0][4], "the structural rule inferred the parent's earlier span"


def test_a_failed_streaming_import_leaves_the_database_as_it_was(databases: Databases) -> None:
    kodeks = databases.new()
    first = [(HEAD + "A,,1,Alfa,,,\nB,,1,Beta,,,\n", date(2020, 1, 1))]
    before = _state(kodeks, first, whole=False)[1:]
    bad = HEAD + "".join(f"K{n},,1,Emne {n},,,\n" for n in range(3000)) + "K5,,1,Igen,,,\n"
    after = _state(kodeks, [(bad, date(2021, 1, 1))], whole=False)
    assert after[0][0][0] == "InvalidContent" and "duplicate code 'K5'" in after[0][0][1]
    assert after[1:] == before


def test_the_structural_rule_in_memory_has_a_budget(
    databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming_import, "MAX_ITEMS_IN_MEMORY", 1)
    kodeks = databases.new()
    text = (HEAD + "A,,1,Alfa,2015-01-01,,\nA.1,A,2,En,2012-01-01,,\n").encode()
    with pytest.raises(
        InputTooLarge,
        match=r"^x: 2 items across its releases need the structural rule .* the limit is 1 items$",
    ):
        import_data(kodeks.uow, kodeks.formats, text, "x.csv", format="csv", release_date=date(2020, 1, 1))
    with kodeks.engine.connect() as conn:
        assert conn.execute(select(item_record.c.id)).first() is None


DAYS = [None, "2010-01-01", "2018-01-01", "2021-01-01"]
rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "A.1", "A.2", "B.1"]),
        st.booleans(),  # names its pattern parent
        st.sampled_from(["Alfa", "Beta", "Gamma"]),
        st.sampled_from(DAYS),
        st.sampled_from(DAYS),
    ),
    min_size=1,
    max_size=6,
)


def _csv(drawn: list[tuple[str, bool, str, str | None, str | None]]) -> str:
    lines = [HEAD]
    for code, parented, title, start, end in drawn:
        parent = code.rsplit(".", 1)[0] if parented and "." in code else ""
        lines.append(f"{code},{parent},,{title},{start or ''},{end or ''},\n")
    return "".join(lines)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(
        st.tuples(rows, st.sampled_from([date(2015, 1, 1), date(2020, 1, 1)])), min_size=1, max_size=3
    )
)
def test_any_files_stream_as_they_read_whole(
    tmp_path_factory: pytest.TempPathFactory, files: list[Any]
) -> None:
    databases = Databases("sqlite-memory", tmp_path_factory.mktemp("db"))
    try:
        given = [(_csv(drawn), day) for drawn, day in files]
        streamed = _state(databases.new(), given, whole=False)
        assert streamed == _state(databases.new(), given, whole=True)
    finally:
        databases.close()
