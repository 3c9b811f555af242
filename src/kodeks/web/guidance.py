"""Guidance text (KLE *vejledning*) as paragraphs and lists, never as HTML.

Importers keep guidance as plain text: paragraphs separated by blank lines, list items on lines
that start with ``- `` (or ``* `` / ``• ``). Anything that looks like markup stays text: the
template escapes every block, so ``<script>`` in a description shows as the characters it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BULLET = re.compile(r"^\s*(?:[-*•])\s+")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``items`` empty, ``text`` set) or a bulleted list (``items`` set)."""

    text: str = ""
    items: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def blocks(text: str | None) -> tuple[Block, ...]:
    """Split plain text into paragraphs and lists; lines within a paragraph are joined by a space."""
    if not text or not text.strip():
        return ()
    out: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(Block(text=" ".join(paragraph)))
            paragraph.clear()
        if bullets:
            out.append(Block(items=tuple(bullets)))
            bullets.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif _BULLET.match(raw):
            if paragraph:
                out.append(Block(text=" ".join(paragraph)))
                paragraph.clear()
            bullets.append(_BULLET.sub("", raw).strip())
        else:
            if bullets:
                out.append(Block(items=tuple(bullets)))
                bullets.clear()
            paragraph.append(line)
    flush()
    return tuple(out)
