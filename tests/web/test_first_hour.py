"""What tripped a first-time reader (issue 10): canonical Danish paths, end dates, keyword chips,
replaced recordings, the compare box, the sign-in page, the catalogue order and entry fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from fastapi.testclient import TestClient

from kodeks.domain.classification import Classification
from kodeks.services.catalog import derive_entry
from kodeks.services.ports import ItemRecord
from kodeks.web import contexts as ctx
from kodeks.web.catalog import FIRST, order, shown_description, shown_licence, shown_title
from kodeks.web.classification import compare_from
from kodeks.web.item import replaced_by
from tests.factories import item

TREE = "/klassifikationer/tree"


def test_klassifikationer_is_the_catalogue_itself_not_a_redirect(client: TestClient) -> None:
    for path in ("/klassifikationer", "/classifications"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 200 and r.template.name == "home.html"  # type: ignore[attr-defined]


def test_item_json_self_link_keeps_the_asked_date(client: TestClient) -> None:
    expired = "/api/v1/classifications/tree/items/10.01.05"
    body = client.get(expired + "?at=2011-06-01").json()
    assert body["links"]["self"] == expired + "?at=2011-06-01"
    assert client.get(body["links"]["self"]).status_code == 200  # following it does not 404
    assert client.get(expired).status_code == 404
    assert client.get("/api/v1/classifications/tree/items/10").json()["links"]["self"].endswith("/10")


def test_keyword_chips_show_no_bare_weights(client: TestClient) -> None:
    html = client.get("/klassifikationer/xss/koder/1.1?dato=2001-01-01").text
    chips = html.split('<ul class="keywords">', 1)[1].split("</ul>", 1)[0]
    assert "3</span>" not in chips and 'class="weight"' not in chips
    assert "De vigtigste først" in html


def test_the_sign_in_page_says_how_to_get_a_token_and_shows_no_error_untried(client: TestClient) -> None:
    r = client.get("/redaktion", follow_redirects=False)
    assert r.status_code == 401 and r.template.name == "login.html"  # type: ignore[attr-defined]
    assert 'role="alert"' not in r.text and "kodeks governance tokens issue" in r.text
    assert "kodeks-demo-tokens.txt" in r.text
    failed = client.post(
        "/redaktion/log-ind", data={"token": "kodeks_wrong"}, headers={"Origin": "http://testserver"}
    )
    assert failed.status_code == 401 and 'role="alert"' in failed.text


def test_the_compare_box_always_has_a_from_date() -> None:
    assert compare_from([date(2015, 8, 1), date(2023, 1, 1), date(2026, 2, 1)], date(2026, 6, 1)) == date(
        2023, 1, 1
    )
    assert compare_from([date(2008, 1, 1)], date(2026, 6, 1)) == date(2008, 1, 1)
    assert compare_from([], date(2024, 2, 29)) == date(2023, 2, 28)


def test_the_classification_page_fills_the_compare_box(client: TestClient) -> None:
    p = client.get(TREE).context["page"]  # type: ignore[attr-defined]
    assert isinstance(p, ctx.ClassificationPage) and p.changes_from == date(2015, 8, 1)


def _record(code: str, title: str, start: str, end: str | None, stamp: int) -> ItemRecord:
    rec = item(code, title, start=date.fromisoformat(start), end=date.fromisoformat(end) if end else None)
    return ItemRecord(rec, "r", datetime(2024, 1, stamp), datetime(2024, 1, stamp + 1), rec.valid)


def test_a_replaced_recording_says_what_the_new_one_changed() -> None:
    old = _record("1", "Gammel", "2000-01-01", None, 1)
    renamed = _record("1", "Ny", "2000-01-01", None, 2)
    closed = replace(_record("1", "Ny", "2000-01-01", "2010-01-01", 3), recorded_to=None)
    records = [old, renamed, closed]
    assert replaced_by(old, records) == ("field_title",)
    assert replaced_by(renamed, records) == ("field_valid",)
    assert replaced_by(closed, records) == ()
    withdrawn = _record("2", "Væk", "2000-01-01", None, 5)
    assert replaced_by(withdrawn, [withdrawn]) == ("field_withdrawn",)


def test_kle_and_fsiii_come_first_in_the_catalogue() -> None:
    ids = ["db07", "eu-countries", "fsiii", "icd10-da", "kle", "kle-handlingsfacetter"]
    ranked = sorted(ids, key=lambda cid: order(cid, cid))
    assert ranked[:2] == ["kle", "fsiii"] and FIRST[:2] == ("kle", "fsiii")


def test_catalogue_entry_titles_and_rights_win_over_the_source() -> None:
    """The EU vocabularies are titled in English only; the catalogue entry carries the Danish title.
    KLE's licence text from the file is English; the entry's rights statement is Danish."""
    c = Classification("eu-countries", {"en": "Country"}, description="Country Named Authority List")
    entry = replace(derive_entry(c, []), titles={"da": "Lande (EU-autoritetstabel)", "en": "Country"})
    assert shown_title(c, entry, "da") == "Lande (EU-autoritetstabel)"
    assert shown_title(c, None, "da") == "Country"
    assert shown_description(c, replace(entry, descriptions={"da": "Lande"}), "da") == "Lande"
    kle = Classification("kle", {"da": "KLE"}, licence="© KL; used under KL's terms", copyrighted=True)
    kle_entry = replace(derive_entry(kle, []), rights="© KL. Kommuner må bruge KLE på KL's vilkår.")
    assert shown_licence(kle, kle_entry) == ("rights", "© KL. Kommuner må bruge KLE på KL's vilkår.")


def test_a_copyrighted_classification_is_still_publicly_accessible() -> None:
    kle = Classification("kle", {"da": "KLE"}, licence="© KL", copyrighted=True)
    entry = derive_entry(kle, [])
    assert entry.access == "PUBLIC" and entry.rights == "© KL"


def test_editor_refusals_are_danish() -> None:
    from kodeks.errors import Conflict, Forbidden, InvalidRequest
    from kodeks.web.i18n import Translator
    from kodeks.web.refusals import refusal

    da, en = Translator("da"), Translator("en")
    stale = Conflict("change set 7 is submitted; only a draft can be changed")
    assert refusal(stale, da) == "Ændringssæt 7 er indsendt; kun et udkast kan ændres."
    assert refusal(stale, en) == stale.message
    eyes = Forbidden("four-eyes rule: anna wrote change set 3 and may not approve it")
    assert refusal(eyes, da) == "Fire øjne: anna har skrevet ændringssæt 3 og må ikke selv godkende det."
    assert refusal(Conflict("tree 10 has changed since you read it; read it again"), da).startswith(
        "tree 10 er ændret, siden du hentede siden."
    )
    assert (
        refusal(InvalidRequest("something new"), da) == "Oplysningerne kan ikke bruges; ret dem og prøv igen."
    )
    assert refusal(Forbidden("x"), da) == "Du har ikke lov til dette."
    from kodeks.errors import InvalidContent

    parent = InvalidContent("parent 'findes-ikke' of 09 is not valid on 2026-02-01", location="code 09")
    assert refusal(parent, da) == "Den overordnede kode »findes-ikke« for 09 findes ikke den 2026-02-01."


def test_the_danish_column_is_danish() -> None:
    """A Danish string equal to its English one must be a word both languages share."""
    from kodeks.web.i18n import STRINGS

    same = {k for k, (da, en) in STRINGS.items() if da == en}
    shared = {
        "change_set_title",
        "email",
        "field_uuid",
        "nav_api",
        "note",
        "property_historisk",
        "status",
        "version",
        "ls_region",  # Region
        "model_usage_element",  # Element
        "model_usage_model",  # Model
        "ls_rows_region",
        "ls_scope",  # Type
        "ls_status",  # Status
        "text_definition",  # Definition
        "text_note",  # Note
    }
    assert same <= shared, sorted(same - shared)


def test_keys_built_from_values_exist() -> None:
    from kodeks.web.i18n import STRINGS
    from kodeks.web.item import CHANGED_FIELDS
    from kodeks.web.refusals import BY_KIND, KNOWN

    keys = [label for _names, label in CHANGED_FIELDS] + ["field_withdrawn", "field_nothing"]
    keys += [f"matched_in_{f}" for f in ("alt", "keywords", "body")]
    keys += [key for _p, key in KNOWN] + [key for _k, key in BY_KIND] + ["refusal_other", "rights", "licence"]
    assert [k for k in keys if k not in STRINGS] == []
