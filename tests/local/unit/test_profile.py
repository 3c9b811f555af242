"""Profiles: validation against the common classification and reserved ranges, and composition."""

from __future__ import annotations

from datetime import date

from kodeks.domain.item import Item
from kodeks.domain.local.profile import (
    COMMON_TITLE,
    ORIGIN,
    LocalCode,
    Profile,
    Selection,
    compose,
    origin,
    profile_problems,
)
from kodeks.domain.local.ranges import ReservedRange, range_problem
from kodeks.domain.period import Period
from tests.factories import item, tree_bundle

URI = "https://kodeks.dk/id/tree"
RANGES = (ReservedRange(level=3, low=90, high=99),)
DAY = date(2013, 6, 1)


def common_now() -> list[Item]:
    return [i for i in tree_bundle().items if i.valid.contains(DAY)]


def latest() -> dict[str, Item]:
    return {i.code: i for i in tree_bundle().items}


def profile(**kw: object) -> Profile:
    base: dict[str, object] = {
        "id": "aarhus",
        "classification": "tree",
        "owner": "751",
        "titles": {"da": "Aarhus"},
    }
    return Profile(**{**base, **kw})  # type: ignore[arg-type]


def codes(items: list[Item]) -> dict[str, str]:
    return {i.code: origin(i) for i in items}


def test_a_range_admits_numbers_under_a_parent_at_its_level_only() -> None:
    r = ReservedRange(level=3, low=90, high=99)
    assert r.admits("10.01.90", "10.01", 2)
    assert r.admits("10.01.99", "10.01", 2)
    assert not r.admits("10.01.89", "10.01", 2)
    assert not r.admits("10.01.100", "10.01", 2)
    assert not r.admits("10.01.9a", "10.01", 2)
    assert not r.admits("10.90", "10", 1)
    assert not r.admits("20.01.95", "10.01", 2)
    assert ReservedRange(level=3, low=90, high=99, under="20").admits("20.02.91", "20.02", 2)
    assert not ReservedRange(level=3, low=90, high=99, under="20").admits("10.01.91", "10.01", 2)
    assert "outside the reserved ranges" in (range_problem("10.01.50", "10.01", 2, [r]) or "")
    assert "reserves no range" in (range_problem("10.01.95", "10.01", 2, []) or "")


def test_selection_brings_its_ancestors_as_context() -> None:
    p = profile(selections=(Selection("10.01.00"),))
    assert codes(compose(p, common_now(), DAY, URI)) == {
        "10.01.00": "selected",
        "10.01": "context",
        "10": "context",
    }


def test_subtree_and_include_all() -> None:
    sub = compose(profile(selections=(Selection("20", subtree=True),)), common_now(), DAY, URI)
    assert codes(sub) == {"20": "selected", "20.02": "selected", "20.02.01": "selected"}
    everything = compose(profile(include_all=True), common_now(), DAY, URI)
    assert {i.code for i in everything} == {i.code for i in common_now()}


def test_local_titles_keep_the_common_title() -> None:
    p = profile(selections=(Selection("10.01.00", titles={"da": "Skoleundervisning"}),))
    renamed = next(i for i in compose(p, common_now(), DAY, URI) if i.code == "10.01.00")
    assert renamed.titles["da"] == "Skoleundervisning"
    assert renamed.properties[COMMON_TITLE] == "Undervisning i almindelighed"


def test_local_codes_sit_under_common_parents_and_show_only_while_valid() -> None:
    local = LocalCode("10.01.90", "10.01", {"da": "Lokal skoleordning"}, valid=Period(date(2013, 1, 1), None))
    deeper = LocalCode("10.01.90.1", "10.01.90", {"da": "Underordning"})
    p = profile(selections=(Selection("10.01.00"),), local_codes=(local, deeper))
    out = {i.code: i for i in compose(p, common_now(), DAY, URI)}
    assert out["10.01.90"].level == 3 and out["10.01.90"].parent == "10.01"
    assert out["10.01.90.1"].level == 4 and out["10.01.90"].properties[ORIGIN] == "local"
    assert out["10.01.90"].uuid is not None and out["10.01.90"].uuid != out["10.01.00"].uuid
    before = {i.code for i in compose(p, common_now(), date(2012, 6, 1), URI)}
    assert "10.01.90" not in before and "10.01.90.1" not in before


def test_a_local_code_whose_parent_is_gone_is_not_shown() -> None:
    common = [i for i in common_now() if i.code != "10.01"]
    p = profile(include_all=True, local_codes=(LocalCode("10.01.90", "10.01", {"da": "Lokal"}),))
    assert "10.01.90" not in {i.code for i in compose(p, common, DAY, URI)}


def test_a_valid_profile_has_no_problems() -> None:
    p = profile(
        selections=(Selection("10.01.00"), Selection("20", subtree=True)),
        local_codes=(
            LocalCode("10.01.90", "10.01", {"da": "Lokal"}),
            LocalCode("10.01.90.1", "10.01.90", {"da": "Under lokal"}),
        ),
    )
    assert profile_problems(p, latest(), RANGES) == []


def test_problems_name_the_code() -> None:
    cases = {
        "outside the reserved ranges": LocalCode("10.01.50", "10.01", {"da": "x"}),
        "already a code of tree": LocalCode("10.01.05", "10.01", {"da": "x"}),
        "is not a code of tree": LocalCode("99.01.90", "99.01", {"da": "x"}),
        "has no title": LocalCode("10.01.91", "10.01", {}),
        "must extend": LocalCode("30.01.01", "10.01.90", {"da": "x"}),
    }
    for expected, local in cases.items():
        p = profile(local_codes=(LocalCode("10.01.90", "10.01", {"da": "Lokal"}), local))
        problems = profile_problems(p, latest(), RANGES)
        assert any(expected in pr.message and pr.code == local.code for pr in problems), (expected, problems)


def test_selection_problems() -> None:
    assert profile_problems(profile(selections=(Selection("99.99"),)), latest(), RANGES)[0].code == "99.99"
    twice = profile(selections=(Selection("10"), Selection("10", valid=Period(date(2000, 1, 1), None))))
    assert "twice" in profile_problems(twice, latest(), RANGES)[0].message
    split = profile(
        selections=(
            Selection("10", valid=Period(None, date(2000, 1, 1))),
            Selection("10", valid=Period(date(2000, 1, 1), None)),
        )
    )
    assert profile_problems(split, latest(), RANGES) == []


def test_hostile_codes_titles_and_owners_are_refused() -> None:
    for bad in ('=HYPERLINK("x")', "10 01", "<script>", "a" * 65, "10\x00"):
        problems = profile_problems(profile(selections=(Selection(bad),)), latest(), RANGES)
        assert problems and "code" in problems[0].message, bad
    assert profile_problems(profile(owner="999"), latest(), RANGES)[0].message.startswith(
        "'999' is not a Danish"
    )
    assert profile_problems(profile(id="Bad Id"), latest(), RANGES)
    assert profile_problems(profile(titles={"da": "x\x07"}), latest(), RANGES)
    assert profile_problems(profile(titles={"not a lang": "x"}), latest(), RANGES)


def test_common_item_validity_is_cut_to_the_selection() -> None:
    p = profile(selections=(Selection("10", valid=Period(date(2013, 1, 1), None)),))
    ten = next(i for i in compose(p, common_now(), DAY, URI) if i.code == "10")
    assert ten.valid == Period(date(2013, 1, 1), None)
    assert compose(p, [item("10", start=date(1988, 1, 1))], date(2012, 1, 1), URI) == []
