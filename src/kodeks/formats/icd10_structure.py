"""ICD-10's chapters and blocks for a file that lists only categories and subcategories.

The Danish ICD-10 from SKS (a FHIR CodeSystem supplement) holds the 3-character categories (``A00``)
and their subcategories (``A00.1``) but not the hierarchy its users navigate by: 22 chapters
(``A00-B99`` "Kapitel I ...") and the blocks within them (``A00-A09``, in chapter II nested:
``C00-C97`` > ``C00-C75`` > ``C00-C14``). The FHIR reader's option ``hierarchy=icd10`` adds them as
items derived at import: each category goes under the innermost block whose range holds it, each
block under its chapter.

The ranges are ICD-10's (WHO, 2019 edition) and sit in ``kodeks/resources/icd10_structure.csv``. A chapter's
Danish title is written there; a block has no Danish title in any open source, so its title is
made from the categories it holds ("Kolera; Tyfus og paratyfus; ..."). Categories no range holds stay
at the top. See ``data/SOURCES.md``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from importlib import resources

from kodeks.domain.item import Item
from kodeks.domain.period import ALWAYS
from kodeks.domain.release import Bundle

STRUCTURE = "icd10_structure.csv"
#: Most category titles a block's made-up title lists.
BLOCK_TITLE_PARTS = 3


@dataclass(frozen=True, slots=True)
class Range:
    code: str  # "A00-A09"
    parent: str | None
    chapter: str | None  # the Roman numeral of a chapter, None for a block
    title: str | None
    start: str
    end: str

    def holds(self, code: str) -> bool:
        return self.start <= code[:3] <= self.end

    @property
    def span(self) -> int:
        def number(code: str) -> int:
            return (ord(code[0]) - ord("A")) * 100 + int(code[1:3])

        return number(self.end) - number(self.start)


def ranges() -> list[Range]:
    text = (resources.files("kodeks") / "resources" / STRUCTURE).read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        start, _, end = row["range"].partition("-")
        chapter, title = row["chapter"] or None, row["title_da"] or None
        out.append(Range(row["range"], row["parent"] or None, chapter, title, start, end))
    return out


def add_chapters_and_blocks(bundle: Bundle) -> Bundle:
    """``bundle`` with chapter and block items added, each top-level category under the narrowest
    block that holds it; ranges that hold no category of the file are left out."""
    all_ranges = ranges()
    by_code = {r.code: r for r in all_ranges}
    clash = sorted({i.code for i in bundle.items} & set(by_code))
    if clash:
        raise ValueError(f"the file already has codes named like ICD-10 ranges: {', '.join(clash[:5])}")
    items: list[Item] = []
    categories: list[Item] = []
    for item in bundle.items:
        if item.parent is None and _is_category(item.code):
            home = min(
                (r for r in all_ranges if r.holds(item.code)),
                key=lambda r: (r.chapter is not None, r.span),
                default=None,
            )
            if home is not None:
                item = replace(item, parent=home.code)
                categories.append(item)
        items.append(item)
    used: set[str] = set()
    for item in categories:
        current: str | None = item.parent
        while current is not None and current not in used:
            used.add(current)
            current = by_code[current].parent
    valid = bundle.items[0].valid if bundle.items else ALWAYS
    derived = [
        Item(
            code=r.code,
            titles={"da": _title(r, [c for c in categories if r.holds(c.code)])},
            parent=r.parent,
            valid=valid,
        )
        for r in all_ranges
        if r.code in used
    ]
    return replace(bundle, items=tuple(derived + items))


def _is_category(code: str) -> bool:
    return len(code) >= 3 and code[0].isascii() and code[0].isupper() and code[1:3].isdigit()


def _title(r: Range, inside: list[Item]) -> str:
    if r.chapter:
        return f"Kapitel {r.chapter}: {r.title}"
    titles = [c.title("da") for c in sorted(inside, key=lambda c: c.code)]
    if not titles:
        return r.code
    shown = "; ".join(titles[:BLOCK_TITLE_PARTS])
    return shown + ("; …" if len(titles) > BLOCK_TITLE_PARTS else "")
