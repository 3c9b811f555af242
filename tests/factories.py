"""Plain factory functions for tests: tiny, named data with defaults."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any, TypeVar

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.classification import Classification
from kodeks.domain.item import Item, Keyword, LegalReference
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, Level, ReleaseKind
from kodeks.domain.timeline import Fact
from kodeks.services import importing
from kodeks.services.ports import ImportOptions


def item(
    code: str,
    title: str = "",
    parent: str | None = None,
    level: int | None = None,
    start: date | None = None,
    end: date | None = None,
    **kw: object,
) -> Item:
    if level is None:
        level = code.count(".") + 1
    return Item(
        code=code,
        titles={"da": title or f"Emne {code}"},
        level=level,
        parent=parent,
        valid=Period(start, end),
        **kw,
    )  # type: ignore[arg-type]


def as_facts(items: Sequence[Item]) -> list[Fact]:
    """Items as facts, each item's validity its own period and lifespan (one fact per code and span)."""
    return [Fact(i, "test", i.valid) for i in items]


def tree_bundle(
    release_date: date = date(2015, 8, 1),
    kind: ReleaseKind = ReleaseKind.HISTORY,
    items: Sequence[Item] | None = None,
    cid: str = "tree",
) -> Bundle:
    """A small three-level plan: two groups, a moved subject and an expired one."""
    if items is None:
        items = [
            item("10", "Skole", start=date(1988, 1, 1)),
            item("10.01", "Undervisning", "10", start=date(1988, 1, 1)),
            item(
                "10.01.00",
                "Undervisning i almindelighed",
                "10.01",
                start=date(1988, 1, 1),
                keywords=(Keyword("skole", 5),),
                legal_refs=(LegalReference("Folkeskoleloven", "A1"),),
            ),
            item(
                "10.01.05",
                "Gammel ordning",
                "10.01",
                start=date(1990, 1, 1),
                end=date(2012, 1, 1),
                replaced_by=("20.02.01",),
            ),
            item("10.01.07", "Nedlagt ordning", "10.01", start=date(1990, 1, 1), end=date(2011, 1, 1)),
            item("20", "Børn", start=date(1988, 1, 1)),
            item("20.02", "Særlig støtte", "20", start=date(2010, 1, 1)),
            item("20.02.01", "Støtte til børn", "20.02", start=date(2012, 1, 1)),
        ]
    return Bundle(
        Classification(cid, {"da": "Testplan", "en": "Test plan"}, owner="Test"),
        tuple(items),
        (Level(1, {"da": "Hovedgruppe"}), Level(2, {"da": "Gruppe"}), Level(3, {"da": "Emne"})),
        release_date=release_date,
        kind=kind,
        source="tree.fake",
        format="fake",
    )


class FakeImporter:
    name = "fake"
    description = "hands back prepared bundles"
    extensions = (".fake",)

    def __init__(self, bundles: Sequence[Bundle]) -> None:
        self.bundles = list(bundles)

    def sniff(self, head: bytes, filename: str) -> int:
        return 100

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        return list(self.bundles)


class FakeCatalog:
    """A format catalog whose importer returns the given bundles; exporters come from the real one."""

    def __init__(self, bundles: Sequence[Bundle], real: object | None = None) -> None:
        self.importer_ = FakeImporter(bundles)
        self.real = real

    def detect(self, head: bytes, filename: str) -> FakeImporter:
        return self.importer_

    def importer(self, name: str) -> FakeImporter:
        return self.importer_

    def exporter(self, name: str):  # type: ignore[no-untyped-def]
        return self.real.exporter(name)  # type: ignore[union-attr]

    def exporter_names(self) -> list[str]:
        return self.real.exporter_names() if self.real else []  # type: ignore[union-attr]


def memory_registry() -> Kodeks:
    return build(
        Settings(database_url="sqlite://", api_tokens=("test-token-" + "x" * 24,), read_cache_seconds=0)
    )


def record(kodeks: Kodeks, *bundles: Bundle, at: datetime | None = None) -> list[importing.ImportReport]:
    clock = (lambda: at) if at else importing.utcnow
    return importing.import_data(kodeks.uow, FakeCatalog(bundles), b"fake", "tree.fake", clock=clock)


T = TypeVar("T")


def run_apart(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: a test process may already run an event loop in its
    main thread (Playwright's sync API does, for the whole session of the browser tests)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main).result()
