"""What the four KLE importers share: the two classifications, their levels, code rules and guidance text.

KLE (*Kommunernes Landsforenings Emnesystematik*) numbers its subjects ``27`` (hovedgruppe),
``27.24`` (gruppe) and ``27.24.00`` (emne); the parent of a code is the code with its last part cut
off. The *handlingsfacetter* (action facets) are a second classification: categories ``A``, ``G``, ...
at level 1 and facets such as ``G01`` at level 2, whose parent is their letter.
"""

from __future__ import annotations

import re
import threading

from lxml import etree, html

from kodeks.domain.classification import Classification
from kodeks.domain.codes import CodeOrder
from kodeks.domain.release import Level
from kodeks.errors import MalformedInput

KLE_ID = "kle"
FACETS_ID = "kle-handlingsfacetter"

_OWNER = "KL (Kommunernes Landsforening)"
_LICENCE = "© KL; used under KL's terms for municipalities and their suppliers"
_SOURCE_URI = "https://www.kle-online.dk"

_KLE_CODE = re.compile(r"[0-9]{2}(?:\.[0-9]{2}){0,2}")
_FACET_CODE = re.compile(r"[A-ZÆØÅ](?:[0-9]{2})?")


def kle_classification(slug: str | None = None) -> Classification:
    """The KLE emneplan (``slug`` overrides the id, e.g. for a municipality's own copy)."""
    return Classification(
        id=slug or KLE_ID,
        titles={
            "da": "KLE – Kommunernes Landsforenings Emnesystematik",
            "en": "KLE – the Danish municipal subject classification",
        },
        owner=_OWNER,
        publisher=_OWNER,
        licence=_LICENCE,
        copyrighted=True,
        source_uri=_SOURCE_URI,
        code_order=CodeOrder.NATURAL,
    )


def facets_classification(slug: str | None = None) -> Classification:
    """KLE's handlingsfacetter: what kind of action a case is about, across all subjects."""
    return Classification(
        id=slug or FACETS_ID,
        titles={"da": "KLE-handlingsfacetter", "en": "KLE action facets"},
        owner=_OWNER,
        publisher=_OWNER,
        licence=_LICENCE,
        copyrighted=True,
        source_uri=_SOURCE_URI,
        code_order=CodeOrder.NATURAL,
    )


KLE_LEVELS: tuple[Level, ...] = (
    Level(1, {"da": "Hovedgruppe", "en": "Main group"}),
    Level(2, {"da": "Gruppe", "en": "Group"}),
    Level(3, {"da": "Emne", "en": "Subject"}),
)

FACET_LEVELS: tuple[Level, ...] = (
    Level(1, {"da": "Facetkategori", "en": "Facet category"}),
    Level(2, {"da": "Handlingsfacet", "en": "Action facet"}),
)


def is_kle_code(code: str) -> bool:
    return bool(_KLE_CODE.fullmatch(code))


def is_facet_code(code: str) -> bool:
    return bool(_FACET_CODE.fullmatch(code))


def kle_level(code: str) -> int:
    """1, 2 or 3 for ``27``, ``27.24``, ``27.24.00``; ``ValueError`` for anything else."""
    if not is_kle_code(code):
        raise ValueError(f"{code!r} is not a KLE number (NN, NN.NN or NN.NN.NN)")
    return code.count(".") + 1


def kle_parent(code: str) -> str | None:
    """``27.24.00`` → ``27.24`` → ``27`` → ``None``."""
    head, dot, _ = code.rpartition(".")
    return head if dot else None


def facet_level(code: str) -> int:
    """1 for a category (``G``), 2 for a facet (``G01``); ``ValueError`` for anything else."""
    if not is_facet_code(code):
        raise ValueError(f"{code!r} is not a KLE handlingsfacet (a letter, optionally two digits)")
    return 1 if len(code) == 1 else 2


def facet_parent(code: str) -> str | None:
    return code[0] if len(code) > 1 else None


# --- guidance text -------------------------------------------------------------------------------

_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr", "section"})
_LISTS = frozenset({"ul", "ol"})
_BREAK = "\x00"  # never occurs in XML text, so it can mark a <br> until whitespace is collapsed


def guidance_text(element: etree._Element) -> str | None:
    """Readable plain text of KLE's XHTML-like guidance (``<p>``, ``<ul>/<li>``, ``<b>``, ``<i>``).

    Paragraphs are separated by a blank line, list items become ``- item`` lines (``1. item`` in an
    ``<ol>``), runs of whitespace collapse to one space. ``None`` when there is no text.
    """
    blocks: list[str] = []
    _blocks(element, blocks)
    return "\n\n".join(blocks) or None


def html_text(fragment: str) -> str | None:
    """Like :func:`guidance_text` for an HTML fragment held as a string (os2web's ``<Description>``)."""
    if not fragment.strip():
        return None
    root = html.fragment_fromstring(fragment, create_parent="div", parser=_html_parser())
    return guidance_text(root)


_LOCAL = threading.local()


def _html_parser() -> html.HTMLParser:
    """One HTML parser per thread (lxml parsers must not be shared between threads; making one is slow)."""
    parser: html.HTMLParser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    return parser


def _blocks(element: etree._Element, blocks: list[str]) -> None:
    """Append the paragraphs and lists inside ``element``; loose text between them is a paragraph."""
    text = element.text
    if len(element) == 0:  # the usual <p>text</p>: no list, no markup
        if text:
            _paragraph([text], blocks)
        return
    inline: list[str] = [text] if text else []
    for child in element:
        tag = child.tag
        if tag in _BLOCKS:
            _paragraph(inline, blocks)
            _blocks(child, blocks)
        elif tag in _LISTS:
            _paragraph(inline, blocks)
            lines = [_list_line(tag, number, li) for number, li in enumerate(child, 1) if li.tag == "li"]
            lines = [line for line in lines if line]
            if lines:
                blocks.append("\n".join(lines))
        elif tag == "br":
            inline.append(_BREAK)
        elif isinstance(tag, str):  # inline markup: <b>, <i>, <a>, <span> ...
            inline.append("".join(child.itertext()))  # type: ignore[arg-type]
        tail = child.tail
        if tail:
            inline.append(tail)
    _paragraph(inline, blocks)


def _list_line(list_tag: str, number: int, item: etree._Element) -> str:
    raw = (item.text or "") if len(item) == 0 else "".join(item.itertext())  # type: ignore[arg-type]
    text = _collapse(raw)
    if not text:
        return ""
    return f"{number}. {text}" if list_tag == "ol" else f"- {text}"


def _paragraph(inline: list[str], blocks: list[str]) -> None:
    if not inline:
        return
    joined = "".join(inline)
    inline.clear()
    if _BREAK in joined:
        text = "\n".join(line for line in map(_collapse, joined.split(_BREAK)) if line)
    else:
        text = _collapse(joined)
    if text:
        blocks.append(text)


def _collapse(text: str) -> str:
    """Runs of whitespace as one space, none at the ends."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text:
        return " ".join(text.split())
    return text.strip()


# --- text files ----------------------------------------------------------------------------------


def decode_utf8(data: bytes, source: str) -> str:
    """``data`` as UTF-8 text (a BOM is dropped); bytes that are not UTF-8 fail naming their line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MalformedInput(
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            source=source,
            location=f"line {line}",
        ) from exc


def line_of(element: etree._Element) -> int:
    """The source line of ``element`` (0 when lxml does not know it)."""
    line = element.sourceline
    return line if isinstance(line, int) else 0
