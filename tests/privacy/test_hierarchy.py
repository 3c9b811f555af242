from __future__ import annotations

from pathlib import Path

import pytest

from kodeks.privacy import hierarchy as hier
from kodeks.privacy.errors import HierarchyCoverageError, HierarchyError, NonMonotoneHierarchyError


def test_dotted_codes_generalize_kle_style() -> None:
    h = hier.from_dotted_codes("kle", ["27.24.10", "27.24.12", "27.30.01", "00.01.00"])
    assert h.rows[0] == ("27.24.10", "27.24", "27", "*")
    assert h.generalize("27.30.01", 1) == "27.30"
    assert h.generalize("00.01.00", 2) == "00"
    assert h.height == 4


def test_parent_pairs_pad_short_paths_at_the_bottom() -> None:
    pairs = [("101", "1084"), ("147", "1084"), ("751", "1082"), ("1084", None), ("1082", None), ("x", None)]
    h = hier.from_parent_pairs("kommune", pairs)
    assert h.rows == (("101", "1084", "*"), ("147", "1084", "*"), ("751", "1082", "*"), ("x", "x", "*"))


def test_parent_pairs_reject_cycles_and_two_parents() -> None:
    with pytest.raises(HierarchyError, match="cycle"):
        hier.from_parent_pairs("c", [("a", "b"), ("b", "a"), ("leaf", "a")], leaves=["leaf"])
    with pytest.raises(NonMonotoneHierarchyError, match="two parents"):
        hier.from_parent_pairs("c", [("a", "b"), ("a", "c")])


def test_intervals_nest() -> None:
    h = hier.from_intervals("age", [37, 40, 5], widths=(5, 10, 20))
    assert h.rows[0] == ("37", "35-39", "30-39", "20-39", "*")
    assert h.generalize("5", 3) == "0-19"
    with pytest.raises(NonMonotoneHierarchyError, match="multiple"):
        hier.from_intervals("age", [1], widths=(5, 7))
    with pytest.raises(HierarchyError, match="not a number"):
        hier.from_intervals("age", ["x"], widths=(5,))


def test_dates() -> None:
    h = hier.from_dates("d", ["2024-03-15"])
    assert h.rows[0] == ("2024-03-15", "2024-03", "2024", "2020-2029", "*")
    with pytest.raises(HierarchyError, match="ISO date"):
        hier.from_dates("d", ["15/03/2024"])


def test_non_monotone_rows_are_rejected() -> None:
    with pytest.raises(NonMonotoneHierarchyError, match="generalizes to both"):
        hier.Hierarchy.from_rows("x", [["a", "g1", "*"], ["b", "g1", "*"], ["c", "g1", "top2"]])
    with pytest.raises(NonMonotoneHierarchyError, match="both"):
        hier.Hierarchy.from_rows("x", [["a", "g1", "h1", "*"], ["b", "g1", "h2", "*"]])
    with pytest.raises(NonMonotoneHierarchyError, match="different heights"):
        hier.Hierarchy.from_rows("x", [["a", "*"], ["b", "g", "*"]])
    with pytest.raises(HierarchyError, match="twice"):
        hier.Hierarchy.from_rows("x", [["a", "*"], ["a", "*"]])
    with pytest.raises(HierarchyError, match="empty"):
        hier.Hierarchy.from_rows("x", [])


def test_coverage_error_names_values() -> None:
    h = hier.identity("sex", ["M", "F"])
    with pytest.raises(HierarchyCoverageError, match="'X'"):
        h.check_covers(["M", "X"])
    with pytest.raises(HierarchyCoverageError, match="<null>"):
        h.check_covers(["M", None])


def test_arx_csv(tmp_path: Path) -> None:
    f = tmp_path / "h.csv"
    f.write_text("1;0-4;*\n2;0-4;*\n5;5-9;*\n", encoding="utf-8")
    h = hier.from_arx_csv(f, "age")
    assert h.height == 3 and h.generalize("5", 1) == "5-9"
    f.write_bytes("æ;*\n".encode("latin-1"))
    with pytest.raises(HierarchyError, match="not utf-8"):
        hier.from_arx_csv(f)
    with pytest.raises(HierarchyError, match="cannot read"):
        hier.from_arx_csv(tmp_path / "missing.csv")


def test_adult_hierarchies_are_valid(adult_hierarchies: dict[str, hier.Hierarchy]) -> None:
    heights = {q: h.height for q, h in adult_hierarchies.items()}
    assert heights["age"] == 5 and heights["education"] == 4 and heights["sex"] == 2
