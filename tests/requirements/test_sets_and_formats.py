"""Requirement sets, their exports (XLSX, DOCX, ReqIF) and supplier answers read back."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from kodeks.domain.governance.changeset import State
from kodeks.domain.governance.identity import ANONYMOUS
from kodeks.domain.requirements.requirement import Priority
from kodeks.errors import (
    Conflict,
    Forbidden,
    InputTooLarge,
    InvalidContent,
    InvalidRequest,
    MalformedInput,
    PreconditionRequired,
)
from kodeks.formats import requirements as formats
from kodeks.formats.requirements import reqif, xlsx
from kodeks.services.requirements import catalogue, sets
from tests.governance.world import dump
from tests.requirements.test_catalogue import publish
from tests.requirements.world import World


@pytest.fixture
def tender(world: World) -> World:
    """Three published requirements (one titled like a formula, one with a second version) and a set
    that tailors one of them."""
    publish(world, "ARK-1", category="Integration")
    publish(world, "ARK-2", title='=HYPERLINK("http://x","y")', text="-2+3 og @SUM(A1)", category="Sikkerhed")
    publish(world, "ARK-3", priority="should", category="Integration")
    author = world.actor("author")
    catalogue.revise(world.ctx, author, "ARK-3", {**_fields("ARK-3"), "text": "Version 2"})
    for action, who in (("submit", "author"), ("approve", "approver"), ("publish", "approver")):
        catalogue.transition(world.ctx, world.actor(who), "ARK-3", action)
    body = {
        "id": "udbud",
        "title": "Udbud af et omsorgssystem",
        "entries": [
            {"requirement": "ARK-1", "local_text": "Lokal\nformulering", "local_priority": "should"},
            {"requirement": "ARK-2"},
            {"requirement": "ARK-3", "version": 1},
        ],
    }
    sets.save(world.ctx, author, body, expected_revision=None)
    return world


def _fields(rid: str) -> dict[str, object]:
    from tests.requirements.world import requirement

    return requirement(rid, priority="should", category="Integration")


def test_a_set_pins_published_versions_and_keeps_its_tailoring(tender: World) -> None:
    rset, lines = sets.get(tender.ctx, "udbud")
    assert [(e.requirement_id, e.version) for e in rset.entries] == [("ARK-1", 1), ("ARK-2", 1), ("ARK-3", 1)]
    assert [x.requirement.id for x in lines] == ["ARK-1", "ARK-3", "ARK-2"]  # by category
    first = lines[0]
    assert first.text == "Lokal\nformulering" and first.priority is Priority.SHOULD and first.tailored
    assert first.requirement.text.startswith("Leverandøren skal")  # the common text is untouched
    assert lines[1].requirement.text != "Version 2"  # ARK-3 stays at the version the set chose


def test_saving_a_set_needs_the_revision_read_and_published_requirements(tender: World) -> None:
    ctx, author = tender.ctx, tender.actor("author")
    body = {"id": "udbud", "title": "Nyt navn", "entries": [{"requirement": "ARK-1"}]}
    with pytest.raises(PreconditionRequired):
        sets.save(ctx, author, body, expected_revision=None)
    with pytest.raises(Conflict):
        sets.save(ctx, author, body, expected_revision=7)
    assert sets.save(ctx, author, body, expected_revision=1).revision == 2
    catalogue.create(ctx, author, _fields("DRAFT-1"))
    before = dump(tender.kodeks.engine)
    with pytest.raises(InvalidRequest, match="no published requirement 'DRAFT-1'"):
        sets.save(ctx, author, {**body, "entries": [{"requirement": "DRAFT-1"}]}, expected_revision=2)
    with pytest.raises(InvalidRequest, match="no published version 9"):
        sets.save(
            ctx, author, {**body, "entries": [{"requirement": "ARK-1", "version": 9}]}, expected_revision=2
        )
    with pytest.raises(Forbidden):
        sets.save(ctx, tender.actor("colleague"), body, expected_revision=2)
    assert dump(tender.kodeks.engine) == before


def _workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_workbook_has_response_columns_and_only_string_cells(tender: World) -> None:
    rset, lines = sets.get(tender.ctx, "udbud")
    data = formats.export("xlsx", rset, lines)
    assert data == formats.export("xlsx", rset, lines)  # the same set gives the same bytes
    sheet = _workbook(data)["Krav"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[2] == list(xlsx.HEADER)
    assert [r[0] for r in rows[3:]] == ["ARK-1", "ARK-3", "ARK-2"]
    assert rows[3][4] == "Lokal\nformulering" and rows[3][9] == "Ja" and rows[3][5] == "Bør"
    assert rows[5][3] == '=HYPERLINK("http://x","y")'  # text, not a formula
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")


def fill(data: bytes, supplier: str, answers: dict[str, tuple[str, str]]) -> bytes:
    book = _workbook(data)
    sheet = book["Krav"]
    sheet["B2"] = supplier
    for row in sheet.iter_rows(min_row=4):
        if row[0].value in answers:
            row[10].value, row[11].value = answers[row[0].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_supplier_answers_come_back_and_are_compared(tender: World) -> None:
    rset, lines = sets.get(tender.ctx, "udbud")
    blank = formats.export("xlsx", rset, lines)
    a = fill(
        blank, "Alfa A/S", {"ARK-1": ("Ja", "Standard"), "ARK-2": ("Nej", ""), "ARK-3": ("delvist", "Snart")}
    )
    b = fill(blank, "Beta ApS", {"ARK-1": ("Ja", ""), "ARK-2": ("Ja", "- se bilag 3")})
    author = tender.actor("author")
    for data in (a, b):
        sheet = xlsx.read_answers(data, "svar.xlsx")
        assert sheet.set_id == "udbud"
        assert sets.import_answers(tender.ctx, author, "udbud", sheet.supplier or "", sheet.answers) == 3
    result = sets.comparison(tender.ctx, tender.actor("approver"), "udbud")
    assert result.suppliers == ("Alfa A/S", "Beta ApS")
    alfa, beta = result.summaries
    assert (alfa.yes, alfa.partly, alfa.no, alfa.must_gaps) == (1, 1, 1, ("ARK-2",))
    assert (beta.yes, beta.unanswered, beta.qualified) == (2, 1, True)
    by_id = {line.requirement.id: got for line, got in result.rows}
    assert by_id["ARK-2"][1] is not None and by_id["ARK-2"][1].text == "- se bilag 3"
    # a second import of a supplier replaces its answers
    again = xlsx.read_answers(fill(blank, "Alfa A/S", {"ARK-2": ("Ja", "")}), "svar.xlsx")
    sets.import_answers(tender.ctx, author, "udbud", "Alfa A/S", again.answers)
    alfa = sets.comparison(tender.ctx, author, "udbud").summaries[0]
    assert (alfa.yes, alfa.unanswered, alfa.must_gaps) == (1, 2, ())
    with pytest.raises(Forbidden):
        sets.comparison(tender.ctx, tender.actor("colleague"), "udbud")


def test_bad_answer_sheets_are_refused_and_change_nothing(tender: World) -> None:
    rset, lines = sets.get(tender.ctx, "udbud")
    blank = formats.export("xlsx", rset, lines)
    with pytest.raises(InvalidContent, match="row 4"):
        xlsx.read_answers(fill(blank, "X", {"ARK-1": ("måske", "")}), "svar.xlsx")
    with pytest.raises(InvalidContent, match="supplier"):
        xlsx.read_answers(blank, "svar.xlsx")
    with pytest.raises(MalformedInput):
        xlsx.read_answers(b"PK\x03\x04 not really a zip", "svar.xlsx")
    with pytest.raises(MalformedInput):
        xlsx.read_answers(b"", "svar.xlsx")
    with pytest.raises(InputTooLarge):
        xlsx.read_answers(b"PK" + b"\0" * xlsx.MAX_BYTES, "svar.xlsx")
    other = openpyxl.Workbook()
    other.active.append(["no", "header", "here"])
    raw = io.BytesIO()
    other.save(raw)
    with pytest.raises(InvalidContent, match="Kravnr"):
        xlsx.read_answers(raw.getvalue(), "andet.xlsx", "X")
    before = dump(tender.kodeks.engine)
    stray = xlsx.read_answers(fill(blank, "X", {"ARK-1": ("Ja", "")}), "svar.xlsx")
    from kodeks.domain.requirements.answers import Answer

    with pytest.raises(InvalidRequest, match="not in set"):
        sets.import_answers(
            tender.ctx, tender.actor("author"), "udbud", "X", [*stray.answers, Answer("X", "ZZZ", None)]
        )
    with pytest.raises(InvalidRequest, match="twice"):
        sets.import_answers(
            tender.ctx, tender.actor("author"), "udbud", "X", [*stray.answers, *stray.answers]
        )
    assert dump(tender.kodeks.engine) == before


def test_the_word_document_has_a_section_per_category(tender: World) -> None:
    rset, lines = sets.get(tender.ctx, "udbud")
    document = docx.Document(io.BytesIO(formats.export("docx", rset, lines)))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Udbud af et omsorgssystem")
    assert [t for s, t in headings if s == "Heading 1"] == ["Integration", "Sikkerhed"]
    assert [t.split()[0] for s, t in headings if s == "Heading 2"] == ["ARK-1", "ARK-3", "ARK-2"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Lokal\nformulering" in body and "ARK-1 v1 (lokalt tilpasset)" in body


def test_reqif_export_then_import_gives_the_same_requirements_and_set(tender: World) -> None:
    rset, lines = sets.get(tender.ctx, "udbud")
    data = formats.export("reqif", rset, lines)
    doc = reqif.read(data, "udbud.reqif")
    expected = {(r.id, r.version): r for r in (x.requirement for x in lines)}
    assert {(r.id, r.version): r.__class__(**{**_as_dict(r), "author": None}) for r in doc.requirements} == {
        k: v.__class__(**{**_as_dict(v), "author": None}) for k, v in expected.items()
    }
    assert all(r.state is State.PUBLISHED for r in doc.requirements)
    assert doc.requirement_set is not None
    assert doc.requirement_set.entries == tuple(x.entry for x in lines)
    assert (doc.requirement_set.id, doc.requirement_set.title, doc.requirement_set.owner) == (
        rset.id,
        rset.title,
        rset.owner,
    )
    assert reqif.write_set(rset, lines) == data  # stable bytes


def _as_dict(r: object) -> dict[str, object]:
    return {name: getattr(r, name) for name in r.__slots__}  # type: ignore[attr-defined]


def test_the_reqif_library_reads_the_export(tender: World) -> None:
    from reqif.parser import ReqIFParser

    rset, lines = sets.get(tender.ctx, "udbud")
    bundle = ReqIFParser.parse_from_string(formats.export("reqif", rset, lines).decode("utf-8"))
    objects = bundle.core_content.req_if_content.spec_objects
    assert len(objects) == 3
    specification = bundle.core_content.req_if_content.specifications[0]
    assert specification.long_name == rset.title and len(specification.children) == 3


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">&lol2;</REQ-IF>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd"><REQ-IF/>"""


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (BOMB, MalformedInput),
        (EXTERNAL, MalformedInput),
        (b"<REQ-IF", MalformedInput),
        (b"", MalformedInput),
        (b"<other/>", InvalidContent),
        (b"\xff\xfe\x00garbage", MalformedInput),
    ],
)
def test_hostile_or_malformed_reqif_is_refused(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        reqif.read(data, "x.reqif")


def test_reqif_with_broken_objects_names_them(tender: World) -> None:
    rset, lines = sets.get(tender.ctx, "udbud")
    data = formats.export("reqif", rset, lines)
    with pytest.raises(InvalidContent, match="req-ARK-1"):
        reqif.read(data.replace(b'THE-VALUE="ARK-1"', b'THE-VALUE=""', 1), "x.reqif")
    with pytest.raises(InvalidContent, match="Principles"):
        reqif.read(data.replace(b'THE-VALUE="[&quot;6&quot;', b'THE-VALUE="{&quot;6&quot;', 1), "x.reqif")
    with pytest.raises(InputTooLarge):
        reqif.read(b" " * (reqif.MAX_BYTES + 1), "x.reqif")
    with pytest.raises(InvalidRequest):
        formats.export("pdf", rset, lines)


def test_anonymous_readers_see_sets_but_not_answers(tender: World) -> None:
    assert [s.id for s in sets.listing(tender.ctx)] == ["udbud"]
    with pytest.raises(Exception) as caught:
        sets.comparison(tender.ctx, ANONYMOUS, "udbud")
    assert type(caught.value).__name__ == "Unauthorized"


def test_the_row_and_object_limits_hold(tender: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rset, lines = sets.get(tender.ctx, "udbud")
    monkeypatch.setattr(reqif, "MAX_OBJECTS", 2)
    with pytest.raises(InputTooLarge, match="more than 2"):
        reqif.read(formats.export("reqif", rset, lines), "x.reqif")
    monkeypatch.setattr(xlsx, "MAX_ANSWERS", 2)
    with pytest.raises(InputTooLarge, match="more than 2"):
        xlsx.read_answers(formats.export("xlsx", rset, lines), "x.xlsx", "X")


def test_the_word_document_follows_a_template_and_refuses_a_bad_one(tender: World) -> None:
    from kodeks.formats.requirements import docx as docx_writer

    base = docx.Document()
    base.add_paragraph("Bilag 2 til udbudsbetingelserne")
    raw = io.BytesIO()
    base.save(raw)
    rset, lines = sets.get(tender.ctx, "udbud")
    made = docx.Document(io.BytesIO(docx_writer.write_set(rset, lines, raw.getvalue())))
    texts = [p.text for p in made.paragraphs]
    assert texts[0] == "Bilag 2 til udbudsbetingelserne" and "Udbud af et omsorgssystem" in texts
    with pytest.raises(MalformedInput):
        docx_writer.write_set(rset, lines, b"not a docx")
    with pytest.raises(MalformedInput):
        docx_writer.write_set(rset, lines, b"PK\x03\x04 broken")
    with zipfile.ZipFile(raw, "a") as z:
        z.writestr("word/evil.xml", '<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>')
    with pytest.raises(MalformedInput):
        docx_writer.write_set(rset, lines, raw.getvalue())
    with pytest.raises(InputTooLarge):
        docx_writer.write_set(rset, lines, b"PK" + b"\0" * docx_writer.MAX_TEMPLATE)
