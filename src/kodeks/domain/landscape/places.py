"""Municipalities named in an input: a code (``751``, ``0751``, DAGI's 4-digit KOMKODE), a name
(``Aarhus``, ``Aarhus Kommune``), or an IRI ending in a code (``…/kommuner/0751``)."""

from __future__ import annotations

import re

from kodeks.domain.local.municipalities import MUNICIPALITIES, Municipality

_BY_NAME = {m.name.casefold(): m.code for m in MUNICIPALITIES.values()}
_TAIL = re.compile(r"(\d{3,4})/?$")


def municipality_code(text: str) -> str | None:
    """The 3-digit code of the municipality ``text`` names, or ``None``."""
    value = text.strip()
    if not value or len(value) > 300:
        return None
    tail = _TAIL.search(value)
    if tail and (value.isdigit() or "/" in value or "#" in value):
        code = str(int(tail.group(1)))
        return code if code in MUNICIPALITIES else None
    name = value.casefold().removesuffix(" kommune").removesuffix(" regionskommune").strip()
    name = name.removeprefix("kommune ").strip()
    return _BY_NAME.get(name)


def komkode(code: str) -> str:
    """DAGI's 4-digit KOMKODE for a 3-digit municipality code (``751`` -> ``0751``)."""
    return code.zfill(4)


def all_municipalities() -> list[Municipality]:
    return sorted(MUNICIPALITIES.values(), key=lambda m: m.name)
