"""A thesaurus' notes and definitions are searchable, each analysed in its own language."""

from __future__ import annotations

from kodeks.domain.item import Item, LangText
from kodeks.domain.search_text import terms
from kodeks.services.search_indexing import item_document


def test_language_tagged_notes_are_indexed_in_their_language() -> None:
    item = Item(
        "ta112",
        {"en": "Carp"},
        texts=(
            LangText("scopeNote", "en", "Carp are oily freshwater fish"),
            LangText("definition", "de", "Karpfen leben in Seen"),
        ),
    )
    body = item_document("fish", item).terms.body
    assert set(terms("freshwater fishes", "en")) <= set(body)
    assert set(terms("Seen", "de")) <= set(body)
