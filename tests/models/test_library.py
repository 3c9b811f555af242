"""Importing, versioning, diffing and auditing models in a real (in-memory SQLite) registry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kodeks.bootstrap import Kodeks, model_formats
from kodeks.errors import InputTooLarge, InvalidContent, MalformedInput, NotFound, UnknownFormat
from kodeks.services.models import library
from kodeks.storage.models_tables import model_binding, model_event, model_version
from tests.factories import memory_registry
from tests.models.conftest import SMALL_XMI


@pytest.fixture
def registry() -> Kodeks:
    return memory_registry()


def _import(kodeks: Kodeks, data: bytes = SMALL_XMI, **kw: object) -> library.ModelImport:
    return library.import_model(kodeks.uow, kodeks.models, model_formats(), data, "sag.xmi", **kw)  # type: ignore[arg-type]


def _rows(kodeks: Kodeks) -> tuple[int, int, int]:
    with kodeks.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (model_version, model_event, model_binding)
        )


def test_import_adds_a_version_and_an_audit_event(registry: Kodeks) -> None:
    first = _import(registry, model_id="sag", actor="tester", valid_from=date(2026, 1, 1))
    assert (first.model_id, first.sequence, first.already) == ("sag", 1, False)
    assert first.counts["classes"] == 3 and first.counts["enumerations"] == 1
    again = _import(registry, model_id="sag")
    assert again.already and again.sequence == 1
    changed = SMALL_XMI.replace(b'name="titel"', b'name="overskrift"')
    second = _import(registry, changed, model_id="sag")
    assert second.sequence == 2
    infos = library.versions(registry.uow, registry.models, "sag")
    assert [v.sequence for v in infos] == [1, 2]
    assert infos[0].valid_from == date(2026, 1, 1) and infos[0].actor == "tester"
    # nothing overwritten: version 1 still reads as imported
    assert (
        library.get_model(registry.uow, registry.models, "sag", 1)
        .model.class_by_id["EAID_C1"]
        .attributes[0]
        .name
        == "titel"
    )
    diff = library.compare_versions(registry.uow, registry.models, "sag", 1, 2)
    assert diff.attributes_added == ("Sag.overskrift",) and diff.attributes_removed == ("Sag.titel",)
    assert diff.classes_changed == () and not diff.empty
    events = library.history(registry.uow, registry.models, "sag")
    assert [(e.action, e.summary["sequence"]) for e in events] == [("import", 1), ("import", 2)]
    assert events[0].recorded_at < events[1].recorded_at


def test_models_lists_the_newest_version_of_each(registry: Kodeks) -> None:
    _import(registry, model_id="a")
    _import(registry, SMALL_XMI.replace(b"Sagens titel", b"Titel"), model_id="a")
    _import(registry, model_id="b")
    listed = library.list_models(registry.uow, registry.models)
    assert [(i.model_id, i.sequence) for i in listed] == [("a", 2), ("b", 1)]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", MalformedInput),
        (b"not xml at all", UnknownFormat),
        (b'<xmi:XMI xmlns:xmi="http://schema.omg.org/spec/XMI/2.1"><a></xmi:XMI>', MalformedInput),
        (SMALL_XMI.replace(b'general="EAID_C3"', b'general="EAID_NOPE"'), InvalidContent),
    ],
)
def test_a_failed_import_leaves_the_database_as_it_was(
    registry: Kodeks, data: bytes, error: type[Exception]
) -> None:
    _import(registry, model_id="sag")
    before = _rows(registry)
    with pytest.raises(error):
        library.import_model(registry.uow, registry.models, model_formats(), data, "bad.txt", model_id="sag")
    assert _rows(registry) == before


def test_the_catalogue_pages_id_is_not_a_model_id(registry: Kodeks) -> None:
    with pytest.raises(InvalidContent, match="'katalog' is taken"):
        _import(registry, model_id="katalog")
    assert _rows(registry) == (0, 0, 0)


def test_an_oversized_file_is_refused_before_it_is_read(registry: Kodeks) -> None:
    with pytest.raises(InputTooLarge, match="limit is 1,000"):
        _import(registry, max_bytes=1000)
    assert _rows(registry) == (0, 0, 0)


def test_a_storage_failure_mid_import_rolls_back(registry: Kodeks, monkeypatch: pytest.MonkeyPatch) -> None:
    from kodeks.storage.models import SqlModelStore

    def broken(self: SqlModelStore, event: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlModelStore, "add_event", broken)
    with pytest.raises(RuntimeError):
        _import(registry, model_id="sag")
    assert _rows(registry) == (0, 0, 0)


def test_unknown_model_and_version(registry: Kodeks) -> None:
    with pytest.raises(NotFound, match="no model 'x'"):
        library.get_model(registry.uow, registry.models, "x")
    _import(registry, model_id="sag")
    with pytest.raises(NotFound, match="no version 9"):
        library.get_model(registry.uow, registry.models, "sag", 9)
