"""What a code (notation) written by a user or read from a file may look like.

Codes in Kodeks come from classifications (``27.24.00``, ``A``, ``0111``, ``G01``); a code typed
into a profile, a sortiment or a correspondence file must look like one: 1-64 characters, letters
or digits first, then letters, digits and ``. - _ / :``. That refuses spreadsheet formulas
(``=HYPERLINK(...)``), markup, control characters and spaces before they are stored.
"""

from __future__ import annotations

import re

MAX_CODE = 64
_CODE = re.compile(r"^[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå._/:-]{0,63}$")


def code_problem(code: str) -> str | None:
    """Why ``code`` is not a plausible code, or ``None``."""
    if not code:
        return "the code is empty"
    if len(code) > MAX_CODE:
        return f"the code is longer than {MAX_CODE} characters"
    if not _CODE.match(code):
        shown = code if code.isprintable() else code.encode("unicode_escape").decode()
        return f"{shown!r} is not a code (letters or digits, then letters, digits and . - _ / :)"
    return None


MAX_TITLE = 500
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})?$")


def titles_problem(titles: dict[str, str]) -> str | None:
    """Why a set of titles (language tag → text) cannot be stored, or ``None``."""
    for lang, text in titles.items():
        if not _LANG.match(lang):
            return f"{lang!r} is not a language tag (such as da or en)"
        if not text.strip() or len(text) > MAX_TITLE or not text.isprintable():
            return f"the {lang} title is empty, longer than {MAX_TITLE} characters or has control characters"
    return None
