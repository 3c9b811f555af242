"""Every XML-based reader refuses entity declarations and external DTDs, wherever the DOCTYPE stands.

Parametrized over the registry: every importer that reads ``.xml``/``.rdf``/``.owl`` gets every hostile
document of ``files.hostile_xml``; every importer that reads ``.xlsx`` gets a workbook whose sheets
declare entities. The CLI turns each into one line on stderr, exit 4, and leaves the database as it was.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from kodeks.bootstrap import build
from kodeks.cli.main import run
from kodeks.config import Settings
from kodeks.domain.classification import Classification
from kodeks.errors import MalformedInput
from kodeks.formats import catalog_sheet, registry
from kodeks.formats.base import ExportSet, ImportOptions
from tests.factories import item, record, tree_bundle
from tests.hostile.files import hostile_xml, xlsx_with_entities

_XML_EXTENSIONS = (".xml", ".rdf", ".owl")
#: A root element and body each XML reader would accept, so only the DOCTYPE stands between the
#: attack and the reader (a reader not listed gets a neutral root: the guard runs before parsing).
ROOTS: dict[str, tuple[str, bytes]] = {
    "kle-xml": ("KLE-Emneplan", b"<UdgivelsesDato>2020-01-01</UdgivelsesDato><x>%s</x>"),
    "kle-taxon": ("Taxonomy", b"<Name>KLE</Name><Taxon><Key>01</Key><Name>%s</Name></Taxon>"),
    "skos": (
        'rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:skos="http://www.w3.org/2004/02/skos/core#"',
        b'<skos:Concept rdf:about="http://x/a"><skos:notation>a</skos:notation>'
        b"<skos:prefLabel>%s</skos:prefLabel></skos:Concept>",
    ),
}


def _xml_cases() -> list[tuple[str, str, str, bytes]]:
    cases = []
    for name, importer in sorted(registry.importers().items()):
        for ext in (e for e in importer.extensions if e in _XML_EXTENSIONS):
            root, body = ROOTS.get(name, ("doc", b"<x>%s</x>"))
            for attack, data in hostile_xml(root, body).items():
                cases.append((name, ext, attack, data))
    return cases


XML_CASES = _xml_cases()


def test_every_xml_reader_is_covered() -> None:
    assert {name for name, *_ in XML_CASES} >= {"kle-xml", "kle-taxon", "skos"}


@pytest.mark.parametrize(
    ("name", "ext", "attack", "data"), XML_CASES, ids=[f"{n}{e}-{a}" for n, e, a, _ in XML_CASES]
)
def test_xml_reader_refuses(name: str, ext: str, attack: str, data: bytes) -> None:
    importer = registry.get_importer(name)
    with pytest.raises(MalformedInput) as err:
        importer.read(data, f"evil{ext}", ImportOptions())
    assert err.value.source == f"evil{ext}"
    assert "DOCTYPE" in (err.value.location or "") and "refused as unsafe" in err.value.problem
    assert "\n" not in str(err.value)


def _workbook(exporter: str) -> bytes:
    export = ExportSet(
        classification=Classification(id="evil"), items=(item("01", "Et"),), versions=(), levels=()
    )
    return registry.get_exporter(exporter).write(export)


XLSX_READERS = sorted(n for n, imp in registry.importers().items() if ".xlsx" in imp.extensions)


def test_every_xlsx_reader_is_covered() -> None:
    assert set(XLSX_READERS) >= {"kle-os2mo", "tabular", "xlsx"}


@pytest.mark.parametrize("name", XLSX_READERS)
def test_xlsx_reader_refuses_entities_in_a_sheet(name: str) -> None:
    data = xlsx_with_entities(_workbook("xlsx"))
    with pytest.raises(MalformedInput) as err:
        registry.get_importer(name).read(data, "evil.xlsx", ImportOptions(options={"sheet": "Items"}))
    assert "xl/worksheets/" in (err.value.location or "") and "refused as unsafe" in err.value.problem


def test_catalog_sheet_refuses_entities() -> None:
    with pytest.raises(MalformedInput, match="refused as unsafe"):
        catalog_sheet.read_sheet(xlsx_with_entities(_workbook("xlsx")), "katalog.xlsx")


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "k.sqlite"
    record(build(Settings(database_url=f"sqlite:///{path}")), tree_bundle(release_date=date(2015, 8, 1)))
    return f"sqlite:///{path}", path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("name", "ext", "attack", "data"),
    [c for c in XML_CASES if c[2] in ("padded-entities", "external-file")],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_cli_one_line_exit_4_database_unchanged(
    db: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    ext: str,
    attack: str,
    data: bytes,
) -> None:
    url, path = db
    before = _digest(path)
    evil = tmp_path / f"evil{ext}"
    evil.write_bytes(data)
    assert run(["import", str(evil), "--format", name, "--db", url]) == 4
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "refused as unsafe" in err
    assert _digest(path) == before
