"""Code order: natural (``30.8`` < ``30.11``, ``A9`` < ``A10``) or lexical, chosen per classification."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kodeks.domain.classification import Classification
from kodeks.domain.codec import classification_from_dict, classification_to_dict
from kodeks.domain.codes import CodeOrder, lexical_key, natural_key, sort_key


def test_numeric_runs_compare_as_numbers() -> None:
    assert sorted(["30.11", "30.8", "30.10", "30.9", "3", "30"], key=natural_key) == [
        "3",
        "30",
        "30.8",
        "30.9",
        "30.10",
        "30.11",
    ]
    assert sorted(["A10", "A9", "B1", "A1"], key=natural_key) == ["A1", "A9", "A10", "B1"]


def test_kle_codes_sort_by_group_then_topic() -> None:
    codes = ["27.24.10", "00.10.00", "27.24.02", "27.3.00", "00.01", "00"]
    assert sorted(codes, key=natural_key) == ["00", "00.01", "00.10.00", "27.3.00", "27.24.02", "27.24.10"]


def test_letters_compare_without_case_and_after_digits() -> None:
    assert natural_key("a10") == natural_key("A10")
    assert sorted(["b", "A", "1"], key=natural_key) == ["1", "A", "b"]


def test_lexical_order_is_plain_string_order() -> None:
    assert sorted(["30.11", "30.8", "A10", "A9"], key=lexical_key) == ["30.11", "30.8", "A10", "A9"]


def test_sort_key_is_chosen_by_name_or_enum() -> None:
    assert sort_key("natural") is natural_key
    assert sort_key(CodeOrder.LEXICAL) is lexical_key
    with pytest.raises(ValueError):
        sort_key("alphabetical")


def test_the_order_is_a_property_of_the_classification() -> None:
    assert Classification("db07").code_order is CodeOrder.NATURAL
    lexical = Classification("icd10", code_order=CodeOrder.LEXICAL)
    assert classification_from_dict(classification_to_dict(lexical)).code_order is CodeOrder.LEXICAL


@given(st.lists(st.lists(st.integers(0, 10_000), min_size=1, max_size=4), min_size=2, max_size=20))
def test_dotted_numbers_sort_like_tuples_of_ints(parts: list[list[int]]) -> None:
    codes = [".".join(str(n) for n in p) for p in parts]
    assert [natural_key(c) for c in sorted(codes, key=natural_key)] == sorted(natural_key(c) for c in codes)
    by_ints = sorted(codes, key=lambda c: tuple(int(n) for n in c.split(".")))
    assert [tuple(map(int, c.split("."))) for c in sorted(codes, key=natural_key)] == [
        tuple(map(int, c.split("."))) for c in by_ints
    ]


@given(st.text(alphabet="AB09.-", min_size=1, max_size=8), st.text(alphabet="AB09.-", min_size=1, max_size=8))
def test_natural_order_is_total(a: str, b: str) -> None:
    ka, kb = natural_key(a), natural_key(b)
    assert (ka < kb) + (ka == kb) + (ka > kb) == 1


def test_codes_equal_as_numbers_still_have_one_order() -> None:
    """ "0" and "00" (or "1.01" and "1.1") must not tie: exports and re-imports keep one order."""
    assert sorted(["00", "0"], key=natural_key) == sorted(["0", "00"], key=natural_key) == ["0", "00"]
    assert natural_key("1.01") != natural_key("1.1")
