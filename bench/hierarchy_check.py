"""How the structure check's time grows with the depth of a chain (target: linear, ratio ≈ 10×).

    python bench/hierarchy_check.py

A chain of 1,000 parent links against one of 10,000: a linear check takes about ten times as long,
a quadratic one a hundred times. (Was a timed assertion in tests/unit/test_hierarchy.py.)
"""

from __future__ import annotations

from _common import best_of, report

from kodeks.domain.hierarchy import check_items
from kodeks.domain.item import Item


def chain(n: int) -> list[Item]:
    return [Item(f"c{i}", {"da": f"c{i}"}, parent=f"c{i - 1}" if i else None) for i in range(n)]


def main() -> None:
    short, long = chain(1_000), chain(10_000)
    small = best_of(lambda: check_items(short), 5)
    large = best_of(lambda: check_items(long), 5)
    report("check a chain of 10,000", large, "a chain of 1,000", small, target="≈ 10× (linear)")


if __name__ == "__main__":
    main()
