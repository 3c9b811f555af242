"""Plain-text guidance becomes paragraphs and lists."""

from __future__ import annotations

from kodeks.web.guidance import Block, blocks


def test_paragraphs_and_dash_lists() -> None:
    text = "Første afsnit\nfortsætter.\n\nListe:\n- et\n- to\n\nSidste."
    assert blocks(text) == (
        Block("Første afsnit fortsætter."),
        Block("Liste:"),
        Block(items=("et", "to")),
        Block("Sidste."),
    )


def test_empty_and_odd_input() -> None:
    assert blocks(None) == () and blocks("  \n ") == ()
    assert blocks("- a\r\n* b\r\n• c\ntekst") == (Block(items=("a", "b", "c")), Block("tekst"))
    assert blocks("-ikke en liste") == (Block("-ikke en liste"),)


def test_markup_stays_text() -> None:
    assert blocks("<p>hej</p>") == (Block("<p>hej</p>"),)
